// Package jobs runs SageMaker jobs: it stages a job's inputs from S3 into a directory laid
// out as SageMaker's /opt/ml, hands the job to a runner, uploads its outputs when it ends
// and records the outcome. S3 is read and written as the job's role, through the same
// authorization a client's request gets, so a role that may not read an input fails the
// job with AWS's denial message.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/store"
)

// Objects reads and writes S3 objects as the principal in the context.
type Objects interface {
	GetObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, error)
	PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error
	ListObjects(ctx context.Context, bucket, prefix string) ([]ObjectInfo, error)
}

// ObjectInfo describes one listed object.
type ObjectInfo struct {
	Key  string
	Size int64
}

// Roles turns a role ARN into the principal of a session of it, assumed by SageMaker.
type Roles interface {
	AssumeRole(ctx context.Context, roleARN, sessionName string) (*auth.Principal, error)
}

// Options configures a Manager.
type Options struct {
	Store   store.Store
	Runner  runner.Runner
	Objects Objects
	Roles   Roles
	DataDir string
	Region  string
	Now     func() time.Time
	Logger  *slog.Logger
	// Env is the base environment of every job (PATH, HOME, LANG…); the job's own
	// Environment is added to it.
	Env []string
	// Images gives the local command that stands in for a job's image (nil maps none).
	Images *ImageMap
	// Interpreter runs script-mode training programs (.py); DefaultInterpreter when empty.
	Interpreter []string
}

// Manager runs jobs.
type Manager struct {
	opts Options
	log  *slog.Logger

	mu      sync.Mutex
	running map[string]runner.Job // by runner ID
	stopped map[string]bool       // stop requested before the job started
	wg      sync.WaitGroup
}

// New returns a Manager.
func New(o Options) *Manager {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Manager{opts: o, log: o.Logger, running: map[string]runner.Job{}, stopped: map[string]bool{}}
}

// kind is how one kind of job is staged, run and finished.
type kind interface {
	// prepare stages inputs into dir and returns the spec to run.
	prepare(ctx context.Context, m *Manager, job *store.Job, dir string) (runner.Spec, error)
	// finish uploads outputs after a successful run and returns Describe… members to record.
	finish(ctx context.Context, m *Manager, job *store.Job, dir string) (map[string]any, error)
}

var kinds = map[string]kind{
	"processing-job": processing{},
	"training-job":   training{},
	"transform-job":  transform{},
}

// Launch starts running a job that has just been recorded.
func (m *Manager) Launch(ctx context.Context, job *store.Job) error {
	if _, ok := kinds[job.Kind]; !ok {
		return fmt.Errorf("no runner for %s", job.Kind)
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.run(context.WithoutCancel(ctx), job, nil)
	}()
	return nil
}

// Stop asks a job to stop.
func (m *Manager) Stop(ctx context.Context, job *store.Job) error {
	id := runner.JobID(job.AccountID, job.Kind, job.Name)
	m.mu.Lock()
	rj := m.running[id]
	if rj == nil {
		m.stopped[id] = true
	}
	m.mu.Unlock()
	m.moved(ctx, job, phaseStopping, "")
	if rj != nil {
		return rj.Stop(ctx, 0)
	}
	return nil
}

// Recover picks up every job that was running when the server last stopped: a job the
// runner still knows is watched to its end (it is never started twice); one it never
// started is staged and started now.
func (m *Manager) Recover(ctx context.Context) error {
	var unfinished []*store.Job
	err := m.opts.Store.View(ctx, func(tx store.Tx) error {
		var err error
		unfinished, err = tx.ListJobs(store.JobFilter{Unfinished: true})
		return err
	})
	if err != nil {
		return err
	}
	for _, job := range unfinished {
		if _, ok := kinds[job.Kind]; !ok {
			continue
		}
		id := runner.JobID(job.AccountID, job.Kind, job.Name)
		rj, err := m.opts.Runner.Attach(ctx, id)
		switch {
		case errors.Is(err, runner.ErrNotFound):
			rj = nil
		case err != nil:
			m.log.Error("re-attach job", "job", job.ARN, "err", err)
			continue
		}
		if job.Status == "Stopping" && rj == nil {
			m.complete(ctx, job, "Stopped", "", "")
			continue
		}
		m.wg.Add(1)
		go func(job *store.Job, rj runner.Job) {
			defer m.wg.Done()
			m.run(ctx, job, rj)
		}(job, rj)
	}
	return nil
}

// Close releases the runner (its warm supervisors). Running jobs go on: they outlive the
// server and are re-attached at the next start.
func (m *Manager) Close() error {
	if c, ok := m.opts.Runner.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Wait blocks until every job goroutine of this manager has returned (tests).
func (m *Manager) Wait() { m.wg.Wait() }

// run takes a job from staging to its recorded end. attached is a job the runner already
// runs (after a restart).
func (m *Manager) run(ctx context.Context, job *store.Job, attached runner.Job) {
	k := kinds[job.Kind]
	id := runner.JobID(job.AccountID, job.Kind, job.Name)
	// The job sees dir at /opt/ml; its log lives beside it, outside the job's view.
	dir := filepath.Join(runner.JobDir(m.opts.DataDir, job.AccountID, job.Name), "ml")
	rj := attached
	if rj == nil {
		// A fresh start: whatever an interrupted staging left is discarded.
		if err := os.RemoveAll(dir); err != nil {
			m.complete(ctx, job, "Failed", "InternalServerError: could not prepare the job directory: "+err.Error(), "")
			return
		}
		spec, err := k.prepare(ctx, m, job, dir)
		if err != nil {
			m.complete(ctx, job, "Failed", failureReason(err), "")
			return
		}
		spec.ID = id
		spec.LogPath = runner.LogPath(m.opts.DataDir, job.AccountID, job.Name)
		spec.Hide = []string{m.opts.DataDir}
		m.mu.Lock()
		stop := m.stopped[id]
		delete(m.stopped, id)
		m.mu.Unlock()
		if stop {
			m.complete(ctx, job, "Stopped", "", "")
			return
		}
		rj, err = m.opts.Runner.Start(ctx, spec)
		if err != nil {
			m.complete(ctx, job, "Failed", "InternalServerError: "+err.Error(), "")
			return
		}
		m.started(ctx, job)
	} else if job.StartedAt.IsZero() {
		// Started just before a restart, which cut short recording it.
		m.started(ctx, job)
	}
	m.mu.Lock()
	m.running[id] = rj
	stop := m.stopped[id]
	delete(m.stopped, id)
	m.mu.Unlock()
	if stop {
		rj.Stop(ctx, 0)
	}
	if d, ok := k.(driver); ok {
		m.runDriven(ctx, job, dir, rj, d)
		return
	}
	<-rj.Done()
	m.mu.Lock()
	delete(m.running, id)
	m.mu.Unlock()

	res := rj.Result()
	e := endingOf(res, runner.LogPath(m.opts.DataDir, job.AccountID, job.Name))
	if en, ok := k.(ender); ok {
		en.end(ctx, m, job, dir, res, &e)
	} else if e.status == "Completed" {
		details, err := k.finish(ctx, m, job, dir)
		if err != nil {
			e = ending{status: "Failed", reason: failureReason(err), phase: phaseFailed}
		}
		e.details = details
	}
	m.record(ctx, job, e)
}

func algorithmError(res runner.Result) string {
	if res.Signal != "" {
		return fmt.Sprintf("AlgorithmError: the job's process was killed by %s. See the job log for more information.", res.Signal)
	}
	return fmt.Sprintf("AlgorithmError: the job's process exited with status %d. See the job log for more information.", res.ExitCode)
}

// failureReason renders a staging or upload failure: AWS's denial as a ClientError.
func failureReason(err error) string {
	var ae *operation.Error
	if errors.As(err, &ae) {
		return "ClientError: " + ae.Message
	}
	return err.Error()
}

// started records the job's start time.
func (m *Manager) started(ctx context.Context, job *store.Job) {
	err := m.opts.Store.Update(ctx, func(tx store.Tx) error {
		current, err := tx.Job(job.AccountID, job.Kind, job.Name)
		if err != nil {
			return err
		}
		current.StartedAt = m.opts.Now()
		current.LastModifiedAt = current.StartedAt
		enterPhase(current, phaseRunning, "", current.StartedAt)
		return tx.UpdateJob(current)
	})
	if err != nil {
		m.log.Error("record job start", "job", job.ARN, "err", err)
	}
}

func (m *Manager) complete(ctx context.Context, job *store.Job, status, reason, exitMessage string) {
	m.completeWith(ctx, job, status, reason, exitMessage, nil)
}

// completeWith records the end of a job.
func (m *Manager) completeWith(ctx context.Context, job *store.Job, status, reason, exitMessage string, details map[string]any) {
	m.record(ctx, job, ending{status: status, reason: reason, exitMessage: exitMessage, phase: finalPhase(status), details: details})
}

// record writes how a job ended: its status, reason, the Describe… members it produced
// and, for kinds with secondary statuses, the final transition.
func (m *Manager) record(ctx context.Context, job *store.Job, e ending) {
	err := m.opts.Store.Update(ctx, func(tx store.Tx) error {
		current, err := tx.Job(job.AccountID, job.Kind, job.Name)
		if err != nil {
			return err
		}
		now := m.opts.Now()
		current.Status, current.FailureReason, current.ExitMessage = e.status, truncate(e.reason, 1024), truncate(e.exitMessage, 1024)
		current.EndedAt, current.LastModifiedAt = now, now
		if current.StartedAt.IsZero() {
			current.StartedAt = now
		}
		mergeDetails(current, e.details)
		message := ""
		if e.phase == phaseFailed {
			message = e.reason
		}
		enterPhase(current, e.phase, truncate(message, 1024), now)
		return tx.UpdateJob(current)
	})
	if err != nil {
		m.log.Error("record job end", "job", job.ARN, "err", err)
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// logTail returns the last lines of a job's log, for ExitMessage.
func logTail(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	const n = 1024
	if st, err := f.Stat(); err == nil && st.Size() > n {
		f.Seek(st.Size()-n, io.SeekStart)
	}
	b, _ := io.ReadAll(io.LimitReader(f, n))
	return string(b)
}
