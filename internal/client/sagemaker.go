package client

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// The SageMaker operations Cairn's commands call, with the members they read.

const smPrefix = "SageMaker"

// Time is a timestamp of the awsJson protocol: seconds since the epoch.
type Time struct{ time.Time }

// UnmarshalJSON reads epoch seconds (with a fraction).
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("timestamp %s: %w", b, err)
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(math.Round(frac*1e3))*int64(time.Millisecond))
	return nil
}

// Execution is DescribePipelineExecution's answer.
type Execution struct {
	PipelineArn                  string
	PipelineExecutionArn         string
	PipelineExecutionDisplayName string
	PipelineExecutionStatus      string
	FailureReason                string
	CreationTime                 Time
	LastModifiedTime             Time
}

// DescribePipelineExecution describes an execution.
func (c *Client) DescribePipelineExecution(ctx context.Context, arn string) (*Execution, error) {
	var out Execution
	err := c.JSON(ctx, "sagemaker", smPrefix, "DescribePipelineExecution", map[string]string{"PipelineExecutionArn": arn}, &out)
	return &out, err
}

// Step is one entry of ListPipelineExecutionSteps.
type Step struct {
	StepName        string
	StepDisplayName string
	StepStatus      string
	StartTime       Time
	EndTime         Time
	FailureReason   string
	AttemptCount    int
	Metadata        StepMetadata
}

// StepMetadata holds what a step launched or decided.
type StepMetadata struct {
	ProcessingJob *struct{ Arn string }
	TrainingJob   *struct{ Arn string }
	TransformJob  *struct{ Arn string }
	Condition     *struct{ Outcome string }
	RegisterModel *struct{ Arn string }
	Model         *struct{ Arn string }
	Fail          *struct{ ErrorMessage string }
}

// JobARN is the ARN of the job the step ran, or "".
func (m StepMetadata) JobARN() string {
	switch {
	case m.ProcessingJob != nil:
		return m.ProcessingJob.Arn
	case m.TrainingJob != nil:
		return m.TrainingJob.Arn
	case m.TransformJob != nil:
		return m.TransformJob.Arn
	}
	return ""
}

// ListPipelineExecutionSteps lists every step of an execution that has started, in the
// order they started.
func (c *Client) ListPipelineExecutionSteps(ctx context.Context, arn string) ([]Step, error) {
	var all []Step
	in := map[string]any{"PipelineExecutionArn": arn, "SortOrder": "Ascending", "MaxResults": 100}
	for {
		var out struct {
			PipelineExecutionSteps []Step
			NextToken              string
		}
		if err := c.JSON(ctx, "sagemaker", smPrefix, "ListPipelineExecutionSteps", in, &out); err != nil {
			return nil, err
		}
		all = append(all, out.PipelineExecutionSteps...)
		if out.NextToken == "" {
			return all, nil
		}
		in["NextToken"] = out.NextToken
	}
}

// StepNames returns the names of every step of the definition an execution runs, nested
// ones (a Condition's branches) included, in the definition's order.
func (c *Client) StepNames(ctx context.Context, arn string) ([]string, error) {
	var out struct{ PipelineDefinition string }
	if err := c.JSON(ctx, "sagemaker", smPrefix, "DescribePipelineDefinitionForExecution", map[string]string{"PipelineExecutionArn": arn}, &out); err != nil {
		return nil, err
	}
	type step struct {
		Name      string
		Arguments struct{ IfSteps, ElseSteps []json.RawMessage }
	}
	var def struct{ Steps []json.RawMessage }
	if err := json.Unmarshal([]byte(out.PipelineDefinition), &def); err != nil {
		return nil, fmt.Errorf("the execution's definition: %w", err)
	}
	var names []string
	var walk func([]json.RawMessage)
	walk = func(list []json.RawMessage) {
		for _, raw := range list {
			var s step
			if json.Unmarshal(raw, &s) == nil && s.Name != "" {
				names = append(names, s.Name)
				walk(s.Arguments.IfSteps)
				walk(s.Arguments.ElseSteps)
			}
		}
	}
	walk(def.Steps)
	return names, nil
}

// ExecutionSummary is an entry of ListPipelineExecutions.
type ExecutionSummary struct {
	PipelineExecutionArn    string
	PipelineExecutionStatus string
	StartTime               Time
}

// LatestExecution returns the most recent execution of a pipeline, or nil when it has
// none.
func (c *Client) LatestExecution(ctx context.Context, pipeline string) (*ExecutionSummary, error) {
	var out struct{ PipelineExecutionSummaries []ExecutionSummary }
	in := map[string]any{"PipelineName": pipeline, "SortBy": "CreationTime", "SortOrder": "Descending", "MaxResults": 1}
	if err := c.JSON(ctx, "sagemaker", smPrefix, "ListPipelineExecutions", in, &out); err != nil {
		return nil, err
	}
	if len(out.PipelineExecutionSummaries) == 0 {
		return nil, nil
	}
	return &out.PipelineExecutionSummaries[0], nil
}

// Pipelines lists the names of the caller's pipelines.
func (c *Client) Pipelines(ctx context.Context) ([]string, error) {
	var names []string
	in := map[string]any{"MaxResults": 100}
	for {
		var out struct {
			PipelineSummaries []struct{ PipelineName string }
			NextToken         string
		}
		if err := c.JSON(ctx, "sagemaker", smPrefix, "ListPipelines", in, &out); err != nil {
			return nil, err
		}
		for _, p := range out.PipelineSummaries {
			names = append(names, p.PipelineName)
		}
		if out.NextToken == "" {
			return names, nil
		}
		in["NextToken"] = out.NextToken
	}
}

// JobKind is a kind of SageMaker job, as its ARN's resource type names it.
type JobKind string

// The kinds of job that have a log.
const (
	ProcessingJob JobKind = "processing-job"
	TrainingJob   JobKind = "training-job"
	TransformJob  JobKind = "transform-job"
)

// JobKinds are the kinds of job that have a log.
var JobKinds = []JobKind{ProcessingJob, TrainingJob, TransformJob}

// noun is the word of the kind in operation and member names ("Processing").
func (k JobKind) noun() string {
	w := strings.TrimSuffix(string(k), "-job")
	return strings.ToUpper(w[:1]) + w[1:]
}

// Job is what Describe…Job answers, for any kind.
type Job struct {
	Kind   JobKind
	Name   string // as created
	ARN    string
	Status string
}

// DescribeJob describes a job of kind by name (in any case, as SageMaker looks it up).
func (c *Client) DescribeJob(ctx context.Context, kind JobKind, name string) (*Job, error) {
	noun := kind.noun()
	var out map[string]any
	if err := c.JSON(ctx, "sagemaker", smPrefix, "Describe"+noun+"Job", map[string]string{noun + "JobName": name}, &out); err != nil {
		return nil, err
	}
	str := func(k string) string { s, _ := out[k].(string); return s }
	return &Job{Kind: kind, Name: str(noun + "JobName"), ARN: str(noun + "JobArn"), Status: str(noun + "JobStatus")}, nil
}

// JobNames lists the names of the caller's jobs of kind, at most limit of them, the most
// recent first.
func (c *Client) JobNames(ctx context.Context, kind JobKind, limit int) ([]string, error) {
	noun := kind.noun()
	var names []string
	in := map[string]any{"MaxResults": 100, "SortBy": "CreationTime", "SortOrder": "Descending"}
	for len(names) < limit {
		var out map[string]json.RawMessage
		if err := c.JSON(ctx, "sagemaker", smPrefix, "List"+noun+"Jobs", in, &out); err != nil {
			return nil, err
		}
		var list []map[string]any
		json.Unmarshal(out[noun+"JobSummaries"], &list)
		for _, j := range list {
			if n, ok := j[noun+"JobName"].(string); ok {
				names = append(names, n)
			}
		}
		var next string
		json.Unmarshal(out["NextToken"], &next)
		if next == "" {
			break
		}
		in["NextToken"] = next
	}
	return names, nil
}
