package sagemaker_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/service/sagemaker"
)

// enumOf is the enumeration a member of shape T declares with tag ("enum", "memberEnum"),
// for the long ones: instance types.
func enumOf[T any](field, tag string) []string {
	f, _ := reflect.TypeFor[T]().FieldByName(field)
	return strings.Split(f.Tag.Get(tag), ",")
}

func ptr[T any](v T) *T { return &v }

// TestModelConstraints checks representative constraints of botocore's SageMaker model,
// for each family of inputs, through the validator every request passes: the message is
// AWS's, for the member at its path.
func TestModelConstraints(t *testing.T) {
	check := sagemaker.New(sagemaker.Options{}).API().Operations().Check
	type v = operation.Violation
	const (
		role        = "arn:aws:iam::111111111111:role/Exec"
		token       = "00000000000000000000000000000000"
		tagPattern  = `([\p{L}\p{Z}\p{N}_.:/=+\-@]*)`
		namePattern = `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}`
		jobPattern  = `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`
		arnOrName   = `(arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:[a-z\-]*\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)`
	)
	pipelineOrARN := operation.MatchPattern(`(arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:([0-9]{12}|aws):pipeline/.*)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})`)
	executionARN := operation.MatchPattern(`arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:pipeline\/.*\/execution\/.*`)
	long := strings.Repeat("p", 3000)
	training := func() *sm.CreateTrainingJobInput {
		return &sm.CreateTrainingJobInput{TrainingJobName: "fit", RoleArn: role,
			AlgorithmSpecification: &sm.AlgorithmSpecification{TrainingImage: "img", TrainingInputMode: "File"},
			OutputDataConfig:       &sm.OutputDataConfig{S3OutputPath: "s3://b/out"},
			ResourceConfig:         &sm.ResourceConfig{InstanceType: "ml.m5.large", InstanceCount: ptr(1)}}
	}
	processing := func() *sm.CreateProcessingJobInput {
		return &sm.CreateProcessingJobInput{ProcessingJobName: "prep", RoleArn: role,
			AppSpecification: &sm.AppSpecification{ImageUri: "img"},
			ProcessingResources: &sm.ProcessingResources{ClusterConfig: &sm.ProcessingClusterConfig{
				InstanceCount: ptr(1), InstanceType: "ml.m5.large", VolumeSizeInGB: ptr(1)}}}
	}
	transform := func() *sm.CreateTransformJobInput {
		return &sm.CreateTransformJobInput{TransformJobName: "score", ModelName: "m",
			TransformInput: &sm.TransformInput{DataSource: &sm.TransformDataSource{S3DataSource: &sm.TransformS3DataSource{
				S3DataType: "S3Prefix", S3Uri: "s3://b/in"}}},
			TransformOutput:    &sm.TransformOutput{S3OutputPath: "s3://b/out"},
			TransformResources: &sm.TransformResources{InstanceType: "ml.m5.large", InstanceCount: ptr(1)}}
	}
	container := sm.ContainerDefinition{Image: ptr("img")}
	tags := make([]sm.Tag, 51)
	for i := range tags {
		tags[i] = sm.Tag{Key: "k" + strings.Repeat("x", i)}
	}
	for _, c := range []struct {
		name string
		in   any
		want []v
	}{
		// Pipelines.
		{"pipeline name", &sagemaker.CreatePipelineInput{PipelineName: "bad_name", ClientRequestToken: token, RoleArn: role},
			[]v{{Path: "pipelineName", Value: "bad_name", Constraint: operation.MatchPattern(namePattern)}}},
		{"several", &sagemaker.CreatePipelineInput{PipelineName: "p", ClientRequestToken: "short", RoleArn: "arn:aws:iam::111111111111:user/u",
			PipelineDescription: ptr("two\nlines")},
			[]v{{Path: "pipelineDescription", Value: "two\nlines", Constraint: operation.MatchPattern(".*")},
				{Path: "clientRequestToken", Value: "short", Constraint: operation.MinLength(32)},
				{Path: "roleArn", Value: "arn:aws:iam::111111111111:user/u",
					Constraint: operation.MatchPattern(`arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`)}}},
		{"definition in S3", &sagemaker.CreatePipelineInput{PipelineName: "p", ClientRequestToken: token, RoleArn: role,
			PipelineDefinitionS3Location: &sagemaker.S3Location{Bucket: "BBB", ObjectKey: "k"}},
			[]v{{Path: "pipelineDefinitionS3Location.bucket", Value: "BBB", Constraint: operation.MatchPattern(`[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9]`)}}},
		{"name or ARN too long", &sagemaker.DescribePipelineInput{PipelineName: long},
			[]v{{Path: "pipelineName", Value: long, Constraint: operation.MaxLength(2048)}}},
		{"another account's pipeline ARN", &sagemaker.DescribePipelineInput{PipelineName: "arn:aws:sagemaker:us-east-1:222222222222:pipeline/shared"}, nil},
		{"not a pipeline ARN", &sagemaker.DescribePipelineInput{PipelineName: "arn:aws:sagemaker:us-east-1:111111111111:model/m"},
			[]v{{Path: "pipelineName", Value: "arn:aws:sagemaker:us-east-1:111111111111:model/m", Constraint: pipelineOrARN}}},
		{"version", &sagemaker.DescribePipelineInput{PipelineName: "p", PipelineVersionId: ptr[int64](0)},
			[]v{{Path: "pipelineVersionId", Value: "0", Constraint: operation.MinValue(1)}}},
		{"delete takes a name", &sagemaker.DeletePipelineInput{PipelineName: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p", ClientRequestToken: token},
			[]v{{Path: "pipelineName", Value: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p", Constraint: operation.MatchPattern(namePattern)}}},
		{"parallelism", &sagemaker.UpdatePipelineInput{PipelineName: "p", ParallelismConfiguration: &sagemaker.ParallelismConfiguration{MaxParallelExecutionSteps: -1}},
			[]v{{Path: "parallelismConfiguration.maxParallelExecutionSteps", Value: "-1", Constraint: operation.MinValue(1)}}},

		// Executions.
		{"execution display name", &sagemaker.StartPipelineExecutionInput{PipelineName: "p", ClientRequestToken: token,
			PipelineExecutionDisplayName: ptr(strings.Repeat("e", 83))},
			[]v{{Path: "pipelineExecutionDisplayName", Value: strings.Repeat("e", 83), Constraint: operation.MaxLength(82)}}},
		{"parameter name", &sagemaker.StartPipelineExecutionInput{PipelineName: "p", ClientRequestToken: token,
			PipelineParameters: []sagemaker.Parameter{{Name: "ok", Value: "1"}, {Name: "not ok", Value: "2"}}},
			[]v{{Path: "pipelineParameters.2.member.name", Value: "not ok", Constraint: operation.MatchPattern(`[A-Za-z0-9\-_]*`)}}},
		{"execution ARN", &sagemaker.ExecutionRef{PipelineExecutionArn: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p"},
			[]v{{Path: "pipelineExecutionArn", Value: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p", Constraint: executionARN}}},
		{"execution ARN required", &sagemaker.ListPipelineExecutionStepsInput{},
			[]v{{Path: "pipelineExecutionArn", Null: true, Constraint: operation.NotNull}}},
		{"retry token", &sagemaker.RetryPipelineExecutionInput{PipelineExecutionArn: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/x",
			ClientRequestToken: strings.Repeat("t", 129)},
			[]v{{Path: "clientRequestToken", Value: strings.Repeat("t", 129), Constraint: operation.MaxLength(128)}}},

		// Training jobs.
		{"training job name", func() any { in := training(); in.TrainingJobName = "bad_name"; return in }(),
			[]v{{Path: "trainingJobName", Value: "bad_name", Constraint: operation.MatchPattern(jobPattern)}}},
		{"training instance type", func() any { in := training(); in.ResourceConfig.InstanceType = "ml.nope.large"; return in }(),
			[]v{{Path: "resourceConfig.instanceType", Value: "ml.nope.large", Constraint: operation.OneOf(enumOf[sm.ResourceConfig]("InstanceType", "enum")...)}}},
		{"training input mode required", func() any { in := training(); in.AlgorithmSpecification.TrainingInputMode = ""; return in }(),
			[]v{{Path: "algorithmSpecification.trainingInputMode", Null: true, Constraint: operation.NotNull}}},
		{"hyperparameter value", func() any {
			in := training()
			in.HyperParameters = map[string]string{"x": strings.Repeat("v", 2501)}
			return in
		}(),
			[]v{{Path: "hyperParameters", Hidden: true, Constraint: "Map value must satisfy constraint: [" + operation.MaxLength(2500) + ", " + operation.MatchPattern(".*") + "]"}}},
		{"channel compression", func() any {
			in := training()
			in.InputDataConfig = []sm.Channel{{ChannelName: "train", DataSource: &sm.DataSource{S3DataSource: &sm.S3DataSource{
				S3DataType: "S3Prefix", S3Uri: "s3://b/train"}}, CompressionType: ptr("Zip")}}
			return in
		}(),
			[]v{{Path: "inputDataConfig.1.member.compressionType", Value: "Zip", Constraint: operation.OneOf("None", "Gzip")}}},
		{"channel members left out", func() any {
			in := training()
			in.InputDataConfig = []sm.Channel{{ChannelName: "train", DataSource: &sm.DataSource{S3DataSource: &sm.S3DataSource{
				S3DataType: "S3Prefix", S3Uri: "s3://b/train"}}}}
			return in
		}(), nil},
		{"pending time", func() any {
			in := training()
			in.StoppingCondition = &sm.TrainingStopCondition{MaxPendingTimeInSeconds: ptr(60)}
			return in
		}(),
			[]v{{Path: "stoppingCondition.maxPendingTimeInSeconds", Value: "60", Constraint: operation.MinValue(7200)}}},

		{"VPC subnets", func() any {
			in := training()
			in.VpcConfig = &sm.VpcConfig{SecurityGroupIds: []string{"sg-1"}, Subnets: []string{}}
			return in
		}(),
			[]v{{Path: "vpcConfig.subnets", Value: "[]", Constraint: operation.MinLength(1)}}},
		{"profiler rule instance", func() any {
			in := training()
			in.ProfilerRuleConfigurations = []sm.RuleConfiguration{{RuleConfigurationName: "ProfilerReport", RuleEvaluatorImage: "img",
				InstanceType: ptr("ml.m5.large")}, {RuleConfigurationName: "Other", RuleEvaluatorImage: "img", InstanceType: ptr("m5")}}
			return in
		}(),
			[]v{{Path: "profilerRuleConfigurations.2.member.instanceType", Value: "m5",
				Constraint: operation.OneOf(enumOf[sm.ProcessingClusterConfig]("InstanceType", "enum")...)}}},
		{"retries", func() any {
			in := training()
			in.RetryStrategy = &sm.RetryStrategy{MaximumRetryAttempts: ptr(31)}
			return in
		}(),
			[]v{{Path: "retryStrategy.maximumRetryAttempts", Value: "31", Constraint: operation.MaxValue(30)}}},

		// Processing jobs.
		{"processing inputs", func() any {
			in := processing()
			in.ProcessingInputs = make([]sm.ProcessingInput, 11)
			for i := range in.ProcessingInputs {
				in.ProcessingInputs[i].InputName = "in"
			}
			return in
		}(),
			[]v{{Path: "processingInputs", Hidden: true, Constraint: operation.MaxLength(10)}}},
		{"processing volume", func() any {
			in := processing()
			in.ProcessingResources.ClusterConfig.VolumeSizeInGB = ptr(16385)
			return in
		}(),
			[]v{{Path: "processingResources.clusterConfig.volumeSizeInGB", Value: "16385", Constraint: operation.MaxValue(16384)}}},
		{"zero instances", func() any { in := processing(); in.ProcessingResources.ClusterConfig.InstanceCount = ptr(0); return in }(),
			[]v{{Path: "processingResources.clusterConfig.instanceCount", Value: "0", Constraint: operation.MinValue(1)}}},
		{"processing resources required", func() any { in := processing(); in.ProcessingResources = nil; return in }(),
			[]v{{Path: "processingResources", Null: true, Constraint: operation.NotNull}}},
		{"processing entrypoint", func() any {
			in := processing()
			in.AppSpecification.ContainerEntrypoint = []string{"python3", strings.Repeat("a", 257)}
			return in
		}(),
			[]v{{Path: "appSpecification.containerEntrypoint", Value: "[python3, " + strings.Repeat("a", 257) + "]",
				Constraint: "Member must satisfy constraint: [" + operation.MaxLength(256) + ", " + operation.MatchPattern(".*") + "]"}}},

		// Transform jobs.
		{"split type", func() any { in := transform(); in.TransformInput.SplitType = "Words"; return in }(),
			[]v{{Path: "transformInput.splitType", Value: "Words", Constraint: operation.OneOf("None", "Line", "RecordIO", "TFRecord")}}},
		{"invocation retries", func() any {
			in := transform()
			in.ModelClientConfig = &sm.ModelClientConfig{InvocationsMaxRetries: ptr(4)}
			return in
		}(),
			[]v{{Path: "modelClientConfig.invocationsMaxRetries", Value: "4", Constraint: operation.MaxValue(3)}}},
		{"transform environment", func() any { in := transform(); in.Environment = map[string]string{"1X": "y"}; return in }(),
			[]v{{Path: "environment", Hidden: true, Constraint: "Map keys must satisfy constraint: [" + operation.MaxLength(1024) + ", " +
				operation.MatchPattern("[a-zA-Z_][a-zA-Z0-9_]{0,1023}") + "]"}}},

		{"experiment", func() any {
			in := transform()
			in.ExperimentConfig = &sm.ExperimentConfig{TrialName: "trial_1"}
			return in
		}(),
			[]v{{Path: "experimentConfig.trialName", Value: "trial_1", Constraint: operation.MatchPattern(`[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}`)}}},
		{"data capture", func() any {
			in := transform()
			in.DataCaptureConfig = &sm.BatchDataCaptureConfig{KmsKeyId: "k"}
			return in
		}(),
			[]v{{Path: "dataCaptureConfig.destinationS3Uri", Null: true, Constraint: operation.NotNull}}},

		// Models.
		{"model name", &sm.CreateModelInput{ModelName: "-m", PrimaryContainer: &container},
			[]v{{Path: "modelName", Value: "-m", Constraint: operation.MatchPattern(`[a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?`)}}},
		{"container hostname", &sm.CreateModelInput{ModelName: "m", Containers: []sm.ContainerDefinition{container, {Image: ptr("img"), ContainerHostname: ptr("bad_host")}}},
			[]v{{Path: "containers.2.member.containerHostname", Value: "bad_host", Constraint: operation.MatchPattern(jobPattern)}}},
		{"containers", &sm.CreateModelInput{ModelName: "m", Containers: make([]sm.ContainerDefinition, 16)},
			[]v{{Path: "containers", Hidden: true, Constraint: operation.MaxLength(15)}}},
		{"model data URL", &sm.CreateModelInput{ModelName: "m", PrimaryContainer: &sm.ContainerDefinition{Image: ptr("img"), ModelDataUrl: ptr("ftp://x/y")}},
			[]v{{Path: "primaryContainer.modelDataUrl", Value: "ftp://x/y", Constraint: operation.MatchPattern(`(https|s3)://([^/]+)/?(.*)`)}}},
		{"image access", &sm.CreateModelInput{ModelName: "m", PrimaryContainer: &sm.ContainerDefinition{Image: ptr("img"),
			ImageConfig: &sm.ImageConfig{RepositoryAccessMode: "Public"}}},
			[]v{{Path: "primaryContainer.imageConfig.repositoryAccessMode", Value: "Public", Constraint: operation.OneOf("Platform", "Vpc")}}},
		{"list models name", &sagemaker.ListModelsInput{NameContains: ptr("bad_name")},
			[]v{{Path: "nameContains", Value: "bad_name", Constraint: operation.MatchPattern(`[a-zA-Z0-9-]+`)}}},

		// The model registry.
		{"group description", &sagemaker.CreateModelPackageGroupInput{ModelPackageGroupName: "g", ModelPackageGroupDescription: ptr("a\x01b")},
			[]v{{Path: "modelPackageGroupDescription", Value: "a\x01b", Constraint: operation.MatchPattern(`[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*`)}}},
		{"group name ends with a hyphen", &sagemaker.ModelPackageGroupRef{ModelPackageGroupName: "grp-"},
			[]v{{Path: "modelPackageGroupName", Value: "grp-", Constraint: operation.MatchPattern(arnOrName)}}},
		{"group by ARN", &sagemaker.ModelPackageGroupRef{ModelPackageGroupName: "arn:aws:sagemaker:us-east-1:222222222222:model-package-group/grp"}, nil},
		{"package version", &sagemaker.ModelPackageRef{ModelPackageName: "grp/1234567890"},
			[]v{{Path: "modelPackageName", Value: "grp/1234567890", Constraint: operation.MatchPattern(arnOrName + `(\/[0-9]{1,9})?`)}}},
		{"supported instance types", &sagemaker.CreateModelPackageInput{ModelPackageGroupName: "g", InferenceSpecification: &sm.InferenceSpecification{
			Containers: []sm.ModelPackageContainerDefinition{{Image: ptr("img")}}, SupportedTransformInstanceTypes: []string{"ml.nope.large"}}},
			[]v{{Path: "inferenceSpecification.supportedTransformInstanceTypes", Value: "[ml.nope.large]",
				Constraint: "Member must satisfy constraint: [" + operation.OneOf(enumOf[sm.InferenceSpecification]("SupportedTransformInstanceTypes", "memberEnum")...) + "]"}}},
		{"customer metadata", &sagemaker.CreateModelPackageInput{ModelPackageGroupName: "g", CustomerMetadataProperties: map[string]string{}},
			[]v{{Path: "customerMetadataProperties", Hidden: true, Constraint: operation.MinLength(1)}}},
		{"package ARN", &sagemaker.UpdateModelPackageInput{ModelPackageArn: "grp/1"},
			[]v{{Path: "modelPackageArn", Value: "grp/1", Constraint: operation.MatchPattern(`arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]{9,16}:[0-9]{12}:model-package/[\S]{1,2048}`)}}},
		{"model card content is not echoed", &sagemaker.UpdateModelPackageInput{ModelPackageArn: "arn:aws:sagemaker:us-east-1:111111111111:model-package/grp/1",
			ModelCard: &sagemaker.ModelPackageModelCard{ModelCardContent: ptr(strings.Repeat("c", 100001))}},
			[]v{{Path: "modelCard.modelCardContent", Hidden: true, Constraint: operation.MaxLength(100000)}}},

		// Tags.
		{"too many tags", &sagemaker.AddTagsInput{ResourceArn: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p", Tags: tags},
			[]v{{Path: "tags", Hidden: true, Constraint: operation.MaxLength(50)}}},
		{"tag key", &sagemaker.AddTagsInput{ResourceArn: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p", Tags: []sm.Tag{{Key: "ok"}, {Key: ""}}},
			[]v{{Path: "tags.2.member.key", Value: "", Constraint: operation.MinLength(1)}}},
		{"tag value", &sagemaker.AddTagsInput{ResourceArn: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p", Tags: []sm.Tag{{Key: "k", Value: "a|b"}}},
			[]v{{Path: "tags.1.member.value", Value: "a|b", Constraint: operation.MatchPattern(tagPattern)}}},
		{"resource ARN", &sagemaker.ListTagsInput{ResourceArn: "arn:aws:iam::111111111111:role/r"},
			[]v{{Path: "resourceArn", Value: "arn:aws:iam::111111111111:role/r", Constraint: operation.MatchPattern(`arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+`)}}},
		{"tag page", &sagemaker.ListTagsInput{ResourceArn: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p", MaxResults: ptr(10)},
			[]v{{Path: "maxResults", Value: "10", Constraint: operation.MinValue(50)}}},
		{"no tag keys", &sagemaker.DeleteTagsInput{ResourceArn: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p", TagKeys: []string{}},
			[]v{{Path: "tagKeys", Value: "[]", Constraint: operation.MinLength(1)}}},

		// Lists.
		{"page size", &sagemaker.ListPipelinesInput{MaxResults: ptr(101)},
			[]v{{Path: "maxResults", Value: "101", Constraint: operation.MaxValue(100)}}},
		{"prefix", &sagemaker.ListPipelinesInput{PipelineNamePrefix: ptr(strings.Repeat("p", 257))},
			[]v{{Path: "pipelineNamePrefix", Value: strings.Repeat("p", 257), Constraint: operation.MaxLength(256)}}},
		{"sort by", &sagemaker.ListModelPackageGroupsInput{SortBy: ptr("Size")},
			[]v{{Path: "sortBy", Value: "Size", Constraint: operation.OneOf("Name", "CreationTime")}}},
		{"sort order", &sagemaker.ListPipelineExecutionsInput{PipelineName: "p", SortOrder: ptr("Up")},
			[]v{{Path: "sortOrder", Value: "Up", Constraint: operation.OneOf("Ascending", "Descending")}}},
		{"next token", &sagemaker.ListModelsInput{NextToken: ptr(strings.Repeat("t", 8193))},
			[]v{{Path: "nextToken", Value: strings.Repeat("t", 8193), Constraint: operation.MaxLength(8192)}}},
		{"training status", &sagemaker.ListTrainingJobsInput{StatusEquals: ptr("Done")},
			[]v{{Path: "statusEquals", Value: "Done", Constraint: operation.OneOf("InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting")}}},
		{"processing status", &sagemaker.ListProcessingJobsInput{StatusEquals: ptr("Deleting")},
			[]v{{Path: "statusEquals", Value: "Deleting", Constraint: operation.OneOf("InProgress", "Completed", "Failed", "Stopping", "Stopped")}}},
		{"processing names are free", &sagemaker.ListProcessingJobsInput{NameContains: ptr("any thing_at all")}, nil},
		{"transform names", &sagemaker.ListTransformJobsInput{NameContains: ptr("a_b")},
			[]v{{Path: "nameContains", Value: "a_b", Constraint: operation.MatchPattern(`[a-zA-Z0-9\-]+`)}}},
		{"approval status", &sagemaker.ListModelPackagesInput{ModelApprovalStatus: ptr("Maybe")},
			[]v{{Path: "modelApprovalStatus", Value: "Maybe", Constraint: operation.OneOf("Approved", "Rejected", "PendingManualApproval")}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := check(c.in)
			if c.want == nil {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			want := operation.ValidationMessage(c.want...)
			var e *operation.Error
			if !errors.As(err, &e) || e.Code != "ValidationException" || e.Status != 400 || e.Message != want {
				t.Errorf("got  %v\nwant ValidationException: %s", err, want)
			}
		})
	}
}

// The model's enumerations and patterns are Java's; every one compiles, and the RE2 forms
// given for those RE2 cannot read accept what they accept.
func TestPatternForms(t *testing.T) {
	check := sagemaker.New(sagemaker.Options{}).API().Operations().Check
	for _, name := range []string{"g", "g1", "grp-1", "a" + strings.Repeat("b", 62), "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/grp"} {
		if err := check(&sagemaker.ModelPackageGroupRef{ModelPackageGroupName: name}); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	for _, name := range []string{"-g", "g-", "a" + strings.Repeat("b", 63), "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/g-"} {
		if err := check(&sagemaker.ModelPackageGroupRef{ModelPackageGroupName: name}); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
	for _, name := range []string{"g/1", "g", "arn:aws:sagemaker:us-east-1:111111111111:model-package/g/123456789"} {
		if err := check(&sagemaker.ModelPackageRef{ModelPackageName: name}); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	for _, name := range []string{"g-/1", "g/", "g/a"} {
		if err := check(&sagemaker.ModelPackageRef{ModelPackageName: name}); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
	def := `{"Version":"2020-12-01",` + "\n\t" + `"Steps":[]}`
	for doc, ok := range map[string]bool{def: true, "\u2028": false, "a\u0085b": false} {
		err := check(&sagemaker.UpdatePipelineInput{PipelineName: "p", PipelineDefinition: &doc})
		if (err == nil) != ok {
			b, _ := json.Marshal(doc)
			t.Errorf("definition %s: %v", b, err)
		}
	}
}
