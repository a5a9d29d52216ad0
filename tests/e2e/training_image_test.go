package e2e

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// imagesYAML maps test images to shell commands, and runs script-mode programs with sh.
const imagesYAML = accountsYAML + `
training:
  interpreter: [sh, -e]
images:
  - pattern: "*/cairn-test/sh-train:*"
    command:
      - sh
      - -c
      - |
        test "$1" = train || { echo "argument: $1" > /opt/ml/output/failure; exit 2; }
        test -f /opt/ml/input/data/train/part-0.csv || { echo "no channel data" > /opt/ml/output/failure; exit 4; }
        cp /opt/ml/input/config/hyperparameters.json /opt/ml/model/hps.json
        printf '%s' "$SM_HPS" > /opt/ml/model/sm_hps.txt
        printf '%s' "$TRAINING_JOB_NAME" > /opt/ml/model/name.txt
        echo "loss=0.5"
        echo "val:rmse=0.75"
        echo "val:rmse=0.25 (final)"
      - sh
  - regexp: ".*/cairn-test/fail:.*"
    command: ["sh", "-c", "echo 'bad input: x is negative' > /opt/ml/output/failure; echo failing; exit 3"]
  - pattern: "*/cairn-test/args:*"
    command: ["sh", "-c", "printf '%s|' \"$@\" > /opt/ml/model/args.txt", "sh"]
  - pattern: "*/cairn-test/sleep:*"
    command: ["sh", "-c", "echo partial > /opt/ml/model/partial.txt; echo started; exec sleep 60"]
`

// Training images run through the image map; an unmapped one fails saying how to map it;
// /opt/ml/output/failure explains a failure; MaxRuntimeInSeconds and StopTrainingJob stop
// a job (its model is uploaded all the same); ContainerEntrypoint needs no mapping; the
// configured interpreter runs script-mode programs.
func TestTrainingJobImages(t *testing.T) {
	c := start(t, startOptions{Config: imagesYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "training-images"
	putObjects(t, cfg, bucket, map[string]string{
		"data/train/part-0.csv": "1,3\n",
		"code/sourcedir.tar.gz": tarGz(t, map[string]string{
			"train.py": `printf '%s|' "$@" > /opt/ml/model/args.txt; printf '%s' "$SM_HP_EPOCHS" > /opt/ml/model/epochs.txt; pwd > /opt/ml/model/cwd.txt`,
			"run.sh":   "#!/bin/sh\nprintf '%s|' \"$@\" > /opt/ml/model/args.txt\n",
		}),
	})
	role := pipelineRole(t, c, "data-science", "training-images", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(cfg)
	image := func(name string) string {
		return "123456789012.dkr.ecr.us-east-1.amazonaws.com/cairn-test/" + name + ":1.0"
	}
	create := func(t *testing.T, name, img string, change func(*sagemaker.CreateTrainingJobInput)) {
		t.Helper()
		in := trainingJob(name, role, img, "s3://"+bucket+"/out")
		in.InputDataConfig = []smtypes.Channel{s3Channel("train", "s3://"+bucket+"/data/train")}
		if change != nil {
			change(in)
		}
		if _, err := client.CreateTrainingJob(ctx, in); err != nil {
			t.Fatalf("CreateTrainingJob %s: %v", name, err)
		}
	}
	model := func(t *testing.T, out *sagemaker.DescribeTrainingJobOutput) map[string]string {
		t.Helper()
		want := "s3://" + bucket + "/out/" + aws.ToString(out.TrainingJobName) + "/output/model.tar.gz"
		if out.ModelArtifacts == nil || aws.ToString(out.ModelArtifacts.S3ModelArtifacts) != want {
			t.Fatalf("ModelArtifacts %+v, want %s", out.ModelArtifacts, want)
		}
		return untarGz(t, getObject(t, cfg, bucket, strings.TrimPrefix(want, "s3://"+bucket+"/")))
	}

	t.Run("mapped", func(t *testing.T) {
		create(t, "mapped", testImage, func(in *sagemaker.CreateTrainingJobInput) {
			in.HyperParameters = map[string]string{"epochs": "2", "name": `"x"`}
			in.AlgorithmSpecification.MetricDefinitions = []smtypes.MetricDefinition{
				{Name: aws.String("val:rmse"), Regex: aws.String(`val:rmse=(\S+)`)},
				{Name: aws.String("train:loss"), Regex: aws.String(`loss=([0-9.]+)`)}}
		})
		out := waitTraining(t, client, "mapped", 60*time.Second)
		if out.TrainingJobStatus != smtypes.TrainingJobStatusCompleted {
			t.Fatalf("%s: %s", out.TrainingJobStatus, aws.ToString(out.FailureReason))
		}
		if v, ok := metric(out, "val:rmse"); !ok || v != 0.25 {
			t.Errorf("val:rmse %v %v (the last match counts)", v, ok)
		}
		if v, ok := metric(out, "train:loss"); !ok || v != 0.5 {
			t.Errorf("train:loss %v %v", v, ok)
		}
		files := model(t, out)
		if files["name.txt"] != "mapped" || files["sm_hps.txt"] != `{"epochs":2,"name":"x"}` || !strings.Contains(files["hps.json"], `"epochs": "2"`) {
			t.Errorf("model.tar.gz %v", files)
		}
		// Nothing was written to /opt/ml/output/data: no output.tar.gz.
		if _, err := s3Client(cfg).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("out/mapped/output/output.tar.gz")}); err == nil {
			t.Error("an empty output.tar.gz was uploaded")
		}
	})

	t.Run("unmapped", func(t *testing.T) {
		img := image("not-mapped")
		create(t, "unmapped", img, nil)
		out := waitTraining(t, client, "unmapped", 30*time.Second)
		reason := aws.ToString(out.FailureReason)
		if out.TrainingJobStatus != smtypes.TrainingJobStatusFailed || out.SecondaryStatus != smtypes.SecondaryStatusFailed {
			t.Fatalf("%s/%s: %s", out.TrainingJobStatus, out.SecondaryStatus, reason)
		}
		for _, want := range []string{"ClientError: ", img + " is not mapped", "images:", `- pattern: "` + img + `"`, "command: [", "--config"} {
			if !strings.Contains(reason, want) {
				t.Errorf("FailureReason %q lacks %q", reason, want)
			}
		}
		if got := transitions(out); !reflect.DeepEqual(got, []string{"Starting", "Failed"}) {
			t.Errorf("transitions %v", got)
		}
		if out.TrainingStartTime != nil || out.TrainingEndTime != nil || out.TrainingTimeInSeconds != nil {
			t.Errorf("a job that never ran has training times: %v %v %v", out.TrainingStartTime, out.TrainingEndTime, out.TrainingTimeInSeconds)
		}
	})

	t.Run("failure file", func(t *testing.T) {
		create(t, "fails", image("fail"), nil)
		out := waitTraining(t, client, "fails", 30*time.Second)
		if out.TrainingJobStatus != smtypes.TrainingJobStatusFailed || aws.ToString(out.FailureReason) != "AlgorithmError: bad input: x is negative" {
			t.Fatalf("%s: %q", out.TrainingJobStatus, aws.ToString(out.FailureReason))
		}
		if got := transitions(out); !reflect.DeepEqual(got, []string{"Starting", "Downloading", "Training", "Failed"}) {
			t.Errorf("transitions %v", got)
		}
		if out.ModelArtifacts != nil {
			t.Errorf("a failed job has ModelArtifacts %+v", out.ModelArtifacts)
		}
	})

	t.Run("max runtime", func(t *testing.T) {
		create(t, "too-long", image("sleep"), func(in *sagemaker.CreateTrainingJobInput) {
			in.StoppingCondition.MaxRuntimeInSeconds = aws.Int32(1)
		})
		out := waitTraining(t, client, "too-long", 60*time.Second)
		if out.TrainingJobStatus != smtypes.TrainingJobStatusStopped || out.SecondaryStatus != smtypes.SecondaryStatusMaxRuntimeExceeded {
			t.Fatalf("%s/%s: %s", out.TrainingJobStatus, out.SecondaryStatus, aws.ToString(out.FailureReason))
		}
		if got := transitions(out); !reflect.DeepEqual(got, []string{"Starting", "Downloading", "Training", "Uploading", "MaxRuntimeExceeded"}) {
			t.Errorf("transitions %v", got)
		}
		if files := model(t, out); files["partial.txt"] != "partial\n" {
			t.Errorf("model.tar.gz %v", files)
		}
	})

	t.Run("stop", func(t *testing.T) {
		create(t, "stopped", image("sleep"), nil)
		waitSecondary(t, client, "stopped", smtypes.SecondaryStatusTraining, 30*time.Second)
		// The process has written its partial model once it says so; stopped before, it
		// would leave nothing to upload.
		waitLog(t, c, "111111111111", "stopped", "started", 30*time.Second)
		if _, err := client.StopTrainingJob(ctx, &sagemaker.StopTrainingJobInput{TrainingJobName: aws.String("stopped")}); err != nil {
			t.Fatalf("StopTrainingJob: %v", err)
		}
		if _, err := client.StopTrainingJob(ctx, &sagemaker.StopTrainingJobInput{TrainingJobName: aws.String("stopped")}); err != nil {
			t.Errorf("stopping a stopping job: %v", err)
		}
		out := waitTraining(t, client, "stopped", 60*time.Second)
		if out.TrainingJobStatus != smtypes.TrainingJobStatusStopped || out.SecondaryStatus != smtypes.SecondaryStatusStopped {
			t.Fatalf("%s/%s: %s", out.TrainingJobStatus, out.SecondaryStatus, aws.ToString(out.FailureReason))
		}
		if got := transitions(out); !reflect.DeepEqual(got, []string{"Starting", "Downloading", "Training", "Stopping", "Uploading", "Stopped"}) {
			t.Errorf("transitions %v", got)
		}
		if files := model(t, out); files["partial.txt"] != "partial\n" {
			t.Errorf("model.tar.gz %v", files)
		}
	})

	t.Run("entrypoint", func(t *testing.T) {
		create(t, "entrypoint", image("not-mapped"), func(in *sagemaker.CreateTrainingJobInput) {
			in.AlgorithmSpecification.ContainerEntrypoint = []string{"sh", "-c", `printf '%s|' "$@" > /opt/ml/model/args.txt`}
			in.AlgorithmSpecification.ContainerArguments = []string{"sh", "a b"}
		})
		out := waitTraining(t, client, "entrypoint", 30*time.Second)
		if out.TrainingJobStatus != smtypes.TrainingJobStatusCompleted {
			t.Fatalf("%s: %s", out.TrainingJobStatus, aws.ToString(out.FailureReason))
		}
		if files := model(t, out); files["args.txt"] != "a b|" {
			t.Errorf("ContainerArguments reached the entry point as %q", files["args.txt"])
		}
	})

	t.Run("mode argument", func(t *testing.T) {
		create(t, "mode-argument", image("args"), nil)
		create(t, "container-arguments", image("args"), func(in *sagemaker.CreateTrainingJobInput) {
			in.AlgorithmSpecification.ContainerArguments = []string{"x", "y z"}
		})
		for name, want := range map[string]string{"mode-argument": "train|", "container-arguments": "x|y z|"} {
			out := waitTraining(t, client, name, 30*time.Second)
			if out.TrainingJobStatus != smtypes.TrainingJobStatusCompleted {
				t.Fatalf("%s: %s: %s", name, out.TrainingJobStatus, aws.ToString(out.FailureReason))
			}
			if files := model(t, out); files["args.txt"] != want {
				t.Errorf("%s: the mapped command got %q, want %q", name, files["args.txt"], want)
			}
		}
	})

	t.Run("interpreter", func(t *testing.T) {
		create(t, "interpreted", image("not-mapped"), func(in *sagemaker.CreateTrainingJobInput) {
			in.HyperParameters = map[string]string{"epochs": "4", "x": `"it's"`, "sagemaker_program": `"train.py"`,
				"sagemaker_submit_directory": `"s3://` + bucket + `/code/sourcedir.tar.gz"`}
		})
		out := waitTraining(t, client, "interpreted", 30*time.Second)
		if out.TrainingJobStatus != smtypes.TrainingJobStatusCompleted {
			t.Fatalf("%s: %s", out.TrainingJobStatus, aws.ToString(out.FailureReason))
		}
		files := model(t, out)
		if files["args.txt"] != "--epochs|4|-x|it's|" || files["epochs.txt"] != "4" || files["cwd.txt"] != "/opt/ml/code\n" {
			t.Errorf("model.tar.gz %v", files)
		}
	})

	t.Run("shell program", func(t *testing.T) {
		create(t, "shell-program", image("not-mapped"), func(in *sagemaker.CreateTrainingJobInput) {
			in.HyperParameters = map[string]string{"list": "[1, 2.50, true]", "sagemaker_program": `"run.sh"`,
				"sagemaker_submit_directory": `"s3://` + bucket + `/code/sourcedir.tar.gz"`}
		})
		out := waitTraining(t, client, "shell-program", 30*time.Second)
		if out.TrainingJobStatus != smtypes.TrainingJobStatusCompleted {
			t.Fatalf("%s: %s", out.TrainingJobStatus, aws.ToString(out.FailureReason))
		}
		if files := model(t, out); files["args.txt"] != "--list|[1, 2.5, True]|" {
			t.Errorf("a .sh program got %q", files["args.txt"])
		}
	})

	t.Run("missing program", func(t *testing.T) {
		create(t, "no-program", image("not-mapped"), func(in *sagemaker.CreateTrainingJobInput) {
			in.HyperParameters = map[string]string{"sagemaker_program": `"nope.py"`,
				"sagemaker_submit_directory": `"s3://` + bucket + `/code/sourcedir.tar.gz"`}
		})
		out := waitTraining(t, client, "no-program", 30*time.Second)
		if reason := aws.ToString(out.FailureReason); out.TrainingJobStatus != smtypes.TrainingJobStatusFailed || !strings.Contains(reason, "nope.py") {
			t.Errorf("%s: %s", out.TrainingJobStatus, reason)
		}
	})
}

// A training job whose role may not read its channel fails with the denial.
func TestTrainingJobChannelDenied(t *testing.T) {
	c := start(t, startOptions{Config: imagesYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "training-denied"
	putObjects(t, cfg, bucket, map[string]string{"data/train/part-0.csv": "1,3\n"})
	role := pipelineRole(t, c, "data-science", "training-denied", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["sagemaker:*","s3:*"],"Resource":"*"},
		{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::`+bucket+`/data/*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}`)
	client := sagemaker.NewFromConfig(cfg)
	in := trainingJob("denied", role, testImage, "s3://"+bucket+"/out")
	in.InputDataConfig = []smtypes.Channel{s3Channel("train", "s3://"+bucket+"/data/train")}
	if _, err := client.CreateTrainingJob(ctx, in); err != nil {
		t.Fatal(err)
	}
	out := waitTraining(t, client, "denied", 30*time.Second)
	reason := aws.ToString(out.FailureReason)
	if out.TrainingJobStatus != smtypes.TrainingJobStatusFailed || !strings.HasPrefix(reason, "ClientError: Data download failed for channel train: ") ||
		!strings.Contains(reason, "is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::"+bucket+"/data/train/part-0.csv") ||
		!strings.Contains(reason, "training-denied") {
		t.Errorf("%s: %s", out.TrainingJobStatus, reason)
	}
	if got := transitions(out); !reflect.DeepEqual(got, []string{"Starting", "Downloading", "Failed"}) {
		t.Errorf("transitions %v", got)
	}
}
