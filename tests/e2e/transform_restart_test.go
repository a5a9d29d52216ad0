package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// slowLinearInference is linearInference that takes a while per request and records each
// model load in /opt/ml/loads.txt.
const slowLinearInference = `
import json, os, time

def model_fn(model_dir):
    with open("/opt/ml/loads.txt", "a") as f:
        f.write("load\n")
    return json.load(open(os.path.join(model_dir, "model.json")))

def predict_fn(data, model):
    time.sleep(0.2)
    return [model["a"] * data[0] + model["b"]]
`

// Killing the server (SIGKILL) while a transform job runs loses nothing: the model server
// keeps running, the restarted server re-attaches to it and finishes the transform, and
// the model is loaded once.
func TestTransformSurvivesServerKill(t *testing.T) {
	requireSandbox(t)
	bin := cairnBinary(t)
	dir := t.TempDir()
	p := serve(t, bin, dir)
	ctx := context.Background()
	cfg := p.config()
	bucket := "transform-restart"
	var input, want strings.Builder
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&input, "%d\n", i)
		fmt.Fprintf(&want, "%d.0\n", 2*i+1)
	}
	putObjects(t, cfg, bucket, map[string]string{
		"model/model.tar.gz":     tarGz(t, map[string]string{"model.json": `{"a": 2, "b": 1}`}),
		"model/sourcedir.tar.gz": tarGz(t, map[string]string{"inference.py": slowLinearInference}),
		"in/data.csv":            input.String(),
	})
	admin := iam.NewFromConfig(cfg)
	role, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("transform-restart"), AssumeRolePolicyDocument: aws.String(sagemakerTrust)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("transform-restart"), PolicyName: aws.String("p"), PolicyDocument: aws.String(modelRolePolicy)}); err != nil {
		t.Fatal(err)
	}
	client := sagemaker.NewFromConfig(cfg)
	if _, err := client.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("slow"), ExecutionRoleArn: role.Role.Arn,
		PrimaryContainer: &smtypes.ContainerDefinition{Image: aws.String(modelImage), ModelDataUrl: aws.String("s3://" + bucket + "/model/model.tar.gz"),
			Environment: map[string]string{"SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": "s3://" + bucket + "/model/sourcedir.tar.gz"}}}); err != nil {
		t.Fatal(err)
	}
	s := &transformSetup{bucket: bucket}
	if _, err := client.CreateTransformJob(ctx, s.transformInput("slow", "slow", "in/", "out", "text/csv", "text/csv", smtypes.SplitTypeLine, smtypes.BatchStrategySingleRecord)); err != nil {
		t.Fatal(err)
	}
	// Kill the server once the model is loaded and records are flowing.
	loads := filepath.Join(dir, "jobs", "000000000000", "slow", "ml", "loads.txt")
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(loads); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the model was not loaded\n%s", p.log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	p.kill()

	p = serve(t, bin, dir)
	client = sagemaker.NewFromConfig(p.config())
	done := waitTransform(t, client, "slow", 60*time.Second)
	if done.TransformJobStatus != smtypes.TransformJobStatusCompleted {
		t.Fatalf("after restart: %s: %s\n%s", done.TransformJobStatus, aws.ToString(done.FailureReason), p.log)
	}
	if got := getObject(t, p.config(), bucket, "out/data.csv.out"); got != want.String() {
		t.Errorf("output %q, want %q", got, want.String())
	}
	if b, err := os.ReadFile(loads); err != nil || string(b) != "load\n" {
		t.Errorf("model loads %q (%v): the model server ran more than once", b, err)
	}
}
