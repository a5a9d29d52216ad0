package iam

import (
	"context"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

func (s *Service) detailOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[GetAccountAuthorizationDetailsInput, GetAccountAuthorizationDetailsOutput]{
			Name: "GetAccountAuthorizationDetails", Handler: s.getAccountAuthorizationDetails,
			Access: anywhere[GetAccountAuthorizationDetailsInput],
		}),
	}
}

// GetAccountAuthorizationDetailsInput asks for a snapshot of the account's IAM
// configuration, optionally of some kinds of entities only.
type GetAccountAuthorizationDetailsInput struct {
	Filter   []string `memberEnum:"User,Role,Group,LocalManagedPolicy,AWSManagedPolicy"`
	MaxItems *int32   `min:"1" max:"1000"`
	Marker   string   `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
}

// PolicyDetail is an inline policy with its URL-encoded document.
type PolicyDetail struct {
	PolicyName     string
	PolicyDocument string
}

// UserDetail is a user with everything that grants it permissions.
type UserDetail struct {
	Path                    string
	UserName                string
	UserId                  string
	Arn                     string
	CreateDate              isoTime
	UserPolicyList          members[PolicyDetail]
	GroupList               members[string]
	AttachedManagedPolicies members[AttachedPolicy]
	PermissionsBoundary     *AttachedPermissionsBoundary `xml:",omitempty"`
	Tags                    members[Tag]
}

// GroupDetail is a group with its policies.
type GroupDetail struct {
	Path                    string
	GroupName               string
	GroupId                 string
	Arn                     string
	CreateDate              isoTime
	GroupPolicyList         members[PolicyDetail]
	AttachedManagedPolicies members[AttachedPolicy]
}

// RoleDetail is a role with its trust policy and permissions.
type RoleDetail struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               isoTime
	AssumeRolePolicyDocument string
	InstanceProfileList      members[struct{}]
	RolePolicyList           members[PolicyDetail]
	AttachedManagedPolicies  members[AttachedPolicy]
	PermissionsBoundary      *AttachedPermissionsBoundary `xml:",omitempty"`
	Tags                     members[Tag]
	RoleLastUsed             RoleLastUsed
}

// ManagedPolicyDetail is a managed policy with all its versions.
type ManagedPolicyDetail struct {
	PolicyName                    string
	PolicyId                      string
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:",omitempty"`
	CreateDate                    isoTime
	UpdateDate                    isoTime
	PolicyVersionList             members[PolicyVersion]
}

// GetAccountAuthorizationDetailsOutput is one page of the snapshot.
type GetAccountAuthorizationDetailsOutput struct {
	UserDetailList  members[UserDetail]
	GroupDetailList members[GroupDetail]
	RoleDetailList  members[RoleDetail]
	Policies        members[ManagedPolicyDetail]
	IsTruncated     bool
	Marker          string `xml:",omitempty"`
}

// detailItem is one entity of the snapshot before its details are read.
type detailItem struct {
	user   *store.User
	group  *store.Group
	role   *store.Role
	policy *store.ManagedPolicy
}

func (s *Service) getAccountAuthorizationDetails(ctx context.Context, in *GetAccountAuthorizationDetailsInput) (*GetAccountAuthorizationDetailsOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, f := range in.Filter {
		want[f] = true
	}
	all := len(want) == 0
	out := &GetAccountAuthorizationDetailsOutput{UserDetailList: members[UserDetail]{}, GroupDetailList: members[GroupDetail]{},
		RoleDetailList: members[RoleDetail]{}, Policies: members[ManagedPolicyDetail]{}}
	err = s.view(ctx, func(tx txn) error {
		var items []detailItem
		if all || want["User"] {
			users, err := tx.ListUsers(p.Account, "", store.Page{})
			if err != nil {
				return err
			}
			for _, u := range users {
				items = append(items, detailItem{user: u})
			}
		}
		if all || want["Group"] {
			groups, err := tx.ListGroups(p.Account, "", store.Page{})
			if err != nil {
				return err
			}
			for _, g := range groups {
				items = append(items, detailItem{group: g})
			}
		}
		if all || want["Role"] {
			roles, err := tx.ListRoles(p.Account, "", store.Page{})
			if err != nil {
				return err
			}
			for _, r := range roles {
				items = append(items, detailItem{role: r})
			}
		}
		if all || want["LocalManagedPolicy"] {
			pols, err := tx.ListManagedPolicies(p.Account, store.PolicyFilter{Scope: "Local"}, store.Page{})
			if err != nil {
				return err
			}
			for _, pol := range pols {
				items = append(items, detailItem{policy: pol})
			}
		}
		if all || want["AWSManagedPolicy"] {
			// AWS managed policies appear when the account uses them.
			pols, err := tx.ListManagedPolicies(p.Account, store.PolicyFilter{Scope: "AWS", OnlyAttached: true}, store.Page{})
			if err != nil {
				return err
			}
			for _, pol := range pols {
				items = append(items, detailItem{policy: pol})
			}
		}
		page, truncated, marker, err := pageSlice(items, in.Marker, in.MaxItems)
		if err != nil {
			return err
		}
		out.IsTruncated, out.Marker = truncated, marker
		for _, it := range page {
			switch {
			case it.user != nil:
				d, err := userDetail(tx, it.user)
				if err != nil {
					return err
				}
				out.UserDetailList = append(out.UserDetailList, d)
			case it.group != nil:
				d, err := groupDetail(tx, it.group)
				if err != nil {
					return err
				}
				out.GroupDetailList = append(out.GroupDetailList, d)
			case it.role != nil:
				d, err := roleDetail(tx, it.role)
				if err != nil {
					return err
				}
				out.RoleDetailList = append(out.RoleDetailList, d)
			case it.policy != nil:
				d, err := policyDetail(tx, p.Account, it.policy)
				if err != nil {
					return err
				}
				out.Policies = append(out.Policies, d)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func inlineDetails(tx txn, account string, kind store.EntityKind, name string) (members[PolicyDetail], error) {
	pols, err := tx.InlinePolicies(account, kind, name)
	if err != nil {
		return nil, err
	}
	out := make(members[PolicyDetail], len(pols))
	for i, p := range pols {
		out[i] = PolicyDetail{PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}
	}
	return out, nil
}

func userDetail(tx txn, u *store.User) (UserDetail, error) {
	d := UserDetail{Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: u.ARN(), CreateDate: isoTime(u.CreatedAt),
		GroupList: members[string]{}, PermissionsBoundary: wireBoundary(u.PermissionsBoundaryARN), Tags: wireTags(u.Tags)}
	var err error
	if d.UserPolicyList, err = inlineDetails(tx, u.AccountID, store.EntityUser, u.Name); err != nil {
		return d, err
	}
	groups, err := tx.GroupsForUser(u.AccountID, u.Name)
	if err != nil {
		return d, err
	}
	for _, g := range groups {
		d.GroupList = append(d.GroupList, g.Name)
	}
	attached, err := tx.AttachedPolicies(u.AccountID, store.EntityUser, u.Name)
	if err != nil {
		return d, err
	}
	d.AttachedManagedPolicies = wireAttached(attached)
	return d, nil
}

func groupDetail(tx txn, g *store.Group) (GroupDetail, error) {
	d := GroupDetail{Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: g.ARN(), CreateDate: isoTime(g.CreatedAt)}
	var err error
	if d.GroupPolicyList, err = inlineDetails(tx, g.AccountID, store.EntityGroup, g.Name); err != nil {
		return d, err
	}
	attached, err := tx.AttachedPolicies(g.AccountID, store.EntityGroup, g.Name)
	if err != nil {
		return d, err
	}
	d.AttachedManagedPolicies = wireAttached(attached)
	return d, nil
}

func roleDetail(tx txn, r *store.Role) (RoleDetail, error) {
	d := RoleDetail{Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: r.ARN(), CreateDate: isoTime(r.CreatedAt),
		AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicyDocument), InstanceProfileList: members[struct{}]{},
		PermissionsBoundary: wireBoundary(r.PermissionsBoundaryARN), Tags: wireTags(r.Tags),
		RoleLastUsed: RoleLastUsed{LastUsedDate: optionalTime(r.LastUsedAt), Region: r.LastUsedRegion}}
	var err error
	if d.RolePolicyList, err = inlineDetails(tx, r.AccountID, store.EntityRole, r.Name); err != nil {
		return d, err
	}
	attached, err := tx.AttachedPolicies(r.AccountID, store.EntityRole, r.Name)
	if err != nil {
		return d, err
	}
	d.AttachedManagedPolicies = wireAttached(attached)
	return d, nil
}

func policyDetail(tx txn, account string, p *store.ManagedPolicy) (ManagedPolicyDetail, error) {
	d := ManagedPolicyDetail{PolicyName: p.Name, PolicyId: p.ID, Arn: p.ARN, Path: p.Path, DefaultVersionId: p.DefaultVersionID,
		IsAttachable: true, Description: p.Description, CreateDate: isoTime(p.CreatedAt), UpdateDate: isoTime(p.UpdatedAt),
		PolicyVersionList: members[PolicyVersion]{}}
	usage, err := tx.PolicyUsage(account, p.ARN)
	if err != nil {
		return d, err
	}
	d.AttachmentCount, d.PermissionsBoundaryUsageCount = usage.Attachments, usage.Boundaries
	versions, err := tx.PolicyVersions(p.ARN)
	if err != nil {
		return d, err
	}
	for _, v := range versions {
		d.PolicyVersionList = append(d.PolicyVersionList, wireVersion(v, p.DefaultVersionID, true))
	}
	return d, nil
}
