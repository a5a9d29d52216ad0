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
	store  store.Store
	now    func() time.Time
	random io.Reader
}

// New returns the Organizations service.
func New(o Options) *Service {
	return &Service{store: o.Store, now: o.Now, random: o.Random}
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
		awsproto.Declare(awsproto.Op[DescribeOrganizationInput, DescribeOrganizationOutput]{
			Name: "DescribeOrganization", Handler: s.describeOrganization,
		}),
		awsproto.Declare(awsproto.Op[ListAccountsInput, ListAccountsOutput]{
			Name: "ListAccounts", Handler: s.listAccounts, Access: starAccessOf[ListAccountsInput](s),
		}),
		awsproto.Declare(awsproto.Op[DescribeAccountInput, DescribeAccountOutput]{
			Name: "DescribeAccount", Handler: s.describeAccount, Access: s.accountAccess,
		}),
		awsproto.Declare(awsproto.Op[CreateAccountInput, CreateAccountOutput]{
			Name: "CreateAccount", Handler: s.createAccount, Access: s.createAccountAccess,
		}),
		awsproto.Declare(awsproto.Op[DescribeCreateAccountStatusInput, DescribeCreateAccountStatusOutput]{
			Name: "DescribeCreateAccountStatus", Handler: s.describeCreateAccountStatus, Access: starAccessOf[DescribeCreateAccountStatusInput](s),
		}),

		// The organization tree.
		awsproto.Declare(awsproto.Op[ListRootsInput, ListRootsOutput]{
			Name: "ListRoots", Handler: s.listRoots, Access: starAccessOf[ListRootsInput](s),
		}),
		awsproto.Declare(awsproto.Op[CreateOrganizationalUnitInput, CreateOrganizationalUnitOutput]{
			Name: "CreateOrganizationalUnit", Handler: s.createOrganizationalUnit, Access: s.createOUAccess,
		}),
		awsproto.Declare(awsproto.Op[DescribeOrganizationalUnitInput, DescribeOrganizationalUnitOutput]{
			Name: "DescribeOrganizationalUnit", Handler: s.describeOrganizationalUnit,
			Access: func(ctx context.Context, in *DescribeOrganizationalUnitInput) (*awsproto.Access, error) {
				return s.nodeAccess(ctx, in.OrganizationalUnitId)
			},
		}),
		awsproto.Declare(awsproto.Op[UpdateOrganizationalUnitInput, UpdateOrganizationalUnitOutput]{
			Name: "UpdateOrganizationalUnit", Handler: s.updateOrganizationalUnit,
			Access: func(ctx context.Context, in *UpdateOrganizationalUnitInput) (*awsproto.Access, error) {
				return s.nodeAccess(ctx, in.OrganizationalUnitId)
			},
		}),
		awsproto.Declare(awsproto.Op[DeleteOrganizationalUnitInput, DeleteOrganizationalUnitOutput]{
			Name: "DeleteOrganizationalUnit", Handler: s.deleteOrganizationalUnit,
			Access: func(ctx context.Context, in *DeleteOrganizationalUnitInput) (*awsproto.Access, error) {
				return s.nodeAccess(ctx, in.OrganizationalUnitId)
			},
		}),
		awsproto.Declare(awsproto.Op[ListOrganizationalUnitsForParentInput, ListOrganizationalUnitsForParentOutput]{
			Name: "ListOrganizationalUnitsForParent", Handler: s.listOrganizationalUnitsForParent,
			Access: func(ctx context.Context, in *ListOrganizationalUnitsForParentInput) (*awsproto.Access, error) {
				return s.nodeAccess(ctx, in.ParentId)
			},
		}),
		awsproto.Declare(awsproto.Op[MoveAccountInput, MoveAccountOutput]{
			Name: "MoveAccount", Handler: s.moveAccount, Access: s.moveAccountAccess,
		}),
		awsproto.Declare(awsproto.Op[ListParentsInput, ListParentsOutput]{
			Name: "ListParents", Handler: s.listParents, Access: s.childAccess,
		}),
		awsproto.Declare(awsproto.Op[ListChildrenInput, ListChildrenOutput]{
			Name: "ListChildren", Handler: s.listChildren,
			Access: func(ctx context.Context, in *ListChildrenInput) (*awsproto.Access, error) {
				return s.nodeAccess(ctx, in.ParentId)
			},
		}),
		awsproto.Declare(awsproto.Op[ListAccountsForParentInput, ListAccountsForParentOutput]{
			Name: "ListAccountsForParent", Handler: s.listAccountsForParent,
			Access: func(ctx context.Context, in *ListAccountsForParentInput) (*awsproto.Access, error) {
				return s.nodeAccess(ctx, in.ParentId)
			},
		}),

		// Policy types and policies.
		awsproto.Declare(awsproto.Op[PolicyTypeInput, PolicyTypeOutput]{
			Name: "EnablePolicyType", Handler: s.enablePolicyType, Access: s.policyTypeAccess,
		}),
		awsproto.Declare(awsproto.Op[PolicyTypeInput, PolicyTypeOutput]{
			Name: "DisablePolicyType", Handler: s.disablePolicyType, Access: s.policyTypeAccess,
		}),
		awsproto.Declare(awsproto.Op[CreatePolicyInput, PolicyOutput]{
			Name: "CreatePolicy", Handler: s.createPolicy, Access: s.createPolicyAccess,
		}),
		awsproto.Declare(awsproto.Op[UpdatePolicyInput, PolicyOutput]{
			Name: "UpdatePolicy", Handler: s.updatePolicy,
			Access: func(ctx context.Context, in *UpdatePolicyInput) (*awsproto.Access, error) {
				return s.policyAccess(ctx, in.PolicyId, "")
			},
		}),
		awsproto.Declare(awsproto.Op[PolicyIDInput, PolicyOutput]{
			Name: "DescribePolicy", Handler: s.describePolicy, Access: s.policyIDAccess,
		}),
		awsproto.Declare(awsproto.Op[PolicyIDInput, DeletePolicyOutput]{
			Name: "DeletePolicy", Handler: s.deletePolicy, Access: s.policyIDAccess,
		}),
		awsproto.Declare(awsproto.Op[ListPoliciesInput, ListPoliciesOutput]{
			Name: "ListPolicies", Handler: s.listPolicies, Access: s.listPoliciesAccess,
		}),
		awsproto.Declare(awsproto.Op[AttachmentInput, AttachmentOutput]{
			Name: "AttachPolicy", Handler: s.attachPolicy, Access: s.attachmentAccess,
		}),
		awsproto.Declare(awsproto.Op[AttachmentInput, AttachmentOutput]{
			Name: "DetachPolicy", Handler: s.detachPolicy, Access: s.attachmentAccess,
		}),
		awsproto.Declare(awsproto.Op[ListPoliciesForTargetInput, ListPoliciesOutput]{
			Name: "ListPoliciesForTarget", Handler: s.listPoliciesForTarget, Access: s.listPoliciesForTargetAccess,
		}),
		// Tags of roots, OUs, accounts and policies.
		awsproto.Declare(awsproto.Op[TagResourceInput, TagResourceOutput]{
			Name: "TagResource", Handler: s.tagResource, Access: s.tagResourceAccess,
		}),
		awsproto.Declare(awsproto.Op[UntagResourceInput, UntagResourceOutput]{
			Name: "UntagResource", Handler: s.untagResource,
			Access: func(ctx context.Context, in *UntagResourceInput) (*awsproto.Access, error) {
				a, err := s.resourceAccess(ctx, in.ResourceId)
				if a != nil {
					a.Context = map[string][]string{"aws:TagKeys": in.TagKeys}
				}
				return a, err
			},
		}),
		awsproto.Declare(awsproto.Op[ListTagsForResourceInput, ListTagsForResourceOutput]{
			Name: "ListTagsForResource", Handler: s.listTagsForResource,
			Access: func(ctx context.Context, in *ListTagsForResourceInput) (*awsproto.Access, error) {
				return s.resourceAccess(ctx, in.ResourceId)
			},
		}),
		awsproto.Declare(awsproto.Op[ListTargetsForPolicyInput, ListTargetsForPolicyOutput]{
			Name: "ListTargetsForPolicy", Handler: s.listTargetsForPolicy,
			Access: func(ctx context.Context, in *ListTargetsForPolicyInput) (*awsproto.Access, error) {
				return s.policyAccess(ctx, in.PolicyId, "")
			},
		}),
	)
}

// Errors of Organizations.
var (
	errNotManagement = &awsproto.Error{Code: "AccessDeniedException", Status: http.StatusBadRequest,
		Message: "You don't have permissions to access this resource."}
	errNotInUse = &awsproto.Error{Code: "AWSOrganizationsNotInUseException", Status: http.StatusBadRequest,
		Message: "Your account is not a member of an organization."}
)

func invalidInput(reason, format string, args ...any) *awsproto.Error {
	return awsproto.Errorf(http.StatusBadRequest, "InvalidInputException", format, args...).With("Reason", reason)
}

// organization reads the organization and checks that the caller's account belongs to it;
// management says the caller must be the management account.
func (s *Service) organization(ctx context.Context, tx store.Tx, management bool) (*store.Organization, error) {
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
	err := s.store.View(ctx, func(tx store.Tx) error {
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
	return "arn:aws:organizations::" + org.ManagementAccountID + ":organization/" + org.ID
}

func accountARN(org *store.Organization, account string) string {
	return "arn:aws:organizations::" + org.ManagementAccountID + ":account/" + org.ID + "/" + account
}
