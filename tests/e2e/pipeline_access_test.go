package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// onePrep is a pipeline with one processing step that runs prep.py; prefix, when set, is
// kept as the job-name member as the SDK does with use_custom_job_prefix.
func onePrep(bucket, role, prefix string) string {
	args := processingArgs(bucket, role, "prep.py",
		`{"InputName":"data","AppManaged":false,"S3Input":{"S3Uri":"s3://`+bucket+`/raw/data.csv","LocalPath":"/opt/ml/processing/input/data","S3DataType":"S3Prefix","S3InputMode":"File"}}`,
		`{"OutputName":"train","S3Output":{"S3Uri":"s3://`+bucket+`/out/train","LocalPath":"/opt/ml/processing/train","S3UploadMode":"EndOfJob"}},{"OutputName":"evaluation","S3Output":{"S3Uri":"s3://`+bucket+`/out/eval","LocalPath":"/opt/ml/processing/evaluation","S3UploadMode":"EndOfJob"}}`)
	if prefix != "" {
		args = strings.Replace(args, `{"ProcessingResources"`, `{"ProcessingJobName":"`+prefix+`","ProcessingResources"`, 1)
	}
	return `{"Version":"2020-12-01","Metadata":{},"Parameters":[],"Steps":[{"Name":"PrepareTheData","Type":"Processing","Arguments":` + args + `}]}`
}

// runPipeline creates a pipeline, starts it and waits for the end.
func runPipeline(t *testing.T, client *sagemaker.Client, name, role, definition string) (*sagemaker.DescribePipelineExecutionOutput, map[string]smtypes.PipelineExecutionStep) {
	t.Helper()
	ctx := context.Background()
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String(name), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(definition), ClientRequestToken: aws.String(token(t, name))}); err != nil {
		t.Fatalf("CreatePipeline %s: %v", name, err)
	}
	started, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String(name), ClientRequestToken: aws.String(token(t, name+"-run"))})
	if err != nil {
		t.Fatalf("StartPipelineExecution %s: %v", name, err)
	}
	arn := aws.ToString(started.PipelineExecutionArn)
	return waitExecution(t, client, arn, 60*time.Second), steps(t, client, arn)
}

// The seed's policy on a job-name prefix is enough for a pipeline that uses the prefix and
// not for one that does not.
func TestJobNamePrefixPolicy(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	cfg := c.config("data-science")
	bucket := "prefix-data"
	putObjects(t, cfg, bucket, map[string]string{"raw/data.csv": "1\n2\n", "code/prep.py": prepScript})
	role := pipelineRole(t, c, "data-science", "prefixed-exec", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["sagemaker:CreateProcessingJob","sagemaker:DescribeProcessingJob"],"Resource":"arn:aws:sagemaker:us-east-1:111111111111:*/MyBaseJobName-*"},
		{"Effect":"Allow","Action":"s3:*","Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}}}]}`)
	client := sagemaker.NewFromConfig(cfg)

	done, got := runPipeline(t, client, "with-prefix", role, onePrep(bucket, role, "MyBaseJobName"))
	step := got["PrepareTheData"]
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("prefixed pipeline: %s (%s) step %s", done.PipelineExecutionStatus, aws.ToString(done.FailureReason), aws.ToString(step.FailureReason))
	}
	arn := aws.ToString(step.Metadata.ProcessingJob.Arn)
	execID := aws.ToString(done.PipelineExecutionArn)[strings.LastIndex(aws.ToString(done.PipelineExecutionArn), "/")+1:]
	if !strings.Contains(arn, ":processing-job/mybasejobname-"+execID+"-") || !strings.HasSuffix(arn, "-1") {
		t.Errorf("prefixed job ARN %s: want processing-job/mybasejobname-<execution id>-<token>-<attempt>, lowercased", arn)
	}

	done, got = runPipeline(t, client, "without-prefix", role, onePrep(bucket, role, ""))
	step = got["PrepareTheData"]
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusFailed || step.StepStatus != smtypes.StepStatusFailed {
		t.Fatalf("unprefixed pipeline: %s, step %s", done.PipelineExecutionStatus, step.StepStatus)
	}
	reason := aws.ToString(step.FailureReason)
	if !strings.HasPrefix(reason, "User: arn:aws:sts::111111111111:assumed-role/prefixed-exec/") ||
		!strings.Contains(reason, "is not authorized to perform: sagemaker:CreateProcessingJob on resource: arn:aws:sagemaker:us-east-1:111111111111:processing-job/pipelines-") ||
		!strings.Contains(reason, "-PrepareTheData-") {
		t.Errorf("unprefixed denial: %s", reason)
	}
}

// CreatePipeline needs iam:PassRole on the execution role; JsonGet reads S3 as the execution
// role and fails the step with the denial when it may not.
func TestPassRoleAndJsonGetDenials(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "denials-data"
	putObjects(t, cfg, bucket, map[string]string{"raw/data.csv": "0.9\n0.8\n", "code/prep.py": prepScript, "code/publish.py": publishScript})
	stepRole := pipelineRole(t, c, "data-science", "step-role", fullPipelinePolicy)
	// The pipeline role runs jobs and passes the step role, but may not read objects.
	pipelineRoleARN := pipelineRole(t, c, "data-science", "no-read-exec", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["sagemaker:*","s3:ListBucket","s3:PutObject"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}`)

	// A user who may create pipelines but not pass the role.
	user := sagemaker.NewFromConfig(newUser(t, c, "data-science", "builder", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}]}`))
	_, err := user.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("denied"), RoleArn: aws.String(pipelineRoleARN),
		PipelineDefinition: aws.String(onePrep(bucket, stepRole, "")), ClientRequestToken: aws.String(token(t, "denied"))})
	msg := apiError(t, err, "AccessDeniedException")
	if msg != "User: arn:aws:iam::111111111111:user/builder is not authorized to perform: iam:PassRole on resource: "+pipelineRoleARN+" because no identity-based policy allows the iam:PassRole action" {
		t.Errorf("PassRole denial: %s", msg)
	}

	done, got := runPipeline(t, sagemaker.NewFromConfig(cfg), "jsonget-denied", pipelineRoleARN, branchingPipeline(bucket, stepRole))
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusFailed {
		t.Fatalf("execution %s", done.PipelineExecutionStatus)
	}
	if got["Prep"].StepStatus != smtypes.StepStatusSucceeded {
		t.Fatalf("Prep (runs as the step role): %s %s", got["Prep"].StepStatus, aws.ToString(got["Prep"].FailureReason))
	}
	reason := aws.ToString(got["CheckScore"].FailureReason)
	if got["CheckScore"].StepStatus != smtypes.StepStatusFailed || !strings.Contains(reason, "is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::"+bucket+"/runs/") ||
		!strings.Contains(reason, "assumed-role/no-read-exec/") {
		t.Errorf("JsonGet denial: %s %s", got["CheckScore"].StepStatus, reason)
	}
}
