// Package organizations serves AWS Organizations (awsJson1.1): the organization, its
// accounts and their creation, the tree of organizational units, and the service control
// and resource control policies attached to it.
package organizations

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/cairnhq/cairn/internal/arn"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/store"
)

// ManagementAccountID is the organization's management account in a fresh data dir.
const ManagementAccountID = "000000000000"

// Options configures the service.
type Options struct {
	Store  store.Store
	Now    func() time.Time
	Random io.Reader
}

// Service is Organizations.
type Service struct {
	store  store.Scoped[txn, txn]
	now    func() time.Time
	random io.Reader
}

// New returns the Organizations service.
func New(o Options) *Service {
	return &Service{store: store.Scope[txn, txn](o.Store), now: o.Now, random: o.Random}
}

// API declares the operations of Organizations.
func (s *Service) API() *awsproto.Service {
	return awsproto.NewService(awsproto.Service{
		Name:           "organizations",
		Protocol:       awsproto.JSON11,
		TargetPrefix:   "AWSOrganizationsV20161128",
		Global:         true,
		ValidationCode: "InvalidInputException",
	},
		operation.Declare(operation.Op[DescribeOrganizationInput, DescribeOrganizationOutput]{
			Name: "DescribeOrganization", Handler: s.describeOrganization,
		}),
		operation.Declare(operation.Op[ListAccountsInput, ListAccountsOutput]{
			Name: "ListAccounts", Handler: s.listAccounts, Access: starAccessOf[ListAccountsInput](s),
		}),
		operation.Declare(operation.Op[DescribeAccountInput, DescribeAccountOutput]{
			Name: "DescribeAccount", Handler: s.describeAccount, Access: s.accountAccess,
		}),
		operation.Declare(operation.Op[CreateAccountInput, CreateAccountOutput]{
			Name: "CreateAccount", Handler: s.createAccount, Access: s.createAccountAccess,
		}),
		operation.Declare(operation.Op[DescribeCreateAccountStatusInput, DescribeCreateAccountStatusOutput]{
			Name: "DescribeCreateAccountStatus", Handler: s.describeCreateAccountStatus, Access: starAccessOf[DescribeCreateAccountStatusInput](s),
		}),
		operation.Declare(operation.Op[ListCreateAccountStatusInput, ListCreateAccountStatusOutput]{
			Name: "ListCreateAccountStatus", Handler: s.listCreateAccountStatus, Access: starAccessOf[ListCreateAccountStatusInput](s),
		}),

		// The organization tree.
		operation.Declare(operation.Op[ListRootsInput, ListRootsOutput]{
			Name: "ListRoots", Handler: s.listRoots, Access: starAccessOf[ListRootsInput](s),
		}),
		operation.Declare(operation.Op[CreateOrganizationalUnitInput, CreateOrganizationalUnitOutput]{
			Name: "CreateOrganizationalUnit", Handler: s.createOrganizationalUnit, Access: s.createOUAccess,
		}),
		operation.Declare(operation.Op[DescribeOrganizationalUnitInput, DescribeOrganizationalUnitOutput]{
			Name: "DescribeOrganizationalUnit", Handler: s.describeOrganizationalUnit,
			Access: func(ctx context.Context, in *DescribeOrganizationalUnitInput) (*operation.Access, error) {
				return s.nodeAccess(ctx, in.OrganizationalUnitId)
			},
		}),
		operation.Declare(operation.Op[UpdateOrganizationalUnitInput, UpdateOrganizationalUnitOutput]{
			Name: "UpdateOrganizationalUnit", Handler: s.updateOrganizationalUnit,
			Access: func(ctx context.Context, in *UpdateOrganizationalUnitInput) (*operation.Access, error) {
				return s.nodeAccess(ctx, in.OrganizationalUnitId)
			},
		}),
		operation.Declare(operation.Op[DeleteOrganizationalUnitInput, DeleteOrganizationalUnitOutput]{
			Name: "DeleteOrganizationalUnit", Handler: s.deleteOrganizationalUnit,
			Access: func(ctx context.Context, in *DeleteOrganizationalUnitInput) (*operation.Access, error) {
				return s.nodeAccess(ctx, in.OrganizationalUnitId)
			},
		}),
		operation.Declare(operation.Op[ListOrganizationalUnitsForParentInput, ListOrganizationalUnitsForParentOutput]{
			Name: "ListOrganizationalUnitsForParent", Handler: s.listOrganizationalUnitsForParent,
			Access: func(ctx context.Context, in *ListOrganizationalUnitsForParentInput) (*operation.Access, error) {
				return s.nodeAccess(ctx, in.ParentId)
			},
		}),
		operation.Declare(operation.Op[MoveAccountInput, MoveAccountOutput]{
			Name: "MoveAccount", Handler: s.moveAccount, Access: s.moveAccountAccess,
		}),
		operation.Declare(operation.Op[ListParentsInput, ListParentsOutput]{
			Name: "ListParents", Handler: s.listParents, Access: s.childAccess,
		}),
		operation.Declare(operation.Op[ListChildrenInput, ListChildrenOutput]{
			Name: "ListChildren", Handler: s.listChildren,
			Access: func(ctx context.Context, in *ListChildrenInput) (*operation.Access, error) {
				return s.nodeAccess(ctx, in.ParentId)
			},
		}),
		operation.Declare(operation.Op[ListAccountsForParentInput, ListAccountsForParentOutput]{
			Name: "ListAccountsForParent", Handler: s.listAccountsForParent,
			Access: func(ctx context.Context, in *ListAccountsForParentInput) (*operation.Access, error) {
				return s.nodeAccess(ctx, in.ParentId)
			},
		}),

		// Policy types and policies.
		operation.Declare(operation.Op[PolicyTypeInput, PolicyTypeOutput]{
			Name: "EnablePolicyType", Handler: s.enablePolicyType, Access: s.policyTypeAccess,
		}),
		operation.Declare(operation.Op[PolicyTypeInput, PolicyTypeOutput]{
			Name: "DisablePolicyType", Handler: s.disablePolicyType, Access: s.policyTypeAccess,
		}),
		operation.Declare(operation.Op[CreatePolicyInput, PolicyOutput]{
			Name: "CreatePolicy", Handler: s.createPolicy, Access: s.createPolicyAccess,
		}),
		operation.Declare(operation.Op[UpdatePolicyInput, PolicyOutput]{
			Name: "UpdatePolicy", Handler: s.updatePolicy,
			Access: func(ctx context.Context, in *UpdatePolicyInput) (*operation.Access, error) {
				return s.policyAccess(ctx, in.PolicyId, "")
			},
		}),
		operation.Declare(operation.Op[PolicyIDInput, PolicyOutput]{
			Name: "DescribePolicy", Handler: s.describePolicy, Access: s.policyIDAccess,
		}),
		operation.Declare(operation.Op[PolicyIDInput, DeletePolicyOutput]{
			Name: "DeletePolicy", Handler: s.deletePolicy, Access: s.policyIDAccess,
		}),
		operation.Declare(operation.Op[ListPoliciesInput, ListPoliciesOutput]{
			Name: "ListPolicies", Handler: s.listPolicies, Access: s.listPoliciesAccess,
		}),
		operation.Declare(operation.Op[AttachmentInput, AttachmentOutput]{
			Name: "AttachPolicy", Handler: s.attachPolicy, Access: s.attachmentAccess,
		}),
		operation.Declare(operation.Op[AttachmentInput, AttachmentOutput]{
			Name: "DetachPolicy", Handler: s.detachPolicy, Access: s.attachmentAccess,
		}),
		operation.Declare(operation.Op[ListPoliciesForTargetInput, ListPoliciesOutput]{
			Name: "ListPoliciesForTarget", Handler: s.listPoliciesForTarget, Access: s.listPoliciesForTargetAccess,
		}),
		// Tags of roots, OUs, accounts and policies.
		operation.Declare(operation.Op[TagResourceInput, TagResourceOutput]{
			Name: "TagResource", Handler: s.tagResource, Access: s.tagResourceAccess,
		}),
		operation.Declare(operation.Op[UntagResourceInput, UntagResourceOutput]{
			Name: "UntagResource", Handler: s.untagResource,
			Access: func(ctx context.Context, in *UntagResourceInput) (*operation.Access, error) {
				a, err := s.resourceAccess(ctx, in.ResourceId)
				if a != nil {
					a.Context = map[string][]string{"aws:TagKeys": in.TagKeys}
				}
				return a, err
			},
		}),
		operation.Declare(operation.Op[ListTagsForResourceInput, ListTagsForResourceOutput]{
			Name: "ListTagsForResource", Handler: s.listTagsForResource,
			Access: func(ctx context.Context, in *ListTagsForResourceInput) (*operation.Access, error) {
				return s.resourceAccess(ctx, in.ResourceId)
			},
		}),
		operation.Declare(operation.Op[ListTargetsForPolicyInput, ListTargetsForPolicyOutput]{
			Name: "ListTargetsForPolicy", Handler: s.listTargetsForPolicy,
			Access: func(ctx context.Context, in *ListTargetsForPolicyInput) (*operation.Access, error) {
				return s.policyAccess(ctx, in.PolicyId, "")
			},
		}),
	)
}

// Errors of Organizations.
var (
	errNotManagement = &operation.Error{Code: "AccessDeniedException", Status: http.StatusBadRequest,
		Message: "You don't have permissions to access this resource."}
	errNotInUse = &operation.Error{Code: "AWSOrganizationsNotInUseException", Status: http.StatusBadRequest,
		Message: "Your account is not a member of an organization."}
)

func invalidInput(reason, format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "InvalidInputException", format, args...).With("Reason", reason)
}

// organization reads the organization and checks that the caller's account belongs to it;
// management says the caller must be the management account.
func (s *Service) organization(ctx context.Context, tx txn, management bool) (*store.Organization, error) {
	org, err := tx.Organization()
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotInUse
	}
	if err != nil {
		return nil, err
	}
	p := auth.PrincipalFrom(ctx)
	if _, err := tx.Account(p.Account); errors.Is(err, store.ErrNotFound) {
		return nil, errNotInUse
	} else if err != nil {
		return nil, err
	}
	if management && p.Account != org.ManagementAccountID {
		return nil, errNotManagement
	}
	return org, nil
}

// Organization describes an organization on the wire.
type Organization struct {
	Id                   string
	Arn                  string
	FeatureSet           string
	MasterAccountArn     string
	MasterAccountId      string
	MasterAccountEmail   string
	AvailablePolicyTypes []PolicyTypeSummary
}

// PolicyTypeSummary is one policy type and whether it is enabled.
type PolicyTypeSummary struct {
	Type   string
	Status string
}

// DescribeOrganizationInput has no members.
type DescribeOrganizationInput struct{}

// DescribeOrganizationOutput holds the organization.
type DescribeOrganizationOutput struct {
	Organization Organization
}

func (s *Service) describeOrganization(ctx context.Context, _ *DescribeOrganizationInput) (*DescribeOrganizationOutput, error) {
	var out DescribeOrganizationOutput
	err := s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, false)
		if err != nil {
			return err
		}
		mgmt, err := tx.Account(org.ManagementAccountID)
		if err != nil {
			return fmt.Errorf("read management account: %w", err)
		}
		out.Organization = Organization{
			Id:                   org.ID,
			Arn:                  organizationARN(org),
			FeatureSet:           org.FeatureSet,
			MasterAccountArn:     accountARN(org, mgmt.ID),
			MasterAccountId:      mgmt.ID,
			MasterAccountEmail:   mgmt.Email,
			AvailablePolicyTypes: []PolicyTypeSummary{},
		}
		return nil
	})
	return &out, err
}

func organizationARN(org *store.Organization) string {
	return arn.Organization(org.ManagementAccountID, org.ID)
}

func accountARN(org *store.Organization, account string) string {
	return arn.OrganizationAccount(org.ManagementAccountID, org.ID, account)
}
