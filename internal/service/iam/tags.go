package iam

import (
	"context"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// newTagSet checks the tags of a Create request: keys are unique without regard to case.
func newTagSet(tags []Tag) ([]store.Tag, error) {
	return mergeTags(nil, tags)
}

// mergeTags adds tags to existing ones: a key already there (in any case) takes the new
// key and value. More than 50 tags in the end is LimitExceeded; the same key twice in
// tags, or a key starting with "aws:", is InvalidInput.
func mergeTags(existing []store.Tag, tags []Tag) ([]store.Tag, error) {
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if strings.HasPrefix(k, "aws:") {
			return nil, invalidInput("The tag key %s is reserved: keys starting with 'aws:' are for AWS's use.", t.Key)
		}
		if seen[k] {
			return nil, invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	out := append([]store.Tag(nil), existing...)
	for _, t := range tags {
		replaced := false
		for i := range out {
			if strings.EqualFold(out[i].Key, t.Key) {
				out[i] = store.Tag{Key: t.Key, Value: t.Value}
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, store.Tag{Key: t.Key, Value: t.Value})
		}
	}
	if len(out) > maxTags {
		return nil, limitExceeded("The number of tags has reached the maximum limit.")
	}
	return out, nil
}

// removeTags drops the tags with the given keys (compared without case); keys not
// present are ignored.
func removeTags(existing []store.Tag, keys []string) []store.Tag {
	out := existing[:0:0]
	for _, t := range existing {
		drop := false
		for _, k := range keys {
			if strings.EqualFold(t.Key, k) {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

func (s *Service) tagOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[TagUserInput, struct{}]{
			Name: "TagUser", Handler: s.tagUser,
			Access: func(ctx context.Context, in *TagUserInput) (*operation.Access, error) {
				return s.entityAccess(ctx, store.EntityUser, in.UserName, withRequestTags(in.Tags))
			},
		}),
		operation.Declare(operation.Op[UntagUserInput, struct{}]{
			Name: "UntagUser", Handler: s.untagUser,
			Access: func(ctx context.Context, in *UntagUserInput) (*operation.Access, error) {
				return s.entityAccess(ctx, store.EntityUser, in.UserName, withTagKeys(in.TagKeys))
			},
		}),
		operation.Declare(operation.Op[ListUserTagsInput, ListTagsOutput]{
			Name: "ListUserTags", Handler: s.listUserTags,
			Access: onEntity(s, store.EntityUser, func(in *ListUserTagsInput) string { return in.UserName }),
		}),
		operation.Declare(operation.Op[TagRoleInput, struct{}]{
			Name: "TagRole", Handler: s.tagRole,
			Access: func(ctx context.Context, in *TagRoleInput) (*operation.Access, error) {
				return s.entityAccess(ctx, store.EntityRole, in.RoleName, withRequestTags(in.Tags))
			},
		}),
		operation.Declare(operation.Op[UntagRoleInput, struct{}]{
			Name: "UntagRole", Handler: s.untagRole,
			Access: func(ctx context.Context, in *UntagRoleInput) (*operation.Access, error) {
				return s.entityAccess(ctx, store.EntityRole, in.RoleName, withTagKeys(in.TagKeys))
			},
		}),
		operation.Declare(operation.Op[ListRoleTagsInput, ListTagsOutput]{
			Name: "ListRoleTags", Handler: s.listRoleTags,
			Access: onEntity(s, store.EntityRole, func(in *ListRoleTagsInput) string { return in.RoleName }),
		}),
		operation.Declare(operation.Op[TagPolicyInput, struct{}]{
			Name: "TagPolicy", Handler: s.tagPolicy,
			Access: func(ctx context.Context, in *TagPolicyInput) (*operation.Access, error) {
				return s.policyAccess(ctx, in.PolicyArn, withRequestTags(in.Tags))
			},
		}),
		operation.Declare(operation.Op[UntagPolicyInput, struct{}]{
			Name: "UntagPolicy", Handler: s.untagPolicy,
			Access: func(ctx context.Context, in *UntagPolicyInput) (*operation.Access, error) {
				return s.policyAccess(ctx, in.PolicyArn, withTagKeys(in.TagKeys))
			},
		}),
		operation.Declare(operation.Op[ListPolicyTagsInput, ListTagsOutput]{
			Name: "ListPolicyTags", Handler: s.listPolicyTags,
			Access: onPolicy(s, func(in *ListPolicyTagsInput) string { return in.PolicyArn }),
		}),
	}
}

// TagUserInput adds tags to a user.
type TagUserInput struct {
	UserName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	Tags     []Tag  `required:"true" max:"50"`
}

// UntagUserInput removes tags from a user.
type UntagUserInput struct {
	UserName string   `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	TagKeys  []string `required:"true" max:"50" memberMin:"1" memberMax:"128" memberPattern:"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"`
}

// ListUserTagsInput pages through a user's tags.
type ListUserTagsInput struct {
	UserName string `required:"true" min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	Marker   string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems *int32 `min:"1" max:"1000"`
}

// ListTagsOutput is one page of tags.
type ListTagsOutput struct {
	Tags        members[Tag]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func tagPage(tags []store.Tag, marker string, maxItems *int32) (*ListTagsOutput, error) {
	page, truncated, next, err := pageSlice(tags, marker, maxItems)
	if err != nil {
		return nil, err
	}
	return &ListTagsOutput{Tags: wireTags(page), IsTruncated: truncated, Marker: next}, nil
}

func (s *Service) tagUser(ctx context.Context, in *TagUserInput) (*struct{}, error) {
	return s.retagUser(ctx, in.UserName, func(tags []store.Tag) ([]store.Tag, error) { return mergeTags(tags, in.Tags) })
}

func (s *Service) untagUser(ctx context.Context, in *UntagUserInput) (*struct{}, error) {
	return s.retagUser(ctx, in.UserName, func(tags []store.Tag) ([]store.Tag, error) { return removeTags(tags, in.TagKeys), nil })
}

func (s *Service) retagUser(ctx context.Context, name string, change func([]store.Tag) ([]store.Tag, error)) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		u, err := tx.User(p.Account, name)
		if err != nil {
			return orNoSuch(err, store.EntityUser, name)
		}
		if u.Tags, err = change(u.Tags); err != nil {
			return err
		}
		if err := tx.UpdateUser(u); err != nil {
			return fmt.Errorf("tag user: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Service) listUserTags(ctx context.Context, in *ListUserTagsInput) (*ListTagsOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var tags []store.Tag
	err = s.view(ctx, func(tx txn) error {
		u, err := tx.User(p.Account, in.UserName)
		if err != nil {
			return orNoSuch(err, store.EntityUser, in.UserName)
		}
		tags = u.Tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	return tagPage(tags, in.Marker, in.MaxItems)
}

// TagRoleInput adds tags to a role.
type TagRoleInput struct {
	RoleName string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	Tags     []Tag  `required:"true" max:"50"`
}

// UntagRoleInput removes tags from a role.
type UntagRoleInput struct {
	RoleName string   `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	TagKeys  []string `required:"true" max:"50" memberMin:"1" memberMax:"128" memberPattern:"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"`
}

// ListRoleTagsInput pages through a role's tags.
type ListRoleTagsInput struct {
	RoleName string `required:"true" min:"1" max:"64" pattern:"[\\w+=,.@-]+"`
	Marker   string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems *int32 `min:"1" max:"1000"`
}

func (s *Service) tagRole(ctx context.Context, in *TagRoleInput) (*struct{}, error) {
	return s.retagRole(ctx, in.RoleName, func(tags []store.Tag) ([]store.Tag, error) { return mergeTags(tags, in.Tags) })
}

func (s *Service) untagRole(ctx context.Context, in *UntagRoleInput) (*struct{}, error) {
	return s.retagRole(ctx, in.RoleName, func(tags []store.Tag) ([]store.Tag, error) { return removeTags(tags, in.TagKeys), nil })
}

func (s *Service) retagRole(ctx context.Context, name string, change func([]store.Tag) ([]store.Tag, error)) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		r, err := tx.Role(p.Account, name)
		if err != nil {
			return orNoSuch(err, store.EntityRole, name)
		}
		if r.Tags, err = change(r.Tags); err != nil {
			return err
		}
		if err := tx.UpdateRole(r); err != nil {
			return fmt.Errorf("tag role: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Service) listRoleTags(ctx context.Context, in *ListRoleTagsInput) (*ListTagsOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var tags []store.Tag
	err = s.view(ctx, func(tx txn) error {
		r, err := tx.Role(p.Account, in.RoleName)
		if err != nil {
			return orNoSuch(err, store.EntityRole, in.RoleName)
		}
		tags = r.Tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	return tagPage(tags, in.Marker, in.MaxItems)
}

// TagPolicyInput adds tags to a customer managed policy.
type TagPolicyInput struct {
	PolicyArn string `required:"true" min:"20" max:"2048"`
	Tags      []Tag  `required:"true" max:"50"`
}

// UntagPolicyInput removes tags from a customer managed policy.
type UntagPolicyInput struct {
	PolicyArn string   `required:"true" min:"20" max:"2048"`
	TagKeys   []string `required:"true" max:"50" memberMin:"1" memberMax:"128" memberPattern:"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"`
}

// ListPolicyTagsInput pages through a managed policy's tags.
type ListPolicyTagsInput struct {
	PolicyArn string `required:"true" min:"20" max:"2048"`
	Marker    string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems  *int32 `min:"1" max:"1000"`
}

func (s *Service) tagPolicy(ctx context.Context, in *TagPolicyInput) (*struct{}, error) {
	return s.retagPolicy(ctx, in.PolicyArn, func(tags []store.Tag) ([]store.Tag, error) { return mergeTags(tags, in.Tags) })
}

func (s *Service) untagPolicy(ctx context.Context, in *UntagPolicyInput) (*struct{}, error) {
	return s.retagPolicy(ctx, in.PolicyArn, func(tags []store.Tag) ([]store.Tag, error) { return removeTags(tags, in.TagKeys), nil })
}

func (s *Service) retagPolicy(ctx context.Context, arn string, change func([]store.Tag) ([]store.Tag, error)) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		pol, err := readPolicy(tx, p.Account, arn)
		if err != nil {
			return err
		}
		if pol.AccountID == store.AWSManagedAccount {
			return invalidInput("Cannot tag an AWS managed policy: %s.", arn)
		}
		if pol.Tags, err = change(pol.Tags); err != nil {
			return err
		}
		if err := tx.UpdateManagedPolicy(pol); err != nil {
			return fmt.Errorf("tag policy: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Service) listPolicyTags(ctx context.Context, in *ListPolicyTagsInput) (*ListTagsOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var tags []store.Tag
	err = s.view(ctx, func(tx txn) error {
		pol, err := readPolicy(tx, p.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		tags = pol.Tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	return tagPage(tags, in.Marker, in.MaxItems)
}
