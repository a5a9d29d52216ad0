package jobs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// phase is a point in a job's run. A kind whose jobs have a secondary status (training
// jobs' SecondaryStatus and SecondaryStatusTransitions) names the status of each phase,
// and a transition is recorded when the job enters it.
type phase int

const (
	phaseStarting    phase = iota // accepted; preparing the run
	phaseDownloading              // staging inputs
	phaseRunning                  // the job's process runs
	phaseUploading                // uploading outputs
	phaseStopping                 // a stop was asked for
	phaseCompleted
	phaseFailed
	phaseStopped
	phaseTimedOut // stopped for running longer than its StoppingCondition allows
)

// secondaryStatuses is implemented by kinds whose jobs have a secondary status.
type secondaryStatuses interface {
	// secondary returns the status a job has in phase p and the message recorded with
	// it; status is "" for a phase the kind does not report.
	secondary(p phase) (status sm.SecondaryStatus, message string)
}

// ender is implemented by kinds with work to do however a job's process ended (training
// uploads the model of a stopped job too, reads metrics from the log, and explains a
// failure from /opt/ml/output/failure). It replaces finish: it may change e, and adds the
// Describe… members to record to e.details.
type ender interface {
	end(ctx context.Context, m *Manager, job *store.Job, dir string, res runner.Result, e *ending)
}

// ending is how a job ends, as recorded.
type ending struct {
	status              sm.JobStatus
	reason, exitMessage string
	phase               phase
	details             sm.JobDetails
}

// endAs is the ending of a job that ends with status for reason, with nothing of its own
// to record.
func endAs(status sm.JobStatus, reason string) ending {
	return ending{status: status, reason: reason, phase: finalPhase(status)}
}

// moved records that job entered phase p (message "" takes the kind's own), for kinds with
// secondary statuses; a failure to record it is logged, not fatal to the job.
func (m *Manager) moved(ctx context.Context, job *store.Job, p phase, message string) {
	if _, ok := secondaryOf(job); !ok {
		return
	}
	err := m.store.Update(ctx, func(tx txn) error {
		current, err := tx.Job(job.AccountID, job.Kind, job.Name)
		if err != nil {
			return err
		}
		if changed, err := enterPhase(current, p, message, m.opts.Now()); err != nil || !changed {
			return err
		}
		return tx.UpdateJob(current)
	})
	if err != nil {
		m.log.Error("record job status", "job", job.ARN, "err", err)
	}
}

// secondaryOf returns the secondary statuses of job's kind, if it has them.
func secondaryOf(job *store.Job) (secondaryStatuses, bool) {
	k, _ := kindOf(sm.JobKind(job.Kind))
	s, ok := k.(secondaryStatuses)
	return s, ok
}

// enterPhase adds to job the transition into p: the open transition ends at now and one
// for p starts (and, for a final phase, ends) at now. It reports whether job changed.
func enterPhase(job *store.Job, p phase, message string, now time.Time) (bool, error) {
	k, ok := secondaryOf(job)
	if !ok {
		return false, nil
	}
	status, defaultMessage := k.secondary(p)
	if status == "" || string(status) == job.Secondary {
		return false, nil
	}
	if message == "" {
		message = defaultMessage
	}
	details, err := sm.ParseJobDetails(job.Details)
	if err != nil {
		return false, fmt.Errorf("%s: %w", job.ARN, err)
	}
	list := details.SecondaryStatusTransitions
	if p == phaseStopping && slices.ContainsFunc(list, func(t sm.SecondaryStatusTransition) bool { return t.Status == status }) {
		// A job is stopped once: a later reconcile of the same stop (after a restart, when
		// the run has moved on to Uploading) adds nothing.
		return false, nil
	}
	if len(list) == 0 && p != phaseStarting {
		if start, msg := k.secondary(phaseStarting); start != "" && start != status {
			list = append(list, sm.SecondaryStatusTransition{Status: start, StartTime: operation.NewTimestamp(job.CreatedAt), StatusMessage: msg})
		}
	}
	at := operation.NewTimestamp(now)
	if n := len(list); n > 0 && list[n-1].EndTime == nil {
		list[n-1].EndTime = at
	}
	t := sm.SecondaryStatusTransition{Status: status, StartTime: at, StatusMessage: message}
	switch p {
	case phaseCompleted, phaseFailed, phaseStopped, phaseTimedOut:
		t.EndTime = at
	}
	details.SecondaryStatusTransitions = append(list, t)
	if job.Details, err = details.Encode(); err != nil {
		return false, fmt.Errorf("%s: %w", job.ARN, err)
	}
	job.Secondary = string(status)
	job.LastModifiedAt = now
	return true, nil
}

// endingOf is how a job whose process ended with res ends, before its kind's own work.
func endingOf(res runner.Result, logPath string) ending {
	switch {
	case res.Err != "":
		return endAs(sm.JobFailed, "InternalServerError: "+res.Err)
	case res.Stopped:
		return endAs(sm.JobStopped, "")
	case res.TimedOut:
		return ending{status: sm.JobStopped, reason: fmt.Sprintf("MaxRuntimeExceeded: the job ran longer than its StoppingCondition allows and was stopped after %s.", res.EndedAt.Sub(res.StartedAt).Round(time.Second)), phase: phaseTimedOut}
	case !res.Succeeded():
		return ending{status: sm.JobFailed, reason: algorithmError(res), exitMessage: logTail(logPath), phase: phaseFailed}
	}
	return endAs(sm.JobCompleted, "")
}

// finalPhase is the phase of a job that ends with status.
func finalPhase(status sm.JobStatus) phase {
	switch status {
	case sm.JobCompleted:
		return phaseCompleted
	case sm.JobStopped:
		return phaseStopped
	}
	return phaseFailed
}

// mergeDetails adds details to a job's recorded Describe… members.
func mergeDetails(job *store.Job, details sm.JobDetails) error {
	all, err := sm.ParseJobDetails(job.Details)
	if err != nil {
		return fmt.Errorf("%s: %w", job.ARN, err)
	}
	all.Merge(details)
	if job.Details, err = all.Encode(); err != nil {
		return fmt.Errorf("%s: %w", job.ARN, err)
	}
	return nil
}
