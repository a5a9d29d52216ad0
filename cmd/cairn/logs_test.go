package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// cairn logs finds a job by its name in any case, by its ARN, or by an execution ARN and
// a step name, and follows a running job to its end.
func TestLogs(t *testing.T) {
	s := startServer(t)
	role := s.role(t)
	arn := s.startPipeline(t, role, "logged",
		processingStep("Prep", role, "echo line one; echo line two"),
		processingStep("Slow", role, "echo begin; sleep 1; echo end", "Prep"),
		`{"Name":"Check","Type":"Condition","DependsOn":["Slow"],"Arguments":{"Conditions":[{"Type":"Equals","LeftValue":1,"RightValue":1}],"IfSteps":[],"ElseSteps":[]}}`)
	base := []string{"logs", "--data-dir", s.dir, "--profile", "data-science"}

	// Followed while it runs: the step's log from start to end, though it had not
	// started when the command began.
	code, out, errOut := cairn(t, append(base, "-f", arn, "Slow")...)
	if code != 0 || out != "begin\nend\n" {
		t.Errorf("logs -f EXECUTION Slow: exit %d, %q, stderr %s", code, out, errOut)
	}
	s.waitExecution(t, arn)

	sm := sagemaker.NewFromConfig(s.sdk(t, "data-science"))
	list, err := sm.ListProcessingJobs(context.Background(), &sagemaker.ListProcessingJobsInput{NameContains: aws.String("-Prep-")})
	if err != nil || len(list.ProcessingJobSummaries) != 1 {
		t.Fatalf("the Prep job: %v %+v", err, list)
	}
	name, jobARN := aws.ToString(list.ProcessingJobSummaries[0].ProcessingJobName), aws.ToString(list.ProcessingJobSummaries[0].ProcessingJobArn)
	if name == strings.ToLower(name) || !strings.HasSuffix(jobARN, strings.ToLower(name)) {
		t.Fatalf("the job's name %s and ARN %s: the test expects a mixed-case name, lowercased in the ARN", name, jobARN)
	}
	for _, target := range [][]string{{name}, {strings.ToLower(name)}, {strings.ToUpper(name)}, {jobARN}, {arn, "Prep"}, {arn, "prep"}} {
		code, out, errOut := cairn(t, append(base, target...)...)
		if code != 0 || out != "line one\nline two\n" {
			t.Errorf("logs %v: exit %d, %q, stderr %s", target, code, out, errOut)
		}
	}

	typo := name[:len(name)-1] + "0" // one character off, whatever the case
	if strings.HasSuffix(name, "0") {
		typo = name[:len(name)-1] + "1"
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{typo}, []string{"no processing, training or transform job is named", "did you mean:\n  " + name}},
		{[]string{name[:len("pipelines-")+12]}, []string{"did you mean:\n", "\n  " + name + "\n", "-Slow-"}},
		{[]string{"nothing-like-it-at-all-anywhere"}, []string{"no processing, training or transform job is named"}},
		{[]string{arn, "Check"}, []string{"step Check is a Condition step: it runs no job"}},
		{[]string{arn, "Nope"}, []string{`the execution has no step named "Nope"; its steps are Prep, Slow, Check`}},
		{[]string{"arn:aws:sagemaker:us-east-1:111111111111:pipeline/logged", "Prep"}, []string{"is not a pipeline execution ARN"}},
		{[]string{"arn:aws:sagemaker:us-east-1:111111111111:model/m"}, []string{"is not the ARN of a processing, training or transform job"}},
	} {
		code, out, errOut := cairn(t, append(base, tc.args...)...)
		if code != 1 || out != "" {
			t.Errorf("logs %v: exit %d, output %q", tc.args, code, out)
		}
		for _, want := range tc.want {
			if !strings.Contains(errOut, want) {
				t.Errorf("logs %v: stderr %q lacks %q", tc.args, errOut, want)
			}
		}
	}

	// --profile asks as that principal: a user who may not describe the job is refused.
	admin := iam.NewFromConfig(s.sdk(t, "data-science"))
	ctx := context.Background()
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:List*","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	writeFile(t, filepath.Join(files, "config"), "[profile alice]\nregion = us-east-1\nendpoint_url = "+s.srv.Endpoint()+"\n")
	writeFile(t, filepath.Join(files, "credentials"), "[alice]\naws_access_key_id = "+aws.ToString(key.AccessKey.AccessKeyId)+
		"\naws_secret_access_key = "+aws.ToString(key.AccessKey.SecretAccessKey)+"\n")
	code, out, errOut = cairn(t, "logs", "--data-dir", files, "--profile", "alice", jobARN)
	if code != 1 || out != "" || !strings.Contains(errOut, "AccessDeniedException") || !strings.Contains(errOut, "sagemaker:DescribeProcessingJob") ||
		!strings.Contains(errOut, "asked as profile alice") {
		t.Errorf("logs as alice: exit %d, %q, stderr %s", code, out, errOut)
	}
	// A profile without an endpoint is refused before anything is sent.
	writeFile(t, filepath.Join(files, "config"), "[profile alice]\nregion = us-east-1\n")
	code, _, errOut = cairn(t, "logs", "--data-dir", files, "--profile", "alice", jobARN)
	if code != 1 || !strings.Contains(errOut, "has no endpoint_url") {
		t.Errorf("a profile without endpoint_url: exit %d, stderr %s", code, errOut)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
