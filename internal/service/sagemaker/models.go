package sagemaker

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// ModelKind is the resource type of models in ARNs.
const ModelKind = "model"

func (s *Service) modelOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateModelInput, CreateModelOutput]{
			Name: "CreateModel", Access: s.createModelAccess, Handler: s.createModel}),
		operation.Declare(operation.Op[ModelRef, DescribeModelOutput]{
			Name: "DescribeModel", Access: modelAccess(s), Handler: s.describeModel}),
		operation.Declare(operation.Op[ListModelsInput, ListModelsOutput]{
			Name: "ListModels", Handler: s.listModels}),
		operation.Declare(operation.Op[ModelRef, struct{}]{
			Name: "DeleteModel", Access: modelAccess(s), Handler: s.deleteModel}),
	}
}

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

var (
	modelNamePattern       = regexp.MustCompile(`^[a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?$`)
	hostnamePattern        = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`)
	dataURLPattern         = regexp.MustCompile(`^(https|s3)://([^/]+)/?(.*)$`)
	containerEnvKeyPattern = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	nameContainPattern     = regexp.MustCompile(`^[a-zA-Z0-9-]+$`)
)

// Limits of CreateModel.
const (
	maxContainers      = 15
	maxModelEnv        = 100
	maxEnvKeyOrValue   = 1024
	maxModelDataURLLen = 1024
)

// Validate checks the request as SageMaker does.
func (in *CreateModelInput) Validate() error {
	if err := checkModelName("modelName", in.ModelName); err != nil {
		return err
	}
	if in.ExecutionRoleArn != "" {
		if !roleARNPattern.MatchString(in.ExecutionRoleArn) || len(in.ExecutionRoleArn) < 20 || len(in.ExecutionRoleArn) > 2048 {
			return validation("1 validation error detected: Value '%s' at 'executionRoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$", in.ExecutionRoleArn)
		}
	}
	if err := checkTags(in.Tags); err != nil {
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
		return in.PrimaryContainer.check("primaryContainer")
	}
	hosts := map[string]bool{}
	for i := range in.Containers {
		if err := in.Containers[i].check("containers.member"); err != nil {
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

func (c *ContainerDefinition) check(member string) error {
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
	if c.ModelDataUrl != "" && (len(c.ModelDataUrl) > maxModelDataURLLen || !dataURLPattern.MatchString(c.ModelDataUrl)) {
		return validation("1 validation error detected: Value '%s' at '%s.modelDataUrl' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$", c.ModelDataUrl, member)
	}
	if c.ModelDataUrl != "" && c.ModelDataSource != nil {
		return validation("Specify either ModelDataUrl or ModelDataSource, not both.")
	}
	if len(c.Environment) > maxModelEnv {
		return validation("1 validation error detected: Value at '%s.environment' failed to satisfy constraint: Member must have length less than or equal to %d", member, maxModelEnv)
	}
	for k, v := range c.Environment {
		if len(k) > maxEnvKeyOrValue || !containerEnvKeyPattern.MatchString(k) {
			return validation("1 validation error detected: Value '%s' at '%s.environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]*]", k, member)
		}
		if len(v) > maxEnvKeyOrValue {
			return validation("1 validation error detected: Value at '%s.environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 1024]", member)
		}
	}
	return nil
}

func checkModelName(member, name string) error {
	if len(name) < 1 || len(name) > 63 || !modelNamePattern.MatchString(name) {
		return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?$", name, member)
	}
	return nil
}

func (s *Service) createModelAccess(ctx context.Context, in *CreateModelInput) (*operation.Access, error) {
	account := caller(ctx).Account
	a := &operation.Access{
		Resources: []operation.Resource{{ARN: s.arnAsGiven(account, ModelKind, in.ModelName), Account: account}},
		Context:   requestTagKeys(in.Tags),
	}
	if in.ExecutionRoleArn != "" {
		a.PassRoles = []string{in.ExecutionRoleArn}
	}
	return a, nil
}

// ModelRef names a model.
type ModelRef struct {
	ModelName string `required:"true"`
}

// Validate checks the name's shape.
func (in *ModelRef) Validate() error { return checkModelName("modelName", in.ModelName) }

// modelAccess authorizes an action on the model a request names, with the model's tags.
func modelAccess(s *Service) func(context.Context, *ModelRef) (*operation.Access, error) {
	return func(ctx context.Context, in *ModelRef) (*operation.Access, error) {
		account := caller(ctx).Account
		res := operation.Resource{ARN: s.arnAsGiven(account, ModelKind, in.ModelName), Account: account}
		err := s.store.View(ctx, func(tx store.Tx) error {
			tags, err := tx.Tags(s.arn(account, ModelKind, in.ModelName))
			res.Tags = tagMap(tags)
			return err
		})
		return &operation.Access{Resources: []operation.Resource{res}}, err
	}
}

func (s *Service) createModel(ctx context.Context, in *CreateModelInput) (*CreateModelOutput, error) {
	stored := *in
	stored.Tags = nil // kept apart, as tags of the resource
	request, err := json.Marshal(&stored)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	m := &store.Model{AccountID: account, Name: in.ModelName, ARN: s.arn(account, ModelKind, in.ModelName),
		Request: string(request), RoleARN: in.ExecutionRoleArn, CreatedAt: s.now()}
	containers := in.Containers
	if in.PrimaryContainer != nil {
		containers = []ContainerDefinition{*in.PrimaryContainer}
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		for _, c := range containers {
			if c.ModelPackageName != "" {
				if _, err := s.findPackage(ctx, tx, "modelPackageName", c.ModelPackageName); err != nil {
					return err
				}
			}
		}
		if err := tx.CreateModel(m); errors.Is(err, store.ErrExists) {
			return validation("Cannot create already existing model %q.", m.ARN)
		} else if err != nil {
			return err
		}
		return tx.SetTags(m.ARN, storeTags(in.Tags))
	})
	if err != nil {
		return nil, err
	}
	return &CreateModelOutput{ModelArn: m.ARN}, nil
}

// findModel reads a model of the caller's account, or the error SageMaker gives for a
// missing one.
func (s *Service) findModel(ctx context.Context, tx store.Tx, name string) (*store.Model, error) {
	account := caller(ctx).Account
	m, err := tx.Model(account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, validation("Could not find model %q.", s.arn(account, ModelKind, name))
	}
	return m, err
}

// DescribeModelOutput is the request the model was created with, its name, ARN and
// creation time.
type DescribeModelOutput map[string]any

// DescribeModel renders a model as DescribeModel returns it.
func DescribeModel(m *store.Model) map[string]any {
	out := map[string]any{}
	json.Unmarshal([]byte(m.Request), &out)
	out["ModelName"] = m.Name
	out["ModelArn"] = m.ARN
	out["CreationTime"] = operation.NewTimestamp(m.CreatedAt)
	return out
}

func (s *Service) describeModel(ctx context.Context, in *ModelRef) (*DescribeModelOutput, error) {
	var m *store.Model
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		m, err = s.findModel(ctx, tx, in.ModelName)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := DescribeModelOutput(DescribeModel(m))
	return &out, nil
}

func (s *Service) deleteModel(ctx context.Context, in *ModelRef) (*struct{}, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		m, err := s.findModel(ctx, tx, in.ModelName)
		if err != nil {
			return err
		}
		if err := tx.DeleteModel(m.AccountID, m.Name); err != nil {
			return err
		}
		return tx.SetTags(m.ARN, nil)
	})
	return &struct{}{}, err
}

// ListModelsInput filters and pages models.
type ListModelsInput struct {
	SortBy             *string
	SortOrder          *string
	NextToken          *string
	MaxResults         *int
	NameContains       *string
	CreationTimeBefore *operation.Timestamp
	CreationTimeAfter  *operation.Timestamp
}

// ModelSummary is one model of a list.
type ModelSummary struct {
	ModelName    string
	ModelArn     string
	CreationTime *operation.Timestamp
}

// ListModelsOutput is one page of models.
type ListModelsOutput struct {
	Models    []ModelSummary
	NextToken *string `json:",omitempty"`
}

func (s *Service) listModels(ctx context.Context, in *ListModelsInput) (*ListModelsOutput, error) {
	sortBy, order, err := sortOptions(in.SortBy, in.SortOrder, []string{"Name", "CreationTime"}, "CreationTime")
	if err != nil {
		return nil, err
	}
	if in.NameContains != nil && (len(*in.NameContains) > 63 || !nameContainPattern.MatchString(*in.NameContains)) {
		return nil, validation("1 validation error detected: Value '%s' at 'nameContains' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-]+", *in.NameContains)
	}
	var all []*store.Model
	err = s.store.View(ctx, func(tx store.Tx) error {
		var err error
		all, err = tx.ListModels(caller(ctx).Account)
		return err
	})
	if err != nil {
		return nil, err
	}
	var items []*store.Model
	for _, m := range all {
		if in.NameContains != nil && !containsFold(m.Name, *in.NameContains) ||
			in.CreationTimeAfter != nil && !m.CreatedAt.After(in.CreationTimeAfter.Time) ||
			in.CreationTimeBefore != nil && !m.CreatedAt.Before(in.CreationTimeBefore.Time) {
			continue
		}
		items = append(items, m)
	}
	sort.SliceStable(items, func(a, b int) bool {
		var less bool
		if sortBy == "Name" {
			less = items[a].Name < items[b].Name
		} else {
			less = items[a].CreatedAt.Before(items[b].CreatedAt)
		}
		if order == "Descending" {
			return !less
		}
		return less
	})
	page, next, err := paginate(len(items), in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &ListModelsOutput{Models: []ModelSummary{}, NextToken: next}
	for _, m := range items[page.start:page.end] {
		out.Models = append(out.Models, ModelSummary{ModelName: m.Name, ModelArn: m.ARN, CreationTime: operation.NewTimestamp(m.CreatedAt)})
	}
	return out, nil
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
