package sagemaker

import (
	"context"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Actions: lineage entities named per account for what was done (a deployment, an
// approval), with a status.

func (s *Service) actionOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateActionInput, ActionArnOutput]{
			Name: "CreateAction", Access: s.createActionAccess, Handler: s.createAction}),
		operation.Declare(operation.Op[ActionRef, DescribeActionOutput]{
			Name: "DescribeAction", Access: lineageAccess(s, store.LineageAction, func(in *ActionRef) string { return in.ActionName }),
			Handler: s.describeAction}),
		operation.Declare(operation.Op[ListActionsInput, ListActionsOutput]{
			Name: "ListActions", Handler: s.listActions}),
		operation.Declare(operation.Op[UpdateActionInput, ActionArnOutput]{
			Name: "UpdateAction", Access: lineageAccess(s, store.LineageAction, func(in *UpdateActionInput) string { return in.ActionName }),
			Handler: s.updateAction}),
		operation.Declare(operation.Op[DeleteActionInput, ActionArnOutput]{
			Name: "DeleteAction", Access: lineageAccess(s, store.LineageAction, func(in *DeleteActionInput) string { return in.ActionName }),
			Handler: s.deleteAction}),
	}
}

// CreateActionInput creates an action.
type CreateActionInput struct {
	ActionName         string              `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	Source             *ActionSource       `required:"true"`
	ActionType         string              `required:"true" max:"256"`
	Description        *string             `max:"3072" pattern:".*"`
	Status             *string             `enum:"Unknown,InProgress,Completed,Failed,Stopping,Stopped"`
	Properties         map[string]string   `max:"30" keyMax:"2500" keyPattern:".*" valueMax:"2500" valuePattern:".*"`
	MetadataProperties *MetadataProperties `json:",omitempty"`
	Tags               []Tag               `max:"50"`
}

// ActionSource is where an action comes from.
type ActionSource = ContextSource

// actionBody is what an action keeps as JSON.
type actionBody struct {
	Source             ActionSource
	Description        string              `json:",omitempty"`
	MetadataProperties *MetadataProperties `json:",omitempty"`
}

// ActionArnOutput names the action a request wrote.
type ActionArnOutput struct {
	ActionArn string
}

// Validate checks what the request's constraints cannot say.
func (in *CreateActionInput) Validate() error { return sm.CheckTagKeys(in.Tags) }

func (s *Service) createActionAccess(ctx context.Context, in *CreateActionInput) (*operation.Access, error) {
	return s.createLineageAccess(ctx, store.LineageAction, in.ActionName, in.Tags)
}

func (s *Service) createAction(ctx context.Context, in *CreateActionInput) (*ActionArnOutput, error) {
	e := s.newLineage(ctx, store.LineageAction, in.ActionName)
	e.Type, e.SourceURI, e.Properties, e.Status = in.ActionType, in.Source.SourceUri, in.Properties, deref(in.Status, "Unknown")
	e.Body = encodeBody(actionBody{Source: *in.Source, Description: deref(in.Description, ""), MetadataProperties: in.MetadataProperties})
	if err := s.store.Update(ctx, func(tx txn) error { return s.createLineage(tx, e, in.Tags, "Action") }); err != nil {
		return nil, err
	}
	return &ActionArnOutput{ActionArn: e.ARN}, nil
}

// ActionRef names an action by name or ARN.
type ActionRef struct {
	ActionName string `required:"true" min:"1" max:"256" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial|experiment-trial-component|artifact|action|context)\\/)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,119})"`
}

// DescribeActionOutput describes an action.
type DescribeActionOutput struct {
	ActionName         string
	ActionArn          string
	Source             ActionSource
	ActionType         string
	Description        string `json:",omitempty"`
	Status             string
	Properties         map[string]string
	CreationTime       *operation.Timestamp
	CreatedBy          UserContext
	LastModifiedTime   *operation.Timestamp
	LastModifiedBy     UserContext
	MetadataProperties *MetadataProperties `json:",omitempty"`
	LineageGroupArn    string
}

func (s *Service) describeAction(ctx context.Context, in *ActionRef) (*DescribeActionOutput, error) {
	var e *store.LineageEntity
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		e, err = s.findLineage(tx, s.refLineage(ctx, store.LineageAction, in.ActionName), "Action")
		return err
	})
	if err != nil {
		return nil, err
	}
	var body actionBody
	if err := lineageBody(e, &body); err != nil {
		return nil, err
	}
	return &DescribeActionOutput{ActionName: e.Name, ActionArn: e.ARN, Source: body.Source, ActionType: e.Type, Description: body.Description,
		Status: e.Status, Properties: properties(e.Properties), CreationTime: operation.NewTimestamp(e.CreatedAt),
		CreatedBy: userContext(e.CreatedBy), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt),
		LastModifiedBy: userContext(e.LastModifiedBy), MetadataProperties: body.MetadataProperties, LineageGroupArn: s.lineageGroupOf(e)}, nil
}

// ListActionsInput filters and pages actions.
type ListActionsInput struct {
	SourceUri     *string `min:"1" max:"2048" pattern:".*"`
	ActionType    *string `max:"256"`
	CreatedAfter  *operation.Timestamp
	CreatedBefore *operation.Timestamp
	SortBy        *string `enum:"Name,CreationTime"`
	SortOrder     *string `enum:"Ascending,Descending"`
	NextToken     *string `max:"8192" pattern:".*"`
	MaxResults    *int    `min:"1" max:"100"`
}

// ActionSummary is one action of a list.
type ActionSummary struct {
	ActionArn        string
	ActionName       string
	Source           ActionSource
	ActionType       string
	Status           string
	CreationTime     *operation.Timestamp
	LastModifiedTime *operation.Timestamp
}

// ListActionsOutput is one page of actions.
type ListActionsOutput struct {
	ActionSummaries []ActionSummary
	NextToken       *string `json:",omitempty"`
}

func (s *Service) listActions(ctx context.Context, in *ListActionsInput) (*ListActionsOutput, error) {
	page, next, err := s.listLineage(ctx, store.LineageAction, in.SourceUri, in.ActionType, listQuery{CreatedAfter: in.CreatedAfter,
		CreatedBefore: in.CreatedBefore, SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults})
	if err != nil {
		return nil, err
	}
	out := &ListActionsOutput{ActionSummaries: []ActionSummary{}, NextToken: next}
	for _, e := range page {
		var body actionBody
		if err := lineageBody(e, &body); err != nil {
			return nil, err
		}
		out.ActionSummaries = append(out.ActionSummaries, ActionSummary{ActionArn: e.ARN, ActionName: e.Name, Source: body.Source,
			ActionType: e.Type, Status: e.Status, CreationTime: operation.NewTimestamp(e.CreatedAt), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt)})
	}
	return out, nil
}

// UpdateActionInput changes an action's description, status and properties.
type UpdateActionInput struct {
	ActionName         string            `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	Description        *string           `max:"3072" pattern:".*"`
	Status             *string           `enum:"Unknown,InProgress,Completed,Failed,Stopping,Stopped"`
	Properties         map[string]string `max:"30" keyMax:"2500" keyPattern:".*" valueMax:"2500" valuePattern:".*"`
	PropertiesToRemove []string          `memberMax:"2500" memberPattern:".*"`
}

func (s *Service) updateAction(ctx context.Context, in *UpdateActionInput) (*ActionArnOutput, error) {
	var arn string
	err := s.store.Update(ctx, func(tx txn) error {
		e, err := s.findLineage(tx, s.refLineage(ctx, store.LineageAction, in.ActionName), "Action")
		if err != nil {
			return err
		}
		var body actionBody
		if err := lineageBody(e, &body); err != nil {
			return err
		}
		if in.Description != nil {
			body.Description = *in.Description
		}
		if in.Status != nil {
			e.Status = *in.Status
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
	return &ActionArnOutput{ActionArn: arn}, nil
}

// DeleteActionInput deletes an action.
type DeleteActionInput struct {
	ActionName string `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
}

func (s *Service) deleteAction(ctx context.Context, in *DeleteActionInput) (*ActionArnOutput, error) {
	arn, err := s.deleteNamed(ctx, store.LineageAction, in.ActionName, "Action", nil)
	if err != nil {
		return nil, err
	}
	return &ActionArnOutput{ActionArn: arn}, nil
}
