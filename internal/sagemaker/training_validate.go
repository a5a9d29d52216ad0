package sagemaker

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
)

// Training defaults and limits SageMaker applies beyond its model's constraints.
const (
	defaultTrainingRuntime = 86400   // one day
	maxTrainingRuntime     = 2419200 // 28 days
)

// Validate checks what the request's constraints cannot say, as SageMaker does, and
// gives a missing stopping condition SageMaker's default. Input modes other than File,
// data sources other than S3 and clusters of more than one instance are refused, naming
// what Cairn does not support.
func (in *CreateTrainingJobInput) Validate() error {
	if err := CheckTagKeys(in.Tags); err != nil {
		return err
	}
	if err := in.checkAlgorithm(); err != nil {
		return err
	}
	if err := in.checkChannels(); err != nil {
		return err
	}
	if out := in.OutputDataConfig.S3OutputPath; !isS3URI(out) {
		return validation("Value '%s' at 'outputDataConfig.s3OutputPath' is not an s3:// URI: Cairn reads and writes s3:// URIs.", out)
	}
	if err := in.checkResources(); err != nil {
		return err
	}
	return in.checkStopping()
}

// isS3URI reports whether uri is an s3:// URI (the https:// URIs SageMaker also accepts
// are not Cairn's).
func isS3URI(uri string) bool {
	rest, ok := strings.CutPrefix(uri, "s3://")
	return ok && rest != ""
}

func (in *CreateTrainingJobInput) checkAlgorithm() error {
	a := in.AlgorithmSpecification
	if err := checkInputMode("algorithmSpecification.trainingInputMode", a.TrainingInputMode); err != nil {
		return err
	}
	switch {
	case a.TrainingImage == "" && a.AlgorithmName == "":
		return validation("AlgorithmSpecification must specify either TrainingImage or AlgorithmName.")
	case a.TrainingImage != "" && a.AlgorithmName != "":
		return validation("AlgorithmSpecification may specify TrainingImage or AlgorithmName, not both.")
	}
	names := map[string]bool{}
	for _, m := range a.MetricDefinitions {
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
func checkInputMode(member, mode string) error {
	switch mode {
	case "Pipe", "FastFile":
		return validation("Input mode %s is not supported by Cairn (at '%s'): channels are downloaded before training starts; use File.", mode, member)
	}
	return nil
}

func (in *CreateTrainingJobInput) checkChannels() error {
	seen := map[string]bool{}
	for i, c := range in.InputDataConfig {
		if seen[c.ChannelName] {
			return validation("Channel names must be unique; channel %q is given more than once.", c.ChannelName)
		}
		seen[c.ChannelName] = true
		if err := checkInputMode("inputDataConfig."+strconv.Itoa(i+1)+".member.inputMode", deref(c.InputMode)); err != nil {
			return err
		}
		src := c.DataSource.S3DataSource
		if src == nil {
			if c.DataSource.FileSystemDataSource != nil || c.DataSource.DatasetSource != nil {
				return validation("Channel %q reads from a file system or a dataset, which Cairn does not support; use S3DataSource.", c.ChannelName)
			}
			return validation("Channel %q has no data source; set DataSource.S3DataSource.", c.ChannelName)
		}
		if !isS3URI(src.S3Uri) {
			return validation("Channel %q has S3Uri %q, which is not an s3:// URI.", c.ChannelName, src.S3Uri)
		}
		switch src.S3DataType {
		case "AugmentedManifestFile", "Converse":
			return validation("Channel %q has S3DataType %s, which Cairn does not support; use S3Prefix or ManifestFile.", c.ChannelName, src.S3DataType)
		}
	}
	return nil
}

func (in *CreateTrainingJobInput) checkResources() error {
	r := in.ResourceConfig
	if r.InstanceGroups != nil && string(r.InstanceGroups) != "null" && string(r.InstanceGroups) != "[]" {
		return validation("ResourceConfig.InstanceGroups (heterogeneous clusters) is not supported by Cairn; set InstanceType and InstanceCount 1.")
	}
	if *r.InstanceCount != 1 {
		return validation("InstanceCount %d is not supported by Cairn: training runs on one instance (algo-1); set InstanceCount to 1.", *r.InstanceCount)
	}
	return nil
}

// checkStopping gives a missing stopping condition SageMaker's default and checks the
// bounds SageMaker sets beyond its model: at most 28 days of training, a wait only for
// managed spot training and no shorter than the training.
func (in *CreateTrainingJobInput) checkStopping() error {
	if in.StoppingCondition == nil {
		in.StoppingCondition = &TrainingStopCondition{}
	}
	sc := in.StoppingCondition
	if sc.MaxRuntimeInSeconds == 0 {
		sc.MaxRuntimeInSeconds = defaultTrainingRuntime
	}
	if sc.MaxRuntimeInSeconds > maxTrainingRuntime {
		return violation("stoppingCondition.maxRuntimeInSeconds", strconv.Itoa(sc.MaxRuntimeInSeconds), operation.MaxValue(maxTrainingRuntime))
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
	return nil
}
