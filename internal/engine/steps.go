package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/engine/definition"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// stepKind says how a step type does its work through SageMaker's operations: a job it
// creates and waits for (Processing, Training, Transform), or a resource it creates at once
// (Model, RegisterModel).
type stepKind struct {
	createOp, describeOp, stopOp string
	// nameField is the Create… member naming what the step creates; "" when SageMaker
	// names it (a versioned model package).
	nameField string
	// arnField is the Create… response member holding the ARN of what was created.
	arnField string
	// describeBy is the Describe… member that names it: nameField (given the name) or a
	// member taking the ARN.
	describeBy  string
	metadataKey string // the key of ListPipelineExecutionSteps' Metadata
	// resource is the resource type in a job's ARN; jobs' ARNs are known before they exist.
	resource string
	// sync marks kinds whose step ends when Create… returns.
	sync bool
	// unnamedWith is a Create… member whose presence in Arguments means SageMaker names
	// what is created (ModelPackageGroupName: a version of a group): the step then sends
	// no nameField and describes it by its ARN.
	unnamedWith string
	// tokenField is the Create… member that makes the call idempotent. The step sets it
	// from its job name, so a step cut short by a restart does not create twice.
	tokenField string
	// parent is the container a Create… call puts its resource in, created first when
	// the step's Arguments name one by a name that does not exist yet (a model package
	// group).
	parent *parentOps
}

// parentOps name the member of a Create… request that holds its container, and the
// operations that describe and create the container.
type parentOps struct{ field, describeOp, createOp string }

// stepKindOf returns how a step of type stepType acts through SageMaker's operations, and
// false for a step type that does not (Condition, Fail). The job steps are the vocabulary's
// job kinds.
func stepKindOf(stepType string) (stepKind, bool) {
	if k, ok := sm.JobKindOfStep(stepType); ok {
		return stepKind{createOp: k.CreateOperation(), describeOp: k.DescribeOperation(), stopOp: k.StopOperation(),
			nameField: k.NameMember(), arnField: k.ArnMember(), describeBy: k.NameMember(),
			metadataKey: k.StepType() + "Job", resource: string(k)}, true
	}
	switch stepType {
	case "Model":
		return stepKind{createOp: "CreateModel", describeOp: "DescribeModel", nameField: "ModelName", arnField: "ModelArn",
			describeBy: "ModelName", metadataKey: "Model", sync: true}, true
	case "RegisterModel":
		return stepKind{createOp: "CreateModelPackage", describeOp: "DescribeModelPackage", nameField: "ModelPackageName",
			unnamedWith: "ModelPackageGroupName", tokenField: "ClientToken", arnField: "ModelPackageArn",
			describeBy: "ModelPackageName", metadataKey: "RegisterModel", sync: true,
			parent: &parentOps{field: "ModelPackageGroupName", describeOp: "DescribeModelPackageGroup", createOp: "CreateModelPackageGroup"}}, true
	}
	return stepKind{}, false
}

const tokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// startJobStep does a step's work as the pipeline's execution role. A job step records the
// job's name and ARN before the job is created, so a restart in between finds the job, or
// creates it under the same name.
func (e *Engine) startJobStep(ctx context.Context, r *run, s *definition.Step, st *store.ExecutionStep, env *env) error {
	kind, ok := stepKindOf(s.Type)
	if !ok {
		st.Status, st.FailureReason, st.EndedAt = string(sm.StepFailed), fmt.Sprintf("Step type %s is not supported.", s.Type), e.opts.Now()
		return nil
	}
	if st.JobName == "" || st.Status == string(sm.StepPending) {
		token, err := auth.RandomString(e.opts.Random, tokenAlphabet, definition.JobNameTokenLength)
		if err != nil {
			return err
		}
		if prefix, ok := s.JobNamePrefix(); ok {
			st.JobName = definition.CustomJobName(prefix, r.exec.ID, token, st.AttemptCount)
		} else {
			st.JobName = definition.DefaultJobName(r.exec.ID, s.Name, token)
		}
		st.JobARN = ""
		if kind.resource != "" {
			st.JobARN = jobARN(r.exec, kind, st.JobName)
		}
	}
	st.Status = string(sm.StepStarting)
	st.Metadata = metadata(kind, st.JobARN)
	// Record the name before creating anything.
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
	named := false
	if kind.nameField != "" {
		if _, unnamed := args[kind.unnamedWith]; kind.unnamedWith != "" && unnamed {
			delete(args, kind.nameField)
		} else {
			args[kind.nameField], named = st.JobName, true
		}
	}
	if _, given := args[kind.tokenField]; kind.tokenField != "" && !given {
		args[kind.tokenField] = idempotencyToken(st.JobName)
	}
	if _, ok := args["RoleArn"].(string); !ok && !kind.sync {
		args["RoleArn"] = r.exec.RoleARN
	}
	input, err := json.Marshal(args)
	if err != nil {
		return err
	}
	principal, err := e.executionRole(ctx, r.exec)
	if err != nil {
		var ae *operation.Error
		if !errors.As(err, &ae) {
			// Cairn's own failure: retried on the next pass, its detail in the log only.
			return fmt.Errorf("assume the execution role for step %s: %w", s.Name, err)
		}
		e.failStep(st, ae.Message)
		r.set(st)
		return nil
	}
	if err := e.ensureParent(auth.WithPrincipal(ctx, principal), kind, args); err != nil {
		var ae *operation.Error
		if !errors.As(err, &ae) {
			return fmt.Errorf("%s for step %s: %w", kind.parent.createOp, s.Name, err)
		}
		e.failStep(st, ae.Message)
		r.set(st)
		return nil
	}
	stepCtx := sm.WithPipelineStep(auth.WithPrincipal(ctx, principal),
		sm.PipelineStep{ExecutionARN: r.exec.ARN, ExperimentName: r.exec.ExperimentName, TrialName: r.exec.TrialName})
	out, err := e.opts.SageMaker.InvokeJSON(stepCtx, e.opts.Authorizer, kind.createOp, input)
	var ae *operation.Error
	switch {
	case err == nil:
	case errors.As(err, &ae) && ae.Code == "ResourceInUse" && !kind.sync:
		// Created before a restart.
	case errors.As(err, &ae):
		e.failStep(st, ae.Message)
		r.set(st)
		return nil
	default:
		return fmt.Errorf("%s for step %s: %w", kind.createOp, s.Name, err)
	}
	r.set(st)
	if !kind.sync {
		st.Status = string(sm.StepExecuting)
		return nil
	}
	var created map[string]any
	json.Unmarshal(out, &created)
	arn, _ := created[kind.arnField].(string)
	st.JobARN, st.Metadata = arn, metadata(kind, arn)
	key := arn
	if kind.describeBy == kind.nameField && named {
		key = st.JobName
	}
	props, err := e.describe(ctx, r.exec, kind, key)
	switch {
	case errors.As(err, &ae):
		e.failStep(st, ae.Message)
	case err != nil:
		return err
	default:
		st.Status, st.Properties, st.EndedAt = string(sm.StepSucceeded), string(props), e.opts.Now()
	}
	return nil
}

// ensureParent creates, as the principal in ctx, the container a step's Arguments name
// when it does not exist yet: a RegisterModel step registers into a model package group
// it creates if need be. A container named by ARN is never created.
func (e *Engine) ensureParent(ctx context.Context, kind stepKind, args map[string]any) error {
	p := kind.parent
	if p == nil {
		return nil
	}
	name, ok := args[p.field].(string)
	if !ok || strings.HasPrefix(name, "arn:") {
		return nil
	}
	in, err := json.Marshal(map[string]string{p.field: name})
	if err != nil {
		return err
	}
	if _, err := e.opts.SageMaker.InvokeJSON(ctx, e.opts.Authorizer, p.describeOp, in); err == nil {
		return nil
	}
	_, err = e.opts.SageMaker.InvokeJSON(ctx, e.opts.Authorizer, p.createOp, in)
	var ae *operation.Error
	if errors.As(err, &ae) && ae.Code == "ValidationException" {
		// It exists after all (created meanwhile, or not describable by the role), or the
		// name is not valid, which the Create… call of the step reports.
		return nil
	}
	return err
}

// idempotencyToken is the client token of the Create… call of the step attempt that
// named its job jobName: 32 hexadecimal characters, within every SageMaker token limit.
func idempotencyToken(jobName string) string {
	sum := sha256.Sum256([]byte(jobName))
	return hex.EncodeToString(sum[:16])
}

// metadata is a step's ListPipelineExecutionSteps metadata: {"<Key>": {"Arn": arn}}.
func metadata(kind stepKind, arn string) string {
	if arn == "" {
		return ""
	}
	meta, _ := json.Marshal(map[string]any{kind.metadataKey: map[string]string{"Arn": arn}})
	return string(meta)
}

func (e *Engine) failStep(st *store.ExecutionStep, reason string) {
	st.Status, st.FailureReason, st.EndedAt = string(sm.StepFailed), truncate(reason, 1024), e.opts.Now()
}

// jobARN is the ARN SageMaker gives a job: the execution's region and account, the job's
// name lowercased.
func jobARN(exec *store.PipelineExecution, kind stepKind, name string) string {
	execution, _ := arn.Parse(exec.ARN) // written by StartPipelineExecution
	return arn.SageMaker(execution.Region, exec.AccountID, kind.resource, name)
}

// executionRole is the principal of a session of the execution's role.
func (e *Engine) executionRole(ctx context.Context, exec *store.PipelineExecution) (*auth.Principal, error) {
	p, err := e.opts.Roles.AssumeRole(ctx, exec.RoleARN, "SageMaker-Pipelines-"+exec.ID)
	if err != nil {
		var ae *operation.Error
		if errors.As(err, &ae) {
			return nil, &operation.Error{Code: ae.Code, Status: ae.Status,
				Message: fmt.Sprintf("SageMaker could not assume the pipeline execution role %s: %s", exec.RoleARN, ae.Message)}
		}
		return nil, err
	}
	return p, nil
}
