package engine

import "github.com/cairnhq/cairn/internal/store"

// The engine sees the store through two small interfaces, as a scheduler sees its cluster:
// State, the consistent view a pass reads (an execution, its steps, the jobs they launched),
// and Planner, the transaction that records what the pass decided. Everything else a step
// does — creating a job, reading a property file — goes through SageMaker's and S3's
// operations as the execution role, never through the store.

// State is what the engine reads.
type State interface {
	PipelineExecution(arn string) (*store.PipelineExecution, error)
	// ListPipelineExecutions with pipelineARN "" lists the executions with one of the
	// statuses in every account.
	ListPipelineExecutions(pipelineARN string, statuses ...string) ([]*store.PipelineExecution, error)
	ExecutionSteps(executionARN string) ([]*store.ExecutionStep, error)
	ExecutionStepByJob(jobARN string) (*store.ExecutionStep, error)
	Job(accountID, kind, name string) (*store.Job, error)
}

// Planner records a pass's decisions: the execution's new state and its steps'.
type Planner interface {
	State
	UpdatePipelineExecution(*store.PipelineExecution) error
	PutExecutionStep(*store.ExecutionStep) error
}
