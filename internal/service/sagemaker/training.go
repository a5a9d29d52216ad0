package sagemaker

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
)

// TrainingJobKind is the resource type of training jobs in ARNs.
const TrainingJobKind = "training-job"

// Training limits and defaults, as SageMaker sets them.
const (
	maxHyperParameters      = 100
	maxMetricDefinitions    = 40
	maxChannels             = 20
	defaultTrainingRuntime  = 86400   // one day
	maxTrainingRuntime      = 2419200 // 28 days
	startingSecondaryStatus = "Starting"
)

func (s *Service) trainingOps() []*operation.Operation {
	name := func(in *TrainingJobRef) string { return in.TrainingJobName }
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateTrainingJobInput, CreateTrainingJobOutput]{
			Name: "CreateTrainingJob", Access: s.createTrainingJobAccess, Handler: s.createTrainingJob}),
		operation.Declare(operation.Op[TrainingJobRef, DescribeTrainingJobOutput]{
			Name: "DescribeTrainingJob", Access: jobAccess(s, TrainingJobKind, name), Handler: s.describeTrainingJob}),
		operation.Declare(operation.Op[ListTrainingJobsInput, ListTrainingJobsOutput]{
			Name: "ListTrainingJobs", Handler: s.listTrainingJobs}),
		operation.Declare(operation.Op[TrainingJobRef, struct{}]{
			Name: "StopTrainingJob", Access: jobAccess(s, TrainingJobKind, name),
			Handler: func(ctx context.Context, in *TrainingJobRef) (*struct{}, error) {
				return &struct{}{}, s.stopJob(ctx, TrainingJobKind, in.TrainingJobName)
			}}),
	}
}

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

var (
	channelNamePattern   = regexp.MustCompile(`^[A-Za-z0-9.\-_]+$`)
	trainingEnvKey       = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	algorithmNamePattern = regexp.MustCompile(`^(arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:[a-z\-]*/)?[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$`)
)

// Validate checks the request as SageMaker does. Input modes other than File, data sources
// other than S3 and clusters of more than one instance are refused, naming what is not
// supported.
func (in *CreateTrainingJobInput) Validate() error {
	if err := checkJobName("trainingJobName", in.TrainingJobName); err != nil {
		return err
	}
	if err := checkRoleARN(in.RoleArn); err != nil {
		return err
	}
	if err := checkTags(in.Tags); err != nil {
		return err
	}
	if err := in.checkAlgorithm(); err != nil {
		return err
	}
	if err := checkHyperParameters(in.HyperParameters); err != nil {
		return err
	}
	if err := checkTrainingEnvironment(in.Environment); err != nil {
		return err
	}
	if err := in.checkChannels(); err != nil {
		return err
	}
	out := in.OutputDataConfig
	if !strings.HasPrefix(out.S3OutputPath, "s3://") || len(out.S3OutputPath) > 1024 || strings.TrimPrefix(out.S3OutputPath, "s3://") == "" {
		return validation("1 validation error detected: Value '%s' at 'outputDataConfig.s3OutputPath' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$; Cairn reads and writes s3:// URIs.", out.S3OutputPath)
	}
	switch out.CompressionType {
	case "", "GZIP", "NONE":
	default:
		return validation("1 validation error detected: Value '%s' at 'outputDataConfig.compressionType' failed to satisfy constraint: Member must satisfy enum value set: [GZIP, NONE]", out.CompressionType)
	}
	if err := in.checkResources(); err != nil {
		return err
	}
	return in.checkStopping()
}

func (in *CreateTrainingJobInput) checkAlgorithm() error {
	a := in.AlgorithmSpecification
	if a == nil {
		return validation("1 validation error detected: Value null at 'algorithmSpecification' failed to satisfy constraint: Member must not be null")
	}
	if err := checkInputMode("algorithmSpecification.trainingInputMode", a.TrainingInputMode, true); err != nil {
		return err
	}
	switch {
	case a.TrainingImage == "" && a.AlgorithmName == "":
		return validation("AlgorithmSpecification must specify either TrainingImage or AlgorithmName.")
	case a.TrainingImage != "" && a.AlgorithmName != "":
		return validation("AlgorithmSpecification may specify TrainingImage or AlgorithmName, not both.")
	case len(a.TrainingImage) > 255:
		return validation("1 validation error detected: Value '%s' at 'algorithmSpecification.trainingImage' failed to satisfy constraint: Member must have length less than or equal to 255", a.TrainingImage)
	case a.AlgorithmName != "" && (len(a.AlgorithmName) > 170 || !algorithmNamePattern.MatchString(a.AlgorithmName)):
		return validation("1 validation error detected: Value '%s' at 'algorithmSpecification.algorithmName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)", a.AlgorithmName)
	}
	for member, list := range map[string][]string{"containerEntrypoint": a.ContainerEntrypoint, "containerArguments": a.ContainerArguments} {
		if list == nil {
			continue
		}
		if len(list) < 1 || len(list) > 100 {
			return validation("1 validation error detected: Value at 'algorithmSpecification.%s' failed to satisfy constraint: Member must have length between 1 and 100", member)
		}
		for _, s := range list {
			if len(s) > 256 {
				return validation("1 validation error detected: Value '%s' at 'algorithmSpecification.%s' failed to satisfy constraint: Member must have length less than or equal to 256", s, member)
			}
		}
	}
	if len(a.MetricDefinitions) > maxMetricDefinitions {
		return validation("1 validation error detected: Value at 'algorithmSpecification.metricDefinitions' failed to satisfy constraint: Member must have length less than or equal to %d", maxMetricDefinitions)
	}
	names := map[string]bool{}
	for _, m := range a.MetricDefinitions {
		if len(m.Name) < 1 || len(m.Name) > 255 {
			return validation("1 validation error detected: Value '%s' at 'algorithmSpecification.metricDefinitions.member.name' failed to satisfy constraint: Member must have length between 1 and 255", m.Name)
		}
		if len(m.Regex) < 1 || len(m.Regex) > 500 {
			return validation("1 validation error detected: Value '%s' at 'algorithmSpecification.metricDefinitions.member.regex' failed to satisfy constraint: Member must have length between 1 and 500", m.Regex)
		}
		if names[m.Name] {
			return validation("MetricDefinitions must have unique names; %q is given twice.", m.Name)
		}
		names[m.Name] = true
		if _, err := regexp.Compile(m.Regex); err != nil {
			return validation("The regular expression of metric %q is not valid (Cairn matches metrics with RE2 syntax: no look-around or back-references): %v", m.Name, err)
		}
	}
	return nil
}

// checkInputMode accepts File; Pipe and FastFile are SageMaker's but not Cairn's.
func checkInputMode(member, mode string, required bool) error {
	switch mode {
	case "File":
		return nil
	case "":
		if !required {
			return nil
		}
		return validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
	case "Pipe", "FastFile":
		return validation("Input mode %s is not supported by Cairn (at '%s'): channels are downloaded before training starts; use File.", mode, member)
	}
	return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [Pipe, File, FastFile]", mode, member)
}

func checkHyperParameters(hps map[string]string) error {
	if len(hps) > maxHyperParameters {
		return validation("1 validation error detected: Value at 'hyperParameters' failed to satisfy constraint: Member must have length less than or equal to %d", maxHyperParameters)
	}
	for k, v := range hps {
		if len(k) > 256 {
			return validation("1 validation error detected: Value '%s' at 'hyperParameters' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 256]", k)
		}
		if len(v) > 2500 {
			return validation("1 validation error detected: Value at 'hyperParameters' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 2500] (key %q)", k)
		}
	}
	return nil
}

func checkTrainingEnvironment(env map[string]string) error {
	if len(env) > 100 {
		return validation("1 validation error detected: Value at 'environment' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	for k, v := range env {
		if len(k) > 512 || !trainingEnvKey.MatchString(k) {
			return validation("1 validation error detected: Value '%s' at 'environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 512, Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]*]", k)
		}
		if len(v) > 512 {
			return validation("1 validation error detected: Value at 'environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 512] (key %q)", k)
		}
	}
	return nil
}

func (in *CreateTrainingJobInput) checkChannels() error {
	if in.InputDataConfig == nil {
		return nil
	}
	if len(in.InputDataConfig) < 1 || len(in.InputDataConfig) > maxChannels {
		return validation("1 validation error detected: Value at 'inputDataConfig' failed to satisfy constraint: Member must have length between 1 and %d", maxChannels)
	}
	seen := map[string]bool{}
	for _, c := range in.InputDataConfig {
		if len(c.ChannelName) < 1 || len(c.ChannelName) > 64 || !channelNamePattern.MatchString(c.ChannelName) {
			return validation("1 validation error detected: Value '%s' at 'inputDataConfig.member.channelName' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9\\.\\-_]+", c.ChannelName)
		}
		if seen[c.ChannelName] {
			return validation("Channel names must be unique; channel %q is given more than once.", c.ChannelName)
		}
		seen[c.ChannelName] = true
		if err := checkInputMode("inputDataConfig.member.inputMode", c.InputMode, false); err != nil {
			return err
		}
		switch c.CompressionType {
		case "", "None", "Gzip":
		default:
			return validation("1 validation error detected: Value '%s' at 'inputDataConfig.member.compressionType' failed to satisfy constraint: Member must satisfy enum value set: [None, Gzip]", c.CompressionType)
		}
		switch c.RecordWrapperType {
		case "", "None", "RecordIO":
		default:
			return validation("1 validation error detected: Value '%s' at 'inputDataConfig.member.recordWrapperType' failed to satisfy constraint: Member must satisfy enum value set: [None, RecordIO]", c.RecordWrapperType)
		}
		if c.DataSource == nil {
			return validation("1 validation error detected: Value null at 'inputDataConfig.member.dataSource' failed to satisfy constraint: Member must not be null")
		}
		src := c.DataSource.S3DataSource
		if src == nil {
			if c.DataSource.FileSystemDataSource != nil || c.DataSource.DatasetSource != nil {
				return validation("Channel %q reads from a file system or a dataset, which Cairn does not support; use S3DataSource.", c.ChannelName)
			}
			return validation("Channel %q has no data source; set DataSource.S3DataSource.", c.ChannelName)
		}
		if !strings.HasPrefix(src.S3Uri, "s3://") || len(src.S3Uri) > 1024 || strings.TrimPrefix(src.S3Uri, "s3://") == "" {
			return validation("Channel %q has S3Uri %q, which is not an s3:// URI.", c.ChannelName, src.S3Uri)
		}
		switch src.S3DataType {
		case "S3Prefix", "ManifestFile":
		case "AugmentedManifestFile", "Converse":
			return validation("Channel %q has S3DataType %s, which Cairn does not support; use S3Prefix or ManifestFile.", c.ChannelName, src.S3DataType)
		case "":
			return validation("1 validation error detected: Value null at 'inputDataConfig.member.dataSource.s3DataSource.s3DataType' failed to satisfy constraint: Member must not be null")
		default:
			return validation("1 validation error detected: Value '%s' at 'inputDataConfig.member.dataSource.s3DataSource.s3DataType' failed to satisfy constraint: Member must satisfy enum value set: [ManifestFile, S3Prefix, AugmentedManifestFile, Converse]", src.S3DataType)
		}
		switch src.S3DataDistributionType {
		case "", "FullyReplicated", "ShardedByS3Key":
		default:
			return validation("1 validation error detected: Value '%s' at 'inputDataConfig.member.dataSource.s3DataSource.s3DataDistributionType' failed to satisfy constraint: Member must satisfy enum value set: [FullyReplicated, ShardedByS3Key]", src.S3DataDistributionType)
		}
	}
	return nil
}

func (in *CreateTrainingJobInput) checkResources() error {
	r := in.ResourceConfig
	if r == nil {
		return validation("1 validation error detected: Value null at 'resourceConfig' failed to satisfy constraint: Member must not be null")
	}
	if r.InstanceGroups != nil && string(r.InstanceGroups) != "null" && string(r.InstanceGroups) != "[]" {
		return validation("ResourceConfig.InstanceGroups (heterogeneous clusters) is not supported by Cairn; set InstanceType and InstanceCount 1.")
	}
	if !strings.HasPrefix(r.InstanceType, "ml.") {
		if r.InstanceType == "" {
			return validation("1 validation error detected: Value null at 'resourceConfig.instanceType' failed to satisfy constraint: Member must not be null")
		}
		return validation("1 validation error detected: Value '%s' at 'resourceConfig.instanceType' failed to satisfy constraint: Member must be an ml.* training instance type", r.InstanceType)
	}
	if r.InstanceCount == nil {
		return validation("1 validation error detected: Value null at 'resourceConfig.instanceCount' failed to satisfy constraint: Member must not be null")
	}
	if *r.InstanceCount < 1 {
		return validation("1 validation error detected: Value '%d' at 'resourceConfig.instanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1", *r.InstanceCount)
	}
	if *r.InstanceCount > 1 {
		return validation("InstanceCount %d is not supported by Cairn: training runs on one instance (algo-1); set InstanceCount to 1.", *r.InstanceCount)
	}
	if r.VolumeSizeInGB != nil && *r.VolumeSizeInGB < 1 {
		return validation("1 validation error detected: Value '%d' at 'resourceConfig.volumeSizeInGB' failed to satisfy constraint: Member must have value greater than or equal to 1", *r.VolumeSizeInGB)
	}
	if r.KeepAlivePeriodInSeconds != nil && (*r.KeepAlivePeriodInSeconds < 0 || *r.KeepAlivePeriodInSeconds > 21600) {
		return validation("1 validation error detected: Value '%d' at 'resourceConfig.keepAlivePeriodInSeconds' failed to satisfy constraint: Member must have value between 0 and 21600", *r.KeepAlivePeriodInSeconds)
	}
	return nil
}

// checkStopping checks the stopping condition and gives a missing one SageMaker's default.
func (in *CreateTrainingJobInput) checkStopping() error {
	if in.StoppingCondition == nil {
		in.StoppingCondition = &TrainingStopCondition{}
	}
	sc := in.StoppingCondition
	if sc.MaxRuntimeInSeconds == 0 {
		sc.MaxRuntimeInSeconds = defaultTrainingRuntime
	}
	if sc.MaxRuntimeInSeconds < 1 || sc.MaxRuntimeInSeconds > maxTrainingRuntime {
		return validation("1 validation error detected: Value '%d' at 'stoppingCondition.maxRuntimeInSeconds' failed to satisfy constraint: Member must have value between 1 and %d", sc.MaxRuntimeInSeconds, maxTrainingRuntime)
	}
	spot := in.EnableManagedSpotTraining != nil && *in.EnableManagedSpotTraining
	if sc.MaxWaitTimeInSeconds != nil {
		if !spot {
			return validation("StoppingCondition.MaxWaitTimeInSeconds applies only to managed spot training; set EnableManagedSpotTraining or leave it out.")
		}
		if *sc.MaxWaitTimeInSeconds < sc.MaxRuntimeInSeconds {
			return validation("StoppingCondition.MaxWaitTimeInSeconds (%d) must be greater than or equal to MaxRuntimeInSeconds (%d).", *sc.MaxWaitTimeInSeconds, sc.MaxRuntimeInSeconds)
		}
	}
	if sc.MaxPendingTimeInSeconds != nil && (*sc.MaxPendingTimeInSeconds < 7200 || *sc.MaxPendingTimeInSeconds > 2419200) {
		return validation("1 validation error detected: Value '%d' at 'stoppingCondition.maxPendingTimeInSeconds' failed to satisfy constraint: Member must have value between 7200 and 2419200", *sc.MaxPendingTimeInSeconds)
	}
	return nil
}

func (s *Service) createTrainingJobAccess(ctx context.Context, in *CreateTrainingJobInput) (*operation.Access, error) {
	account := caller(ctx).Account
	return &operation.Access{
		Resources: []operation.Resource{{ARN: s.arnAsGiven(account, TrainingJobKind, in.TrainingJobName), Account: account}},
		Context:   requestTagKeys(in.Tags),
		PassRoles: []string{in.RoleArn},
	}, nil
}

func (s *Service) createTrainingJob(ctx context.Context, in *CreateTrainingJobInput) (*CreateTrainingJobOutput, error) {
	job, err := s.createJob(ctx, TrainingJobKind, in.TrainingJobName, in.RoleArn, in, in.Tags)
	if err != nil {
		return nil, err
	}
	return &CreateTrainingJobOutput{TrainingJobArn: job.ARN}, nil
}

// TrainingJobRef names a training job.
type TrainingJobRef struct {
	TrainingJobName string `required:"true"`
}

// DescribeTrainingJobOutput is the request the job was created with and its state:
// TrainingJobStatus, SecondaryStatus and its transitions, ModelArtifacts,
// FinalMetricDataList, FailureReason and times.
type DescribeTrainingJobOutput map[string]any

func (s *Service) describeTrainingJob(ctx context.Context, in *TrainingJobRef) (*DescribeTrainingJobOutput, error) {
	job, err := s.findJob(ctx, TrainingJobKind, in.TrainingJobName)
	if err != nil {
		return nil, err
	}
	out := DescribeTrainingJobOutput(DescribeJob(job))
	delete(out, "ExitMessage") // not a member of DescribeTrainingJob
	out["SecondaryStatus"] = secondaryStatus(job.Secondary)
	if !trained(out) {
		// The training process never ran (the job failed or was stopped before): no
		// training times, as SageMaker describes such jobs.
		for _, k := range []string{"TrainingStartTime", "TrainingEndTime"} {
			delete(out, k)
		}
	} else if !job.StartedAt.IsZero() && !job.EndedAt.IsZero() {
		secs := int(job.EndedAt.Sub(job.StartedAt).Seconds())
		if secs < 1 {
			secs = 1
		}
		out["TrainingTimeInSeconds"] = secs
		out["BillableTimeInSeconds"] = secs
	}
	return &out, nil
}

// trained reports whether a described job's transitions show its training process ran.
func trained(out DescribeTrainingJobOutput) bool {
	list, _ := out["SecondaryStatusTransitions"].([]any)
	for _, t := range list {
		if m, ok := t.(map[string]any); ok && m["Status"] == "Training" {
			return true
		}
	}
	return false
}

func secondaryStatus(s string) string {
	if s == "" {
		return startingSecondaryStatus
	}
	return s
}

// ListTrainingJobsInput filters and pages training jobs.
type ListTrainingJobsInput struct {
	CreationTimeAfter      *operation.Timestamp
	CreationTimeBefore     *operation.Timestamp
	LastModifiedTimeAfter  *operation.Timestamp
	LastModifiedTimeBefore *operation.Timestamp
	NameContains           *string
	StatusEquals           *string
	SortBy                 *string
	SortOrder              *string
	NextToken              *string
	MaxResults             *int
	WarmPoolStatusEquals   *string
	TrainingPlanArnEquals  *string
}

// TrainingJobSummary is one job of a list.
type TrainingJobSummary struct {
	TrainingJobName   string
	TrainingJobArn    string
	CreationTime      *operation.Timestamp
	TrainingEndTime   *operation.Timestamp `json:",omitempty"`
	LastModifiedTime  *operation.Timestamp
	TrainingJobStatus string
	SecondaryStatus   string
}

// ListTrainingJobsOutput is one page of training jobs.
type ListTrainingJobsOutput struct {
	TrainingJobSummaries []TrainingJobSummary
	NextToken            *string `json:",omitempty"`
}

func (s *Service) listTrainingJobs(ctx context.Context, in *ListTrainingJobsInput) (*ListTrainingJobsOutput, error) {
	out := &ListTrainingJobsOutput{TrainingJobSummaries: []TrainingJobSummary{}}
	if in.WarmPoolStatusEquals != nil || in.TrainingPlanArnEquals != nil {
		// No Cairn training job keeps a warm pool or uses a training plan.
		return out, nil
	}
	jobs, next, err := s.listJobs(ctx, TrainingJobKind, jobListFilter{
		CreatedAfter: in.CreationTimeAfter, CreatedBefore: in.CreationTimeBefore,
		ModifiedAfter: in.LastModifiedTimeAfter, ModifiedBefore: in.LastModifiedTimeBefore,
		NameContains: in.NameContains, Status: in.StatusEquals, SortBy: in.SortBy, SortOrder: in.SortOrder,
		NextToken: in.NextToken, MaxResults: in.MaxResults,
	})
	if err != nil {
		return nil, err
	}
	out.NextToken = next
	for _, j := range jobs {
		out.TrainingJobSummaries = append(out.TrainingJobSummaries, TrainingJobSummary{
			TrainingJobName: j.Name, TrainingJobArn: j.ARN, CreationTime: operation.NewTimestamp(j.CreatedAt),
			TrainingEndTime: operation.NewTimestamp(j.EndedAt), LastModifiedTime: operation.NewTimestamp(j.LastModifiedAt),
			TrainingJobStatus: j.Status, SecondaryStatus: secondaryStatus(j.Secondary),
		})
	}
	return out, nil
}
