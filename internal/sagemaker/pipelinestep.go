package sagemaker

import "context"

// PipelineStep is what a pipeline execution tells SageMaker of the job it creates for one
// of its steps, beside the request: SageMaker tags the job with the execution's ARN
// (sagemaker:pipeline-execution-arn) and records the job's trial component in the
// execution's trial, creating the experiment and the trial the execution's
// PipelineExperimentConfig names with its first job.
type PipelineStep struct {
	ExecutionARN string
	// ExperimentName and TrialName are the execution's PipelineExperimentConfig, resolved;
	// empty when the definition has none.
	ExperimentName, TrialName string
}

type pipelineStepKey struct{}

// WithPipelineStep returns ctx carrying the pipeline step a request is made for. Only
// the pipeline engine, inside the process, sets it: no client request carries it.
func WithPipelineStep(ctx context.Context, s PipelineStep) context.Context {
	return context.WithValue(ctx, pipelineStepKey{}, s)
}

// PipelineStepFrom returns the pipeline step a request is made for, if any.
func PipelineStepFrom(ctx context.Context) (PipelineStep, bool) {
	s, ok := ctx.Value(pipelineStepKey{}).(PipelineStep)
	return s, ok
}

// PipelineExecutionTag is the tag SageMaker puts on a job a pipeline execution created,
// with the execution's ARN as its value.
const PipelineExecutionTag = "sagemaker:pipeline-execution-arn"
