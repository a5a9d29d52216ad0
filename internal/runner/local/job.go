package local

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
)

// errNoResult is the Result.Err of a job whose supervisor ended without writing a result
// (killed, or the machine rebooted).
const errNoResult = "the job's supervisor ended without a result"

// job is a runner.Job of the local runner.
type job struct {
	id    string
	grace time.Duration
	done  chan struct{}

	mu     sync.Mutex
	root   *os.Root // the state dir; closed when the job is done
	result runner.Result
	ended  bool
	// signal sends a signal to the supervisor; nil when there is none to signal.
	signal func(syscall.Signal) error
}

var _ runner.Job = (*job)(nil)

func newJob(id string, root *os.Root, grace time.Duration) *job {
	return &job{id: id, root: root, grace: grace, done: make(chan struct{})}
}

func (j *job) setSignal(f func(syscall.Signal) error) {
	j.mu.Lock()
	j.signal = f
	j.mu.Unlock()
}

func (j *job) ID() string { return j.id }

func (j *job) Done() <-chan struct{} { return j.done }

func (j *job) Result() runner.Result {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.result
}

// Stop implements runner.Job: it records the grace period for the supervisor and sends it
// SIGTERM; the supervisor passes SIGTERM to the job's process group and SIGKILL after grace.
func (j *job) Stop(ctx context.Context, grace time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.ended || j.signal == nil {
		return nil
	}
	if grace <= 0 {
		grace = j.grace
	}
	if err := writeJSON(j.root, stopFile, stopRecord{Grace: grace}); err != nil {
		return err
	}
	err := j.signal(syscall.SIGTERM)
	if errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH) {
		return nil // it ended meanwhile; Done says so shortly
	}
	return err
}

// loadResult ends the job with the result recorded in its state dir, if there is one.
func (j *job) loadResult() bool {
	var rec resultRecord
	if err := readJSON(j.root, resultFile, &rec); err != nil {
		return false
	}
	j.end(rec.result())
	return true
}

// finish ends the job once its supervisor is gone: with the result it wrote or, without one,
// with a failure, recorded when persist is set so every later Attach reports the same.
func (j *job) finish(persist bool) {
	if j.loadResult() {
		return
	}
	msg := errNoResult
	if t := tail(j.root, supervisorLog, 512); t != "" {
		msg += ": " + t
	}
	if persist {
		j.fail(msg)
		return
	}
	now := time.Now()
	j.end(runner.Result{ExitCode: -1, StartedAt: now, EndedAt: now, Err: msg})
}

// fail ends a job that did not run with msg as Result.Err, recording it unless a result is
// there already.
func (j *job) fail(msg string) {
	now := time.Now()
	rec := resultRecord{ExitCode: -1, StartedAt: now, EndedAt: now, Err: msg}
	var old resultRecord
	if err := readJSON(j.root, resultFile, &old); err == nil {
		rec = old
	} else if errors.Is(err, fs.ErrNotExist) {
		writeJSON(j.root, resultFile, rec) // best effort: the Result below is what counts now
	}
	j.end(rec.result())
}

func (j *job) end(res runner.Result) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.ended {
		return
	}
	j.ended = true
	j.result = res
	j.root.Close()
	close(j.done)
}
