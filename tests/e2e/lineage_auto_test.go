package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// Lineage SageMaker records by itself: a processing job reads raw data and writes a
// processed set, a training job reads the processed set, a model package registers the
// model it wrote; with no lineage call of the user's, QueryLineage from the package reaches
// the raw data.
func TestAutomaticLineage(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	role := pipelineRole(t, c, "data-science", "auto-lineage", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(c.config("data-science"))
	image := "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"

	prep, err := client.CreateProcessingJob(ctx, &sagemaker.CreateProcessingJobInput{ProcessingJobName: aws.String("prep"), RoleArn: aws.String(role),
		AppSpecification: &smtypes.AppSpecification{ImageUri: aws.String(image), ContainerEntrypoint: []string{"true"}},
		ProcessingResources: &smtypes.ProcessingResources{ClusterConfig: &smtypes.ProcessingClusterConfig{InstanceCount: aws.Int32(1),
			InstanceType: smtypes.ProcessingInstanceTypeMlT3Medium, VolumeSizeInGB: aws.Int32(1)}},
		ProcessingInputs: []smtypes.ProcessingInput{{InputName: aws.String("raw"), S3Input: &smtypes.ProcessingS3Input{S3Uri: aws.String("s3://lake/raw/data.csv"),
			LocalPath: aws.String("/opt/ml/processing/input"), S3DataType: smtypes.ProcessingS3DataTypeS3Prefix, S3InputMode: smtypes.ProcessingS3InputModeFile}}},
		ProcessingOutputConfig: &smtypes.ProcessingOutputConfig{Outputs: []smtypes.ProcessingOutput{{OutputName: aws.String("train"),
			S3Output: &smtypes.ProcessingS3Output{S3Uri: aws.String("s3://lake/processed/train"), LocalPath: aws.String("/opt/ml/processing/train"),
				S3UploadMode: smtypes.ProcessingS3UploadModeEndOfJob}}}}})
	if err != nil {
		t.Fatal(err)
	}
	in := trainingJob("fit", role, image, "s3://lake/models/")
	in.InputDataConfig = []smtypes.Channel{s3Channel("train", "s3://lake/processed/train")}
	fit, err := client.CreateTrainingJob(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	createGroup(t, client, "auto-models")
	pkg, err := client.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("auto-models"),
		InferenceSpecification: inferenceSpec("s3://lake/models/fit/output/model.tar.gz")})
	if err != nil {
		t.Fatal(err)
	}

	tc, err := client.DescribeTrialComponent(ctx, &sagemaker.DescribeTrialComponentInput{TrialComponentName: aws.String("prep-aws-processing-job")})
	if err != nil || aws.ToString(tc.Source.SourceArn) != aws.ToString(prep.ProcessingJobArn) || aws.ToString(tc.Source.SourceType) != "SageMakerProcessingJob" {
		t.Fatalf("the processing job's trial component: %v %+v", err, tc)
	}
	listed, err := client.ListTrialComponents(ctx, &sagemaker.ListTrialComponentsInput{SourceArn: fit.TrainingJobArn})
	if err != nil || len(listed.TrialComponentSummaries) != 1 || aws.ToString(listed.TrialComponentSummaries[0].TrialComponentName) != "fit-aws-training-job" {
		t.Errorf("the training job's trial component by source: %v %+v", err, listed)
	}
	artifact := func(uri string) string {
		t.Helper()
		out, err := client.ListArtifacts(ctx, &sagemaker.ListArtifactsInput{SourceUri: aws.String(uri)})
		if err != nil || len(out.ArtifactSummaries) != 1 {
			t.Fatalf("the artifact of %s: %v %+v", uri, err, out)
		}
		return aws.ToString(out.ArtifactSummaries[0].ArtifactArn)
	}
	raw, processed, model, pkgArtifact := artifact("s3://lake/raw/data.csv"), artifact("s3://lake/processed/train"),
		artifact("s3://lake/models/fit/output/model.tar.gz"), artifact(aws.ToString(pkg.ModelPackageArn))
	inputs, err := client.ListAssociations(ctx, &sagemaker.ListAssociationsInput{DestinationArn: tc.TrialComponentArn})
	if err != nil || len(inputs.AssociationSummaries) != 2 { // the raw data and the image
		t.Errorf("the processing job's inputs: %v %+v", err, inputs)
	}

	datasets, _ := queryAll(t, client, &sagemaker.QueryLineageInput{StartArns: []string{pkgArtifact}, Direction: smtypes.DirectionAscendants,
		Filters: &smtypes.QueryFilters{LineageTypes: []smtypes.LineageType{"Artifact"}, Types: []string{"DataSet"}}})
	if want := levels([]string{processed}, []string{raw}); !slices.Equal(datasets, want) {
		t.Errorf("the datasets behind the model package: %v, want %v", datasets, want)
	}
	jobs, _ := queryAll(t, client, &sagemaker.QueryLineageInput{StartArns: []string{pkgArtifact}, Direction: smtypes.DirectionAscendants,
		Filters: &smtypes.QueryFilters{LineageTypes: []smtypes.LineageType{"TrialComponent"}}})
	if want := []string{lineageARN + "experiment-trial-component/fit-aws-training-job", lineageARN + "experiment-trial-component/prep-aws-processing-job"}; !slices.Equal(jobs, want) {
		t.Errorf("the jobs behind the model package: %v, want %v", jobs, want)
	}
	down, _ := queryAll(t, client, &sagemaker.QueryLineageInput{StartArns: []string{model}, Direction: smtypes.DirectionDescendants,
		Filters: &smtypes.QueryFilters{LineageTypes: []smtypes.LineageType{"Context"}, Types: []string{"ModelGroup"}}})
	if len(down) != 1 || down[0] != lineageARN+"context/auto-models-aws-model-package-group" {
		t.Errorf("the model group the model reaches: %v", down)
	}
}

// A pipeline run's lineage, with no lineage call of the user's: the processing step's job
// carries the execution's ARN in sagemaker:pipeline-execution-arn, its trial component is in
// the execution's trial (the PipelineExperimentConfig the SDK writes: the pipeline's name and
// the execution's ID), and QueryLineage from the model package the next step registered
// reaches the raw data the processing step read.
func TestPipelineRunLineage(t *testing.T) {
	requirePython(t)
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "lineage-run"
	putObjects(t, cfg, bucket, map[string]string{"raw/data.csv": "0.2\n0.9\n", "code/prep.py": prepScript})
	role := pipelineRole(t, c, "data-science", "lineage-run-exec", fullPipelinePolicy)
	out := func(name string) string {
		return `{"OutputName":"` + name + `","AppManaged":false,"S3Output":{"S3Uri":{"Std:Join":{"On":"/","Values":["s3://` + bucket +
			`/runs",{"Get":"Execution.PipelineExecutionId"},"` + name + `"]}},"LocalPath":"/opt/ml/processing/` + name + `","S3UploadMode":"EndOfJob"}}`
	}
	prep := processingArgs(bucket, role, "prep.py",
		`{"InputName":"data","AppManaged":false,"S3Input":{"S3Uri":"s3://`+bucket+`/raw/data.csv","LocalPath":"/opt/ml/processing/input/data","S3DataType":"S3Prefix","S3InputMode":"File"}}`,
		out("train")+","+out("evaluation"))
	definition := `{"Version":"2020-12-01","Metadata":{},"Parameters":[],
	"PipelineExperimentConfig":{"ExperimentName":{"Get":"Execution.PipelineName"},"TrialName":{"Get":"Execution.PipelineExecutionId"}},
	"Steps":[
	 {"Name":"Prep","Type":"Processing","Arguments":` + prep + `},
	 {"Name":"Register","Type":"RegisterModel","Arguments":{"ModelPackageGroupName":"run-models",
	   "InferenceSpecification":{"Containers":[{"Image":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.0-1-cpu-py3",
	     "ModelDataUrl":{"Get":"Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"}}],
	    "SupportedContentTypes":["text/csv"],"SupportedResponseMIMETypes":["text/csv"]},
	   "ModelApprovalStatus":"PendingManualApproval"}}]}`
	client := sagemaker.NewFromConfig(cfg)
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("Lineage-Run"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(definition), ClientRequestToken: aws.String(token(t, "create"))}); err != nil {
		t.Fatal(err)
	}
	started, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("Lineage-Run"),
		ClientRequestToken: aws.String(token(t, "run"))})
	if err != nil {
		t.Fatal(err)
	}
	execARN := aws.ToString(started.PipelineExecutionArn)
	id := execARN[strings.LastIndex(execARN, "/")+1:]
	done := waitExecution(t, client, execARN, 90*time.Second)
	got := steps(t, client, execARN)
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("execution: %s (%s); steps %+v", done.PipelineExecutionStatus, aws.ToString(done.FailureReason), got)
	}
	jobARN := aws.ToString(got["Prep"].Metadata.ProcessingJob.Arn)
	jobName := jobARN[strings.LastIndex(jobARN, "/")+1:]
	pkgARN := aws.ToString(got["Register"].Metadata.RegisterModel.Arn)

	// The job's tag, as the SDK's pipeline_execution_arn() reads it.
	tags, err := client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(jobARN)})
	if err != nil {
		t.Fatal(err)
	}
	tagged := ""
	for _, tag := range tags.Tags {
		if aws.ToString(tag.Key) == "sagemaker:pipeline-execution-arn" {
			tagged = aws.ToString(tag.Value)
		}
	}
	if tagged != execARN {
		t.Errorf("the job's sagemaker:pipeline-execution-arn tag is %q, want %s (tags %+v)", tagged, execARN, tags.Tags)
	}

	// The experiment and the trial, holding the job's trial component.
	if exp, err := client.DescribeExperiment(ctx, &sagemaker.DescribeExperimentInput{ExperimentName: aws.String("Lineage-Run")}); err != nil ||
		aws.ToString(exp.ExperimentArn) != lineageARN+"experiment/lineage-run" {
		t.Errorf("the pipeline's experiment: %v %+v", err, exp)
	}
	trial, err := client.DescribeTrial(ctx, &sagemaker.DescribeTrialInput{TrialName: aws.String(id)})
	if err != nil || !strings.EqualFold(aws.ToString(trial.ExperimentName), "Lineage-Run") {
		t.Errorf("the execution's trial: %v %+v", err, trial)
	}
	members, err := client.ListTrialComponents(ctx, &sagemaker.ListTrialComponentsInput{TrialName: aws.String(id)})
	if err != nil || len(members.TrialComponentSummaries) != 1 ||
		!strings.EqualFold(aws.ToString(members.TrialComponentSummaries[0].TrialComponentName), jobName+"-aws-processing-job") {
		var names []string
		if err == nil {
			for _, m := range members.TrialComponentSummaries {
				names = append(names, aws.ToString(m.TrialComponentName))
			}
		}
		t.Errorf("the execution's trial components: %v %v, want %s-aws-processing-job", err, names, jobName)
	}

	// The job's trial component follows the job: Completed, with the job's times.
	tc, err := client.DescribeTrialComponent(ctx, &sagemaker.DescribeTrialComponentInput{TrialComponentName: aws.String(jobName + "-aws-processing-job")})
	if err != nil || tc.Status == nil || string(tc.Status.PrimaryStatus) != "Completed" || tc.StartTime == nil || tc.EndTime == nil {
		t.Errorf("the job's trial component after the job ended: %v %+v", err, tc)
	} else if job, err := client.DescribeProcessingJob(ctx, &sagemaker.DescribeProcessingJobInput{ProcessingJobName: aws.String(jobName)}); err != nil ||
		!aws.ToTime(tc.EndTime).Equal(aws.ToTime(job.ProcessingEndTime)) {
		t.Errorf("the trial component ends at %v, the job at %v (%v)", tc.EndTime, job.ProcessingEndTime, err)
	}
	found := searchTrialComponents(t, client, "Status.PrimaryStatus", "Completed")
	if !slices.ContainsFunc(found, func(n string) bool { return strings.EqualFold(n, jobName+"-aws-processing-job") }) {
		t.Errorf("Search for Completed trial components: %v", found)
	}

	// From the registered package back to the raw data.
	arts, err := client.ListArtifacts(ctx, &sagemaker.ListArtifactsInput{SourceUri: aws.String(pkgARN)})
	if err != nil || len(arts.ArtifactSummaries) != 1 {
		t.Fatalf("the package's artifact: %v %+v", err, arts)
	}
	data, _ := queryAll(t, client, &sagemaker.QueryLineageInput{StartArns: []string{aws.ToString(arts.ArtifactSummaries[0].ArtifactArn)},
		Direction: smtypes.DirectionAscendants, Filters: &smtypes.QueryFilters{LineageTypes: []smtypes.LineageType{"Artifact"}, Types: []string{"DataSet"}}})
	raw, err := client.ListArtifacts(ctx, &sagemaker.ListArtifactsInput{SourceUri: aws.String("s3://" + bucket + "/raw/data.csv")})
	if err != nil || len(raw.ArtifactSummaries) != 1 {
		t.Fatalf("the raw data's artifact: %v %+v", err, raw)
	}
	if !slices.Contains(data, aws.ToString(raw.ArtifactSummaries[0].ArtifactArn)) {
		t.Errorf("the datasets behind the package %v lack the raw data %s", data, aws.ToString(raw.ArtifactSummaries[0].ArtifactArn))
	}
}

// searchTrialComponents returns the names of the trial components Search finds with one
// filter.
func searchTrialComponents(t *testing.T, client *sagemaker.Client, name, value string) []string {
	t.Helper()
	out, err := client.Search(context.Background(), &sagemaker.SearchInput{Resource: smtypes.ResourceTypeExperimentTrialComponent,
		SearchExpression: &smtypes.SearchExpression{Filters: []smtypes.Filter{{Name: aws.String(name), Operator: smtypes.OperatorEquals, Value: aws.String(value)}}}})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	var names []string
	for _, r := range out.Results {
		if r.TrialComponent != nil {
			names = append(names, aws.ToString(r.TrialComponent.TrialComponentName))
		}
	}
	return names
}
