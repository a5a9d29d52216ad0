package sagemaker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"

	"github.com/cairnhq/cairn/internal/engine/definition"
	"github.com/cairnhq/cairn/internal/store"
)

// SupportedStepTypes are the step types pipelines may use.
var SupportedStepTypes = []string{"Processing", "Training", "Condition", "Fail", "Model", "Transform", "RegisterModel"}

func (s *Service) pipelineOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreatePipelineInput, CreatePipelineOutput]{
			Name: "CreatePipeline", Access: s.createPipelineAccess, Handler: s.createPipeline}),
		operation.Declare(operation.Op[DescribePipelineInput, DescribePipelineOutput]{
			Name: "DescribePipeline", Access: pipelineAccess(s, func(in *DescribePipelineInput) string { return in.PipelineName }),
			Handler: s.describePipeline}),
		operation.Declare(operation.Op[UpdatePipelineInput, UpdatePipelineOutput]{
			Name: "UpdatePipeline", Access: s.updatePipelineAccess, Handler: s.updatePipeline}),
		operation.Declare(operation.Op[DeletePipelineInput, DeletePipelineOutput]{
			Name: "DeletePipeline", Access: pipelineAccess(s, func(in *DeletePipelineInput) string { return in.PipelineName }),
			Handler: s.deletePipeline}),
		operation.Declare(operation.Op[ListPipelinesInput, ListPipelinesOutput]{
			Name: "ListPipelines", Handler: s.listPipelines}),
	}
}

// S3Location names a definition stored in S3.
type S3Location struct {
	Bucket    string  `required:"true" min:"3" max:"63" pattern:"[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9]"`
	ObjectKey string  `required:"true" min:"1" max:"1024" pattern:".+"`
	VersionId *string `min:"1" max:"1024" pattern:".+"`
}

// ParallelismConfiguration bounds the steps an execution runs at once.
type ParallelismConfiguration struct {
	MaxParallelExecutionSteps int `required:"true" min:"1"`
}

// CreatePipelineInput creates a pipeline.
type CreatePipelineInput struct {
	PipelineName                 string  `required:"true" min:"1" max:"256" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}"`
	PipelineDisplayName          *string `min:"1" max:"256" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}"`
	PipelineDefinition           *string `min:"1" max:"1048576" pattern:".*(?:[ \\r\\n\\t].*)*" re:"[^\\x{85}\\x{2028}\\x{2029}]*"`
	PipelineDefinitionS3Location *S3Location
	PipelineDescription          *string `max:"3072" pattern:".*"`
	ClientRequestToken           string  `required:"true" min:"32" max:"128"`
	RoleArn                      string  `required:"true" min:"20" max:"2048" pattern:"arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"`
	Tags                         []Tag   `max:"50"`
	ParallelismConfiguration     *ParallelismConfiguration
}

// CreatePipelineOutput names the pipeline.
type CreatePipelineOutput struct {
	PipelineArn string
}

// Validate checks what the request's constraints cannot say.
func (in *CreatePipelineInput) Validate() error {
	if err := sm.CheckTagKeys(in.Tags); err != nil {
		return err
	}
	return checkDefinitionSource(in.PipelineDefinition, in.PipelineDefinitionS3Location, true)
}

// checkDefinitionSource checks that a request gives its definition at most one way, and
// one way when it creates a pipeline.
func checkDefinitionSource(def *string, loc *S3Location, create bool) error {
	if def != nil && loc != nil {
		return validation("Specify either PipelineDefinition or PipelineDefinitionS3Location, not both.")
	}
	if create && def == nil && loc == nil {
		return validation("Either PipelineDefinition or PipelineDefinitionS3Location must be specified.")
	}
	return nil
}

func (s *Service) createPipelineAccess(ctx context.Context, in *CreatePipelineInput) (*operation.Access, error) {
	account := caller(ctx).Account
	return &operation.Access{
		Resources: []operation.Resource{{ARN: s.arnAsGiven(account, "pipeline", in.PipelineName), Account: account}},
		Context:   requestTagKeys(in.Tags),
		PassRoles: []string{in.RoleArn},
	}, nil
}

// readDefinition returns the definition of a request: inline, or read from S3 as the
// caller.
func (s *Service) readDefinition(ctx context.Context, inline *string, loc *S3Location) (string, error) {
	if inline != nil {
		return *inline, nil
	}
	if s.objects == nil {
		return "", validation("PipelineDefinitionS3Location is not available: this server has no S3.")
	}
	version := ""
	if loc.VersionId != nil {
		version = *loc.VersionId
	}
	body, err := s.objects.GetObject(ctx, loc.Bucket, loc.ObjectKey, version)
	if err != nil {
		var ae *operation.Error
		if errors.As(err, &ae) {
			return "", validation("The pipeline definition could not be read from s3://%s/%s: %s", loc.Bucket, loc.ObjectKey, ae.Message)
		}
		return "", err
	}
	defer body.Close()
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(body, definition.MaxDefinitionLength+1))
	if err != nil {
		return "", fmt.Errorf("read definition: %w", err)
	}
	if n > definition.MaxDefinitionLength {
		return "", validation("The pipeline definition at s3://%s/%s exceeds %d characters.", loc.Bucket, loc.ObjectKey, definition.MaxDefinitionLength)
	}
	return buf.String(), nil
}

// parseDefinition validates a definition as CreatePipeline and UpdatePipeline do.
func parseDefinition(doc string) (*definition.Definition, error) {
	d, err := definition.Parse([]byte(doc), definition.ParseOptions{SupportedTypes: SupportedStepTypes})
	if err != nil {
		return nil, validation("%s", err.Error())
	}
	if err := d.ValidatePrefixes(definition.PrefixLimits()); err != nil {
		return nil, validation("%s", err.Error())
	}
	return d, nil
}

func (s *Service) createPipeline(ctx context.Context, in *CreatePipelineInput) (*CreatePipelineOutput, error) {
	doc, err := s.readDefinition(ctx, in.PipelineDefinition, in.PipelineDefinitionS3Location)
	if err != nil {
		return nil, err
	}
	if _, err := parseDefinition(doc); err != nil {
		return nil, err
	}
	p := caller(ctx)
	now := s.now()
	pipeline := &store.Pipeline{
		AccountID: p.Account, Name: in.PipelineName, ARN: s.arn(p.Account, "pipeline", in.PipelineName),
		DisplayName: deref(in.PipelineDisplayName, in.PipelineName), Description: deref(in.PipelineDescription, ""),
		RoleARN: in.RoleArn, Definition: doc, Status: "Active", Version: 1, ClientRequestToken: in.ClientRequestToken,
		CreatedBy: p.ARN, LastModifiedBy: p.ARN, CreatedAt: now, LastModifiedAt: now,
	}
	if in.ParallelismConfiguration != nil {
		pipeline.MaxParallelSteps = in.ParallelismConfiguration.MaxParallelExecutionSteps
	}
	var arn string
	err = s.store.Update(ctx, func(tx txn) error {
		if prior, err := tx.PipelineByToken(p.Account, in.ClientRequestToken); err == nil {
			// The same request again: answer as the first time.
			if !strings.EqualFold(prior.Name, in.PipelineName) {
				return conflict("ClientRequestToken %s was already used to create pipeline %s.", in.ClientRequestToken, prior.Name)
			}
			arn = prior.ARN
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if _, err := tx.Pipeline(p.Account, in.PipelineName); err == nil {
			return validation("Pipeline names must be unique within an AWS account and region. Pipeline with name (%s) already exists.", in.PipelineName)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := tx.CreatePipeline(pipeline); err != nil {
			return err
		}
		arn = pipeline.ARN
		return tx.SetTags(pipeline.ARN, storeTags(in.Tags))
	})
	if err != nil {
		return nil, err
	}
	return &CreatePipelineOutput{PipelineArn: arn}, nil
}

func deref(p *string, fallback string) string {
	if p == nil {
		return fallback
	}
	return *p
}

// DescribePipelineInput names a pipeline.
type DescribePipelineInput struct {
	PipelineName      string `required:"true" min:"1" max:"2048" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:([0-9]{12}|aws):pipeline/.*)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})"`
	PipelineVersionId *int64 `min:"1"`
}

// UserContext names who did something.
type UserContext struct {
	IamIdentity *IamIdentity `json:",omitempty"`
}

// IamIdentity is an IAM principal.
type IamIdentity struct {
	Arn         string `json:",omitempty"`
	PrincipalId string `json:",omitempty"`
}

// DescribePipelineOutput describes a pipeline.
type DescribePipelineOutput struct {
	PipelineArn                string
	PipelineName               string
	PipelineDisplayName        string
	PipelineDefinition         string
	PipelineDescription        string `json:",omitempty"`
	RoleArn                    string
	PipelineStatus             string
	CreationTime               *operation.Timestamp
	LastModifiedTime           *operation.Timestamp
	LastRunTime                *operation.Timestamp `json:",omitempty"`
	CreatedBy                  UserContext
	LastModifiedBy             UserContext
	ParallelismConfiguration   *ParallelismConfiguration `json:",omitempty"`
	PipelineVersionDisplayName string                    `json:",omitempty"`
}

func (s *Service) describePipeline(ctx context.Context, in *DescribePipelineInput) (*DescribePipelineOutput, error) {
	var out *DescribePipelineOutput
	err := s.store.View(ctx, func(tx txn) error {
		p, err := s.findPipeline(ctx, tx, in.PipelineName)
		if err != nil {
			return err
		}
		if in.PipelineVersionId != nil && *in.PipelineVersionId != p.Version {
			return notFound("Pipeline version %d of '%s' does not exist; the current version is %d.", *in.PipelineVersionId, p.ARN, p.Version)
		}
		out = &DescribePipelineOutput{
			PipelineArn: p.ARN, PipelineName: p.Name, PipelineDisplayName: p.DisplayName, PipelineDefinition: p.Definition,
			PipelineDescription: p.Description, RoleArn: p.RoleARN, PipelineStatus: p.Status,
			CreationTime: operation.NewTimestamp(p.CreatedAt), LastModifiedTime: operation.NewTimestamp(p.LastModifiedAt),
			LastRunTime: operation.NewTimestamp(p.LastRunAt),
			CreatedBy:   userContext(p.CreatedBy), LastModifiedBy: userContext(p.LastModifiedBy),
		}
		if p.MaxParallelSteps > 0 {
			out.ParallelismConfiguration = &ParallelismConfiguration{MaxParallelExecutionSteps: p.MaxParallelSteps}
		}
		return nil
	})
	return out, err
}

func userContext(arn string) UserContext {
	if arn == "" {
		return UserContext{}
	}
	return UserContext{IamIdentity: &IamIdentity{Arn: arn}}
}

// UpdatePipelineInput changes a pipeline.
type UpdatePipelineInput struct {
	PipelineName                 string  `required:"true" min:"1" max:"256" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}"`
	PipelineDisplayName          *string `min:"1" max:"256" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}"`
	PipelineDefinition           *string `min:"1" max:"1048576" pattern:".*(?:[ \\r\\n\\t].*)*" re:"[^\\x{85}\\x{2028}\\x{2029}]*"`
	PipelineDefinitionS3Location *S3Location
	PipelineDescription          *string `max:"3072" pattern:".*"`
	RoleArn                      *string `min:"20" max:"2048" pattern:"arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"`
	ParallelismConfiguration     *ParallelismConfiguration
}

// UpdatePipelineOutput names the pipeline and its new version.
type UpdatePipelineOutput struct {
	PipelineArn       string
	PipelineVersionId int64
}

// Validate checks what the request's constraints cannot say.
func (in *UpdatePipelineInput) Validate() error {
	return checkDefinitionSource(in.PipelineDefinition, in.PipelineDefinitionS3Location, false)
}

func (s *Service) updatePipelineAccess(ctx context.Context, in *UpdatePipelineInput) (*operation.Access, error) {
	a, err := pipelineAccess(s, func(in *UpdatePipelineInput) string { return in.PipelineName })(ctx, in)
	if err != nil {
		return nil, err
	}
	if in.RoleArn != nil {
		a.PassRoles = []string{*in.RoleArn}
	}
	return a, nil
}

func (s *Service) updatePipeline(ctx context.Context, in *UpdatePipelineInput) (*UpdatePipelineOutput, error) {
	doc := ""
	if in.PipelineDefinition != nil || in.PipelineDefinitionS3Location != nil {
		var err error
		if doc, err = s.readDefinition(ctx, in.PipelineDefinition, in.PipelineDefinitionS3Location); err != nil {
			return nil, err
		}
		if _, err := parseDefinition(doc); err != nil {
			return nil, err
		}
	}
	var out UpdatePipelineOutput
	err := s.store.Update(ctx, func(tx txn) error {
		p, err := s.findPipeline(ctx, tx, in.PipelineName)
		if err != nil {
			return err
		}
		if doc != "" {
			p.Definition = doc
		}
		if in.PipelineDisplayName != nil {
			p.DisplayName = *in.PipelineDisplayName
		}
		if in.PipelineDescription != nil {
			p.Description = *in.PipelineDescription
		}
		if in.RoleArn != nil {
			p.RoleARN = *in.RoleArn
		}
		if in.ParallelismConfiguration != nil {
			p.MaxParallelSteps = in.ParallelismConfiguration.MaxParallelExecutionSteps
		}
		p.Version++
		p.LastModifiedAt = s.now()
		p.LastModifiedBy = caller(ctx).ARN
		out = UpdatePipelineOutput{PipelineArn: p.ARN, PipelineVersionId: p.Version}
		return tx.UpdatePipeline(p)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeletePipelineInput deletes a pipeline.
type DeletePipelineInput struct {
	PipelineName       string `required:"true" min:"1" max:"256" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}"`
	ClientRequestToken string `required:"true" min:"32" max:"128"`
}

// DeletePipelineOutput names the deleted pipeline.
type DeletePipelineOutput struct {
	PipelineArn string
}

func (s *Service) deletePipeline(ctx context.Context, in *DeletePipelineInput) (*DeletePipelineOutput, error) {
	var out DeletePipelineOutput
	err := s.store.Update(ctx, func(tx txn) error {
		p, err := s.findPipeline(ctx, tx, in.PipelineName)
		if err != nil {
			return err
		}
		out.PipelineArn = p.ARN
		if err := tx.SetTags(p.ARN, nil); err != nil {
			return err
		}
		return tx.DeletePipeline(p.AccountID, p.Name)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListPipelinesInput filters and pages pipelines.
type ListPipelinesInput struct {
	PipelineNamePrefix *string `min:"1" max:"256" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}"`
	CreatedAfter       *operation.Timestamp
	CreatedBefore      *operation.Timestamp
	SortBy             *string `enum:"Name,CreationTime"`
	SortOrder          *string `enum:"Ascending,Descending"`
	NextToken          *string `max:"8192" pattern:".*"`
	MaxResults         *int    `min:"1" max:"100"`
}

// PipelineSummary is one pipeline of a list.
type PipelineSummary struct {
	PipelineArn         string
	PipelineName        string
	PipelineDisplayName string
	PipelineDescription string `json:",omitempty"`
	RoleArn             string
	CreationTime        *operation.Timestamp
	LastModifiedTime    *operation.Timestamp
	LastExecutionTime   *operation.Timestamp `json:",omitempty"`
}

// ListPipelinesOutput is one page of pipelines.
type ListPipelinesOutput struct {
	PipelineSummaries []PipelineSummary
	NextToken         *string `json:",omitempty"`
}

func (s *Service) listPipelines(ctx context.Context, in *ListPipelinesInput) (*ListPipelinesOutput, error) {
	// The store reads only the page, in the order the request asks, without definitions.
	q := store.PipelinePage{AccountID: caller(ctx).Account, NamePrefix: deref(in.PipelineNamePrefix, ""),
		ByName: in.SortBy != nil && *in.SortBy == "Name", Descending: in.SortOrder == nil || *in.SortOrder != "Ascending"}
	q.CreatedAfter, q.CreatedBefore = timeBounds(in.CreatedAfter, in.CreatedBefore)
	page, next, err := storePage(in.NextToken, in.MaxResults, func(offset, limit int) (page []*store.Pipeline, err error) {
		q.Offset, q.Limit = offset, limit
		err = s.store.View(ctx, func(tx txn) error {
			page, err = tx.ListPipelinePage(q)
			return err
		})
		return page, err
	})
	if err != nil {
		return nil, err
	}
	out := &ListPipelinesOutput{PipelineSummaries: []PipelineSummary{}, NextToken: next}
	for _, p := range page {
		out.PipelineSummaries = append(out.PipelineSummaries, PipelineSummary{
			PipelineArn: p.ARN, PipelineName: p.Name, PipelineDisplayName: p.DisplayName, PipelineDescription: p.Description,
			RoleArn: p.RoleARN, CreationTime: operation.NewTimestamp(p.CreatedAt), LastModifiedTime: operation.NewTimestamp(p.LastModifiedAt),
			LastExecutionTime: operation.NewTimestamp(p.LastRunAt),
		})
	}
	return out, nil
}
