package sagemaker

import (
	"context"
	"errors"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// Model package groups across accounts. A group's owner attaches a resource policy to it
// (PutModelPackageGroupPolicy), as a central model registry account does: the policy names
// the group's ARN (model-package-group/<group>) and its versions' (model-package/<group>/*)
// and is the resource policy of every request on either. A request of another account
// names the group or a version by ARN — a name is always the caller's own — and is
// authorized against the canonical ARN, owned by the group's account, with that policy:
// the caller needs an Allow on both sides, as for any cross-account request, and SCPs and
// RCPs apply as everywhere. Past authorization the handler reads the owner's rows.
//
// Another account's group without a policy — existing or not — is authorized exactly the
// same way, with no policy and no tags, so the denial that follows is the same, byte for
// byte, whether it exists or not.
//
// CreateModelPackage into another account's group and ListModelPackages of one are
// authorized on model-package/<group>/* (the versions the request adds to or lists), the
// resource AWS's own examples of group policies grant them on.

func (s *Service) registryPolicyOps() []*operation.Operation {
	groupName := func(in *ModelPackageGroupNameInput) string { return in.ModelPackageGroupName }
	return []*operation.Operation{
		operation.Declare(operation.Op[PutModelPackageGroupPolicyInput, PutModelPackageGroupPolicyOutput]{
			Name: "PutModelPackageGroupPolicy", Handler: s.putModelPackageGroupPolicy,
			Access: groupAccess(s, func(in *PutModelPackageGroupPolicyInput) string { return in.ModelPackageGroupName })}),
		operation.Declare(operation.Op[ModelPackageGroupNameInput, GetModelPackageGroupPolicyOutput]{
			Name: "GetModelPackageGroupPolicy", Access: groupAccess(s, groupName), Handler: s.getModelPackageGroupPolicy}),
		operation.Declare(operation.Op[ModelPackageGroupNameInput, struct{}]{
			Name: "DeleteModelPackageGroupPolicy", Access: groupAccess(s, groupName), Handler: s.deleteModelPackageGroupPolicy}),
	}
}

// groupPolicy is the resource policy of a group, nil when it has none.
func groupPolicy(tx txn, account, name string) ([]byte, error) {
	doc, err := tx.ModelPackageGroupPolicy(account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []byte(doc), nil
}

// registryResource is what an action on a model package group, or on a package, is
// authorized against. group names the group whose policy governs it ("" for an
// unversioned package, which no group's policy covers); canonical is its ARN as SageMaker
// writes it. The caller's own is named as the request gave it (so that policies on a name
// as given match), with its tags and its group's policy. Another account's is named by its
// canonical ARN and owned by that account, with its group's policy; its tags count only
// when the group has a policy, so that nothing about a group that shares nothing tells
// whether it exists.
func (s *Service) registryResource(ctx context.Context, account, group, asGiven, canonical string) (operation.Resource, error) {
	foreign := account != caller(ctx).Account
	res := operation.Resource{ARN: asGiven, Account: account}
	if foreign {
		res.ARN = canonical
	}
	err := s.store.View(ctx, func(tx txn) error {
		if group != "" {
			var err error
			if res.Policy, err = groupPolicy(tx, account, group); err != nil {
				return err
			}
		}
		if foreign && res.Policy == nil {
			return nil
		}
		tags, err := tx.Tags(canonical)
		res.Tags = tagMap(tags)
		return err
	})
	return res, err
}

// versionsResource is what adding a version to a group, or listing its versions, is
// authorized against when the group is another account's: model-package/<group>/*, with
// the group's policy.
func (s *Service) versionsResource(ctx context.Context, ref groupRef) (operation.Resource, error) {
	res := operation.Resource{ARN: s.arn(ref.account, ModelPackageKind, ref.name) + "/*", Account: ref.account}
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		res.Policy, err = groupPolicy(tx, ref.account, ref.name)
		return err
	})
	return res, err
}

// ModelPackageGroupNameInput names a group of the caller's account by name.
type ModelPackageGroupNameInput struct {
	ModelPackageGroupName string `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
}

// PutModelPackageGroupPolicyInput sets a group's resource policy. The model's pattern
// ".*" is checked as matching any text, line breaks included: policies are JSON that
// clients indent.
type PutModelPackageGroupPolicyInput struct {
	ModelPackageGroupName string `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	ResourcePolicy        string `required:"true" min:"1" max:"20480" pattern:".*" re:"(?s).*"`
}

// PutModelPackageGroupPolicyOutput names the group.
type PutModelPackageGroupPolicyOutput struct {
	ModelPackageGroupArn string
}

// GetModelPackageGroupPolicyOutput is a group's resource policy.
type GetModelPackageGroupPolicyOutput struct {
	ResourcePolicy string
}

// checkGroupPolicy validates a group's resource policy with the IAM policy language's
// rules for resource-based policies.
func checkGroupPolicy(doc string) error {
	if _, err := policy.ParseWithOptions([]byte(doc), policy.Options{Type: policy.ResourceBased}); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return validation("The resource policy is not a valid policy document: %s", pe.Error())
		}
		return validation("The resource policy is not a valid policy document.")
	}
	return nil
}

// noGroupPolicy is the answer for a group without a resource policy.
func noGroupPolicy(g *store.ModelPackageGroup) error {
	return validation("Cannot find Model Package Group Policy for group %s", g.ARN)
}

func (s *Service) putModelPackageGroupPolicy(ctx context.Context, in *PutModelPackageGroupPolicyInput) (*PutModelPackageGroupPolicyOutput, error) {
	if err := checkGroupPolicy(in.ResourcePolicy); err != nil {
		return nil, err
	}
	var arn string
	err := s.store.Update(ctx, func(tx txn) error {
		g, err := s.findGroup(ctx, tx, "modelPackageGroupName", in.ModelPackageGroupName)
		if err != nil {
			return err
		}
		arn = g.ARN
		return tx.PutModelPackageGroupPolicy(g.AccountID, g.Name, in.ResourcePolicy)
	})
	if err != nil {
		return nil, err
	}
	return &PutModelPackageGroupPolicyOutput{ModelPackageGroupArn: arn}, nil
}

func (s *Service) getModelPackageGroupPolicy(ctx context.Context, in *ModelPackageGroupNameInput) (*GetModelPackageGroupPolicyOutput, error) {
	var out GetModelPackageGroupPolicyOutput
	err := s.store.View(ctx, func(tx txn) error {
		g, err := s.findGroup(ctx, tx, "modelPackageGroupName", in.ModelPackageGroupName)
		if err != nil {
			return err
		}
		out.ResourcePolicy, err = tx.ModelPackageGroupPolicy(g.AccountID, g.Name)
		if errors.Is(err, store.ErrNotFound) {
			return noGroupPolicy(g)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *Service) deleteModelPackageGroupPolicy(ctx context.Context, in *ModelPackageGroupNameInput) (*struct{}, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		g, err := s.findGroup(ctx, tx, "modelPackageGroupName", in.ModelPackageGroupName)
		if err != nil {
			return err
		}
		err = tx.DeleteModelPackageGroupPolicy(g.AccountID, g.Name)
		if errors.Is(err, store.ErrNotFound) {
			return noGroupPolicy(g)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
