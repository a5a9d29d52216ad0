package sagemaker

import (
	"context"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"

	"github.com/cairnhq/cairn/internal/store"
)

func (s *Service) tagOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[AddTagsInput, AddTagsOutput]{Name: "AddTags", Access: func(ctx context.Context, in *AddTagsInput) (*operation.Access, error) {
			a, err := s.tagAccess(ctx, in.ResourceArn)
			if a != nil {
				a.Context = requestTagKeys(in.Tags)
			}
			return a, err
		}, Handler: s.addTags}),
		operation.Declare(operation.Op[ListTagsInput, ListTagsOutput]{Name: "ListTags", Access: func(ctx context.Context, in *ListTagsInput) (*operation.Access, error) {
			return s.tagAccess(ctx, in.ResourceArn)
		}, Handler: s.listTags}),
		operation.Declare(operation.Op[DeleteTagsInput, struct{}]{Name: "DeleteTags", Access: func(ctx context.Context, in *DeleteTagsInput) (*operation.Access, error) {
			a, err := s.tagAccess(ctx, in.ResourceArn)
			if a != nil {
				a.Context = map[string][]string{"aws:TagKeys": in.TagKeys}
			}
			return a, err
		}, Handler: s.deleteTags}),
	}
}

func (s *Service) tagAccess(ctx context.Context, arn string) (*operation.Access, error) {
	res := operation.Resource{ARN: arn, Account: accountOf(arn)}
	if res.Account != "" && res.Account != caller(ctx).Account {
		// Another account's resource: tagging is never shared, and nothing read of it
		// could tell the caller whether it exists.
		return &operation.Access{Resources: []operation.Resource{res}}, nil
	}
	err := s.store.View(ctx, func(tx txn) error {
		tags, err := tx.Tags(arn)
		res.Tags = tagMap(tags)
		return err
	})
	return &operation.Access{Resources: []operation.Resource{res}}, err
}

// AddTagsInput adds tags to a resource.
type AddTagsInput struct {
	ResourceArn string `required:"true" max:"256" pattern:"arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+"`
	Tags        []Tag  `required:"true" max:"50"`
}

// AddTagsOutput echoes the tags added.
type AddTagsOutput struct {
	Tags []Tag
}

// ListTagsInput pages a resource's tags.
type ListTagsInput struct {
	ResourceArn string  `required:"true" max:"256" pattern:"arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+"`
	NextToken   *string `max:"8192" pattern:".*"`
	MaxResults  *int    `min:"50"`
}

// maxTagsPage bounds a page of ListTags, whose MaxResults has no maximum of its own.
const maxTagsPage = 100

func (in *ListTagsInput) query() listQuery {
	q := listQuery{NextToken: in.NextToken, MaxResults: in.MaxResults}
	if q.MaxResults != nil && *q.MaxResults > maxTagsPage {
		limit := maxTagsPage
		q.MaxResults = &limit
	}
	return q
}

// ListTagsOutput is one page of tags.
type ListTagsOutput struct {
	Tags      []Tag
	NextToken *string `json:",omitempty"`
}

// DeleteTagsInput removes tags.
type DeleteTagsInput struct {
	ResourceArn string   `required:"true" max:"256" pattern:"arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+"`
	TagKeys     []string `required:"true" min:"1" max:"50" memberMin:"1" memberMax:"128" memberPattern:"([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"`
}

// taggable checks that a resource exists in the caller's account.
func (s *Service) taggable(ctx context.Context, tx txn, arn string) error {
	account := accountOf(arn)
	if account != caller(ctx).Account {
		return validation("Resource %s does not exist in this account.", arn)
	}
	rest := arn[strings.LastIndex(arn, ":")+1:]
	kind, name, _ := strings.Cut(rest, "/")
	switch {
	case kind == "pipeline" && strings.Contains(name, "/execution/"):
		_, err := s.findExecution(ctx, tx, arn)
		return err
	case kind == "pipeline":
		_, err := s.findPipeline(ctx, tx, arn)
		return err
	case kind == ModelKind:
		_, err := s.findModel(ctx, tx, name)
		return err
	case kind == ModelPackageGroupKind:
		_, err := s.findGroup(ctx, tx, "resourceArn", arn)
		return err
	case kind == ModelPackageKind:
		_, err := s.findPackage(ctx, tx, "resourceArn", arn)
		return err
	case lineageKindOf(kind) != "":
		if _, err := tx.LineageEntity(arn); err != nil {
			return notFound("Resource %s does not exist.", arn)
		}
		return nil
	case strings.HasSuffix(kind, "-job"):
		if _, err := tx.Job(account, kind, name); err != nil {
			return notFound("Resource %s does not exist.", arn)
		}
		return nil
	}
	return validation("Tagging %s is not supported.", arn)
}

// Validate refuses tags that give a key twice.
func (in *AddTagsInput) Validate() error { return sm.CheckTagKeys(in.Tags) }

func (s *Service) addTags(ctx context.Context, in *AddTagsInput) (*AddTagsOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		if err := s.taggable(ctx, tx, in.ResourceArn); err != nil {
			return err
		}
		current, err := tx.Tags(in.ResourceArn)
		if err != nil {
			return err
		}
		merged := wireTags(current)
		for _, t := range in.Tags {
			replaced := false
			for i := range merged {
				if merged[i].Key == t.Key {
					merged[i].Value, replaced = t.Value, true
				}
			}
			if !replaced {
				merged = append(merged, t)
			}
		}
		if len(merged) > sm.MaxTags {
			return limitExceeded("A resource can have at most %d tags; this request would give %s %d.", sm.MaxTags, in.ResourceArn, len(merged))
		}
		return tx.SetTags(in.ResourceArn, storeTags(merged))
	})
	if err != nil {
		return nil, err
	}
	return &AddTagsOutput{Tags: in.Tags}, nil
}

func (s *Service) listTags(ctx context.Context, in *ListTagsInput) (*ListTagsOutput, error) {
	var tags []store.Tag
	err := s.store.View(ctx, func(tx txn) error {
		if err := s.taggable(ctx, tx, in.ResourceArn); err != nil {
			return err
		}
		var err error
		tags, err = tx.Tags(in.ResourceArn)
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := listing[store.Tag]{}.list(tags, in.query())
	if err != nil {
		return nil, err
	}
	return &ListTagsOutput{Tags: wireTags(page), NextToken: next}, nil
}

func (s *Service) deleteTags(ctx context.Context, in *DeleteTagsInput) (*struct{}, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		if err := s.taggable(ctx, tx, in.ResourceArn); err != nil {
			return err
		}
		current, err := tx.Tags(in.ResourceArn)
		if err != nil {
			return err
		}
		drop := map[string]bool{}
		for _, k := range in.TagKeys {
			drop[k] = true
		}
		var kept []store.Tag
		for _, t := range current {
			if !drop[t.Key] {
				kept = append(kept, t)
			}
		}
		return tx.SetTags(in.ResourceArn, kept)
	})
	return &struct{}{}, err
}
