package iam

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

func (s *Service) groupOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateGroupInput, CreateGroupOutput]{
			Name: "CreateGroup", Handler: s.createGroup,
			Access: func(ctx context.Context, in *CreateGroupInput) (*operation.Access, error) {
				return newEntityAccess(ctx, store.EntityGroup, in.Path, in.GroupName), nil
			},
		}),
		operation.Declare(operation.Op[GetGroupInput, GetGroupOutput]{
			Name: "GetGroup", Handler: s.getGroup,
			Access: onEntity(s, store.EntityGroup, func(in *GetGroupInput) string { return in.GroupName }),
		}),
		operation.Declare(operation.Op[ListGroupsInput, ListGroupsOutput]{
			Name: "ListGroups", Handler: s.listGroups, Access: anywhere[ListGroupsInput],
		}),
		operation.Declare(operation.Op[UpdateGroupInput, struct{}]{
			Name: "UpdateGroup", Handler: s.updateGroup,
			Access: onEntity(s, store.EntityGroup, func(in *UpdateGroupInput) string { return in.GroupName }),
		}),
		operation.Declare(operation.Op[DeleteGroupInput, struct{}]{
			Name: "DeleteGroup", Handler: s.deleteGroup,
			Access: onEntity(s, store.EntityGroup, func(in *DeleteGroupInput) string { return in.GroupName }),
		}),
		operation.Declare(operation.Op[GroupMemberInput, struct{}]{
			Name: "AddUserToGroup", Handler: s.addUserToGroup,
			Access: onEntity(s, store.EntityGroup, func(in *GroupMemberInput) string { return in.GroupName }),
		}),
		operation.Declare(operation.Op[GroupMemberInput, struct{}]{
			Name: "RemoveUserFromGroup", Handler: s.removeUserFromGroup,
			Access: onEntity(s, store.EntityGroup, func(in *GroupMemberInput) string { return in.GroupName }),
		}),
		operation.Declare(operation.Op[ListGroupsForUserInput, ListGroupsOutput]{
			Name: "ListGroupsForUser", Handler: s.listGroupsForUser,
			Access: onEntity(s, store.EntityUser, func(in *ListGroupsForUserInput) string { return in.UserName }),
		}),
	}
}

// CreateGroupInput creates a group.
type CreateGroupInput struct {
	Path      string `min:"1" max:"512" pattern:"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"`
	GroupName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

// CreateGroupOutput holds the new group.
type CreateGroupOutput struct {
	Group Group
}

func (s *Service) createGroup(ctx context.Context, in *CreateGroupInput) (*CreateGroupOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	id, err := s.newID("AGPA")
	if err != nil {
		return nil, err
	}
	g := &store.Group{AccountID: p.Account, Name: in.GroupName, ID: id, Path: orRoot(in.Path), CreatedAt: s.timestamp()}
	err = s.update(ctx, func(tx txn) error {
		n, err := tx.CountEntities(p.Account, store.EntityGroup)
		if err != nil {
			return err
		}
		if n >= maxGroupsPerAccount {
			return limitExceeded("Cannot exceed quota for GroupsPerAccount: %d", maxGroupsPerAccount)
		}
		if err := tx.CreateGroup(g); errors.Is(err, store.ErrExists) {
			return entityExists("Group with name %s already exists.", in.GroupName)
		} else if err != nil {
			return fmt.Errorf("create group: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CreateGroupOutput{Group: wireGroup(g)}, nil
}

// GetGroupInput names a group and pages through its users.
type GetGroupInput struct {
	GroupName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	Marker    string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems  *int32 `min:"1" max:"1000"`
}

// GetGroupOutput holds the group and one page of its users.
type GetGroupOutput struct {
	Group       Group
	Users       members[User]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func (s *Service) getGroup(ctx context.Context, in *GetGroupInput) (*GetGroupOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var g *store.Group
	var users []*store.User
	err = s.view(ctx, func(tx txn) error {
		if g, err = tx.Group(p.Account, in.GroupName); err != nil {
			return orNoSuch(err, store.EntityGroup, in.GroupName)
		}
		users, err = tx.GroupUsers(p.Account, g.Name)
		return err
	})
	if err != nil {
		return nil, err
	}
	page, truncated, marker, err := pageSlice(users, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &GetGroupOutput{Group: wireGroup(g), Users: members[User]{}, IsTruncated: truncated, Marker: marker}
	for _, u := range page {
		out.Users = append(out.Users, wireUser(u, false))
	}
	return out, nil
}

// ListGroupsInput pages through groups.
type ListGroupsInput struct {
	PathPrefix string `min:"1" max:"512" pattern:"\\u002F[\\u0021-\\u007F]*"`
	Marker     string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems   *int32 `min:"1" max:"1000"`
}

// ListGroupsOutput is one page of groups.
type ListGroupsOutput struct {
	Groups      members[Group]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func (s *Service) listGroups(ctx context.Context, in *ListGroupsInput) (*ListGroupsOutput, error) {
	groups, truncated, marker, err := listPage(ctx, s, in.PathPrefix, in.Marker, in.MaxItems, txn.ListGroups,
		func(g *store.Group) string { return g.Name }, wireGroup)
	if err != nil {
		return nil, err
	}
	return &ListGroupsOutput{Groups: groups, IsTruncated: truncated, Marker: marker}, nil
}

func wireGroups(groups []*store.Group) members[Group] {
	out := make(members[Group], len(groups))
	for i, g := range groups {
		out[i] = wireGroup(g)
	}
	return out
}

// UpdateGroupInput renames a group or moves it to another path.
type UpdateGroupInput struct {
	GroupName    string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	NewPath      string `min:"1" max:"512" pattern:"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"`
	NewGroupName string `min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

func (s *Service) updateGroup(ctx context.Context, in *UpdateGroupInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		g, err := tx.Group(p.Account, in.GroupName)
		if err != nil {
			return orNoSuch(err, store.EntityGroup, in.GroupName)
		}
		if in.NewPath != "" {
			g.Path = in.NewPath
		}
		if in.NewGroupName != "" {
			g.Name = in.NewGroupName
		}
		if err := tx.UpdateGroup(g); errors.Is(err, store.ErrExists) {
			return entityExists("Group with name %s already exists.", in.NewGroupName)
		} else if err != nil {
			return fmt.Errorf("update group: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// DeleteGroupInput names the group to delete.
type DeleteGroupInput struct {
	GroupName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

func (s *Service) deleteGroup(ctx context.Context, in *DeleteGroupInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		g, err := tx.Group(p.Account, in.GroupName)
		if err != nil {
			return orNoSuch(err, store.EntityGroup, in.GroupName)
		}
		users, err := tx.GroupUsers(p.Account, g.Name)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return deleteConflict("Cannot delete entity, must remove users from group first.")
		}
		inline, err := tx.InlinePolicies(p.Account, store.EntityGroup, g.Name)
		if err != nil {
			return err
		}
		if len(inline) > 0 {
			return deleteConflict("Cannot delete entity, must delete policies first.")
		}
		attached, err := tx.AttachedPolicies(p.Account, store.EntityGroup, g.Name)
		if err != nil {
			return err
		}
		if len(attached) > 0 {
			return deleteConflict("Cannot delete entity, must detach all policies first.")
		}
		return tx.DeleteGroup(p.Account, g.Name)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// GroupMemberInput names a group and a user, for AddUserToGroup and RemoveUserFromGroup.
type GroupMemberInput struct {
	GroupName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	UserName  string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

func (s *Service) addUserToGroup(ctx context.Context, in *GroupMemberInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		g, err := tx.Group(p.Account, in.GroupName)
		if err != nil {
			return orNoSuch(err, store.EntityGroup, in.GroupName)
		}
		u, err := tx.User(p.Account, in.UserName)
		if err != nil {
			return orNoSuch(err, store.EntityUser, in.UserName)
		}
		groups, err := tx.GroupsForUser(p.Account, u.Name)
		if err != nil {
			return err
		}
		for _, have := range groups {
			if have.ID == g.ID {
				return nil
			}
		}
		if len(groups) >= maxGroupsPerUser {
			return limitExceeded("Cannot exceed quota for GroupsPerUser: %d", maxGroupsPerUser)
		}
		return tx.AddUserToGroup(p.Account, g.Name, u.Name)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Service) removeUserFromGroup(ctx context.Context, in *GroupMemberInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		g, err := tx.Group(p.Account, in.GroupName)
		if err != nil {
			return orNoSuch(err, store.EntityGroup, in.GroupName)
		}
		u, err := tx.User(p.Account, in.UserName)
		if err != nil {
			return orNoSuch(err, store.EntityUser, in.UserName)
		}
		err = tx.RemoveUserFromGroup(p.Account, g.Name, u.Name)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchEntity("User %s is not in group %s.", u.Name, g.Name)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// ListGroupsForUserInput pages through a user's groups.
type ListGroupsForUserInput struct {
	UserName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	Marker   string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems *int32 `min:"1" max:"1000"`
}

func (s *Service) listGroupsForUser(ctx context.Context, in *ListGroupsForUserInput) (*ListGroupsOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var groups []*store.Group
	err = s.view(ctx, func(tx txn) error {
		groups, err = tx.GroupsForUser(p.Account, in.UserName)
		return orNoSuch(err, store.EntityUser, in.UserName)
	})
	if err != nil {
		return nil, err
	}
	page, truncated, marker, err := pageSlice(groups, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &ListGroupsOutput{Groups: wireGroups(page), IsTruncated: truncated, Marker: marker}, nil
}
