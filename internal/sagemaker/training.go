package sagemaker

import (
	"encoding/json"

	"github.com/cairnhq/cairn/internal/operation"
)

// CreateTrainingJobInput is the CreateTrainingJob request. Members Cairn does not act on
// (VPC, checkpoints, debugger, profiler, experiments…) are kept and described as given.
type CreateTrainingJobInput struct {
	TrainingJobName                       string                   `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	HyperParameters                       map[string]string        `json:",omitempty" max:"100" keyMax:"256" keyPattern:".*" valueMax:"2500" valuePattern:".*"`
	AlgorithmSpecification                *AlgorithmSpecification  `json:",omitempty" required:"true"`
	RoleArn                               string                   `required:"true" min:"20" max:"2048" pattern:"arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"`
	InputDataConfig                       []Channel                `json:",omitempty" min:"1" max:"20"`
	OutputDataConfig                      *OutputDataConfig        `required:"true"`
	ResourceConfig                        *ResourceConfig          `json:",omitempty" required:"true"`
	StoppingCondition                     *TrainingStopCondition   `json:",omitempty"`
	Environment                           map[string]string        `json:",omitempty" max:"100" keyMax:"512" keyPattern:"[a-zA-Z_][a-zA-Z0-9_]*" valueMax:"512" valuePattern:"[\\S\\s]*"`
	Tags                                  []Tag                    `json:",omitempty" max:"50"`
	EnableNetworkIsolation                *bool                    `json:",omitempty"`
	EnableInterContainerTrafficEncryption *bool                    `json:",omitempty"`
	EnableManagedSpotTraining             *bool                    `json:",omitempty"`
	VpcConfig                             *VpcConfig               `json:",omitempty"`
	CheckpointConfig                      *CheckpointConfig        `json:",omitempty"`
	DebugHookConfig                       *DebugHookConfig         `json:",omitempty"`
	DebugRuleConfigurations               []RuleConfiguration      `json:",omitempty" max:"20"`
	TensorBoardOutputConfig               *TensorBoardOutputConfig `json:",omitempty"`
	ExperimentConfig                      *ExperimentConfig        `json:",omitempty"`
	ProfilerConfig                        *ProfilerConfig          `json:",omitempty"`
	ProfilerRuleConfigurations            []RuleConfiguration      `json:",omitempty" max:"20"`
	RetryStrategy                         *RetryStrategy           `json:",omitempty"`
	RemoteDebugConfig                     json.RawMessage          `json:",omitempty"`
	InfraCheckConfig                      json.RawMessage          `json:",omitempty"`
	SessionChainingConfig                 json.RawMessage          `json:",omitempty"`
}

// AlgorithmSpecification says what a training job runs.
type AlgorithmSpecification struct {
	TrainingImage                    string               `json:",omitempty" max:"255" pattern:".*"`
	AlgorithmName                    string               `json:",omitempty" min:"1" max:"170" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)" re:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"`
	TrainingInputMode                string               `json:",omitempty" required:"true" enum:"Pipe,File,FastFile"`
	MetricDefinitions                []MetricDefinition   `json:",omitempty" max:"40"`
	EnableSageMakerMetricsTimeSeries *bool                `json:",omitempty"`
	ContainerEntrypoint              []string             `json:",omitempty" min:"1" max:"100" memberMax:"256" memberPattern:".*"`
	ContainerArguments               []string             `json:",omitempty" min:"1" max:"100" memberMax:"256" memberPattern:".*"`
	TrainingImageConfig              *TrainingImageConfig `json:",omitempty"`
}

// MetricDefinition names a metric and the regular expression that finds it in the log.
type MetricDefinition struct {
	Name  string `required:"true" min:"1" max:"255" pattern:".+"`
	Regex string `required:"true" min:"1" max:"500" pattern:".+"`
}

// Channel is one named input of a training job. Its optional members are pointers: in a
// list, a member left out is not an empty value.
type Channel struct {
	ChannelName       string         `required:"true" min:"1" max:"64" pattern:"[A-Za-z0-9\\.\\-_]+"`
	DataSource        *DataSource    `json:",omitempty" required:"true"`
	ContentType       string         `json:",omitempty" max:"256" pattern:".*"`
	CompressionType   *string        `json:",omitempty" enum:"None,Gzip"`
	RecordWrapperType *string        `json:",omitempty" enum:"None,RecordIO"`
	InputMode         *string        `json:",omitempty" enum:"Pipe,File,FastFile"`
	ShuffleConfig     *ShuffleConfig `json:",omitempty"`
}

// DataSource is where a channel's data lives. The sources Cairn refuses are kept as
// given: the refusal, not their constraints, answers a request that uses them.
type DataSource struct {
	S3DataSource         *S3DataSource   `json:",omitempty"`
	FileSystemDataSource json.RawMessage `json:",omitempty"`
	DatasetSource        json.RawMessage `json:",omitempty"`
}

// S3DataSource is a channel read from S3.
type S3DataSource struct {
	S3DataType             string             `required:"true" enum:"ManifestFile,S3Prefix,AugmentedManifestFile,Converse"`
	S3Uri                  string             `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	S3DataDistributionType string             `json:",omitempty" enum:"FullyReplicated,ShardedByS3Key"`
	AttributeNames         []string           `json:",omitempty" max:"16" memberMin:"1" memberMax:"256" memberPattern:".+"`
	InstanceGroupNames     []string           `json:",omitempty" max:"5" memberMin:"1" memberMax:"64" memberPattern:".+"`
	ModelAccessConfig      *ModelAccessConfig `json:",omitempty"`
	HubAccessConfig        *HubAccessConfig   `json:",omitempty"`
}

// OutputDataConfig says where a training job's artifacts go.
type OutputDataConfig struct {
	S3OutputPath    string `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	KmsKeyId        string `json:",omitempty" max:"2048" pattern:"[a-zA-Z0-9:/_-]*"`
	CompressionType string `json:",omitempty" enum:"GZIP,NONE"`
}

// ResourceConfig is the compute a training job asks for. InstanceGroups, which Cairn
// refuses, is kept as given: the refusal, not its constraints, answers.
type ResourceConfig struct {
	InstanceType             string                   `json:",omitempty" required:"true" enum:"ml.m4.xlarge,ml.m4.2xlarge,ml.m4.4xlarge,ml.m4.10xlarge,ml.m4.16xlarge,ml.g4dn.xlarge,ml.g4dn.2xlarge,ml.g4dn.4xlarge,ml.g4dn.8xlarge,ml.g4dn.12xlarge,ml.g4dn.16xlarge,ml.m5.large,ml.m5.xlarge,ml.m5.2xlarge,ml.m5.4xlarge,ml.m5.12xlarge,ml.m5.24xlarge,ml.c4.xlarge,ml.c4.2xlarge,ml.c4.4xlarge,ml.c4.8xlarge,ml.p2.xlarge,ml.p2.8xlarge,ml.p2.16xlarge,ml.p3.2xlarge,ml.p3.8xlarge,ml.p3.16xlarge,ml.p3dn.24xlarge,ml.p4d.24xlarge,ml.p4de.24xlarge,ml.p5.48xlarge,ml.p5e.48xlarge,ml.p5en.48xlarge,ml.c5.xlarge,ml.c5.2xlarge,ml.c5.4xlarge,ml.c5.9xlarge,ml.c5.18xlarge,ml.c5n.xlarge,ml.c5n.2xlarge,ml.c5n.4xlarge,ml.c5n.9xlarge,ml.c5n.18xlarge,ml.g5.xlarge,ml.g5.2xlarge,ml.g5.4xlarge,ml.g5.8xlarge,ml.g5.16xlarge,ml.g5.12xlarge,ml.g5.24xlarge,ml.g5.48xlarge,ml.g6.xlarge,ml.g6.2xlarge,ml.g6.4xlarge,ml.g6.8xlarge,ml.g6.16xlarge,ml.g6.12xlarge,ml.g6.24xlarge,ml.g6.48xlarge,ml.g6e.xlarge,ml.g6e.2xlarge,ml.g6e.4xlarge,ml.g6e.8xlarge,ml.g6e.16xlarge,ml.g6e.12xlarge,ml.g6e.24xlarge,ml.g6e.48xlarge,ml.trn1.2xlarge,ml.trn1.32xlarge,ml.trn1n.32xlarge,ml.trn2.48xlarge,ml.m6i.large,ml.m6i.xlarge,ml.m6i.2xlarge,ml.m6i.4xlarge,ml.m6i.8xlarge,ml.m6i.12xlarge,ml.m6i.16xlarge,ml.m6i.24xlarge,ml.m6i.32xlarge,ml.c6i.xlarge,ml.c6i.2xlarge,ml.c6i.8xlarge,ml.c6i.4xlarge,ml.c6i.12xlarge,ml.c6i.16xlarge,ml.c6i.24xlarge,ml.c6i.32xlarge,ml.r5d.large,ml.r5d.xlarge,ml.r5d.2xlarge,ml.r5d.4xlarge,ml.r5d.8xlarge,ml.r5d.12xlarge,ml.r5d.16xlarge,ml.r5d.24xlarge,ml.t3.medium,ml.t3.large,ml.t3.xlarge,ml.t3.2xlarge,ml.r5.large,ml.r5.xlarge,ml.r5.2xlarge,ml.r5.4xlarge,ml.r5.8xlarge,ml.r5.12xlarge,ml.r5.16xlarge,ml.r5.24xlarge,ml.p6-b200.48xlarge,ml.m7i.large,ml.m7i.xlarge,ml.m7i.2xlarge,ml.m7i.4xlarge,ml.m7i.8xlarge,ml.m7i.12xlarge,ml.m7i.16xlarge,ml.m7i.24xlarge,ml.m7i.48xlarge,ml.c7i.large,ml.c7i.xlarge,ml.c7i.2xlarge,ml.c7i.4xlarge,ml.c7i.8xlarge,ml.c7i.12xlarge,ml.c7i.16xlarge,ml.c7i.24xlarge,ml.c7i.48xlarge,ml.r7i.large,ml.r7i.xlarge,ml.r7i.2xlarge,ml.r7i.4xlarge,ml.r7i.8xlarge,ml.r7i.12xlarge,ml.r7i.16xlarge,ml.r7i.24xlarge,ml.r7i.48xlarge,ml.p6e-gb200.36xlarge,ml.p5.4xlarge,ml.p6-b300.48xlarge,ml.g7e.2xlarge,ml.g7e.4xlarge,ml.g7e.8xlarge,ml.g7e.12xlarge,ml.g7e.24xlarge,ml.g7e.48xlarge"`
	InstanceCount            *int                     `json:",omitempty" required:"true" min:"0"`
	VolumeSizeInGB           *int                     `json:",omitempty" min:"0"`
	VolumeKmsKeyId           string                   `json:",omitempty" max:"2048" pattern:"[a-zA-Z0-9:/_-]*"`
	KeepAlivePeriodInSeconds *int                     `json:",omitempty" min:"0" max:"21600"`
	InstanceGroups           json.RawMessage          `json:",omitempty"`
	TrainingPlanArn          string                   `json:",omitempty" min:"50" max:"2048" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:training-plan/.*"`
	InstancePlacementConfig  *InstancePlacementConfig `json:",omitempty"`
}

// TrainingStopCondition bounds a training job's run time.
type TrainingStopCondition struct {
	MaxRuntimeInSeconds     int  `json:",omitempty" min:"1"`
	MaxWaitTimeInSeconds    *int `json:",omitempty" min:"1"`
	MaxPendingTimeInSeconds *int `json:",omitempty" min:"7200" max:"2419200"`
}

// TrainingImageConfig says how a training image is pulled.
type TrainingImageConfig struct {
	TrainingRepositoryAccessMode string                        `required:"true" enum:"Platform,Vpc"`
	TrainingRepositoryAuthConfig *TrainingRepositoryAuthConfig `json:",omitempty"`
}

// TrainingRepositoryAuthConfig names the function that gives credentials of a private
// registry.
type TrainingRepositoryAuthConfig struct {
	TrainingRepositoryCredentialsProviderArn string `required:"true" min:"1" max:"2048" pattern:"arn:[\\p{Alnum}\\-]+:lambda:[\\p{Alnum}\\-]+:[0-9]{12}:function:.*" re:"arn:[[:alnum:]\\-]+:lambda:[[:alnum:]\\-]+:[0-9]{12}:function:.*"`
}

// ShuffleConfig seeds the shuffling of a channel's data.
type ShuffleConfig struct {
	Seed *int64 `required:"true"`
}

// InstancePlacementConfig places a job's instances on UltraServers.
type InstancePlacementConfig struct {
	EnableMultipleJobs      *bool                    `json:",omitempty"`
	PlacementSpecifications []PlacementSpecification `json:",omitempty" max:"10"`
}

// PlacementSpecification is instances placed on one UltraServer.
type PlacementSpecification struct {
	UltraServerId string `json:",omitempty" max:"256"`
	InstanceCount *int   `required:"true" min:"0"`
}

// CheckpointConfig says where a training job's checkpoints go.
type CheckpointConfig struct {
	S3Uri     string `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	LocalPath string `json:",omitempty" max:"4096" pattern:".*"`
}

// TensorBoardOutputConfig says where a training job's TensorBoard data goes.
type TensorBoardOutputConfig struct {
	LocalPath    string `json:",omitempty" max:"4096" pattern:".*"`
	S3OutputPath string `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
}

// RetryStrategy bounds the retries of a training job that failed for an internal error.
type RetryStrategy struct {
	MaximumRetryAttempts *int `required:"true" min:"1" max:"30"`
}

// DebugHookConfig configures the debugger hook of a training job.
type DebugHookConfig struct {
	LocalPath                string                    `json:",omitempty" max:"4096" pattern:".*"`
	S3OutputPath             string                    `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	HookParameters           map[string]string         `json:",omitempty" max:"20" keyMin:"1" keyMax:"256" keyPattern:".*" valueMax:"256" valuePattern:".*"`
	CollectionConfigurations []CollectionConfiguration `json:",omitempty" max:"20"`
}

// CollectionConfiguration is one tensor collection of a debugger hook.
type CollectionConfiguration struct {
	CollectionName       *string           `json:",omitempty" min:"1" max:"256" pattern:".*"`
	CollectionParameters map[string]string `json:",omitempty" max:"20" keyMin:"1" keyMax:"256" keyPattern:".*" valueMax:"256" valuePattern:".*"`
}

// RuleConfiguration is one of a training job's DebugRuleConfigurations or
// ProfilerRuleConfigurations: a rule evaluated by a container beside the job. Its optional
// members are pointers: in a list, a member left out is not an empty value.
type RuleConfiguration struct {
	RuleConfigurationName string            `required:"true" min:"1" max:"256" pattern:".*"`
	LocalPath             *string           `json:",omitempty" max:"4096" pattern:".*"`
	S3OutputPath          *string           `json:",omitempty" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	RuleEvaluatorImage    string            `required:"true" max:"255" pattern:".*"`
	InstanceType          *string           `json:",omitempty" enum:"ml.t3.medium,ml.t3.large,ml.t3.xlarge,ml.t3.2xlarge,ml.m4.xlarge,ml.m4.2xlarge,ml.m4.4xlarge,ml.m4.10xlarge,ml.m4.16xlarge,ml.c4.xlarge,ml.c4.2xlarge,ml.c4.4xlarge,ml.c4.8xlarge,ml.p2.xlarge,ml.p2.8xlarge,ml.p2.16xlarge,ml.p3.2xlarge,ml.p3.8xlarge,ml.p3.16xlarge,ml.c5.xlarge,ml.c5.2xlarge,ml.c5.4xlarge,ml.c5.9xlarge,ml.c5.18xlarge,ml.m5.large,ml.m5.xlarge,ml.m5.2xlarge,ml.m5.4xlarge,ml.m5.12xlarge,ml.m5.24xlarge,ml.r5.large,ml.r5.xlarge,ml.r5.2xlarge,ml.r5.4xlarge,ml.r5.8xlarge,ml.r5.12xlarge,ml.r5.16xlarge,ml.r5.24xlarge,ml.g4dn.xlarge,ml.g4dn.2xlarge,ml.g4dn.4xlarge,ml.g4dn.8xlarge,ml.g4dn.12xlarge,ml.g4dn.16xlarge,ml.g5.xlarge,ml.g5.2xlarge,ml.g5.4xlarge,ml.g5.8xlarge,ml.g5.16xlarge,ml.g5.12xlarge,ml.g5.24xlarge,ml.g5.48xlarge,ml.r5d.large,ml.r5d.xlarge,ml.r5d.2xlarge,ml.r5d.4xlarge,ml.r5d.8xlarge,ml.r5d.12xlarge,ml.r5d.16xlarge,ml.r5d.24xlarge,ml.g6.xlarge,ml.g6.2xlarge,ml.g6.4xlarge,ml.g6.8xlarge,ml.g6.12xlarge,ml.g6.16xlarge,ml.g6.24xlarge,ml.g6.48xlarge,ml.g6e.xlarge,ml.g6e.2xlarge,ml.g6e.4xlarge,ml.g6e.8xlarge,ml.g6e.12xlarge,ml.g6e.16xlarge,ml.g6e.24xlarge,ml.g6e.48xlarge,ml.m6i.large,ml.m6i.xlarge,ml.m6i.2xlarge,ml.m6i.4xlarge,ml.m6i.8xlarge,ml.m6i.12xlarge,ml.m6i.16xlarge,ml.m6i.24xlarge,ml.m6i.32xlarge,ml.c6i.xlarge,ml.c6i.2xlarge,ml.c6i.4xlarge,ml.c6i.8xlarge,ml.c6i.12xlarge,ml.c6i.16xlarge,ml.c6i.24xlarge,ml.c6i.32xlarge,ml.m7i.large,ml.m7i.xlarge,ml.m7i.2xlarge,ml.m7i.4xlarge,ml.m7i.8xlarge,ml.m7i.12xlarge,ml.m7i.16xlarge,ml.m7i.24xlarge,ml.m7i.48xlarge,ml.c7i.large,ml.c7i.xlarge,ml.c7i.2xlarge,ml.c7i.4xlarge,ml.c7i.8xlarge,ml.c7i.12xlarge,ml.c7i.16xlarge,ml.c7i.24xlarge,ml.c7i.48xlarge,ml.r7i.large,ml.r7i.xlarge,ml.r7i.2xlarge,ml.r7i.4xlarge,ml.r7i.8xlarge,ml.r7i.12xlarge,ml.r7i.16xlarge,ml.r7i.24xlarge,ml.r7i.48xlarge,ml.p5.4xlarge,ml.g7e.2xlarge,ml.g7e.4xlarge,ml.g7e.8xlarge,ml.g7e.12xlarge,ml.g7e.24xlarge,ml.g7e.48xlarge"`
	VolumeSizeInGB        *int              `json:",omitempty" min:"0"`
	RuleParameters        map[string]string `json:",omitempty" max:"100" keyMin:"1" keyMax:"256" keyPattern:".*" valueMax:"256" valuePattern:".*"`
}

// ProfilerConfig configures the profiler of a training job.
type ProfilerConfig struct {
	S3OutputPath                    string            `json:",omitempty" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	ProfilingIntervalInMilliseconds *int64            `json:",omitempty"`
	ProfilingParameters             map[string]string `json:",omitempty" max:"20" keyMin:"1" keyMax:"256" keyPattern:".*" valueMax:"256" valuePattern:".*"`
	DisableProfiler                 *bool             `json:",omitempty"`
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
	AlgorithmSpecification                *AlgorithmSpecification `json:",omitempty" required:"true"`
	RoleArn                               string
	InputDataConfig                       []Channel `json:",omitempty"`
	OutputDataConfig                      *OutputDataConfig
	ResourceConfig                        *ResourceConfig          `json:",omitempty" required:"true"`
	StoppingCondition                     *TrainingStopCondition   `json:",omitempty"`
	Environment                           map[string]string        `json:",omitempty"`
	EnableNetworkIsolation                *bool                    `json:",omitempty"`
	EnableInterContainerTrafficEncryption *bool                    `json:",omitempty"`
	EnableManagedSpotTraining             *bool                    `json:",omitempty"`
	VpcConfig                             *VpcConfig               `json:",omitempty"`
	CheckpointConfig                      *CheckpointConfig        `json:",omitempty"`
	DebugHookConfig                       *DebugHookConfig         `json:",omitempty"`
	DebugRuleConfigurations               []RuleConfiguration      `json:",omitempty"`
	TensorBoardOutputConfig               *TensorBoardOutputConfig `json:",omitempty"`
	ExperimentConfig                      *ExperimentConfig        `json:",omitempty"`
	ProfilerConfig                        *ProfilerConfig          `json:",omitempty"`
	ProfilerRuleConfigurations            []RuleConfiguration      `json:",omitempty"`
	RetryStrategy                         *RetryStrategy           `json:",omitempty"`
	RemoteDebugConfig                     json.RawMessage          `json:",omitempty"`
	InfraCheckConfig                      json.RawMessage          `json:",omitempty"`
	SessionChainingConfig                 json.RawMessage          `json:",omitempty"`

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
