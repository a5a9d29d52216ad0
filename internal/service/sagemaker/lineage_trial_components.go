package sagemaker

import (
	"context"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Trial components: a step of work (a job, a run) with its parameters, input and output
// artifacts; lineage vertices whose type is their source's kind (TrainingJob, ProcessingJob…).

func (s *Service) trialComponentOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateTrialComponentInput, TrialComponentArnOutput]{Name: "CreateTrialComponent",
			Access: func(ctx context.Context, in *CreateTrialComponentInput) (*operation.Access, error) {
				return s.createLineageAccess(ctx, store.LineageTrialComponent, in.TrialComponentName, in.Tags)
			}, Handler: s.createTrialComponent}),
		operation.Declare(operation.Op[TrialComponentRef, DescribeTrialComponentOutput]{Name: "DescribeTrialComponent",
			Access:  lineageAccess(s, store.LineageTrialComponent, func(in *TrialComponentRef) string { return in.TrialComponentName }),
			Handler: s.describeTrialComponent}),
		operation.Declare(operation.Op[ListTrialComponentsInput, ListTrialComponentsOutput]{Name: "ListTrialComponents",
			Handler: s.listTrialComponents}),
		operation.Declare(operation.Op[UpdateTrialComponentInput, TrialComponentArnOutput]{Name: "UpdateTrialComponent",
			Access:  lineageAccess(s, store.LineageTrialComponent, func(in *UpdateTrialComponentInput) string { return in.TrialComponentName }),
			Handler: s.updateTrialComponent}),
		operation.Declare(operation.Op[DeleteTrialComponentInput, TrialComponentArnOutput]{Name: "DeleteTrialComponent",
			Access:  lineageAccess(s, store.LineageTrialComponent, func(in *DeleteTrialComponentInput) string { return in.TrialComponentName }),
			Handler: s.deleteTrialComponent}),
	}
}

// TrialComponentStatus is a trial component's status.
type TrialComponentStatus struct {
	PrimaryStatus string `json:",omitempty" enum:"InProgress,Completed,Failed,Stopping,Stopped"`
	Message       string `json:",omitempty" max:"1024" pattern:".*"`
}

// TrialComponentParameterValue is a parameter: a string or a number.
type TrialComponentParameterValue struct {
	StringValue *string  `json:",omitempty" max:"2500" pattern:".*"`
	NumberValue *float64 `json:",omitempty"`
}

// TrialComponentArtifact is an input or output of a trial component.
type TrialComponentArtifact struct {
	MediaType string `json:",omitempty" max:"64" pattern:"[-\\w]+\\/[-\\w+]+"`
	Value     string `required:"true" max:"2048" pattern:".*"`
}

// TrialComponentSource is the resource (a job) a trial component tracks.
type TrialComponentSource = ExperimentSource

// trialComponentBody is what a trial component keeps as JSON.
type trialComponentBody struct {
	DisplayName        string                                  `json:",omitempty"`
	Source             *TrialComponentSource                   `json:",omitempty"`
	Status             *TrialComponentStatus                   `json:",omitempty"`
	StartTime          *operation.Timestamp                    `json:",omitempty"`
	EndTime            *operation.Timestamp                    `json:",omitempty"`
	Parameters         map[string]TrialComponentParameterValue `json:",omitempty"`
	InputArtifacts     map[string]TrialComponentArtifact       `json:",omitempty"`
	OutputArtifacts    map[string]TrialComponentArtifact       `json:",omitempty"`
	MetadataProperties *MetadataProperties                     `json:",omitempty"`
}

// CreateTrialComponentInput creates a trial component.
type CreateTrialComponentInput struct {
	TrialComponentName string                                  `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	DisplayName        *string                                 `min:"1" max:"120"`
	Status             *TrialComponentStatus                   `json:",omitempty"`
	StartTime          *operation.Timestamp                    `json:",omitempty"`
	EndTime            *operation.Timestamp                    `json:",omitempty"`
	Parameters         map[string]TrialComponentParameterValue `max:"300" keyMax:"320" keyPattern:".*"`
	InputArtifacts     map[string]TrialComponentArtifact       `max:"60" keyMax:"128" keyPattern:".*"`
	OutputArtifacts    map[string]TrialComponentArtifact       `max:"60" keyMax:"128" keyPattern:".*"`
	MetadataProperties *MetadataProperties                     `json:",omitempty"`
	Tags               []Tag                                   `max:"50"`
}

// Validate checks what the request's constraints cannot say.
func (in *CreateTrialComponentInput) Validate() error { return sm.CheckTagKeys(in.Tags) }

// TrialComponentArnOutput names the trial component a request wrote.
type TrialComponentArnOutput struct {
	TrialComponentArn string
}

func (s *Service) createTrialComponent(ctx context.Context, in *CreateTrialComponentInput) (*TrialComponentArnOutput, error) {
	e := s.newLineage(ctx, store.LineageTrialComponent, in.TrialComponentName)
	body := trialComponentBody{DisplayName: deref(in.DisplayName, in.TrialComponentName), Status: in.Status, StartTime: in.StartTime,
		EndTime: in.EndTime, Parameters: in.Parameters, InputArtifacts: in.InputArtifacts, OutputArtifacts: in.OutputArtifacts,
		MetadataProperties: in.MetadataProperties}
	if in.Status != nil {
		e.Status = in.Status.PrimaryStatus
	}
	e.Body = encodeBody(body)
	err := s.store.Update(ctx, func(tx txn) error { return s.createLineage(tx, e, in.Tags, "TrialComponent") })
	if err != nil {
		return nil, err
	}
	return &TrialComponentArnOutput{TrialComponentArn: e.ARN}, nil
}

// TrialComponentRef names a trial component by name or ARN.
type TrialComponentRef struct {
	TrialComponentName string `required:"true" min:"1" max:"256" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial|experiment-trial-component|artifact|action|context)\\/)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,119})"`
}

// DescribeTrialComponentOutput describes a trial component.
type DescribeTrialComponentOutput struct {
	TrialComponentName string
	TrialComponentArn  string
	DisplayName        string                `json:",omitempty"`
	Source             *TrialComponentSource `json:",omitempty"`
	Status             *TrialComponentStatus `json:",omitempty"`
	StartTime          *operation.Timestamp  `json:",omitempty"`
	EndTime            *operation.Timestamp  `json:",omitempty"`
	CreationTime       *operation.Timestamp
	CreatedBy          UserContext
	LastModifiedTime   *operation.Timestamp
	LastModifiedBy     UserContext
	Parameters         map[string]TrialComponentParameterValue
	InputArtifacts     map[string]TrialComponentArtifact
	OutputArtifacts    map[string]TrialComponentArtifact
	MetadataProperties *MetadataProperties `json:",omitempty"`
	Metrics            []struct{}
	LineageGroupArn    string
}

func (s *Service) describeTrialComponent(ctx context.Context, in *TrialComponentRef) (*DescribeTrialComponentOutput, error) {
	var b trialComponentBody
	e, err := s.readLineage(ctx, store.LineageTrialComponent, in.TrialComponentName, "TrialComponent", &b)
	if err != nil {
		return nil, err
	}
	if err := s.store.View(ctx, func(tx txn) error { return s.followJob(tx, e, &b) }); err != nil {
		return nil, err
	}
	out := &DescribeTrialComponentOutput{TrialComponentName: e.Name, TrialComponentArn: e.ARN, DisplayName: b.DisplayName, Source: b.Source,
		Status: b.Status, StartTime: b.StartTime, EndTime: b.EndTime, CreationTime: operation.NewTimestamp(e.CreatedAt),
		CreatedBy: userContext(e.CreatedBy), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt), LastModifiedBy: userContext(e.LastModifiedBy),
		Parameters: b.Parameters, InputArtifacts: b.InputArtifacts, OutputArtifacts: b.OutputArtifacts, MetadataProperties: b.MetadataProperties,
		Metrics: []struct{}{}, LineageGroupArn: s.lineageGroupOf(e)}
	if out.Parameters == nil {
		out.Parameters = map[string]TrialComponentParameterValue{}
	}
	if out.InputArtifacts == nil {
		out.InputArtifacts = map[string]TrialComponentArtifact{}
	}
	if out.OutputArtifacts == nil {
		out.OutputArtifacts = map[string]TrialComponentArtifact{}
	}
	return out, nil
}

// ListTrialComponentsInput filters and pages trial components.
type ListTrialComponentsInput struct {
	ExperimentName *string `min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	TrialName      *string `min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	SourceArn      *string `max:"256"`
	CreatedAfter   *operation.Timestamp
	CreatedBefore  *operation.Timestamp
	SortBy         *string `enum:"Name,CreationTime"`
	SortOrder      *string `enum:"Ascending,Descending"`
	MaxResults     *int    `min:"1" max:"100"`
	NextToken      *string `max:"8192" pattern:".*"`
}

// TrialComponentSummary is one trial component of a list.
type TrialComponentSummary struct {
	TrialComponentName   string
	TrialComponentArn    string
	DisplayName          string                `json:",omitempty"`
	TrialComponentSource *TrialComponentSource `json:",omitempty"`
	Status               *TrialComponentStatus `json:",omitempty"`
	StartTime            *operation.Timestamp  `json:",omitempty"`
	EndTime              *operation.Timestamp  `json:",omitempty"`
	CreationTime         *operation.Timestamp
	CreatedBy            UserContext
	LastModifiedTime     *operation.Timestamp
	LastModifiedBy       UserContext
}

// ListTrialComponentsOutput is one page of trial components.
type ListTrialComponentsOutput struct {
	TrialComponentSummaries []TrialComponentSummary
	NextToken               *string `json:",omitempty"`
}

// Validate refuses what SageMaker refuses: an experiment and a trial together.
func (in *ListTrialComponentsInput) Validate() error {
	if in.ExperimentName != nil && in.TrialName != nil {
		return validation("Only one of ExperimentName or TrialName may be specified.")
	}
	return nil
}

// membersOf is the set of trial components of the trials named, or nil when no trial
// is named.
func (s *Service) membersOf(tx txn, account string, in *ListTrialComponentsInput) (map[string]bool, error) {
	var trials []string
	switch {
	case in.TrialName != nil:
		trials = []string{s.lineageARN(account, store.LineageTrial, *in.TrialName)}
	case in.ExperimentName != nil:
		ts, err := s.trialsOf(tx, account, *in.ExperimentName)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			trials = append(trials, t.ARN)
		}
	default:
		return nil, nil
	}
	members := map[string]bool{}
	for _, t := range trials {
		ms, err := tx.TrialMembers(t)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			members[m] = true
		}
	}
	return members, nil
}

func (s *Service) listTrialComponents(ctx context.Context, in *ListTrialComponentsInput) (*ListTrialComponentsOutput, error) {
	var kept []*store.LineageEntity
	err := s.store.View(ctx, func(tx txn) error {
		account := caller(ctx).Account
		all, err := tx.ListLineageEntities(account, store.LineageTrialComponent)
		if err != nil {
			return err
		}
		members, err := s.membersOf(tx, account, in)
		if err != nil {
			return err
		}
		for _, e := range all {
			if (members == nil || members[e.ARN]) && (in.SourceArn == nil || e.SourceURI == *in.SourceArn) {
				kept = append(kept, e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	page, next, err := entityListing.list(kept, listQuery{CreatedAfter: in.CreatedAfter, CreatedBefore: in.CreatedBefore,
		SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults})
	if err != nil {
		return nil, err
	}
	out := &ListTrialComponentsOutput{TrialComponentSummaries: []TrialComponentSummary{}, NextToken: next}
	err = s.store.View(ctx, func(tx txn) error {
		for _, e := range page {
			var b trialComponentBody
			if err := lineageBody(e, &b); err != nil {
				return err
			}
			if err := s.followJob(tx, e, &b); err != nil {
				return err
			}
			out.TrialComponentSummaries = append(out.TrialComponentSummaries, TrialComponentSummary{TrialComponentName: e.Name,
				TrialComponentArn: e.ARN, DisplayName: b.DisplayName, TrialComponentSource: b.Source, Status: b.Status, StartTime: b.StartTime,
				EndTime: b.EndTime, CreationTime: operation.NewTimestamp(e.CreatedAt), CreatedBy: userContext(e.CreatedBy),
				LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt), LastModifiedBy: userContext(e.LastModifiedBy)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateTrialComponentInput changes a trial component: maps are merged, then the keys to
// remove are removed.
type UpdateTrialComponentInput struct {
	TrialComponentName      string                                  `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	DisplayName             *string                                 `min:"1" max:"120"`
	Status                  *TrialComponentStatus                   `json:",omitempty"`
	StartTime               *operation.Timestamp                    `json:",omitempty"`
	EndTime                 *operation.Timestamp                    `json:",omitempty"`
	Parameters              map[string]TrialComponentParameterValue `max:"300" keyMax:"320" keyPattern:".*"`
	ParametersToRemove      []string                                `memberMax:"256" memberPattern:".*"`
	InputArtifacts          map[string]TrialComponentArtifact       `max:"60" keyMax:"128" keyPattern:".*"`
	InputArtifactsToRemove  []string                                `memberMax:"256" memberPattern:".*"`
	OutputArtifacts         map[string]TrialComponentArtifact       `max:"60" keyMax:"128" keyPattern:".*"`
	OutputArtifactsToRemove []string                                `memberMax:"256" memberPattern:".*"`
}

// merge adds set to m and removes the keys of remove.
func merge[V any](m map[string]V, set map[string]V, remove []string) map[string]V {
	if m == nil {
		m = map[string]V{}
	}
	for k, v := range set {
		m[k] = v
	}
	for _, k := range remove {
		delete(m, k)
	}
	return m
}

func (s *Service) updateTrialComponent(ctx context.Context, in *UpdateTrialComponentInput) (*TrialComponentArnOutput, error) {
	arn, err := updateLineage(s, ctx, store.LineageTrialComponent, in.TrialComponentName, "TrialComponent",
		func(_ txn, e *store.LineageEntity, b *trialComponentBody) error {
			b.DisplayName = deref(in.DisplayName, b.DisplayName)
			if in.Status != nil {
				b.Status, e.Status = in.Status, in.Status.PrimaryStatus
			}
			if in.StartTime != nil {
				b.StartTime = in.StartTime
			}
			if in.EndTime != nil {
				b.EndTime = in.EndTime
			}
			b.Parameters = merge(b.Parameters, in.Parameters, in.ParametersToRemove)
			b.InputArtifacts = merge(b.InputArtifacts, in.InputArtifacts, in.InputArtifactsToRemove)
			b.OutputArtifacts = merge(b.OutputArtifacts, in.OutputArtifacts, in.OutputArtifactsToRemove)
			if len(b.Parameters) > 300 || len(b.InputArtifacts) > 60 || len(b.OutputArtifacts) > 60 {
				return limitExceeded("Trial component %s would exceed 300 parameters or 60 input or output artifacts.", e.ARN)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return &TrialComponentArnOutput{TrialComponentArn: arn}, nil
}

// DeleteTrialComponentInput deletes a trial component.
type DeleteTrialComponentInput struct {
	TrialComponentName string `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
}

func (s *Service) deleteTrialComponent(ctx context.Context, in *DeleteTrialComponentInput) (*TrialComponentArnOutput, error) {
	arn, err := s.deleteNamed(ctx, store.LineageTrialComponent, in.TrialComponentName, "TrialComponent", func(tx txn, e *store.LineageEntity) error {
		trials, err := tx.TrialsOf(e.ARN)
		if err == nil && len(trials) > 0 {
			err = validation("Trial component %s is associated with %d trial(s); disassociate it before deleting it.", e.ARN, len(trials))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &TrialComponentArnOutput{TrialComponentArn: arn}, nil
}
