package sagemaker

import (
	"encoding/json"

	"github.com/cairnhq/cairn/internal/operation"
)

// CreateTransformJobInput is the CreateTransformJob request.
type CreateTransformJobInput struct {
	TransformJobName        string              `required:"true"`
	ModelName               string              `required:"true"`
	MaxConcurrentTransforms *int                `json:",omitempty"`
	ModelClientConfig       *ModelClientConfig  `json:",omitempty"`
	MaxPayloadInMB          *int                `json:",omitempty"`
	BatchStrategy           string              `json:",omitempty"`
	Environment             map[string]string   `json:",omitempty"`
	TransformInput          *TransformInput     `required:"true"`
	TransformOutput         *TransformOutput    `required:"true"`
	DataCaptureConfig       json.RawMessage     `json:",omitempty"`
	TransformResources      *TransformResources `required:"true"`
	DataProcessing          *DataProcessing     `json:",omitempty"`
	Tags                    []Tag               `json:",omitempty"`
	ExperimentConfig        json.RawMessage     `json:",omitempty"`
}

// ModelClientConfig bounds each invocation of the model.
type ModelClientConfig struct {
	InvocationsTimeoutInSeconds *int `json:",omitempty"`
	InvocationsMaxRetries       *int `json:",omitempty"`
}

// TransformInput says what a transform job reads and how it cuts it into records.
type TransformInput struct {
	DataSource      *TransformDataSource `required:"true"`
	ContentType     string               `json:",omitempty"`
	CompressionType string               `json:",omitempty"`
	SplitType       string               `json:",omitempty"`
}

// TransformDataSource is where a transform job's input lives.
type TransformDataSource struct {
	S3DataSource *TransformS3DataSource `required:"true"`
}

// TransformS3DataSource is a transform job's input in S3.
type TransformS3DataSource struct {
	S3DataType string `required:"true"`
	S3Uri      string `required:"true"`
}

// TransformResources is the compute a transform job asks for.
type TransformResources struct {
	InstanceType        string `required:"true"`
	InstanceCount       int    `required:"true"`
	VolumeKmsKeyId      string `json:",omitempty"`
	TransformAmiVersion string `json:",omitempty"`
}

// TransformOutput says where a transform job writes its results.
type TransformOutput struct {
	S3OutputPath string `required:"true"`
	Accept       string `json:",omitempty"`
	AssembleWith string `json:",omitempty"`
	KmsKeyId     string `json:",omitempty"`
}

// DataProcessing filters and joins records; Cairn accepts only the identity.
type DataProcessing struct {
	InputFilter  string `json:",omitempty"`
	OutputFilter string `json:",omitempty"`
	JoinSource   string `json:",omitempty"`
}

// CreateTransformJobOutput names the job.
type CreateTransformJobOutput struct {
	TransformJobArn string
}

// DescribeTransformJobOutput is the request a transform job was created with (less its
// tags) and the job's state.
type DescribeTransformJobOutput struct {
	TransformJobName        string
	ModelName               string
	MaxConcurrentTransforms *int               `json:",omitempty"`
	ModelClientConfig       *ModelClientConfig `json:",omitempty"`
	MaxPayloadInMB          *int               `json:",omitempty"`
	BatchStrategy           string             `json:",omitempty"`
	Environment             map[string]string  `json:",omitempty"`
	TransformInput          *TransformInput
	TransformOutput         *TransformOutput
	DataCaptureConfig       json.RawMessage `json:",omitempty"`
	TransformResources      *TransformResources
	DataProcessing          *DataProcessing `json:",omitempty"`
	ExperimentConfig        json.RawMessage `json:",omitempty"`

	TransformJobArn    string
	TransformJobStatus JobStatus
	FailureReason      string `json:",omitempty"`
	// ExitMessage is Cairn's: the tail of the log of a model server that failed.
	ExitMessage        string               `json:",omitempty"`
	TransformStartTime *operation.Timestamp `json:",omitempty"`
	TransformEndTime   *operation.Timestamp `json:",omitempty"`
	CreationTime       *operation.Timestamp
	LastModifiedTime   *operation.Timestamp
}

// DescribeTransformJob describes a transform job created with req, in state st.
func DescribeTransformJob(req *CreateTransformJobInput, st *JobState) *DescribeTransformJobOutput {
	return &DescribeTransformJobOutput{
		TransformJobName: req.TransformJobName, ModelName: req.ModelName,
		MaxConcurrentTransforms: req.MaxConcurrentTransforms, ModelClientConfig: req.ModelClientConfig,
		MaxPayloadInMB: req.MaxPayloadInMB, BatchStrategy: req.BatchStrategy, Environment: req.Environment,
		TransformInput: req.TransformInput, TransformOutput: req.TransformOutput, DataCaptureConfig: req.DataCaptureConfig,
		TransformResources: req.TransformResources, DataProcessing: req.DataProcessing, ExperimentConfig: req.ExperimentConfig,

		TransformJobArn: st.ARN, TransformJobStatus: st.Status, FailureReason: st.FailureReason,
		ExitMessage: st.ExitMessage, TransformStartTime: operation.NewTimestamp(st.StartedAt),
		TransformEndTime: operation.NewTimestamp(st.EndedAt), CreationTime: operation.NewTimestamp(st.CreatedAt),
		LastModifiedTime: operation.NewTimestamp(st.LastModifiedAt),
	}
}
