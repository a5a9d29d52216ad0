package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/cairnhq/cairn/internal/operation"
)

const failOnly = `{"Version":"2020-12-01","Metadata":{},"Parameters":[{"Name":"Msg","Type":"String","DefaultValue":"bye"}],"Steps":[{"Name":"Stop","Type":"Fail","Arguments":{"ErrorMessage":{"Get":"Parameters.Msg"}}}]}`

func TestPipelineLifecycleAPI(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	role := pipelineRole(t, c, "data-science", "api-exec", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(c.config("data-science"))
	for _, name := range []string{"alpha", "beta", "gamma"} {
		if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String(name), RoleArn: aws.String(role),
			PipelineDefinition: aws.String(failOnly), ClientRequestToken: aws.String(token(t, name)),
			Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}}}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := client.ListPipelines(ctx, &sagemaker.ListPipelinesInput{SortBy: smtypes.SortPipelinesByName, SortOrder: smtypes.SortOrderAscending, MaxResults: aws.Int32(2)})
	if err != nil || len(list.PipelineSummaries) != 2 || aws.ToString(list.PipelineSummaries[0].PipelineName) != "alpha" || list.NextToken == nil {
		t.Fatalf("ListPipelines page 1: %v %+v", err, list)
	}
	next, err := client.ListPipelines(ctx, &sagemaker.ListPipelinesInput{SortBy: smtypes.SortPipelinesByName, SortOrder: smtypes.SortOrderAscending, MaxResults: aws.Int32(2), NextToken: list.NextToken})
	if err != nil || len(next.PipelineSummaries) != 1 || aws.ToString(next.PipelineSummaries[0].PipelineName) != "gamma" || next.NextToken != nil {
		t.Fatalf("ListPipelines page 2: %v %+v", err, next)
	}
	prefixed, _ := client.ListPipelines(ctx, &sagemaker.ListPipelinesInput{PipelineNamePrefix: aws.String("be")})
	if len(prefixed.PipelineSummaries) != 1 {
		t.Errorf("name prefix filter: %+v", prefixed.PipelineSummaries)
	}

	updated, err := client.UpdatePipeline(ctx, &sagemaker.UpdatePipelineInput{PipelineName: aws.String("alpha"), PipelineDescription: aws.String("second"),
		ParallelismConfiguration: &smtypes.ParallelismConfiguration{MaxParallelExecutionSteps: aws.Int32(3)}})
	if err != nil || aws.ToInt64(updated.PipelineVersionId) != 2 {
		t.Fatalf("UpdatePipeline: %v %+v", err, updated)
	}
	desc, err := client.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String("alpha")})
	if err != nil || aws.ToString(desc.PipelineDescription) != "second" || desc.PipelineStatus != smtypes.PipelineStatusActive ||
		aws.ToInt32(desc.ParallelismConfiguration.MaxParallelExecutionSteps) != 3 || aws.ToString(desc.PipelineDefinition) != failOnly {
		t.Fatalf("DescribePipeline: %v %+v", err, desc)
	}

	run, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("alpha"), ClientRequestToken: aws.String(token(t, "run")),
		PipelineParameters: []smtypes.Parameter{{Name: aws.String("Msg"), Value: aws.String("custom message")}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(run.PipelineExecutionArn)
	done := waitExecution(t, client, arn, 60e9)
	if aws.ToString(done.FailureReason) != "custom message" {
		t.Errorf("FailureReason %q", aws.ToString(done.FailureReason))
	}
	def, err := client.DescribePipelineDefinitionForExecution(ctx, &sagemaker.DescribePipelineDefinitionForExecutionInput{PipelineExecutionArn: aws.String(arn)})
	if err != nil || aws.ToString(def.PipelineDefinition) != failOnly {
		t.Errorf("DescribePipelineDefinitionForExecution: %v", err)
	}
	if _, err := client.UpdatePipelineExecution(ctx, &sagemaker.UpdatePipelineExecutionInput{PipelineExecutionArn: aws.String(arn), PipelineExecutionDescription: aws.String("annotated")}); err != nil {
		t.Errorf("UpdatePipelineExecution: %v", err)
	}
	execs, err := client.ListPipelineExecutions(ctx, &sagemaker.ListPipelineExecutionsInput{PipelineName: aws.String("alpha")})
	if err != nil || len(execs.PipelineExecutionSummaries) != 1 || aws.ToString(execs.PipelineExecutionSummaries[0].PipelineExecutionDescription) != "annotated" {
		t.Errorf("ListPipelineExecutions: %v %+v", err, execs)
	}

	// Tags on pipelines and executions.
	pipelineARN := aws.ToString(desc.PipelineArn)
	if _, err := client.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String(arn), Tags: []smtypes.Tag{{Key: aws.String("run"), Value: aws.String("1")}}}); err != nil {
		t.Errorf("AddTags on execution: %v", err)
	}
	if _, err := client.DeleteTags(ctx, &sagemaker.DeleteTagsInput{ResourceArn: aws.String(pipelineARN), TagKeys: []string{"team"}}); err != nil {
		t.Errorf("DeleteTags: %v", err)
	}
	tags, err := client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(pipelineARN)})
	if err != nil || len(tags.Tags) != 0 {
		t.Errorf("ListTags after delete: %v %+v", err, tags)
	}
	tags, _ = client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
	if len(tags.Tags) != 1 {
		t.Errorf("execution tags %+v", tags)
	}

	// Other accounts see nothing.
	other := sagemaker.NewFromConfig(c.config("platform"))
	_, err = other.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String("alpha")})
	apiError(t, err, "ResourceNotFound")
	_, err = other.DescribePipelineExecution(ctx, &sagemaker.DescribePipelineExecutionInput{PipelineExecutionArn: aws.String(arn)})
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "sagemaker:DescribePipelineExecution") {
		t.Errorf("cross-account describe: %s", msg)
	}

	if _, err := client.DeletePipeline(ctx, &sagemaker.DeletePipelineInput{PipelineName: aws.String("beta"), ClientRequestToken: aws.String(token(t, "del"))}); err != nil {
		t.Fatalf("DeletePipeline: %v", err)
	}
	_, err = client.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String("beta")})
	apiError(t, err, "ResourceNotFound")
}

func TestExecutionLimit(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML + "limits:\n  concurrentPipelineExecutions: 1\n"})
	ctx := context.Background()
	cfg := c.config("data-science")
	putObjects(t, cfg, "limit-data", map[string]string{"flag/flag.txt": "sleep", "code/gate.py": gateScript})
	role := pipelineRole(t, c, "data-science", "limit-exec", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(cfg)
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("gate"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(gatePipeline("limit-data", role)), ClientRequestToken: aws.String(token(t, "gate"))}); err != nil {
		t.Fatal(err)
	}
	arn := startGate(t, client, "first")
	_, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("gate"), ClientRequestToken: aws.String(token(t, "second"))})
	if msg := apiError(t, err, "ResourceLimitExceeded"); !strings.Contains(msg, "1") {
		t.Errorf("limit message %q", msg)
	}
	client.StopPipelineExecution(ctx, &sagemaker.StopPipelineExecutionInput{PipelineExecutionArn: aws.String(arn), ClientRequestToken: aws.String(token(t, "stop"))})
	waitExecution(t, client, arn, 60e9)
}

func TestProcessingJobTags(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	role := pipelineRole(t, c, "data-science", "tags-exec", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(c.config("data-science"))
	out, err := client.CreateProcessingJob(ctx, &sagemaker.CreateProcessingJobInput{ProcessingJobName: aws.String("tagged-job"), RoleArn: aws.String(role),
		AppSpecification:    &smtypes.AppSpecification{ImageUri: aws.String("none"), ContainerEntrypoint: []string{"true"}},
		ProcessingResources: &smtypes.ProcessingResources{ClusterConfig: &smtypes.ProcessingClusterConfig{InstanceCount: aws.Int32(1), InstanceType: smtypes.ProcessingInstanceTypeMlT3Medium, VolumeSizeInGB: aws.Int32(1)}},
		Tags:                []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}}})
	if err != nil {
		t.Fatal(err)
	}
	tags, err := client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: out.ProcessingJobArn})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Errorf("processing job tags: %v %+v", err, tags)
	}
}

// Lengths, patterns and timestamps are checked before any lookup, as SageMaker checks
// them: a 15 MiB name is a ValidationException (not ResourceNotFound), and so are a 1 MiB
// prefix and a timestamp past year 9999. Another account's pipeline ARN has the pattern
// of a name or ARN: what refuses it is authorization or the lookup.
func TestPipelineInputsCheckedBeforeLookup(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(withoutRetries(c.config("data-science")))
	_, err := client.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String(strings.Repeat("p", 15<<20))})
	if msg := apiError(t, err, "ValidationException"); !strings.HasSuffix(msg, "at 'pipelineName' failed to satisfy constraint: "+operation.MaxLength(2048)) {
		t.Errorf("15 MiB name: %.200s…", msg)
	}
	_, err = client.ListPipelines(ctx, &sagemaker.ListPipelinesInput{PipelineNamePrefix: aws.String(strings.Repeat("p", 1<<20))})
	if msg := apiError(t, err, "ValidationException"); !strings.HasSuffix(msg, "at 'pipelineNamePrefix' failed to satisfy constraint: "+operation.MaxLength(256)) {
		t.Errorf("1 MiB prefix: %.200s…", msg)
	}
	_, err = client.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String("arn:aws:sagemaker:us-east-1:222222222222:pipeline/elsewhere")})
	if code := apiErrorCode(err); code == "" || code == "ValidationException" {
		t.Errorf("another account's pipeline ARN: %v", err)
	}

	creds := c.credentials("data-science")
	rr := rawCall{Service: "sagemaker", Creds: &creds, Body: []byte(`{"CreatedAfter": 1e300}`),
		Header: map[string]string{"Content-Type": wireJSON11Type, "X-Amz-Target": "SageMaker.ListPipelines"}}
	r := sendRaw(t, rr.build(t, c.endpoint()))
	code, msg := parseJSONError(t, r)
	want := operation.ValidationMessage(operation.Violation{Path: "createdAfter", Value: "1e300", Constraint: operation.TimestampRange})
	if r.Status != 400 || code != "ValidationException" || msg != want {
		t.Errorf("CreatedAfter 1e300: %d %s %q, want 400 ValidationException %q", r.Status, code, msg, want)
	}
}

// ListPipelineExecutions pages through a pipeline's executions newest first (or oldest
// first, or by ARN), with its creation-time bounds excluded, as the SDK's paginator reads it.
func TestListPipelineExecutionsPages(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	role := pipelineRole(t, c, "data-science", "pages-exec", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(c.config("data-science"))
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("paged"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(failOnly), ClientRequestToken: aws.String(token(t, "paged"))}); err != nil {
		t.Fatal(err)
	}
	var started []string // oldest first
	for i := range 5 {
		run, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("paged"),
			ClientRequestToken: aws.String(token(t, "run"+string(rune('a'+i))))})
		if err != nil {
			t.Fatal(err)
		}
		started = append(started, aws.ToString(run.PipelineExecutionArn))
		time.Sleep(20 * time.Millisecond) // start times apart, for the bounds below
	}
	list := func(in sagemaker.ListPipelineExecutionsInput) (arns []string, times []time.Time, pages int) {
		t.Helper()
		in.PipelineName = aws.String("paged")
		p := sagemaker.NewListPipelineExecutionsPaginator(client, &in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListPipelineExecutions %+v: %v", in, err)
			}
			pages++
			for _, s := range out.PipelineExecutionSummaries {
				arns, times = append(arns, aws.ToString(s.PipelineExecutionArn)), append(times, aws.ToTime(s.StartTime))
			}
		}
		return arns, times, pages
	}
	newest := slices.Clone(started)
	slices.Reverse(newest)
	got, times, pages := list(sagemaker.ListPipelineExecutionsInput{MaxResults: aws.Int32(2)})
	if !slices.Equal(got, newest) || pages != 3 {
		t.Errorf("pages of 2, newest first: %d pages of %v, want %v", pages, got, newest)
	}
	if got, _, _ := list(sagemaker.ListPipelineExecutionsInput{SortOrder: smtypes.SortOrderAscending}); !slices.Equal(got, started) {
		t.Errorf("oldest first: %v, want %v", got, started)
	}
	byARN := slices.Sorted(slices.Values(started))
	if got, _, _ := list(sagemaker.ListPipelineExecutionsInput{SortBy: smtypes.SortPipelineExecutionsByPipelineExecutionArn,
		SortOrder: smtypes.SortOrderAscending, MaxResults: aws.Int32(3)}); !slices.Equal(got, byARN) {
		t.Errorf("by ARN: %v, want %v", got, byARN)
	}
	// times are newest first: times[3] is the second execution's start, times[1] the fourth's.
	// (That the bounds themselves are excluded the store's tests show; a start time comes
	// back rounded.)
	if got, _, _ := list(sagemaker.ListPipelineExecutionsInput{CreatedAfter: aws.Time(times[3].Add(5 * time.Millisecond)),
		CreatedBefore: aws.Time(times[1].Add(-5 * time.Millisecond)), SortOrder: smtypes.SortOrderAscending}); !slices.Equal(got, started[2:3]) {
		t.Errorf("created after the second and before the fourth: %v, want %v", got, started[2:3])
	}
	_, err := client.ListPipelineExecutions(ctx, &sagemaker.ListPipelineExecutionsInput{PipelineName: aws.String("paged"), NextToken: aws.String("bogus")})
	apiError(t, err, "ValidationException")
}
