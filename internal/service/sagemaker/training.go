package sagemaker

import (
	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// trainingOps declares training jobs, a line of the job-kind table.
func (s *Service) trainingOps() []*operation.Operation {
	return declareJobKind(s, jobKind[sm.CreateTrainingJobInput, sm.CreateTrainingJobOutput, TrainingJobRef,
		sm.DescribeTrainingJobOutput, ListTrainingJobsInput, ListTrainingJobsOutput]{
		kind: sm.TrainingJob,
		request: func(in *sm.CreateTrainingJobInput) jobRequest {
			return jobRequest{name: in.TrainingJobName, tags: in.Tags, role: in.RoleArn}
		},
		created: func(arn string) *sm.CreateTrainingJobOutput {
			return &sm.CreateTrainingJobOutput{TrainingJobArn: arn}
		},
		name:     func(in *TrainingJobRef) string { return in.TrainingJobName },
		describe: sm.DescribeTrainingJob,
		query: func(in *ListTrainingJobsInput) (listQuery, bool) {
			// No Cairn training job keeps a warm pool or uses a training plan.
			return in.query(), in.WarmPoolStatusEquals == nil && in.TrainingPlanArnEquals == nil
		},
		listed: func(jobs []*store.Job, next *string) *ListTrainingJobsOutput {
			out := &ListTrainingJobsOutput{TrainingJobSummaries: []TrainingJobSummary{}, NextToken: next}
			for _, j := range jobs {
				secondary := j.Secondary
				if secondary == "" {
					secondary = string(sm.SecondaryStarting)
				}
				out.TrainingJobSummaries = append(out.TrainingJobSummaries, TrainingJobSummary{
					TrainingJobName: j.Name, TrainingJobArn: j.ARN, CreationTime: operation.NewTimestamp(j.CreatedAt),
					TrainingEndTime: operation.NewTimestamp(j.EndedAt), LastModifiedTime: operation.NewTimestamp(j.LastModifiedAt),
					TrainingJobStatus: j.Status, SecondaryStatus: secondary,
				})
			}
			return out
		},
	})
}

// TrainingJobRef names a training job.
type TrainingJobRef struct {
	TrainingJobName string `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
}

// ListTrainingJobsInput filters and pages training jobs.
type ListTrainingJobsInput struct {
	NextToken              *string `max:"8192" pattern:".*"`
	MaxResults             *int    `min:"1" max:"100"`
	CreationTimeAfter      *operation.Timestamp
	CreationTimeBefore     *operation.Timestamp
	LastModifiedTimeAfter  *operation.Timestamp
	LastModifiedTimeBefore *operation.Timestamp
	NameContains           *string `max:"63" pattern:"[a-zA-Z0-9\\-]+"`
	StatusEquals           *string `enum:"InProgress,Completed,Failed,Stopping,Stopped,Deleting"`
	SortBy                 *string `enum:"Name,CreationTime,Status"`
	SortOrder              *string `enum:"Ascending,Descending"`
	WarmPoolStatusEquals   *string `enum:"Available,Terminated,Reused,InUse"`
	TrainingPlanArnEquals  *string `min:"50" max:"2048" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:training-plan/.*"`
}

func (in *ListTrainingJobsInput) query() listQuery {
	return listQuery{NameContains: in.NameContains, CreatedAfter: in.CreationTimeAfter, CreatedBefore: in.CreationTimeBefore,
		ModifiedAfter: in.LastModifiedTimeAfter, ModifiedBefore: in.LastModifiedTimeBefore, StatusEquals: in.StatusEquals,
		SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults}
}

// TrainingJobSummary is one job of a list.
type TrainingJobSummary struct {
	TrainingJobName   string
	TrainingJobArn    string
	CreationTime      *operation.Timestamp
	TrainingEndTime   *operation.Timestamp `json:",omitempty"`
	LastModifiedTime  *operation.Timestamp
	TrainingJobStatus string
	SecondaryStatus   string
}

// ListTrainingJobsOutput is one page of training jobs.
type ListTrainingJobsOutput struct {
	TrainingJobSummaries []TrainingJobSummary
	NextToken            *string `json:",omitempty"`
}
