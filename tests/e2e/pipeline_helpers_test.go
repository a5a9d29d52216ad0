package e2e

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

const sagemakerTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// pipelineRole creates a role SageMaker may assume with the given inline policy.
func pipelineRole(t testing.TB, c *cairn, profile, name, policy string) string {
	t.Helper()
	requireSandbox(t) // the roles these tests create are for jobs
	ctx := context.Background()
	admin := iam.NewFromConfig(c.config(profile))
	out, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(sagemakerTrust)})
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)}); err != nil {
		t.Fatalf("PutRolePolicy %s: %v", name, err)
	}
	return aws.ToString(out.Role.Arn)
}

// fullPipelinePolicy lets a role run SageMaker jobs, pass itself and use S3.
const fullPipelinePolicy = `{"Version":"2012-10-17","Statement":[
	{"Effect":"Allow","Action":["sagemaker:*","s3:*"],"Resource":"*"},
	{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}}}]}`

func s3Client(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

// putObjects creates a bucket and uploads objects into it.
func putObjects(t testing.TB, cfg aws.Config, bucket string, objects map[string]string) {
	t.Helper()
	for key := range objects {
		if strings.HasSuffix(key, ".py") {
			requirePython(t)
		}
	}
	ctx := context.Background()
	client := s3Client(cfg)
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil && !strings.Contains(err.Error(), "BucketAlreadyOwnedByYou") {
		t.Fatalf("CreateBucket %s: %v", bucket, err)
	}
	for key, body := range objects {
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Fatalf("PutObject %s: %v", key, err)
		}
	}
}

func getObject(t testing.TB, cfg aws.Config, bucket, key string) string {
	t.Helper()
	out, err := s3Client(cfg).GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObject s3://%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(out.Body)
	return buf.String()
}

// token returns a ClientRequestToken (32+ characters) unique to the test and suffix.
func token(t testing.TB, suffix string) string {
	s := strings.ReplaceAll(t.Name(), "/", "-") + "-" + suffix + "-0000000000000000000000000000000"
	if len(s) > 128 {
		s = s[len(s)-128:]
	}
	return s
}

// waitExecution polls an execution until it leaves Executing/Stopping.
func waitExecution(t testing.TB, client *sagemaker.Client, arn string, timeout time.Duration) *sagemaker.DescribePipelineExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out, err := client.DescribePipelineExecution(context.Background(), &sagemaker.DescribePipelineExecutionInput{PipelineExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatalf("DescribePipelineExecution: %v", err)
		}
		switch out.PipelineExecutionStatus {
		case smtypes.PipelineExecutionStatusExecuting, smtypes.PipelineExecutionStatusStopping:
		default:
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s still %s after %s", arn, out.PipelineExecutionStatus, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// steps lists an execution's steps by name.
func steps(t testing.TB, client *sagemaker.Client, arn string) map[string]smtypes.PipelineExecutionStep {
	t.Helper()
	out, err := client.ListPipelineExecutionSteps(context.Background(), &sagemaker.ListPipelineExecutionStepsInput{PipelineExecutionArn: aws.String(arn), MaxResults: aws.Int32(100)})
	if err != nil {
		t.Fatalf("ListPipelineExecutionSteps: %v", err)
	}
	m := map[string]smtypes.PipelineExecutionStep{}
	for _, s := range out.PipelineExecutionSteps {
		m[aws.ToString(s.StepName)] = s
	}
	return m
}

// requirePython skips a test whose jobs run Python scripts on a machine without python3.
func requirePython(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not on PATH: this test's jobs run Python scripts")
	}
}
