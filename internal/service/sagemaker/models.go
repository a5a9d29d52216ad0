package sagemaker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"

	"github.com/cairnhq/cairn/internal/store"
)

// ModelKind is the resource type of models in ARNs.
const ModelKind = "model"

func (s *Service) modelOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[sm.CreateModelInput, sm.CreateModelOutput]{
			Name: "CreateModel", Access: s.createModelAccess, Handler: s.createModel}),
		operation.Declare(operation.Op[ModelRef, sm.DescribeModelOutput]{
			Name: "DescribeModel", Access: modelAccess(s), Handler: s.describeModel}),
		operation.Declare(operation.Op[ListModelsInput, ListModelsOutput]{
			Name: "ListModels", Handler: s.listModels}),
		operation.Declare(operation.Op[ModelRef, struct{}]{
			Name: "DeleteModel", Access: modelAccess(s), Handler: s.deleteModel}),
	}
}

func (s *Service) createModelAccess(ctx context.Context, in *sm.CreateModelInput) (*operation.Access, error) {
	account := caller(ctx).Account
	a := &operation.Access{
		Resources: []operation.Resource{{ARN: s.arnAsGiven(account, ModelKind, in.ModelName), Account: account}},
		Context:   requestTagKeys(in.Tags),
	}
	if in.ExecutionRoleArn != "" {
		a.PassRoles = []string{in.ExecutionRoleArn}
	}
	// A container may name a model package of another account only as far as the
	// authorizer allows sagemaker:CreateModel and sagemaker:DescribeModelPackage on it:
	// another account's package is authorized against its canonical ARN with its group's
	// resource policy, which must allow both (as must the caller's identity policies).
	// Without a policy that is AccessDenied — the same for a package that exists and one
	// that does not, and decided before anything is looked up.
	containers := in.Containers
	if in.PrimaryContainer != nil {
		containers = append([]sm.ContainerDefinition{*in.PrimaryContainer}, containers...)
	}
	for _, c := range containers {
		if c.ModelPackageName == nil {
			continue
		}
		ref, err := s.parsePackageRef(ctx, "modelPackageName", *c.ModelPackageName)
		if err != nil {
			return nil, err
		}
		if ref.account == account {
			continue
		}
		res, err := s.packageResource(ctx, ref)
		if err != nil {
			return nil, err
		}
		for _, action := range []string{"sagemaker:CreateModel", "sagemaker:DescribeModelPackage"} {
			a.Implied = append(a.Implied, operation.Access{Action: action, Resources: []operation.Resource{res}})
		}
	}
	return a, nil
}

// ModelRef names a model.
type ModelRef struct {
	ModelName string `required:"true" max:"63" pattern:"[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?"`
}

// modelAccess authorizes an action on the model a request names, with the model's tags.
func modelAccess(s *Service) func(context.Context, *ModelRef) (*operation.Access, error) {
	return func(ctx context.Context, in *ModelRef) (*operation.Access, error) {
		account := caller(ctx).Account
		res := operation.Resource{ARN: s.arnAsGiven(account, ModelKind, in.ModelName), Account: account}
		err := s.store.View(ctx, func(tx txn) error {
			tags, err := tx.Tags(s.arn(account, ModelKind, in.ModelName))
			res.Tags = tagMap(tags)
			return err
		})
		return &operation.Access{Resources: []operation.Resource{res}}, err
	}
}

func (s *Service) createModel(ctx context.Context, in *sm.CreateModelInput) (*sm.CreateModelOutput, error) {
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
		containers = []sm.ContainerDefinition{*in.PrimaryContainer}
	}
	err = s.store.Update(ctx, func(tx txn) error {
		for _, c := range containers {
			if c.ModelPackageName != nil {
				if _, err := s.findPackage(ctx, tx, "modelPackageName", *c.ModelPackageName); err != nil {
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
	return &sm.CreateModelOutput{ModelArn: m.ARN}, nil
}

// findModel reads a model of the caller's account, or the error SageMaker gives for a
// missing one.
func (s *Service) findModel(ctx context.Context, tx txn, name string) (*store.Model, error) {
	account := caller(ctx).Account
	m, err := tx.Model(account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, validation("Could not find model %q.", s.arn(account, ModelKind, name))
	}
	return m, err
}

func (s *Service) describeModel(ctx context.Context, in *ModelRef) (*sm.DescribeModelOutput, error) {
	var m *store.Model
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		m, err = s.findModel(ctx, tx, in.ModelName)
		return err
	})
	if err != nil {
		return nil, err
	}
	var req sm.CreateModelInput
	if err := json.Unmarshal([]byte(m.Request), &req); err != nil {
		return nil, fmt.Errorf("describe %s: the stored request: %w", m.ARN, err)
	}
	req.ModelName = m.Name
	return sm.DescribeModel(&req, m.ARN, m.CreatedAt), nil
}

func (s *Service) deleteModel(ctx context.Context, in *ModelRef) (*struct{}, error) {
	err := s.store.Update(ctx, func(tx txn) error {
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
	SortBy             *string `enum:"Name,CreationTime"`
	SortOrder          *string `enum:"Ascending,Descending"`
	NextToken          *string `max:"8192" pattern:".*"`
	MaxResults         *int    `min:"1" max:"100"`
	NameContains       *string `max:"63" pattern:"[a-zA-Z0-9-]+"`
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

// modelListing is how ListModels filters and orders models.
var modelListing = listing[*store.Model]{
	name:    func(m *store.Model) string { return m.Name },
	created: func(m *store.Model) time.Time { return m.CreatedAt },
	orders: map[string]func(a, b *store.Model) int{
		"Name":         byString(func(m *store.Model) string { return m.Name }),
		"CreationTime": byTime(func(m *store.Model) time.Time { return m.CreatedAt }),
	},
	defaultOrder: "CreationTime",
}

func (in *ListModelsInput) query() listQuery {
	return listQuery{NameContains: in.NameContains, CreatedAfter: in.CreationTimeAfter, CreatedBefore: in.CreationTimeBefore,
		SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults}
}

func (s *Service) listModels(ctx context.Context, in *ListModelsInput) (*ListModelsOutput, error) {
	var all []*store.Model
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		all, err = tx.ListModels(caller(ctx).Account)
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := modelListing.list(all, in.query())
	if err != nil {
		return nil, err
	}
	out := &ListModelsOutput{Models: []ModelSummary{}, NextToken: next}
	for _, m := range page {
		out.Models = append(out.Models, ModelSummary{ModelName: m.Name, ModelArn: m.ARN, CreationTime: operation.NewTimestamp(m.CreatedAt)})
	}
	return out, nil
}
