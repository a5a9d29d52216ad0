package ram

import (
	"context"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Tags go on resource shares and customer managed permissions; a request names exactly
// one of the two.

// tagTarget is the share or permission a tag request names.
func (s *Service) tagTarget(tx store.Tx, account, shareARN, resourceARN string, keys map[string][]string) (operation.Resource, error) {
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
	err := s.store.View(ctx, func(tx store.Tx) error {
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
	err := s.store.Update(ctx, func(tx store.Tx) error {
		r, err := s.tagTarget(tx, caller(ctx).Account, in.ResourceShareArn, in.ResourceArn, map[string][]string{})
		if err != nil {
			return err
		}
		current, err := tx.RAMTags(r.ARN)
		if err != nil {
			return err
		}
		keys := map[string]bool{}
		for _, t := range current {
			keys[t.Key] = true
		}
		for _, t := range in.Tags {
			keys[t.Key] = true
		}
		if len(keys) > maxTags {
			return tagLimitExceeded("%s would have %d tags; a resource can have at most %d.", r.ARN, len(keys), maxTags)
		}
		return tx.PutRAMTags(r.ARN, storeTags(in.Tags))
	})
	if err != nil {
		return nil, err
	}
	return &EmptyOutput{}, nil
}

func (s *Service) untagResource(ctx context.Context, in *UntagResourceInput) (*EmptyOutput, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		r, err := s.tagTarget(tx, caller(ctx).Account, in.ResourceShareArn, in.ResourceArn, map[string][]string{})
		if err != nil {
			return err
		}
		return tx.DeleteRAMTags(r.ARN, in.TagKeys)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyOutput{}, nil
}
