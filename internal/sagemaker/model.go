package sagemaker

import (
	"strconv"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

// CreateModelInput is the CreateModel request.
type CreateModelInput struct {
	ModelName                string                    `required:"true" max:"63" pattern:"[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?"`
	PrimaryContainer         *ContainerDefinition      `json:",omitempty"`
	Containers               []ContainerDefinition     `json:",omitempty" max:"15"`
	InferenceExecutionConfig *InferenceExecutionConfig `json:",omitempty"`
	ExecutionRoleArn         string                    `json:",omitempty" min:"20" max:"2048" pattern:"arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"`
	Tags                     []Tag                     `json:",omitempty" max:"50"`
	VpcConfig                *VpcConfig                `json:",omitempty"`
	EnableNetworkIsolation   *bool                     `json:",omitempty"`
}

// InferenceExecutionConfig says how the containers of an inference pipeline are called.
type InferenceExecutionConfig struct {
	Mode string `required:"true" enum:"Serial,Direct"`
}

// ContainerDefinition is one container of a model. Its optional members are pointers: in
// a list, a member left out is not an empty value.
type ContainerDefinition struct {
	ContainerHostname          *string                     `json:",omitempty" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	Image                      *string                     `json:",omitempty" max:"255" pattern:"[\\S]+"`
	ImageConfig                *ImageConfig                `json:",omitempty"`
	Mode                       *string                     `json:",omitempty" enum:"SingleModel,MultiModel"`
	ModelDataUrl               *string                     `json:",omitempty" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	ModelDataSource            *ModelDataSource            `json:",omitempty"`
	AdditionalModelDataSources []AdditionalModelDataSource `json:",omitempty" max:"5"`
	Environment                map[string]string           `json:",omitempty" max:"100" keyMax:"1024" keyPattern:"[a-zA-Z_][a-zA-Z0-9_]*" valueMax:"1024" valuePattern:"[\\S\\s]*"`
	ModelPackageName           *string                     `json:",omitempty" min:"1" max:"176" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)(\\/[0-9]{1,9})?" re:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\/[0-9]{1,9})?"`
	InferenceSpecificationName *string                     `json:",omitempty" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	MultiModelConfig           *MultiModelConfig           `json:",omitempty"`
}

// ModelDataSource is where a container's model data lives.
type ModelDataSource struct {
	S3DataSource *S3ModelDataSource `json:",omitempty"`
}

// S3ModelDataSource is model data in S3: one tar.gz object (CompressionType Gzip) or the
// objects under a prefix.
type S3ModelDataSource struct {
	S3Uri             string             `required:"true" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	S3DataType        string             `required:"true" enum:"S3Prefix,S3Object"`
	CompressionType   string             `required:"true" enum:"None,Gzip"`
	ModelAccessConfig *ModelAccessConfig `json:",omitempty"`
	HubAccessConfig   *HubAccessConfig   `json:",omitempty"`
	ManifestS3Uri     string             `json:",omitempty" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	ETag              string             `json:",omitempty"`
	ManifestEtag      string             `json:",omitempty"`
}

// ImageConfig says how a model's image is pulled.
type ImageConfig struct {
	RepositoryAccessMode string                `required:"true" enum:"Platform,Vpc"`
	RepositoryAuthConfig *RepositoryAuthConfig `json:",omitempty"`
}

// RepositoryAuthConfig names the function that gives credentials of a private registry.
type RepositoryAuthConfig struct {
	RepositoryCredentialsProviderArn string `required:"true" min:"1" max:"2048" pattern:".*"`
}

// MultiModelConfig configures a container that serves several models.
type MultiModelConfig struct {
	ModelCacheSetting string `json:",omitempty" enum:"Enabled,Disabled"`
}

// AdditionalModelDataSource is model data a container gets beside its own, under a
// channel name.
type AdditionalModelDataSource struct {
	ChannelName  string             `required:"true" min:"1" max:"64" pattern:"[A-Za-z0-9\\.\\-_]+"`
	S3DataSource *S3ModelDataSource `required:"true"`
}

// CreateModelOutput names the model.
type CreateModelOutput struct {
	ModelArn string
}

// DescribeModelOutput is the request a model was created with (less its tags), its ARN
// and its creation time.
type DescribeModelOutput struct {
	ModelName                string
	PrimaryContainer         *ContainerDefinition      `json:",omitempty"`
	Containers               []ContainerDefinition     `json:",omitempty"`
	InferenceExecutionConfig *InferenceExecutionConfig `json:",omitempty"`
	ExecutionRoleArn         string                    `json:",omitempty"`
	VpcConfig                *VpcConfig                `json:",omitempty"`
	EnableNetworkIsolation   *bool                     `json:",omitempty"`
	ModelArn                 string
	CreationTime             *operation.Timestamp
}

// DescribeModel describes the model created with req, whose ARN is arn, created at
// created.
func DescribeModel(req *CreateModelInput, arn string, created time.Time) *DescribeModelOutput {
	return &DescribeModelOutput{
		ModelName: req.ModelName, PrimaryContainer: req.PrimaryContainer, Containers: req.Containers,
		InferenceExecutionConfig: req.InferenceExecutionConfig, ExecutionRoleArn: req.ExecutionRoleArn,
		VpcConfig: req.VpcConfig, EnableNetworkIsolation: req.EnableNetworkIsolation,
		ModelArn: arn, CreationTime: operation.NewTimestamp(created),
	}
}

// Validate checks what the request's constraints cannot say, as SageMaker does.
func (in *CreateModelInput) Validate() error {
	if err := CheckTagKeys(in.Tags); err != nil {
		return err
	}
	switch {
	case in.PrimaryContainer == nil && len(in.Containers) == 0:
		return validation("Either PrimaryContainer or Containers must be specified.")
	case in.PrimaryContainer != nil && len(in.Containers) > 0:
		return validation("Specify either PrimaryContainer or Containers, not both.")
	}
	if in.PrimaryContainer != nil {
		return in.PrimaryContainer.check("primaryContainer")
	}
	hosts := map[string]bool{}
	for i := range in.Containers {
		c := &in.Containers[i]
		if err := c.check("containers." + strconv.Itoa(i+1) + ".member"); err != nil {
			return err
		}
		if h := deref(c.ContainerHostname); h != "" {
			if hosts[h] {
				return validation("ContainerHostname %q is given to more than one container; hostnames must be unique.", h)
			}
			hosts[h] = true
		}
	}
	return nil
}

// check checks what the constraints of a container given at path cannot say: it needs an
// image of its own or a model package's.
func (c *ContainerDefinition) check(path string) error {
	if c.Image == nil && c.ModelPackageName == nil {
		return missing(path + ".image")
	}
	if c.ModelDataUrl != nil && c.ModelDataSource != nil {
		return validation("Specify either ModelDataUrl or ModelDataSource, not both.")
	}
	return nil
}
