package organizations

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// Tag is a key and value.
type Tag struct {
	Key   string
	Value string
}

// maxTags is how many tags an Organizations resource may carry.
const maxTags = 50

// validateTags checks tags as Organizations does and returns them for the store.
func validateTags(tags []Tag) ([]store.Tag, error) {
	if len(tags) > maxTags {
		return nil, operation.Errorf(http.StatusBadRequest, "ConstraintViolationException",
			"You can attach at most %d tags to a resource; you gave %d.", maxTags, len(tags)).With("Reason", "MAX_TAG_LIMIT_EXCEEDED")
	}
	seen := make(map[string]bool, len(tags))
	out := make([]store.Tag, 0, len(tags))
	for _, t := range tags {
		if err := validateLength("Tag key", t.Key, 1, 128); err != nil {
			return nil, err
		}
		if err := validateLength("Tag value", t.Value, 0, 256); err != nil {
			return nil, err
		}
		if !tagPattern.MatchString(t.Key) || !tagPattern.MatchString(t.Value) {
			return nil, invalidInput("INVALID_PATTERN", "Tag %q: keys and values may contain only letters, spaces, digits and _ . : / = + - @.", t.Key)
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return nil, invalidInput("INVALID_SYSTEM_TAGS_PARAMETER", "Tag keys starting with aws: are reserved for AWS: %q.", t.Key)
		}
		if seen[t.Key] {
			return nil, invalidInput("DUPLICATE_TAG_KEY", "The tag key %q appears more than once.", t.Key)
		}
		seen[t.Key] = true
		out = append(out, store.Tag{Key: t.Key, Value: t.Value})
	}
	return out, nil
}

// mergeTags adds tags to the resource's tags have: a key it has takes the new value.
func mergeTags(have, tags []store.Tag) []store.Tag {
	out := append([]store.Tag(nil), have...)
	at := make(map[string]int, len(out))
	for i, t := range out {
		at[t.Key] = i
	}
	for _, t := range tags {
		if i, ok := at[t.Key]; ok {
			out[i].Value = t.Value
			continue
		}
		at[t.Key] = len(out)
		out = append(out, t)
	}
	return out
}

// removeTags drops the tags with the keys from have; keys it does not have are ignored.
func removeTags(have []store.Tag, keys []string) []store.Tag {
	drop := make(map[string]bool, len(keys))
	for _, k := range keys {
		drop[k] = true
	}
	var out []store.Tag
	for _, t := range have {
		if !drop[t.Key] {
			out = append(out, t)
		}
	}
	return out
}

// requestTags gives the aws:RequestTag/… and aws:TagKeys condition keys of tags.
func requestTags(tags []Tag) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	ctx := map[string][]string{}
	for _, t := range tags {
		ctx["aws:RequestTag/"+t.Key] = []string{t.Value}
		ctx["aws:TagKeys"] = append(ctx["aws:TagKeys"], t.Key)
	}
	return ctx
}

// validateResourceID checks a taggable resource ID: a root, OU, account or policy.
func validateResourceID(id string) error {
	if kindOf(id) == "" && !policyIDPattern.MatchString(id) {
		return invalidInput("INVALID_PATTERN", "You specified a value with an invalid pattern: ResourceId %q must be a root, organizational unit, account or policy ID.", id)
	}
	return nil
}

// taggable finds the resource a ResourceId names: TargetNotFoundException when none, and
// IMMUTABLE_POLICY for an AWS managed policy.
func taggable(tx txn, org *store.Organization, id string) error {
	if !policyIDPattern.MatchString(id) {
		_, err := readTarget(tx, org, id)
		return err
	}
	p, err := tx.OrgPolicy(id)
	if errors.Is(err, store.ErrNotFound) {
		return errTargetNotFound
	} else if err != nil {
		return err
	}
	if p.AWSManaged {
		return errImmutablePolicy
	}
	return nil
}

// resourceAccess authorizes an operation on a root, OU, account or policy.
func (s *Service) resourceAccess(ctx context.Context, id string) (*operation.Access, error) {
	if policyIDPattern.MatchString(id) {
		return s.policyAccess(ctx, id, "")
	}
	return s.nodeAccess(ctx, id)
}

// TagResourceInput adds or replaces tags of a resource.
type TagResourceInput struct {
	ResourceId string `required:"true"`
	Tags       []Tag  `required:"true"`
}

// Validate checks the resource ID and the tags.
func (in *TagResourceInput) Validate() error {
	if err := validateResourceID(in.ResourceId); err != nil {
		return err
	}
	_, err := validateTags(in.Tags)
	return err
}

// TagResourceOutput is empty.
type TagResourceOutput struct{}

func (s *Service) tagResourceAccess(ctx context.Context, in *TagResourceInput) (*operation.Access, error) {
	a, err := s.resourceAccess(ctx, in.ResourceId)
	if a != nil {
		a.Context = requestTags(in.Tags)
	}
	return a, err
}

func (s *Service) tagResource(ctx context.Context, in *TagResourceInput) (*TagResourceOutput, error) {
	tags, err := validateTags(in.Tags)
	if err != nil {
		return nil, err
	}
	err = s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if err := taggable(tx, org, in.ResourceId); err != nil {
			return err
		}
		have, err := tx.Tags(in.ResourceId)
		if err != nil {
			return err
		}
		merged := mergeTags(have, tags)
		if len(merged) > maxTags {
			return constraint("MAX_TAG_LIMIT_EXCEEDED", "A resource can have at most %d tags; this would give %s %d.", maxTags, in.ResourceId, len(merged))
		}
		return tx.SetTags(in.ResourceId, merged)
	})
	if err != nil {
		return nil, err
	}
	return &TagResourceOutput{}, nil
}

// UntagResourceInput removes tags of a resource.
type UntagResourceInput struct {
	ResourceId string   `required:"true"`
	TagKeys    []string `required:"true"`
}

// Validate checks the resource ID and the keys.
func (in *UntagResourceInput) Validate() error {
	if err := validateResourceID(in.ResourceId); err != nil {
		return err
	}
	if len(in.TagKeys) > maxTags {
		return invalidInput("MAX_LENGTH_EXCEEDED", "TagKeys may name at most %d keys.", maxTags)
	}
	for _, k := range in.TagKeys {
		if err := validateLength("Tag key", k, 1, 128); err != nil {
			return err
		}
	}
	return nil
}

// UntagResourceOutput is empty.
type UntagResourceOutput struct{}

func (s *Service) untagResource(ctx context.Context, in *UntagResourceInput) (*UntagResourceOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if err := taggable(tx, org, in.ResourceId); err != nil {
			return err
		}
		have, err := tx.Tags(in.ResourceId)
		if err != nil {
			return err
		}
		return tx.SetTags(in.ResourceId, removeTags(have, in.TagKeys))
	})
	if err != nil {
		return nil, err
	}
	return &UntagResourceOutput{}, nil
}

// ListTagsForResourceInput names a resource.
type ListTagsForResourceInput struct {
	ResourceId string `required:"true"`
	NextToken  *string
}

// Validate checks the resource ID.
func (in *ListTagsForResourceInput) Validate() error { return validateResourceID(in.ResourceId) }

// ListTagsForResourceOutput holds every tag of the resource (at most 50: one page).
type ListTagsForResourceOutput struct {
	Tags      []Tag
	NextToken *string `json:",omitempty"`
}

func (s *Service) listTagsForResource(ctx context.Context, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	if in.NextToken != nil {
		return nil, errInvalidNextToken
	}
	out := ListTagsForResourceOutput{Tags: []Tag{}}
	err := s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if err := taggable(tx, org, in.ResourceId); err != nil {
			return err
		}
		tags, err := tx.Tags(in.ResourceId)
		sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
		for _, t := range tags {
			out.Tags = append(out.Tags, Tag{Key: t.Key, Value: t.Value})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
