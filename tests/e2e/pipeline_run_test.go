package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// prepScript reads a CSV of numbers, writes the rows above 0 as a dataset and their mean as
// the score in evaluation.json; it also checks the SageMaker processing contract.
const prepScript = `
import csv, json, os, sys
cfg = json.load(open("/opt/ml/config/processingjobconfig.json"))
assert cfg["ProcessingJobArn"].startswith("arn:aws:sagemaker:"), cfg
assert json.load(open("/opt/ml/config/resourceconfig.json"))["current_host"] == "algo-1"
rows = [float(r[0]) for r in csv.reader(open("/opt/ml/processing/input/data/data.csv")) if r]
os.makedirs("/opt/ml/processing/train", exist_ok=True)
with open("/opt/ml/processing/train/train.csv", "w") as f:
    for v in rows:
        if v > 0:
            f.write("%s\n" % v)
score = sum(rows) / len(rows)
json.dump({"metrics": {"score": score}, "hint": os.environ.get("THRESHOLD_HINT")}, open("/opt/ml/processing/evaluation/evaluation.json", "w"))
print("score", score, "args", sys.argv[1:])
`

// publishScript copies the training set to its output.
const publishScript = `
import shutil
shutil.copy("/opt/ml/processing/input/train/train.csv", "/opt/ml/processing/published/train.csv")
print("published")
`

func processingArgs(bucket, role, script string, inputs, outputs string) string {
	return `{"ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":30}},
		"AppSpecification":{"ImageUri":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3","ContainerEntrypoint":["python3","/opt/ml/processing/input/code/` + script + `"],"ContainerArguments":["--mode","test"]},
		"RoleArn":"` + role + `",
		"ProcessingInputs":[` + inputs + `,{"InputName":"code","AppManaged":false,"S3Input":{"S3Uri":"s3://` + bucket + `/code/` + script + `","LocalPath":"/opt/ml/processing/input/code","S3DataType":"S3Prefix","S3InputMode":"File","S3DataDistributionType":"FullyReplicated"}}],
		"ProcessingOutputConfig":{"Outputs":[` + outputs + `]},
		"StoppingCondition":{"MaxRuntimeInSeconds":120}}`
}

// branchingPipeline: Prep (processing, with a property file) → CheckScore (condition on
// JsonGet) → Publish (processing) or TooLow (fail).
func branchingPipeline(bucket, role string) string {
	out := func(name, suffix string) string {
		return `{"OutputName":"` + name + `","AppManaged":false,"S3Output":{"S3Uri":{"Std:Join":{"On":"/","Values":["s3://` + bucket + `/runs",{"Get":"Execution.PipelineExecutionId"},"` + suffix + `"]}},"LocalPath":"/opt/ml/processing/` + name + `","S3UploadMode":"EndOfJob"}}`
	}
	prep := processingArgs(bucket, role, "prep.py",
		`{"InputName":"data","AppManaged":false,"S3Input":{"S3Uri":{"Get":"Parameters.InputData"},"LocalPath":"/opt/ml/processing/input/data","S3DataType":"S3Prefix","S3InputMode":"File","S3DataDistributionType":"FullyReplicated"}}`,
		out("train", "train")+","+out("evaluation", "evaluation"))
	prep = strings.Replace(prep, `"StoppingCondition"`, `"Environment":{"THRESHOLD_HINT":{"Std:Join":{"On":"","Values":[{"Get":"Parameters.Threshold"}]}}},"StoppingCondition"`, 1)
	publish := processingArgs(bucket, role, "publish.py",
		`{"InputName":"train","AppManaged":false,"S3Input":{"S3Uri":{"Get":"Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"},"LocalPath":"/opt/ml/processing/input/train","S3DataType":"S3Prefix","S3InputMode":"File"}}`,
		`{"OutputName":"published","AppManaged":false,"S3Output":{"S3Uri":"s3://`+bucket+`/published","LocalPath":"/opt/ml/processing/published","S3UploadMode":"EndOfJob"}}`)
	return `{"Version":"2020-12-01","Metadata":{},
	"Parameters":[{"Name":"InputData","Type":"String","DefaultValue":"s3://` + bucket + `/raw/data.csv"},{"Name":"Threshold","Type":"Float","DefaultValue":0.5}],
	"PipelineExperimentConfig":{"ExperimentName":{"Get":"Execution.PipelineName"},"TrialName":{"Get":"Execution.PipelineExecutionId"}},
	"Steps":[
	 {"Name":"Prep","Type":"Processing","Arguments":` + prep + `,
	  "PropertyFiles":[{"PropertyFileName":"Evaluation","OutputName":"evaluation","FilePath":"evaluation.json"}]},
	 {"Name":"CheckScore","Type":"Condition","Arguments":{
	   "Conditions":[{"Type":"GreaterThanOrEqualTo","LeftValue":{"Std:JsonGet":{"PropertyFile":{"Get":"Steps.Prep.PropertyFiles.Evaluation"},"Path":"metrics.score"}},"RightValue":{"Get":"Parameters.Threshold"}}],
	   "IfSteps":[{"Name":"Publish","Type":"Processing","Arguments":` + publish + `}],
	   "ElseSteps":[{"Name":"TooLow","Type":"Fail","Arguments":{"ErrorMessage":{"Std:Join":{"On":" ","Values":["score below",{"Get":"Parameters.Threshold"}]}}}}]}}
	]}`
}

// setupBranching creates the bucket, scripts, data, role and pipeline in data-science.
func setupBranching(t *testing.T, c *cairn, pipelineName string) (*sagemaker.Client, string) {
	t.Helper()
	cfg := c.config("data-science")
	bucket := "ml-data-" + strings.ToLower(strings.ReplaceAll(pipelineName, "_", "-"))
	putObjects(t, cfg, bucket, map[string]string{
		"raw/data.csv":    "0.2\n0.9\n0.6\n1.0\n-0.1\n",
		"code/prep.py":    prepScript,
		"code/publish.py": publishScript,
	})
	role := pipelineRole(t, c, "data-science", "pipeline-exec-"+pipelineName, fullPipelinePolicy)
	client := sagemaker.NewFromConfig(cfg)
	_, err := client.CreatePipeline(context.Background(), &sagemaker.CreatePipelineInput{
		PipelineName: aws.String(pipelineName), RoleArn: aws.String(role), PipelineDefinition: aws.String(branchingPipeline(bucket, role)),
		ClientRequestToken: aws.String(token(t, "create")), PipelineDescription: aws.String("branches on a score"),
	})
	if err != nil {
		t.Fatalf("CreatePipeline: %v", err)
	}
	return client, bucket
}

func TestPipelineBranchesOnJsonGet(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client, bucket := setupBranching(t, c, "branching")
	cfg := c.config("data-science")

	// Mean score is 0.52: threshold 0.5 takes the if-branch.
	started, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("branching"),
		ClientRequestToken: aws.String(token(t, "run-high")),
		PipelineParameters: []smtypes.Parameter{{Name: aws.String("Threshold"), Value: aws.String("0.5")}}})
	if err != nil {
		t.Fatalf("StartPipelineExecution: %v", err)
	}
	arn := aws.ToString(started.PipelineExecutionArn)
	done := waitExecution(t, client, arn, 60*time.Second)
	got := steps(t, client, arn)
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("execution %s: %s (%s); steps %+v", arn, done.PipelineExecutionStatus, aws.ToString(done.FailureReason), got)
	}
	for _, name := range []string{"Prep", "CheckScore", "Publish"} {
		if got[name].StepStatus != smtypes.StepStatusSucceeded {
			t.Errorf("step %s: %s %s", name, got[name].StepStatus, aws.ToString(got[name].FailureReason))
		}
	}
	if _, ran := got["TooLow"]; ran {
		t.Errorf("the else-branch ran")
	}
	if o := got["CheckScore"].Metadata.Condition; o == nil || o.Outcome != smtypes.ConditionOutcomeTrue {
		t.Errorf("condition metadata %+v", got["CheckScore"].Metadata)
	}
	prepJob := got["Prep"].Metadata.ProcessingJob
	if prepJob == nil || !strings.Contains(aws.ToString(prepJob.Arn), ":processing-job/pipelines-") {
		t.Fatalf("Prep metadata %+v", got["Prep"].Metadata)
	}
	id := arn[strings.LastIndex(arn, "/")+1:]
	if !strings.Contains(aws.ToString(prepJob.Arn), "pipelines-"+id+"-prep-") {
		t.Errorf("job ARN %s does not follow pipelines-<execution id>-<step>-<token>", aws.ToString(prepJob.Arn))
	}
	if aws.ToInt32(got["Prep"].AttemptCount) != 1 {
		t.Errorf("Prep attempts %d", got["Prep"].AttemptCount)
	}
	if v := getObject(t, cfg, bucket, "published/train.csv"); v != "0.2\n0.9\n0.6\n1.0\n" {
		t.Errorf("published dataset %q", v)
	}
	var eval struct {
		Metrics struct{ Score float64 }
		Hint    string
	}
	json.Unmarshal([]byte(getObject(t, cfg, bucket, "runs/"+id+"/evaluation/evaluation.json")), &eval)
	if eval.Metrics.Score < 0.51 || eval.Metrics.Score > 0.53 || eval.Hint != "0.5" {
		t.Errorf("evaluation.json %+v", eval)
	}
	if done.PipelineExperimentConfig == nil || aws.ToString(done.PipelineExperimentConfig.TrialName) != id {
		t.Errorf("experiment config %+v", done.PipelineExperimentConfig)
	}
	job, err := client.DescribeProcessingJob(ctx, &sagemaker.DescribeProcessingJobInput{ProcessingJobName: aws.String(aws.ToString(prepJob.Arn)[strings.LastIndex(aws.ToString(prepJob.Arn), "/")+1:])})
	if err != nil {
		t.Fatalf("DescribeProcessingJob: %v", err)
	}
	if job.ProcessingJobStatus != smtypes.ProcessingJobStatusCompleted || job.ProcessingStartTime == nil || job.ProcessingEndTime == nil {
		t.Errorf("processing job %s %v %v", job.ProcessingJobStatus, job.ProcessingStartTime, job.ProcessingEndTime)
	}

	// Threshold 0.9 takes the else-branch: the Fail step fails the execution.
	started, err = client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("branching"),
		ClientRequestToken: aws.String(token(t, "run-low")),
		PipelineParameters: []smtypes.Parameter{{Name: aws.String("Threshold"), Value: aws.String("0.9")}}})
	if err != nil {
		t.Fatalf("StartPipelineExecution: %v", err)
	}
	arn = aws.ToString(started.PipelineExecutionArn)
	done = waitExecution(t, client, arn, 60*time.Second)
	got = steps(t, client, arn)
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusFailed || aws.ToString(done.FailureReason) != "score below 0.9" {
		t.Fatalf("low run: %s (%s)", done.PipelineExecutionStatus, aws.ToString(done.FailureReason))
	}
	if f := got["TooLow"].Metadata.Fail; got["TooLow"].StepStatus != smtypes.StepStatusFailed || f == nil || aws.ToString(f.ErrorMessage) != "score below 0.9" {
		t.Errorf("fail step %+v", got["TooLow"])
	}
	if _, ran := got["Publish"]; ran {
		t.Errorf("the if-branch ran")
	}
	params, err := client.ListPipelineParametersForExecution(ctx, &sagemaker.ListPipelineParametersForExecutionInput{PipelineExecutionArn: aws.String(arn)})
	if err != nil || len(params.PipelineParameters) != 2 {
		t.Fatalf("ListPipelineParametersForExecution: %v %+v", err, params)
	}
}
