package sagemaker

import (
	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// processingOps declares processing jobs, a line of the job-kind table.
func (s *Service) processingOps() []*operation.Operation {
	return declareJobKind(s, jobKind[sm.CreateProcessingJobInput, sm.CreateProcessingJobOutput, ProcessingJobRef,
		sm.DescribeProcessingJobOutput, ListProcessingJobsInput, ListProcessingJobsOutput]{
		kind: sm.ProcessingJob,
		request: func(in *sm.CreateProcessingJobInput) jobRequest {
			return jobRequest{name: in.ProcessingJobName, tags: in.Tags, role: in.RoleArn}
		},
		created: func(arn string) *sm.CreateProcessingJobOutput {
			return &sm.CreateProcessingJobOutput{ProcessingJobArn: arn}
		},
		name:     func(in *ProcessingJobRef) string { return in.ProcessingJobName },
		describe: sm.DescribeProcessingJob,
		query:    func(in *ListProcessingJobsInput) (listQuery, bool) { return in.query(), true },
		listed: func(jobs []*store.Job, next *string) *ListProcessingJobsOutput {
			out := &ListProcessingJobsOutput{ProcessingJobSummaries: []ProcessingJobSummary{}, NextToken: next}
			for _, j := range jobs {
				out.ProcessingJobSummaries = append(out.ProcessingJobSummaries, ProcessingJobSummary{
					ProcessingJobName: j.Name, ProcessingJobArn: j.ARN, CreationTime: operation.NewTimestamp(j.CreatedAt),
					ProcessingEndTime: operation.NewTimestamp(j.EndedAt), LastModifiedTime: operation.NewTimestamp(j.LastModifiedAt),
					ProcessingJobStatus: j.Status, FailureReason: j.FailureReason, ExitMessage: j.ExitMessage,
				})
			}
			return out
		},
	})
}

// ProcessingJobRef names a processing job.
type ProcessingJobRef struct {
	ProcessingJobName string `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
}

// ListProcessingJobsInput filters and pages processing jobs.
type ListProcessingJobsInput struct {
	CreationTimeAfter      *operation.Timestamp
	CreationTimeBefore     *operation.Timestamp
	LastModifiedTimeAfter  *operation.Timestamp
	LastModifiedTimeBefore *operation.Timestamp
	NameContains           *string
	StatusEquals           *string `enum:"InProgress,Completed,Failed,Stopping,Stopped"`
	SortBy                 *string `enum:"Name,CreationTime,Status"`
	SortOrder              *string `enum:"Ascending,Descending"`
	NextToken              *string `max:"8192" pattern:".*"`
	MaxResults             *int    `min:"1" max:"100"`
}

func (in *ListProcessingJobsInput) query() listQuery {
	return listQuery{NameContains: in.NameContains, CreatedAfter: in.CreationTimeAfter, CreatedBefore: in.CreationTimeBefore,
		ModifiedAfter: in.LastModifiedTimeAfter, ModifiedBefore: in.LastModifiedTimeBefore, StatusEquals: in.StatusEquals,
		SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults}
}

// ProcessingJobSummary is one job of a list.
type ProcessingJobSummary struct {
	ProcessingJobName   string
	ProcessingJobArn    string
	CreationTime        *operation.Timestamp
	ProcessingEndTime   *operation.Timestamp `json:",omitempty"`
	LastModifiedTime    *operation.Timestamp
	ProcessingJobStatus string
	FailureReason       string `json:",omitempty"`
	ExitMessage         string `json:",omitempty"`
}

// ListProcessingJobsOutput is one page of processing jobs.
type ListProcessingJobsOutput struct {
	ProcessingJobSummaries []ProcessingJobSummary
	NextToken              *string `json:",omitempty"`
}
