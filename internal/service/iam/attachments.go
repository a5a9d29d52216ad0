package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// maxAttachedPolicies is IAM's default quota of managed policies per user, group or role.
const maxAttachedPolicies = 10

func (s *Service) attachmentOps() []*operation.Operation {
	user := func(in *UserPolicyArnInput) string { return in.UserName }
	group := func(in *GroupPolicyArnInput) string { return in.GroupName }
	role := func(in *RolePolicyArnInput) string { return in.RoleName }
	userARN := func(in *UserPolicyArnInput) accessOpt { return withPolicyARN(in.PolicyArn) }
	groupARN := func(in *GroupPolicyArnInput) accessOpt { return withPolicyARN(in.PolicyArn) }
	roleARN := func(in *RolePolicyArnInput) accessOpt { return withPolicyARN(in.PolicyArn) }
	return []*operation.Operation{
		operation.Declare(operation.Op[UserPolicyArnInput, struct{}]{
			Name: "AttachUserPolicy", Access: onEntity(s, store.EntityUser, user, boundaryKey, userARN),
			Handler: func(ctx context.Context, in *UserPolicyArnInput) (*struct{}, error) {
				return s.attach(ctx, store.EntityUser, in.UserName, in.PolicyArn)
			},
		}),
		operation.Declare(operation.Op[GroupPolicyArnInput, struct{}]{
			Name: "AttachGroupPolicy", Access: onEntity(s, store.EntityGroup, group, groupARN),
			Handler: func(ctx context.Context, in *GroupPolicyArnInput) (*struct{}, error) {
				return s.attach(ctx, store.EntityGroup, in.GroupName, in.PolicyArn)
			},
		}),
		operation.Declare(operation.Op[RolePolicyArnInput, struct{}]{
			Name: "AttachRolePolicy", Access: onEntity(s, store.EntityRole, role, boundaryKey, roleARN),
			Handler: func(ctx context.Context, in *RolePolicyArnInput) (*struct{}, error) {
				return s.attach(ctx, store.EntityRole, in.RoleName, in.PolicyArn)
			},
		}),
		operation.Declare(operation.Op[UserPolicyArnInput, struct{}]{
			Name: "DetachUserPolicy", Access: onEntity(s, store.EntityUser, user, boundaryKey, userARN),
			Handler: func(ctx context.Context, in *UserPolicyArnInput) (*struct{}, error) {
				return s.detach(ctx, store.EntityUser, in.UserName, in.PolicyArn)
			},
		}),
		operation.Declare(operation.Op[GroupPolicyArnInput, struct{}]{
			Name: "DetachGroupPolicy", Access: onEntity(s, store.EntityGroup, group, groupARN),
			Handler: func(ctx context.Context, in *GroupPolicyArnInput) (*struct{}, error) {
				return s.detach(ctx, store.EntityGroup, in.GroupName, in.PolicyArn)
			},
		}),
		operation.Declare(operation.Op[RolePolicyArnInput, struct{}]{
			Name: "DetachRolePolicy", Access: onEntity(s, store.EntityRole, role, boundaryKey, roleARN),
			Handler: func(ctx context.Context, in *RolePolicyArnInput) (*struct{}, error) {
				return s.detach(ctx, store.EntityRole, in.RoleName, in.PolicyArn)
			},
		}),
		operation.Declare(operation.Op[ListAttachedUserPoliciesInput, ListAttachedPoliciesOutput]{
			Name:   "ListAttachedUserPolicies",
			Access: onEntity(s, store.EntityUser, func(in *ListAttachedUserPoliciesInput) string { return in.UserName }),
			Handler: func(ctx context.Context, in *ListAttachedUserPoliciesInput) (*ListAttachedPoliciesOutput, error) {
				pg := in.page()
				return s.listAttached(ctx, store.EntityUser, in.UserName, &pg)
			},
		}),
		operation.Declare(operation.Op[ListAttachedGroupPoliciesInput, ListAttachedPoliciesOutput]{
			Name:   "ListAttachedGroupPolicies",
			Access: onEntity(s, store.EntityGroup, func(in *ListAttachedGroupPoliciesInput) string { return in.GroupName }),
			Handler: func(ctx context.Context, in *ListAttachedGroupPoliciesInput) (*ListAttachedPoliciesOutput, error) {
				pg := in.page()
				return s.listAttached(ctx, store.EntityGroup, in.GroupName, &pg)
			},
		}),
		operation.Declare(operation.Op[ListAttachedRolePoliciesInput, ListAttachedPoliciesOutput]{
			Name:   "ListAttachedRolePolicies",
			Access: onEntity(s, store.EntityRole, func(in *ListAttachedRolePoliciesInput) string { return in.RoleName }),
			Handler: func(ctx context.Context, in *ListAttachedRolePoliciesInput) (*ListAttachedPoliciesOutput, error) {
				pg := in.page()
				return s.listAttached(ctx, store.EntityRole, in.RoleName, &pg)
			},
		}),
		operation.Declare(operation.Op[ListEntitiesForPolicyInput, ListEntitiesForPolicyOutput]{
			Name: "ListEntitiesForPolicy", Handler: s.listEntitiesForPolicy,
			Access: onPolicy(s, func(in *ListEntitiesForPolicyInput) string { return in.PolicyArn }),
		}),
	}
}

// UserPolicyArnInput names a user and a managed policy.
type UserPolicyArnInput struct {
	UserName  string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PolicyArn string `required:"true" min:"20" max:"2048"`
}

// GroupPolicyArnInput names a group and a managed policy.
type GroupPolicyArnInput struct {
	GroupName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	PolicyArn string `required:"true" min:"20" max:"2048"`
}

// RolePolicyArnInput names a role and a managed policy.
type RolePolicyArnInput struct {
	RoleName  string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PolicyArn string `required:"true" min:"20" max:"2048"`
}

// readEntity checks that a user, group or role exists and returns its name as stored.
func readEntity(tx txn, account string, kind store.EntityKind, name string) (string, error) {
	var err error
	switch kind {
	case store.EntityUser:
		var u *store.User
		if u, err = tx.User(account, name); err == nil {
			return u.Name, nil
		}
	case store.EntityGroup:
		var g *store.Group
		if g, err = tx.Group(account, name); err == nil {
			return g.Name, nil
		}
	case store.EntityRole:
		var r *store.Role
		if r, err = tx.Role(account, name); err == nil {
			return r.Name, nil
		}
	}
	return "", orNoSuch(err, kind, name)
}

// quotaName is the name of the attached-policies quota of a kind of entity.
func quotaName(kind store.EntityKind) string {
	switch kind {
	case store.EntityUser:
		return "PoliciesPerUser"
	case store.EntityGroup:
		return "PoliciesPerGroup"
	}
	return "PoliciesPerRole"
}

func (s *Service) attach(ctx context.Context, kind store.EntityKind, name, arn string) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		entity, err := readEntity(tx, p.Account, kind, name)
		if err != nil {
			return err
		}
		pol, err := attachablePolicy(tx, p.Account, arn)
		if err != nil {
			return err
		}
		attached, err := tx.AttachedPolicies(p.Account, kind, entity)
		if err != nil {
			return err
		}
		for _, a := range attached {
			if a.ARN == pol.ARN {
				return nil
			}
		}
		if len(attached) >= maxAttachedPolicies {
			return limitExceeded("Cannot exceed quota for %s: %d", quotaName(kind), maxAttachedPolicies)
		}
		if err := tx.AttachPolicy(p.Account, kind, entity, pol.ARN); err != nil {
			return fmt.Errorf("attach policy: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Service) detach(ctx context.Context, kind store.EntityKind, name, arn string) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		entity, err := readEntity(tx, p.Account, kind, name)
		if err != nil {
			return err
		}
		if err := checkPolicyARN(arn); err != nil {
			return err
		}
		err = tx.DetachPolicy(p.Account, kind, entity, arn)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchPolicy(arn)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// attachedPage holds the filter and paging members of the ListAttached… inputs.
type attachedPage struct {
	PathPrefix string
	Marker     string
	MaxItems   *int32
}

// ListAttachedUserPoliciesInput pages through the policies attached to a user.
type ListAttachedUserPoliciesInput struct {
	UserName   string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PathPrefix string `min:"1" max:"512" pattern:"((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"`
	Marker     string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems   *int32 `min:"1" max:"1000"`
}

// ListAttachedGroupPoliciesInput pages through the policies attached to a group.
type ListAttachedGroupPoliciesInput struct {
	GroupName  string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	PathPrefix string `min:"1" max:"512" pattern:"((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"`
	Marker     string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems   *int32 `min:"1" max:"1000"`
}

// ListAttachedRolePoliciesInput pages through the policies attached to a role.
type ListAttachedRolePoliciesInput struct {
	RoleName   string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PathPrefix string `min:"1" max:"512" pattern:"((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"`
	Marker     string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems   *int32 `min:"1" max:"1000"`
}

func (in *ListAttachedUserPoliciesInput) page() attachedPage {
	return attachedPage{PathPrefix: in.PathPrefix, Marker: in.Marker, MaxItems: in.MaxItems}
}

func (in *ListAttachedGroupPoliciesInput) page() attachedPage {
	return attachedPage{PathPrefix: in.PathPrefix, Marker: in.Marker, MaxItems: in.MaxItems}
}

func (in *ListAttachedRolePoliciesInput) page() attachedPage {
	return attachedPage{PathPrefix: in.PathPrefix, Marker: in.Marker, MaxItems: in.MaxItems}
}

// ListAttachedPoliciesOutput is one page of attached policies.
type ListAttachedPoliciesOutput struct {
	AttachedPolicies members[AttachedPolicy]
	IsTruncated      bool
	Marker           string `xml:",omitempty"`
}

func (s *Service) listAttached(ctx context.Context, kind store.EntityKind, name string, pg *attachedPage) (*ListAttachedPoliciesOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var attached []*store.ManagedPolicy
	err = s.view(ctx, func(tx txn) error {
		entity, err := readEntity(tx, p.Account, kind, name)
		if err != nil {
			return err
		}
		attached, err = tx.AttachedPolicies(p.Account, kind, entity)
		return err
	})
	if err != nil {
		return nil, err
	}
	if pg.PathPrefix != "" {
		kept := attached[:0]
		for _, a := range attached {
			if strings.HasPrefix(a.Path, pg.PathPrefix) {
				kept = append(kept, a)
			}
		}
		attached = kept
	}
	page, truncated, marker, err := pageSlice(attached, pg.Marker, pg.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListAttachedPoliciesOutput{AttachedPolicies: wireAttached(page), IsTruncated: truncated, Marker: marker}, nil
}

// ListEntitiesForPolicyInput pages through the users, groups and roles using a policy.
type ListEntitiesForPolicyInput struct {
	PolicyArn         string `required:"true" min:"20" max:"2048"`
	EntityFilter      string `enum:"User,Role,Group,LocalManagedPolicy,AWSManagedPolicy"`
	PathPrefix        string `min:"1" max:"512" pattern:"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"`
	PolicyUsageFilter string `enum:"PermissionsPolicy,PermissionsBoundary"`
	Marker            string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems          *int32 `min:"1" max:"1000"`
}

// PolicyUser, PolicyGroup and PolicyRole name entities using a policy.
type (
	PolicyUser struct {
		UserName string
		UserId   string
	}
	PolicyGroup struct {
		GroupName string
		GroupId   string
	}
	PolicyRole struct {
		RoleName string
		RoleId   string
	}
)

// ListEntitiesForPolicyOutput is one page of entities.
type ListEntitiesForPolicyOutput struct {
	PolicyGroups members[PolicyGroup]
	PolicyUsers  members[PolicyUser]
	PolicyRoles  members[PolicyRole]
	IsTruncated  bool
	Marker       string `xml:",omitempty"`
}

func (s *Service) listEntitiesForPolicy(ctx context.Context, in *ListEntitiesForPolicyInput) (*ListEntitiesForPolicyOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var entities []store.PolicyEntity
	err = s.view(ctx, func(tx txn) error {
		pol, err := readPolicy(tx, p.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		switch in.EntityFilter {
		case "LocalManagedPolicy":
			if pol.AccountID == store.AWSManagedAccount {
				return nil
			}
		case "AWSManagedPolicy":
			if pol.AccountID != store.AWSManagedAccount {
				return nil
			}
		}
		if in.PolicyUsageFilter != "PermissionsBoundary" {
			attached, err := tx.PolicyEntities(p.Account, pol.ARN)
			if err != nil {
				return err
			}
			entities = append(entities, attached...)
		}
		if in.PolicyUsageFilter != "PermissionsPolicy" {
			bounded, err := tx.BoundaryEntities(p.Account, pol.ARN)
			if err != nil {
				return err
			}
			entities = append(entities, bounded...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	want := entityKindOf(in.EntityFilter)
	seen := map[string]bool{}
	kept := entities[:0]
	for _, e := range entities {
		if seen[e.ID] || want != 0 && e.Kind != want || in.PathPrefix != "" && !strings.HasPrefix(e.Path, in.PathPrefix) {
			continue
		}
		seen[e.ID] = true
		kept = append(kept, e)
	}
	page, truncated, marker, err := pageSlice(kept, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &ListEntitiesForPolicyOutput{PolicyGroups: members[PolicyGroup]{}, PolicyUsers: members[PolicyUser]{},
		PolicyRoles: members[PolicyRole]{}, IsTruncated: truncated, Marker: marker}
	for _, e := range page {
		switch e.Kind {
		case store.EntityUser:
			out.PolicyUsers = append(out.PolicyUsers, PolicyUser{UserName: e.Name, UserId: e.ID})
		case store.EntityGroup:
			out.PolicyGroups = append(out.PolicyGroups, PolicyGroup{GroupName: e.Name, GroupId: e.ID})
		case store.EntityRole:
			out.PolicyRoles = append(out.PolicyRoles, PolicyRole{RoleName: e.Name, RoleId: e.ID})
		}
	}
	return out, nil
}
