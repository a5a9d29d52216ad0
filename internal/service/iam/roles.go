package iam

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// Role limits.
const (
	minSessionDuration = 3600
	maxSessionDuration = 43200
	// maxTrustPolicySize is IAM's default quota on a trust policy, in characters that are
	// not white space.
	maxTrustPolicySize = 2048
)

func (s *Service) roleOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateRoleInput, CreateRoleOutput]{
			Name: "CreateRole", Handler: s.createRole,
			Access: func(ctx context.Context, in *CreateRoleInput) (*operation.Access, error) {
				return newEntityAccess(ctx, store.EntityRole, in.Path, in.RoleName,
					withNewBoundary(in.PermissionsBoundary), withRequestTags(in.Tags)), nil
			},
		}),
		operation.Declare(operation.Op[GetRoleInput, GetRoleOutput]{
			Name: "GetRole", Handler: s.getRole,
			Access: onEntity(s, store.EntityRole, func(in *GetRoleInput) string { return in.RoleName }),
		}),
		operation.Declare(operation.Op[ListRolesInput, ListRolesOutput]{
			Name: "ListRoles", Handler: s.listRoles, Access: anywhere[ListRolesInput],
		}),
		operation.Declare(operation.Op[UpdateRoleInput, struct{}]{
			Name: "UpdateRole", Handler: s.updateRole,
			Access: onEntity(s, store.EntityRole, func(in *UpdateRoleInput) string { return in.RoleName }),
		}),
		operation.Declare(operation.Op[UpdateAssumeRolePolicyInput, struct{}]{
			Name: "UpdateAssumeRolePolicy", Handler: s.updateAssumeRolePolicy,
			Access: onEntity(s, store.EntityRole, func(in *UpdateAssumeRolePolicyInput) string { return in.RoleName }),
		}),
		operation.Declare(operation.Op[DeleteRoleInput, struct{}]{
			Name: "DeleteRole", Handler: s.deleteRole,
			Access: onEntity(s, store.EntityRole, func(in *DeleteRoleInput) string { return in.RoleName }),
		}),
	}
}

// checkTrustPolicy validates a role's trust policy.
func checkTrustPolicy(doc string) error {
	if nonSpaceLength(doc) > maxTrustPolicySize {
		return limitExceeded("Cannot exceed quota for ACLSizePerRole: %d", maxTrustPolicySize)
	}
	_, err := parseDocument(doc, policy.TrustPolicy)
	return err
}

// CreateRoleInput creates a role.
type CreateRoleInput struct {
	Path                     string `min:"1" max:"512" pattern:"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"`
	RoleName                 string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	AssumeRolePolicyDocument string `required:"true" min:"1" max:"131072" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	Description              string `max:"1000" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*"`
	MaxSessionDuration       *int32 `min:"3600" max:"43200"`
	PermissionsBoundary      string `min:"20" max:"2048"`
	Tags                     []Tag  `max:"50"`
}

// CreateRoleOutput holds the new role.
type CreateRoleOutput struct {
	Role Role
}

func (s *Service) createRole(ctx context.Context, in *CreateRoleInput) (*CreateRoleOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkTrustPolicy(in.AssumeRolePolicyDocument); err != nil {
		return nil, err
	}
	tags, err := newTagSet(in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := s.newID("AROA")
	if err != nil {
		return nil, err
	}
	r := &store.Role{AccountID: p.Account, Name: in.RoleName, ID: id, Path: orRoot(in.Path), Description: in.Description,
		AssumeRolePolicyDocument: in.AssumeRolePolicyDocument, MaxSessionDuration: minSessionDuration,
		PermissionsBoundaryARN: in.PermissionsBoundary, CreatedAt: s.timestamp(), Tags: tags}
	if in.MaxSessionDuration != nil {
		r.MaxSessionDuration = int(*in.MaxSessionDuration)
	}
	err = s.update(ctx, func(tx txn) error {
		n, err := tx.CountEntities(p.Account, store.EntityRole)
		if err != nil {
			return err
		}
		if n >= maxRolesPerAccount {
			return limitExceeded("Cannot exceed quota for RolesPerAccount: %d", maxRolesPerAccount)
		}
		if r.PermissionsBoundaryARN != "" {
			if err := boundaryPolicy(tx, p.Account, r.PermissionsBoundaryARN); err != nil {
				return err
			}
		}
		if err := tx.CreateRole(r); errors.Is(err, store.ErrExists) {
			return entityExists("Role with name %s already exists.", in.RoleName)
		} else if err != nil {
			return fmt.Errorf("create role: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	w := wireRole(r, true)
	w.RoleLastUsed = nil
	return &CreateRoleOutput{Role: w}, nil
}

// GetRoleInput names a role.
type GetRoleInput struct {
	RoleName string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
}

// GetRoleOutput holds the role.
type GetRoleOutput struct {
	Role Role
}

func (s *Service) getRole(ctx context.Context, in *GetRoleInput) (*GetRoleOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out GetRoleOutput
	err = s.view(ctx, func(tx txn) error {
		r, err := tx.Role(p.Account, in.RoleName)
		if err != nil {
			return orNoSuch(err, store.EntityRole, in.RoleName)
		}
		out.Role = wireRole(r, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListRolesInput pages through roles.
type ListRolesInput struct {
	PathPrefix string `min:"1" max:"512" pattern:"\\u002F[\\u0021-\\u007F]*"`
	Marker     string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems   *int32 `min:"1" max:"1000"`
}

// ListRolesOutput is one page of roles.
type ListRolesOutput struct {
	Roles       members[Role]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func (s *Service) listRoles(ctx context.Context, in *ListRolesInput) (*ListRolesOutput, error) {
	roles, truncated, marker, err := listPage(ctx, s, in.PathPrefix, in.Marker, in.MaxItems, txn.ListRoles,
		func(r *store.Role) string { return r.Name }, func(r *store.Role) Role { return wireRole(r, false) })
	if err != nil {
		return nil, err
	}
	return &ListRolesOutput{Roles: roles, IsTruncated: truncated, Marker: marker}, nil
}

// UpdateRoleInput changes a role's description or maximum session duration.
type UpdateRoleInput struct {
	RoleName           string  `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	Description        *string `max:"1000" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*"`
	MaxSessionDuration *int32  `min:"3600" max:"43200"`
}

func (s *Service) updateRole(ctx context.Context, in *UpdateRoleInput) (*struct{}, error) {
	return s.changeRole(ctx, in.RoleName, func(r *store.Role) error {
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.MaxSessionDuration != nil {
			r.MaxSessionDuration = int(*in.MaxSessionDuration)
		}
		return nil
	})
}

// changeRole reads a role, lets change edit it and writes it back.
func (s *Service) changeRole(ctx context.Context, name string, change func(*store.Role) error) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		r, err := tx.Role(p.Account, name)
		if err != nil {
			return orNoSuch(err, store.EntityRole, name)
		}
		if err := change(r); err != nil {
			return err
		}
		if err := tx.UpdateRole(r); err != nil {
			return fmt.Errorf("update role: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// UpdateAssumeRolePolicyInput replaces a role's trust policy.
type UpdateAssumeRolePolicyInput struct {
	RoleName       string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PolicyDocument string `required:"true" min:"1" max:"131072" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
}

func (s *Service) updateAssumeRolePolicy(ctx context.Context, in *UpdateAssumeRolePolicyInput) (*struct{}, error) {
	if err := checkTrustPolicy(in.PolicyDocument); err != nil {
		return nil, err
	}
	return s.changeRole(ctx, in.RoleName, func(r *store.Role) error {
		r.AssumeRolePolicyDocument = in.PolicyDocument
		return nil
	})
}

// DeleteRoleInput names the role to delete.
type DeleteRoleInput struct {
	RoleName string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
}

func (s *Service) deleteRole(ctx context.Context, in *DeleteRoleInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		r, err := tx.Role(p.Account, in.RoleName)
		if err != nil {
			return orNoSuch(err, store.EntityRole, in.RoleName)
		}
		inline, err := tx.InlinePolicies(p.Account, store.EntityRole, r.Name)
		if err != nil {
			return err
		}
		if len(inline) > 0 {
			return deleteConflict("Cannot delete entity, must delete policies first.")
		}
		attached, err := tx.AttachedPolicies(p.Account, store.EntityRole, r.Name)
		if err != nil {
			return err
		}
		if len(attached) > 0 {
			return deleteConflict("Cannot delete entity, must detach all policies first.")
		}
		return tx.DeleteRole(p.Account, r.Name)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
