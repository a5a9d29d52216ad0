package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/runner"
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
	secondary(p phase) (status, message string)
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
	status, reason, exitMessage string
	phase                       phase
	details                     map[string]any
}

// statusTransition is one entry of a job's SecondaryStatusTransitions.
type statusTransition struct {
	Status        string
	StartTime     *operation.Timestamp
	EndTime       *operation.Timestamp `json:",omitempty"`
	StatusMessage string               `json:",omitempty"`
}

// moved records that job entered phase p (message "" takes the kind's own), for kinds with
// secondary statuses; a failure to record it is logged, not fatal to the job.
func (m *Manager) moved(ctx context.Context, job *store.Job, p phase, message string) {
	if _, ok := kinds[job.Kind].(secondaryStatuses); !ok {
		return
	}
	err := m.opts.Store.Update(ctx, func(tx store.Tx) error {
		current, err := tx.Job(job.AccountID, job.Kind, job.Name)
		if err != nil {
			return err
		}
		if !enterPhase(current, p, message, m.opts.Now()) {
			return nil
		}
		return tx.UpdateJob(current)
	})
	if err != nil {
		m.log.Error("record job status", "job", job.ARN, "err", err)
	}
}

// enterPhase adds to job the transition into p: the open transition ends at now and one
// for p starts (and, for a final phase, ends) at now. It reports whether job changed.
func enterPhase(job *store.Job, p phase, message string, now time.Time) bool {
	k, ok := kinds[job.Kind].(secondaryStatuses)
	if !ok {
		return false
	}
	status, defaultMessage := k.secondary(p)
	if status == "" || status == job.Secondary {
		return false
	}
	if message == "" {
		message = defaultMessage
	}
	details := map[string]any{}
	if job.Details != "" {
		json.Unmarshal([]byte(job.Details), &details)
	}
	var list []statusTransition
	if raw, ok := details["SecondaryStatusTransitions"]; ok {
		b, _ := json.Marshal(raw)
		json.Unmarshal(b, &list)
	}
	if len(list) == 0 && p != phaseStarting {
		if start, msg := k.secondary(phaseStarting); start != "" && start != status {
			list = append(list, statusTransition{Status: start, StartTime: operation.NewTimestamp(job.CreatedAt), StatusMessage: msg})
		}
	}
	at := operation.NewTimestamp(now)
	if n := len(list); n > 0 && list[n-1].EndTime == nil {
		list[n-1].EndTime = at
	}
	t := statusTransition{Status: status, StartTime: at, StatusMessage: message}
	switch p {
	case phaseCompleted, phaseFailed, phaseStopped, phaseTimedOut:
		t.EndTime = at
	}
	details["SecondaryStatusTransitions"] = append(list, t)
	job.Secondary = status
	job.Details = encodeDetails(details)
	job.LastModifiedAt = now
	return true
}

// endingOf is how a job whose process ended with res ends, before its kind's own work.
func endingOf(res runner.Result, logPath string) ending {
	switch {
	case res.Err != "":
		return ending{status: "Failed", reason: "InternalServerError: " + res.Err, phase: phaseFailed}
	case res.Stopped:
		return ending{status: "Stopped", phase: phaseStopped}
	case res.TimedOut:
		return ending{status: "Stopped", reason: fmt.Sprintf("MaxRuntimeExceeded: the job ran longer than its StoppingCondition allows and was stopped after %s.", res.EndedAt.Sub(res.StartedAt).Round(time.Second)), phase: phaseTimedOut}
	case !res.Succeeded():
		return ending{status: "Failed", reason: algorithmError(res), exitMessage: logTail(logPath), phase: phaseFailed}
	}
	return ending{status: "Completed", phase: phaseCompleted}
}

// finalPhase is the phase of a job that ends with status.
func finalPhase(status string) phase {
	switch status {
	case "Completed":
		return phaseCompleted
	case "Stopped":
		return phaseStopped
	}
	return phaseFailed
}

// mergeDetails adds details to a job's recorded Describe… members.
func mergeDetails(job *store.Job, details map[string]any) {
	if len(details) == 0 {
		return
	}
	all := map[string]any{}
	if job.Details != "" {
		json.Unmarshal([]byte(job.Details), &all)
	}
	for k, v := range details {
		all[k] = v
	}
	job.Details = encodeDetails(all)
}
