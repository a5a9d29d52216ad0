package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/cairnhq/cairn/internal/runner"
)

// testImage is a training image URI the tests' image maps match.
const testImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/cairn-test/sh-train:1.0"

// tarGz builds a gzipped tar of files (name → content), as the SDK packs a source dir.
func tarGz(t testing.TB, files map[string]string) string {
	t.Helper()
	for name := range files {
		if strings.HasSuffix(name, ".py") {
			requirePython(t)
		}
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		io.WriteString(tw, files[name])
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.String()
}

// untarGz reads a gzipped tar into a map of its regular files.
func untarGz(t *testing.T, data string) map[string]string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader([]byte(data)))
	if err != nil {
		t.Fatalf("not a gzip file: %v", err)
	}
	tr := tar.NewReader(zr)
	files := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatalf("not a tar archive: %v", err)
		}
		if h.Typeflag == tar.TypeReg {
			b, _ := io.ReadAll(tr)
			files[h.Name] = string(b)
		}
	}
}

// trainingJob is a CreateTrainingJob request with the members every test needs.
func trainingJob(name, role, image, output string) *sagemaker.CreateTrainingJobInput {
	return &sagemaker.CreateTrainingJobInput{
		TrainingJobName: aws.String(name),
		RoleArn:         aws.String(role),
		AlgorithmSpecification: &smtypes.AlgorithmSpecification{
			TrainingImage: aws.String(image), TrainingInputMode: smtypes.TrainingInputModeFile},
		OutputDataConfig:  &smtypes.OutputDataConfig{S3OutputPath: aws.String(output)},
		ResourceConfig:    &smtypes.ResourceConfig{InstanceType: smtypes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(30)},
		StoppingCondition: &smtypes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(120)},
	}
}

// s3Channel is an S3Prefix channel in File mode.
func s3Channel(name, uri string) smtypes.Channel {
	return smtypes.Channel{ChannelName: aws.String(name), ContentType: aws.String("text/csv"),
		DataSource: &smtypes.DataSource{S3DataSource: &smtypes.S3DataSource{S3DataType: smtypes.S3DataTypeS3Prefix,
			S3Uri: aws.String(uri), S3DataDistributionType: smtypes.S3DataDistributionFullyReplicated}}}
}

// waitTraining polls a training job until it leaves InProgress/Stopping.
func waitTraining(t *testing.T, client *sagemaker.Client, name string, timeout time.Duration) *sagemaker.DescribeTrainingJobOutput {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out, err := client.DescribeTrainingJob(context.Background(), &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(name)})
		if err != nil {
			t.Fatalf("DescribeTrainingJob %s: %v", name, err)
		}
		switch out.TrainingJobStatus {
		case smtypes.TrainingJobStatusInProgress, smtypes.TrainingJobStatusStopping:
		default:
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("training job %s still %s (%s) after %s", name, out.TrainingJobStatus, out.SecondaryStatus, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitSecondary polls a training job until its secondary status is want.
func waitSecondary(t *testing.T, client *sagemaker.Client, name string, want smtypes.SecondaryStatus, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out, err := client.DescribeTrainingJob(context.Background(), &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(name)})
		if err != nil {
			t.Fatalf("DescribeTrainingJob %s: %v", name, err)
		}
		if out.SecondaryStatus == want {
			return
		}
		if time.Now().After(deadline) || (out.TrainingJobStatus != smtypes.TrainingJobStatusInProgress && out.TrainingJobStatus != smtypes.TrainingJobStatusStopping) {
			t.Fatalf("training job %s: %s/%s (%s), want secondary status %s", name, out.TrainingJobStatus, out.SecondaryStatus, aws.ToString(out.FailureReason), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// transitions lists the statuses of a job's SecondaryStatusTransitions.
func transitions(out *sagemaker.DescribeTrainingJobOutput) []string {
	var s []string
	for _, tr := range out.SecondaryStatusTransitions {
		s = append(s, string(tr.Status))
	}
	return s
}

// metric returns the final value of a metric and whether the job has it.
func metric(out *sagemaker.DescribeTrainingJobOutput, name string) (float32, bool) {
	for _, m := range out.FinalMetricDataList {
		if aws.ToString(m.MetricName) == name {
			return aws.ToFloat32(m.Value), true
		}
	}
	return 0, false
}

// waitLog waits until the log of an account's job holds text.
func waitLog(t *testing.T, c *cairn, account, job, text string, timeout time.Duration) {
	t.Helper()
	path := runner.LogPath(c.dir, account, job)
	deadline := time.Now().Add(timeout)
	for {
		b, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(b), text) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log of job %s never said %q (%s: %q, %v)", job, text, path, b, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
