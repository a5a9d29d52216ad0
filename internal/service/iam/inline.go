package iam

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// maxInlineSize is IAM's quota on the inline policies of one entity, summed, in
// characters that are not white space.
func maxInlineSize(kind store.EntityKind) int {
	switch kind {
	case store.EntityUser:
		return 2048
	case store.EntityGroup:
		return 5120
	}
	return 10240
}

func (s *Service) inlineOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[PutUserPolicyInput, struct{}]{
			Name:   "PutUserPolicy",
			Access: onEntity(s, store.EntityUser, func(in *PutUserPolicyInput) string { return in.UserName }, boundaryKey),
			Handler: func(ctx context.Context, in *PutUserPolicyInput) (*struct{}, error) {
				return s.putInline(ctx, store.EntityUser, in.UserName, in.PolicyName, in.PolicyDocument)
			},
		}),
		operation.Declare(operation.Op[PutGroupPolicyInput, struct{}]{
			Name:   "PutGroupPolicy",
			Access: onEntity(s, store.EntityGroup, func(in *PutGroupPolicyInput) string { return in.GroupName }),
			Handler: func(ctx context.Context, in *PutGroupPolicyInput) (*struct{}, error) {
				return s.putInline(ctx, store.EntityGroup, in.GroupName, in.PolicyName, in.PolicyDocument)
			},
		}),
		operation.Declare(operation.Op[PutRolePolicyInput, struct{}]{
			Name:   "PutRolePolicy",
			Access: onEntity(s, store.EntityRole, func(in *PutRolePolicyInput) string { return in.RoleName }, boundaryKey),
			Handler: func(ctx context.Context, in *PutRolePolicyInput) (*struct{}, error) {
				return s.putInline(ctx, store.EntityRole, in.RoleName, in.PolicyName, in.PolicyDocument)
			},
		}),
		operation.Declare(operation.Op[UserPolicyNameInput, GetUserPolicyOutput]{
			Name:   "GetUserPolicy",
			Access: onEntity(s, store.EntityUser, func(in *UserPolicyNameInput) string { return in.UserName }),
			Handler: func(ctx context.Context, in *UserPolicyNameInput) (*GetUserPolicyOutput, error) {
				name, p, err := s.getInline(ctx, store.EntityUser, in.UserName, in.PolicyName)
				if err != nil {
					return nil, err
				}
				return &GetUserPolicyOutput{UserName: name, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
			},
		}),
		operation.Declare(operation.Op[GroupPolicyNameInput, GetGroupPolicyOutput]{
			Name:   "GetGroupPolicy",
			Access: onEntity(s, store.EntityGroup, func(in *GroupPolicyNameInput) string { return in.GroupName }),
			Handler: func(ctx context.Context, in *GroupPolicyNameInput) (*GetGroupPolicyOutput, error) {
				name, p, err := s.getInline(ctx, store.EntityGroup, in.GroupName, in.PolicyName)
				if err != nil {
					return nil, err
				}
				return &GetGroupPolicyOutput{GroupName: name, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
			},
		}),
		operation.Declare(operation.Op[RolePolicyNameInput, GetRolePolicyOutput]{
			Name:   "GetRolePolicy",
			Access: onEntity(s, store.EntityRole, func(in *RolePolicyNameInput) string { return in.RoleName }),
			Handler: func(ctx context.Context, in *RolePolicyNameInput) (*GetRolePolicyOutput, error) {
				name, p, err := s.getInline(ctx, store.EntityRole, in.RoleName, in.PolicyName)
				if err != nil {
					return nil, err
				}
				return &GetRolePolicyOutput{RoleName: name, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
			},
		}),
		operation.Declare(operation.Op[UserPolicyNameInput, struct{}]{
			Name:   "DeleteUserPolicy",
			Access: onEntity(s, store.EntityUser, func(in *UserPolicyNameInput) string { return in.UserName }, boundaryKey),
			Handler: func(ctx context.Context, in *UserPolicyNameInput) (*struct{}, error) {
				return s.deleteInline(ctx, store.EntityUser, in.UserName, in.PolicyName)
			},
		}),
		operation.Declare(operation.Op[GroupPolicyNameInput, struct{}]{
			Name:   "DeleteGroupPolicy",
			Access: onEntity(s, store.EntityGroup, func(in *GroupPolicyNameInput) string { return in.GroupName }),
			Handler: func(ctx context.Context, in *GroupPolicyNameInput) (*struct{}, error) {
				return s.deleteInline(ctx, store.EntityGroup, in.GroupName, in.PolicyName)
			},
		}),
		operation.Declare(operation.Op[RolePolicyNameInput, struct{}]{
			Name:   "DeleteRolePolicy",
			Access: onEntity(s, store.EntityRole, func(in *RolePolicyNameInput) string { return in.RoleName }, boundaryKey),
			Handler: func(ctx context.Context, in *RolePolicyNameInput) (*struct{}, error) {
				return s.deleteInline(ctx, store.EntityRole, in.RoleName, in.PolicyName)
			},
		}),
		operation.Declare(operation.Op[ListUserPoliciesInput, ListPolicyNamesOutput]{
			Name:   "ListUserPolicies",
			Access: onEntity(s, store.EntityUser, func(in *ListUserPoliciesInput) string { return in.UserName }),
			Handler: func(ctx context.Context, in *ListUserPoliciesInput) (*ListPolicyNamesOutput, error) {
				return s.listInline(ctx, store.EntityUser, in.UserName, in.Marker, in.MaxItems)
			},
		}),
		operation.Declare(operation.Op[ListGroupPoliciesInput, ListPolicyNamesOutput]{
			Name:   "ListGroupPolicies",
			Access: onEntity(s, store.EntityGroup, func(in *ListGroupPoliciesInput) string { return in.GroupName }),
			Handler: func(ctx context.Context, in *ListGroupPoliciesInput) (*ListPolicyNamesOutput, error) {
				return s.listInline(ctx, store.EntityGroup, in.GroupName, in.Marker, in.MaxItems)
			},
		}),
		operation.Declare(operation.Op[ListRolePoliciesInput, ListPolicyNamesOutput]{
			Name:   "ListRolePolicies",
			Access: onEntity(s, store.EntityRole, func(in *ListRolePoliciesInput) string { return in.RoleName }),
			Handler: func(ctx context.Context, in *ListRolePoliciesInput) (*ListPolicyNamesOutput, error) {
				return s.listInline(ctx, store.EntityRole, in.RoleName, in.Marker, in.MaxItems)
			},
		}),
	}
}

// PutUserPolicyInput creates or replaces an inline policy of a user.
type PutUserPolicyInput struct {
	UserName       string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	PolicyName     string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	PolicyDocument string `required:"true" min:"1" max:"131072" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
}

// PutGroupPolicyInput creates or replaces an inline policy of a group.
type PutGroupPolicyInput struct {
	GroupName      string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	PolicyName     string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	PolicyDocument string `required:"true" min:"1" max:"131072" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
}

// PutRolePolicyInput creates or replaces an inline policy of a role.
type PutRolePolicyInput struct {
	RoleName       string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PolicyName     string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	PolicyDocument string `required:"true" min:"1" max:"131072" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
}

// UserPolicyNameInput names an inline policy of a user.
type UserPolicyNameInput struct {
	UserName   string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	PolicyName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

// GroupPolicyNameInput names an inline policy of a group.
type GroupPolicyNameInput struct {
	GroupName  string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	PolicyName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

// RolePolicyNameInput names an inline policy of a role.
type RolePolicyNameInput struct {
	RoleName   string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PolicyName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

// GetUserPolicyOutput holds an inline policy of a user; the document is URL-encoded.
type GetUserPolicyOutput struct {
	UserName       string
	PolicyName     string
	PolicyDocument string
}

// GetGroupPolicyOutput holds an inline policy of a group; the document is URL-encoded.
type GetGroupPolicyOutput struct {
	GroupName      string
	PolicyName     string
	PolicyDocument string
}

// GetRolePolicyOutput holds an inline policy of a role; the document is URL-encoded.
type GetRolePolicyOutput struct {
	RoleName       string
	PolicyName     string
	PolicyDocument string
}

// ListUserPoliciesInput pages through a user's inline policy names.
type ListUserPoliciesInput struct {
	UserName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	Marker   string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems *int32 `min:"1" max:"1000"`
}

// ListGroupPoliciesInput pages through a group's inline policy names.
type ListGroupPoliciesInput struct {
	GroupName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	Marker    string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems  *int32 `min:"1" max:"1000"`
}

// ListRolePoliciesInput pages through a role's inline policy names.
type ListRolePoliciesInput struct {
	RoleName string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	Marker   string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems *int32 `min:"1" max:"1000"`
}

// ListPolicyNamesOutput is one page of inline policy names.
type ListPolicyNamesOutput struct {
	PolicyNames members[string]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func noSuchInline(kind store.EntityKind, name string) error {
	return noSuchEntity("The %s policy with name %s cannot be found.", kind, name)
}

func (s *Service) putInline(ctx context.Context, kind store.EntityKind, entity, name, doc string) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkIdentityPolicy(doc); err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		stored, err := readEntity(tx, p.Account, kind, entity)
		if err != nil {
			return err
		}
		existing, err := tx.InlinePolicies(p.Account, kind, stored)
		if err != nil {
			return err
		}
		size := nonSpaceLength(doc)
		for _, e := range existing {
			if e.Name != name {
				size += nonSpaceLength(e.Document)
			}
		}
		if max := maxInlineSize(kind); size > max {
			return limitExceeded("Maximum policy size of %d bytes exceeded for %s %s", max, kind, stored)
		}
		if err := tx.PutInlinePolicy(p.Account, kind, stored, &store.InlinePolicy{Name: name, Document: doc}); err != nil {
			return fmt.Errorf("put %s policy: %w", kind, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Service) getInline(ctx context.Context, kind store.EntityKind, entity, name string) (string, *store.InlinePolicy, error) {
	p, err := caller(ctx)
	if err != nil {
		return "", nil, err
	}
	var stored string
	var pol *store.InlinePolicy
	err = s.view(ctx, func(tx txn) error {
		if stored, err = readEntity(tx, p.Account, kind, entity); err != nil {
			return err
		}
		pol, err = tx.InlinePolicy(p.Account, kind, stored, name)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchInline(kind, name)
		}
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return stored, pol, nil
}

func (s *Service) deleteInline(ctx context.Context, kind store.EntityKind, entity, name string) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		stored, err := readEntity(tx, p.Account, kind, entity)
		if err != nil {
			return err
		}
		err = tx.DeleteInlinePolicy(p.Account, kind, stored, name)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchInline(kind, name)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Service) listInline(ctx context.Context, kind store.EntityKind, entity, marker string, maxItems *int32) (*ListPolicyNamesOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	err = s.view(ctx, func(tx txn) error {
		stored, err := readEntity(tx, p.Account, kind, entity)
		if err != nil {
			return err
		}
		pols, err := tx.InlinePolicies(p.Account, kind, stored)
		if err != nil {
			return err
		}
		for _, pol := range pols {
			names = append(names, pol.Name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	page, truncated, next, err := pageSlice(names, marker, maxItems)
	if err != nil {
		return nil, err
	}
	return &ListPolicyNamesOutput{PolicyNames: append(members[string]{}, page...), IsTruncated: truncated, Marker: next}, nil
}
