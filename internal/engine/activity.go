package engine

import (
	"log/slog"
	"time"

	sm "github.com/cairnhq/cairn/internal/sagemaker"
)

// The engine tells, at INFO, what an operator follows an execution by: when it starts and
// ends, and when each of its steps starts (with its job) and ends (with its outcome).
// Each line is written once the transition is committed, from the statuses a pass loaded
// and those it saved.

// remember notes the statuses a pass starts from.
func (r *run) remember() {
	r.before = make(map[string]sm.StepStatus, len(r.steps))
	for name, st := range r.steps {
		r.before[name] = sm.StepStatus(st.Status)
	}
	r.execBefore = sm.ExecutionStatus(r.exec.Status)
}

// logCommitted logs the transitions a save has just committed, and takes them as the
// statuses the rest of the pass starts from.
func (e *Engine) logCommitted(r *run) {
	exec := slog.String("execution", r.exec.ARN)
	firstStart := r.execBefore == sm.ExecutionExecuting
	for _, status := range r.before {
		if status != sm.StepPending {
			firstStart = false
			break
		}
	}
	if firstStart && len(r.dirty) > 0 {
		e.log.Info("pipeline execution started", exec, slog.String("pipeline", r.exec.PipelineName),
			slog.String("account", r.exec.AccountID))
	}
	for name := range r.dirty {
		st := r.steps[name]
		now, was := sm.StepStatus(st.Status), r.before[name]
		if now == was {
			continue
		}
		attrs := []any{exec, slog.String("step", name), slog.String("type", st.Type)}
		if st.JobName != "" {
			attrs = append(attrs, slog.String("job", st.JobName))
		}
		switch now {
		case sm.StepStarting:
			e.log.Info("step started", append(attrs, slog.Int("attempt", st.AttemptCount))...)
		case sm.StepSucceeded, sm.StepFailed, sm.StepStopped:
			attrs = append(attrs, slog.String("status", string(now)))
			if !st.StartedAt.IsZero() && !st.EndedAt.IsZero() {
				attrs = append(attrs, slog.Duration("duration", st.EndedAt.Sub(st.StartedAt).Round(time.Millisecond)))
			}
			if st.FailureReason != "" {
				attrs = append(attrs, slog.String("reason", st.FailureReason))
			}
			e.log.Info("step ended", attrs...)
		case sm.StepSkipped:
			e.log.Info("step skipped", attrs...)
		}
	}
	if now := sm.ExecutionStatus(r.exec.Status); now != r.execBefore && !now.Running() {
		attrs := []any{exec, slog.String("status", string(now)),
			slog.Duration("duration", e.opts.Now().Sub(r.exec.CreatedAt).Round(time.Millisecond))}
		if r.exec.FailureReason != "" {
			attrs = append(attrs, slog.String("reason", r.exec.FailureReason))
		}
		e.log.Info("pipeline execution ended", attrs...)
	}
	r.remember()
}
