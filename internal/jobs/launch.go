package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Jobs are launched by commits, as pipeline executions are: CreateProcessingJob (and the
// like) only records the job InProgress, StopProcessingJob only records it Stopping. Every
// committed change to a job queues it here, and one worker reconciles the job's record
// with what this process runs:
//
//   - a job InProgress or Stopping that this process does not run yet is taken up: it is
//     re-attached when the runner still supervises it (a job is never started twice) and
//     staged and started otherwise;
//   - a job Stopping is asked to stop, once;
//   - a finished job needs nothing.
//
// Start queues every unfinished job the same way, so a restart re-drives the jobs that
// were running exactly as their creation drove them.

// Start subscribes to store changes and takes up every job that was unfinished when the
// server last stopped.
func (m *Manager) Start(ctx context.Context) error {
	ctx = m.ctx
	m.unsubscribe = m.store.Subscribe(m.onChanges)
	m.worker.Add(1)
	go m.work(ctx)
	var unfinished []*store.Job
	err := m.store.View(ctx, func(tx txn) error {
		var err error
		unfinished, err = tx.ListJobs(store.JobFilter{Unfinished: true})
		return err
	})
	if err != nil {
		return fmt.Errorf("list unfinished jobs: %w", err)
	}
	for _, job := range unfinished {
		m.enqueue(job.ARN)
	}
	return nil
}

// onChanges runs in the committing goroutine: it only queues work.
func (m *Manager) onChanges(changes []store.Change) {
	for _, c := range changes {
		if c.Kind == store.ChangeJob {
			m.enqueue(c.Key)
		}
	}
}

func (m *Manager) enqueue(jobARN string) {
	m.qmu.Lock()
	defer m.qmu.Unlock()
	if m.closed || m.queued[jobARN] {
		return
	}
	m.queued[jobARN] = true
	m.queue = append(m.queue, jobARN)
	m.cond.Signal()
}

// work reconciles queued jobs, one at a time, until Close.
func (m *Manager) work(ctx context.Context) {
	defer m.worker.Done()
	for {
		m.qmu.Lock()
		for len(m.queue) == 0 && !m.closed {
			m.cond.Wait()
		}
		if m.closed {
			m.qmu.Unlock()
			return
		}
		jobARN := m.queue[0]
		m.queue = m.queue[1:]
		delete(m.queued, jobARN)
		m.qmu.Unlock()
		if err := m.reconcile(ctx, jobARN); err != nil {
			m.log.Error("reconcile job", "job", jobARN, "err", err)
		}
	}
}

// reconcile brings what this process does for a job in line with the job's record.
func (m *Manager) reconcile(ctx context.Context, jobARN string) error {
	account, kind, name, err := parseJobARN(jobARN)
	if err != nil {
		return err
	}
	if _, ok := kindOf(kind); !ok {
		return nil // a kind of job this package does not run
	}
	// The record is read under the lock a run releases its job with, after recording the
	// job's end: a job is either still active here or read finished, never taken up twice.
	m.mu.Lock()
	var job *store.Job
	err = m.store.View(ctx, func(tx txn) error {
		var err error
		job, err = tx.Job(account, string(kind), name)
		return err
	})
	if err != nil {
		m.mu.Unlock()
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return fmt.Errorf("read job: %w", err)
	}
	status := sm.JobStatus(job.Status)
	if status.Finished() {
		m.mu.Unlock()
		return nil
	}
	// The runner knows the job by the name as created (the ARN's is lowercased).
	id := runner.JobID(job.AccountID, job.Kind, job.Name)
	a, running := m.active[id]
	if !running {
		a = &activeJob{}
		m.active[id] = a
	}
	stop := status == sm.JobStopping && !a.stop
	m.mu.Unlock()

	if stop {
		// Stopping is recorded before the run can learn of the stop, so that it comes
		// before what the stopped run records next (Uploading, Stopped). This worker is the
		// only one that sets a.stop, so no other reconcile can slip in meanwhile.
		m.moved(ctx, job, phaseStopping, "")
		m.mu.Lock()
		a.stop = true
		rj := a.rj
		m.mu.Unlock()
		if rj != nil {
			if err := rj.Stop(ctx, 0); err != nil {
				m.log.Error("stop job", "job", job.ARN, "err", err)
			}
		}
	}
	if !running {
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			m.run(ctx, job, id, a)
		}()
	}
	return nil
}

// forget ends this process's run of a job, once its outcome is recorded.
func (m *Manager) forget(id string) {
	m.mu.Lock()
	delete(m.active, id)
	m.mu.Unlock()
}

// parseJobARN splits the ARN of a job: arn:aws:sagemaker:<region>:<account>:<kind>/<name>.
func parseJobARN(s string) (account string, kind sm.JobKind, name string, err error) {
	a, err := arn.Parse(s)
	if err != nil {
		return "", "", "", fmt.Errorf("job ARN %q: %w", s, err)
	}
	resource, name, ok := a.TypeAndName()
	if !ok || name == "" {
		return "", "", "", fmt.Errorf("job ARN %q names no job", s)
	}
	return a.Account, sm.JobKind(resource), name, nil
}
