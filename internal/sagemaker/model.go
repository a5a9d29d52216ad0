package sagemaker

import (
	"encoding/json"
	"fmt"
)

// CreateModelInput is the CreateModel request.
type CreateModelInput struct {
	ModelName                string                `required:"true"`
	PrimaryContainer         *ContainerDefinition  `json:",omitempty"`
	Containers               []ContainerDefinition `json:",omitempty"`
	InferenceExecutionConfig *struct {
		Mode string `required:"true"`
	} `json:",omitempty"`
	ExecutionRoleArn       string          `json:",omitempty"`
	Tags                   []Tag           `json:",omitempty"`
	VpcConfig              json.RawMessage `json:",omitempty"`
	EnableNetworkIsolation *bool           `json:",omitempty"`
}

// ContainerDefinition is one container of a model.
type ContainerDefinition struct {
	ContainerHostname          string            `json:",omitempty"`
	Image                      string            `json:",omitempty"`
	ImageConfig                json.RawMessage   `json:",omitempty"`
	Mode                       string            `json:",omitempty"`
	ModelDataUrl               string            `json:",omitempty"`
	ModelDataSource            json.RawMessage   `json:",omitempty"`
	AdditionalModelDataSources json.RawMessage   `json:",omitempty"`
	Environment                map[string]string `json:",omitempty"`
	ModelPackageName           string            `json:",omitempty"`
	InferenceSpecificationName string            `json:",omitempty"`
	MultiModelConfig           json.RawMessage   `json:",omitempty"`
}

// CreateModelOutput names the model.
type CreateModelOutput struct {
	ModelArn string
}

// Limits of CreateModel.
const (
	maxContainers      = 15
	maxModelEnv        = 100
	maxEnvKeyOrValue   = 1024
	maxModelDataURLLen = 1024
)

// Validate checks the request as SageMaker does.
func (in *CreateModelInput) Validate() error {
	if err := CheckModelName("modelName", in.ModelName); err != nil {
		return err
	}
	if in.ExecutionRoleArn != "" {
		if !ValidRoleARN(in.ExecutionRoleArn) {
			return validation("1 validation error detected: Value '%s' at 'executionRoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$", in.ExecutionRoleArn)
		}
	}
	if err := CheckTags(in.Tags); err != nil {
		return err
	}
	switch {
	case in.PrimaryContainer == nil && len(in.Containers) == 0:
		return validation("Either PrimaryContainer or Containers must be specified.")
	case in.PrimaryContainer != nil && len(in.Containers) > 0:
		return validation("Specify either PrimaryContainer or Containers, not both.")
	case len(in.Containers) > maxContainers:
		return validation("1 validation error detected: Value at 'containers' failed to satisfy constraint: Member must have length less than or equal to %d", maxContainers)
	}
	if c := in.InferenceExecutionConfig; c != nil && c.Mode != "Serial" && c.Mode != "Direct" {
		return validation("1 validation error detected: Value '%s' at 'inferenceExecutionConfig.mode' failed to satisfy constraint: Member must satisfy enum value set: [Serial, Direct]", c.Mode)
	}
	if in.PrimaryContainer != nil {
		return in.PrimaryContainer.Check("primaryContainer")
	}
	hosts := map[string]bool{}
	for i := range in.Containers {
		if err := in.Containers[i].Check("containers.member"); err != nil {
			return err
		}
		if h := in.Containers[i].ContainerHostname; h != "" {
			if hosts[h] {
				return validation("ContainerHostname %q is given to more than one container; hostnames must be unique.", h)
			}
			hosts[h] = true
		}
	}
	return nil
}

// Check checks a container given at member as SageMaker does.
func (c *ContainerDefinition) Check(member string) error {
	if c.Image == "" && c.ModelPackageName == "" {
		return validation("1 validation error detected: Value null at '%s.image' failed to satisfy constraint: Member must not be null", member)
	}
	if len(c.Image) > 255 {
		return validation("1 validation error detected: Value '%s' at '%s.image' failed to satisfy constraint: Member must have length less than or equal to 255", c.Image, member)
	}
	if c.ContainerHostname != "" && !hostnamePattern.MatchString(c.ContainerHostname) {
		return validation("1 validation error detected: Value '%s' at '%s.containerHostname' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", c.ContainerHostname, member)
	}
	if c.Mode != "" && c.Mode != "SingleModel" && c.Mode != "MultiModel" {
		return validation("1 validation error detected: Value '%s' at '%s.mode' failed to satisfy constraint: Member must satisfy enum value set: [SingleModel, MultiModel]", c.Mode, member)
	}
	if c.ModelDataUrl != "" && (len(c.ModelDataUrl) > maxModelDataURLLen || !s3URIPattern.MatchString(c.ModelDataUrl)) {
		return validation("1 validation error detected: Value '%s' at '%s.modelDataUrl' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$", c.ModelDataUrl, member)
	}
	if c.ModelDataUrl != "" && c.ModelDataSource != nil {
		return validation("Specify either ModelDataUrl or ModelDataSource, not both.")
	}
	if len(c.Environment) > maxModelEnv {
		return validation("1 validation error detected: Value at '%s.environment' failed to satisfy constraint: Member must have length less than or equal to %d", member, maxModelEnv)
	}
	for k, v := range c.Environment {
		if len(k) > maxEnvKeyOrValue || !envKeyPattern.MatchString(k) {
			return validation("1 validation error detected: Value '%s' at '%s.environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]*]", k, member)
		}
		if len(v) > maxEnvKeyOrValue {
			return validation("1 validation error detected: Value at '%s.environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 1024]", member)
		}
	}
	return nil
}

// ModelDataSource is where a container's model data lives. A ContainerDefinition keeps the
// member as given; DataSource reads it.
type ModelDataSource struct {
	S3DataSource *S3ModelDataSource
}

// S3ModelDataSource is model data in S3: one tar.gz object (CompressionType Gzip) or the
// objects under a prefix.
type S3ModelDataSource struct {
	S3Uri           string
	S3DataType      string
	CompressionType string
}

// DataSource reads the container's ModelDataSource; nil when it has none.
func (c *ContainerDefinition) DataSource() (*ModelDataSource, error) {
	if len(c.ModelDataSource) == 0 || string(c.ModelDataSource) == "null" {
		return nil, nil
	}
	var src ModelDataSource
	if err := json.Unmarshal(c.ModelDataSource, &src); err != nil {
		return nil, fmt.Errorf("ModelDataSource: %w", err)
	}
	return &src, nil
}

// InferenceSpecification is what Cairn reads of a model package's InferenceSpecification
// (or an additional one); CreateModelPackage keeps the member as given.
type InferenceSpecification struct {
	Name                                    string
	Description                             string
	Containers                              []ModelPackageContainerDefinition
	SupportedTransformInstanceTypes         []string
	SupportedRealtimeInferenceInstanceTypes []string
	SupportedContentTypes                   []string
	SupportedResponseMIMETypes              []string
}

// ModelPackageContainerDefinition is what Cairn reads of one container of a model
// package's InferenceSpecification.
type ModelPackageContainerDefinition struct {
	ContainerHostname string
	Image             string
	ModelDataUrl      string
	ModelDataSource   json.RawMessage
	Environment       map[string]string
	Framework         string
	FrameworkVersion  string
}

// ModelPackageInference reads the InferenceSpecification of a stored CreateModelPackage
// request; nil when it has none.
func ModelPackageInference(request string) (*InferenceSpecification, error) {
	var req struct{ InferenceSpecification *InferenceSpecification }
	if err := json.Unmarshal([]byte(request), &req); err != nil {
		return nil, fmt.Errorf("model package request: %w", err)
	}
	return req.InferenceSpecification, nil
}
