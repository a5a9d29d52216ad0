package sagemaker_test

import (
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/service/sagemaker"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// invoker runs SageMaker's operations with JSON inputs, as account 111111111111's root,
// over a fresh store and without authorization.
func invoker(t testing.TB) func(op, input string) error {
	t.Helper()
	invoke := outputInvoker(t)
	return func(op, input string) error {
		_, err := invoke(op, input)
		return err
	}
}

// outputInvoker is invoker answering each operation's output as JSON too.
func outputInvoker(t testing.TB) func(op, input string) ([]byte, error) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	api := sagemaker.New(sagemaker.Options{Store: db, Now: time.Now, Random: rand.Reader, Region: "us-east-1"}).API().Operations()
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: "111111111111",
		ARN: "arn:aws:iam::111111111111:root"})
	return func(op, input string) ([]byte, error) {
		return api.InvokeJSON(ctx, nil, op, []byte(input))
	}
}

func wantError(t *testing.T, err error, code, message string) {
	t.Helper()
	var e *operation.Error
	if !errors.As(err, &e) || e.Code != code || e.Message != message {
		t.Errorf("got  %v\nwant %s: %s", err, code, message)
	}
}

// Lengths, patterns and timestamps are checked before anything is looked up: a name no
// pipeline can have is a ValidationException, never ResourceNotFound.
func TestInputsCheckedBeforeLookup(t *testing.T) {
	invoke := invoker(t)
	huge := strings.Repeat("p", 15<<20)
	wantError(t, invoke("DescribePipeline", `{"PipelineName":"`+huge+`"}`), "ValidationException",
		operation.ValidationMessage(operation.Violation{Path: "pipelineName", Value: huge, Constraint: operation.MaxLength(2048)}))
	wantError(t, invoke("DescribePipeline", `{"PipelineName":"missing"}`), "ResourceNotFound",
		"Pipeline 'arn:aws:sagemaker:us-east-1:111111111111:pipeline/missing' does not exist.")
	prefix := strings.Repeat("p", 1<<20)
	wantError(t, invoke("ListPipelines", `{"PipelineNamePrefix":"`+prefix+`"}`), "ValidationException",
		operation.ValidationMessage(operation.Violation{Path: "pipelineNamePrefix", Value: prefix, Constraint: operation.MaxLength(256)}))
	for _, c := range []struct{ op, input, path, value string }{
		{"ListPipelines", `{"CreatedAfter":1e300}`, "createdAfter", "1e300"},
		{"ListPipelines", `{"CreatedBefore":-1e300}`, "createdBefore", "-1e300"},
		{"ListModels", `{"CreationTimeAfter":253402300800}`, "creationTimeAfter", "253402300800"},
		{"ListTrainingJobs", `{"LastModifiedTimeBefore":1e400}`, "lastModifiedTimeBefore", "1e400"},
		{"ListPipelineExecutions", `{"PipelineName":"missing","CreatedAfter":-62135596801}`, "createdAfter", "-62135596801"},
	} {
		wantError(t, invoke(c.op, c.input), "ValidationException",
			operation.ValidationMessage(operation.Violation{Path: c.path, Value: c.value, Constraint: operation.TimestampRange}))
	}
	if err := invoke("ListPipelines", `{"CreatedAfter":253402300799.5,"CreatedBefore":-62135596800}`); err != nil {
		t.Errorf("timestamps at the ends of the range: %v", err)
	}
}

// What Cairn refuses beyond SageMaker's constraints is refused with a message that says
// why; what SageMaker checks across members keeps SageMaker's words.
func TestValidateRefusals(t *testing.T) {
	invoke := invoker(t)
	const role = `"RoleArn":"arn:aws:iam::111111111111:role/Exec"`
	training := func(algorithm, rest string) string {
		return `{"TrainingJobName":"fit",` + role + `,"AlgorithmSpecification":{` + algorithm + `},` +
			`"OutputDataConfig":{"S3OutputPath":"s3://b/out"},"ResourceConfig":{"InstanceType":"ml.m5.large","InstanceCount":1}` + rest + `}`
	}
	const image = `"TrainingImage":"img","TrainingInputMode":"File"`
	transform := func(rest string) string {
		return `{"TransformJobName":"score","ModelName":"m","TransformInput":{"DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":"s3://b/in"}}},` +
			`"TransformOutput":{"S3OutputPath":"s3://b/out"},"TransformResources":{"InstanceType":"ml.m5.large","InstanceCount":1}` + rest + `}`
	}
	processing := func(rest string) string {
		return `{"ProcessingJobName":"prep",` + role + `,"AppSpecification":{"ImageUri":"img"},` +
			`"ProcessingResources":{"ClusterConfig":{"InstanceCount":1,"InstanceType":"ml.m5.large","VolumeSizeInGB":1}}` + rest + `}`
	}
	for _, c := range []struct{ name, op, input, want string }{
		{"pipe mode", "CreateTrainingJob", training(`"TrainingImage":"img","TrainingInputMode":"Pipe"`, ""),
			"Input mode Pipe is not supported by Cairn (at 'algorithmSpecification.trainingInputMode'): channels are downloaded before training starts; use File."},
		{"no image", "CreateTrainingJob", training(`"TrainingInputMode":"File"`, ""),
			"AlgorithmSpecification must specify either TrainingImage or AlgorithmName."},
		{"https output", "CreateTrainingJob", strings.Replace(training(image, ""), "s3://b/out", "https://b/out", 1),
			"Value 'https://b/out' at 'outputDataConfig.s3OutputPath' is not an s3:// URI: Cairn reads and writes s3:// URIs."},
		{"28 days", "CreateTrainingJob", training(image, `,"StoppingCondition":{"MaxRuntimeInSeconds":2419201}`),
			operation.ValidationMessage(operation.Violation{Path: "stoppingCondition.maxRuntimeInSeconds", Value: "2419201", Constraint: operation.MaxValue(2419200)})},
		{"two instances", "CreateTrainingJob", strings.Replace(training(image, ""), `"InstanceCount":1`, `"InstanceCount":2`, 1),
			"InstanceCount 2 is not supported by Cairn: training runs on one instance (algo-1); set InstanceCount to 1."},
		{"duplicate tags", "CreateTrainingJob", training(image, `,"Tags":[{"Key":"k","Value":"1"},{"Key":"k","Value":"2"}]`),
			`Tag keys must be unique; "k" is given twice.`},
		{"payload", "CreateTransformJob", transform(`,"MaxPayloadInMB":101`),
			operation.ValidationMessage(operation.Violation{Path: "maxPayloadInMB", Value: "101", Constraint: operation.MaxValue(100)})},
		{"payload times concurrency", "CreateTransformJob", transform(`,"MaxPayloadInMB":50,"MaxConcurrentTransforms":4`),
			"The value of MaxConcurrentTransforms (4) multiplied by MaxPayloadInMB (50) must not exceed 100 MB."},
		{"record splitting", "CreateTransformJob", strings.Replace(transform(""), `"DataSource"`, `"SplitType":"RecordIO","DataSource"`, 1),
			"SplitType RecordIO is not supported by Cairn's transform jobs; use None or Line."},
		{"local path", "CreateProcessingJob", processing(`,"ProcessingInputs":[{"InputName":"in","S3Input":{"S3Uri":"s3://b/in","LocalPath":"/tmp/in","S3DataType":"S3Prefix"}}]`),
			`ProcessingInput "in" has LocalPath "/tmp/in"; it must be a path under /opt/ml/processing/.`},
		{"unnamed input", "CreateProcessingJob", processing(`,"ProcessingInputs":[{"InputName":""}]`),
			`ProcessingInputs must have unique, non-empty InputNames; "" is not.`},
		{"container without image", "CreateModel", `{"ModelName":"m","PrimaryContainer":{"ModelDataUrl":"s3://b/m.tar.gz"}}`,
			operation.ValidationMessage(operation.Violation{Path: "primaryContainer.image", Null: true, Constraint: operation.NotNull})},
		{"two hosts alike", "CreateModel", `{"ModelName":"m","Containers":[{"Image":"i","ContainerHostname":"h"},{"Image":"i","ContainerHostname":"h"}]}`,
			`ContainerHostname "h" is given to more than one container; hostnames must be unique.`},
		{"package container without image", "CreateModelPackage", `{"ModelPackageGroupName":"g","InferenceSpecification":{"Containers":[{}]}}`,
			operation.ValidationMessage(operation.Violation{Path: "inferenceSpecification.containers.1.member.image", Null: true, Constraint: operation.NotNull})},
		{"not a structure", "CreateModelPackage", `{"ModelPackageGroupName":"g","ModelMetrics":[]}`,
			operation.ValidationMessage(operation.Violation{Path: "modelMetrics", Hidden: true, Constraint: "Member must be a structure"})},
		{"group given by another ARN", "ListModelPackages", `{"ModelPackageGroupName":"arn:aws:sagemaker:us-east-1:111111111111:pipeline/p"}`,
			"arn:aws:sagemaker:us-east-1:111111111111:pipeline/p is not the ARN of a model package group."},
		{"definition twice", "CreatePipeline", `{"PipelineName":"p","ClientRequestToken":"00000000000000000000000000000000",` + role +
			`,"PipelineDefinition":"{}","PipelineDefinitionS3Location":{"Bucket":"bbb","ObjectKey":"k"}}`,
			"Specify either PipelineDefinition or PipelineDefinitionS3Location, not both."},
		{"selective execution", "StartPipelineExecution", `{"PipelineName":"p","ClientRequestToken":"00000000000000000000000000000000",` +
			`"SelectiveExecutionConfig":{"SelectedSteps":[{"StepName":"a"}]}}`, "SelectiveExecutionConfig is not supported yet."},
		{"duplicate tag keys", "AddTags", `{"ResourceArn":"arn:aws:sagemaker:us-east-1:111111111111:pipeline/p","Tags":[{"Key":"a","Value":""},{"Key":"a","Value":""}]}`,
			`Tag keys must be unique; "a" is given twice.`},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, invoke(c.op, c.input), "ValidationException", c.want)
		})
	}
}
