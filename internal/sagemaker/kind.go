package sagemaker

// JobKind is a kind of SageMaker job, spelled as the resource type of its ARNs
// (arn:aws:sagemaker:<region>:<account>:processing-job/<name>).
type JobKind string

// The kinds of job Cairn runs.
const (
	ProcessingJob JobKind = "processing-job"
	TrainingJob   JobKind = "training-job"
	TransformJob  JobKind = "transform-job"
)

// JobKinds are the kinds of job Cairn runs.
func JobKinds() []JobKind { return []JobKind{ProcessingJob, TrainingJob, TransformJob} }

// jobNames is what names a kind of job on the wire: the noun its operations and members
// are built from, and the type of the pipeline step that runs it.
type jobNames struct {
	noun     string
	stepType string
}

// names is the table of job kinds: the one place a kind's names are written. A new kind
// (tuning jobs) is a new line here.
func (k JobKind) names() (jobNames, bool) {
	switch k {
	case ProcessingJob:
		return jobNames{noun: "Processing", stepType: "Processing"}, true
	case TrainingJob:
		return jobNames{noun: "Training", stepType: "Training"}, true
	case TransformJob:
		return jobNames{noun: "Transform", stepType: "Transform"}, true
	}
	return jobNames{}, false
}

// Known reports whether k is a kind of job Cairn runs.
func (k JobKind) Known() bool {
	_, ok := k.names()
	return ok
}

// JobKindOfStep returns the kind of job a pipeline step of type stepType runs.
func JobKindOfStep(stepType string) (JobKind, bool) {
	for _, k := range JobKinds() {
		if n, _ := k.names(); n.stepType == stepType {
			return k, true
		}
	}
	return "", false
}

// Noun is the word operation and member names are built from: Processing, Training,
// Transform.
func (k JobKind) Noun() string {
	n, _ := k.names()
	return n.noun
}

// StepType is the type of the pipeline step that runs jobs of kind k.
func (k JobKind) StepType() string {
	n, _ := k.names()
	return n.stepType
}

// CreateOperation is the operation that creates a job of kind k: CreateProcessingJob.
func (k JobKind) CreateOperation() string { return "Create" + k.Noun() + "Job" }

// DescribeOperation is the operation that describes a job of kind k.
func (k JobKind) DescribeOperation() string { return "Describe" + k.Noun() + "Job" }

// ListOperation is the operation that lists jobs of kind k.
func (k JobKind) ListOperation() string { return "List" + k.Noun() + "Jobs" }

// StopOperation is the operation that stops a job of kind k.
func (k JobKind) StopOperation() string { return "Stop" + k.Noun() + "Job" }

// NameMember is the request member naming a job of kind k: ProcessingJobName.
func (k JobKind) NameMember() string { return k.Noun() + "JobName" }

// ArnMember is the response member holding a job's ARN: ProcessingJobArn.
func (k JobKind) ArnMember() string { return k.Noun() + "JobArn" }
