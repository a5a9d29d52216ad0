package sagemaker

import (
	"context"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// transformOps declares transform jobs, a line of the job-kind table. A transform job
// passes no role: it runs as its model's execution role, as in SageMaker.
func (s *Service) transformOps() []*operation.Operation {
	return declareJobKind(s, jobKind[sm.CreateTransformJobInput, sm.CreateTransformJobOutput, TransformJobRef,
		sm.DescribeTransformJobOutput, ListTransformJobsInput, ListTransformJobsOutput]{
		kind: sm.TransformJob,
		request: func(in *sm.CreateTransformJobInput) jobRequest {
			return jobRequest{name: in.TransformJobName, tags: in.Tags}
		},
		runAs: s.modelRole,
		created: func(arn string) *sm.CreateTransformJobOutput {
			return &sm.CreateTransformJobOutput{TransformJobArn: arn}
		},
		name:     func(in *TransformJobRef) string { return in.TransformJobName },
		describe: sm.DescribeTransformJob,
		query:    func(in *ListTransformJobsInput) (listQuery, bool) { return in.query(), true },
		listed: func(jobs []*store.Job, next *string) *ListTransformJobsOutput {
			out := &ListTransformJobsOutput{TransformJobSummaries: []TransformJobSummary{}, NextToken: next}
			for _, j := range jobs {
				out.TransformJobSummaries = append(out.TransformJobSummaries, TransformJobSummary{
					TransformJobName: j.Name, TransformJobArn: j.ARN, CreationTime: operation.NewTimestamp(j.CreatedAt),
					TransformEndTime: operation.NewTimestamp(j.EndedAt), LastModifiedTime: operation.NewTimestamp(j.LastModifiedAt),
					TransformJobStatus: j.Status, FailureReason: j.FailureReason,
				})
			}
			return out
		},
	})
}

// modelRole is the role a transform job runs as: its model's execution role.
func (s *Service) modelRole(ctx context.Context, in *sm.CreateTransformJobInput) (string, error) {
	var model *store.Model
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		model, err = s.findModel(ctx, tx, in.ModelName)
		return err
	})
	if err != nil {
		return "", err
	}
	if model.RoleARN == "" {
		return "", validation("Model %q has no ExecutionRoleArn; a transform job reads and writes S3 as its model's execution role.", model.ARN)
	}
	return model.RoleARN, nil
}

// TransformJobRef names a transform job.
type TransformJobRef struct {
	TransformJobName string `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
}

// ListTransformJobsInput filters and pages transform jobs.
type ListTransformJobsInput struct {
	CreationTimeAfter      *operation.Timestamp
	CreationTimeBefore     *operation.Timestamp
	LastModifiedTimeAfter  *operation.Timestamp
	LastModifiedTimeBefore *operation.Timestamp
	NameContains           *string `max:"63" pattern:"[a-zA-Z0-9\\-]+"`
	StatusEquals           *string `enum:"InProgress,Completed,Failed,Stopping,Stopped"`
	SortBy                 *string `enum:"Name,CreationTime,Status"`
	SortOrder              *string `enum:"Ascending,Descending"`
	NextToken              *string `max:"8192" pattern:".*"`
	MaxResults             *int    `min:"1" max:"100"`
}

func (in *ListTransformJobsInput) query() listQuery {
	return listQuery{NameContains: in.NameContains, CreatedAfter: in.CreationTimeAfter, CreatedBefore: in.CreationTimeBefore,
		ModifiedAfter: in.LastModifiedTimeAfter, ModifiedBefore: in.LastModifiedTimeBefore, StatusEquals: in.StatusEquals,
		SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults}
}

// TransformJobSummary is one job of a list.
type TransformJobSummary struct {
	TransformJobName   string
	TransformJobArn    string
	CreationTime       *operation.Timestamp
	TransformEndTime   *operation.Timestamp `json:",omitempty"`
	LastModifiedTime   *operation.Timestamp
	TransformJobStatus string
	FailureReason      string `json:",omitempty"`
}

// ListTransformJobsOutput is one page of transform jobs.
type ListTransformJobsOutput struct {
	TransformJobSummaries []TransformJobSummary
	NextToken             *string `json:",omitempty"`
}
