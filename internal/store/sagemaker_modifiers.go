package store

// PipelineExecutionModifierTx records who last changed each pipeline execution: the
// principal that stopped, retried or updated it. With a shared pipeline that principal may
// belong to another account than the execution, which runs in the pipeline owner's.
type PipelineExecutionModifierTx interface {
	// SetPipelineExecutionModifiedBy records principalARN as the last principal to change
	// the execution.
	SetPipelineExecutionModifiedBy(executionARN, principalARN string) error
	// PipelineExecutionModifiedBy returns the principal that last changed the execution,
	// or ErrNotFound when none has since it started (its creator is the last).
	PipelineExecutionModifiedBy(executionARN string) (string, error)
}
