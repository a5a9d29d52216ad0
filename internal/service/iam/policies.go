package iam

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// Managed policy limits.
const (
	// maxManagedPolicySize is IAM's quota on a managed policy document, in characters
	// that are not white space.
	maxManagedPolicySize = 6144
	maxPolicyVersions    = 5
)

func (s *Service) policyOps() []*operation.Operation {
	arnOf := func(in *PolicyArnInput) string { return in.PolicyArn }
	versionArn := func(in *PolicyVersionInput) string { return in.PolicyArn }
	return []*operation.Operation{
		operation.Declare(operation.Op[CreatePolicyInput, CreatePolicyOutput]{
			Name: "CreatePolicy", Handler: s.createPolicy,
			Access: func(ctx context.Context, in *CreatePolicyInput) (*operation.Access, error) {
				arn := policyARN(callerAccount(ctx), orRoot(in.Path), in.PolicyName)
				return newAccess(ctx, &entityInfo{arn: arn}, withRequestTags(in.Tags)), nil
			},
		}),
		operation.Declare(operation.Op[PolicyArnInput, GetPolicyOutput]{
			Name: "GetPolicy", Handler: s.getPolicy, Access: onPolicy(s, arnOf),
		}),
		operation.Declare(operation.Op[ListPoliciesInput, ListPoliciesOutput]{
			Name: "ListPolicies", Handler: s.listPolicies, Access: anywhere[ListPoliciesInput],
		}),
		operation.Declare(operation.Op[PolicyArnInput, struct{}]{
			Name: "DeletePolicy", Handler: s.deletePolicy, Access: onPolicy(s, arnOf),
		}),
		operation.Declare(operation.Op[CreatePolicyVersionInput, CreatePolicyVersionOutput]{
			Name: "CreatePolicyVersion", Handler: s.createPolicyVersion,
			Access: onPolicy(s, func(in *CreatePolicyVersionInput) string { return in.PolicyArn }),
		}),
		operation.Declare(operation.Op[PolicyVersionInput, GetPolicyVersionOutput]{
			Name: "GetPolicyVersion", Handler: s.getPolicyVersion, Access: onPolicy(s, versionArn),
		}),
		operation.Declare(operation.Op[ListPolicyVersionsInput, ListPolicyVersionsOutput]{
			Name: "ListPolicyVersions", Handler: s.listPolicyVersions,
			Access: onPolicy(s, func(in *ListPolicyVersionsInput) string { return in.PolicyArn }),
		}),
		operation.Declare(operation.Op[PolicyVersionInput, struct{}]{
			Name: "DeletePolicyVersion", Handler: s.deletePolicyVersion, Access: onPolicy(s, versionArn),
		}),
		operation.Declare(operation.Op[PolicyVersionInput, struct{}]{
			Name: "SetDefaultPolicyVersion", Handler: s.setDefaultPolicyVersion, Access: onPolicy(s, versionArn),
		}),
	}
}

// checkIdentityPolicy validates an identity-based policy document.
func checkIdentityPolicy(doc string) error {
	_, err := parseDocument(doc, policy.IdentityBased)
	return err
}

// checkManagedDocument validates a managed policy version's document.
func checkManagedDocument(doc string) error {
	if nonSpaceLength(doc) > maxManagedPolicySize {
		return limitExceeded("Cannot exceed quota for PolicySize: %d", maxManagedPolicySize)
	}
	return checkIdentityPolicy(doc)
}

// notOwned is the answer to a change of an AWS managed policy: no account may change one.
func notOwned(ctx context.Context, action, arn string) error {
	who := "the caller"
	if p, err := caller(ctx); err == nil {
		who = p.ARN
	}
	return &operation.Error{Code: "AccessDenied", Status: http.StatusForbidden,
		Message: "User: " + who + " is not authorized to perform: iam:" + action + " on resource: policy " + arn +
			" because AWS managed policies cannot be changed"}
}

// CreatePolicyInput creates a customer managed policy.
type CreatePolicyInput struct {
	PolicyName     string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	Path           string `min:"1" max:"512" pattern:"((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"`
	PolicyDocument string `required:"true" min:"1" max:"131072" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	Description    string `max:"1000"`
	Tags           []Tag  `max:"50"`
}

// CreatePolicyOutput holds the new policy.
type CreatePolicyOutput struct {
	Policy Policy
}

func (s *Service) createPolicy(ctx context.Context, in *CreatePolicyInput) (*CreatePolicyOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkManagedDocument(in.PolicyDocument); err != nil {
		return nil, err
	}
	tags, err := newTagSet(in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := s.newID("ANPA")
	if err != nil {
		return nil, err
	}
	now := s.timestamp()
	path := orRoot(in.Path)
	pol := &store.ManagedPolicy{ARN: policyARN(p.Account, path, in.PolicyName), AccountID: p.Account, Name: in.PolicyName,
		ID: id, Path: path, Description: in.Description, DefaultVersionID: "v1", LastVersion: 1,
		CreatedAt: now, UpdatedAt: now, Tags: tags}
	v := &store.PolicyVersion{PolicyARN: pol.ARN, VersionID: "v1", Document: in.PolicyDocument, CreatedAt: now}
	err = s.update(ctx, func(tx txn) error {
		n, err := tx.CountEntities(p.Account, store.EntityPolicy)
		if err != nil {
			return err
		}
		if n >= maxPoliciesPerAccount {
			return limitExceeded("Cannot exceed quota for PoliciesPerAccount: %d", maxPoliciesPerAccount)
		}
		if err := tx.CreateManagedPolicy(pol, v); errors.Is(err, store.ErrExists) {
			return entityExists("A policy called %s already exists. Duplicate names are not allowed.", in.PolicyName)
		} else if err != nil {
			return fmt.Errorf("create policy: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CreatePolicyOutput{Policy: wirePolicy(pol, store.PolicyUsage{}, true)}, nil
}

// PolicyArnInput names a managed policy.
type PolicyArnInput struct {
	PolicyArn string `required:"true" min:"20" max:"2048"`
}

// GetPolicyOutput holds a managed policy.
type GetPolicyOutput struct {
	Policy Policy
}

func (s *Service) getPolicy(ctx context.Context, in *PolicyArnInput) (*GetPolicyOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out GetPolicyOutput
	err = s.view(ctx, func(tx txn) error {
		pol, err := readPolicy(tx, p.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		usage, err := tx.PolicyUsage(p.Account, pol.ARN)
		if err != nil {
			return err
		}
		out.Policy = wirePolicy(pol, usage, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListPoliciesInput pages through managed policies.
type ListPoliciesInput struct {
	Scope             string `enum:"All,AWS,Local"`
	OnlyAttached      bool
	PathPrefix        string `min:"1" max:"512" pattern:"((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"`
	PolicyUsageFilter string `enum:"PermissionsPolicy,PermissionsBoundary"`
	Marker            string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems          *int32 `min:"1" max:"1000"`
}

// ListPoliciesOutput is one page of managed policies.
type ListPoliciesOutput struct {
	Policies    members[Policy]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func (s *Service) listPolicies(ctx context.Context, in *ListPoliciesInput) (*ListPoliciesOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	pg, err := storePage(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &ListPoliciesOutput{Policies: members[Policy]{}}
	err = s.view(ctx, func(tx txn) error {
		pols, err := tx.ListManagedPolicies(p.Account, store.PolicyFilter{Scope: in.Scope, PathPrefix: in.PathPrefix,
			OnlyAttached: in.OnlyAttached, Usage: in.PolicyUsageFilter}, pg)
		if err != nil {
			return err
		}
		page, marker := operation.Keyed(pols, pageSize(in.MaxItems), func(p *store.ManagedPolicy) string { return p.ARN })
		out.IsTruncated, out.Marker = marker != "", marker
		for _, pol := range page {
			usage, err := tx.PolicyUsage(p.Account, pol.ARN)
			if err != nil {
				return err
			}
			out.Policies = append(out.Policies, wirePolicy(pol, usage, false))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) deletePolicy(ctx context.Context, in *PolicyArnInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		pol, err := readPolicy(tx, p.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		if pol.AccountID == store.AWSManagedAccount {
			return notOwned(ctx, "DeletePolicy", pol.ARN)
		}
		usage, err := tx.PolicyUsage(p.Account, pol.ARN)
		if err != nil {
			return err
		}
		if usage.Attachments > 0 || usage.Boundaries > 0 {
			return deleteConflict("Cannot delete a policy attached to entities.")
		}
		versions, err := tx.PolicyVersions(pol.ARN)
		if err != nil {
			return err
		}
		if len(versions) > 1 {
			return deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		return tx.DeleteManagedPolicy(pol.ARN)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// CreatePolicyVersionInput adds a version to a managed policy.
type CreatePolicyVersionInput struct {
	PolicyArn      string `required:"true" min:"20" max:"2048"`
	PolicyDocument string `required:"true" min:"1" max:"131072" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	SetAsDefault   bool
}

// CreatePolicyVersionOutput describes the new version.
type CreatePolicyVersionOutput struct {
	PolicyVersion PolicyVersion
}

func (s *Service) createPolicyVersion(ctx context.Context, in *CreatePolicyVersionInput) (*CreatePolicyVersionOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out CreatePolicyVersionOutput
	err = s.update(ctx, func(tx txn) error {
		pol, err := readPolicy(tx, p.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		if pol.AccountID == store.AWSManagedAccount {
			return notOwned(ctx, "CreatePolicyVersion", pol.ARN)
		}
		versions, err := tx.PolicyVersions(pol.ARN)
		if err != nil {
			return err
		}
		if len(versions) >= maxPolicyVersions {
			return limitExceeded("A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", maxPolicyVersions)
		}
		if err := checkManagedDocument(in.PolicyDocument); err != nil {
			return err
		}
		now := s.timestamp()
		pol.LastVersion++
		v := &store.PolicyVersion{PolicyARN: pol.ARN, VersionID: "v" + strconv.Itoa(pol.LastVersion), Document: in.PolicyDocument, CreatedAt: now}
		if err := tx.CreatePolicyVersion(v); err != nil {
			return fmt.Errorf("create policy version: %w", err)
		}
		if in.SetAsDefault {
			pol.DefaultVersionID = v.VersionID
		}
		pol.UpdatedAt = now
		if err := tx.UpdateManagedPolicy(pol); err != nil {
			return fmt.Errorf("update policy: %w", err)
		}
		out.PolicyVersion = wireVersion(v, pol.DefaultVersionID, false)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// PolicyVersionInput names one version of a managed policy.
type PolicyVersionInput struct {
	PolicyArn string `required:"true" min:"20" max:"2048"`
	VersionId string `required:"true" pattern:"v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?"`
}

// GetPolicyVersionOutput holds one version with its URL-encoded document.
type GetPolicyVersionOutput struct {
	PolicyVersion PolicyVersion
}

// readVersion reads a version of a policy visible from account.
func readVersion(tx txn, account, arn, versionID string) (*store.ManagedPolicy, *store.PolicyVersion, error) {
	pol, err := readPolicy(tx, account, arn)
	if err != nil {
		return nil, nil, err
	}
	v, err := tx.PolicyVersion(pol.ARN, versionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, noSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, versionID)
	}
	if err != nil {
		return nil, nil, err
	}
	return pol, v, nil
}

func (s *Service) getPolicyVersion(ctx context.Context, in *PolicyVersionInput) (*GetPolicyVersionOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out GetPolicyVersionOutput
	err = s.view(ctx, func(tx txn) error {
		pol, v, err := readVersion(tx, p.Account, in.PolicyArn, in.VersionId)
		if err != nil {
			return err
		}
		out.PolicyVersion = wireVersion(v, pol.DefaultVersionID, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListPolicyVersionsInput pages through a policy's versions.
type ListPolicyVersionsInput struct {
	PolicyArn string `required:"true" min:"20" max:"2048"`
	Marker    string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems  *int32 `min:"1" max:"1000"`
}

// ListPolicyVersionsOutput is one page of versions, newest first.
type ListPolicyVersionsOutput struct {
	Versions    members[PolicyVersion]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func (s *Service) listPolicyVersions(ctx context.Context, in *ListPolicyVersionsInput) (*ListPolicyVersionsOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var pol *store.ManagedPolicy
	var versions []*store.PolicyVersion
	err = s.view(ctx, func(tx txn) error {
		if pol, err = readPolicy(tx, p.Account, in.PolicyArn); err != nil {
			return err
		}
		versions, err = tx.PolicyVersions(pol.ARN)
		return err
	})
	if err != nil {
		return nil, err
	}
	page, truncated, marker, err := pageSlice(versions, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &ListPolicyVersionsOutput{Versions: members[PolicyVersion]{}, IsTruncated: truncated, Marker: marker}
	for _, v := range page {
		out.Versions = append(out.Versions, wireVersion(v, pol.DefaultVersionID, false))
	}
	return out, nil
}

func (s *Service) deletePolicyVersion(ctx context.Context, in *PolicyVersionInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		pol, v, err := readVersion(tx, p.Account, in.PolicyArn, in.VersionId)
		if err != nil {
			return err
		}
		if pol.AccountID == store.AWSManagedAccount {
			return notOwned(ctx, "DeletePolicyVersion", pol.ARN)
		}
		if v.VersionID == pol.DefaultVersionID {
			return deleteConflict("Cannot delete the default version of a policy.")
		}
		return tx.DeletePolicyVersion(pol.ARN, v.VersionID)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Service) setDefaultPolicyVersion(ctx context.Context, in *PolicyVersionInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		pol, v, err := readVersion(tx, p.Account, in.PolicyArn, in.VersionId)
		if err != nil {
			return err
		}
		if pol.AccountID == store.AWSManagedAccount {
			return notOwned(ctx, "SetDefaultPolicyVersion", pol.ARN)
		}
		pol.DefaultVersionID = v.VersionID
		return tx.UpdateManagedPolicy(pol)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
