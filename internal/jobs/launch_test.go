package jobs_test

import (
	"context"
	"io"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/jobs"
	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

const account = "111111111111"

// fakeRunner runs nothing: a started job runs until the test ends it or stops it.
type fakeRunner struct {
	mu      sync.Mutex
	jobs    map[string]*fakeJob
	started map[string]int // Start calls by ID
	// onStart, when set, is called with a started job's ID before Start returns.
	onStart func(id string)
}

func newFakeRunner() *fakeRunner {
	return &fakeRunner{jobs: map[string]*fakeJob{}, started: map[string]int{}}
}

func (r *fakeRunner) Start(_ context.Context, spec runner.Spec) (runner.Job, error) {
	r.mu.Lock()
	r.started[spec.ID]++
	if _, ok := r.jobs[spec.ID]; ok {
		r.mu.Unlock()
		return nil, runner.ErrExists
	}
	j := newFakeJob(spec.ID)
	r.jobs[spec.ID] = j
	onStart := r.onStart
	r.mu.Unlock()
	if onStart != nil {
		onStart(spec.ID)
	}
	return j, nil
}

func (r *fakeRunner) Attach(_ context.Context, id string) (runner.Job, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if j, ok := r.jobs[id]; ok {
		return j, nil
	}
	return nil, runner.ErrNotFound
}

func (r *fakeRunner) starts(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.started[id]
}

func (r *fakeRunner) job(t *testing.T, id string) *fakeJob {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.mu.Lock()
		j := r.jobs[id]
		r.mu.Unlock()
		if j != nil {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s never started", id)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type fakeJob struct {
	id     string
	once   sync.Once
	done   chan struct{}
	mu     sync.Mutex
	result runner.Result
	stops  int
}

func newFakeJob(id string) *fakeJob { return &fakeJob{id: id, done: make(chan struct{})} }

func (j *fakeJob) ID() string            { return j.id }
func (j *fakeJob) Done() <-chan struct{} { return j.done }
func (j *fakeJob) Result() runner.Result { j.mu.Lock(); defer j.mu.Unlock(); return j.result }
func (j *fakeJob) end(res runner.Result) {
	j.once.Do(func() { j.mu.Lock(); j.result = res; j.mu.Unlock(); close(j.done) })
}
func (j *fakeJob) stopCount() int { j.mu.Lock(); defer j.mu.Unlock(); return j.stops }
func (j *fakeJob) Stop(context.Context, time.Duration) error {
	j.mu.Lock()
	j.stops++
	j.mu.Unlock()
	j.end(runner.Result{Stopped: true, ExitCode: 143, Signal: "SIGTERM"})
	return nil
}

type fakeRoles struct{}

func (fakeRoles) AssumeRole(_ context.Context, roleARN, _ string) (*auth.Principal, error) {
	return &auth.Principal{Account: account, ARN: roleARN}, nil
}

type noObjects struct{}

func (noObjects) GetObject(context.Context, string, string, string) (io.ReadCloser, error) {
	return nil, io.EOF
}
func (noObjects) PutObject(context.Context, string, string, io.Reader, int64) error { return nil }
func (noObjects) ListObjects(context.Context, string, string) ([]jobs.ObjectInfo, error) {
	return nil, nil
}

// fixture is a store and a manager over a fake runner.
type fixture struct {
	store  store.Store
	runner *fakeRunner
	dir    string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &fixture{store: db, runner: newFakeRunner(), dir: dir}
}

func (f *fixture) start(t *testing.T) *jobs.Manager {
	t.Helper()
	m := jobs.New(jobs.Options{Store: f.store, Runner: f.runner, Objects: noObjects{}, Roles: fakeRoles{},
		DataDir: f.dir, Region: "us-east-1", Now: time.Now})
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		m.Close()
		m.Wait()
	})
	return m
}

// create records a processing job, as CreateProcessingJob does.
func (f *fixture) create(t *testing.T, name string, status sm.JobStatus) string {
	t.Helper()
	now := time.Now()
	job := &store.Job{AccountID: account, Kind: string(sm.ProcessingJob), Name: name,
		ARN:     "arn:aws:sagemaker:us-east-1:" + account + ":processing-job/" + name,
		Request: `{"ProcessingJobName":"` + name + `","AppSpecification":{"ImageUri":"i","ContainerEntrypoint":["true"]},"ProcessingResources":{"ClusterConfig":{"InstanceCount":1,"InstanceType":"ml.m5.large","VolumeSizeInGB":1}},"RoleArn":"arn:aws:iam::` + account + `:role/R"}`,
		Status:  string(status), RoleARN: "arn:aws:iam::" + account + ":role/R", CreatedAt: now, LastModifiedAt: now}
	if err := f.store.Update(context.Background(), func(tx store.Tx) error { return tx.CreateJob(job) }); err != nil {
		t.Fatal(err)
	}
	return runner.JobID(account, job.Kind, name)
}

func (f *fixture) setStatus(t *testing.T, name string, status sm.JobStatus) {
	t.Helper()
	err := f.store.Update(context.Background(), func(tx store.Tx) error {
		job, err := tx.Job(account, string(sm.ProcessingJob), name)
		if err != nil {
			return err
		}
		job.Status = string(status)
		return tx.UpdateJob(job)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// wait polls a job until it has finished.
func (f *fixture) wait(t *testing.T, name string) *store.Job {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var job *store.Job
		err := f.store.View(context.Background(), func(tx store.Tx) error {
			var err error
			job, err = tx.Job(account, string(sm.ProcessingJob), name)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if sm.JobStatus(job.Status).Finished() {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s is still %s", name, job.Status)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A job recorded InProgress is started by the commit, once, whatever else changes it.
func TestJobStartsFromCommit(t *testing.T) {
	f := newFixture(t)
	f.start(t)
	id := f.create(t, "prep", sm.JobInProgress)
	j := f.runner.job(t, id)
	for i := 0; i < 5; i++ {
		f.setStatus(t, "prep", sm.JobInProgress) // more changes to the same job
	}
	j.end(runner.Result{})
	if job := f.wait(t, "prep"); job.Status != string(sm.JobCompleted) || job.StartedAt.IsZero() {
		t.Errorf("job %s, started %v", job.Status, job.StartedAt)
	}
	if n := f.runner.starts(id); n != 1 {
		t.Errorf("started %d times", n)
	}
}

// At start the manager re-attaches to a job the runner still runs and starts one it never
// started: the restart path is the creation path.
func TestStartTakesUpUnfinishedJobs(t *testing.T) {
	f := newFixture(t)
	running := f.create(t, "running", sm.JobInProgress)
	pending := f.create(t, "pending", sm.JobInProgress)
	supervised := newFakeJob(running)
	f.runner.jobs[running] = supervised
	f.start(t)

	f.runner.job(t, pending).end(runner.Result{})
	if job := f.wait(t, "pending"); job.Status != string(sm.JobCompleted) {
		t.Errorf("pending: %s %s", job.Status, job.FailureReason)
	}
	supervised.end(runner.Result{ExitCode: 2})
	if job := f.wait(t, "running"); job.Status != string(sm.JobFailed) {
		t.Errorf("running: %s", job.Status)
	}
	if n := f.runner.starts(running); n != 0 {
		t.Errorf("a job the runner ran was started again (%d times)", n)
	}
	if n := f.runner.starts(pending); n != 1 {
		t.Errorf("the pending job started %d times", n)
	}
}

// A job recorded Stopping is stopped, once; one that never ran ends Stopped without
// running.
func TestJobStopsFromCommit(t *testing.T) {
	f := newFixture(t)
	never := f.create(t, "never", sm.JobStopping)
	f.start(t)
	if job := f.wait(t, "never"); job.Status != string(sm.JobStopped) {
		t.Errorf("never: %s", job.Status)
	}
	if n := f.runner.starts(never); n != 0 {
		t.Errorf("a job stopped before it ran was started")
	}

	id := f.create(t, "long", sm.JobInProgress)
	j := f.runner.job(t, id)
	f.setStatus(t, "long", sm.JobStopping)
	if job := f.wait(t, "long"); job.Status != string(sm.JobStopped) {
		t.Errorf("long: %s %s", job.Status, job.FailureReason)
	}
	if n := j.stopCount(); n != 1 {
		t.Errorf("stopped %d times", n)
	}
}

// A job recorded Stopping whose process still runs after a restart is stopped, not left to
// run to its end.
func TestStartStopsSupervisedStoppingJob(t *testing.T) {
	f := newFixture(t)
	id := f.create(t, "stopping", sm.JobStopping)
	supervised := newFakeJob(id)
	f.runner.jobs[id] = supervised
	f.start(t)
	if job := f.wait(t, "stopping"); job.Status != string(sm.JobStopped) {
		t.Errorf("stopping: %s %s", job.Status, job.FailureReason)
	}
	if n := supervised.stopCount(); n != 1 {
		t.Errorf("stopped %d times", n)
	}
	if n := f.runner.starts(id); n != 0 {
		t.Errorf("started %d times", n)
	}
}
