package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// xacctYAML is ramYAML with one pipeline execution at a time per account, so the tests see
// whose limit an execution counts against.
const xacctYAML = ramYAML + `
limits:
  concurrentPipelineExecutions: 1
`

// napScript sleeps for $NAP seconds, then leaves a file in its output.
const napScript = `
import os, time
time.sleep(float(os.environ.get("NAP", "0")))
os.makedirs("/opt/ml/processing/out", exist_ok=True)
open("/opt/ml/processing/out/done.txt", "w").write("slept " + os.environ.get("NAP", "0"))
`

// napPipeline is one processing step that sleeps for the parameter Nap and writes its
// output under s3://bucket/naps/<execution id>/.
func napPipeline(bucket, role string) string {
	return `{"Version":"2020-12-01","Metadata":{},"Parameters":[{"Name":"Nap","Type":"String","DefaultValue":"0"}],
	"Steps":[{"Name":"Nap","Type":"Processing","Arguments":{
		"ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":30}},
		"AppSpecification":{"ImageUri":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3","ContainerEntrypoint":["python3","/opt/ml/processing/input/code/nap.py"]},
		"RoleArn":"` + role + `",
		"Environment":{"NAP":{"Get":"Parameters.Nap"}},
		"ProcessingInputs":[{"InputName":"code","AppManaged":false,"S3Input":{"S3Uri":"s3://` + bucket + `/code/nap.py","LocalPath":"/opt/ml/processing/input/code","S3DataType":"S3Prefix","S3InputMode":"File"}}],
		"ProcessingOutputConfig":{"Outputs":[{"OutputName":"out","AppManaged":false,"S3Output":{"S3Uri":{"Std:Join":{"On":"/","Values":["s3://` + bucket + `/naps",{"Get":"Execution.PipelineExecutionId"}]}},"LocalPath":"/opt/ml/processing/out","S3UploadMode":"EndOfJob"}}]},
		"StoppingCondition":{"MaxRuntimeInSeconds":300}}}]}`
}

// The seed's story, end to end across three accounts: the owner shares a pipeline
// read-only; the consumer accepts, reads it by ARN and is refused a start; the owner switches
// the share to allow execution with replace; the consumer starts, stops and retries by ARN,
// and what it runs runs in the owner's account — the owner's role, limits, jobs and S3; an
// uninvited account is refused everywhere; revocation holds from the next request while an
// execution already started goes on.
func TestCrossAccountPipelineStory(t *testing.T) {
	c := start(t, startOptions{Config: xacctYAML})
	ctx := context.Background()
	ownerCfg := c.config("owner")
	bucket := "owner-naps"
	putObjects(t, ownerCfg, bucket, map[string]string{"code/nap.py": napScript})
	requirePython(t)
	role := pipelineRole(t, c, "owner", "nap-exec", fullPipelinePolicy)
	owner, consumer, third := smFor(c, "owner"), smFor(c, "consumer"), smFor(c, "third")
	created, err := owner.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("Shared-Naps"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(napPipeline(bucket, role)), ClientRequestToken: aws.String(token(t, "create"))})
	if err != nil {
		t.Fatal(err)
	}
	pipeline := aws.ToString(created.PipelineArn)
	if pipeline != "arn:aws:sagemaker:us-east-1:111111111111:pipeline/shared-naps" {
		t.Fatalf("pipeline ARN %s", pipeline)
	}
	ownerRAM, consumerRAM := ramFor(c, "owner"), ramFor(c, "consumer")
	consumerRoot := "arn:aws:iam::" + ramConsumer + ":root"
	run := func(client *sagemaker.Client, nap, suffix string) (string, error) {
		out, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String(pipeline),
			ClientRequestToken: aws.String(token(t, suffix)), PipelineParameters: []smtypes.Parameter{{Name: aws.String("Nap"), Value: aws.String(nap)}}})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.PipelineExecutionArn), nil
	}

	// Read-only share, accepted.
	share := ramShare(t, ownerRAM, "naps", []string{pipeline}, []string{ramConsumer}, nil)
	shareARN := aws.ToString(share.ResourceShareArn)
	_, err = consumer.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String(pipeline)})
	expectAPIError(t, err, 400, "AccessDeniedException") // invited, not yet accepted
	acceptInvitation(t, consumerRAM, shareARN)

	desc, err := consumer.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String(pipeline)})
	if err != nil {
		t.Fatalf("DescribePipeline by ARN from the consumer: %v", err)
	}
	if aws.ToString(desc.PipelineArn) != pipeline || aws.ToString(desc.RoleArn) != role || aws.ToString(desc.PipelineName) != "Shared-Naps" {
		t.Errorf("the consumer's DescribePipeline: %+v", desc)
	}
	// Any case of the name in the ARN reaches the same pipeline, as in the owner's account.
	if _, err := consumer.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String(strings.Replace(pipeline, "shared-naps", "Shared-Naps", 1))}); err != nil {
		t.Errorf("DescribePipeline by an ARN with the name as created: %v", err)
	}
	// A bare name means the caller's own account.
	msg := expectAPIError(t, errOf(consumer.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String("Shared-Naps")})), 400, "ResourceNotFound")
	if !strings.Contains(msg, ramConsumer) {
		t.Errorf("a bare name is looked up in %q", msg)
	}
	if list, err := consumer.ListPipelines(ctx, &sagemaker.ListPipelinesInput{}); err != nil || len(list.PipelineSummaries) != 0 {
		t.Errorf("the consumer's ListPipelines shows another account's pipeline: %v %+v", err, list)
	}
	if got := searchNames(t, consumer, smtypes.ResourceTypePipeline, true, nil); len(got) != 1 || got[0] != "Shared-Naps" {
		t.Errorf("Search across accounts: %v", got)
	}
	if got := searchNames(t, consumer, smtypes.ResourceTypePipeline, false, nil); len(got) != 0 {
		t.Errorf("Search in the consumer's own account: %v", got)
	}
	_, err = run(consumer, "0", "refused")
	if msg := expectAPIError(t, err, 400, "AccessDeniedException"); !strings.Contains(msg, "sagemaker:StartPipelineExecution") || !strings.Contains(msg, pipeline) {
		t.Errorf("read-only start refused with %q", msg)
	}

	// Allow execution, replacing the read-only permission.
	if _, err := ownerRAM.AssociateResourceSharePermission(ctx, &ram.AssociateResourceSharePermissionInput{ResourceShareArn: aws.String(shareARN),
		PermissionArn: aws.String(pipelineExecARN), Replace: aws.Bool(true)}); err != nil {
		t.Fatalf("AssociateResourceSharePermission: %v", err)
	}
	first, err := run(consumer, "0", "first")
	if err != nil {
		t.Fatalf("StartPipelineExecution by ARN from the consumer: %v", err)
	}
	if !strings.HasPrefix(first, pipeline+"/execution/") {
		t.Fatalf("execution %s is not the owner's", first)
	}
	done := waitExecution(t, consumer, first, 90*time.Second)
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("execution started by the consumer: %s %s", done.PipelineExecutionStatus, aws.ToString(done.FailureReason))
	}
	if by := done.CreatedBy; by == nil || by.IamIdentity == nil || aws.ToString(by.IamIdentity.Arn) != consumerRoot {
		t.Errorf("CreatedBy %+v, want the consumer", by)
	}
	// Its job ran in the owner's account, as the owner's role, writing to the owner's bucket.
	job := aws.ToString(steps(t, consumer, first)["Nap"].Metadata.ProcessingJob.Arn)
	if !strings.HasPrefix(job, "arn:aws:sagemaker:us-east-1:111111111111:processing-job/") {
		t.Fatalf("job %s is not in the owner's account", job)
	}
	ownerJobs, err := owner.ListProcessingJobs(ctx, &sagemaker.ListProcessingJobsInput{MaxResults: aws.Int32(100)})
	if err != nil || !hasJob(ownerJobs.ProcessingJobSummaries, job) {
		t.Errorf("the owner's ListProcessingJobs lacks %s: %v", job, err)
	}
	consumerJobs, err := consumer.ListProcessingJobs(ctx, &sagemaker.ListProcessingJobsInput{MaxResults: aws.Int32(100)})
	if err != nil || len(consumerJobs.ProcessingJobSummaries) != 0 {
		t.Errorf("the consumer's ListProcessingJobs: %v %+v", err, consumerJobs)
	}
	jobDesc, err := owner.DescribeProcessingJob(ctx, &sagemaker.DescribeProcessingJobInput{ProcessingJobName: aws.String(job[strings.LastIndex(job, "/")+1:])})
	if err != nil || aws.ToString(jobDesc.RoleArn) != role {
		t.Errorf("the job's role: %v %+v", err, jobDesc)
	}
	id := first[strings.LastIndex(first, "/")+1:]
	if got := getObject(t, ownerCfg, bucket, "naps/"+id+"/done.txt"); got != "slept 0" {
		t.Errorf("the owner's bucket holds %q", got)
	}
	// The owner sees the execution, and who started it.
	if list, err := owner.ListPipelineExecutions(ctx, &sagemaker.ListPipelineExecutionsInput{PipelineName: aws.String("Shared-Naps")}); err != nil ||
		len(list.PipelineExecutionSummaries) != 1 || aws.ToString(list.PipelineExecutionSummaries[0].PipelineExecutionArn) != first {
		t.Errorf("the owner's ListPipelineExecutions: %v %+v", err, list)
	}
	params, err := consumer.ListPipelineParametersForExecution(ctx, &sagemaker.ListPipelineParametersForExecutionInput{PipelineExecutionArn: aws.String(first)})
	if err != nil || len(params.PipelineParameters) != 1 || aws.ToString(params.PipelineParameters[0].Value) != "0" {
		t.Errorf("ListPipelineParametersForExecution: %v %+v", err, params)
	}
	if def, err := consumer.DescribePipelineDefinitionForExecution(ctx, &sagemaker.DescribePipelineDefinitionForExecutionInput{PipelineExecutionArn: aws.String(first)}); err != nil ||
		!strings.Contains(aws.ToString(def.PipelineDefinition), "nap.py") {
		t.Errorf("DescribePipelineDefinitionForExecution: %v", err)
	}
	if got := searchNames(t, consumer, smtypes.ResourceTypePipelineExecution, true, nil); len(got) != 1 || got[0] != first {
		t.Errorf("Search for executions across accounts: %v", got)
	}

	// A long one, stopped by the consumer; it counts against the owner's limit.
	long, err := run(consumer, "120", "long")
	if err != nil {
		t.Fatalf("start a long execution: %v", err)
	}
	waitStep(t, consumer, long, "Nap", smtypes.StepStatusExecuting)
	_, err = run(owner, "0", "over-limit")
	if msg := expectAPIError(t, err, 400, "ResourceLimitExceeded"); !strings.Contains(msg, "utilization of 1") {
		t.Errorf("the owner's limit: %q", msg)
	}
	mine := ramPipeline(t, c, "consumer", "consumers-own")
	if _, err := consumer.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String(mine),
		ClientRequestToken: aws.String(token(t, "own"))}); err != nil {
		t.Errorf("the consumer's own limit is taken by the owner's execution: %v", err)
	}
	if _, err := consumer.StopPipelineExecution(ctx, &sagemaker.StopPipelineExecutionInput{PipelineExecutionArn: aws.String(long),
		ClientRequestToken: aws.String(token(t, "stop"))}); err != nil {
		t.Fatalf("StopPipelineExecution from the consumer: %v", err)
	}
	stopped := waitExecution(t, consumer, long, 90*time.Second)
	if stopped.PipelineExecutionStatus != smtypes.PipelineExecutionStatusStopped {
		t.Fatalf("stopped execution: %s", stopped.PipelineExecutionStatus)
	}
	if by := stopped.LastModifiedBy; by == nil || by.IamIdentity == nil || aws.ToString(by.IamIdentity.Arn) != consumerRoot {
		t.Errorf("LastModifiedBy after the consumer's stop: %+v", by)
	}

	// Retried by the consumer: the stopped step runs again, in the owner's account.
	if _, err := consumer.RetryPipelineExecution(ctx, &sagemaker.RetryPipelineExecutionInput{PipelineExecutionArn: aws.String(long),
		ClientRequestToken: aws.String(token(t, "retry"))}); err != nil {
		t.Fatalf("RetryPipelineExecution from the consumer: %v", err)
	}
	waitStep(t, consumer, long, "Nap", smtypes.StepStatusExecuting)
	if st := steps(t, consumer, long)["Nap"]; aws.ToInt32(st.AttemptCount) != 2 {
		t.Errorf("retried step: %+v", st)
	}
	// The owner stops it this time; its LastModifiedBy follows.
	if _, err := owner.StopPipelineExecution(ctx, &sagemaker.StopPipelineExecutionInput{PipelineExecutionArn: aws.String(long),
		ClientRequestToken: aws.String(token(t, "owner-stop"))}); err != nil {
		t.Fatalf("the owner's stop: %v", err)
	}
	if got := waitExecution(t, owner, long, 90*time.Second); aws.ToString(got.LastModifiedBy.IamIdentity.Arn) != "arn:aws:iam::"+ramOwner+":root" {
		t.Errorf("LastModifiedBy after the owner's stop: %+v", got.LastModifiedBy)
	}

	// An uninvited account is refused everywhere, and finds nothing.
	thirdCalls := map[string]error{
		"DescribePipeline":                       errOf(third.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String(pipeline)})),
		"ListPipelineExecutions":                 errOf(third.ListPipelineExecutions(ctx, &sagemaker.ListPipelineExecutionsInput{PipelineName: aws.String(pipeline)})),
		"DescribePipelineExecution":              errOf(third.DescribePipelineExecution(ctx, &sagemaker.DescribePipelineExecutionInput{PipelineExecutionArn: aws.String(first)})),
		"ListPipelineExecutionSteps":             errOf(third.ListPipelineExecutionSteps(ctx, &sagemaker.ListPipelineExecutionStepsInput{PipelineExecutionArn: aws.String(first)})),
		"ListPipelineParametersForExecution":     errOf(third.ListPipelineParametersForExecution(ctx, &sagemaker.ListPipelineParametersForExecutionInput{PipelineExecutionArn: aws.String(first)})),
		"DescribePipelineDefinitionForExecution": errOf(third.DescribePipelineDefinitionForExecution(ctx, &sagemaker.DescribePipelineDefinitionForExecutionInput{PipelineExecutionArn: aws.String(first)})),
		"StartPipelineExecution":                 errOf(run(third, "0", "third")),
		"StopPipelineExecution":                  errOf(third.StopPipelineExecution(ctx, &sagemaker.StopPipelineExecutionInput{PipelineExecutionArn: aws.String(long), ClientRequestToken: aws.String(token(t, "third-stop"))})),
		"RetryPipelineExecution":                 errOf(third.RetryPipelineExecution(ctx, &sagemaker.RetryPipelineExecutionInput{PipelineExecutionArn: aws.String(long), ClientRequestToken: aws.String(token(t, "third-retry"))})),
	}
	for op, err := range thirdCalls {
		if got := outcome(err); got != "AccessDeniedException" {
			t.Errorf("the uninvited account's %s: %s", op, got)
		}
	}
	// UpdatePipeline and DeletePipeline take a name, not an ARN (the model's PipelineName):
	// another account's pipeline can't even be named.
	for op, err := range map[string]error{
		"UpdatePipeline": errOf(third.UpdatePipeline(ctx, &sagemaker.UpdatePipelineInput{PipelineName: aws.String(pipeline), PipelineDescription: aws.String("mine")})),
		"DeletePipeline": errOf(third.DeletePipeline(ctx, &sagemaker.DeletePipelineInput{PipelineName: aws.String(pipeline), ClientRequestToken: aws.String(token(t, "third-delete"))})),
		"AddTags":        errOf(third.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String(pipeline), Tags: []smtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})),
		"ListTags":       errOf(third.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(pipeline)})),
	} {
		if got := outcome(err); got != "AccessDeniedException" && got != "ValidationException" {
			t.Errorf("the uninvited account's %s: %s", op, got)
		}
	}
	if got := searchNames(t, third, smtypes.ResourceTypePipeline, true, nil); len(got) != 0 {
		t.Errorf("the uninvited account finds %v", got)
	}
	if got := searchNames(t, third, smtypes.ResourceTypePipelineExecution, true, nil); len(got) != 0 {
		t.Errorf("the uninvited account finds executions %v", got)
	}
	// The consumer itself can't do what it was not granted.
	_, err = consumer.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(pipeline)})
	expectAPIError(t, err, 400, "AccessDeniedException")
	_, err = consumer.UpdatePipelineExecution(ctx, &sagemaker.UpdatePipelineExecutionInput{PipelineExecutionArn: aws.String(first), PipelineExecutionDescription: aws.String("mine")})
	expectAPIError(t, err, 400, "AccessDeniedException")

	// Revocation: an execution started just before goes on in the owner's account; the
	// consumer is refused from its next request.
	last, err := run(consumer, "2", "last")
	if err != nil {
		t.Fatalf("start before revocation: %v", err)
	}
	if _, err := ownerRAM.DisassociateResourceShare(ctx, &ram.DisassociateResourceShareInput{ResourceShareArn: aws.String(shareARN),
		Principals: []string{ramConsumer}}); err != nil {
		t.Fatalf("DisassociateResourceShare: %v", err)
	}
	for op, err := range map[string]error{
		"DescribePipeline":          errOf(consumer.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String(pipeline)})),
		"DescribePipelineExecution": errOf(consumer.DescribePipelineExecution(ctx, &sagemaker.DescribePipelineExecutionInput{PipelineExecutionArn: aws.String(last)})),
		"StartPipelineExecution":    errOf(run(consumer, "0", "revoked")),
		"StopPipelineExecution":     errOf(consumer.StopPipelineExecution(ctx, &sagemaker.StopPipelineExecutionInput{PipelineExecutionArn: aws.String(last), ClientRequestToken: aws.String(token(t, "revoked-stop"))})),
	} {
		if got := outcome(err); got != "AccessDeniedException" {
			t.Errorf("after revocation, the consumer's %s: %s", op, got)
		}
	}
	if got := searchNames(t, consumer, smtypes.ResourceTypePipeline, true, nil); len(got) != 0 {
		t.Errorf("after revocation Search finds %v", got)
	}
	if got := waitExecution(t, owner, last, 90*time.Second); got.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Errorf("the execution started before revocation: %s %s", got.PipelineExecutionStatus, aws.ToString(got.FailureReason))
	}
}

// errOf keeps the error of a call.
func errOf[T any](_ T, err error) error { return err }

// hasJob reports whether a list of processing jobs holds arn.
func hasJob(jobs []smtypes.ProcessingJobSummary, arn string) bool {
	for _, j := range jobs {
		if aws.ToString(j.ProcessingJobArn) == arn {
			return true
		}
	}
	return false
}
