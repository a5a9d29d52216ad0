package sagemaker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// Job statuses.
const (
	JobInProgress = "InProgress"
	JobCompleted  = "Completed"
	JobFailed     = "Failed"
	JobStopping   = "Stopping"
	JobStopped    = "Stopped"
)

// ProcessingJobKind is the resource type of processing jobs in ARNs.
const ProcessingJobKind = "processing-job"

func (s *Service) processingOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateProcessingJobInput, CreateProcessingJobOutput]{
			Name: "CreateProcessingJob", Access: s.createProcessingJobAccess, Handler: s.createProcessingJob}),
		operation.Declare(operation.Op[ProcessingJobRef, DescribeProcessingJobOutput]{
			Name: "DescribeProcessingJob", Access: jobAccess(s, ProcessingJobKind, func(in *ProcessingJobRef) string { return in.ProcessingJobName }),
			Handler: s.describeProcessingJob}),
		operation.Declare(operation.Op[ListProcessingJobsInput, ListProcessingJobsOutput]{
			Name: "ListProcessingJobs", Handler: s.listProcessingJobs}),
		operation.Declare(operation.Op[ProcessingJobRef, struct{}]{
			Name: "StopProcessingJob", Access: jobAccess(s, ProcessingJobKind, func(in *ProcessingJobRef) string { return in.ProcessingJobName }),
			Handler: func(ctx context.Context, in *ProcessingJobRef) (*struct{}, error) {
				return &struct{}{}, s.stopJob(ctx, ProcessingJobKind, in.ProcessingJobName)
			}}),
	}
}

// CreateProcessingJobInput is the CreateProcessingJob request.
type CreateProcessingJobInput struct {
	ProcessingInputs       []ProcessingInput       `json:",omitempty"`
	ProcessingOutputConfig *ProcessingOutputConfig `json:",omitempty"`
	ProcessingJobName      string                  `required:"true"`
	ProcessingResources    json.RawMessage         `required:"true"`
	StoppingCondition      *StoppingCondition      `json:",omitempty"`
	AppSpecification       *AppSpecification       `required:"true"`
	Environment            map[string]string       `json:",omitempty"`
	NetworkConfig          json.RawMessage         `json:",omitempty"`
	RoleArn                string                  `required:"true"`
	Tags                   []Tag                   `json:",omitempty"`
	ExperimentConfig       json.RawMessage         `json:",omitempty"`
}

// ProcessingInput is one input of a processing job.
type ProcessingInput struct {
	InputName         string
	AppManaged        *bool              `json:",omitempty"`
	S3Input           *ProcessingS3Input `json:",omitempty"`
	DatasetDefinition json.RawMessage    `json:",omitempty"`
}

// ProcessingS3Input is an input read from S3.
type ProcessingS3Input struct {
	S3Uri                  string
	LocalPath              string `json:",omitempty"`
	S3DataType             string
	S3InputMode            string `json:",omitempty"`
	S3DataDistributionType string `json:",omitempty"`
	S3CompressionType      string `json:",omitempty"`
}

// ProcessingOutputConfig lists a processing job's outputs.
type ProcessingOutputConfig struct {
	Outputs  []ProcessingOutput
	KmsKeyId string `json:",omitempty"`
}

// ProcessingOutput is one output of a processing job.
type ProcessingOutput struct {
	OutputName         string
	S3Output           *ProcessingS3Output `json:",omitempty"`
	FeatureStoreOutput json.RawMessage     `json:",omitempty"`
	AppManaged         *bool               `json:",omitempty"`
}

// ProcessingS3Output is an output uploaded to S3.
type ProcessingS3Output struct {
	S3Uri        string
	LocalPath    string `json:",omitempty"`
	S3UploadMode string
}

// StoppingCondition bounds a job's run time.
type StoppingCondition struct {
	MaxRuntimeInSeconds int
}

// AppSpecification says what a processing job runs.
type AppSpecification struct {
	ImageUri            string
	ContainerEntrypoint []string `json:",omitempty"`
	ContainerArguments  []string `json:",omitempty"`
}

// CreateProcessingJobOutput names the job.
type CreateProcessingJobOutput struct {
	ProcessingJobArn string
}

// ProcessingPathPrefix is where processing inputs and outputs must live in the container.
const ProcessingPathPrefix = "/opt/ml/processing/"

// Validate checks the request as SageMaker does.
func (in *CreateProcessingJobInput) Validate() error {
	if err := checkJobName("processingJobName", in.ProcessingJobName); err != nil {
		return err
	}
	if err := checkRoleARN(in.RoleArn); err != nil {
		return err
	}
	if err := checkTags(in.Tags); err != nil {
		return err
	}
	if in.AppSpecification.ImageUri == "" {
		return validation("1 validation error detected: Value null at 'appSpecification.imageUri' failed to satisfy constraint: Member must not be null")
	}
	if len(in.AppSpecification.ContainerEntrypoint) > 100 || len(in.AppSpecification.ContainerArguments) > 100 {
		return validation("ContainerEntrypoint and ContainerArguments may hold at most 100 strings each.")
	}
	if len(in.Environment) > 100 {
		return validation("1 validation error detected: Value at 'environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 100]")
	}
	if in.StoppingCondition != nil && (in.StoppingCondition.MaxRuntimeInSeconds < 1 || in.StoppingCondition.MaxRuntimeInSeconds > 777600) {
		return validation("1 validation error detected: Value '%d' at 'stoppingCondition.maxRuntimeInSeconds' failed to satisfy constraint: Member must have value between 1 and 777600", in.StoppingCondition.MaxRuntimeInSeconds)
	}
	if len(in.ProcessingInputs) > 10 {
		return validation("1 validation error detected: Value at 'processingInputs' failed to satisfy constraint: Member must have length less than or equal to 10")
	}
	names := map[string]bool{}
	for _, i := range in.ProcessingInputs {
		if i.InputName == "" || names[i.InputName] {
			return validation("ProcessingInputs must have unique, non-empty InputNames; %q is not.", i.InputName)
		}
		names[i.InputName] = true
		if i.S3Input == nil {
			if i.DatasetDefinition != nil {
				return validation("ProcessingInput %q uses a DatasetDefinition, which Cairn does not support; use S3Input.", i.InputName)
			}
			continue
		}
		if !strings.HasPrefix(i.S3Input.S3Uri, "s3://") {
			return validation("ProcessingInput %q has S3Uri %q, which is not an s3:// URI.", i.InputName, i.S3Input.S3Uri)
		}
		if !strings.HasPrefix(i.S3Input.LocalPath, ProcessingPathPrefix) || strings.Contains(i.S3Input.LocalPath, "..") {
			return validation("ProcessingInput %q has LocalPath %q; it must be a path under %s.", i.InputName, i.S3Input.LocalPath, ProcessingPathPrefix)
		}
		switch i.S3Input.S3DataType {
		case "S3Prefix", "ManifestFile":
		default:
			return validation("ProcessingInput %q has S3DataType %q; it must be S3Prefix or ManifestFile.", i.InputName, i.S3Input.S3DataType)
		}
		if m := i.S3Input.S3InputMode; m != "" && m != "File" {
			return validation("ProcessingInput %q has S3InputMode %s; Cairn supports File.", i.InputName, m)
		}
	}
	if in.ProcessingOutputConfig != nil {
		if len(in.ProcessingOutputConfig.Outputs) > 10 {
			return validation("1 validation error detected: Value at 'processingOutputConfig.outputs' failed to satisfy constraint: Member must have length less than or equal to 10")
		}
		outs := map[string]bool{}
		for _, o := range in.ProcessingOutputConfig.Outputs {
			if o.OutputName == "" || outs[o.OutputName] {
				return validation("ProcessingOutputs must have unique, non-empty OutputNames; %q is not.", o.OutputName)
			}
			outs[o.OutputName] = true
			if o.S3Output == nil {
				continue
			}
			if !strings.HasPrefix(o.S3Output.S3Uri, "s3://") {
				return validation("ProcessingOutput %q has S3Uri %q, which is not an s3:// URI.", o.OutputName, o.S3Output.S3Uri)
			}
			if !strings.HasPrefix(o.S3Output.LocalPath, ProcessingPathPrefix) || strings.Contains(o.S3Output.LocalPath, "..") {
				return validation("ProcessingOutput %q has LocalPath %q; it must be a path under %s.", o.OutputName, o.S3Output.LocalPath, ProcessingPathPrefix)
			}
		}
	}
	return nil
}

func checkJobName(member, name string) error {
	if len(name) < 1 || len(name) > 63 || !namePattern.MatchString(name) {
		return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", name, member)
	}
	return nil
}

func (s *Service) createProcessingJobAccess(ctx context.Context, in *CreateProcessingJobInput) (*operation.Access, error) {
	account := caller(ctx).Account
	return &operation.Access{
		Resources: []operation.Resource{{ARN: s.arnAsGiven(account, ProcessingJobKind, in.ProcessingJobName), Account: account}},
		Context:   requestTagKeys(in.Tags),
		PassRoles: []string{in.RoleArn},
	}, nil
}

// jobAccess authorizes an action on an existing job named by a request member, with the
// ARN built from the name as given (so policies on a job-name prefix match).
func jobAccess[In any](s *Service, kind string, name func(*In) string) func(context.Context, *In) (*operation.Access, error) {
	return func(ctx context.Context, in *In) (*operation.Access, error) {
		account := caller(ctx).Account
		res := operation.Resource{ARN: s.arnAsGiven(account, kind, name(in)), Account: account}
		err := s.store.View(ctx, func(tx store.Tx) error {
			tags, err := tx.Tags(s.arn(account, kind, name(in)))
			res.Tags = tagMap(tags)
			return err
		})
		return &operation.Access{Resources: []operation.Resource{res}}, err
	}
}

func (s *Service) createProcessingJob(ctx context.Context, in *CreateProcessingJobInput) (*CreateProcessingJobOutput, error) {
	job, err := s.createJob(ctx, ProcessingJobKind, in.ProcessingJobName, in.RoleArn, in, in.Tags)
	if err != nil {
		return nil, err
	}
	return &CreateProcessingJobOutput{ProcessingJobArn: job.ARN}, nil
}

// createJob records a new job and hands it to the job runner. The job keeps its Create…
// request as Describe… returns it: without the tags, which belong to the resource.
func (s *Service) createJob(ctx context.Context, kind, name, role string, input any, tags []Tag) (*store.Job, error) {
	request, err := describedRequest(input)
	if err != nil {
		return nil, err
	}
	p := caller(ctx)
	now := s.now()
	job := &store.Job{AccountID: p.Account, Kind: kind, Name: name, ARN: s.arn(p.Account, kind, name),
		Request: request, Status: JobInProgress, RoleARN: role,
		CreatedAt: now, LastModifiedAt: now}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Job(p.Account, kind, name); err == nil {
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
		return tx.SetTags(job.ARN, storeTags(tags))
	})
	if err != nil {
		return nil, err
	}
	if s.jobs != nil {
		if err := s.jobs.Launch(context.WithoutCancel(ctx), job); err != nil {
			return nil, fmt.Errorf("launch %s: %w", job.ARN, err)
		}
	}
	return job, nil
}

// describedRequest is a Create… request as JSON, less its Tags.
func describedRequest(input any) (string, error) {
	raw, err := json.Marshal(input)
	if err != nil {
		return "", err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return "", err
	}
	delete(members, "Tags")
	raw, err = json.Marshal(members)
	return string(raw), err
}

// ProcessingJobRef names a processing job.
type ProcessingJobRef struct {
	ProcessingJobName string `required:"true"`
}

// DescribeProcessingJobOutput is the request the job was created with and its state.
type DescribeProcessingJobOutput map[string]any

func (s *Service) describeProcessingJob(ctx context.Context, in *ProcessingJobRef) (*DescribeProcessingJobOutput, error) {
	job, err := s.findJob(ctx, ProcessingJobKind, in.ProcessingJobName)
	if err != nil {
		return nil, err
	}
	out := DescribeProcessingJobOutput(DescribeJob(job))
	return &out, nil
}

// DescribeJob renders a job as its Describe… operation returns it: the Create… request
// and the job's state.
func DescribeJob(job *store.Job) map[string]any {
	out := map[string]any{}
	json.Unmarshal([]byte(job.Request), &out)
	if job.Details != "" {
		var details map[string]any
		if json.Unmarshal([]byte(job.Details), &details) == nil {
			for k, v := range details {
				out[k] = v
			}
		}
	}
	prefix := jobPrefix(job.Kind)
	out[prefix+"JobArn"] = job.ARN
	out[prefix+"JobStatus"] = job.Status
	out["CreationTime"] = operation.NewTimestamp(job.CreatedAt)
	out["LastModifiedTime"] = operation.NewTimestamp(job.LastModifiedAt)
	if job.FailureReason != "" {
		out["FailureReason"] = job.FailureReason
	}
	if job.ExitMessage != "" {
		out["ExitMessage"] = job.ExitMessage
	}
	if !job.StartedAt.IsZero() {
		out[prefix+"StartTime"] = operation.NewTimestamp(job.StartedAt)
	}
	if !job.EndedAt.IsZero() {
		out[prefix+"EndTime"] = operation.NewTimestamp(job.EndedAt)
	}
	return out
}

// jobPrefix is the member-name prefix of a job kind: Processing, Training, Transform.
func jobPrefix(kind string) string {
	switch kind {
	case "training-job":
		return "Training"
	case "transform-job":
		return "Transform"
	}
	return "Processing"
}

func (s *Service) findJob(ctx context.Context, kind, name string) (*store.Job, error) {
	var job *store.Job
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		job, err = tx.Job(caller(ctx).Account, kind, name)
		if errors.Is(err, store.ErrNotFound) {
			return validation("Could not find requested job with name %s", name)
		}
		return err
	})
	return job, err
}

// stopJob asks a job to stop.
func (s *Service) stopJob(ctx context.Context, kind, name string) error {
	var job *store.Job
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		job, err = tx.Job(caller(ctx).Account, kind, name)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("Could not find requested job with name %s", name)
		}
		if err != nil {
			return err
		}
		switch job.Status {
		case JobStopping:
			return nil
		case JobInProgress:
		default:
			return validation("The request was rejected because the %s job is in status %s.", strings.ToLower(jobPrefix(kind)), job.Status)
		}
		job.Status, job.LastModifiedAt = JobStopping, s.now()
		return tx.UpdateJob(job)
	})
	if err != nil || s.jobs == nil || job.Status != JobStopping {
		return err
	}
	return s.jobs.Stop(context.WithoutCancel(ctx), job)
}

// ListProcessingJobsInput filters and pages processing jobs.
type ListProcessingJobsInput struct {
	CreationTimeAfter      *operation.Timestamp
	CreationTimeBefore     *operation.Timestamp
	LastModifiedTimeAfter  *operation.Timestamp
	LastModifiedTimeBefore *operation.Timestamp
	NameContains           *string
	StatusEquals           *string
	SortBy                 *string
	SortOrder              *string
	NextToken              *string
	MaxResults             *int
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

func (s *Service) listProcessingJobs(ctx context.Context, in *ListProcessingJobsInput) (*ListProcessingJobsOutput, error) {
	jobs, next, err := s.listJobs(ctx, ProcessingJobKind, jobListFilter{
		CreatedAfter: in.CreationTimeAfter, CreatedBefore: in.CreationTimeBefore,
		ModifiedAfter: in.LastModifiedTimeAfter, ModifiedBefore: in.LastModifiedTimeBefore,
		NameContains: in.NameContains, Status: in.StatusEquals, SortBy: in.SortBy, SortOrder: in.SortOrder,
		NextToken: in.NextToken, MaxResults: in.MaxResults,
	})
	if err != nil {
		return nil, err
	}
	out := &ListProcessingJobsOutput{ProcessingJobSummaries: []ProcessingJobSummary{}, NextToken: next}
	for _, j := range jobs {
		out.ProcessingJobSummaries = append(out.ProcessingJobSummaries, ProcessingJobSummary{
			ProcessingJobName: j.Name, ProcessingJobArn: j.ARN, CreationTime: operation.NewTimestamp(j.CreatedAt),
			ProcessingEndTime: operation.NewTimestamp(j.EndedAt), LastModifiedTime: operation.NewTimestamp(j.LastModifiedAt),
			ProcessingJobStatus: j.Status, FailureReason: j.FailureReason, ExitMessage: j.ExitMessage,
		})
	}
	return out, nil
}

// jobListFilter is what every List…Jobs operation filters and sorts by.
type jobListFilter struct {
	CreatedAfter, CreatedBefore, ModifiedAfter, ModifiedBefore *operation.Timestamp
	NameContains, Status, SortBy, SortOrder, NextToken         *string
	MaxResults                                                 *int
}

var jobStatuses = []string{JobInProgress, JobCompleted, JobFailed, JobStopping, JobStopped}

func (s *Service) listJobs(ctx context.Context, kind string, f jobListFilter) ([]*store.Job, *string, error) {
	sortBy, order, err := sortOptions(f.SortBy, f.SortOrder, []string{"Name", "CreationTime", "Status"}, "CreationTime")
	if err != nil {
		return nil, nil, err
	}
	filter := store.JobFilter{AccountID: caller(ctx).Account, Kind: kind}
	if f.NameContains != nil {
		filter.NameContains = *f.NameContains
	}
	if f.Status != nil {
		ok := false
		for _, st := range jobStatuses {
			ok = ok || st == *f.Status
		}
		if !ok {
			return nil, nil, validation("1 validation error detected: Value '%s' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: [%s]", *f.Status, strings.Join(jobStatuses, ", "))
		}
		filter.Status = *f.Status
	}
	var all []*store.Job
	err = s.store.View(ctx, func(tx store.Tx) error {
		var err error
		all, err = tx.ListJobs(filter)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	var items []*store.Job
	for _, j := range all {
		if f.CreatedAfter != nil && !j.CreatedAt.After(f.CreatedAfter.Time) || f.CreatedBefore != nil && !j.CreatedAt.Before(f.CreatedBefore.Time) ||
			f.ModifiedAfter != nil && !j.LastModifiedAt.After(f.ModifiedAfter.Time) || f.ModifiedBefore != nil && !j.LastModifiedAt.Before(f.ModifiedBefore.Time) {
			continue
		}
		items = append(items, j)
	}
	sort.SliceStable(items, func(a, b int) bool {
		var less bool
		switch sortBy {
		case "Name":
			less = items[a].Name < items[b].Name
		case "Status":
			less = items[a].Status < items[b].Status
		default:
			less = items[a].CreatedAt.Before(items[b].CreatedAt)
		}
		if order == "Descending" {
			return !less
		}
		return less
	})
	page, next, err := paginate(len(items), f.NextToken, f.MaxResults)
	if err != nil {
		return nil, nil, err
	}
	return items[page.start:page.end], next, nil
}
