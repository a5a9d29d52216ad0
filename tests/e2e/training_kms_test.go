package e2e

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// kmsTrainScript writes a model.
const kmsTrainScript = `
import os
with open(os.path.join(os.environ.get("SM_MODEL_DIR", "/opt/ml/model"), "model.txt"), "w") as f:
    f.write("weights")
`

// A training job's OutputDataConfig.KmsKeyId: the model artifact is written SSE-KMS under
// that key as the job's role, and a role that may not use the key fails the job.
func TestTrainingJobOutputKMSKey(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "training-kms"
	putObjects(t, cfg, bucket, map[string]string{
		"data/train/part-0.csv": "1,3\n2,5\n3,7\n",
		"code/sourcedir.tar.gz": tarGz(t, map[string]string{"train.py": kmsTrainScript}),
	})
	keyARN := mustKey(t, kmsFor(cfg), "")
	client := sagemaker.NewFromConfig(cfg)
	run := func(name, role string) *sagemaker.DescribeTrainingJobOutput {
		in := trainingJob(name, role, "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3", "s3://"+bucket+"/models/")
		in.OutputDataConfig.KmsKeyId = aws.String(keyARN)
		in.InputDataConfig = []smtypes.Channel{s3Channel("train", "s3://"+bucket+"/data/train")}
		in.HyperParameters = map[string]string{"sagemaker_program": `"train.py"`,
			"sagemaker_submit_directory": `"s3://` + bucket + `/code/sourcedir.tar.gz"`}
		if _, err := client.CreateTrainingJob(ctx, in); err != nil {
			t.Fatalf("CreateTrainingJob %s: %v", name, err)
		}
		return waitTraining(t, client, name, 2*time.Minute)
	}

	noKMS := pipelineRole(t, c, "data-science", "no-kms", fullPipelinePolicy)
	out := run("kms-denied", noKMS)
	if out.TrainingJobStatus != smtypes.TrainingJobStatusFailed || !strings.Contains(aws.ToString(out.FailureReason), "kms:GenerateDataKey") {
		t.Fatalf("a role without kms:GenerateDataKey: %s %q", out.TrainingJobStatus, aws.ToString(out.FailureReason))
	}

	withKMS := pipelineRole(t, c, "data-science", "with-kms", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["sagemaker:*","s3:*","kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}}}]}`)
	out = run("kms-allowed", withKMS)
	if out.TrainingJobStatus != smtypes.TrainingJobStatusCompleted {
		t.Fatalf("with the permission: %s %q", out.TrainingJobStatus, aws.ToString(out.FailureReason))
	}
	artifact := aws.ToString(out.ModelArtifacts.S3ModelArtifacts)
	key := strings.TrimPrefix(artifact, "s3://"+bucket+"/")
	head, err := c.s3Client("data-science").HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil || head.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(head.SSEKMSKeyId) != keyARN {
		t.Fatalf("model artifact %s: %+v %v", artifact, head, err)
	}
}

// A training job's ResourceConfig.VolumeKmsKeyId: the volume's data key is made under that
// key as the job's role, through SageMaker, before the job runs — a role that may not use
// the key, or a key that does not exist, fails the job; with the permission it runs and
// describes the key.
func TestTrainingJobVolumeKMSKey(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "training-volume-kms"
	putObjects(t, cfg, bucket, map[string]string{
		"data/train/part-0.csv": "1,3\n2,5\n3,7\n",
		"code/sourcedir.tar.gz": tarGz(t, map[string]string{"train.py": kmsTrainScript}),
	})
	keyARN := mustKey(t, kmsFor(cfg), "")
	client := sagemaker.NewFromConfig(cfg)
	run := func(name, role, volumeKey string) *sagemaker.DescribeTrainingJobOutput {
		in := trainingJob(name, role, "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3", "s3://"+bucket+"/models/")
		if volumeKey != "" {
			in.ResourceConfig.VolumeKmsKeyId = aws.String(volumeKey)
		}
		in.InputDataConfig = []smtypes.Channel{s3Channel("train", "s3://"+bucket+"/data/train")}
		in.HyperParameters = map[string]string{"sagemaker_program": `"train.py"`,
			"sagemaker_submit_directory": `"s3://` + bucket + `/code/sourcedir.tar.gz"`}
		if _, err := client.CreateTrainingJob(ctx, in); err != nil {
			t.Fatalf("CreateTrainingJob %s: %v", name, err)
		}
		return waitTraining(t, client, name, 2*time.Minute)
	}

	noKMS := pipelineRole(t, c, "data-science", "no-kms", fullPipelinePolicy)
	out := run("volume-denied", noKMS, keyARN)
	if out.TrainingJobStatus != smtypes.TrainingJobStatusFailed || !strings.Contains(aws.ToString(out.FailureReason), "kms:GenerateDataKeyWithoutPlaintext") {
		t.Fatalf("a role without kms:GenerateDataKeyWithoutPlaintext: %s %q", out.TrainingJobStatus, aws.ToString(out.FailureReason))
	}

	withKMS := pipelineRole(t, c, "data-science", "with-kms", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["sagemaker:*","s3:*","kms:GenerateDataKeyWithoutPlaintext"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}}}]}`)
	missing := keyARN[:strings.LastIndex(keyARN, "/")+1] + "00000000-0000-0000-0000-000000000000"
	out = run("volume-missing", withKMS, missing)
	if out.TrainingJobStatus != smtypes.TrainingJobStatusFailed || !strings.Contains(aws.ToString(out.FailureReason), "ClientError") {
		t.Fatalf("a volume key that does not exist: %s %q", out.TrainingJobStatus, aws.ToString(out.FailureReason))
	}
	t.Logf("a volume key that does not exist: %s", aws.ToString(out.FailureReason))

	out = run("volume-allowed", withKMS, keyARN)
	if out.TrainingJobStatus != smtypes.TrainingJobStatusCompleted {
		t.Fatalf("with the permission: %s %q", out.TrainingJobStatus, aws.ToString(out.FailureReason))
	}
	if got := aws.ToString(out.ResourceConfig.VolumeKmsKeyId); got != keyARN {
		t.Errorf("DescribeTrainingJob ResourceConfig.VolumeKmsKeyId %q, want %q", got, keyARN)
	}
	// The encrypted volume does not outlive its job: /opt/ml (the input copied in, the
	// model before its upload) is gone, the log stays. A job without a volume key keeps
	// its files for inspection.
	jobDir := func(name string) string { return filepath.Join(c.dir, "jobs", "111111111111", name) }
	// The volume goes once the end is recorded, a moment after DescribeTrainingJob can
	// show it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := os.Stat(filepath.Join(jobDir("volume-allowed"), "ml"))
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the volume of a job with VolumeKmsKeyId is still on disk 10 s after it ended: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(jobDir("volume-allowed"), "output.log")); err != nil {
		t.Errorf("the job's log: %v", err)
	}
	if out := run("volume-none", withKMS, ""); out.TrainingJobStatus != smtypes.TrainingJobStatusCompleted {
		t.Fatalf("without a volume key: %s %q", out.TrainingJobStatus, aws.ToString(out.FailureReason))
	}
	if _, err := os.Stat(filepath.Join(jobDir("volume-none"), "ml", "input", "data", "train", "part-0.csv")); err != nil {
		t.Errorf("the files of a job without a volume key: %v", err)
	}
}
