// Package sagemaker is SageMaker's vocabulary, shared by the service that serves it
// (internal/service/sagemaker), the pipeline engine (internal/engine) and the job runner
// (internal/jobs): the statuses of executions, steps and jobs, the kinds of job, and the
// request and response shapes of jobs, models and model packages, with the constraints
// SageMaker's model declares on them (as struct tags, see internal/operation) and the
// checks those cannot say.
//
// It holds words, not work: it imports only the operation model (for timestamps and
// errors) and the standard library, never the store or a wire codec.
package sagemaker
