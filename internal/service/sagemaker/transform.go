package sagemaker

import (
	"context"
	"encoding/json"
	"regexp"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// TransformJobKind is the resource type of transform jobs in ARNs.
const TransformJobKind = "transform-job"

func (s *Service) transformOps() []*operation.Operation {
	name := func(in *TransformJobRef) string { return in.TransformJobName }
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateTransformJobInput, CreateTransformJobOutput]{
			Name: "CreateTransformJob", Access: s.createTransformJobAccess, Handler: s.createTransformJob}),
		operation.Declare(operation.Op[TransformJobRef, DescribeTransformJobOutput]{
			Name: "DescribeTransformJob", Access: jobAccess(s, TransformJobKind, name), Handler: s.describeTransformJob}),
		operation.Declare(operation.Op[ListTransformJobsInput, ListTransformJobsOutput]{
			Name: "ListTransformJobs", Handler: s.listTransformJobs}),
		operation.Declare(operation.Op[TransformJobRef, struct{}]{
			Name: "StopTransformJob", Access: jobAccess(s, TransformJobKind, name),
			Handler: func(ctx context.Context, in *TransformJobRef) (*struct{}, error) {
				return &struct{}{}, s.stopJob(ctx, TransformJobKind, in.TransformJobName)
			}}),
	}
}

// CreateTransformJobInput is the CreateTransformJob request.
type CreateTransformJobInput struct {
	TransformJobName        string             `required:"true"`
	ModelName               string             `required:"true"`
	MaxConcurrentTransforms *int               `json:",omitempty"`
	ModelClientConfig       *ModelClientConfig `json:",omitempty"`
	MaxPayloadInMB          *int               `json:",omitempty"`
	BatchStrategy           string             `json:",omitempty"`
	Environment             map[string]string  `json:",omitempty"`
	TransformInput          *TransformInput    `required:"true"`
	TransformOutput         *TransformOutput   `required:"true"`
	DataCaptureConfig       json.RawMessage    `json:",omitempty"`
	TransformResources      *struct {
		InstanceType        string `required:"true"`
		InstanceCount       int    `required:"true"`
		VolumeKmsKeyId      string `json:",omitempty"`
		TransformAmiVersion string `json:",omitempty"`
	} `required:"true"`
	DataProcessing   *DataProcessing `json:",omitempty"`
	Tags             []Tag           `json:",omitempty"`
	ExperimentConfig json.RawMessage `json:",omitempty"`
}

// ModelClientConfig bounds each invocation of the model.
type ModelClientConfig struct {
	InvocationsTimeoutInSeconds *int `json:",omitempty"`
	InvocationsMaxRetries       *int `json:",omitempty"`
}

// TransformInput says what a transform job reads and how it cuts it into records.
type TransformInput struct {
	DataSource *struct {
		S3DataSource *struct {
			S3DataType string `required:"true"`
			S3Uri      string `required:"true"`
		} `required:"true"`
	} `required:"true"`
	ContentType     string `json:",omitempty"`
	CompressionType string `json:",omitempty"`
	SplitType       string `json:",omitempty"`
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

// Limits of CreateTransformJob.
const (
	maxTransformEnv        = 16
	maxTransformEnvValue   = 10240
	maxPayloadInMB         = 100
	maxInvocationTimeout   = 3600
	maxInvocationRetries   = 3
	maxConcurrentTransform = 100
)

var s3URIPattern = regexp.MustCompile(`^(https|s3)://([^/]+)/?(.*)$`)

// Validate checks the request as SageMaker does, and refuses what Cairn cannot run with a
// message that says so.
func (in *CreateTransformJobInput) Validate() error {
	if err := checkJobName("transformJobName", in.TransformJobName); err != nil {
		return err
	}
	if err := checkModelName("modelName", in.ModelName); err != nil {
		return err
	}
	if err := checkTags(in.Tags); err != nil {
		return err
	}
	src := in.TransformInput.DataSource.S3DataSource
	switch src.S3DataType {
	case "S3Prefix", "ManifestFile":
	case "AugmentedManifestFile", "Converse":
		return validation("S3DataType %s is not supported by Cairn's transform jobs; use S3Prefix or ManifestFile.", src.S3DataType)
	default:
		return validation("1 validation error detected: Value '%s' at 'transformInput.dataSource.s3DataSource.s3DataType' failed to satisfy constraint: Member must satisfy enum value set: [ManifestFile, S3Prefix, AugmentedManifestFile, Converse]", src.S3DataType)
	}
	if len(src.S3Uri) > 1024 || !s3URIPattern.MatchString(src.S3Uri) {
		return validation("1 validation error detected: Value '%s' at 'transformInput.dataSource.s3DataSource.s3Uri' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$", src.S3Uri)
	}
	switch c := in.TransformInput.CompressionType; c {
	case "", "None", "Gzip":
	default:
		return validation("1 validation error detected: Value '%s' at 'transformInput.compressionType' failed to satisfy constraint: Member must satisfy enum value set: [None, Gzip]", c)
	}
	switch st := in.TransformInput.SplitType; st {
	case "", "None", "Line":
	case "RecordIO", "TFRecord":
		return validation("SplitType %s is not supported by Cairn's transform jobs; use None or Line.", st)
	default:
		return validation("1 validation error detected: Value '%s' at 'transformInput.splitType' failed to satisfy constraint: Member must satisfy enum value set: [None, Line, RecordIO, TFRecord]", st)
	}
	if len(in.TransformInput.ContentType) > 256 {
		return validation("1 validation error detected: Value at 'transformInput.contentType' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	out := in.TransformOutput
	if len(out.S3OutputPath) > 1024 || !s3URIPattern.MatchString(out.S3OutputPath) {
		return validation("1 validation error detected: Value '%s' at 'transformOutput.s3OutputPath' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$", out.S3OutputPath)
	}
	switch a := out.AssembleWith; a {
	case "", "None", "Line":
	default:
		return validation("1 validation error detected: Value '%s' at 'transformOutput.assembleWith' failed to satisfy constraint: Member must satisfy enum value set: [None, Line]", a)
	}
	if len(out.Accept) > 256 {
		return validation("1 validation error detected: Value at 'transformOutput.accept' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	switch b := in.BatchStrategy; b {
	case "", "SingleRecord", "MultiRecord":
	default:
		return validation("1 validation error detected: Value '%s' at 'batchStrategy' failed to satisfy constraint: Member must satisfy enum value set: [MultiRecord, SingleRecord]", b)
	}
	if r := in.TransformResources; r.InstanceType == "" || r.InstanceCount < 1 {
		return validation("1 validation error detected: Value '%d' at 'transformResources.instanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1", r.InstanceCount)
	}
	payload, concurrency := 6, 1
	if in.MaxPayloadInMB != nil {
		payload = *in.MaxPayloadInMB
		if payload < 0 || payload > maxPayloadInMB {
			return validation("1 validation error detected: Value '%d' at 'maxPayloadInMB' failed to satisfy constraint: Member must have value between 0 and %d", payload, maxPayloadInMB)
		}
		if payload == 0 && in.TransformInput.SplitType == "Line" {
			return validation("MaxPayloadInMB 0 (payloads of any size) is supported with SplitType None only; give a bound in MB for SplitType Line.")
		}
	}
	if in.MaxConcurrentTransforms != nil {
		concurrency = *in.MaxConcurrentTransforms
		if concurrency < 0 || concurrency > maxConcurrentTransform {
			return validation("1 validation error detected: Value '%d' at 'maxConcurrentTransforms' failed to satisfy constraint: Member must have value between 0 and %d", concurrency, maxConcurrentTransform)
		}
	}
	if payload*max(concurrency, 1) > maxPayloadInMB {
		return validation("The value of MaxConcurrentTransforms (%d) multiplied by MaxPayloadInMB (%d) must not exceed %d MB.", concurrency, payload, maxPayloadInMB)
	}
	if c := in.ModelClientConfig; c != nil {
		if t := c.InvocationsTimeoutInSeconds; t != nil && (*t < 1 || *t > maxInvocationTimeout) {
			return validation("1 validation error detected: Value '%d' at 'modelClientConfig.invocationsTimeoutInSeconds' failed to satisfy constraint: Member must have value between 1 and %d", *t, maxInvocationTimeout)
		}
		if r := c.InvocationsMaxRetries; r != nil && (*r < 0 || *r > maxInvocationRetries) {
			return validation("1 validation error detected: Value '%d' at 'modelClientConfig.invocationsMaxRetries' failed to satisfy constraint: Member must have value between 0 and %d", *r, maxInvocationRetries)
		}
	}
	if len(in.Environment) > maxTransformEnv {
		return validation("1 validation error detected: Value at 'environment' failed to satisfy constraint: Member must have length less than or equal to %d", maxTransformEnv)
	}
	for k, v := range in.Environment {
		if len(k) > maxEnvKeyOrValue || !containerEnvKeyPattern.MatchString(k) {
			return validation("1 validation error detected: Value '%s' at 'environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]{0,1023}]", k)
		}
		if len(v) > maxTransformEnvValue {
			return validation("1 validation error detected: Value at 'environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to %d]", maxTransformEnvValue)
		}
	}
	if dp := in.DataProcessing; dp != nil {
		if f := dp.InputFilter; f != "" && f != "$" {
			return validation("DataProcessing.InputFilter %q is not supported by Cairn's transform jobs; only \"$\" (the whole record) is.", f)
		}
		if f := dp.OutputFilter; f != "" && f != "$" {
			return validation("DataProcessing.OutputFilter %q is not supported by Cairn's transform jobs; only \"$\" (the whole output) is.", f)
		}
		switch dp.JoinSource {
		case "", "None":
		case "Input":
			return validation("DataProcessing.JoinSource Input is not supported by Cairn's transform jobs; only None is.")
		default:
			return validation("1 validation error detected: Value '%s' at 'dataProcessing.joinSource' failed to satisfy constraint: Member must satisfy enum value set: [Input, None]", dp.JoinSource)
		}
	}
	return nil
}

func (s *Service) createTransformJobAccess(ctx context.Context, in *CreateTransformJobInput) (*operation.Access, error) {
	account := caller(ctx).Account
	return &operation.Access{
		Resources: []operation.Resource{{ARN: s.arnAsGiven(account, TransformJobKind, in.TransformJobName), Account: account}},
		Context:   requestTagKeys(in.Tags),
	}, nil
}

// createTransformJob records the job; it runs as its model's execution role, as in
// SageMaker.
func (s *Service) createTransformJob(ctx context.Context, in *CreateTransformJobInput) (*CreateTransformJobOutput, error) {
	var model *store.Model
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		model, err = s.findModel(ctx, tx, in.ModelName)
		return err
	})
	if err != nil {
		return nil, err
	}
	if model.RoleARN == "" {
		return nil, validation("Model %q has no ExecutionRoleArn; a transform job reads and writes S3 as its model's execution role.", model.ARN)
	}
	job, err := s.createJob(ctx, TransformJobKind, in.TransformJobName, model.RoleARN, in, in.Tags)
	if err != nil {
		return nil, err
	}
	return &CreateTransformJobOutput{TransformJobArn: job.ARN}, nil
}

// TransformJobRef names a transform job.
type TransformJobRef struct {
	TransformJobName string `required:"true"`
}

// DescribeTransformJobOutput is the request the job was created with and its state.
type DescribeTransformJobOutput map[string]any

func (s *Service) describeTransformJob(ctx context.Context, in *TransformJobRef) (*DescribeTransformJobOutput, error) {
	job, err := s.findJob(ctx, TransformJobKind, in.TransformJobName)
	if err != nil {
		return nil, err
	}
	out := DescribeTransformJobOutput(DescribeJob(job))
	return &out, nil
}

// ListTransformJobsInput filters and pages transform jobs.
type ListTransformJobsInput struct {
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
}

// TransformJobSummary is one job of a list.
type TransformJobSummary struct {
	TransformJobName   string
	TransformJobArn    string
	CreationTime       *operation.Timestamp
	TransformEndTime   *operation.Timestamp `json:",omitempty"`
	LastModifiedTime   *operation.Timestamp
	TransformJobStatus string
	FailureReason      string `json:",omitempty"`
}

// ListTransformJobsOutput is one page of transform jobs.
type ListTransformJobsOutput struct {
	TransformJobSummaries []TransformJobSummary
	NextToken             *string `json:",omitempty"`
}

func (s *Service) listTransformJobs(ctx context.Context, in *ListTransformJobsInput) (*ListTransformJobsOutput, error) {
	jobs, next, err := s.listJobs(ctx, TransformJobKind, jobListFilter{
		CreatedAfter: in.CreationTimeAfter, CreatedBefore: in.CreationTimeBefore,
		ModifiedAfter: in.LastModifiedTimeAfter, ModifiedBefore: in.LastModifiedTimeBefore,
		NameContains: in.NameContains, Status: in.StatusEquals, SortBy: in.SortBy, SortOrder: in.SortOrder,
		NextToken: in.NextToken, MaxResults: in.MaxResults,
	})
	if err != nil {
		return nil, err
	}
	out := &ListTransformJobsOutput{TransformJobSummaries: []TransformJobSummary{}, NextToken: next}
	for _, j := range jobs {
		out.TransformJobSummaries = append(out.TransformJobSummaries, TransformJobSummary{
			TransformJobName: j.Name, TransformJobArn: j.ARN, CreationTime: operation.NewTimestamp(j.CreatedAt),
			TransformEndTime: operation.NewTimestamp(j.EndedAt), LastModifiedTime: operation.NewTimestamp(j.LastModifiedAt),
			TransformJobStatus: j.Status, FailureReason: j.FailureReason,
		})
	}
	return out, nil
}
