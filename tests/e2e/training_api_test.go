package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/sharedtest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// fitScript is a script-mode training program: it fits y = a·x + b by least squares on the
// CSV files of the train channel, saves the model as model.json, prints its RMSE for the
// metric definition, and records what the training toolkit's contract gave it.
const fitScript = `
import csv, glob, json, math, os, sys
rows = []
for path in sorted(glob.glob(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "*.csv"))):
    rows += [(float(x), float(y)) for x, y in csv.reader(open(path)) if x]
n = len(rows)
sx = sum(x for x, _ in rows); sy = sum(y for _, y in rows)
sxx = sum(x * x for x, _ in rows); sxy = sum(x * y for x, y in rows)
a = (n * sxy - sx * sy) / (n * sxx - sx * sx)
b = (sy - a * sx) / n
rmse = math.sqrt(sum((y - a * x - b) ** 2 for x, y in rows) / n)
print("epoch done")
print("rmse=%.6f" % rmse)
cfg = "/opt/ml/input/config/"
seen = {
    "args": sys.argv[1:],
    "cwd": os.getcwd(),
    "hps": json.loads(os.environ["SM_HPS"]),
    "hp_lr": os.environ.get("SM_HP_LEARNING-RATE"),
    "channels": json.loads(os.environ["SM_CHANNELS"]),
    "hosts": json.loads(os.environ["SM_HOSTS"]),
    "current_host": os.environ["SM_CURRENT_HOST"],
    "model_dir": os.environ["SM_MODEL_DIR"],
    "output_data_dir": os.environ["SM_OUTPUT_DATA_DIR"],
    "num_gpus": os.environ["SM_NUM_GPUS"],
    "entry": os.environ["SM_USER_ENTRY_POINT"],
    "job": os.environ["TRAINING_JOB_NAME"],
    "arn": os.environ["TRAINING_JOB_ARN"],
    "extra": os.environ.get("EXTRA"),
    "training_env_job": json.loads(os.environ["SM_TRAINING_ENV"])["job_name"],
    "hyperparameters.json": json.load(open(cfg + "hyperparameters.json")),
    "inputdataconfig.json": json.load(open(cfg + "inputdataconfig.json")),
    "resourceconfig.json": json.load(open(cfg + "resourceconfig.json")),
    "helper": open("lib/helper.txt").read(),
}
json.dump({"a": a, "b": b, "seen": seen}, open(os.path.join(os.environ["SM_MODEL_DIR"], "model.json"), "w"))
open(os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "residuals.txt"), "w").write("%d rows\n" % n)
`

// A script-mode training job through the API: channels staged, the source extracted, the
// program run with the toolkit's arguments and environment, metrics read from the log and
// the model uploaded as model.tar.gz.
func TestTrainingJobScriptMode(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "training-fit"
	var csv strings.Builder
	for x := 0; x < 20; x++ {
		noise := 0.1
		if x%2 == 1 {
			noise = -0.1
		}
		csv.WriteString(jsonNumber(float64(x)) + "," + jsonNumber(2*float64(x)+1+noise) + "\n")
	}
	putObjects(t, cfg, bucket, map[string]string{
		"data/train/part-0.csv": csv.String(),
		"code/sourcedir.tar.gz": tarGz(t, map[string]string{"train.py": fitScript, "lib/helper.txt": "helper file"}),
	})
	role := pipelineRole(t, c, "data-science", "training-fit", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(cfg)

	in := trainingJob("fit-line-1", role, "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3", "s3://"+bucket+"/models/")
	in.AlgorithmSpecification.MetricDefinitions = []smtypes.MetricDefinition{
		{Name: aws.String("train:rmse"), Regex: aws.String(`rmse=([0-9\.]+)`)},
		{Name: aws.String("never"), Regex: aws.String(`loss=([0-9\.]+)`)}}
	in.InputDataConfig = []smtypes.Channel{s3Channel("train", "s3://"+bucket+"/data/train")}
	in.HyperParameters = map[string]string{
		"epochs": "3", "learning-rate": "0.5", "mode": `"fast"`, "flag": "true", "raw": "not json",
		"sagemaker_program":             `"train.py"`,
		"sagemaker_submit_directory":    `"s3://` + bucket + `/code/sourcedir.tar.gz"`,
		"sagemaker_container_log_level": "20",
	}
	in.Environment = map[string]string{"EXTRA": "x"}
	in.Tags = []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}}
	created, err := client.CreateTrainingJob(ctx, in)
	if err != nil {
		t.Fatalf("CreateTrainingJob: %v", err)
	}
	if want := "arn:aws:sagemaker:us-east-1:111111111111:training-job/fit-line-1"; aws.ToString(created.TrainingJobArn) != want {
		t.Errorf("TrainingJobArn %s, want %s", aws.ToString(created.TrainingJobArn), want)
	}
	if _, err := client.CreateTrainingJob(ctx, in); err == nil {
		t.Error("a second job of the same name was created")
	} else {
		apiError(t, err, "ResourceInUse")
	}

	out := waitTraining(t, client, "fit-line-1", 90*time.Second)
	if out.TrainingJobStatus != smtypes.TrainingJobStatusCompleted || out.SecondaryStatus != smtypes.SecondaryStatusCompleted {
		t.Fatalf("job %s/%s: %s", out.TrainingJobStatus, out.SecondaryStatus, aws.ToString(out.FailureReason))
	}
	if got, want := transitions(out), []string{"Starting", "Downloading", "Training", "Uploading", "Completed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("transitions %v, want %v", got, want)
	}
	for i, tr := range out.SecondaryStatusTransitions {
		if tr.StartTime == nil || tr.EndTime == nil || tr.EndTime.Before(*tr.StartTime) || aws.ToString(tr.StatusMessage) == "" {
			t.Errorf("transition %d: %+v", i, tr)
		}
	}
	rmse, ok := metric(out, "train:rmse")
	if !ok || math.Abs(float64(rmse)-0.1) > 0.01 {
		t.Errorf("FinalMetricDataList %+v", out.FinalMetricDataList)
	}
	if _, ok := metric(out, "never"); ok || len(out.FinalMetricDataList) != 1 || out.FinalMetricDataList[0].Timestamp == nil {
		t.Errorf("FinalMetricDataList %+v", out.FinalMetricDataList)
	}
	if out.TrainingStartTime == nil || out.TrainingEndTime == nil || aws.ToInt32(out.TrainingTimeInSeconds) < 1 || aws.ToInt32(out.BillableTimeInSeconds) < 1 {
		t.Errorf("times: start %v end %v training %d billable %d", out.TrainingStartTime, out.TrainingEndTime, aws.ToInt32(out.TrainingTimeInSeconds), aws.ToInt32(out.BillableTimeInSeconds))
	}
	if aws.ToInt32(out.StoppingCondition.MaxRuntimeInSeconds) != 120 || out.HyperParameters["epochs"] != "3" || len(out.InputDataConfig) != 1 || aws.ToString(out.RoleArn) != role {
		t.Errorf("the request is not described back: %+v %v", out.StoppingCondition, out.HyperParameters)
	}
	artifacts := "s3://" + bucket + "/models/fit-line-1/output/model.tar.gz"
	if out.ModelArtifacts == nil || aws.ToString(out.ModelArtifacts.S3ModelArtifacts) != artifacts {
		t.Fatalf("ModelArtifacts %+v, want %s", out.ModelArtifacts, artifacts)
	}
	model := untarGz(t, getObject(t, cfg, bucket, "models/fit-line-1/output/model.tar.gz"))
	var saved struct {
		A, B float64
		Seen map[string]any
	}
	if err := json.Unmarshal([]byte(model["model.json"]), &saved); err != nil {
		t.Fatalf("model.tar.gz %v: %v", model, err)
	}
	if math.Abs(saved.A-2) > 0.01 || math.Abs(saved.B-1) > 0.1 {
		t.Errorf("fitted a=%v b=%v, want 2 and 1", saved.A, saved.B)
	}
	seen := saved.Seen
	wantArgs := []any{"--epochs", "3", "--flag", "True", "--learning-rate", "0.5", "--mode", "fast", "--raw", "not json"}
	if !reflect.DeepEqual(seen["args"], wantArgs) {
		t.Errorf("arguments %v, want %v", seen["args"], wantArgs)
	}
	wantHPS := map[string]any{"epochs": 3.0, "flag": true, "learning-rate": 0.5, "mode": "fast", "raw": "not json"}
	if !reflect.DeepEqual(seen["hps"], wantHPS) {
		t.Errorf("SM_HPS %v, want %v", seen["hps"], wantHPS)
	}
	for k, want := range map[string]any{
		"cwd": "/opt/ml/code", "hp_lr": "0.5", "channels": []any{"train"}, "hosts": []any{"algo-1"}, "current_host": "algo-1",
		"model_dir": "/opt/ml/model", "output_data_dir": "/opt/ml/output/data", "num_gpus": "0", "entry": "train.py",
		"job": "fit-line-1", "arn": aws.ToString(created.TrainingJobArn), "extra": "x", "training_env_job": "fit-line-1",
		"helper": "helper file",
	} {
		if !reflect.DeepEqual(seen[k], want) {
			t.Errorf("%s: %#v, want %#v", k, seen[k], want)
		}
	}
	if hp, _ := seen["hyperparameters.json"].(map[string]any); hp["mode"] != `"fast"` || hp["sagemaker_program"] != `"train.py"` {
		t.Errorf("hyperparameters.json %v: values must be the strings given", hp)
	}
	wantChannel := map[string]any{"train": map[string]any{"TrainingInputMode": "File", "S3DistributionType": "FullyReplicated", "RecordWrapperType": "None", "ContentType": "text/csv"}}
	if !reflect.DeepEqual(seen["inputdataconfig.json"], wantChannel) {
		t.Errorf("inputdataconfig.json %v", seen["inputdataconfig.json"])
	}
	if rc, _ := seen["resourceconfig.json"].(map[string]any); rc["current_host"] != "algo-1" || rc["current_instance_type"] != "ml.m5.xlarge" || rc["network_interface_name"] != "eth0" {
		t.Errorf("resourceconfig.json %v", rc)
	}
	output := untarGz(t, getObject(t, cfg, bucket, "models/fit-line-1/output/output.tar.gz"))
	if output["residuals.txt"] != "20 rows\n" {
		t.Errorf("output.tar.gz %v", output)
	}

	list, err := client.ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{NameContains: aws.String("fit-line"), StatusEquals: smtypes.TrainingJobStatusCompleted})
	if err != nil || len(list.TrainingJobSummaries) != 1 || list.TrainingJobSummaries[0].SecondaryStatus != smtypes.SecondaryStatusCompleted ||
		list.TrainingJobSummaries[0].TrainingEndTime == nil {
		t.Errorf("ListTrainingJobs: %v %+v", err, list)
	}
	tags, err := client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: created.TrainingJobArn})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Errorf("ListTags: %v %+v", err, tags)
	}
	if _, err := client.StopTrainingJob(ctx, &sagemaker.StopTrainingJobInput{TrainingJobName: aws.String("fit-line-1")}); err == nil {
		t.Error("a completed job was stopped")
	} else {
		apiError(t, err, "ValidationException")
	}
}

func jsonNumber(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

// CreateTrainingJob refuses what SageMaker refuses, and what Cairn cannot run, naming it.
func TestCreateTrainingJobValidation(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	role := pipelineRole(t, c, "data-science", "training-validation", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(c.config("data-science"))
	base := func() *sagemaker.CreateTrainingJobInput {
		in := trainingJob("valid", role, testImage, "s3://b/out")
		in.InputDataConfig = []smtypes.Channel{s3Channel("train", "s3://b/train")}
		return in
	}
	many := map[string]string{}
	for i := 0; i <= 100; i++ {
		many[strings.Repeat("k", i+1)] = "1"
	}
	metrics := make([]smtypes.MetricDefinition, 41)
	for i := range metrics {
		metrics[i] = smtypes.MetricDefinition{Name: aws.String(strings.Repeat("m", i+1)), Regex: aws.String("x=(.*)")}
	}
	for _, tc := range []struct {
		name   string
		change func(*sagemaker.CreateTrainingJobInput)
		want   string
	}{
		{"name pattern", func(in *sagemaker.CreateTrainingJobInput) { in.TrainingJobName = aws.String("bad_name") }, "trainingJobName"},
		{"name too long", func(in *sagemaker.CreateTrainingJobInput) { in.TrainingJobName = aws.String(strings.Repeat("a", 64)) }, "trainingJobName"},
		{"output not s3", func(in *sagemaker.CreateTrainingJobInput) {
			in.OutputDataConfig.S3OutputPath = aws.String("file:///tmp/out")
		}, "s3OutputPath"},
		{"no algorithm", func(in *sagemaker.CreateTrainingJobInput) { in.AlgorithmSpecification = nil }, "algorithmSpecification"},
		{"no image", func(in *sagemaker.CreateTrainingJobInput) { in.AlgorithmSpecification.TrainingImage = nil }, "TrainingImage or AlgorithmName"},
		{"image and algorithm", func(in *sagemaker.CreateTrainingJobInput) {
			in.AlgorithmSpecification.AlgorithmName = aws.String("my-algo")
		}, "not both"},
		{"pipe mode", func(in *sagemaker.CreateTrainingJobInput) {
			in.AlgorithmSpecification.TrainingInputMode = smtypes.TrainingInputModePipe
		}, "Pipe"},
		{"fast file channel", func(in *sagemaker.CreateTrainingJobInput) {
			in.InputDataConfig[0].InputMode = smtypes.TrainingInputModeFastfile
		}, "FastFile"},
		{"duplicate channel", func(in *sagemaker.CreateTrainingJobInput) {
			in.InputDataConfig = append(in.InputDataConfig, s3Channel("train", "s3://b/other"))
		}, `"train"`},
		{"channel name", func(in *sagemaker.CreateTrainingJobInput) { in.InputDataConfig[0].ChannelName = aws.String("a/b") }, "channelName"},
		{"channel data type", func(in *sagemaker.CreateTrainingJobInput) {
			in.InputDataConfig[0].DataSource.S3DataSource.S3DataType = smtypes.S3DataTypeAugmentedManifestFile
		}, "AugmentedManifestFile"},
		{"channel not s3", func(in *sagemaker.CreateTrainingJobInput) {
			in.InputDataConfig[0].DataSource.S3DataSource.S3Uri = aws.String("https://example.com/x")
		}, "s3://"},
		{"file system channel", func(in *sagemaker.CreateTrainingJobInput) {
			in.InputDataConfig[0].DataSource = &smtypes.DataSource{FileSystemDataSource: &smtypes.FileSystemDataSource{
				DirectoryPath: aws.String("/fs"), FileSystemAccessMode: smtypes.FileSystemAccessModeRo, FileSystemId: aws.String("fs-1"), FileSystemType: smtypes.FileSystemTypeEfs}}
		}, "file system"},
		{"too many hyperparameters", func(in *sagemaker.CreateTrainingJobInput) { in.HyperParameters = many }, "hyperParameters"},
		{"hyperparameter value", func(in *sagemaker.CreateTrainingJobInput) {
			in.HyperParameters = map[string]string{"x": strings.Repeat("v", 2501)}
		}, "2500"},
		{"environment key", func(in *sagemaker.CreateTrainingJobInput) { in.Environment = map[string]string{"1BAD": "x"} }, "environment"},
		{"too many metrics", func(in *sagemaker.CreateTrainingJobInput) { in.AlgorithmSpecification.MetricDefinitions = metrics }, "metricDefinitions"},
		{"metric regex", func(in *sagemaker.CreateTrainingJobInput) {
			in.AlgorithmSpecification.MetricDefinitions = []smtypes.MetricDefinition{{Name: aws.String("m"), Regex: aws.String("(unclosed")}}
		}, "regular expression"},
		{"no resources", func(in *sagemaker.CreateTrainingJobInput) { in.ResourceConfig = nil }, "resourceConfig"},
		{"two instances", func(in *sagemaker.CreateTrainingJobInput) { in.ResourceConfig.InstanceCount = aws.Int32(2) }, "InstanceCount 2"},
		{"runtime", func(in *sagemaker.CreateTrainingJobInput) {
			in.StoppingCondition.MaxRuntimeInSeconds = aws.Int32(2419201)
		}, "maxRuntimeInSeconds"},
		{"wait without spot", func(in *sagemaker.CreateTrainingJobInput) { in.StoppingCondition.MaxWaitTimeInSeconds = aws.Int32(200) }, "spot"},
		{"role", func(in *sagemaker.CreateTrainingJobInput) {
			in.RoleArn = aws.String("arn:aws:iam::111111111111:user/x")
		}, "roleArn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			tc.change(in)
			_, err := client.CreateTrainingJob(ctx, in)
			if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, tc.want) {
				t.Errorf("message %q does not mention %q", msg, tc.want)
			}
		})
	}
	// Describing or stopping a job that does not exist.
	if _, err := client.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("nope")}); err == nil {
		t.Error("described a job that does not exist")
	}
	_, err := client.StopTrainingJob(ctx, &sagemaker.StopTrainingJobInput{TrainingJobName: aws.String("nope")})
	apiError(t, err, "ResourceNotFound")
	// A role the caller may not pass.
	user := newUser(t, c, "data-science", "no-pass", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}]}`)
	_, err = sagemaker.NewFromConfig(user).CreateTrainingJob(ctx, base())
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "iam:PassRole") {
		t.Errorf("PassRole denial: %s", msg)
	}
}

// The Training steps of the SageMaker Python SDK's definitions, their expressions replaced
// by plausible values, are valid CreateTrainingJob requests: no field the SDK emits is
// refused.
func TestSDKTrainingArgumentsAccepted(t *testing.T) {
	dir := sharedtest.Dir(t, "conformance", "sdk-definitions")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skipf("no SDK definitions in %s", dir)
	}
	c := start(t, startOptions{Config: accountsYAML})
	role := pipelineRole(t, c, "data-science", "sdk-training", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(c.config("data-science"))
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var def struct{ Steps []json.RawMessage }
		if err := json.Unmarshal(data, &def); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, args := range trainingArguments(def.Steps) {
			n++
			in := &sagemaker.CreateTrainingJobInput{}
			if err := json.Unmarshal(args, in); err != nil {
				t.Fatalf("%s: %v\n%s", f, err, args)
			}
			in.TrainingJobName = aws.String(fmt.Sprintf("sdk-%d", n))
			in.RoleArn = aws.String(role)
			if _, err := client.CreateTrainingJob(context.Background(), in); err != nil {
				t.Errorf("%s: %v\n%s", filepath.Base(f), err, args)
			}
		}
	}
	if n == 0 {
		t.Fatal("no Training steps in the SDK definitions")
	}
	t.Logf("%d Training steps of the SDK's definitions accepted", n)
}

// trainingArguments returns the Arguments of every Training step, nested ones too, with
// each expression replaced by a value of the kind its member takes.
func trainingArguments(steps []json.RawMessage) []json.RawMessage {
	var out []json.RawMessage
	for _, raw := range steps {
		var s struct {
			Type      string
			Arguments map[string]any
		}
		json.Unmarshal(raw, &s)
		switch s.Type {
		case "Training":
			b, _ := json.Marshal(resolvePlaceholders("", s.Arguments))
			out = append(out, b)
		case "Condition":
			var branches struct{ IfSteps, ElseSteps []json.RawMessage }
			b, _ := json.Marshal(s.Arguments)
			json.Unmarshal(b, &branches)
			out = append(out, trainingArguments(append(branches.IfSteps, branches.ElseSteps...))...)
		}
	}
	return out
}

func resolvePlaceholders(key string, v any) any {
	switch v := v.(type) {
	case map[string]any:
		_, get := v["Get"]
		_, join := v["Std:Join"]
		if get || join {
			switch {
			case key == "InstanceType":
				return "ml.m5.xlarge"
			case strings.Contains(key, "S3") || strings.Contains(key, "Uri") || strings.Contains(key, "Path"):
				return "s3://bucket/placeholder"
			}
			return "1"
		}
		for k, e := range v {
			v[k] = resolvePlaceholders(k, e)
		}
	case []any:
		for i, e := range v {
			v[i] = resolvePlaceholders(key, e)
		}
	}
	return v
}
