package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// Killing the server (SIGKILL) while a step's job runs loses nothing: the job keeps
// running, the restarted server re-attaches to it, and the execution ends correctly with
// the job run once.
func TestPipelineSurvivesServerKill(t *testing.T) {
	requireSandbox(t)
	bin := cairnBinary(t)
	dir := t.TempDir()
	p := serve(t, bin, dir)
	ctx := context.Background()
	cfg := p.config()
	bucket := "restart-data"
	putObjects(t, cfg, bucket, map[string]string{"flag/flag.txt": "slow", "code/gate.py": gateScript})
	admin := iam.NewFromConfig(cfg)
	role, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("restart-exec"), AssumeRolePolicyDocument: aws.String(sagemakerTrust)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("restart-exec"), PolicyName: aws.String("p"), PolicyDocument: aws.String(fullPipelinePolicy)}); err != nil {
		t.Fatal(err)
	}
	roleARN := aws.ToString(role.Role.Arn)
	client := sagemaker.NewFromConfig(cfg)
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("gate"), RoleArn: aws.String(roleARN),
		PipelineDefinition: aws.String(gatePipeline(bucket, roleARN)), ClientRequestToken: aws.String(token(t, "gate"))}); err != nil {
		t.Fatal(err)
	}
	arn := startGate(t, client, "run")
	waitStep(t, client, arn, "Gate", smtypes.StepStatusExecuting)

	p.kill()
	p = serve(t, bin, dir)
	client = sagemaker.NewFromConfig(p.config())
	done := waitExecution(t, client, arn, 90*time.Second)
	got := steps(t, client, arn)
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("after restart: %s (%s) %+v\n%s", done.PipelineExecutionStatus, aws.ToString(done.FailureReason), got, p.log)
	}
	if aws.ToInt32(got["Gate"].AttemptCount) != 1 || got["After"].StepStatus != smtypes.StepStatusSucceeded {
		t.Errorf("Gate attempts %d, After %s", aws.ToInt32(got["Gate"].AttemptCount), got["After"].StepStatus)
	}
	jobs, err := client.ListProcessingJobs(ctx, &sagemaker.ListProcessingJobsInput{NameContains: aws.String("-Gate-")})
	if err != nil || len(jobs.ProcessingJobSummaries) != 1 || jobs.ProcessingJobSummaries[0].ProcessingJobStatus != smtypes.ProcessingJobStatusCompleted {
		t.Errorf("Gate jobs: %v %+v", err, jobs)
	}
	if v := getObject(t, p.config(), bucket, "out/gate/done.txt"); !strings.Contains(v, "done") {
		t.Errorf("Gate output %q", v)
	}
}
