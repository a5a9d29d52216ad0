package ram

import (
	"context"
	"sort"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Tags go on resource shares and customer managed permissions; a request names exactly
// one of the two. They are the store's tags (store.TagTx) of the share's or permission's
// ARN, kept in key order: TagResource and UntagResource read them, change them and write
// them back whole.

// tagTarget is the share or permission a tag request names.
func (s *Service) tagTarget(tx txn, account, shareARN, resourceARN string, keys map[string][]string) (operation.Resource, error) {
	switch {
	case (shareARN == "") == (resourceARN == ""):
		return operation.Resource{}, invalidParameter("Give either resourceShareArn or resourceArn.")
	case shareARN != "":
		sh, err := s.ownShare(tx, account, shareARN)
		if err != nil {
			return operation.Resource{}, err
		}
		return shareResource(tx, sh, account, keys)
	}
	if err := checkPermissionARN(resourceARN); err != nil {
		return operation.Resource{}, err
	}
	p, err := s.permission(tx, account, resourceARN)
	if isOperationError(err) {
		return operation.Resource{}, resourceARNNotFound("The resource %s was not found.", resourceARN)
	}
	if err != nil {
		return operation.Resource{}, err
	}
	if p.stored == nil {
		return operation.Resource{}, invalidParameter("%s is an AWS managed permission; only customer managed permissions take tags.", resourceARN)
	}
	return s.permissionResource(tx, p, account, keys)
}

func (s *Service) tagAccess(ctx context.Context, shareARN, resourceARN string, keys map[string][]string) (*operation.Access, error) {
	a := &operation.Access{Context: keys}
	err := s.store.View(ctx, func(tx txn) error {
		r, err := s.tagTarget(tx, caller(ctx).Account, shareARN, resourceARN, keys)
		a.Resources = []operation.Resource{r}
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) tagResource(ctx context.Context, in *TagResourceInput) (*EmptyOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, func(tx txn) error {
		r, err := s.tagTarget(tx, caller(ctx).Account, in.ResourceShareArn, in.ResourceArn, map[string][]string{})
		if err != nil {
			return err
		}
		current, err := tx.Tags(r.ARN)
		if err != nil {
			return err
		}
		tags := mergeTags(current, storeTags(in.Tags))
		if len(tags) > maxTags {
			return tagLimitExceeded("%s would have %d tags; a resource can have at most %d.", r.ARN, len(tags), maxTags)
		}
		return tx.SetTags(r.ARN, tags)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyOutput{}, nil
}

func (s *Service) untagResource(ctx context.Context, in *UntagResourceInput) (*EmptyOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		r, err := s.tagTarget(tx, caller(ctx).Account, in.ResourceShareArn, in.ResourceArn, map[string][]string{})
		if err != nil {
			return err
		}
		current, err := tx.Tags(r.ARN)
		if err != nil {
			return err
		}
		remove := map[string]bool{}
		for _, k := range in.TagKeys {
			remove[k] = true
		}
		kept := make([]store.Tag, 0, len(current))
		for _, t := range current {
			if !remove[t.Key] {
				kept = append(kept, t)
			}
		}
		if len(kept) == len(current) {
			return nil
		}
		return tx.SetTags(r.ARN, kept)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyOutput{}, nil
}

// mergeTags returns current with the tags of add put in, a key already there taking its
// new value, in key order.
func mergeTags(current, add []store.Tag) []store.Tag {
	byKey := make(map[string]string, len(current)+len(add))
	for _, t := range current {
		byKey[t.Key] = t.Value
	}
	for _, t := range add {
		byKey[t.Key] = t.Value
	}
	out := make([]store.Tag, 0, len(byKey))
	for k, v := range byKey {
		out = append(out, store.Tag{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// setNewTags gives a share or permission just created the tags of its request.
func setNewTags(tx txn, resourceARN string, tags []Tag) error {
	if len(tags) == 0 {
		return nil
	}
	return tx.SetTags(resourceARN, mergeTags(nil, storeTags(tags)))
}
