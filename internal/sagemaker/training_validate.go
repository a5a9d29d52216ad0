package sagemaker

import (
	"regexp"
	"strings"
)

// Training limits and defaults, as SageMaker sets them.
const (
	maxHyperParameters     = 100
	maxMetricDefinitions   = 40
	maxChannels            = 20
	defaultTrainingRuntime = 86400   // one day
	maxTrainingRuntime     = 2419200 // 28 days
)

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
	if err := CheckRoleARN(in.RoleArn); err != nil {
		return err
	}
	if err := CheckTags(in.Tags); err != nil {
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
