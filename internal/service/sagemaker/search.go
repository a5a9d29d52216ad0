package sagemaker

import (
	"context"
	"errors"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Search finds pipelines and pipeline executions. By default it searches the caller's own
// account, whose resources sagemaker:Search on "*" covers, as in AWS. With
// CrossAccountFilterOption CrossAccount it searches what other accounts shared with the
// caller instead: every pipeline RAM attached a policy to is a candidate, and each one that
// matches is authorized for sagemaker:Search against its owner's policy, as a request
// naming it would be. Nothing else records what is shared with whom.

func (s *Service) searchOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[SearchInput, SearchOutput]{Name: "Search", Handler: s.search}),
	}
}

// SearchInput is the model's SearchRequest.
type SearchInput struct {
	Resource                 string `required:"true" enum:"TrainingJob,Experiment,ExperimentTrial,ExperimentTrialComponent,Endpoint,Model,ModelPackage,ModelPackageGroup,Pipeline,PipelineExecution,FeatureGroup,FeatureMetadata,Image,ImageVersion,Project,HyperParameterTuningJob,ModelCard,PipelineVersion"`
	SearchExpression         *SearchExpression
	SortBy                   *string               `min:"1" max:"255" pattern:".+"`
	SortOrder                *string               `enum:"Ascending,Descending"`
	NextToken                *string               `max:"8192" pattern:".*"`
	MaxResults               *int                  `min:"1" max:"100"`
	CrossAccountFilterOption *string               `enum:"SameAccount,CrossAccount"`
	VisibilityConditions     []VisibilityCondition `min:"1" max:"5"`
}

// SearchExpression is a Boolean combination of filters, nested filters and expressions.
type SearchExpression struct {
	Filters        []SearchFilter     `min:"1" max:"20"`
	NestedFilters  []NestedFilters    `min:"1" max:"20"`
	SubExpressions []SearchExpression `min:"1" max:"20"`
	Operator       *string            `enum:"And,Or"`
}

// SearchFilter is the model's Filter: a property, an operator and a value.
type SearchFilter struct {
	Name     string  `required:"true" min:"1" max:"255" pattern:".+"`
	Operator *string `enum:"Equals,NotEquals,GreaterThan,GreaterThanOrEqualTo,LessThan,LessThanOrEqualTo,Contains,Exists,NotExists,In"`
	Value    *string `min:"1" max:"1024" pattern:".+"`
}

// NestedFilters are filters one element of a list property must satisfy together.
type NestedFilters struct {
	NestedPropertyName string         `required:"true" min:"1" max:"255" pattern:".+"`
	Filters            []SearchFilter `required:"true" min:"1" max:"20"`
}

// VisibilityCondition limits results to resources with a tag.
type VisibilityCondition struct {
	Key   *string `min:"1" max:"128" pattern:"([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"`
	Value *string `max:"256" pattern:"([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"`
}

// SearchOutput is one page of results.
type SearchOutput struct {
	Results   []SearchRecord
	NextToken *string `json:",omitempty"`
}

// SearchRecord is one result; one member is set, after the Resource searched.
type SearchRecord struct {
	Pipeline          *PipelineRecord          `json:",omitempty"`
	PipelineExecution *PipelineExecutionRecord `json:",omitempty"`
	TrialComponent    *TrialComponentRecord    `json:",omitempty"`
}

// PipelineRecord is the model's Pipeline shape.
type PipelineRecord struct {
	PipelineArn              string
	PipelineName             string
	PipelineDisplayName      string
	PipelineDescription      string `json:",omitempty"`
	RoleArn                  string
	PipelineStatus           string
	CreationTime             *operation.Timestamp
	LastModifiedTime         *operation.Timestamp
	LastRunTime              *operation.Timestamp `json:",omitempty"`
	CreatedBy                UserContext
	LastModifiedBy           UserContext
	ParallelismConfiguration *ParallelismConfiguration `json:",omitempty"`
	Tags                     []Tag
}

// PipelineExecutionRecord is the model's PipelineExecution shape.
type PipelineExecutionRecord struct {
	PipelineArn                  string
	PipelineExecutionArn         string
	PipelineExecutionDisplayName string
	PipelineExecutionStatus      string
	PipelineExecutionDescription string                    `json:",omitempty"`
	PipelineExperimentConfig     *PipelineExperimentConfig `json:",omitempty"`
	FailureReason                string                    `json:",omitempty"`
	CreationTime                 *operation.Timestamp
	LastModifiedTime             *operation.Timestamp
	CreatedBy                    UserContext
	LastModifiedBy               UserContext
	ParallelismConfiguration     *ParallelismConfiguration `json:",omitempty"`
	PipelineParameters           []Parameter
}

// searchHit is one candidate result.
type searchHit struct {
	arn    string
	doc    *searchDoc
	record SearchRecord
	// resource is what Search is authorized against for another account's resource.
	resource operation.Resource
}

// candidatePipeline is a pipeline Search may return, with the policy RAM attached to it
// when it is another account's.
type candidatePipeline struct {
	pipeline *store.Pipeline
	policy   []byte
}

func (s *Service) search(ctx context.Context, in *SearchInput) (*SearchOutput, error) {
	var schema *searchSchema
	switch in.Resource {
	case "Pipeline":
		schema = pipelineSchema()
	case "PipelineExecution":
		schema = executionSchema()
	case "ExperimentTrialComponent":
		schema = trialComponentSchema()
	default:
		return nil, validation("Search over %s is not supported: Cairn searches Pipeline, PipelineExecution and ExperimentTrialComponent.", in.Resource)
	}
	var cond condition = allOf(nil)
	if in.SearchExpression != nil {
		var err error
		if cond, err = compileExpression(schema, in.SearchExpression); err != nil {
			return nil, err
		}
	}
	visible, err := visibilityConditions(in.VisibilityConditions)
	if err != nil {
		return nil, err
	}
	sortBy, kind := "LastModifiedTime", timeProp
	if in.SortBy != nil {
		var ok bool
		if kind, ok = schema.kindOf(*in.SortBy); !ok {
			return nil, validation("%s is not a sortable property of %s. SortBy may name %s.", *in.SortBy, schema.Resource, schema.names())
		}
		sortBy = *in.SortBy
	}
	descending := in.SortOrder == nil || *in.SortOrder == "Descending"
	cross := in.CrossAccountFilterOption != nil && *in.CrossAccountFilterOption == "CrossAccount"

	var hits []searchHit
	err = s.store.View(ctx, func(tx txn) error {
		if schema.Resource == "ExperimentTrialComponent" {
			// Trial components are searched in the caller's account.
			if !cross {
				hits, err = s.trialComponentHits(tx, caller(ctx).Account)
			}
			return err
		}
		candidates, err := s.searchCandidates(ctx, tx, cross)
		if err != nil {
			return err
		}
		if schema.Resource == "Pipeline" {
			hits, err = pipelineHits(tx, candidates)
		} else {
			hits, err = executionHits(tx, candidates)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// Filter first, then authorize what matched: the same answer, fewer evaluations.
	matched := hits[:0]
	for _, h := range hits {
		if !cond.match(h.doc) || !visible.match(h.doc) {
			continue
		}
		if cross {
			ok, err := operation.Allowed(ctx, &operation.Access{Action: "sagemaker:Search", Resources: []operation.Resource{h.resource}})
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		matched = append(matched, h)
	}
	sortDocs(matched, sortBy, kind, descending)
	page, next, err := pageOf(matched, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &SearchOutput{Results: []SearchRecord{}, NextToken: next}
	for _, h := range page {
		out.Results = append(out.Results, h.record)
	}
	return out, nil
}

// visibilityConditions compiles VisibilityConditions: each names a tag ("Tags.<key>") the
// resource must carry, with the value when one is given.
func visibilityConditions(list []VisibilityCondition) (allOf, error) {
	var out allOf
	for i, v := range list {
		if v.Key == nil || !strings.HasPrefix(*v.Key, "Tags.") || len(*v.Key) == len("Tags.") {
			key := ""
			if v.Key != nil {
				key = *v.Key
			}
			return nil, validation("VisibilityConditions.%d has Key '%s'; a visibility condition's key must start with Tags. and name a tag.", i+1, key)
		}
		f := &filterCond{name: *v.Key, kind: textProp, op: "Exists"}
		if v.Value != nil {
			f.op, f.val.s = "Equals", *v.Value
		}
		out = append(out, f)
	}
	return out, nil
}

// searchCandidates returns the pipelines a search looks at: the caller's own, or — across
// accounts — every other account's pipeline RAM attached a policy to, with that policy.
func (s *Service) searchCandidates(ctx context.Context, tx txn, cross bool) ([]candidatePipeline, error) {
	account := caller(ctx).Account
	var out []candidatePipeline
	if !cross {
		all, err := tx.ListPipelines(account)
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			if p.Status != "Deleting" {
				out = append(out, candidatePipeline{pipeline: p})
			}
		}
		return out, nil
	}
	prefix := "arn:aws:sagemaker:" + s.region + ":"
	page := store.Page{Limit: 500}
	for {
		policies, err := tx.ListResourcePolicies(prefix, page)
		if err != nil {
			return nil, err
		}
		for _, rp := range policies {
			ref, ok := sharedPipelineRef(rp.ResourceARN)
			if !ok || ref.Account == account {
				continue
			}
			p, err := tx.PipelineSummary(ref.Account, ref.Name) // a search reads no definition
			if errors.Is(err, store.ErrNotFound) || err == nil && p.Status == "Deleting" {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, candidatePipeline{pipeline: p, policy: rp.Policy})
		}
		if len(policies) < page.Limit {
			return out, nil
		}
		page.After = policies[len(policies)-1].ResourceARN
	}
}

// sharedPipelineRef reads the ARN of a shared resource as a pipeline's, if it is one.
func sharedPipelineRef(resourceARN string) (pipelineRef, bool) {
	a, ok := parseSageMakerARN(resourceARN)
	if !ok {
		return pipelineRef{}, false
	}
	name, ok := strings.CutPrefix(a.Resource, "pipeline/")
	if !ok || name == "" || strings.Contains(name, "/") {
		return pipelineRef{}, false
	}
	return pipelineRef{Account: a.Account, Region: a.Region, Name: name}, true
}

// pipelineHits makes each candidate a Pipeline result.
func pipelineHits(tx txn, candidates []candidatePipeline) ([]searchHit, error) {
	hits := make([]searchHit, 0, len(candidates))
	for _, c := range candidates {
		p := c.pipeline
		tags, err := tx.Tags(p.ARN)
		if err != nil {
			return nil, err
		}
		rec := &PipelineRecord{
			PipelineArn: p.ARN, PipelineName: p.Name, PipelineDisplayName: p.DisplayName, PipelineDescription: p.Description,
			RoleArn: p.RoleARN, PipelineStatus: p.Status, CreationTime: operation.NewTimestamp(p.CreatedAt),
			LastModifiedTime: operation.NewTimestamp(p.LastModifiedAt), LastRunTime: operation.NewTimestamp(p.LastRunAt),
			CreatedBy: userContext(p.CreatedBy), LastModifiedBy: userContext(p.LastModifiedBy), Tags: wireTags(tags),
		}
		if p.MaxParallelSteps > 0 {
			rec.ParallelismConfiguration = &ParallelismConfiguration{MaxParallelExecutionSteps: p.MaxParallelSteps}
		}
		d := newSearchDoc()
		d.setText("PipelineArn", p.ARN)
		d.setText("PipelineName", p.Name)
		d.setText("PipelineDisplayName", p.DisplayName)
		d.setText("PipelineDescription", p.Description)
		d.setText("RoleArn", p.RoleARN)
		d.setText("PipelineStatus", p.Status)
		d.setText("CreatedBy.IamIdentity.Arn", p.CreatedBy)
		d.setText("LastModifiedBy.IamIdentity.Arn", p.LastModifiedBy)
		d.setTime("CreationTime", p.CreatedAt)
		d.setTime("LastModifiedTime", p.LastModifiedAt)
		d.setTime("LastRunTime", p.LastRunAt)
		d.setNumber("ParallelismConfiguration.MaxParallelExecutionSteps", float64(p.MaxParallelSteps))
		addTags(d, tags)
		hits = append(hits, searchHit{arn: p.ARN, doc: d, record: SearchRecord{Pipeline: rec},
			resource: operation.Resource{ARN: p.ARN, Account: p.AccountID, Policy: c.policy, Tags: tagMap(tags)}})
	}
	return hits, nil
}

// executionHits makes each execution of the candidates a PipelineExecution result.
func executionHits(tx txn, candidates []candidatePipeline) ([]searchHit, error) {
	var hits []searchHit
	for _, c := range candidates {
		execs, err := tx.ListPipelineExecutions(c.pipeline.ARN)
		if err != nil {
			return nil, err
		}
		for _, e := range execs {
			if e.AccountID != c.pipeline.AccountID {
				continue
			}
			tags, err := tx.Tags(e.ARN)
			if err != nil {
				return nil, err
			}
			modifiedBy := executionModifiedBy(e)
			rec := &PipelineExecutionRecord{
				PipelineArn: e.PipelineARN, PipelineExecutionArn: e.ARN, PipelineExecutionDisplayName: e.DisplayName,
				PipelineExecutionStatus: e.Status, PipelineExecutionDescription: e.Description, FailureReason: e.FailureReason,
				CreationTime: operation.NewTimestamp(e.CreatedAt), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt),
				CreatedBy: userContext(e.CreatedBy), LastModifiedBy: userContext(modifiedBy), PipelineParameters: []Parameter{},
			}
			if e.ExperimentName != "" || e.TrialName != "" {
				rec.PipelineExperimentConfig = &PipelineExperimentConfig{ExperimentName: e.ExperimentName, TrialName: e.TrialName}
			}
			if e.MaxParallelSteps > 0 {
				rec.ParallelismConfiguration = &ParallelismConfiguration{MaxParallelExecutionSteps: e.MaxParallelSteps}
			}
			d := newSearchDoc()
			d.setText("PipelineArn", e.PipelineARN)
			d.setText("PipelineExecutionArn", e.ARN)
			d.setText("PipelineExecutionDisplayName", e.DisplayName)
			d.setText("PipelineExecutionStatus", e.Status)
			d.setText("PipelineExecutionDescription", e.Description)
			d.setText("FailureReason", e.FailureReason)
			d.setText("PipelineExperimentConfig.ExperimentName", e.ExperimentName)
			d.setText("PipelineExperimentConfig.TrialName", e.TrialName)
			d.setText("CreatedBy.IamIdentity.Arn", e.CreatedBy)
			d.setText("LastModifiedBy.IamIdentity.Arn", modifiedBy)
			d.setTime("CreationTime", e.CreatedAt)
			d.setTime("LastModifiedTime", e.LastModifiedAt)
			d.setNumber("ParallelismConfiguration.MaxParallelExecutionSteps", float64(e.MaxParallelSteps))
			for _, p := range e.Parameters {
				rec.PipelineParameters = append(rec.PipelineParameters, Parameter{Name: p.Name, Value: p.Value})
				d.setText("PipelineParameters."+p.Name, p.Value)
				d.Lists["PipelineParameters"] = append(d.Lists["PipelineParameters"],
					map[string]string{"PipelineParameters.Name": p.Name, "PipelineParameters.Value": p.Value})
			}
			addTags(d, tags)
			hits = append(hits, searchHit{arn: e.ARN, doc: d, record: SearchRecord{PipelineExecution: rec},
				resource: operation.Resource{ARN: e.ARN, Account: e.AccountID, Policy: c.policy, Tags: tagMap(tags)}})
		}
	}
	return hits, nil
}

// addTags puts a resource's tags in its document: Tags.<key>, and the Tags list.
func addTags(d *searchDoc, tags []store.Tag) {
	for _, t := range tags {
		d.Values["Tags."+t.Key] = searchValue{s: t.Value}
		d.Lists["Tags"] = append(d.Lists["Tags"], map[string]string{"Tags.Key": t.Key, "Tags.Value": t.Value})
	}
}
