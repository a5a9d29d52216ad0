package sagemaker

import (
	"context"
	"errors"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Pipelines across accounts. A request names a pipeline by name — always the caller's own —
// or by ARN, which may be another account's. Another account's pipeline is reached only
// through the resource policy RAM attached to it when it was shared (store.RAMTx
// ResourcePolicy, keyed by the pipeline's canonical ARN, which covers its executions): the
// request is authorized against a resource the owner's account owns with that policy, so the
// caller needs an Allow on both sides, as for any cross-account request. Past authorization
// the handler reads the owner's rows and answers as the owner's account would; work it
// starts runs in the owner's account, as the owner's role.
//
// An unshared pipeline of another account — existing or not — is authorized exactly the same
// way: its canonical ARN, its owner, no policy and no tags. The denial that follows is the
// same, byte for byte, whether the pipeline exists or not.

// pipelineRef is the pipeline a request names.
type pipelineRef struct {
	// Account owns the pipeline; Region is the region its ARN names.
	Account, Region string
	// Name is the pipeline's name as the request gave it.
	Name string
	// Foreign marks another account's pipeline than the caller's.
	Foreign bool
}

// canonical is the pipeline's ARN as SageMaker writes it (the name lowercased): the ARN
// RAM's policy names.
func (r pipelineRef) canonical() string {
	return arn.SageMaker(r.Region, r.Account, "pipeline", r.Name)
}

// asGiven is the pipeline's ARN with its name as the request gave it.
func (r pipelineRef) asGiven() string {
	return arn.SageMakerAsGiven(r.Region, r.Account, "pipeline", r.Name)
}

// refPipeline reads a PipelineName member (PipelineNameOrArn): a pipeline ARN names its
// account and region; anything else is a name in the caller's account and this region.
func (s *Service) refPipeline(ctx context.Context, nameOrARN string) pipelineRef {
	own := caller(ctx).Account
	if a, ok := parseSageMakerARN(nameOrARN); ok {
		if name, ok := strings.CutPrefix(a.Resource, "pipeline/"); ok && name != "" && !strings.Contains(name, "/") {
			return pipelineRef{Account: a.Account, Region: a.Region, Name: name, Foreign: a.Account != own}
		}
	}
	return pipelineRef{Account: own, Region: s.region, Name: nameOrARN}
}

// parseSageMakerARN parses a SageMaker ARN with an account ID.
func parseSageMakerARN(s string) (arn.ARN, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return arn.ARN{}, false
	}
	a, err := arn.Parse(s)
	if err != nil || !strings.HasPrefix(a.Partition, "aws") || a.Service != "sagemaker" || !arn.IsAccountID(a.Account) {
		return arn.ARN{}, false
	}
	return a, true
}

// executionRef is the pipeline execution an ARN names.
type executionRef struct {
	// Given is the ARN as the request gave it.
	Given string
	// Pipeline is the execution's pipeline; ID the execution's id. Both are empty for a
	// string that is not an execution ARN, taken as the caller's own (and not found).
	Pipeline pipelineRef
	ID       string
}

// refExecution reads a PipelineExecutionArn member.
func (s *Service) refExecution(ctx context.Context, executionARN string) executionRef {
	ref := executionRef{Given: executionARN, Pipeline: pipelineRef{Account: caller(ctx).Account, Region: s.region}}
	a, ok := parseSageMakerARN(executionARN)
	if !ok {
		return ref
	}
	rest, ok := strings.CutPrefix(a.Resource, "pipeline/")
	if !ok {
		return ref
	}
	name, id, ok := strings.Cut(rest, "/execution/")
	if !ok || name == "" || id == "" || strings.Contains(name, "/") || strings.Contains(id, "/") {
		return ref
	}
	ref.Pipeline = pipelineRef{Account: a.Account, Region: a.Region, Name: name, Foreign: a.Account != caller(ctx).Account}
	ref.ID = id
	return ref
}

// canonical is the execution's ARN as SageMaker writes it, the key it is stored under.
func (r executionRef) canonical() string {
	if r.ID == "" {
		return r.Given
	}
	return r.Pipeline.canonical() + "/execution/" + r.ID
}

// sharedPolicy returns the policy RAM attached to another account's pipeline, or nil when
// the pipeline is shared with no one.
func sharedPolicy(tx txn, pipelineARN string) ([]byte, error) {
	doc, err := tx.ResourcePolicy(pipelineARN)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return doc, err
}

// pipelineResource is what an action on a pipeline is authorized against. The caller's own
// pipeline is named as the request gave it (so policies on a name prefix match), with its
// tags. Another account's is named by its canonical ARN and owned by that account, with the
// policy RAM attached as its resource policy; its tags count only once it is shared with
// someone, so that nothing about an unshared pipeline tells whether it exists.
func pipelineResource(tx txn, ref pipelineRef) (operation.Resource, error) {
	if !ref.Foreign {
		res := operation.Resource{ARN: ref.asGiven(), Account: ref.Account}
		p, err := tx.Pipeline(ref.Account, ref.Name)
		if errors.Is(err, store.ErrNotFound) {
			return res, nil
		}
		if err != nil {
			return res, err
		}
		tags, err := tx.Tags(p.ARN)
		res.Tags = tagMap(tags)
		return res, err
	}
	res := operation.Resource{ARN: ref.canonical(), Account: ref.Account}
	policy, err := sharedPolicy(tx, res.ARN)
	if err != nil || policy == nil {
		return res, err
	}
	res.Policy = policy
	tags, err := tx.Tags(res.ARN)
	res.Tags = tagMap(tags)
	return res, err
}

// executionResource is what an action on an execution is authorized against: as for its
// pipeline, the caller's own is named as given with its tags; another account's by its
// canonical ARN, with the policy of its pipeline (which covers …/execution/*).
func executionResource(tx txn, ref executionRef) (operation.Resource, error) {
	if !ref.Pipeline.Foreign {
		res := operation.Resource{ARN: ref.Given, Account: ref.Pipeline.Account}
		tags, err := tx.Tags(ref.Given)
		res.Tags = tagMap(tags)
		return res, err
	}
	res := operation.Resource{ARN: ref.canonical(), Account: ref.Pipeline.Account}
	policy, err := sharedPolicy(tx, ref.Pipeline.canonical())
	if err != nil || policy == nil {
		return res, err
	}
	res.Policy = policy
	tags, err := tx.Tags(res.ARN)
	res.Tags = tagMap(tags)
	return res, err
}

// pipelineAccess authorizes an action on the pipeline a request member names (a name or an
// ARN).
func pipelineAccess[In any](s *Service, name func(*In) string) func(context.Context, *In) (*operation.Access, error) {
	return func(ctx context.Context, in *In) (*operation.Access, error) {
		ref := s.refPipeline(ctx, name(in))
		var res operation.Resource
		err := s.store.View(ctx, func(tx txn) error {
			var err error
			res, err = pipelineResource(tx, ref)
			return err
		})
		if err != nil {
			return nil, err
		}
		return &operation.Access{Resources: []operation.Resource{res}}, nil
	}
}

// executionAccess authorizes an action on the execution an ARN names.
func (s *Service) executionAccess(ctx context.Context, executionARN string) (*operation.Access, error) {
	ref := s.refExecution(ctx, executionARN)
	var res operation.Resource
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		res, err = executionResource(tx, ref)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &operation.Access{Resources: []operation.Resource{res}}, nil
}

// findPipeline reads the pipeline a request names, or ResourceNotFound. Another account's
// pipeline is read only once the request was authorized against its policy.
func (s *Service) findPipeline(ctx context.Context, tx txn, nameOrARN string) (*store.Pipeline, error) {
	ref := s.refPipeline(ctx, nameOrARN)
	if ref.Region != s.region {
		return nil, notFound("Pipeline '%s' does not exist.", ref.canonical())
	}
	p, err := tx.Pipeline(ref.Account, ref.Name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && p.Status == "Deleting") {
		return nil, notFound("Pipeline '%s' does not exist.", ref.canonical())
	}
	return p, err
}

// findExecution reads the execution an ARN names, or ResourceNotFound.
func (s *Service) findExecution(ctx context.Context, tx txn, executionARN string) (*store.PipelineExecution, error) {
	ref := s.refExecution(ctx, executionARN)
	if ref.ID == "" || ref.Pipeline.Region != s.region {
		return nil, notFound("Pipeline execution '%s' does not exist.", executionARN)
	}
	e, err := tx.PipelineExecution(ref.canonical())
	if errors.Is(err, store.ErrNotFound) || (err == nil && e.AccountID != ref.Pipeline.Account) {
		return nil, notFound("Pipeline execution '%s' does not exist.", executionARN)
	}
	return e, err
}

// executionModifiedBy is the principal that last changed an execution: the last to stop,
// retry or update it, else the one that started it.
func executionModifiedBy(e *store.PipelineExecution) string {
	if e.LastModifiedBy == "" {
		return e.CreatedBy
	}
	return e.LastModifiedBy
}
