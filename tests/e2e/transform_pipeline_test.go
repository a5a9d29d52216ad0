package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// A Model step creates the model a Transform step then runs, naming it through
// Steps.CreateModel.ModelName, as the SDK's ModelStep and Transformer emit them.
func TestPipelineModelThenTransform(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "pipeline-transform"
	putObjects(t, cfg, bucket, map[string]string{
		"model/model.tar.gz":     tarGz(t, map[string]string{"model.json": `{"a": 3, "b": -1}`}),
		"model/sourcedir.tar.gz": tarGz(t, map[string]string{"inference.py": linearInference}),
		"batch/part-1.csv":       "1\n2\n",
		"batch/part-2.csv":       "5\n",
	})
	role := pipelineRole(t, c, "data-science", "pipeline-exec", fullPipelinePolicy)
	definition := `{"Version":"2020-12-01","Metadata":{},
	"Parameters":[{"Name":"BatchData","Type":"String","DefaultValue":"s3://` + bucket + `/batch/"}],
	"PipelineExperimentConfig":{"ExperimentName":{"Get":"Execution.PipelineName"},"TrialName":{"Get":"Execution.PipelineExecutionId"}},
	"Steps":[
	 {"Name":"CreateModel","Type":"Model","Arguments":{"ExecutionRoleArn":"` + role + `",
	   "PrimaryContainer":{"Image":"` + modelImage + `",
	     "Environment":{"SAGEMAKER_PROGRAM":"inference.py","SAGEMAKER_SUBMIT_DIRECTORY":"s3://` + bucket + `/model/sourcedir.tar.gz","SAGEMAKER_REGION":"us-east-1"},
	     "ModelDataUrl":"s3://` + bucket + `/model/model.tar.gz"}}},
	 {"Name":"Transform","Type":"Transform","Arguments":{
	   "ModelName":{"Get":"Steps.CreateModel.ModelName"},
	   "TransformInput":{"DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":{"Get":"Parameters.BatchData"}}},"ContentType":"text/csv","SplitType":"Line"},
	   "TransformOutput":{"S3OutputPath":{"Std:Join":{"On":"/","Values":["s3://` + bucket + `/runs",{"Get":"Execution.PipelineExecutionId"}]}},"Accept":"text/csv","AssembleWith":"Line"},
	   "BatchStrategy":"MultiRecord",
	   "TransformResources":{"InstanceCount":1,"InstanceType":"ml.m5.xlarge"}}}
	]}`
	client := sagemaker.NewFromConfig(cfg)
	done, got := runPipeline(t, client, "model-transform", role, definition)
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("execution: %s (%s); steps %+v", done.PipelineExecutionStatus, aws.ToString(done.FailureReason), got)
	}
	arn := aws.ToString(done.PipelineExecutionArn)
	id := arn[strings.LastIndex(arn, "/")+1:]
	model := got["CreateModel"]
	if model.StepStatus != smtypes.StepStatusSucceeded || model.Metadata == nil || model.Metadata.Model == nil ||
		!strings.Contains(aws.ToString(model.Metadata.Model.Arn), ":model/pipelines-"+id+"-createmodel-") {
		t.Fatalf("CreateModel step %+v", model)
	}
	modelARN := aws.ToString(model.Metadata.Model.Arn)
	transform := got["Transform"]
	if transform.StepStatus != smtypes.StepStatusSucceeded || transform.Metadata == nil || transform.Metadata.TransformJob == nil ||
		!strings.Contains(aws.ToString(transform.Metadata.TransformJob.Arn), ":transform-job/pipelines-"+id+"-transform-") {
		t.Fatalf("Transform step %+v", transform)
	}
	jobARN := aws.ToString(transform.Metadata.TransformJob.Arn)
	job, err := client.DescribeTransformJob(ctx, &sagemaker.DescribeTransformJobInput{TransformJobName: aws.String(jobARN[strings.LastIndex(jobARN, "/")+1:])})
	if err != nil {
		t.Fatalf("DescribeTransformJob: %v", err)
	}
	if !strings.EqualFold(aws.ToString(job.ModelName), modelARN[strings.LastIndex(modelARN, "/")+1:]) || job.TransformJobStatus != smtypes.TransformJobStatusCompleted {
		t.Errorf("transform job %s of model %s, want model %s", job.TransformJobStatus, aws.ToString(job.ModelName), modelARN)
	}
	for key, want := range map[string]string{
		"runs/" + id + "/part-1.csv.out": "2.0,2\n5.0,2\n",
		"runs/" + id + "/part-2.csv.out": "14.0,1\n",
	} {
		if v := getObject(t, cfg, bucket, key); v != want {
			t.Errorf("%s = %q, want %q", key, v, want)
		}
	}
}
