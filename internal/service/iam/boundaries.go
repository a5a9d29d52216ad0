package iam

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

func (s *Service) boundaryOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[PutUserPermissionsBoundaryInput, struct{}]{
			Name: "PutUserPermissionsBoundary",
			Access: onEntity(s, store.EntityUser, func(in *PutUserPermissionsBoundaryInput) string { return in.UserName },
				func(in *PutUserPermissionsBoundaryInput) accessOpt { return withNewBoundary(in.PermissionsBoundary) }),
			Handler: func(ctx context.Context, in *PutUserPermissionsBoundaryInput) (*struct{}, error) {
				return s.setBoundary(ctx, store.EntityUser, in.UserName, in.PermissionsBoundary)
			},
		}),
		operation.Declare(operation.Op[PutRolePermissionsBoundaryInput, struct{}]{
			Name: "PutRolePermissionsBoundary",
			Access: onEntity(s, store.EntityRole, func(in *PutRolePermissionsBoundaryInput) string { return in.RoleName },
				func(in *PutRolePermissionsBoundaryInput) accessOpt { return withNewBoundary(in.PermissionsBoundary) }),
			Handler: func(ctx context.Context, in *PutRolePermissionsBoundaryInput) (*struct{}, error) {
				return s.setBoundary(ctx, store.EntityRole, in.RoleName, in.PermissionsBoundary)
			},
		}),
		operation.Declare(operation.Op[DeleteUserPermissionsBoundaryInput, struct{}]{
			Name:   "DeleteUserPermissionsBoundary",
			Access: onEntity(s, store.EntityUser, func(in *DeleteUserPermissionsBoundaryInput) string { return in.UserName }, boundaryKey),
			Handler: func(ctx context.Context, in *DeleteUserPermissionsBoundaryInput) (*struct{}, error) {
				return s.setBoundary(ctx, store.EntityUser, in.UserName, "")
			},
		}),
		operation.Declare(operation.Op[DeleteRolePermissionsBoundaryInput, struct{}]{
			Name:   "DeleteRolePermissionsBoundary",
			Access: onEntity(s, store.EntityRole, func(in *DeleteRolePermissionsBoundaryInput) string { return in.RoleName }, boundaryKey),
			Handler: func(ctx context.Context, in *DeleteRolePermissionsBoundaryInput) (*struct{}, error) {
				return s.setBoundary(ctx, store.EntityRole, in.RoleName, "")
			},
		}),
	}
}

// PutUserPermissionsBoundaryInput sets a user's permissions boundary.
type PutUserPermissionsBoundaryInput struct {
	UserName            string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PermissionsBoundary string `required:"true" min:"20" max:"2048"`
}

// PutRolePermissionsBoundaryInput sets a role's permissions boundary.
type PutRolePermissionsBoundaryInput struct {
	RoleName            string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PermissionsBoundary string `required:"true" min:"20" max:"2048"`
}

// DeleteUserPermissionsBoundaryInput removes a user's permissions boundary.
type DeleteUserPermissionsBoundaryInput struct {
	UserName string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
}

// DeleteRolePermissionsBoundaryInput removes a role's permissions boundary.
type DeleteRolePermissionsBoundaryInput struct {
	RoleName string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
}

// setBoundary sets (or, with arn "", removes) the permissions boundary of a user or role.
func (s *Service) setBoundary(ctx context.Context, kind store.EntityKind, name, arn string) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		if _, err := readEntity(tx, p.Account, kind, name); err != nil {
			return err
		}
		if arn != "" {
			if err := boundaryPolicy(tx, p.Account, arn); err != nil {
				return err
			}
		}
		switch kind {
		case store.EntityUser:
			u, err := tx.User(p.Account, name)
			if err != nil {
				return orNoSuch(err, kind, name)
			}
			u.PermissionsBoundaryARN = arn
			if err := tx.UpdateUser(u); err != nil {
				return fmt.Errorf("set boundary: %w", err)
			}
		case store.EntityRole:
			r, err := tx.Role(p.Account, name)
			if err != nil {
				return orNoSuch(err, kind, name)
			}
			r.PermissionsBoundaryARN = arn
			if err := tx.UpdateRole(r); err != nil {
				return fmt.Errorf("set boundary: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
