package iam

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/store"
)

// Account quotas IAM enforces by default.
const (
	maxUsersPerAccount    = 5000
	maxGroupsPerAccount   = 300
	maxRolesPerAccount    = 1000
	maxPoliciesPerAccount = 1500
	maxGroupsPerUser      = 10
)

func (s *Service) userOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateUserInput, CreateUserOutput]{
			Name: "CreateUser", Handler: s.createUser,
			Access: func(ctx context.Context, in *CreateUserInput) (*operation.Access, error) {
				return newEntityAccess(ctx, store.EntityUser, in.Path, in.UserName,
					withNewBoundary(in.PermissionsBoundary), withRequestTags(in.Tags)), nil
			},
		}),
		operation.Declare(operation.Op[GetUserInput, GetUserOutput]{
			Name: "GetUser", Handler: s.getUser,
			Access: func(ctx context.Context, in *GetUserInput) (*operation.Access, error) {
				return s.selfUserAccess(ctx, in.UserName)
			},
		}),
		operation.Declare(operation.Op[ListUsersInput, ListUsersOutput]{
			Name: "ListUsers", Handler: s.listUsers, Access: anywhere[ListUsersInput],
		}),
		operation.Declare(operation.Op[UpdateUserInput, struct{}]{
			Name: "UpdateUser", Handler: s.updateUser,
			Access: onEntity(s, store.EntityUser, func(in *UpdateUserInput) string { return in.UserName }),
		}),
		operation.Declare(operation.Op[DeleteUserInput, struct{}]{
			Name: "DeleteUser", Handler: s.deleteUser,
			Access: onEntity(s, store.EntityUser, func(in *DeleteUserInput) string { return in.UserName }),
		}),
	}
}

// CreateUserInput creates a user.
type CreateUserInput struct {
	Path                string `min:"1" max:"512" pattern:"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"`
	UserName            string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	PermissionsBoundary string `min:"20" max:"2048"`
	Tags                []Tag  `max:"50"`
}

// CreateUserOutput holds the new user.
type CreateUserOutput struct {
	User User
}

func (s *Service) createUser(ctx context.Context, in *CreateUserInput) (*CreateUserOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	tags, err := newTagSet(in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := s.newID("AIDA")
	if err != nil {
		return nil, err
	}
	u := &store.User{AccountID: p.Account, Name: in.UserName, ID: id, Path: orRoot(in.Path),
		PermissionsBoundaryARN: in.PermissionsBoundary, CreatedAt: s.timestamp(), Tags: tags}
	err = s.update(ctx, func(tx txn) error {
		n, err := tx.CountEntities(p.Account, store.EntityUser)
		if err != nil {
			return err
		}
		if n >= maxUsersPerAccount {
			return limitExceeded("Cannot exceed quota for UsersPerAccount: %d", maxUsersPerAccount)
		}
		if u.PermissionsBoundaryARN != "" {
			if err := boundaryPolicy(tx, p.Account, u.PermissionsBoundaryARN); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(u); errors.Is(err, store.ErrExists) {
			return entityExists("User with name %s already exists.", in.UserName)
		} else if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CreateUserOutput{User: wireUser(u, true)}, nil
}

// orRoot returns path, or "/" when it is empty.
func orRoot(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// GetUserInput names a user; without a name, the caller.
type GetUserInput struct {
	UserName string `min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

// GetUserOutput holds the user.
type GetUserOutput struct {
	User User
}

func (s *Service) getUser(ctx context.Context, in *GetUserInput) (*GetUserOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	name := in.UserName
	if name == "" {
		switch p.Kind {
		case auth.Root:
			return s.rootUser(ctx, p)
		case auth.User:
			name = p.Name
		default:
			return nil, validationError("Must specify userName when calling with non-User credentials")
		}
	}
	var out GetUserOutput
	err = s.view(ctx, func(tx txn) error {
		u, err := tx.User(p.Account, name)
		if err != nil {
			return orNoSuch(err, store.EntityUser, name)
		}
		out.User = wireUser(u, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// rootUser describes an account's root user, as GetUser does for root credentials.
func (s *Service) rootUser(ctx context.Context, p *auth.Principal) (*GetUserOutput, error) {
	var out GetUserOutput
	err := s.view(ctx, func(tx txn) error {
		out.User = User{UserId: p.Account, Arn: auth.RootARN(p.Account)}
		a, err := tx.Account(p.Account)
		if err == nil {
			out.User.CreateDate = isoTime(a.JoinedAt)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListUsersInput pages through users.
type ListUsersInput struct {
	PathPrefix string `min:"1" max:"512" pattern:"\\u002F[\\u0021-\\u007F]*"`
	Marker     string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems   *int32 `min:"1" max:"1000"`
}

// ListUsersOutput is one page of users.
type ListUsersOutput struct {
	Users       members[User]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func (s *Service) listUsers(ctx context.Context, in *ListUsersInput) (*ListUsersOutput, error) {
	users, truncated, marker, err := listPage(ctx, s, in.PathPrefix, in.Marker, in.MaxItems, txn.ListUsers,
		func(u *store.User) string { return u.Name }, func(u *store.User) User { return wireUser(u, false) })
	if err != nil {
		return nil, err
	}
	return &ListUsersOutput{Users: users, IsTruncated: truncated, Marker: marker}, nil
}

// UpdateUserInput renames a user or moves it to another path.
type UpdateUserInput struct {
	UserName    string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	NewPath     string `min:"1" max:"512" pattern:"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"`
	NewUserName string `min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
}

func (s *Service) updateUser(ctx context.Context, in *UpdateUserInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		u, err := tx.User(p.Account, in.UserName)
		if err != nil {
			return orNoSuch(err, store.EntityUser, in.UserName)
		}
		if in.NewPath != "" {
			u.Path = in.NewPath
		}
		if in.NewUserName != "" {
			u.Name = in.NewUserName
		}
		if err := tx.UpdateUser(u); errors.Is(err, store.ErrExists) {
			return entityExists("User with name %s already exists.", in.NewUserName)
		} else if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// DeleteUserInput names the user to delete.
type DeleteUserInput struct {
	UserName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

func (s *Service) deleteUser(ctx context.Context, in *DeleteUserInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		u, err := tx.User(p.Account, in.UserName)
		if err != nil {
			return orNoSuch(err, store.EntityUser, in.UserName)
		}
		keys, err := tx.ListAccessKeys(p.Account, u.Name)
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			return deleteConflict("Cannot delete entity, must delete access keys first.")
		}
		inline, err := tx.InlinePolicies(p.Account, store.EntityUser, u.Name)
		if err != nil {
			return err
		}
		if len(inline) > 0 {
			return deleteConflict("Cannot delete entity, must delete policies first.")
		}
		attached, err := tx.AttachedPolicies(p.Account, store.EntityUser, u.Name)
		if err != nil {
			return err
		}
		if len(attached) > 0 {
			return deleteConflict("Cannot delete entity, must detach all policies first.")
		}
		groups, err := tx.GroupsForUser(p.Account, u.Name)
		if err != nil {
			return err
		}
		if len(groups) > 0 {
			return deleteConflict("Cannot delete entity, must remove users from group first.")
		}
		return tx.DeleteUser(p.Account, u.Name)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
