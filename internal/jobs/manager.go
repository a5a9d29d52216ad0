// Package jobs runs SageMaker jobs: it stages a job's inputs from S3 into a directory laid
// out as SageMaker's /opt/ml, hands the job to a runner, uploads its outputs when it ends
// and records the outcome. S3 is read and written as the job's role, through the same
// authorization a client's request gets, so a role that may not read an input fails the
// job with AWS's denial message.
//
// The manager learns of jobs from the store's committed changes, as the pipeline engine
// learns of executions: the service only records a job, and the commit starts it (see
// launch.go).
package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
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
	// Keys makes the data keys of volumes encrypted under a job's VolumeKmsKeyId (nil
	// checks none).
	Keys Keys
}

// Manager runs jobs.
type Manager struct {
	opts  Options
	log   *slog.Logger
	store store.Scoped[txn, txn]

	// The queue of jobs to reconcile. It has its own lock so that queueing, which runs in
	// every committing goroutine, never waits on a reconcile's read of the store.
	qmu    sync.Mutex
	cond   *sync.Cond
	queue  []string        // ARNs of jobs whose records changed
	queued map[string]bool // the ARNs in queue
	closed bool

	mu     sync.Mutex
	active map[string]*activeJob // the jobs this process runs, by runner ID

	unsubscribe func()
	// ctx is canceled by Close: the work in flight stops, and what it has not recorded is
	// left to the next start, exactly as after a kill.
	ctx    context.Context
	cancel context.CancelFunc
	worker sync.WaitGroup // the goroutine that reconciles
	wg     sync.WaitGroup // the goroutines that run jobs
}

// activeJob is a job this process runs, from the moment it is taken up until its outcome
// is recorded.
type activeJob struct {
	rj   runner.Job // nil until the job is started or re-attached
	stop bool       // the job is Stopping; its run is (or will be) asked to stop
}

// New returns a Manager; Start begins its work.
func New(o Options) *Manager {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	m := &Manager{opts: o, log: o.Logger, store: store.Scope[txn, txn](o.Store), queued: map[string]bool{}, active: map[string]*activeJob{}}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.cond = sync.NewCond(&m.qmu)
	return m
}

// kind is how one kind of job is staged, run and finished: its line of the job-kind table.
type kind interface {
	// prepare stages inputs into dir and returns the spec to run.
	prepare(ctx context.Context, m *Manager, job *store.Job, dir string) (runner.Spec, error)
	// finish uploads outputs after a successful run and returns Describe… members to record.
	finish(ctx context.Context, m *Manager, job *store.Job, dir string) (sm.JobDetails, error)
}

// kindOf returns how jobs of kind k run, and false for a kind this package does not run.
func kindOf(k sm.JobKind) (kind, bool) {
	switch k {
	case sm.ProcessingJob:
		return processing{}, true
	case sm.TrainingJob:
		return training{}, true
	case sm.TransformJob:
		return transform{}, true
	}
	return nil, false
}

// Close stops reconciling and releases the runner (its warm supervisors). Running jobs go
// on: they outlive the server and are re-attached at the next start.
func (m *Manager) Close() error {
	if m.unsubscribe != nil {
		m.unsubscribe()
	}
	m.qmu.Lock()
	m.closed = true
	m.cond.Broadcast()
	m.qmu.Unlock()
	m.cancel()
	m.worker.Wait()
	m.wg.Wait()
	if c, ok := m.opts.Runner.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Wait blocks until every job goroutine of this manager has returned (tests).
func (m *Manager) Wait() { m.wg.Wait() }

// run takes a job this process has taken up to its recorded end: it re-attaches to the
// job when the runner already runs it (started before a restart), and stages and starts
// it otherwise.
func (m *Manager) run(ctx context.Context, job *store.Job, id string, a *activeJob) {
	defer m.forget(id)
	k, _ := kindOf(sm.JobKind(job.Kind))
	// The job sees dir at /opt/ml; its log lives beside it, outside the job's view.
	dir := filepath.Join(runner.JobDir(m.opts.DataDir, job.AccountID, job.Name), "ml")
	rj, err := m.opts.Runner.Attach(ctx, id)
	switch {
	case errors.Is(err, runner.ErrNotFound):
		if rj = m.start(ctx, job, id, k, dir, a); rj == nil {
			return // the job ended before it ran; start recorded how
		}
	case err != nil:
		m.log.Error("re-attach job", "job", job.ARN, "err", err)
		return
	case job.StartedAt.IsZero():
		// Started just before a restart, which cut short recording it.
		m.log.Info("job re-attached", "job", job.Name, "arn", job.ARN)
		m.started(ctx, job)
	default:
		m.log.Info("job re-attached", "job", job.Name, "arn", job.ARN)
	}
	m.mu.Lock()
	a.rj = rj
	stop := a.stop
	m.mu.Unlock()
	if stop {
		if err := rj.Stop(ctx, 0); err != nil {
			m.log.Error("stop job", "job", job.ARN, "err", err)
		}
	}
	if d, ok := k.(driver); ok {
		m.runDriven(ctx, job, dir, rj, d)
		return
	}
	select {
	case <-rj.Done():
	case <-ctx.Done():
		return // shutting down: the job runs on, and the next start re-attaches to it
	}
	res := rj.Result()
	e := endingOf(res, runner.LogPath(m.opts.DataDir, job.AccountID, job.Name))
	if en, ok := k.(ender); ok {
		en.end(ctx, m, job, dir, res, &e)
	} else if e.status == sm.JobCompleted {
		details, err := k.finish(ctx, m, job, dir)
		if err != nil {
			e = endAs(sm.JobFailed, failureReason(err))
		}
		e.details = details
	}
	m.record(ctx, job, e)
}

// start stages a job that never ran and hands it to the runner. It returns nil when the
// job ended before it could run (it failed to stage, or was stopped), with that recorded.
func (m *Manager) start(ctx context.Context, job *store.Job, id string, k kind, dir string, a *activeJob) runner.Job {
	if m.stopping(a) {
		m.record(ctx, job, endAs(sm.JobStopped, ""))
		return nil
	}
	// A fresh start: whatever an interrupted staging left is discarded.
	if err := os.RemoveAll(dir); err != nil {
		m.record(ctx, job, endAs(sm.JobFailed, "InternalServerError: could not prepare the job directory: "+err.Error()))
		return nil
	}
	if err := m.checkVolume(ctx, job); err != nil {
		m.record(ctx, job, endAs(sm.JobFailed, failureReason(err)))
		return nil
	}
	spec, err := k.prepare(ctx, m, job, dir)
	if err != nil {
		m.record(ctx, job, endAs(sm.JobFailed, failureReason(err)))
		return nil
	}
	spec.ID = id
	spec.LogPath = runner.LogPath(m.opts.DataDir, job.AccountID, job.Name)
	spec.Hide = []string{m.opts.DataDir}
	if m.stopping(a) {
		m.record(ctx, job, endAs(sm.JobStopped, ""))
		return nil
	}
	rj, err := m.opts.Runner.Start(ctx, spec)
	if err != nil {
		m.record(ctx, job, endAs(sm.JobFailed, "InternalServerError: "+err.Error()))
		return nil
	}
	m.started(ctx, job)
	return rj
}

// stopping reports whether the job a is Stopping.
func (m *Manager) stopping(a *activeJob) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return a.stop
}

func algorithmError(res runner.Result) string {
	if res.Signal != "" {
		return fmt.Sprintf("AlgorithmError: the job's process was killed by %s. See the job log for more information.", res.Signal)
	}
	return fmt.Sprintf("AlgorithmError: the job's process exited with status %d. See the job log for more information.", res.ExitCode)
}

// failureReason renders a staging or upload failure: AWS's denial, and Cairn's own words to
// the job's owner, as a ClientError; anything else is Cairn's own failure, whose detail
// (paths, internal errors) record keeps for the log.
func failureReason(err error) string {
	var ae *operation.Error
	if errors.As(err, &ae) {
		return "ClientError: " + ae.Message
	}
	if msg := err.Error(); strings.HasPrefix(msg, "ClientError: ") {
		return msg
	}
	return internalPrefix + err.Error()
}

// internalPrefix starts the reason of a job that failed through Cairn's own fault; the
// detail after it goes to the log, never to the job's record.
const internalPrefix = "InternalServerError: "

// internalFailure is what a tenant reads of Cairn's own failure.
const internalFailure = "InternalServerError: Cairn could not complete the job. The server's log has the detail under the job's ARN."

// tenantText is a job's failure reason or exit message as its owner may read it: an internal
// failure's detail is logged with the job's ARN and replaced, and paths of the server's data
// dir are shown as the job sees them (/opt/ml) or not at all.
func (m *Manager) tenantText(job *store.Job, s string) string {
	if detail, ok := strings.CutPrefix(s, internalPrefix); ok {
		m.log.Error("job failed in Cairn", "job", job.ARN, "detail", detail)
		return internalFailure
	}
	return scrubPaths(s, runner.JobDir(m.opts.DataDir, job.AccountID, job.Name), m.opts.DataDir)
}

// scrubPaths rewrites the job's directory as the job sees it and hides every other path
// under the data dir.
func scrubPaths(s, jobDir, dataDir string) string {
	if dataDir == "" || !strings.Contains(s, dataDir) {
		return s
	}
	s = strings.ReplaceAll(s, filepath.Join(jobDir, "ml"), "/opt/ml")
	s = strings.ReplaceAll(s, jobDir, "/opt/ml/..")
	return strings.ReplaceAll(s, dataDir, "<data dir>")
}

// started records the job's start time.
func (m *Manager) started(ctx context.Context, job *store.Job) {
	err := m.store.Update(ctx, func(tx txn) error {
		current, err := tx.Job(job.AccountID, job.Kind, job.Name)
		if err != nil {
			return err
		}
		current.StartedAt = m.opts.Now()
		current.LastModifiedAt = current.StartedAt
		// A stop recorded while the process was being started has already moved the job on
		// to Stopping: it does not go back to running.
		if sm.JobStatus(current.Status) != sm.JobStopping {
			if _, err = enterPhase(current, phaseRunning, "", current.StartedAt); err != nil {
				return err
			}
		}
		return tx.UpdateJob(current)
	})
	if err != nil {
		m.log.Error("record job start", "job", job.ARN, "err", err)
		return
	}
	m.log.Info("job started", "job", job.Name, "arn", job.ARN)
}

// record writes how a job ended: its status, reason, the Describe… members it produced
// and, for kinds with secondary statuses, the final transition. It is the one place a
// job's outcome is written.
func (m *Manager) record(ctx context.Context, job *store.Job, e ending) {
	if m.ctx.Err() != nil {
		// Shutting down: an outcome reached while the work was being cut short is not the
		// job's; the next start takes the job up again from its record.
		return
	}
	err := m.store.Update(ctx, func(tx txn) error {
		current, err := tx.Job(job.AccountID, job.Kind, job.Name)
		if err != nil {
			return err
		}
		now := m.opts.Now()
		current.Status, current.FailureReason, current.ExitMessage = string(e.status), truncate(m.tenantText(job, e.reason), 1024), truncate(m.tenantText(job, e.exitMessage), 1024)
		current.EndedAt, current.LastModifiedAt = now, now
		if current.StartedAt.IsZero() {
			current.StartedAt = now
		}
		if err := mergeDetails(current, e.details); err != nil {
			return err
		}
		message := ""
		if e.phase == phaseFailed {
			message = e.reason
		}
		if _, err := enterPhase(current, e.phase, truncate(message, 1024), now); err != nil {
			return err
		}
		return tx.UpdateJob(current)
	})
	if err != nil {
		m.log.Error("record job end", "job", job.ARN, "err", err)
		return
	}
	attrs := []any{"job", job.Name, "arn", job.ARN, "status", string(e.status)}
	if e.reason != "" {
		attrs = append(attrs, "reason", e.reason)
	}
	m.log.Info("job ended", attrs...)
	m.dropVolume(job)
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
