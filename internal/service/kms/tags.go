package kms

import (
	"context"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// maxTags is KMS's limit of tags on a key.
const maxTags = 50

type TagResourceInput struct {
	KeyId string `json:"KeyId" required:"true" min:"1" max:"2048"`
	Tags  []Tag  `json:"Tags" required:"true"`
}

type UntagResourceInput struct {
	KeyId   string   `json:"KeyId" required:"true" min:"1" max:"2048"`
	TagKeys []string `json:"TagKeys" required:"true" memberMin:"1" memberMax:"128"`
}

type ListResourceTagsInput struct {
	KeyId  string `json:"KeyId" required:"true" min:"1" max:"2048"`
	Limit  *int32 `json:"Limit,omitempty" min:"1" max:"1000"`
	Marker string `json:"Marker,omitempty" min:"1" max:"1024"`
}

type ListResourceTagsOutput struct {
	Tags       []Tag  `json:"Tags"`
	NextMarker string `json:"NextMarker,omitempty"`
	Truncated  bool   `json:"Truncated"`
}

func (s *Service) tagOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[TagResourceInput, Empty]{Name: "TagResource",
			Access: func(ctx context.Context, in *TagResourceInput) (*operation.Access, error) {
				a, err := s.keyAccess(ctx, in.KeyId, "kms:TagResource", access{})
				if err != nil {
					return nil, err
				}
				keys := make([]string, len(in.Tags))
				for i, t := range in.Tags {
					a.Context["aws:RequestTag/"+t.TagKey] = []string{t.TagValue}
					keys[i] = t.TagKey
				}
				a.Context["aws:TagKeys"] = keys
				return a, nil
			},
			Handler: handle(s, s.tagResource)}),
		operation.Declare(operation.Op[UntagResourceInput, Empty]{Name: "UntagResource",
			Access: func(ctx context.Context, in *UntagResourceInput) (*operation.Access, error) {
				a, err := s.keyAccess(ctx, in.KeyId, "kms:UntagResource", access{})
				if err != nil {
					return nil, err
				}
				a.Context["aws:TagKeys"] = in.TagKeys
				return a, nil
			},
			Handler: handle(s, s.untagResource)}),
		operation.Declare(operation.Op[ListResourceTagsInput, ListResourceTagsOutput]{Name: "ListResourceTags",
			Access: func(ctx context.Context, in *ListResourceTagsInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:ListResourceTags", access{})
			},
			Handler: handle(s, s.listResourceTags)}),
	}
}

// editTags changes a key's tags in one transaction.
func (s *Service) editTags(ctx context.Context, keyID string, fn func(tags []store.Tag) ([]store.Tag, error)) error {
	k, err := s.key(ctx, keyID)
	if err != nil {
		return err
	}
	if err := notPending(k); err != nil {
		return err
	}
	if k.key.KeyManager == "AWS" {
		return kmsError("TagException", "%s is an AWS managed key; AWS managed keys cannot be tagged.", k.key.ARN())
	}
	return s.store.Update(ctx, func(tx txn) error {
		cur, err := tx.Tags(k.key.ARN())
		if err != nil {
			return err
		}
		next, err := fn(cur)
		if err != nil {
			return err
		}
		return tx.SetTags(k.key.ARN(), next)
	})
}

func (s *Service) tagResource(ctx context.Context, in *TagResourceInput) (*Empty, error) {
	err := s.editTags(ctx, in.KeyId, func(cur []store.Tag) ([]store.Tag, error) {
		for _, t := range storeTags(in.Tags) {
			replaced := false
			for i := range cur {
				if cur[i].Key == t.Key {
					cur[i].Value, replaced = t.Value, true
				}
			}
			if !replaced {
				cur = append(cur, t)
			}
		}
		if len(cur) > maxTags {
			return nil, kmsError("TagException", "A KMS key can have at most %d tags.", maxTags)
		}
		return cur, nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func (s *Service) untagResource(ctx context.Context, in *UntagResourceInput) (*Empty, error) {
	drop := map[string]bool{}
	for _, k := range in.TagKeys {
		drop[k] = true
	}
	err := s.editTags(ctx, in.KeyId, func(cur []store.Tag) ([]store.Tag, error) {
		kept := cur[:0]
		for _, t := range cur {
			if !drop[t.Key] {
				kept = append(kept, t)
			}
		}
		return kept, nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func (s *Service) listResourceTags(ctx context.Context, in *ListResourceTagsInput) (*ListResourceTagsOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	var tags []store.Tag
	if err := s.store.View(ctx, func(tx txn) error {
		var err error
		tags, err = tx.Tags(k.key.ARN())
		return err
	}); err != nil {
		return nil, err
	}
	all := make([]Tag, len(tags))
	for i, t := range tags {
		all[i] = Tag{TagKey: t.Key, TagValue: t.Value}
	}
	page, next, err := operation.Slice(all, in.Marker, limitOf(in.Limit, 50))
	if err != nil {
		return nil, kmsError("InvalidMarkerException", "The Marker is not one ListResourceTags returned.")
	}
	if page == nil {
		page = []Tag{}
	}
	return &ListResourceTagsOutput{Tags: page, NextMarker: next, Truncated: next != ""}, nil
}
