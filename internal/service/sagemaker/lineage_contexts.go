package sagemaker

import (
	"context"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Contexts: lineage entities named per account, such as an endpoint or a model group.

func (s *Service) contextOps() []*operation.Operation {
	ref := func(in *ContextRef) string { return in.ContextName }
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateContextInput, ContextArnOutput]{
			Name: "CreateContext", Access: s.createContextAccess, Handler: s.createContext}),
		operation.Declare(operation.Op[ContextRef, DescribeContextOutput]{
			Name: "DescribeContext", Access: lineageAccess(s, store.LineageContext, ref), Handler: s.describeContext}),
		operation.Declare(operation.Op[ListContextsInput, ListContextsOutput]{
			Name: "ListContexts", Handler: s.listContexts}),
		operation.Declare(operation.Op[UpdateContextInput, ContextArnOutput]{
			Name: "UpdateContext", Access: lineageAccess(s, store.LineageContext, func(in *UpdateContextInput) string { return in.ContextName }),
			Handler: s.updateContext}),
		operation.Declare(operation.Op[DeleteContextInput, ContextArnOutput]{
			Name: "DeleteContext", Access: lineageAccess(s, store.LineageContext, func(in *DeleteContextInput) string { return in.ContextName }),
			Handler: s.deleteContext}),
	}
}

// CreateContextInput creates a context.
type CreateContextInput struct {
	ContextName string            `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119}"`
	Source      *ContextSource    `required:"true"`
	ContextType string            `required:"true" max:"256"`
	Description *string           `max:"3072" pattern:".*"`
	Properties  map[string]string `max:"30" keyMax:"2500" keyPattern:".*" valueMax:"2500" valuePattern:".*"`
	Tags        []Tag             `max:"50"`
}

// ContextSource is where a context comes from (an action's source has the same shape).
type ContextSource struct {
	SourceUri  string `required:"true" min:"1" max:"2048" pattern:".*"`
	SourceType string `json:",omitempty" max:"256"`
	SourceId   string `json:",omitempty" max:"256"`
}

// contextBody is what a context keeps as JSON.
type contextBody struct {
	Source      ContextSource
	Description string `json:",omitempty"`
}

// ContextArnOutput names the context a request wrote.
type ContextArnOutput struct {
	ContextArn string
}

// Validate checks what the request's constraints cannot say.
func (in *CreateContextInput) Validate() error { return sm.CheckTagKeys(in.Tags) }

func (s *Service) createContextAccess(ctx context.Context, in *CreateContextInput) (*operation.Access, error) {
	return s.createLineageAccess(ctx, store.LineageContext, in.ContextName, in.Tags)
}

func (s *Service) createContext(ctx context.Context, in *CreateContextInput) (*ContextArnOutput, error) {
	e := s.newLineage(ctx, store.LineageContext, in.ContextName)
	e.Type, e.SourceURI, e.Properties = in.ContextType, in.Source.SourceUri, in.Properties
	e.Body = encodeBody(contextBody{Source: *in.Source, Description: deref(in.Description, "")})
	err := s.store.Update(ctx, func(tx txn) error { return s.createLineage(tx, e, in.Tags, "Context") })
	if err != nil {
		return nil, err
	}
	return &ContextArnOutput{ContextArn: e.ARN}, nil
}

// ContextRef names a context by name or ARN.
type ContextRef struct {
	ContextName string `required:"true" min:"1" max:"256" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:context\\/)?([a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119})"`
}

// DescribeContextOutput describes a context.
type DescribeContextOutput struct {
	ContextName      string
	ContextArn       string
	Source           ContextSource
	ContextType      string
	Description      string `json:",omitempty"`
	Properties       map[string]string
	CreationTime     *operation.Timestamp
	CreatedBy        UserContext
	LastModifiedTime *operation.Timestamp
	LastModifiedBy   UserContext
	LineageGroupArn  string
}

func (s *Service) describeContext(ctx context.Context, in *ContextRef) (*DescribeContextOutput, error) {
	var e *store.LineageEntity
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		e, err = s.findLineage(tx, s.refLineage(ctx, store.LineageContext, in.ContextName), "Context")
		return err
	})
	if err != nil {
		return nil, err
	}
	var body contextBody
	if err := lineageBody(e, &body); err != nil {
		return nil, err
	}
	return &DescribeContextOutput{ContextName: e.Name, ContextArn: e.ARN, Source: body.Source, ContextType: e.Type,
		Description: body.Description, Properties: properties(e.Properties), CreationTime: operation.NewTimestamp(e.CreatedAt),
		CreatedBy: userContext(e.CreatedBy), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt),
		LastModifiedBy: userContext(e.LastModifiedBy), LineageGroupArn: s.lineageGroupOf(e)}, nil
}

// ListContextsInput filters and pages contexts.
type ListContextsInput struct {
	SourceUri     *string `min:"1" max:"2048" pattern:".*"`
	ContextType   *string `max:"256"`
	CreatedAfter  *operation.Timestamp
	CreatedBefore *operation.Timestamp
	SortBy        *string `enum:"Name,CreationTime"`
	SortOrder     *string `enum:"Ascending,Descending"`
	NextToken     *string `max:"8192" pattern:".*"`
	MaxResults    *int    `min:"1" max:"100"`
}

// ContextSummary is one context of a list.
type ContextSummary struct {
	ContextArn       string
	ContextName      string
	Source           ContextSource
	ContextType      string
	CreationTime     *operation.Timestamp
	LastModifiedTime *operation.Timestamp
}

// ListContextsOutput is one page of contexts.
type ListContextsOutput struct {
	ContextSummaries []ContextSummary
	NextToken        *string `json:",omitempty"`
}

// entityListing is how the List… operations of lineage entities filter and order them.
var entityListing = listing[*store.LineageEntity]{
	created: func(e *store.LineageEntity) time.Time { return e.CreatedAt },
	orders: map[string]func(a, b *store.LineageEntity) int{
		"Name":         byString(func(e *store.LineageEntity) string { return strings.ToLower(e.Name) }),
		"CreationTime": byTime(func(e *store.LineageEntity) time.Time { return e.CreatedAt }),
	},
	defaultOrder: "CreationTime",
}

// listLineage reads the caller's entities of kind with the source URI and type a request
// asks for, and answers its page.
func (s *Service) listLineage(ctx context.Context, kind string, uri, typ *string, q listQuery) ([]*store.LineageEntity, *string, error) {
	var all []*store.LineageEntity
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		all, err = tx.ListLineageEntities(caller(ctx).Account, kind)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	kept := all[:0]
	for _, e := range all {
		if (uri == nil || e.SourceURI == *uri) && (typ == nil || e.Type == *typ) {
			kept = append(kept, e)
		}
	}
	return entityListing.list(kept, q)
}

func (s *Service) listContexts(ctx context.Context, in *ListContextsInput) (*ListContextsOutput, error) {
	page, next, err := s.listLineage(ctx, store.LineageContext, in.SourceUri, in.ContextType, listQuery{CreatedAfter: in.CreatedAfter,
		CreatedBefore: in.CreatedBefore, SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults})
	if err != nil {
		return nil, err
	}
	out := &ListContextsOutput{ContextSummaries: []ContextSummary{}, NextToken: next}
	for _, e := range page {
		var body contextBody
		if err := lineageBody(e, &body); err != nil {
			return nil, err
		}
		out.ContextSummaries = append(out.ContextSummaries, ContextSummary{ContextArn: e.ARN, ContextName: e.Name, Source: body.Source,
			ContextType: e.Type, CreationTime: operation.NewTimestamp(e.CreatedAt), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt)})
	}
	return out, nil
}

// UpdateContextInput changes a context's description and properties.
type UpdateContextInput struct {
	ContextName        string            `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119}"`
	Description        *string           `max:"3072" pattern:".*"`
	Properties         map[string]string `max:"30" keyMax:"2500" keyPattern:".*" valueMax:"2500" valuePattern:".*"`
	PropertiesToRemove []string          `memberMax:"2500" memberPattern:".*"`
}

func (s *Service) updateContext(ctx context.Context, in *UpdateContextInput) (*ContextArnOutput, error) {
	var arn string
	err := s.store.Update(ctx, func(tx txn) error {
		e, err := s.findLineage(tx, s.refLineage(ctx, store.LineageContext, in.ContextName), "Context")
		if err != nil {
			return err
		}
		var body contextBody
		if err := lineageBody(e, &body); err != nil {
			return err
		}
		if in.Description != nil {
			body.Description = *in.Description
		}
		if err := updateProperties(e, in.Properties, in.PropertiesToRemove, 30); err != nil {
			return err
		}
		e.Body, arn = encodeBody(body), e.ARN
		s.modified(ctx, e)
		return tx.UpdateLineageEntity(e)
	})
	if err != nil {
		return nil, err
	}
	return &ContextArnOutput{ContextArn: arn}, nil
}

// DeleteContextInput deletes a context.
type DeleteContextInput struct {
	ContextName string `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119}"`
}

func (s *Service) deleteContext(ctx context.Context, in *DeleteContextInput) (*ContextArnOutput, error) {
	arn, err := s.deleteNamed(ctx, store.LineageContext, in.ContextName, "Context", nil)
	if err != nil {
		return nil, err
	}
	return &ContextArnOutput{ContextArn: arn}, nil
}
