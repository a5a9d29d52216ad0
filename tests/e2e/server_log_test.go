package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// logBuffer collects a server's JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the log lines with message msg.
func (b *logBuffer) records(t testing.TB, msg string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(b.buf.String(), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// waitRecord waits until the log has a line with message msg whose fields include want.
func (b *logBuffer) waitRecord(t testing.TB, msg string, want map[string]string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, rec := range b.records(t, msg) {
			ok := true
			for k, v := range want {
				ok = ok && fmt.Sprint(rec[k]) == v
			}
			if ok {
				return rec
			}
		}
		if time.Now().After(deadline) {
			b.mu.Lock()
			all := b.buf.String()
			b.mu.Unlock()
			t.Fatalf("no log line %q with %v in:\n%s", msg, want, all)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// At INFO the server tells what an operator follows: where the profile files are, an
// execution's start and end, each step's start (with its job) and end (with its outcome),
// jobs re-attached after a restart, and denials with the deciding policy type.
func TestServerLogAtInfo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var log logBuffer
	c := start(t, startOptions{Config: accountsYAML, Log: &log})
	log.waitRecord(t, "cairn serving", map[string]string{"endpoint": c.srv.Endpoint(),
		"aws_config_file": c.dir + "/config", "aws_shared_credentials_file": c.dir + "/credentials"})

	role := pipelineRole(t, c, "data-science", "log-exec", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(c.config("data-science"))
	def := `{"Version":"2020-12-01","Steps":[
		{"Name":"Prep","Type":"Processing","Arguments":{"ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.t3.medium","InstanceCount":1,"VolumeSizeInGB":1}},
		 "AppSpecification":{"ImageUri":"none","ContainerEntrypoint":["sh","-c","echo preparing"]},"RoleArn":"` + role + `"}},
		{"Name":"Broken","Type":"Processing","DependsOn":["Prep"],"Arguments":{"ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.t3.medium","InstanceCount":1,"VolumeSizeInGB":1}},
		 "AppSpecification":{"ImageUri":"none","ContainerEntrypoint":["sh","-c","exit 3"]},"RoleArn":"` + role + `"}}]}`
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("logged"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(def), ClientRequestToken: aws.String(token(t, "create"))}); err != nil {
		t.Fatal(err)
	}
	out, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("logged"), ClientRequestToken: aws.String(token(t, "run"))})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.PipelineExecutionArn)
	if done := waitExecution(t, client, arn, 60*time.Second); done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusFailed {
		t.Fatalf("execution %s", done.PipelineExecutionStatus)
	}
	log.waitRecord(t, "pipeline execution started", map[string]string{"execution": arn, "pipeline": "logged", "account": "111111111111"})
	started := log.waitRecord(t, "step started", map[string]string{"execution": arn, "step": "Prep", "attempt": "1"})
	job, _ := started["job"].(string)
	if !strings.HasPrefix(job, "pipelines-") || !strings.Contains(job, "-Prep-") {
		t.Errorf("step started with job %q, want the job's name as created", job)
	}
	log.waitRecord(t, "step ended", map[string]string{"step": "Prep", "status": "Succeeded", "job": job})
	log.waitRecord(t, "job ended", map[string]string{"job": job, "status": "Completed"})
	broken := log.waitRecord(t, "step ended", map[string]string{"step": "Broken", "status": "Failed"})
	if reason, _ := broken["reason"].(string); !strings.Contains(reason, "exited with status 3") {
		t.Errorf("step ended with reason %q", reason)
	}
	log.waitRecord(t, "pipeline execution ended", map[string]string{"execution": arn, "status": "Failed"})

	// A denial names who, what, and the kind of policy that decided.
	alice := newUser(t, c, "data-science", "alice", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListRoles","Resource":"*"}]}`)
	_, err = iam.NewFromConfig(alice).ListRoles(ctx, &iam.ListRolesInput{})
	apiError(t, err, "AccessDenied")
	log.waitRecord(t, "access denied", map[string]string{"principal": "arn:aws:iam::111111111111:user/alice", "action": "iam:ListRoles",
		"decision": "ExplicitlyDenied", "policy_type": "identity-based policy"})
	_, err = iam.NewFromConfig(alice).ListUsers(ctx, &iam.ListUsersInput{})
	apiError(t, err, "AccessDenied")
	log.waitRecord(t, "access denied", map[string]string{"action": "iam:ListUsers", "decision": "ImplicitlyDenied", "policy_type": "identity-based policy"})

	// A job running when the server stops is re-attached by the next one, and said so.
	long, err := client.CreateProcessingJob(ctx, &sagemaker.CreateProcessingJobInput{ProcessingJobName: aws.String("Long-Job"), RoleArn: aws.String(role),
		AppSpecification:    &smtypes.AppSpecification{ImageUri: aws.String("none"), ContainerEntrypoint: []string{"sleep", "2"}},
		ProcessingResources: &smtypes.ProcessingResources{ClusterConfig: &smtypes.ProcessingClusterConfig{InstanceCount: aws.Int32(1), InstanceType: smtypes.ProcessingInstanceTypeMlT3Medium, VolumeSizeInGB: aws.Int32(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	log.waitRecord(t, "job started", map[string]string{"job": "Long-Job"})
	c.stop()
	var after logBuffer
	c = start(t, startOptions{Config: accountsYAML, DataDir: c.dir, Log: &after})
	after.waitRecord(t, "job re-attached", map[string]string{"job": "Long-Job", "arn": aws.ToString(long.ProcessingJobArn)})
	after.waitRecord(t, "job ended", map[string]string{"job": "Long-Job", "status": "Completed"})
}
