package sagemaker

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Artifacts: data, images and models, named by an ID; an account holds one artifact per
// source (its URI and source types).

func (s *Service) artifactOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateArtifactInput, ArtifactArnOutput]{
			Name: "CreateArtifact", Access: s.createArtifactAccess, Handler: s.createArtifact}),
		operation.Declare(operation.Op[ArtifactRef, DescribeArtifactOutput]{
			Name: "DescribeArtifact", Access: lineageAccess(s, store.LineageArtifact, func(in *ArtifactRef) string { return in.ArtifactArn }),
			Handler: s.describeArtifact}),
		operation.Declare(operation.Op[ListArtifactsInput, ListArtifactsOutput]{
			Name: "ListArtifacts", Handler: s.listArtifacts}),
		operation.Declare(operation.Op[UpdateArtifactInput, ArtifactArnOutput]{
			Name: "UpdateArtifact", Access: lineageAccess(s, store.LineageArtifact, func(in *UpdateArtifactInput) string { return in.ArtifactArn }),
			Handler: s.updateArtifact}),
		operation.Declare(operation.Op[DeleteArtifactInput, ArtifactArnOutput]{
			Name: "DeleteArtifact", Access: s.deleteArtifactAccess, Handler: s.deleteArtifact}),
	}
}

// CreateArtifactInput creates an artifact.
type CreateArtifactInput struct {
	ArtifactName       *string             `min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	Source             *ArtifactSource     `required:"true"`
	ArtifactType       string              `required:"true" max:"256"`
	Properties         map[string]string   `max:"30" keyMax:"2500" keyPattern:".*" valueMax:"4096" valuePattern:".*"`
	MetadataProperties *MetadataProperties `json:",omitempty"`
	Tags               []Tag               `max:"50"`
}

// ArtifactSource is the data an artifact tracks.
type ArtifactSource struct {
	SourceUri   string               `required:"true" min:"1" max:"2048" pattern:".*"`
	SourceTypes []ArtifactSourceType `json:",omitempty"`
}

// ArtifactSourceType is one identifier of an artifact's source.
type ArtifactSourceType struct {
	SourceIdType string `required:"true" enum:"MD5Hash,S3ETag,S3Version,Custom"`
	Value        string `required:"true" max:"256"`
}

// key is the identity of a source: its URI and its source types, in any order.
func (src *ArtifactSource) key() string {
	parts := make([]string, 0, len(src.SourceTypes))
	for _, t := range src.SourceTypes {
		parts = append(parts, t.SourceIdType+"="+t.Value)
	}
	slices.Sort(parts)
	return src.SourceUri + "\x00" + strings.Join(parts, "\x00")
}

// artifactBody is what an artifact keeps as JSON.
type artifactBody struct {
	Source             ArtifactSource
	MetadataProperties *MetadataProperties `json:",omitempty"`
}

// ArtifactArnOutput names the artifact a request wrote.
type ArtifactArnOutput struct {
	ArtifactArn string
}

// Validate checks what the request's constraints cannot say.
func (in *CreateArtifactInput) Validate() error { return sm.CheckTagKeys(in.Tags) }

func (s *Service) createArtifactAccess(ctx context.Context, in *CreateArtifactInput) (*operation.Access, error) {
	account := caller(ctx).Account
	return &operation.Access{Resources: []operation.Resource{{ARN: s.arnAsGiven(account, ArtifactKind, "*"), Account: account}},
		Context: requestTagKeys(in.Tags)}, nil
}

// newArtifactID is an artifact's ID: 32 hexadecimal digits.
func (s *Service) newArtifactID() (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(s.random, b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func (s *Service) createArtifact(ctx context.Context, in *CreateArtifactInput) (*ArtifactArnOutput, error) {
	id, err := s.newArtifactID()
	if err != nil {
		return nil, err
	}
	e := s.newLineage(ctx, store.LineageArtifact, id)
	e.Name, e.Type, e.SourceURI, e.SourceKey, e.Properties = deref(in.ArtifactName, ""), in.ArtifactType, in.Source.SourceUri, in.Source.key(), in.Properties
	e.Body = encodeBody(artifactBody{Source: *in.Source, MetadataProperties: in.MetadataProperties})
	err = s.store.Update(ctx, func(tx txn) error {
		// One artifact per source: another request for the same source answers the first.
		if existing, err := tx.ArtifactBySource(e.AccountID, e.SourceKey); err == nil {
			e = existing
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := s.createLineage(tx, e, in.Tags, "Artifact"); err != nil {
			return err
		}
		return s.linkSameAs(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &ArtifactArnOutput{ArtifactArn: e.ARN}, nil
}

// ArtifactRef names an artifact by ARN.
type ArtifactRef struct {
	ArtifactArn string `required:"true" max:"256" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:artifact/.*"`
}

// DescribeArtifactOutput describes an artifact.
type DescribeArtifactOutput struct {
	ArtifactName       string `json:",omitempty"`
	ArtifactArn        string
	Source             ArtifactSource
	ArtifactType       string
	Properties         map[string]string
	CreationTime       *operation.Timestamp
	CreatedBy          UserContext
	LastModifiedTime   *operation.Timestamp
	LastModifiedBy     UserContext
	MetadataProperties *MetadataProperties `json:",omitempty"`
	LineageGroupArn    string
}

func (s *Service) describeArtifact(ctx context.Context, in *ArtifactRef) (*DescribeArtifactOutput, error) {
	var e *store.LineageEntity
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		e, err = s.findLineage(tx, s.refLineage(ctx, store.LineageArtifact, in.ArtifactArn), "Artifact")
		return err
	})
	if err != nil {
		return nil, err
	}
	var body artifactBody
	if err := lineageBody(e, &body); err != nil {
		return nil, err
	}
	return &DescribeArtifactOutput{ArtifactName: e.Name, ArtifactArn: e.ARN, Source: body.Source, ArtifactType: e.Type,
		Properties: properties(e.Properties), CreationTime: operation.NewTimestamp(e.CreatedAt), CreatedBy: userContext(e.CreatedBy),
		LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt), LastModifiedBy: userContext(e.LastModifiedBy),
		MetadataProperties: body.MetadataProperties, LineageGroupArn: s.lineageGroupOf(e)}, nil
}

// ListArtifactsInput filters and pages artifacts.
type ListArtifactsInput struct {
	SourceUri     *string `min:"1" max:"2048" pattern:".*"`
	ArtifactType  *string `max:"256"`
	CreatedAfter  *operation.Timestamp
	CreatedBefore *operation.Timestamp
	SortBy        *string `enum:"CreationTime"`
	SortOrder     *string `enum:"Ascending,Descending"`
	NextToken     *string `max:"8192" pattern:".*"`
	MaxResults    *int    `min:"1" max:"100"`
}

// ArtifactSummary is one artifact of a list.
type ArtifactSummary struct {
	ArtifactArn      string
	ArtifactName     string `json:",omitempty"`
	Source           ArtifactSource
	ArtifactType     string
	CreationTime     *operation.Timestamp
	LastModifiedTime *operation.Timestamp
}

// ListArtifactsOutput is one page of artifacts.
type ListArtifactsOutput struct {
	ArtifactSummaries []ArtifactSummary
	NextToken         *string `json:",omitempty"`
}

func (s *Service) listArtifacts(ctx context.Context, in *ListArtifactsInput) (*ListArtifactsOutput, error) {
	page, next, err := s.listLineage(ctx, store.LineageArtifact, in.SourceUri, in.ArtifactType, listQuery{CreatedAfter: in.CreatedAfter,
		CreatedBefore: in.CreatedBefore, SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults})
	if err != nil {
		return nil, err
	}
	out := &ListArtifactsOutput{ArtifactSummaries: []ArtifactSummary{}, NextToken: next}
	for _, e := range page {
		var body artifactBody
		if err := lineageBody(e, &body); err != nil {
			return nil, err
		}
		out.ArtifactSummaries = append(out.ArtifactSummaries, ArtifactSummary{ArtifactArn: e.ARN, ArtifactName: e.Name, Source: body.Source,
			ArtifactType: e.Type, CreationTime: operation.NewTimestamp(e.CreatedAt), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt)})
	}
	return out, nil
}

// UpdateArtifactInput changes an artifact's name and properties.
type UpdateArtifactInput struct {
	ArtifactArn        string            `required:"true" max:"256" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:artifact/.*"`
	ArtifactName       *string           `min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	Properties         map[string]string `max:"30" keyMax:"2500" keyPattern:".*" valueMax:"4096" valuePattern:".*"`
	PropertiesToRemove []string          `memberMax:"2500" memberPattern:".*"`
}

func (s *Service) updateArtifact(ctx context.Context, in *UpdateArtifactInput) (*ArtifactArnOutput, error) {
	var arn string
	err := s.store.Update(ctx, func(tx txn) error {
		e, err := s.findLineage(tx, s.refLineage(ctx, store.LineageArtifact, in.ArtifactArn), "Artifact")
		if err != nil {
			return err
		}
		if in.ArtifactName != nil {
			e.Name = *in.ArtifactName
		}
		if err := updateProperties(e, in.Properties, in.PropertiesToRemove, 30); err != nil {
			return err
		}
		arn = e.ARN
		s.modified(ctx, e)
		return tx.UpdateLineageEntity(e)
	})
	if err != nil {
		return nil, err
	}
	return &ArtifactArnOutput{ArtifactArn: arn}, nil
}

// DeleteArtifactInput deletes an artifact by ARN or by source.
type DeleteArtifactInput struct {
	ArtifactArn *string         `max:"256" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:artifact/.*"`
	Source      *ArtifactSource `json:",omitempty"`
}

// Validate asks for one of the two ways to name the artifact.
func (in *DeleteArtifactInput) Validate() error {
	if in.ArtifactArn == nil && in.Source == nil {
		return validation("Either ArtifactArn or Source must be specified.")
	}
	return nil
}

// target is the artifact the request names: by ARN, or the caller's artifact for the
// source.
func (s *Service) artifactTarget(ctx context.Context, tx txn, in *DeleteArtifactInput) (lineageRef, error) {
	if in.ArtifactArn != nil {
		return s.refLineage(ctx, store.LineageArtifact, *in.ArtifactArn), nil
	}
	e, err := tx.ArtifactBySource(caller(ctx).Account, in.Source.key())
	if errors.Is(err, store.ErrNotFound) {
		return lineageRef{}, notFound("Artifact with source %s does not exist.", in.Source.SourceUri)
	}
	if err != nil {
		return lineageRef{}, err
	}
	return s.refLineage(ctx, store.LineageArtifact, e.ARN), nil
}

func (s *Service) deleteArtifactAccess(ctx context.Context, in *DeleteArtifactInput) (*operation.Access, error) {
	var res operation.Resource
	err := s.store.View(ctx, func(tx txn) error {
		ref, err := s.artifactTarget(ctx, tx, in)
		if err != nil {
			// A source the caller has no artifact for: authorized on its artifacts, then
			// answered ResourceNotFound.
			account := caller(ctx).Account
			res = operation.Resource{ARN: s.arnAsGiven(account, ArtifactKind, "*"), Account: account}
			return nil
		}
		res, err = s.lineageResource(tx, ref)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &operation.Access{Resources: []operation.Resource{res}}, nil
}

func (s *Service) deleteArtifact(ctx context.Context, in *DeleteArtifactInput) (*ArtifactArnOutput, error) {
	var arn string
	err := s.store.Update(ctx, func(tx txn) error {
		ref, err := s.artifactTarget(ctx, tx, in)
		if err != nil {
			return err
		}
		e, err := s.findLineage(tx, ref, "Artifact")
		if err != nil {
			return err
		}
		arn = e.ARN
		return s.deleteLineage(tx, e, "Artifact")
	})
	if err != nil {
		return nil, err
	}
	return &ArtifactArnOutput{ArtifactArn: arn}, nil
}
