package sagemaker

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
)

// Shapes of model package requests, and the checks of them their constraints cannot say.

// MetadataProperties records where a model package's model came from.
type MetadataProperties struct {
	CommitId    string `json:",omitempty" max:"1024" pattern:".*"`
	Repository  string `json:",omitempty" max:"1024" pattern:".*"`
	GeneratedBy string `json:",omitempty" max:"1024" pattern:".*"`
	ProjectId   string `json:",omitempty" max:"1024" pattern:".*"`
}

// ModelPackageSecurityConfig names the KMS key of a model package's data.
type ModelPackageSecurityConfig struct {
	KmsKeyId string `required:"true" max:"2048" pattern:"[a-zA-Z0-9:/_-]*"`
}

// ModelPackageModelCard is the model card of a model package.
type ModelPackageModelCard struct {
	ModelCardContent *string `json:",omitempty" max:"100000" pattern:".*" sensitive:"true"`
	ModelCardStatus  string  `json:",omitempty" enum:"Draft,PendingReview,Approved,Archived"`
}

// ModelLifeCycle is where a model package is in its life: a stage and its status.
type ModelLifeCycle struct {
	Stage            string  `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	StageStatus      string  `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	StageDescription *string `json:",omitempty" max:"1024" pattern:".{0,1024}" re:".*"`
}

// checkObject accepts a member kept as given when it is a JSON object; null is absent.
func checkObject(member string, raw *json.RawMessage) error {
	text := bytes.TrimSpace(*raw)
	switch {
	case len(text) == 0 || string(text) == "null":
		*raw = nil
	case text[0] != '{':
		return validation("%s", operation.ValidationMessage(operation.Violation{Path: member, Hidden: true,
			Constraint: "Member must be a structure"}))
	}
	return nil
}

// checkInferenceSpecifications checks what the constraints of a request's inference
// specification and its additional ones (at additional) cannot say.
func checkInferenceSpecifications(spec *sm.InferenceSpecification, additional string, more []sm.AdditionalInferenceSpecification) error {
	if spec != nil {
		if err := checkPackageContainers("inferenceSpecification", spec.Containers); err != nil {
			return err
		}
	}
	for i, a := range more {
		if err := checkPackageContainers(additional+"."+strconv.Itoa(i+1)+".member", a.Containers); err != nil {
			return err
		}
	}
	return nil
}

// checkPackageContainers checks the containers of an inference specification given at
// path: each names its image, and its model data one way.
func checkPackageContainers(path string, containers []sm.ModelPackageContainerDefinition) error {
	for i, c := range containers {
		at := path + ".containers." + strconv.Itoa(i+1) + ".member"
		if c.Image == nil {
			return missing(at + ".image")
		}
		if c.ModelDataUrl != nil && c.ModelDataSource != nil {
			return validation("Specify either ModelDataUrl or ModelDataSource in %s, not both.", at)
		}
	}
	return nil
}
