package sagemaker

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
)

// CreateProcessingJobInput is the CreateProcessingJob request.
type CreateProcessingJobInput struct {
	ProcessingInputs       []ProcessingInput       `json:",omitempty"`
	ProcessingOutputConfig *ProcessingOutputConfig `json:",omitempty"`
	ProcessingJobName      string                  `required:"true"`
	ProcessingResources    json.RawMessage         `required:"true"`
	StoppingCondition      *StoppingCondition      `json:",omitempty"`
	AppSpecification       *AppSpecification       `required:"true"`
	Environment            map[string]string       `json:",omitempty"`
	NetworkConfig          json.RawMessage         `json:",omitempty"`
	RoleArn                string                  `required:"true"`
	Tags                   []Tag                   `json:",omitempty"`
	ExperimentConfig       json.RawMessage         `json:",omitempty"`
}

// ProcessingInput is one input of a processing job.
type ProcessingInput struct {
	InputName         string
	AppManaged        *bool              `json:",omitempty"`
	S3Input           *ProcessingS3Input `json:",omitempty"`
	DatasetDefinition json.RawMessage    `json:",omitempty"`
}

// ProcessingS3Input is an input read from S3.
type ProcessingS3Input struct {
	S3Uri                  string
	LocalPath              string `json:",omitempty"`
	S3DataType             string
	S3InputMode            string `json:",omitempty"`
	S3DataDistributionType string `json:",omitempty"`
	S3CompressionType      string `json:",omitempty"`
}

// ProcessingOutputConfig lists a processing job's outputs.
type ProcessingOutputConfig struct {
	Outputs  []ProcessingOutput
	KmsKeyId string `json:",omitempty"`
}

// ProcessingOutput is one output of a processing job.
type ProcessingOutput struct {
	OutputName         string
	S3Output           *ProcessingS3Output `json:",omitempty"`
	FeatureStoreOutput json.RawMessage     `json:",omitempty"`
	AppManaged         *bool               `json:",omitempty"`
}

// ProcessingS3Output is an output uploaded to S3.
type ProcessingS3Output struct {
	S3Uri        string
	LocalPath    string `json:",omitempty"`
	S3UploadMode string
}

// StoppingCondition bounds a job's run time.
type StoppingCondition struct {
	MaxRuntimeInSeconds int
}

// AppSpecification says what a processing job runs.
type AppSpecification struct {
	ImageUri            string
	ContainerEntrypoint []string `json:",omitempty"`
	ContainerArguments  []string `json:",omitempty"`
}

// ProcessingResources is the compute a processing job asks for. The request keeps the
// member as given; Resources reads it.
type ProcessingResources struct {
	ClusterConfig ProcessingClusterConfig
}

// ProcessingClusterConfig is the instances of a processing job.
type ProcessingClusterConfig struct {
	InstanceCount  int
	InstanceType   string
	VolumeSizeInGB int
	VolumeKmsKeyId string
}

// Resources reads the request's ProcessingResources.
func (in *CreateProcessingJobInput) Resources() (ProcessingResources, error) {
	var r ProcessingResources
	if len(in.ProcessingResources) == 0 {
		return r, nil
	}
	if err := json.Unmarshal(in.ProcessingResources, &r); err != nil {
		return r, fmt.Errorf("ProcessingResources: %w", err)
	}
	return r, nil
}

// CreateProcessingJobOutput names the job.
type CreateProcessingJobOutput struct {
	ProcessingJobArn string
}

// DescribeProcessingJobOutput is the request a processing job was created with (less its
// tags) and the job's state.
type DescribeProcessingJobOutput struct {
	ProcessingInputs       []ProcessingInput       `json:",omitempty"`
	ProcessingOutputConfig *ProcessingOutputConfig `json:",omitempty"`
	ProcessingJobName      string
	ProcessingResources    json.RawMessage
	StoppingCondition      *StoppingCondition `json:",omitempty"`
	AppSpecification       *AppSpecification
	Environment            map[string]string `json:",omitempty"`
	NetworkConfig          json.RawMessage   `json:",omitempty"`
	RoleArn                string
	ExperimentConfig       json.RawMessage `json:",omitempty"`

	ProcessingJobArn    string
	ProcessingJobStatus JobStatus
	FailureReason       string               `json:",omitempty"`
	ExitMessage         string               `json:",omitempty"`
	ProcessingStartTime *operation.Timestamp `json:",omitempty"`
	ProcessingEndTime   *operation.Timestamp `json:",omitempty"`
	CreationTime        *operation.Timestamp
	LastModifiedTime    *operation.Timestamp
}

// DescribeProcessingJob describes a processing job created with req, in state st.
func DescribeProcessingJob(req *CreateProcessingJobInput, st *JobState) *DescribeProcessingJobOutput {
	return &DescribeProcessingJobOutput{
		ProcessingInputs: req.ProcessingInputs, ProcessingOutputConfig: req.ProcessingOutputConfig,
		ProcessingJobName: req.ProcessingJobName, ProcessingResources: req.ProcessingResources,
		StoppingCondition: req.StoppingCondition, AppSpecification: req.AppSpecification,
		Environment: req.Environment, NetworkConfig: req.NetworkConfig, RoleArn: req.RoleArn,
		ExperimentConfig: req.ExperimentConfig,

		ProcessingJobArn: st.ARN, ProcessingJobStatus: st.Status, FailureReason: st.FailureReason,
		ExitMessage: st.ExitMessage, ProcessingStartTime: operation.NewTimestamp(st.StartedAt),
		ProcessingEndTime: operation.NewTimestamp(st.EndedAt), CreationTime: operation.NewTimestamp(st.CreatedAt),
		LastModifiedTime: operation.NewTimestamp(st.LastModifiedAt),
	}
}

// ProcessingPathPrefix is where processing inputs and outputs must live in the container.
const ProcessingPathPrefix = "/opt/ml/processing/"

// Validate checks the request as SageMaker does.
func (in *CreateProcessingJobInput) Validate() error {
	if err := checkJobName("processingJobName", in.ProcessingJobName); err != nil {
		return err
	}
	if err := CheckRoleARN(in.RoleArn); err != nil {
		return err
	}
	if err := CheckTags(in.Tags); err != nil {
		return err
	}
	if in.AppSpecification.ImageUri == "" {
		return validation("1 validation error detected: Value null at 'appSpecification.imageUri' failed to satisfy constraint: Member must not be null")
	}
	if len(in.AppSpecification.ContainerEntrypoint) > 100 || len(in.AppSpecification.ContainerArguments) > 100 {
		return validation("ContainerEntrypoint and ContainerArguments may hold at most 100 strings each.")
	}
	if len(in.Environment) > 100 {
		return validation("1 validation error detected: Value at 'environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 100]")
	}
	if in.StoppingCondition != nil && (in.StoppingCondition.MaxRuntimeInSeconds < 1 || in.StoppingCondition.MaxRuntimeInSeconds > 777600) {
		return validation("1 validation error detected: Value '%d' at 'stoppingCondition.maxRuntimeInSeconds' failed to satisfy constraint: Member must have value between 1 and 777600", in.StoppingCondition.MaxRuntimeInSeconds)
	}
	if len(in.ProcessingInputs) > 10 {
		return validation("1 validation error detected: Value at 'processingInputs' failed to satisfy constraint: Member must have length less than or equal to 10")
	}
	names := map[string]bool{}
	for _, i := range in.ProcessingInputs {
		if i.InputName == "" || names[i.InputName] {
			return validation("ProcessingInputs must have unique, non-empty InputNames; %q is not.", i.InputName)
		}
		names[i.InputName] = true
		if i.S3Input == nil {
			if i.DatasetDefinition != nil {
				return validation("ProcessingInput %q uses a DatasetDefinition, which Cairn does not support; use S3Input.", i.InputName)
			}
			continue
		}
		if !strings.HasPrefix(i.S3Input.S3Uri, "s3://") {
			return validation("ProcessingInput %q has S3Uri %q, which is not an s3:// URI.", i.InputName, i.S3Input.S3Uri)
		}
		if !strings.HasPrefix(i.S3Input.LocalPath, ProcessingPathPrefix) || strings.Contains(i.S3Input.LocalPath, "..") {
			return validation("ProcessingInput %q has LocalPath %q; it must be a path under %s.", i.InputName, i.S3Input.LocalPath, ProcessingPathPrefix)
		}
		switch i.S3Input.S3DataType {
		case "S3Prefix", "ManifestFile":
		default:
			return validation("ProcessingInput %q has S3DataType %q; it must be S3Prefix or ManifestFile.", i.InputName, i.S3Input.S3DataType)
		}
		if m := i.S3Input.S3InputMode; m != "" && m != "File" {
			return validation("ProcessingInput %q has S3InputMode %s; Cairn supports File.", i.InputName, m)
		}
	}
	if in.ProcessingOutputConfig != nil {
		if len(in.ProcessingOutputConfig.Outputs) > 10 {
			return validation("1 validation error detected: Value at 'processingOutputConfig.outputs' failed to satisfy constraint: Member must have length less than or equal to 10")
		}
		outs := map[string]bool{}
		for _, o := range in.ProcessingOutputConfig.Outputs {
			if o.OutputName == "" || outs[o.OutputName] {
				return validation("ProcessingOutputs must have unique, non-empty OutputNames; %q is not.", o.OutputName)
			}
			outs[o.OutputName] = true
			if o.S3Output == nil {
				continue
			}
			if !strings.HasPrefix(o.S3Output.S3Uri, "s3://") {
				return validation("ProcessingOutput %q has S3Uri %q, which is not an s3:// URI.", o.OutputName, o.S3Output.S3Uri)
			}
			if !strings.HasPrefix(o.S3Output.LocalPath, ProcessingPathPrefix) || strings.Contains(o.S3Output.LocalPath, "..") {
				return validation("ProcessingOutput %q has LocalPath %q; it must be a path under %s.", o.OutputName, o.S3Output.LocalPath, ProcessingPathPrefix)
			}
		}
	}
	return nil
}
