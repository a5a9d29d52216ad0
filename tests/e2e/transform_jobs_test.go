package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// linearInference is a script-mode inference program: model_fn loads a·x+b from
// /opt/ml/model/model.json; predict_fn answers [a·x+b, records in the request] per record.
const linearInference = `
import json, os

def model_fn(model_dir):
    return json.load(open(os.path.join(model_dir, "model.json")))

def predict_fn(data, model):
    rows = data if data and isinstance(data[0], list) else [data]
    return [[model["a"] * row[0] + model["b"], len(rows)] for row in rows]
`

// defaultsInference defines only model_fn: the default input_fn, predict_fn (model.predict)
// and output_fn do the rest.
const defaultsInference = `
import json, os

class Model:
    def __init__(self, a):
        self.a = a
    def predict(self, data):
        return {"sum": sum(self.a * x for x in data["x"])}

def model_fn(model_dir):
    return Model(json.load(open(os.path.join(model_dir, "model.json")))["a"])
`

// slowInference answers nothing for a minute.
const slowInference = `
import time

def model_fn(model_dir):
    return None

def predict_fn(data, model):
    time.sleep(60)
    return data
`

// noModelFn cannot load a model: the server exits at start.
const noModelFn = `
def input_fn(body, content_type):
    return body
`

const modelImage = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"

// transformSetup uploads a model's data and code and creates the model in data-science.
type transformSetup struct {
	c      *cairn
	client *sagemaker.Client
	bucket string
	role   string
}

func newTransformSetup(t *testing.T, c *cairn, bucket, rolePolicy string) *transformSetup {
	t.Helper()
	putObjects(t, c.config("data-science"), bucket, map[string]string{"placeholder": ""})
	role := pipelineRole(t, c, "data-science", "model-exec-"+bucket, rolePolicy)
	return &transformSetup{c: c, client: sagemaker.NewFromConfig(c.config("data-science")), bucket: bucket, role: role}
}

// model uploads model.tar.gz (with model.json holding a and b, and the program under code/
// when inModel) and sourcedir.tar.gz, and creates the model.
func (s *transformSetup) model(t *testing.T, name, program string, inModel bool) {
	t.Helper()
	modelFiles := map[string]string{"model.json": `{"a": 2, "b": 1}`}
	env := map[string]string{"SAGEMAKER_PROGRAM": "inference.py"}
	if inModel {
		modelFiles["code/inference.py"] = program
	} else {
		putObjects(t, s.c.config("data-science"), s.bucket, map[string]string{"models/" + name + "/sourcedir.tar.gz": tarGz(t, map[string]string{"inference.py": program})})
		env["SAGEMAKER_SUBMIT_DIRECTORY"] = "s3://" + s.bucket + "/models/" + name + "/sourcedir.tar.gz"
	}
	putObjects(t, s.c.config("data-science"), s.bucket, map[string]string{"models/" + name + "/model.tar.gz": tarGz(t, modelFiles)})
	_, err := s.client.CreateModel(context.Background(), &sagemaker.CreateModelInput{ModelName: aws.String(name), ExecutionRoleArn: aws.String(s.role),
		PrimaryContainer: &smtypes.ContainerDefinition{Image: aws.String(modelImage),
			ModelDataUrl: aws.String("s3://" + s.bucket + "/models/" + name + "/model.tar.gz"), Environment: env}})
	if err != nil {
		t.Fatalf("CreateModel %s: %v", name, err)
	}
}

// transformInput is a CreateTransformJob request over s3://bucket/<prefix> into
// s3://bucket/<out>.
func (s *transformSetup) transformInput(job, model, prefix, out, contentType, accept string, split smtypes.SplitType, strategy smtypes.BatchStrategy) *sagemaker.CreateTransformJobInput {
	return &sagemaker.CreateTransformJobInput{
		TransformJobName: aws.String(job), ModelName: aws.String(model), BatchStrategy: strategy,
		TransformInput: &smtypes.TransformInput{ContentType: aws.String(contentType), SplitType: split,
			DataSource: &smtypes.TransformDataSource{S3DataSource: &smtypes.TransformS3DataSource{S3DataType: smtypes.S3DataTypeS3Prefix, S3Uri: aws.String("s3://" + s.bucket + "/" + prefix)}}},
		TransformOutput:    &smtypes.TransformOutput{S3OutputPath: aws.String("s3://" + s.bucket + "/" + out), Accept: aws.String(accept), AssembleWith: smtypes.AssemblyTypeLine},
		TransformResources: &smtypes.TransformResources{InstanceType: smtypes.TransformInstanceTypeMlM5Large, InstanceCount: aws.Int32(1)},
	}
}

// waitTransform polls a transform job until it ends.
func waitTransform(t *testing.T, client *sagemaker.Client, name string, timeout time.Duration) *sagemaker.DescribeTransformJobOutput {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out, err := client.DescribeTransformJob(context.Background(), &sagemaker.DescribeTransformJobInput{TransformJobName: aws.String(name)})
		if err != nil {
			t.Fatalf("DescribeTransformJob %s: %v", name, err)
		}
		switch out.TransformJobStatus {
		case smtypes.TransformJobStatusInProgress, smtypes.TransformJobStatusStopping:
		default:
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("transform job %s still %s after %s", name, out.TransformJobStatus, timeout)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

const modelRolePolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

// Script-mode models in two layouts (code in SAGEMAKER_SUBMIT_DIRECTORY; code in the model
// archive with only model_fn defined), transformed with SingleRecord and MultiRecord.
func TestTransformScriptMode(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	s := newTransformSetup(t, c, "transform-data", modelRolePolicy)
	s.model(t, "linear", linearInference, false)
	s.model(t, "defaults", defaultsInference, true)
	cfg := c.config("data-science")
	putObjects(t, cfg, s.bucket, map[string]string{
		"batch/input.csv":    "1\n2\n\n3",
		"batch/sub/more.csv": "10\n",
		"json/records.jsonl": "{\"x\": [1, 2]}\n{\"x\": [5]}\n",
	})

	single := s.transformInput("linear-single", "linear", "batch", "out/single", "text/csv", "text/csv", smtypes.SplitTypeLine, smtypes.BatchStrategySingleRecord)
	single.Environment = map[string]string{"EXTRA": "1"}
	multi := s.transformInput("linear-multi", "linear", "batch/", "out/multi/", "text/csv", "text/csv", smtypes.SplitTypeLine, smtypes.BatchStrategyMultiRecord)
	multi.MaxConcurrentTransforms = aws.Int32(2)
	defaults := s.transformInput("defaults", "defaults", "json/records.jsonl", "out/json", "application/json", "application/json", smtypes.SplitTypeLine, smtypes.BatchStrategySingleRecord)
	for _, in := range []*sagemaker.CreateTransformJobInput{single, multi, defaults} {
		out, err := s.client.CreateTransformJob(ctx, in)
		if err != nil {
			t.Fatalf("CreateTransformJob %s: %v", aws.ToString(in.TransformJobName), err)
		}
		if want := "arn:aws:sagemaker:us-east-1:111111111111:transform-job/" + aws.ToString(in.TransformJobName); aws.ToString(out.TransformJobArn) != want {
			t.Errorf("TransformJobArn %s", aws.ToString(out.TransformJobArn))
		}
	}
	for _, name := range []string{"linear-single", "linear-multi", "defaults"} {
		done := waitTransform(t, s.client, name, 90*time.Second)
		if done.TransformJobStatus != smtypes.TransformJobStatusCompleted {
			t.Fatalf("%s: %s: %s", name, done.TransformJobStatus, aws.ToString(done.FailureReason))
		}
		if done.TransformStartTime == nil || done.TransformEndTime == nil || done.CreationTime == nil || done.TransformInput == nil || done.TransformResources == nil {
			t.Errorf("%s: Describe %+v", name, done)
		}
	}
	for key, want := range map[string]string{
		"out/single/input.csv.out":    "3.0,1\n5.0,1\n7.0,1\n",
		"out/single/sub/more.csv.out": "21.0,1\n",
		"out/multi/input.csv.out":     "3.0,3\n5.0,3\n7.0,3\n",
		"out/multi/sub/more.csv.out":  "21.0,1\n",
		"out/json/records.jsonl.out":  "{\"sum\": 6}\n{\"sum\": 10}\n",
	} {
		if got := getObject(t, cfg, s.bucket, key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	desc, err := s.client.DescribeTransformJob(ctx, &sagemaker.DescribeTransformJobInput{TransformJobName: aws.String("linear-multi")})
	if err != nil {
		t.Fatal(err)
	}
	if desc.BatchStrategy != smtypes.BatchStrategyMultiRecord || aws.ToInt32(desc.MaxConcurrentTransforms) != 2 || aws.ToString(desc.ModelName) != "linear" ||
		desc.TransformOutput == nil || desc.TransformOutput.AssembleWith != smtypes.AssemblyTypeLine {
		t.Errorf("DescribeTransformJob linear-multi %+v", desc)
	}

	// List, filtered and sorted.
	list, err := s.client.ListTransformJobs(ctx, &sagemaker.ListTransformJobsInput{NameContains: aws.String("LINEAR"), SortBy: smtypes.SortByName, SortOrder: smtypes.SortOrderAscending})
	if err != nil || len(list.TransformJobSummaries) != 2 || aws.ToString(list.TransformJobSummaries[0].TransformJobName) != "linear-multi" ||
		list.TransformJobSummaries[0].TransformJobStatus != smtypes.TransformJobStatusCompleted || list.TransformJobSummaries[0].TransformEndTime == nil {
		t.Errorf("ListTransformJobs: %v %+v", err, list)
	}
	list, err = s.client.ListTransformJobs(ctx, &sagemaker.ListTransformJobsInput{StatusEquals: smtypes.TransformJobStatusFailed})
	if err != nil || len(list.TransformJobSummaries) != 0 {
		t.Errorf("ListTransformJobs Failed: %v %+v", err, list)
	}

	// Requests SageMaker refuses, and what Cairn does not run.
	_, err = s.client.CreateTransformJob(ctx, single)
	apiError(t, err, "ResourceInUse")
	missing := s.transformInput("missing-model", "nope", "batch", "out/x", "text/csv", "text/csv", smtypes.SplitTypeLine, "")
	_, err = s.client.CreateTransformJob(ctx, missing)
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "Could not find model") || !strings.Contains(msg, "model/nope") {
		t.Errorf("missing model: %s", msg)
	}
	recordIO := s.transformInput("recordio", "linear", "batch", "out/x", "text/csv", "text/csv", smtypes.SplitTypeRecordio, "")
	_, err = s.client.CreateTransformJob(ctx, recordIO)
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "RecordIO") {
		t.Errorf("RecordIO: %s", msg)
	}
	big := s.transformInput("big", "linear", "batch", "out/x", "text/csv", "text/csv", smtypes.SplitTypeLine, "")
	big.MaxPayloadInMB, big.MaxConcurrentTransforms = aws.Int32(50), aws.Int32(4)
	_, err = s.client.CreateTransformJob(ctx, big)
	apiError(t, err, "ValidationException")
	join := s.transformInput("join", "linear", "batch", "out/x", "text/csv", "text/csv", smtypes.SplitTypeLine, "")
	join.DataProcessing = &smtypes.DataProcessing{JoinSource: smtypes.JoinSourceInput}
	_, err = s.client.CreateTransformJob(ctx, join)
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "JoinSource") {
		t.Errorf("JoinSource: %s", msg)
	}
	_, err = s.client.DescribeTransformJob(ctx, &sagemaker.DescribeTransformJobInput{TransformJobName: aws.String("nope")})
	apiError(t, err, "ValidationException")
	_, err = s.client.StopTransformJob(ctx, &sagemaker.StopTransformJobInput{TransformJobName: aws.String("linear-single")})
	apiError(t, err, "ValidationException")
}

// A transform job acts as its model's role: a role denied s3:GetObject on the input fails
// the job with the denial. A model server that exits fails the job.
func TestTransformFailures(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	s := newTransformSetup(t, c, "transform-denied", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:*","Resource":"*"},
		{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::transform-denied/secret/*"}]}`)
	s.model(t, "linear", linearInference, false)
	s.model(t, "broken", noModelFn, false)
	putObjects(t, c.config("data-science"), s.bucket, map[string]string{"secret/input.csv": "1\n", "open/input.csv": "1\n"})
	for _, in := range []*sagemaker.CreateTransformJobInput{
		s.transformInput("denied", "linear", "secret/", "out/denied", "text/csv", "text/csv", smtypes.SplitTypeLine, ""),
		s.transformInput("broken", "broken", "open/", "out/broken", "text/csv", "text/csv", smtypes.SplitTypeLine, ""),
	} {
		if _, err := s.client.CreateTransformJob(ctx, in); err != nil {
			t.Fatalf("CreateTransformJob: %v", err)
		}
	}
	denied := waitTransform(t, s.client, "denied", 90*time.Second)
	if reason := aws.ToString(denied.FailureReason); denied.TransformJobStatus != smtypes.TransformJobStatusFailed ||
		!strings.HasPrefix(reason, "ClientError: ") || !strings.Contains(reason, "model-exec-transform-denied") ||
		!strings.Contains(reason, "is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::transform-denied/secret/input.csv") {
		t.Errorf("denied: %s: %s", denied.TransformJobStatus, reason)
	}
	t.Logf("denied: %s", aws.ToString(denied.FailureReason))
	broken := waitTransform(t, s.client, "broken", 90*time.Second)
	t.Logf("broken: %s", aws.ToString(broken.FailureReason))
	if reason := aws.ToString(broken.FailureReason); broken.TransformJobStatus != smtypes.TransformJobStatusFailed ||
		!strings.Contains(reason, "AlgorithmError: the model server exited with status 1") || !strings.Contains(reason, "inference.py defines no model_fn") {
		t.Errorf("broken: %s: %s", broken.TransformJobStatus, reason)
	}
}

func TestStopTransformJob(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	s := newTransformSetup(t, c, "transform-stop", modelRolePolicy)
	s.model(t, "slow", slowInference, false)
	putObjects(t, c.config("data-science"), s.bucket, map[string]string{"in/data.csv": "1\n2\n"})
	if _, err := s.client.CreateTransformJob(ctx, s.transformInput("slow", "slow", "in/", "out", "text/csv", "text/csv", smtypes.SplitTypeLine, "")); err != nil {
		t.Fatalf("CreateTransformJob: %v", err)
	}
	// Stop once the model server runs.
	deadline := time.Now().Add(60 * time.Second)
	for {
		d, err := s.client.DescribeTransformJob(ctx, &sagemaker.DescribeTransformJobInput{TransformJobName: aws.String("slow")})
		if err != nil {
			t.Fatal(err)
		}
		if d.TransformStartTime != nil || d.TransformJobStatus != smtypes.TransformJobStatusInProgress {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job did not start")
		}
		time.Sleep(25 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	stopAt := time.Now()
	if _, err := s.client.StopTransformJob(ctx, &sagemaker.StopTransformJobInput{TransformJobName: aws.String("slow")}); err != nil {
		t.Fatalf("StopTransformJob: %v", err)
	}
	done := waitTransform(t, s.client, "slow", 30*time.Second)
	if done.TransformJobStatus != smtypes.TransformJobStatusStopped || done.TransformEndTime == nil {
		t.Errorf("after stop: %s %s", done.TransformJobStatus, aws.ToString(done.FailureReason))
	}
	if d := time.Since(stopAt); d > 15*time.Second {
		t.Errorf("stop took %s", d)
	}
	if _, err := s3Client(c.config("data-science")).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String("out/data.csv.out")}); err == nil {
		t.Errorf("a stopped job wrote its output")
	}
}

// A model made from a registered model package serves the package's inference container.
func TestTransformModelFromPackage(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	s := newTransformSetup(t, c, "transform-package", modelRolePolicy)
	putObjects(t, cfg, s.bucket, map[string]string{
		"pkg/model.tar.gz":     tarGz(t, map[string]string{"model.json": `{"a": 10, "b": 0}`}),
		"pkg/sourcedir.tar.gz": tarGz(t, map[string]string{"inference.py": linearInference}),
		"in/data.csv":          "1\n2\n",
	})
	if _, err := s.client.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{ModelPackageGroupName: aws.String("linear")}); err != nil {
		t.Fatalf("CreateModelPackageGroup: %v", err)
	}
	if _, err := s.client.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("linear"),
		ModelApprovalStatus: smtypes.ModelApprovalStatusApproved,
		InferenceSpecification: &smtypes.InferenceSpecification{
			Containers: []smtypes.ModelPackageContainerDefinition{{Image: aws.String(modelImage), ModelDataUrl: aws.String("s3://" + s.bucket + "/pkg/model.tar.gz"),
				Environment: map[string]string{"SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": "s3://" + s.bucket + "/pkg/sourcedir.tar.gz"}}},
			SupportedContentTypes: []string{"text/csv"}, SupportedResponseMIMETypes: []string{"text/csv"}}}); err != nil {
		t.Fatalf("CreateModelPackage: %v", err)
	}
	_, err := s.client.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("missing-package"), ExecutionRoleArn: aws.String(s.role),
		PrimaryContainer: &smtypes.ContainerDefinition{ModelPackageName: aws.String("linear/9")}})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "model-package/linear/9") {
		t.Errorf("missing package: %s", msg)
	}
	if _, err := s.client.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("from-package"), ExecutionRoleArn: aws.String(s.role),
		PrimaryContainer: &smtypes.ContainerDefinition{ModelPackageName: aws.String("linear/1")}}); err != nil {
		t.Fatalf("CreateModel: %v", err)
	}
	if _, err := s.client.CreateTransformJob(ctx, s.transformInput("from-package", "from-package", "in/", "out", "text/csv", "text/csv", smtypes.SplitTypeLine, "")); err != nil {
		t.Fatalf("CreateTransformJob: %v", err)
	}
	done := waitTransform(t, s.client, "from-package", 90*time.Second)
	if done.TransformJobStatus != smtypes.TransformJobStatusCompleted {
		t.Fatalf("%s: %s", done.TransformJobStatus, aws.ToString(done.FailureReason))
	}
	if got := getObject(t, cfg, s.bucket, "out/data.csv.out"); got != "10.0,1\n20.0,1\n" {
		t.Errorf("output %q", got)
	}
}
