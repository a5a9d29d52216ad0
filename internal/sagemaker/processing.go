package sagemaker

import (
	"encoding/json"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
)

// CreateProcessingJobInput is the CreateProcessingJob request.
type CreateProcessingJobInput struct {
	ProcessingInputs       []ProcessingInput       `json:",omitempty" max:"10"`
	ProcessingOutputConfig *ProcessingOutputConfig `json:",omitempty"`
	ProcessingJobName      string                  `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	ProcessingResources    *ProcessingResources    `required:"true"`
	StoppingCondition      *StoppingCondition      `json:",omitempty"`
	AppSpecification       *AppSpecification       `required:"true"`
	Environment            map[string]string       `json:",omitempty" max:"100" keyMax:"256" keyPattern:"[a-zA-Z_][a-zA-Z0-9_]*" valueMax:"256" valuePattern:"[\\S\\s]*"`
	NetworkConfig          *NetworkConfig          `json:",omitempty"`
	RoleArn                string                  `required:"true" min:"20" max:"2048" pattern:"arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"`
	Tags                   []Tag                   `json:",omitempty" max:"50"`
	ExperimentConfig       *ExperimentConfig       `json:",omitempty"`
}

// ProcessingInput is one input of a processing job.
type ProcessingInput struct {
	InputName         string             `required:"true"`
	AppManaged        *bool              `json:",omitempty"`
	S3Input           *ProcessingS3Input `json:",omitempty"`
	DatasetDefinition json.RawMessage    `json:",omitempty"`
}

// ProcessingS3Input is an input read from S3.
type ProcessingS3Input struct {
	S3Uri                  string `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	LocalPath              string `json:",omitempty" max:"256" pattern:".*"`
	S3DataType             string `required:"true" enum:"ManifestFile,S3Prefix"`
	S3InputMode            string `json:",omitempty" enum:"Pipe,File"`
	S3DataDistributionType string `json:",omitempty" enum:"FullyReplicated,ShardedByS3Key"`
	S3CompressionType      string `json:",omitempty" enum:"None,Gzip"`
}

// ProcessingOutputConfig lists a processing job's outputs.
type ProcessingOutputConfig struct {
	Outputs  []ProcessingOutput `required:"true" max:"10"`
	KmsKeyId string             `json:",omitempty" max:"2048" pattern:"[a-zA-Z0-9:/_-]*"`
}

// ProcessingOutput is one output of a processing job.
type ProcessingOutput struct {
	OutputName         string                        `required:"true"`
	S3Output           *ProcessingS3Output           `json:",omitempty"`
	FeatureStoreOutput *ProcessingFeatureStoreOutput `json:",omitempty"`
	AppManaged         *bool                         `json:",omitempty"`
}

// ProcessingFeatureStoreOutput is an output for a feature group (which Cairn keeps, not
// acts on).
type ProcessingFeatureStoreOutput struct {
	FeatureGroupName string `required:"true" min:"1" max:"64" pattern:"[a-zA-Z0-9]([_-]*[a-zA-Z0-9]){0,63}"`
}

// NetworkConfig is the network of a processing job's containers.
type NetworkConfig struct {
	EnableInterContainerTrafficEncryption *bool      `json:",omitempty"`
	EnableNetworkIsolation                *bool      `json:",omitempty"`
	VpcConfig                             *VpcConfig `json:",omitempty"`
}

// ProcessingS3Output is an output uploaded to S3.
type ProcessingS3Output struct {
	S3Uri        string `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	LocalPath    string `json:",omitempty" max:"256" pattern:".*"`
	S3UploadMode string `required:"true" enum:"Continuous,EndOfJob"`
}

// StoppingCondition bounds a job's run time.
type StoppingCondition struct {
	MaxRuntimeInSeconds *int `required:"true" min:"1" max:"777600"`
}

// AppSpecification says what a processing job runs.
type AppSpecification struct {
	ImageUri            string   `required:"true" max:"255" pattern:".*"`
	ContainerEntrypoint []string `json:",omitempty" min:"1" max:"100" memberMax:"256" memberPattern:".*"`
	ContainerArguments  []string `json:",omitempty" min:"1" max:"100" memberMax:"256" memberPattern:".*"`
}

// ProcessingResources is the compute a processing job asks for.
type ProcessingResources struct {
	ClusterConfig *ProcessingClusterConfig `required:"true"`
}

// ProcessingClusterConfig is the instances of a processing job.
type ProcessingClusterConfig struct {
	InstanceCount  *int   `required:"true" min:"1" max:"100"`
	InstanceType   string `required:"true" enum:"ml.t3.medium,ml.t3.large,ml.t3.xlarge,ml.t3.2xlarge,ml.m4.xlarge,ml.m4.2xlarge,ml.m4.4xlarge,ml.m4.10xlarge,ml.m4.16xlarge,ml.c4.xlarge,ml.c4.2xlarge,ml.c4.4xlarge,ml.c4.8xlarge,ml.p2.xlarge,ml.p2.8xlarge,ml.p2.16xlarge,ml.p3.2xlarge,ml.p3.8xlarge,ml.p3.16xlarge,ml.c5.xlarge,ml.c5.2xlarge,ml.c5.4xlarge,ml.c5.9xlarge,ml.c5.18xlarge,ml.m5.large,ml.m5.xlarge,ml.m5.2xlarge,ml.m5.4xlarge,ml.m5.12xlarge,ml.m5.24xlarge,ml.r5.large,ml.r5.xlarge,ml.r5.2xlarge,ml.r5.4xlarge,ml.r5.8xlarge,ml.r5.12xlarge,ml.r5.16xlarge,ml.r5.24xlarge,ml.g4dn.xlarge,ml.g4dn.2xlarge,ml.g4dn.4xlarge,ml.g4dn.8xlarge,ml.g4dn.12xlarge,ml.g4dn.16xlarge,ml.g5.xlarge,ml.g5.2xlarge,ml.g5.4xlarge,ml.g5.8xlarge,ml.g5.16xlarge,ml.g5.12xlarge,ml.g5.24xlarge,ml.g5.48xlarge,ml.r5d.large,ml.r5d.xlarge,ml.r5d.2xlarge,ml.r5d.4xlarge,ml.r5d.8xlarge,ml.r5d.12xlarge,ml.r5d.16xlarge,ml.r5d.24xlarge,ml.g6.xlarge,ml.g6.2xlarge,ml.g6.4xlarge,ml.g6.8xlarge,ml.g6.12xlarge,ml.g6.16xlarge,ml.g6.24xlarge,ml.g6.48xlarge,ml.g6e.xlarge,ml.g6e.2xlarge,ml.g6e.4xlarge,ml.g6e.8xlarge,ml.g6e.12xlarge,ml.g6e.16xlarge,ml.g6e.24xlarge,ml.g6e.48xlarge,ml.m6i.large,ml.m6i.xlarge,ml.m6i.2xlarge,ml.m6i.4xlarge,ml.m6i.8xlarge,ml.m6i.12xlarge,ml.m6i.16xlarge,ml.m6i.24xlarge,ml.m6i.32xlarge,ml.c6i.xlarge,ml.c6i.2xlarge,ml.c6i.4xlarge,ml.c6i.8xlarge,ml.c6i.12xlarge,ml.c6i.16xlarge,ml.c6i.24xlarge,ml.c6i.32xlarge,ml.m7i.large,ml.m7i.xlarge,ml.m7i.2xlarge,ml.m7i.4xlarge,ml.m7i.8xlarge,ml.m7i.12xlarge,ml.m7i.16xlarge,ml.m7i.24xlarge,ml.m7i.48xlarge,ml.c7i.large,ml.c7i.xlarge,ml.c7i.2xlarge,ml.c7i.4xlarge,ml.c7i.8xlarge,ml.c7i.12xlarge,ml.c7i.16xlarge,ml.c7i.24xlarge,ml.c7i.48xlarge,ml.r7i.large,ml.r7i.xlarge,ml.r7i.2xlarge,ml.r7i.4xlarge,ml.r7i.8xlarge,ml.r7i.12xlarge,ml.r7i.16xlarge,ml.r7i.24xlarge,ml.r7i.48xlarge,ml.p5.4xlarge,ml.g7e.2xlarge,ml.g7e.4xlarge,ml.g7e.8xlarge,ml.g7e.12xlarge,ml.g7e.24xlarge,ml.g7e.48xlarge"`
	VolumeSizeInGB *int   `required:"true" min:"1" max:"16384"`
	VolumeKmsKeyId string `json:",omitempty" max:"2048" pattern:"[a-zA-Z0-9:/_-]*"`
}

// InstanceType is the instance type the request's ProcessingResources name ("" for none).
func (in *CreateProcessingJobInput) InstanceType() string {
	if in.ProcessingResources == nil || in.ProcessingResources.ClusterConfig == nil {
		return ""
	}
	return in.ProcessingResources.ClusterConfig.InstanceType
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
	ProcessingResources    *ProcessingResources
	StoppingCondition      *StoppingCondition `json:",omitempty"`
	AppSpecification       *AppSpecification
	Environment            map[string]string `json:",omitempty"`
	NetworkConfig          *NetworkConfig    `json:",omitempty"`
	RoleArn                string
	ExperimentConfig       *ExperimentConfig `json:",omitempty"`

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

// Validate checks what the request's constraints cannot say, and refuses what Cairn does
// not run: inputs and outputs other than S3 objects under /opt/ml/processing/, and input
// modes other than File.
func (in *CreateProcessingJobInput) Validate() error {
	if err := CheckTagKeys(in.Tags); err != nil {
		return err
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
		if m := i.S3Input.S3InputMode; m != "" && m != "File" {
			return validation("ProcessingInput %q has S3InputMode %s; Cairn supports File.", i.InputName, m)
		}
	}
	if in.ProcessingOutputConfig != nil {
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
