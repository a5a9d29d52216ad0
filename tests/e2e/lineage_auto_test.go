package e2e

import (
	"context"
	"slices"
	"testing"

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
