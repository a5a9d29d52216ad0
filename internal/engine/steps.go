package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/engine/definition"
	"github.com/cairnhq/cairn/internal/store"
)

// jobKind says how a step type runs its job through SageMaker's operations.
type jobKind struct {
	createOp, describeOp, stopOp string
	nameField, arnField          string
	metadataKey                  string // the key of ListPipelineExecutionSteps' Metadata
	resource                     string // the resource type in the job's ARN
}

// jobKinds are the step types that launch a job.
var jobKinds = map[string]jobKind{
	"Processing": {createOp: "CreateProcessingJob", describeOp: "DescribeProcessingJob", stopOp: "StopProcessingJob",
		nameField: "ProcessingJobName", arnField: "ProcessingJobArn", metadataKey: "ProcessingJob", resource: "processing-job"},
}

const tokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// startJobStep creates a step's job as the pipeline's execution role. The step records the
// job's name and ARN before the job is created, so a restart in between finds the job, or
// creates it under the same name.
func (e *Engine) startJobStep(ctx context.Context, r *run, s *definition.Step, st *store.ExecutionStep, env *env) error {
	kind, ok := jobKinds[s.Type]
	if !ok {
		st.Status, st.FailureReason, st.EndedAt = failed, fmt.Sprintf("Step type %s is not supported.", s.Type), e.opts.Now()
		return nil
	}
	if st.JobName == "" || st.Status == pending {
		token, err := auth.RandomString(e.opts.Random, tokenAlphabet, definition.JobNameTokenLength)
		if err != nil {
			return err
		}
		if prefix, ok := s.JobNamePrefix(); ok {
			st.JobName = definition.CustomJobName(prefix, r.exec.ID, token, st.AttemptCount)
		} else {
			st.JobName = definition.DefaultJobName(r.exec.ID, s.Name, token)
		}
		st.JobARN = jobARN(r.exec, kind, st.JobName)
	}
	st.Status = starting
	meta, _ := json.Marshal(map[string]any{kind.metadataKey: map[string]string{"Arn": st.JobARN}})
	st.Metadata = string(meta)
	// Record the job's name before creating it.
	if err := e.save(ctx, r); err != nil {
		return err
	}
	r.dirty = map[string]bool{}
	r.execChanged = false

	env.jobName = st.JobName
	defer func() { env.jobName = "" }()
	args, err := r.def.ResolveArguments(s.Name, env)
	if err != nil {
		e.failStep(st, err.Error())
		r.set(st)
		return nil
	}
	args[kind.nameField] = st.JobName
	if _, ok := args["RoleArn"].(string); !ok {
		args["RoleArn"] = r.exec.RoleARN
	}
	input, err := json.Marshal(args)
	if err != nil {
		return err
	}
	principal, err := e.executionRole(ctx, r.exec)
	if err != nil {
		e.failStep(st, err.Error())
		r.set(st)
		return nil
	}
	_, err = e.opts.SageMaker.InvokeJSON(auth.WithPrincipal(ctx, principal), e.opts.Authorizer, kind.createOp, input)
	var ae *awsproto.Error
	switch {
	case err == nil, errors.As(err, &ae) && ae.Code == "ResourceInUse":
		// Created now, or before a restart.
		st.Status = executing
	case errors.As(err, &ae):
		e.failStep(st, ae.Message)
	default:
		return fmt.Errorf("create %s for step %s: %w", st.JobName, s.Name, err)
	}
	r.set(st)
	return nil
}

func (e *Engine) failStep(st *store.ExecutionStep, reason string) {
	st.Status, st.FailureReason, st.EndedAt = failed, truncate(reason, 1024), e.opts.Now()
}

// jobARN is the ARN SageMaker gives a job: its name lowercased.
func jobARN(exec *store.PipelineExecution, kind jobKind, name string) string {
	region := regionOf(exec.ARN)
	b := []byte(name)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return "arn:aws:sagemaker:" + region + ":" + exec.AccountID + ":" + kind.resource + "/" + string(b)
}

func regionOf(arn string) string {
	var parts [5]string
	n := 0
	start := 0
	for i := 0; i < len(arn) && n < 5; i++ {
		if arn[i] == ':' {
			parts[n] = arn[start:i]
			n++
			start = i + 1
		}
	}
	return parts[3]
}

// executionRole is the principal of a session of the execution's role.
func (e *Engine) executionRole(ctx context.Context, exec *store.PipelineExecution) (*auth.Principal, error) {
	p, err := e.opts.Roles.AssumeRole(ctx, exec.RoleARN, "SageMaker-Pipelines-"+exec.ID)
	if err != nil {
		var ae *awsproto.Error
		if errors.As(err, &ae) {
			return nil, &awsproto.Error{Code: ae.Code, Status: ae.Status,
				Message: fmt.Sprintf("SageMaker could not assume the pipeline execution role %s: %s", exec.RoleARN, ae.Message)}
		}
		return nil, err
	}
	return p, nil
}
