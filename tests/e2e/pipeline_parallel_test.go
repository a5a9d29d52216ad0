package e2e

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// threeSleeps is a pipeline of three independent steps whose jobs sleep.
func threeSleeps(role string) string {
	step := func(name string) string {
		return `{"Name":"` + name + `","Type":"Processing","Arguments":{"ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.t3.medium","InstanceCount":1,"VolumeSizeInGB":1}},
			"AppSpecification":{"ImageUri":"none","ContainerEntrypoint":["sleep","0.4"]},"RoleArn":"` + role + `"}}`
	}
	return `{"Version":"2020-12-01","Metadata":{},"Parameters":[],"Steps":[` + step("A") + `,` + step("B") + `,` + step("C") + `]}`
}

// MaxParallelExecutionSteps bounds the steps that run at once; the execution's setting wins
// over the pipeline's.
func TestMaxParallelExecutionSteps(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	role := pipelineRole(t, c, "data-science", "parallel-exec", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(c.config("data-science"))
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("sleeps"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(threeSleeps(role)), ClientRequestToken: aws.String(token(t, "create")),
		ParallelismConfiguration: &smtypes.ParallelismConfiguration{MaxParallelExecutionSteps: aws.Int32(3)}}); err != nil {
		t.Fatal(err)
	}
	maxOverlap := func(limit int32) int {
		in := &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("sleeps"), ClientRequestToken: aws.String(token(t, "run-"+string(rune('0'+limit))))}
		if limit > 0 {
			in.ParallelismConfiguration = &smtypes.ParallelismConfiguration{MaxParallelExecutionSteps: aws.Int32(limit)}
		}
		out, err := client.StartPipelineExecution(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		arn := aws.ToString(out.PipelineExecutionArn)
		if done := waitExecution(t, client, arn, 60*time.Second); done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
			t.Fatalf("limit %d: %s %s", limit, done.PipelineExecutionStatus, aws.ToString(done.FailureReason))
		}
		type event struct {
			at    time.Time
			delta int
		}
		var events []event
		for _, s := range steps(t, client, arn) {
			events = append(events, event{*s.StartTime, 1}, event{*s.EndTime, -1})
		}
		sort.Slice(events, func(i, j int) bool {
			return events[i].at.Before(events[j].at) || events[i].at.Equal(events[j].at) && events[i].delta < events[j].delta
		})
		n, most := 0, 0
		for _, e := range events {
			n += e.delta
			most = max(most, n)
		}
		return most
	}
	if got := maxOverlap(1); got != 1 {
		t.Errorf("MaxParallelExecutionSteps 1: %d steps ran at once", got)
	}
	if got := maxOverlap(0); got < 2 {
		t.Errorf("the pipeline's MaxParallelExecutionSteps 3: at most %d step ran at once", got)
	}
}

// A processing job with no ContainerEntrypoint fails with a reason that says what to set.
func TestProcessingJobWithoutEntrypoint(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	role := pipelineRole(t, c, "data-science", "noentry-exec", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(c.config("data-science"))
	if _, err := client.CreateProcessingJob(ctx, &sagemaker.CreateProcessingJobInput{ProcessingJobName: aws.String("no-entrypoint"), RoleArn: aws.String(role),
		AppSpecification:    &smtypes.AppSpecification{ImageUri: aws.String("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3")},
		ProcessingResources: &smtypes.ProcessingResources{ClusterConfig: &smtypes.ProcessingClusterConfig{InstanceCount: aws.Int32(1), InstanceType: smtypes.ProcessingInstanceTypeMlT3Medium, VolumeSizeInGB: aws.Int32(1)}},
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		job, err := client.DescribeProcessingJob(ctx, &sagemaker.DescribeProcessingJobInput{ProcessingJobName: aws.String("no-entrypoint")})
		if err != nil {
			t.Fatal(err)
		}
		if job.ProcessingJobStatus == smtypes.ProcessingJobStatusFailed {
			if r := aws.ToString(job.FailureReason); !strings.Contains(r, "ContainerEntrypoint") || !strings.Contains(r, "does not pull images") {
				t.Errorf("failure reason %q", r)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job still %s", job.ProcessingJobStatus)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
