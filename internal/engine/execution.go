package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/engine/definition"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// maxPasses bounds the passes of one evaluation; each pass makes progress or ends it.
const maxPasses = 10_000

// evaluate brings an execution up to date: pass after pass until nothing changes.
func (e *Engine) evaluate(ctx context.Context, arn string) error {
	for i := 0; i < maxPasses; i++ {
		progressed, err := e.pass(ctx, arn)
		if err != nil || !progressed {
			return err
		}
	}
	return fmt.Errorf("execution %s did not settle after %d passes", arn, maxPasses)
}

// run is what one pass knows of an execution.
type run struct {
	exec        *store.PipelineExecution
	def         *definition.Definition
	steps       map[string]*store.ExecutionStep
	jobs        map[string]*store.Job // by step name, for steps with a job
	dirty       map[string]bool       // steps whose records changed in this pass
	execChanged bool
	// before and execBefore are the statuses last committed, for the log (activity.go).
	before     map[string]sm.StepStatus
	execBefore sm.ExecutionStatus
}

func (r *run) state(name string) definition.StepState {
	st := r.steps[name]
	switch sm.StepStatus(st.Status) {
	case sm.StepSucceeded:
		return definition.StateSucceeded
	case sm.StepFailed, sm.StepStopped:
		return definition.StateFailed
	case sm.StepSkipped:
		return definition.StateSkipped
	}
	return definition.StatePending
}

func (r *run) outcome(name string) bool {
	var props struct{ Outcome string }
	json.Unmarshal([]byte(r.steps[name].Properties), &props)
	return props.Outcome == "True"
}

func (r *run) set(st *store.ExecutionStep) { r.dirty[st.Name] = true }

// load reads an execution, its steps and their jobs.
func (e *Engine) load(ctx context.Context, arn string) (*run, error) {
	r := &run{steps: map[string]*store.ExecutionStep{}, jobs: map[string]*store.Job{}, dirty: map[string]bool{}}
	err := e.store.View(ctx, func(tx State) error {
		exec, err := tx.PipelineExecution(arn)
		if err != nil {
			return err
		}
		r.exec = exec
		steps, err := tx.ExecutionSteps(arn)
		if err != nil {
			return err
		}
		for _, st := range steps {
			r.steps[st.Name] = st
			if st.JobName != "" && sm.StepStatus(st.Status).Running() {
				kind, _ := stepKindOf(st.Type)
				if kind.sync {
					continue
				}
				job, err := tx.Job(exec.AccountID, kind.resource, st.JobName)
				if err == nil {
					r.jobs[st.Name] = job
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !sm.ExecutionStatus(r.exec.Status).Running() {
		return r, nil
	}
	def, err := e.defs.get(r.exec)
	if err != nil {
		return nil, err
	}
	r.def = def
	for i, s := range def.Steps() {
		if r.steps[s.Name] == nil {
			r.steps[s.Name] = &store.ExecutionStep{ExecutionARN: arn, Name: s.Name, Type: s.Type,
				DisplayName: s.DisplayName, Description: s.Description, Order: i}
		}
	}
	r.remember()
	return r, nil
}

// save writes the records a pass changed in one transaction.
func (e *Engine) save(ctx context.Context, r *run) error {
	if len(r.dirty) == 0 && !r.execChanged {
		return nil
	}
	err := e.store.Update(ctx, func(tx Planner) error {
		current, err := tx.PipelineExecution(r.exec.ARN)
		if err != nil {
			return err
		}
		if r.execChanged {
			if current.Status == string(sm.ExecutionStopping) && r.exec.Status == string(sm.ExecutionExecuting) {
				// Stopped meanwhile: keep the request; the next pass honours it.
				r.exec.Status = string(sm.ExecutionStopping)
			}
			r.exec.LastModifiedAt = e.opts.Now()
			if err := tx.UpdatePipelineExecution(r.exec); err != nil {
				return err
			}
		}
		for name := range r.dirty {
			if err := tx.PutExecutionStep(r.steps[name]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		e.logCommitted(r)
	}
	return err
}

// pass makes one round of progress on an execution and reports whether anything changed.
func (e *Engine) pass(ctx context.Context, arn string) (bool, error) {
	r, err := e.load(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if r.def == nil {
		return false, nil // finished
	}
	now := e.opts.Now()
	env := e.newEnv(ctx, r)
	if r.exec.ExperimentName == "" && r.def.PipelineExperimentConfig != nil {
		e.resolveExperiment(r, env)
	}

	// Steps whose jobs ended.
	for name, job := range r.jobs {
		st := r.steps[name]
		if st.Status == string(sm.StepStarting) {
			st.Status = string(sm.StepExecuting)
			r.set(st)
		}
		status := sm.JobStatus(job.Status)
		if !status.Finished() {
			continue
		}
		kind, _ := stepKindOf(st.Type)
		props, err := e.describe(ctx, r.exec, kind, st.JobName)
		var ae *operation.Error
		switch {
		case errors.As(err, &ae):
			// The execution role may not describe its own job: the step fails with the denial.
			e.failStep(st, ae.Message)
			r.set(st)
			continue
		case err != nil:
			return false, err
		}
		st.Properties = string(props)
		st.EndedAt = job.EndedAt
		if st.EndedAt.IsZero() {
			st.EndedAt = now
		}
		switch status {
		case sm.JobCompleted:
			st.Status = string(sm.StepSucceeded)
		case sm.JobFailed:
			st.Status, st.FailureReason = string(sm.StepFailed), job.FailureReason
			if st.FailureReason == "" {
				st.FailureReason = "The job failed."
			}
		default:
			st.Status, st.FailureReason = string(sm.StepStopped), "The job was stopped."
		}
		r.set(st)
	}

	if r.exec.Status == string(sm.ExecutionStopping) {
		return e.stopPass(ctx, r)
	}

	// A step left Starting with nothing created was cut short by a restart between
	// recording its job's name and creating it: create it now, under the same name.
	for _, s := range r.def.Steps() {
		st := r.steps[s.Name]
		if _, ok := stepKindOf(s.Type); ok && st.Status == string(sm.StepStarting) && r.jobs[s.Name] == nil {
			if err := e.startJobStep(ctx, r, s, st, env); err != nil {
				return false, err
			}
		}
	}

	running, failures := 0, []*store.ExecutionStep{}
	for _, s := range r.def.Steps() {
		st := r.steps[s.Name]
		switch sm.StepStatus(st.Status) {
		case sm.StepStarting, sm.StepExecuting, sm.StepStopping:
			running++
		case sm.StepFailed, sm.StepStopped:
			failures = append(failures, st)
		}
	}
	var ready []*definition.Step
	if len(failures) == 0 {
		for _, name := range r.def.TopologicalOrder() {
			st := r.steps[name]
			if st.Status != string(sm.StepPending) {
				continue
			}
			switch r.def.Decide(name, r.state, r.outcome) {
			case definition.Skip:
				st.Status = string(sm.StepSkipped)
				r.set(st)
			case definition.Run:
				ready = append(ready, r.def.Step(name))
			}
		}
	}
	// Steps on a branch not taken may make others skippable; let the next pass see them.
	progressed := len(r.dirty) > 0
	limit := r.exec.MaxParallelSteps
	for _, s := range ready {
		if limit > 0 && running >= limit {
			break
		}
		st := r.steps[s.Name]
		if st.StartedAt.IsZero() || st.Status == string(sm.StepPending) {
			st.StartedAt = now
		}
		st.AttemptCount++
		st.EndedAt = time.Time{}
		r.set(st)
		progressed = true
		switch s.Type {
		case "Condition":
			e.runCondition(r, s, st, env)
		case "Fail":
			e.runFail(r, s, st, env)
		default:
			running++
			if err := e.startJobStep(ctx, r, s, st, env); err != nil {
				return false, err
			}
		}
		if st.Status == string(sm.StepFailed) {
			failures = append(failures, st)
			break // a failing execution starts nothing more
		}
	}
	if running == 0 && len(ready) == 0 && !progressed {
		// Nothing runs and nothing can start: the execution is over.
		if len(failures) > 0 {
			r.exec.Status, r.exec.FailureReason = string(sm.ExecutionFailed), executionFailure(failures)
		} else {
			r.exec.Status = string(sm.ExecutionSucceeded)
		}
		r.execChanged = true
		progressed = true
	}
	if err := e.save(ctx, r); err != nil {
		return false, err
	}
	return progressed && r.exec.Status == string(sm.ExecutionExecuting), nil
}

// executionFailure is the FailureReason of an execution whose steps failed.
func executionFailure(failures []*store.ExecutionStep) string {
	st := failures[0]
	if st.Type == "Fail" {
		return st.FailureReason
	}
	reason := "Step failure: One or multiple steps failed."
	if st.FailureReason != "" {
		reason = fmt.Sprintf("Step %s failed: %s", st.Name, st.FailureReason)
	}
	if len(reason) > 1300 {
		reason = reason[:1300]
	}
	return reason
}

// stopPass stops the jobs of a stopping execution and ends it once none runs.
func (e *Engine) stopPass(ctx context.Context, r *run) (bool, error) {
	running := 0
	for _, s := range r.def.Steps() {
		st := r.steps[s.Name]
		switch sm.StepStatus(st.Status) {
		case sm.StepStarting, sm.StepExecuting, sm.StepStopping:
			running++
			job := r.jobs[s.Name]
			if job == nil || job.Status != string(sm.JobInProgress) {
				if job == nil && st.Status == string(sm.StepStarting) {
					// The job was never created: nothing to wait for.
					st.Status, st.EndedAt, st.FailureReason = string(sm.StepStopped), e.opts.Now(), "The execution was stopped."
					r.set(st)
					running--
				}
				continue
			}
			kind, _ := stepKindOf(s.Type)
			in, _ := json.Marshal(map[string]string{kind.nameField: st.JobName})
			if _, err := e.opts.SageMaker.InvokeJSON(serviceContext(ctx, r.exec.AccountID), nil, kind.stopOp, in); err != nil {
				e.log.Warn("stop job of stopping execution", "job", st.JobName, "err", err)
			}
			if st.Status != string(sm.StepStopping) {
				st.Status = string(sm.StepStopping)
				r.set(st)
			}
		}
	}
	if running == 0 {
		r.exec.Status = string(sm.ExecutionStopped)
		r.execChanged = true
	}
	return false, e.save(ctx, r)
}

// serviceContext is SageMaker acting on its own work in an account (stopping a job,
// reading the state of one): no principal's authorization applies.
func serviceContext(ctx context.Context, account string) context.Context {
	p := auth.ServicePrincipal("sagemaker.amazonaws.com")
	p.Account = account
	return auth.WithPrincipal(ctx, p)
}

// describe returns a job's Describe… response, read as the execution role: the properties
// of the step that ran it.
func (e *Engine) describe(ctx context.Context, exec *store.PipelineExecution, kind stepKind, key string) ([]byte, error) {
	principal, err := e.executionRole(ctx, exec)
	if err != nil {
		return nil, err
	}
	in, _ := json.Marshal(map[string]string{kind.describeBy: key})
	out, err := e.opts.SageMaker.InvokeJSON(auth.WithPrincipal(ctx, principal), e.opts.Authorizer, kind.describeOp, in)
	var ae *operation.Error
	if err != nil && !errors.As(err, &ae) {
		return nil, fmt.Errorf("describe %s: %w", key, err)
	}
	return out, err
}

func (e *Engine) resolveExperiment(r *run, env *env) {
	cfg := r.def.PipelineExperimentConfig
	name, err1 := r.def.Resolve(cfg.ExperimentName, env)
	trial, err2 := r.def.Resolve(cfg.TrialName, env)
	if err1 == nil && err2 == nil {
		r.exec.ExperimentName, r.exec.TrialName = fmt.Sprint(name), fmt.Sprint(trial)
		r.execChanged = true
	}
}

// runCondition decides a Condition step.
func (e *Engine) runCondition(r *run, s *definition.Step, st *store.ExecutionStep, env *env) {
	ok, err := r.def.EvalConditions(s.Conditions, env)
	st.EndedAt = e.opts.Now()
	if err != nil {
		st.Status, st.FailureReason = string(sm.StepFailed), truncate(err.Error(), 1024)
		return
	}
	outcome := "False"
	if ok {
		outcome = "True"
	}
	meta, _ := json.Marshal(map[string]any{"Condition": map[string]string{"Outcome": outcome}})
	props, _ := json.Marshal(map[string]string{"Outcome": outcome})
	st.Status, st.Metadata, st.Properties = string(sm.StepSucceeded), string(meta), string(props)
}

// runFail fails a Fail step with its message.
func (e *Engine) runFail(r *run, s *definition.Step, st *store.ExecutionStep, env *env) {
	msg := ""
	if args, err := r.def.ResolveArguments(s.Name, env); err != nil {
		msg = err.Error()
	} else if m, ok := args["ErrorMessage"]; ok && m != nil {
		msg = fmt.Sprint(m)
	}
	meta, _ := json.Marshal(map[string]any{"Fail": map[string]string{"ErrorMessage": msg}})
	st.Status, st.FailureReason, st.Metadata, st.EndedAt = string(sm.StepFailed), truncate(msg, 1024), string(meta), e.opts.Now()
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// definitionCache keeps parsed definitions of running executions.
type definitionCache struct {
	mu   sync.Mutex
	defs map[string]*definition.Definition
}

func newDefinitionCache() *definitionCache {
	return &definitionCache{defs: map[string]*definition.Definition{}}
}

func (c *definitionCache) get(exec *store.PipelineExecution) (*definition.Definition, error) {
	c.mu.Lock()
	d := c.defs[exec.ARN]
	c.mu.Unlock()
	if d != nil {
		return d, nil
	}
	d, err := definition.Parse([]byte(exec.Definition), definition.ParseOptions{})
	if err != nil {
		return nil, fmt.Errorf("definition of %s: %w", exec.ARN, err)
	}
	c.mu.Lock()
	if len(c.defs) > 10_000 {
		clear(c.defs)
	}
	c.defs[exec.ARN] = d
	c.mu.Unlock()
	return d, nil
}
