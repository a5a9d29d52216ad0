package sagemaker

// ExecutionStatus is the status of a pipeline execution.
type ExecutionStatus string

// Execution statuses.
const (
	ExecutionExecuting ExecutionStatus = "Executing"
	ExecutionStopping  ExecutionStatus = "Stopping"
	ExecutionStopped   ExecutionStatus = "Stopped"
	ExecutionFailed    ExecutionStatus = "Failed"
	ExecutionSucceeded ExecutionStatus = "Succeeded"
)

// Running reports whether an execution in status s still has work to do.
func (s ExecutionStatus) Running() bool {
	return s == ExecutionExecuting || s == ExecutionStopping
}

// StepStatus is the status of one step of a pipeline execution.
type StepStatus string

// Step statuses. StepPending and StepSkipped are Cairn's own: a step not reached yet, and
// one on a branch a Condition step did not take; ListPipelineExecutionSteps lists neither.
const (
	StepPending   StepStatus = ""
	StepStarting  StepStatus = "Starting"
	StepExecuting StepStatus = "Executing"
	StepStopping  StepStatus = "Stopping"
	StepStopped   StepStatus = "Stopped"
	StepFailed    StepStatus = "Failed"
	StepSucceeded StepStatus = "Succeeded"
	StepSkipped   StepStatus = "Skipped"
)

// Running reports whether a step in status s has work under way.
func (s StepStatus) Running() bool {
	return s == StepStarting || s == StepExecuting || s == StepStopping
}

// Listed reports whether ListPipelineExecutionSteps shows a step in status s.
func (s StepStatus) Listed() bool { return s != StepPending && s != StepSkipped }

// JobStatus is the status of a processing, training or transform job.
type JobStatus string

// Job statuses.
const (
	JobInProgress JobStatus = "InProgress"
	JobCompleted  JobStatus = "Completed"
	JobFailed     JobStatus = "Failed"
	JobStopping   JobStatus = "Stopping"
	JobStopped    JobStatus = "Stopped"
)

// JobStatuses are the job statuses in the order SageMaker's enum lists them.
func JobStatuses() []JobStatus {
	return []JobStatus{JobInProgress, JobCompleted, JobFailed, JobStopping, JobStopped}
}

// Finished reports whether a job in status s has ended.
func (s JobStatus) Finished() bool {
	return s == JobCompleted || s == JobFailed || s == JobStopped
}

// SecondaryStatus is a training job's SecondaryStatus: where in its run the job is.
type SecondaryStatus string

// The secondary statuses Cairn's training jobs pass through.
const (
	SecondaryStarting           SecondaryStatus = "Starting"
	SecondaryDownloading        SecondaryStatus = "Downloading"
	SecondaryTraining           SecondaryStatus = "Training"
	SecondaryUploading          SecondaryStatus = "Uploading"
	SecondaryStopping           SecondaryStatus = "Stopping"
	SecondaryCompleted          SecondaryStatus = "Completed"
	SecondaryFailed             SecondaryStatus = "Failed"
	SecondaryStopped            SecondaryStatus = "Stopped"
	SecondaryMaxRuntimeExceeded SecondaryStatus = "MaxRuntimeExceeded"
)
