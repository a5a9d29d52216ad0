package store

import "time"

// Pipeline is a SageMaker pipeline.
type Pipeline struct {
	AccountID   string
	Name        string
	ARN         string
	DisplayName string
	Description string
	RoleARN     string
	Definition  string
	Status      string // Active, Deleting
	// MaxParallelSteps is ParallelismConfiguration.MaxParallelExecutionSteps (0: none).
	MaxParallelSteps int
	// Version is the PipelineVersionId, raised by every update.
	Version            int64
	ClientRequestToken string
	CreatedBy          string
	LastModifiedBy     string
	CreatedAt          time.Time
	LastModifiedAt     time.Time
	LastRunAt          time.Time
}

// PipelineExecution is one run of a pipeline.
type PipelineExecution struct {
	ARN             string
	ID              string // the 12-character execution id
	AccountID       string
	PipelineName    string
	PipelineARN     string
	PipelineVersion int64
	DisplayName     string
	Description     string
	Status          string // Executing, Stopping, Stopped, Failed, Succeeded
	FailureReason   string
	// Definition is the pipeline definition as it was when the execution started.
	Definition string
	// Parameters are the execution's parameter values, as strings, by name.
	Parameters         []Parameter
	RoleARN            string
	MaxParallelSteps   int
	ClientRequestToken string
	ExperimentName     string
	TrialName          string
	CreatedBy          string
	// LastModifiedBy is the principal that last stopped, retried or updated the
	// execution ("" when none has: its creator is the last); with a shared pipeline, a
	// principal of another account than the execution's.
	LastModifiedBy string
	CreatedAt      time.Time
	LastModifiedAt time.Time
}

// Parameter is a pipeline parameter value.
type Parameter struct {
	Name  string
	Value string
}

// ExecutionStep is the state of one step of an execution.
type ExecutionStep struct {
	ExecutionARN string
	Name         string
	Type         string
	DisplayName  string
	Description  string
	// Status is Starting, Executing, Stopping, Stopped, Failed, Succeeded, or Skipped for a
	// step on a branch not taken (never listed).
	Status        string
	FailureReason string
	// Metadata is the step's ListPipelineExecutionSteps metadata as JSON.
	Metadata string
	// Properties is the step's Describe… shape as JSON, what Steps.<Name>.… resolves.
	Properties   string
	AttemptCount int
	// JobName and JobARN name the job the step launched, if any.
	JobName   string
	JobARN    string
	StartedAt time.Time
	EndedAt   time.Time
	// Order is the step's position in the definition, for stable listing.
	Order int
}

// Job is a SageMaker job (processing, training, transform).
type Job struct {
	AccountID string
	Kind      string // processing-job, training-job, transform-job
	Name      string
	ARN       string
	// Request is the Create… request as JSON.
	Request       string
	Status        string // InProgress, Completed, Failed, Stopping, Stopped
	FailureReason string
	ExitMessage   string
	// Secondary is the training job's secondary status; Details other Describe…
	// members the job produced (JSON object, e.g. FinalMetricDataList).
	Secondary      string
	Details        string
	RoleARN        string
	CreatedAt      time.Time
	StartedAt      time.Time
	EndedAt        time.Time
	LastModifiedAt time.Time
}

// JobFilter selects jobs of one kind in one account.
type JobFilter struct {
	AccountID    string
	Kind         string
	NameContains string
	Status       string
	// Unfinished selects jobs that are InProgress or Stopping, in every account.
	Unfinished bool
}

// SageMakerTx reads and writes pipelines, executions and jobs. Their tags are TagTx's,
// under their ARNs; deleting a pipeline deletes its tags.
type SageMakerTx interface {
	Pipeline(accountID, name string) (*Pipeline, error)
	// PipelineSummary is Pipeline without the Definition.
	PipelineSummary(accountID, name string) (*Pipeline, error)
	PipelineByToken(accountID, token string) (*Pipeline, error)
	// ListPipelines returns all of an account's pipelines, oldest first, without their
	// Definition (what Search reads of them).
	ListPipelines(accountID string) ([]*Pipeline, error)
	// ListPipelinePage returns one page of an account's pipelines without their
	// Definition: what a list shows, reading only the page's rows.
	ListPipelinePage(q PipelinePage) ([]*Pipeline, error)
	CreatePipeline(*Pipeline) error
	UpdatePipeline(*Pipeline) error
	DeletePipeline(accountID, name string) error

	PipelineExecution(arn string) (*PipelineExecution, error)
	PipelineExecutionByToken(pipelineARN, token string) (*PipelineExecution, error)
	// ListPipelineExecutions returns a pipeline's executions; pipelineARN "" lists those
	// with one of the statuses in every account.
	ListPipelineExecutions(pipelineARN string, statuses ...string) ([]*PipelineExecution, error)
	// ListPipelineExecutionPage returns one page of a pipeline's executions without their
	// Definition and Parameters: what a list of them shows, read without the definition
	// each one copied, and only the page's rows (a pipeline of 10,000 executions is
	// otherwise 10,000 rows and definitions per page of a list).
	ListPipelineExecutionPage(q ExecutionPage) ([]*PipelineExecution, error)
	CreatePipelineExecution(*PipelineExecution) error
	UpdatePipelineExecution(*PipelineExecution) error

	ExecutionSteps(executionARN string) ([]*ExecutionStep, error)
	PutExecutionStep(*ExecutionStep) error
	ExecutionStepByJob(jobARN string) (*ExecutionStep, error)

	Job(accountID, kind, name string) (*Job, error)
	ListJobs(JobFilter) ([]*Job, error)
	CreateJob(*Job) error
	UpdateJob(*Job) error
}

// ExecutionPage asks for one page of a pipeline's executions.
type ExecutionPage struct {
	PipelineARN string
	// CreatedAfter and CreatedBefore bound the creation time, each excluded; zero is no
	// bound.
	CreatedAfter, CreatedBefore time.Time
	// ByARN orders by ARN; otherwise by creation time, ties by ARN. Descending reverses the
	// order, ties included.
	ByARN, Descending bool
	// Offset rows of the order are skipped and at most Limit returned.
	Offset, Limit int
}

// PipelinePage asks for one page of an account's pipelines.
type PipelinePage struct {
	AccountID string
	// NamePrefix keeps the pipelines whose name starts with it, case counting.
	NamePrefix string
	// CreatedAfter and CreatedBefore bound the creation time, each excluded; zero is no
	// bound.
	CreatedAfter, CreatedBefore time.Time
	// ByName orders by name; otherwise by creation time, ties by name. Descending
	// reverses the order, ties included.
	ByName, Descending bool
	// Offset rows of the order are skipped and at most Limit returned.
	Offset, Limit int
}
