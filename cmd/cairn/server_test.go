package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/cairnhq/cairn/internal/server"
)

// The commands that ask a server (watch, logs) are tested against a real one, set up with
// the AWS SDK as a user would with any client.

const testAccounts = `
accounts:
  - name: data-science
    id: "111111111111"
`

// testServer is a Cairn server on a random loopback port.
type testServer struct {
	srv *server.Server
	dir string
}

func startServer(t *testing.T) *testServer {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "cairn.yaml")
	if err := os.WriteFile(cfg, []byte(testAccounts), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := server.Open(context.Background(), server.Options{Listen: "127.0.0.1:0", DataDir: dir, ConfigFile: cfg,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
		<-done
	})
	return &testServer{srv: srv, dir: dir}
}

// sdk returns an SDK config for profile, from the files the server wrote.
func (s *testServer) sdk(t *testing.T, profile string) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedConfigFiles([]string{filepath.Join(s.dir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(s.dir, "credentials")}),
		config.WithSharedConfigProfile(profile))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// cairn runs a cairn command and returns its exit code, standard output and error.
func cairn(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncBuffer
	code := run(context.Background(), args, streams{in: strings.NewReader(""), out: &out, err: &errOut})
	return code, out.String(), errOut.String()
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

const runJobs = `{"Version":"2012-10-17","Statement":[
	{"Effect":"Allow","Action":["sagemaker:*","s3:*"],"Resource":"*"},
	{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}}}]}`

// role creates the pipelines' execution role.
func (s *testServer) role(t *testing.T) string {
	t.Helper()
	admin := iam.NewFromConfig(s.sdk(t, "data-science"))
	out, err := admin.CreateRole(context.Background(), &iam.CreateRoleInput{RoleName: aws.String("exec"), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutRolePolicy(context.Background(), &iam.PutRolePolicyInput{RoleName: aws.String("exec"), PolicyName: aws.String("p"), PolicyDocument: aws.String(runJobs)}); err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Role.Arn)
}

// processingStep is a Processing step whose job runs script with sh.
func processingStep(name, role, script string, dependsOn ...string) string {
	deps := ""
	if len(dependsOn) > 0 {
		deps = `"DependsOn":["` + strings.Join(dependsOn, `","`) + `"],`
	}
	return `{"Name":"` + name + `","Type":"Processing",` + deps + `"Arguments":{"ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.t3.medium","InstanceCount":1,"VolumeSizeInGB":1}},
		"AppSpecification":{"ImageUri":"none","ContainerEntrypoint":["sh","-c",` + quote(script) + `]},"RoleArn":"` + role + `"}}`
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// startPipeline creates pipeline name with steps and starts an execution of it.
func (s *testServer) startPipeline(t *testing.T, role, name string, steps ...string) string {
	t.Helper()
	ctx := context.Background()
	sm := sagemaker.NewFromConfig(s.sdk(t, "data-science"))
	def := `{"Version":"2020-12-01","Steps":[` + strings.Join(steps, ",") + `]}`
	if _, err := sm.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String(name), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(def), ClientRequestToken: aws.String(name + "-create-00000000000000000000000000")}); err != nil {
		t.Fatal(err)
	}
	out, err := sm.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String(name),
		ClientRequestToken: aws.String(name + "-start-000000000000000000000000000")})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.PipelineExecutionArn)
}

// waitExecution waits for an execution to end, and skips the test where jobs cannot run.
func (s *testServer) waitExecution(t *testing.T, arn string) *sagemaker.DescribePipelineExecutionOutput {
	t.Helper()
	sm := sagemaker.NewFromConfig(s.sdk(t, "data-science"))
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, err := sm.DescribePipelineExecution(context.Background(), &sagemaker.DescribePipelineExecutionInput{PipelineExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		switch out.PipelineExecutionStatus {
		case smtypes.PipelineExecutionStatusExecuting, smtypes.PipelineExecutionStatusStopping:
		default:
			if r := aws.ToString(out.FailureReason); strings.Contains(r, "sandbox") || strings.Contains(r, "namespace") {
				t.Skipf("jobs cannot run on this host: %s", r)
			}
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution still %s", out.PipelineExecutionStatus)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
