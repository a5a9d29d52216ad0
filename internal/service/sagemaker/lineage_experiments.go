package sagemaker

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Experiments group trials, and trials group trial components (a job, a run of the SDK's
// Run). Trial components are lineage vertices; experiments and trials are not, though
// associations may name experiments.

func (s *Service) experimentOps() []*operation.Operation {
	expName := func(in *ExperimentRef) string { return in.ExperimentName }
	trialName := func(in *TrialRef) string { return in.TrialName }
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateExperimentInput, ExperimentArnOutput]{Name: "CreateExperiment",
			Access: func(ctx context.Context, in *CreateExperimentInput) (*operation.Access, error) {
				return s.createLineageAccess(ctx, store.LineageExperiment, in.ExperimentName, in.Tags)
			}, Handler: s.createExperiment}),
		operation.Declare(operation.Op[ExperimentRef, DescribeExperimentOutput]{Name: "DescribeExperiment",
			Access: lineageAccess(s, store.LineageExperiment, expName), Handler: s.describeExperiment}),
		operation.Declare(operation.Op[ListExperimentsInput, ListExperimentsOutput]{Name: "ListExperiments", Handler: s.listExperiments}),
		operation.Declare(operation.Op[UpdateExperimentInput, ExperimentArnOutput]{Name: "UpdateExperiment",
			Access:  lineageAccess(s, store.LineageExperiment, func(in *UpdateExperimentInput) string { return in.ExperimentName }),
			Handler: s.updateExperiment}),
		operation.Declare(operation.Op[ExperimentRef, ExperimentArnOutput]{Name: "DeleteExperiment",
			Access: lineageAccess(s, store.LineageExperiment, expName), Handler: s.deleteExperiment}),

		operation.Declare(operation.Op[CreateTrialInput, TrialArnOutput]{Name: "CreateTrial",
			Access: func(ctx context.Context, in *CreateTrialInput) (*operation.Access, error) {
				return s.createLineageAccess(ctx, store.LineageTrial, in.TrialName, in.Tags)
			}, Handler: s.createTrial}),
		operation.Declare(operation.Op[TrialRef, DescribeTrialOutput]{Name: "DescribeTrial",
			Access: lineageAccess(s, store.LineageTrial, trialName), Handler: s.describeTrial}),
		operation.Declare(operation.Op[ListTrialsInput, ListTrialsOutput]{Name: "ListTrials", Handler: s.listTrials}),
		operation.Declare(operation.Op[UpdateTrialInput, TrialArnOutput]{Name: "UpdateTrial",
			Access: lineageAccess(s, store.LineageTrial, func(in *UpdateTrialInput) string { return in.TrialName }), Handler: s.updateTrial}),
		operation.Declare(operation.Op[TrialRef, TrialArnOutput]{Name: "DeleteTrial",
			Access: lineageAccess(s, store.LineageTrial, trialName), Handler: s.deleteTrial}),

		operation.Declare(operation.Op[TrialMemberInput, TrialMemberOutput]{Name: "AssociateTrialComponent",
			Access: s.trialMemberAccess, Handler: s.associateTrialComponent}),
		operation.Declare(operation.Op[TrialMemberInput, TrialMemberOutput]{Name: "DisassociateTrialComponent",
			Access: s.trialMemberAccess, Handler: s.disassociateTrialComponent}),
	}
}

// ExperimentSource is the resource an experiment or trial was made for (a pipeline, an
// execution).
type ExperimentSource struct {
	SourceArn  string
	SourceType string `json:",omitempty"`
}

// groupingBody is what an experiment or a trial keeps as JSON.
type groupingBody struct {
	DisplayName        string              `json:",omitempty"`
	Description        string              `json:",omitempty"`
	Source             *ExperimentSource   `json:",omitempty"`
	MetadataProperties *MetadataProperties `json:",omitempty"`
}

// CreateExperimentInput creates an experiment.
type CreateExperimentInput struct {
	ExperimentName string  `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	DisplayName    *string `min:"1" max:"120"`
	Description    *string `max:"3072" pattern:".*"`
	Tags           []Tag   `max:"50"`
}

// Validate checks what the request's constraints cannot say.
func (in *CreateExperimentInput) Validate() error { return sm.CheckTagKeys(in.Tags) }

// ExperimentArnOutput names the experiment a request wrote.
type ExperimentArnOutput struct {
	ExperimentArn string
}

func (s *Service) createExperiment(ctx context.Context, in *CreateExperimentInput) (*ExperimentArnOutput, error) {
	e := s.newLineage(ctx, store.LineageExperiment, in.ExperimentName)
	e.Body = encodeBody(groupingBody{DisplayName: deref(in.DisplayName, in.ExperimentName), Description: deref(in.Description, "")})
	if err := s.store.Update(ctx, func(tx txn) error { return s.createLineage(tx, e, in.Tags, "Experiment") }); err != nil {
		return nil, err
	}
	return &ExperimentArnOutput{ExperimentArn: e.ARN}, nil
}

// ExperimentRef names an experiment.
type ExperimentRef struct {
	ExperimentName string `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
}

// DescribeExperimentOutput describes an experiment.
type DescribeExperimentOutput struct {
	ExperimentName   string
	ExperimentArn    string
	DisplayName      string            `json:",omitempty"`
	Source           *ExperimentSource `json:",omitempty"`
	Description      string            `json:",omitempty"`
	CreationTime     *operation.Timestamp
	CreatedBy        UserContext
	LastModifiedTime *operation.Timestamp
	LastModifiedBy   UserContext
}

// readLineage reads an entity of kind by name in a View, with its body.
func (s *Service) readLineage(ctx context.Context, kind, name, what string, body any) (*store.LineageEntity, error) {
	var e *store.LineageEntity
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		e, err = s.findLineage(tx, s.refLineage(ctx, kind, name), what)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, lineageBody(e, body)
}

func (s *Service) describeExperiment(ctx context.Context, in *ExperimentRef) (*DescribeExperimentOutput, error) {
	var body groupingBody
	e, err := s.readLineage(ctx, store.LineageExperiment, in.ExperimentName, "Experiment", &body)
	if err != nil {
		return nil, err
	}
	return &DescribeExperimentOutput{ExperimentName: e.Name, ExperimentArn: e.ARN, DisplayName: body.DisplayName, Source: body.Source,
		Description: body.Description, CreationTime: operation.NewTimestamp(e.CreatedAt), CreatedBy: userContext(e.CreatedBy),
		LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt), LastModifiedBy: userContext(e.LastModifiedBy)}, nil
}

// ListExperimentsInput filters and pages experiments.
type ListExperimentsInput struct {
	CreatedAfter  *operation.Timestamp
	CreatedBefore *operation.Timestamp
	SortBy        *string `enum:"Name,CreationTime"`
	SortOrder     *string `enum:"Ascending,Descending"`
	NextToken     *string `max:"8192" pattern:".*"`
	MaxResults    *int    `min:"1" max:"100"`
}

// ExperimentSummary is one experiment of a list.
type ExperimentSummary struct {
	ExperimentArn    string
	ExperimentName   string
	DisplayName      string            `json:",omitempty"`
	ExperimentSource *ExperimentSource `json:",omitempty"`
	CreationTime     *operation.Timestamp
	LastModifiedTime *operation.Timestamp
}

// ListExperimentsOutput is one page of experiments.
type ListExperimentsOutput struct {
	ExperimentSummaries []ExperimentSummary
	NextToken           *string `json:",omitempty"`
}

func (s *Service) listExperiments(ctx context.Context, in *ListExperimentsInput) (*ListExperimentsOutput, error) {
	page, next, err := s.listLineage(ctx, store.LineageExperiment, nil, nil, listQuery{CreatedAfter: in.CreatedAfter,
		CreatedBefore: in.CreatedBefore, SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults})
	if err != nil {
		return nil, err
	}
	out := &ListExperimentsOutput{ExperimentSummaries: []ExperimentSummary{}, NextToken: next}
	for _, e := range page {
		var body groupingBody
		if err := lineageBody(e, &body); err != nil {
			return nil, err
		}
		out.ExperimentSummaries = append(out.ExperimentSummaries, ExperimentSummary{ExperimentArn: e.ARN, ExperimentName: e.Name,
			DisplayName: body.DisplayName, ExperimentSource: body.Source, CreationTime: operation.NewTimestamp(e.CreatedAt),
			LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt)})
	}
	return out, nil
}

// UpdateExperimentInput changes an experiment's display name and description.
type UpdateExperimentInput struct {
	ExperimentName string  `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	DisplayName    *string `min:"1" max:"120"`
	Description    *string `max:"3072" pattern:".*"`
}

// updateLineage reads an entity of kind by name, lets change alter it and its body, and
// writes it, in one transaction; it returns the entity's ARN.
func updateLineage[B any](s *Service, ctx context.Context, kind, name, what string, change func(tx txn, e *store.LineageEntity, body *B) error) (string, error) {
	var arn string
	err := s.store.Update(ctx, func(tx txn) error {
		e, err := s.findLineage(tx, s.refLineage(ctx, kind, name), what)
		if err != nil {
			return err
		}
		var body B
		if err := lineageBody(e, &body); err != nil {
			return err
		}
		if err := change(tx, e, &body); err != nil {
			return err
		}
		e.Body, arn = encodeBody(body), e.ARN
		s.modified(ctx, e)
		return tx.UpdateLineageEntity(e)
	})
	return arn, err
}

func (s *Service) updateExperiment(ctx context.Context, in *UpdateExperimentInput) (*ExperimentArnOutput, error) {
	arn, err := updateLineage(s, ctx, store.LineageExperiment, in.ExperimentName, "Experiment", func(_ txn, _ *store.LineageEntity, b *groupingBody) error {
		b.DisplayName, b.Description = deref(in.DisplayName, b.DisplayName), deref(in.Description, b.Description)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ExperimentArnOutput{ExperimentArn: arn}, nil
}

// trialsOf lists the trials of an experiment.
func (s *Service) trialsOf(tx txn, account, experiment string) ([]*store.LineageEntity, error) {
	all, err := tx.ListLineageEntities(account, store.LineageTrial)
	if err != nil {
		return nil, err
	}
	var out []*store.LineageEntity
	for _, t := range all {
		if strings.EqualFold(t.Parent, experiment) {
			out = append(out, t)
		}
	}
	return out, nil
}

func (s *Service) deleteExperiment(ctx context.Context, in *ExperimentRef) (*ExperimentArnOutput, error) {
	arn, err := s.deleteNamed(ctx, store.LineageExperiment, in.ExperimentName, "Experiment", func(tx txn, e *store.LineageEntity) error {
		trials, err := s.trialsOf(tx, e.AccountID, e.Name)
		if err == nil && len(trials) > 0 {
			err = validation("Experiment %s still has %d trial(s); delete them before deleting the experiment.", e.ARN, len(trials))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ExperimentArnOutput{ExperimentArn: arn}, nil
}

// CreateTrialInput creates a trial in an experiment.
type CreateTrialInput struct {
	TrialName          string              `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	DisplayName        *string             `min:"1" max:"120"`
	ExperimentName     string              `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	MetadataProperties *MetadataProperties `json:",omitempty"`
	Tags               []Tag               `max:"50"`
}

// Validate checks what the request's constraints cannot say.
func (in *CreateTrialInput) Validate() error { return sm.CheckTagKeys(in.Tags) }

// TrialArnOutput names the trial a request wrote.
type TrialArnOutput struct {
	TrialArn string
}

func (s *Service) createTrial(ctx context.Context, in *CreateTrialInput) (*TrialArnOutput, error) {
	e := s.newLineage(ctx, store.LineageTrial, in.TrialName)
	e.Body = encodeBody(groupingBody{DisplayName: deref(in.DisplayName, in.TrialName), MetadataProperties: in.MetadataProperties})
	err := s.store.Update(ctx, func(tx txn) error {
		exp, err := s.findLineage(tx, s.refLineage(ctx, store.LineageExperiment, in.ExperimentName), "Experiment")
		if err != nil {
			return err
		}
		e.Parent = exp.Name
		return s.createLineage(tx, e, in.Tags, "Trial")
	})
	if err != nil {
		return nil, err
	}
	return &TrialArnOutput{TrialArn: e.ARN}, nil
}

// TrialRef names a trial.
type TrialRef struct {
	TrialName string `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
}

// DescribeTrialOutput describes a trial.
type DescribeTrialOutput struct {
	TrialName          string
	TrialArn           string
	DisplayName        string `json:",omitempty"`
	ExperimentName     string
	Source             *ExperimentSource `json:",omitempty"`
	CreationTime       *operation.Timestamp
	CreatedBy          UserContext
	LastModifiedTime   *operation.Timestamp
	LastModifiedBy     UserContext
	MetadataProperties *MetadataProperties `json:",omitempty"`
}

func (s *Service) describeTrial(ctx context.Context, in *TrialRef) (*DescribeTrialOutput, error) {
	var body groupingBody
	e, err := s.readLineage(ctx, store.LineageTrial, in.TrialName, "Trial", &body)
	if err != nil {
		return nil, err
	}
	return &DescribeTrialOutput{TrialName: e.Name, TrialArn: e.ARN, DisplayName: body.DisplayName, ExperimentName: e.Parent, Source: body.Source,
		CreationTime: operation.NewTimestamp(e.CreatedAt), CreatedBy: userContext(e.CreatedBy), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt),
		LastModifiedBy: userContext(e.LastModifiedBy), MetadataProperties: body.MetadataProperties}, nil
}

// ListTrialsInput filters and pages trials.
type ListTrialsInput struct {
	ExperimentName     *string `min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	TrialComponentName *string `min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	CreatedAfter       *operation.Timestamp
	CreatedBefore      *operation.Timestamp
	SortBy             *string `enum:"Name,CreationTime"`
	SortOrder          *string `enum:"Ascending,Descending"`
	MaxResults         *int    `min:"1" max:"100"`
	NextToken          *string `max:"8192" pattern:".*"`
}

// TrialSummary is one trial of a list.
type TrialSummary struct {
	TrialArn         string
	TrialName        string
	DisplayName      string            `json:",omitempty"`
	TrialSource      *ExperimentSource `json:",omitempty"`
	CreationTime     *operation.Timestamp
	LastModifiedTime *operation.Timestamp
}

// ListTrialsOutput is one page of trials.
type ListTrialsOutput struct {
	TrialSummaries []TrialSummary
	NextToken      *string `json:",omitempty"`
}

func (s *Service) listTrials(ctx context.Context, in *ListTrialsInput) (*ListTrialsOutput, error) {
	var kept []*store.LineageEntity
	err := s.store.View(ctx, func(tx txn) error {
		account := caller(ctx).Account
		all, err := tx.ListLineageEntities(account, store.LineageTrial)
		if err != nil {
			return err
		}
		var of map[string]bool
		if in.TrialComponentName != nil {
			trials, err := tx.TrialsOf(s.lineageARN(account, store.LineageTrialComponent, *in.TrialComponentName))
			if err != nil {
				return err
			}
			of = map[string]bool{}
			for _, t := range trials {
				of[t] = true
			}
		}
		for _, t := range all {
			if (in.ExperimentName == nil || strings.EqualFold(t.Parent, *in.ExperimentName)) && (of == nil || of[t.ARN]) {
				kept = append(kept, t)
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
	out := &ListTrialsOutput{TrialSummaries: []TrialSummary{}, NextToken: next}
	for _, e := range page {
		var body groupingBody
		if err := lineageBody(e, &body); err != nil {
			return nil, err
		}
		out.TrialSummaries = append(out.TrialSummaries, TrialSummary{TrialArn: e.ARN, TrialName: e.Name, DisplayName: body.DisplayName,
			TrialSource: body.Source, CreationTime: operation.NewTimestamp(e.CreatedAt), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt)})
	}
	return out, nil
}

// UpdateTrialInput changes a trial's display name.
type UpdateTrialInput struct {
	TrialName   string  `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	DisplayName *string `min:"1" max:"120"`
}

func (s *Service) updateTrial(ctx context.Context, in *UpdateTrialInput) (*TrialArnOutput, error) {
	arn, err := updateLineage(s, ctx, store.LineageTrial, in.TrialName, "Trial", func(_ txn, _ *store.LineageEntity, b *groupingBody) error {
		b.DisplayName = deref(in.DisplayName, b.DisplayName)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &TrialArnOutput{TrialArn: arn}, nil
}

func (s *Service) deleteTrial(ctx context.Context, in *TrialRef) (*TrialArnOutput, error) {
	arn, err := s.deleteNamed(ctx, store.LineageTrial, in.TrialName, "Trial", func(tx txn, e *store.LineageEntity) error {
		members, err := tx.TrialMembers(e.ARN)
		if err == nil && len(members) > 0 {
			err = validation("Trial %s still has %d trial component(s); disassociate them before deleting the trial.", e.ARN, len(members))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &TrialArnOutput{TrialArn: arn}, nil
}

// TrialMemberInput names a trial component and a trial.
type TrialMemberInput struct {
	TrialComponentName string `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	TrialName          string `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
}

// TrialMemberOutput names both.
type TrialMemberOutput struct {
	TrialComponentArn string
	TrialArn          string
}

func (s *Service) trialMemberAccess(ctx context.Context, in *TrialMemberInput) (*operation.Access, error) {
	account := caller(ctx).Account
	return &operation.Access{Resources: []operation.Resource{
		{ARN: s.arnAsGiven(account, TrialComponentKind, in.TrialComponentName), Account: account},
		{ARN: s.arnAsGiven(account, TrialKind, in.TrialName), Account: account},
	}}, nil
}

// trialMember reads the trial component and the trial a request names.
func (s *Service) trialMember(ctx context.Context, tx txn, in *TrialMemberInput) (tc, trial *store.LineageEntity, err error) {
	if tc, err = s.findLineage(tx, s.refLineage(ctx, store.LineageTrialComponent, in.TrialComponentName), "Trial component"); err != nil {
		return nil, nil, err
	}
	trial, err = s.findLineage(tx, s.refLineage(ctx, store.LineageTrial, in.TrialName), "Trial")
	return tc, trial, err
}

func (s *Service) associateTrialComponent(ctx context.Context, in *TrialMemberInput) (*TrialMemberOutput, error) {
	out := &TrialMemberOutput{}
	err := s.store.Update(ctx, func(tx txn) error {
		tc, trial, err := s.trialMember(ctx, tx, in)
		if err != nil {
			return err
		}
		out.TrialComponentArn, out.TrialArn = tc.ARN, trial.ARN
		trials, err := tx.TrialsOf(tc.ARN)
		if err != nil || slices.Contains(trials, trial.ARN) {
			return err // associated already: nothing to do
		}
		return tx.AddTrialMember(trial.ARN, tc.ARN, s.now())
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) disassociateTrialComponent(ctx context.Context, in *TrialMemberInput) (*TrialMemberOutput, error) {
	out := &TrialMemberOutput{}
	err := s.store.Update(ctx, func(tx txn) error {
		tc, trial, err := s.trialMember(ctx, tx, in)
		if err != nil {
			return err
		}
		out.TrialComponentArn, out.TrialArn = tc.ARN, trial.ARN
		if err := tx.RemoveTrialMember(trial.ARN, tc.ARN); errors.Is(err, store.ErrNotFound) {
			return notFound("Trial component %s is not associated with trial %s.", tc.ARN, trial.ARN)
		} else {
			return err
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
