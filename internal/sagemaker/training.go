package sagemaker

import (
	"encoding/json"

	"github.com/cairnhq/cairn/internal/operation"
)

// CreateTrainingJobInput is the CreateTrainingJob request. Members Cairn does not act on
// (VPC, checkpoints, debugger, profiler, experiments…) are kept and described as given.
type CreateTrainingJobInput struct {
	TrainingJobName                       string                  `required:"true"`
	HyperParameters                       map[string]string       `json:",omitempty"`
	AlgorithmSpecification                *AlgorithmSpecification `json:",omitempty"`
	RoleArn                               string                  `required:"true"`
	InputDataConfig                       []Channel               `json:",omitempty"`
	OutputDataConfig                      *OutputDataConfig       `required:"true"`
	ResourceConfig                        *ResourceConfig         `json:",omitempty"`
	StoppingCondition                     *TrainingStopCondition  `json:",omitempty"`
	Environment                           map[string]string       `json:",omitempty"`
	Tags                                  []Tag                   `json:",omitempty"`
	EnableNetworkIsolation                *bool                   `json:",omitempty"`
	EnableInterContainerTrafficEncryption *bool                   `json:",omitempty"`
	EnableManagedSpotTraining             *bool                   `json:",omitempty"`
	VpcConfig                             json.RawMessage         `json:",omitempty"`
	CheckpointConfig                      json.RawMessage         `json:",omitempty"`
	DebugHookConfig                       json.RawMessage         `json:",omitempty"`
	DebugRuleConfigurations               json.RawMessage         `json:",omitempty"`
	TensorBoardOutputConfig               json.RawMessage         `json:",omitempty"`
	ExperimentConfig                      json.RawMessage         `json:",omitempty"`
	ProfilerConfig                        json.RawMessage         `json:",omitempty"`
	ProfilerRuleConfigurations            json.RawMessage         `json:",omitempty"`
	RetryStrategy                         json.RawMessage         `json:",omitempty"`
	RemoteDebugConfig                     json.RawMessage         `json:",omitempty"`
	InfraCheckConfig                      json.RawMessage         `json:",omitempty"`
	SessionChainingConfig                 json.RawMessage         `json:",omitempty"`
}

// AlgorithmSpecification says what a training job runs.
type AlgorithmSpecification struct {
	TrainingImage                    string             `json:",omitempty"`
	AlgorithmName                    string             `json:",omitempty"`
	TrainingInputMode                string             `json:",omitempty"`
	MetricDefinitions                []MetricDefinition `json:",omitempty"`
	EnableSageMakerMetricsTimeSeries *bool              `json:",omitempty"`
	ContainerEntrypoint              []string           `json:",omitempty"`
	ContainerArguments               []string           `json:",omitempty"`
	TrainingImageConfig              json.RawMessage    `json:",omitempty"`
}

// MetricDefinition names a metric and the regular expression that finds it in the log.
type MetricDefinition struct {
	Name  string
	Regex string
}

// Channel is one named input of a training job.
type Channel struct {
	ChannelName       string
	DataSource        *DataSource     `json:",omitempty"`
	ContentType       string          `json:",omitempty"`
	CompressionType   string          `json:",omitempty"`
	RecordWrapperType string          `json:",omitempty"`
	InputMode         string          `json:",omitempty"`
	ShuffleConfig     json.RawMessage `json:",omitempty"`
}

// DataSource is where a channel's data lives.
type DataSource struct {
	S3DataSource         *S3DataSource   `json:",omitempty"`
	FileSystemDataSource json.RawMessage `json:",omitempty"`
	DatasetSource        json.RawMessage `json:",omitempty"`
}

// S3DataSource is a channel read from S3.
type S3DataSource struct {
	S3DataType             string
	S3Uri                  string
	S3DataDistributionType string          `json:",omitempty"`
	AttributeNames         json.RawMessage `json:",omitempty"`
	InstanceGroupNames     json.RawMessage `json:",omitempty"`
	ModelAccessConfig      json.RawMessage `json:",omitempty"`
	HubAccessConfig        json.RawMessage `json:",omitempty"`
}

// OutputDataConfig says where a training job's artifacts go.
type OutputDataConfig struct {
	S3OutputPath    string
	KmsKeyId        string `json:",omitempty"`
	CompressionType string `json:",omitempty"`
}

// ResourceConfig is the compute a training job asks for.
type ResourceConfig struct {
	InstanceType             string          `json:",omitempty"`
	InstanceCount            *int            `json:",omitempty"`
	VolumeSizeInGB           *int            `json:",omitempty"`
	VolumeKmsKeyId           string          `json:",omitempty"`
	KeepAlivePeriodInSeconds *int            `json:",omitempty"`
	InstanceGroups           json.RawMessage `json:",omitempty"`
	TrainingPlanArn          string          `json:",omitempty"`
	InstancePlacementConfig  json.RawMessage `json:",omitempty"`
}

// TrainingStopCondition bounds a training job's run time.
type TrainingStopCondition struct {
	MaxRuntimeInSeconds     int  `json:",omitempty"`
	MaxWaitTimeInSeconds    *int `json:",omitempty"`
	MaxPendingTimeInSeconds *int `json:",omitempty"`
}

// CreateTrainingJobOutput names the job.
type CreateTrainingJobOutput struct {
	TrainingJobArn string
}

// DescribeTrainingJobOutput is the request a training job was created with (less its
// tags) and the job's state: TrainingJobStatus, SecondaryStatus and its transitions,
// ModelArtifacts, FinalMetricDataList, FailureReason and times.
type DescribeTrainingJobOutput struct {
	TrainingJobName                       string
	HyperParameters                       map[string]string       `json:",omitempty"`
	AlgorithmSpecification                *AlgorithmSpecification `json:",omitempty"`
	RoleArn                               string
	InputDataConfig                       []Channel `json:",omitempty"`
	OutputDataConfig                      *OutputDataConfig
	ResourceConfig                        *ResourceConfig        `json:",omitempty"`
	StoppingCondition                     *TrainingStopCondition `json:",omitempty"`
	Environment                           map[string]string      `json:",omitempty"`
	EnableNetworkIsolation                *bool                  `json:",omitempty"`
	EnableInterContainerTrafficEncryption *bool                  `json:",omitempty"`
	EnableManagedSpotTraining             *bool                  `json:",omitempty"`
	VpcConfig                             json.RawMessage        `json:",omitempty"`
	CheckpointConfig                      json.RawMessage        `json:",omitempty"`
	DebugHookConfig                       json.RawMessage        `json:",omitempty"`
	DebugRuleConfigurations               json.RawMessage        `json:",omitempty"`
	TensorBoardOutputConfig               json.RawMessage        `json:",omitempty"`
	ExperimentConfig                      json.RawMessage        `json:",omitempty"`
	ProfilerConfig                        json.RawMessage        `json:",omitempty"`
	ProfilerRuleConfigurations            json.RawMessage        `json:",omitempty"`
	RetryStrategy                         json.RawMessage        `json:",omitempty"`
	RemoteDebugConfig                     json.RawMessage        `json:",omitempty"`
	InfraCheckConfig                      json.RawMessage        `json:",omitempty"`
	SessionChainingConfig                 json.RawMessage        `json:",omitempty"`

	TrainingJobArn             string
	TrainingJobStatus          JobStatus
	SecondaryStatus            SecondaryStatus
	SecondaryStatusTransitions []SecondaryStatusTransition `json:",omitempty"`
	FailureReason              string                      `json:",omitempty"`
	ModelArtifacts             *ModelArtifacts             `json:",omitempty"`
	FinalMetricDataList        []MetricData                `json:",omitempty"`
	TrainingStartTime          *operation.Timestamp        `json:",omitempty"`
	TrainingEndTime            *operation.Timestamp        `json:",omitempty"`
	TrainingTimeInSeconds      int                         `json:",omitempty"`
	BillableTimeInSeconds      int                         `json:",omitempty"`
	CreationTime               *operation.Timestamp
	LastModifiedTime           *operation.Timestamp
}

// DescribeTrainingJob describes a training job created with req, in state st. A job whose
// training process never ran (it failed or was stopped before) has no training times, as
// SageMaker describes such jobs.
func DescribeTrainingJob(req *CreateTrainingJobInput, st *JobState) *DescribeTrainingJobOutput {
	out := &DescribeTrainingJobOutput{
		TrainingJobName: req.TrainingJobName, HyperParameters: req.HyperParameters,
		AlgorithmSpecification: req.AlgorithmSpecification, RoleArn: req.RoleArn, InputDataConfig: req.InputDataConfig,
		OutputDataConfig: req.OutputDataConfig, ResourceConfig: req.ResourceConfig, StoppingCondition: req.StoppingCondition,
		Environment: req.Environment, EnableNetworkIsolation: req.EnableNetworkIsolation,
		EnableInterContainerTrafficEncryption: req.EnableInterContainerTrafficEncryption,
		EnableManagedSpotTraining:             req.EnableManagedSpotTraining, VpcConfig: req.VpcConfig,
		CheckpointConfig: req.CheckpointConfig, DebugHookConfig: req.DebugHookConfig,
		DebugRuleConfigurations: req.DebugRuleConfigurations, TensorBoardOutputConfig: req.TensorBoardOutputConfig,
		ExperimentConfig: req.ExperimentConfig, ProfilerConfig: req.ProfilerConfig,
		ProfilerRuleConfigurations: req.ProfilerRuleConfigurations, RetryStrategy: req.RetryStrategy,
		RemoteDebugConfig: req.RemoteDebugConfig, InfraCheckConfig: req.InfraCheckConfig,
		SessionChainingConfig: req.SessionChainingConfig,

		TrainingJobArn: st.ARN, TrainingJobStatus: st.Status, SecondaryStatus: st.Secondary,
		SecondaryStatusTransitions: st.Details.SecondaryStatusTransitions, FailureReason: st.FailureReason,
		ModelArtifacts: st.Details.ModelArtifacts, FinalMetricDataList: st.Details.FinalMetricDataList,
		CreationTime: operation.NewTimestamp(st.CreatedAt), LastModifiedTime: operation.NewTimestamp(st.LastModifiedAt),
	}
	if out.SecondaryStatus == "" {
		out.SecondaryStatus = SecondaryStarting
	}
	if !st.Details.Trained() {
		return out
	}
	out.TrainingStartTime, out.TrainingEndTime = operation.NewTimestamp(st.StartedAt), operation.NewTimestamp(st.EndedAt)
	if !st.StartedAt.IsZero() && !st.EndedAt.IsZero() {
		secs := max(int(st.EndedAt.Sub(st.StartedAt).Seconds()), 1)
		out.TrainingTimeInSeconds, out.BillableTimeInSeconds = secs, secs
	}
	return out
}
