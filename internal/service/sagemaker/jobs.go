package sagemaker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// jobKind is one kind of job as the service serves it: the shapes of its four operations
// and the little that differs per kind. declareJobKind turns it into Create…, Describe…,
// List… and Stop…; the flow around these hooks (authorization, limits, tags, ARNs,
// uniqueness, listing) is written once, below. The job itself is run by package jobs, which
// learns of it from the store's commit.
//
// The type parameters are the shapes: Create…Input and its output, the request naming one
// job, Describe…Output, List…Input and List…Output.
type jobKind[Create, Created, Ref, Described, List, Listed any] struct {
	kind sm.JobKind
	// request reads what the flow needs of a Create… request.
	request func(*Create) jobRequest
	// runAs returns the role a new job runs as; nil means the role the request passes.
	runAs func(ctx context.Context, in *Create) (string, error)
	// created is the Create… response for the job with ARN arn.
	created func(arn string) *Created
	// name is the name of the job a request names.
	name func(*Ref) string
	// describe renders a job created with req, in state st.
	describe func(req *Create, st *sm.JobState) *Described
	// query reads a List… request; false means no job can match it.
	query func(*List) (listQuery, bool)
	// listed renders one page of jobs (jobs may be nil: an empty page).
	listed func(jobs []*store.Job, next *string) *Listed
}

// jobRequest is what the flow needs of a Create… request.
type jobRequest struct {
	name string
	tags []Tag
	// role is the role the request passes to the job ("" for none: a transform job runs
	// as its model's role).
	role string
}

// declareJobKind declares the four operations of one kind of job.
func declareJobKind[Create, Created, Ref, Described, List, Listed any](s *Service, k jobKind[Create, Created, Ref, Described, List, Listed]) []*operation.Operation {
	access := func(ctx context.Context, in *Ref) (*operation.Access, error) {
		return s.jobAccess(ctx, k.kind, k.name(in))
	}
	return []*operation.Operation{
		operation.Declare(operation.Op[Create, Created]{
			Name: k.kind.CreateOperation(),
			Access: func(ctx context.Context, in *Create) (*operation.Access, error) {
				return s.createJobAccess(ctx, k.kind, k.request(in)), nil
			},
			Handler: func(ctx context.Context, in *Create) (*Created, error) {
				req := k.request(in)
				role := req.role
				if k.runAs != nil {
					var err error
					if role, err = k.runAs(ctx, in); err != nil {
						return nil, err
					}
				}
				job, err := s.createJob(ctx, k.kind, req.name, role, in, req.tags)
				if err != nil {
					return nil, err
				}
				return k.created(job.ARN), nil
			}}),
		operation.Declare(operation.Op[Ref, Described]{
			Name: k.kind.DescribeOperation(), Access: access,
			Handler: func(ctx context.Context, in *Ref) (*Described, error) {
				job, err := s.findJob(ctx, k.kind, k.name(in))
				if err != nil {
					return nil, err
				}
				var req Create
				if err := json.Unmarshal([]byte(job.Request), &req); err != nil {
					return nil, fmt.Errorf("describe %s: the stored request: %w", job.ARN, err)
				}
				st, err := jobState(job)
				if err != nil {
					return nil, err
				}
				return k.describe(&req, st), nil
			}}),
		operation.Declare(operation.Op[List, Listed]{
			Name: k.kind.ListOperation(),
			Handler: func(ctx context.Context, in *List) (*Listed, error) {
				q, ok := k.query(in)
				if !ok {
					return k.listed(nil, nil), nil
				}
				jobs, next, err := s.listJobs(ctx, k.kind, q)
				if err != nil {
					return nil, err
				}
				return k.listed(jobs, next), nil
			}}),
		operation.Declare(operation.Op[Ref, struct{}]{
			Name: k.kind.StopOperation(), Access: access,
			Handler: func(ctx context.Context, in *Ref) (*struct{}, error) {
				return &struct{}{}, s.stopJob(ctx, k.kind, k.name(in))
			}}),
	}
}

// createJobAccess authorizes creating a job: its ARN with the name as given, the tags it
// is created with, and the role it is passed.
func (s *Service) createJobAccess(ctx context.Context, kind sm.JobKind, req jobRequest) *operation.Access {
	account := caller(ctx).Account
	a := &operation.Access{
		Resources: []operation.Resource{{ARN: s.arnAsGiven(account, string(kind), req.name), Account: account}},
		Context:   requestTagKeys(req.tags),
	}
	if req.role != "" {
		a.PassRoles = []string{req.role}
	}
	return a
}

// jobAccess authorizes an action on an existing job, with the ARN built from the name as
// given (so policies on a job-name prefix match) and the job's tags.
func (s *Service) jobAccess(ctx context.Context, kind sm.JobKind, name string) (*operation.Access, error) {
	account := caller(ctx).Account
	res := operation.Resource{ARN: s.arnAsGiven(account, string(kind), name), Account: account}
	err := s.store.View(ctx, func(tx txn) error {
		tags, err := tx.Tags(s.arn(account, string(kind), name))
		res.Tags = tagMap(tags)
		return err
	})
	return &operation.Access{Resources: []operation.Resource{res}}, err
}

// createJob records a new job, InProgress; the commit is what starts it. The job keeps
// its Create… request as Describe… returns it: without the tags, which belong to the
// resource.
func (s *Service) createJob(ctx context.Context, kind sm.JobKind, name, role string, input any, tags []Tag) (*store.Job, error) {
	request, err := describedRequest(input)
	if err != nil {
		return nil, err
	}
	p := caller(ctx)
	now := s.now()
	job := &store.Job{AccountID: p.Account, Kind: string(kind), Name: name, ARN: s.arn(p.Account, string(kind), name),
		Request: request, Status: string(sm.JobInProgress), RoleARN: role,
		CreatedAt: now, LastModifiedAt: now}
	err = s.store.Update(ctx, func(tx txn) error {
		if _, err := tx.Job(p.Account, string(kind), name); err == nil {
			return inUse("Job name must be unique within an AWS account and region, and a job with this name already exists (%s)", job.ARN)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if s.limits.ConcurrentJobs > 0 {
			running, err := tx.ListJobs(store.JobFilter{AccountID: p.Account, Unfinished: true})
			if err != nil {
				return err
			}
			if len(running) >= s.limits.ConcurrentJobs {
				return limitExceeded("The account-level service limit 'Maximum number of concurrent jobs' is %d, with current utilization of %d jobs.", s.limits.ConcurrentJobs, len(running))
			}
		}
		if err := tx.CreateJob(job); err != nil {
			return err
		}
		if err := s.recordJobLineage(ctx, tx, job, kind, input); err != nil {
			return err
		}
		return tx.SetTags(job.ARN, storeTags(withPipelineTag(ctx, tags)))
	})
	if err != nil {
		return nil, err
	}
	return job, nil
}

// describedRequest is a Create… request as JSON, less its Tags.
func describedRequest(input any) (string, error) {
	raw, err := json.Marshal(input)
	if err != nil {
		return "", fmt.Errorf("encode the request: %w", err)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return "", fmt.Errorf("encode the request: %w", err)
	}
	delete(members, "Tags")
	raw, err = json.Marshal(members)
	return string(raw), err
}

// jobState is the state of a job as its Describe… operation reports it.
func jobState(job *store.Job) (*sm.JobState, error) {
	details, err := sm.ParseJobDetails(job.Details)
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", job.ARN, err)
	}
	return &sm.JobState{ARN: job.ARN, Status: sm.JobStatus(job.Status), FailureReason: job.FailureReason,
		ExitMessage: job.ExitMessage, Secondary: sm.SecondaryStatus(job.Secondary), Details: details,
		CreatedAt: job.CreatedAt, StartedAt: job.StartedAt, EndedAt: job.EndedAt, LastModifiedAt: job.LastModifiedAt}, nil
}

func (s *Service) findJob(ctx context.Context, kind sm.JobKind, name string) (*store.Job, error) {
	var job *store.Job
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		job, err = tx.Job(caller(ctx).Account, string(kind), name)
		if errors.Is(err, store.ErrNotFound) {
			return validation("Could not find requested job with name %s", name)
		}
		return err
	})
	return job, err
}

// stopJob asks a job to stop: it records the job Stopping, and package jobs, seeing the
// change committed, stops the job's run.
func (s *Service) stopJob(ctx context.Context, kind sm.JobKind, name string) error {
	return s.store.Update(ctx, func(tx txn) error {
		job, err := tx.Job(caller(ctx).Account, string(kind), name)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("Could not find requested job with name %s", name)
		}
		if err != nil {
			return err
		}
		switch sm.JobStatus(job.Status) {
		case sm.JobStopping:
			return nil
		case sm.JobInProgress:
		default:
			return validation("The request was rejected because the %s job is in status %s.", strings.ToLower(kind.Noun()), job.Status)
		}
		job.Status, job.LastModifiedAt = string(sm.JobStopping), s.now()
		return tx.UpdateJob(job)
	})
}

// withPipelineTag adds to a job's tags, when a pipeline execution creates it, the tag
// SageMaker puts on such jobs: sagemaker:pipeline-execution-arn, the execution's ARN. It is
// SageMaker's tag, not the request's, so it is not among the tags the request is
// authorized with (aws:TagKeys).
func withPipelineTag(ctx context.Context, tags []Tag) []Tag {
	step, ok := sm.PipelineStepFrom(ctx)
	if !ok || step.ExecutionARN == "" {
		return tags
	}
	out := make([]Tag, 0, len(tags)+1)
	for _, t := range tags {
		if t.Key != sm.PipelineExecutionTag {
			out = append(out, t)
		}
	}
	return append(out, Tag{Key: sm.PipelineExecutionTag, Value: step.ExecutionARN})
}
