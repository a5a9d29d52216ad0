package sagemaker

import (
	"github.com/cairnhq/cairn/internal/operation"
)

// CreateTransformJobInput is the CreateTransformJob request.
type CreateTransformJobInput struct {
	TransformJobName        string                  `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	ModelName               string                  `required:"true" max:"63" pattern:"[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?"`
	MaxConcurrentTransforms *int                    `json:",omitempty" min:"0"`
	ModelClientConfig       *ModelClientConfig      `json:",omitempty"`
	MaxPayloadInMB          *int                    `json:",omitempty" min:"0"`
	BatchStrategy           string                  `json:",omitempty" enum:"MultiRecord,SingleRecord"`
	Environment             map[string]string       `json:",omitempty" max:"16" keyMax:"1024" keyPattern:"[a-zA-Z_][a-zA-Z0-9_]{0,1023}" keyRe:"[a-zA-Z_][a-zA-Z0-9_]*" valueMax:"10240" valuePattern:"[\\S\\s]*"`
	TransformInput          *TransformInput         `required:"true"`
	TransformOutput         *TransformOutput        `required:"true"`
	DataCaptureConfig       *BatchDataCaptureConfig `json:",omitempty"`
	TransformResources      *TransformResources     `required:"true"`
	DataProcessing          *DataProcessing         `json:",omitempty"`
	Tags                    []Tag                   `json:",omitempty" max:"50"`
	ExperimentConfig        *ExperimentConfig       `json:",omitempty"`
}

// ModelClientConfig bounds each invocation of the model.
type ModelClientConfig struct {
	InvocationsTimeoutInSeconds *int `json:",omitempty" min:"1" max:"3600"`
	InvocationsMaxRetries       *int `json:",omitempty" min:"0" max:"3"`
}

// TransformInput says what a transform job reads and how it cuts it into records.
type TransformInput struct {
	DataSource      *TransformDataSource `required:"true"`
	ContentType     string               `json:",omitempty" max:"256" pattern:".*"`
	CompressionType string               `json:",omitempty" enum:"None,Gzip"`
	SplitType       string               `json:",omitempty" enum:"None,Line,RecordIO,TFRecord"`
}

// TransformDataSource is where a transform job's input lives.
type TransformDataSource struct {
	S3DataSource *TransformS3DataSource `required:"true"`
}

// TransformS3DataSource is a transform job's input in S3.
type TransformS3DataSource struct {
	S3DataType string `required:"true" enum:"ManifestFile,S3Prefix,AugmentedManifestFile,Converse"`
	S3Uri      string `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
}

// TransformResources is the compute a transform job asks for.
type TransformResources struct {
	InstanceType        string `required:"true" enum:"ml.m4.xlarge,ml.m4.2xlarge,ml.m4.4xlarge,ml.m4.10xlarge,ml.m4.16xlarge,ml.c4.xlarge,ml.c4.2xlarge,ml.c4.4xlarge,ml.c4.8xlarge,ml.p2.xlarge,ml.p2.8xlarge,ml.p2.16xlarge,ml.p3.2xlarge,ml.p3.8xlarge,ml.p3.16xlarge,ml.c5.xlarge,ml.c5.2xlarge,ml.c5.4xlarge,ml.c5.9xlarge,ml.c5.18xlarge,ml.m5.large,ml.m5.xlarge,ml.m5.2xlarge,ml.m5.4xlarge,ml.m5.12xlarge,ml.m5.24xlarge,ml.m6i.large,ml.m6i.xlarge,ml.m6i.2xlarge,ml.m6i.4xlarge,ml.m6i.8xlarge,ml.m6i.12xlarge,ml.m6i.16xlarge,ml.m6i.24xlarge,ml.m6i.32xlarge,ml.c6i.large,ml.c6i.xlarge,ml.c6i.2xlarge,ml.c6i.4xlarge,ml.c6i.8xlarge,ml.c6i.12xlarge,ml.c6i.16xlarge,ml.c6i.24xlarge,ml.c6i.32xlarge,ml.r6i.large,ml.r6i.xlarge,ml.r6i.2xlarge,ml.r6i.4xlarge,ml.r6i.8xlarge,ml.r6i.12xlarge,ml.r6i.16xlarge,ml.r6i.24xlarge,ml.r6i.32xlarge,ml.m7i.large,ml.m7i.xlarge,ml.m7i.2xlarge,ml.m7i.4xlarge,ml.m7i.8xlarge,ml.m7i.12xlarge,ml.m7i.16xlarge,ml.m7i.24xlarge,ml.m7i.48xlarge,ml.c7i.large,ml.c7i.xlarge,ml.c7i.2xlarge,ml.c7i.4xlarge,ml.c7i.8xlarge,ml.c7i.12xlarge,ml.c7i.16xlarge,ml.c7i.24xlarge,ml.c7i.48xlarge,ml.r7i.large,ml.r7i.xlarge,ml.r7i.2xlarge,ml.r7i.4xlarge,ml.r7i.8xlarge,ml.r7i.12xlarge,ml.r7i.16xlarge,ml.r7i.24xlarge,ml.r7i.48xlarge,ml.g4dn.xlarge,ml.g4dn.2xlarge,ml.g4dn.4xlarge,ml.g4dn.8xlarge,ml.g4dn.12xlarge,ml.g4dn.16xlarge,ml.g5.xlarge,ml.g5.2xlarge,ml.g5.4xlarge,ml.g5.8xlarge,ml.g5.12xlarge,ml.g5.16xlarge,ml.g5.24xlarge,ml.g5.48xlarge,ml.trn1.2xlarge,ml.trn1.32xlarge,ml.inf2.xlarge,ml.inf2.8xlarge,ml.inf2.24xlarge,ml.inf2.48xlarge,ml.g6.xlarge,ml.g6.2xlarge,ml.g6.4xlarge,ml.g6.8xlarge,ml.g6.12xlarge,ml.g6.16xlarge,ml.g6.24xlarge,ml.g6.48xlarge"`
	InstanceCount       *int   `required:"true" min:"1"`
	VolumeKmsKeyId      string `json:",omitempty" max:"2048" pattern:"[a-zA-Z0-9:/_-]*"`
	TransformAmiVersion string `json:",omitempty" min:"1" max:"63" pattern:"[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*"`
}

// TransformOutput says where a transform job writes its results.
type TransformOutput struct {
	S3OutputPath string `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	Accept       string `json:",omitempty" max:"256" pattern:".*"`
	AssembleWith string `json:",omitempty" enum:"None,Line"`
	KmsKeyId     string `json:",omitempty" max:"2048" pattern:"[a-zA-Z0-9:/_-]*"`
}

// DataProcessing filters and joins records; Cairn accepts only the identity.
type DataProcessing struct {
	InputFilter  string `json:",omitempty" max:"63"`
	OutputFilter string `json:",omitempty" max:"63"`
	JoinSource   string `json:",omitempty" enum:"Input,None"`
}

// BatchDataCaptureConfig says where a transform job's inputs and outputs would be
// captured.
type BatchDataCaptureConfig struct {
	DestinationS3Uri    string `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	KmsKeyId            string `json:",omitempty" max:"2048" pattern:"[a-zA-Z0-9:/_-]*"`
	GenerateInferenceId *bool  `json:",omitempty"`
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
	DataCaptureConfig       *BatchDataCaptureConfig `json:",omitempty"`
	TransformResources      *TransformResources
	DataProcessing          *DataProcessing   `json:",omitempty"`
	ExperimentConfig        *ExperimentConfig `json:",omitempty"`

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
