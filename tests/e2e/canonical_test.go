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

// The canonical pipeline of issue 6, with pure-Python scripts: preprocess → train →
// evaluate → condition on a metric → register the model, create it and batch-transform,
// else fail.

const canonicalPreprocess = `
import csv, os, random
rows = list(csv.reader(open("/opt/ml/processing/input/raw/data.csv")))
random.Random(7).shuffle(rows)
n = len(rows)
parts = {"train": rows[: n * 7 // 10], "validation": rows[n * 7 // 10 : n * 85 // 100], "test": rows[n * 85 // 100 :]}
for name, part in parts.items():
    os.makedirs("/opt/ml/processing/" + name, exist_ok=True)
    with open("/opt/ml/processing/%s/%s.csv" % (name, name), "w") as f:
        csv.writer(f).writerows(part)
with open("/opt/ml/processing/batch/batch.csv", "w") as f:
    for r in parts["test"]:
        f.write(r[0] + "\n")
print("split", {k: len(v) for k, v in parts.items()})
`

// canonicalTrain fits y = a*x + b by least squares (script mode: SM_* environment and
// hyperparameters as arguments).
const canonicalTrain = `
import argparse, csv, json, math, os
p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int)
p.add_argument("--learning-note", default="")
args = p.parse_args()
assert args.epochs == 3, args
def load(d, name):
    return [(float(x), float(y)) for x, y in csv.reader(open(os.path.join(d, name)))]
train = load(os.environ["SM_CHANNEL_TRAIN"], "train.csv")
val = load(os.environ["SM_CHANNEL_VALIDATION"], "validation.csv")
n = len(train)
mx = sum(x for x, _ in train) / n
my = sum(y for _, y in train) / n
a = sum((x - mx) * (y - my) for x, y in train) / sum((x - mx) ** 2 for x, _ in train)
b = my - a * mx
rmse = math.sqrt(sum((a * x + b - y) ** 2 for x, y in val) / len(val))
json.dump({"a": a, "b": b}, open(os.path.join(os.environ["SM_MODEL_DIR"], "model.json"), "w"))
print("val:rmse=%f" % rmse)
`

const canonicalEvaluate = `
import csv, json, math, tarfile
with tarfile.open("/opt/ml/processing/model/model.tar.gz") as t:
    t.extractall("/opt/ml/processing/model")
m = json.load(open("/opt/ml/processing/model/model.json"))
test = [(float(x), float(y)) for x, y in csv.reader(open("/opt/ml/processing/test/test.csv"))]
rmse = math.sqrt(sum((m["a"] * x + m["b"] - y) ** 2 for x, y in test) / len(test))
json.dump({"regression_metrics": {"rmse": {"value": rmse}}}, open("/opt/ml/processing/evaluation/evaluation.json", "w"))
`

const canonicalInference = `
import json, os
def model_fn(model_dir):
    return json.load(open(os.path.join(model_dir, "model.json")))
def input_fn(body, content_type):
    return float(body.decode() if isinstance(body, bytes) else body)
def predict_fn(x, model):
    return model["a"] * x + model["b"]
def output_fn(y, accept):
    return "%.3f" % y
`

func canonicalDefinition(bucket, role string) string {
	out := func(name string) string {
		return `{"OutputName":"` + name + `","AppManaged":false,"S3Output":{"S3Uri":{"Std:Join":{"On":"/","Values":["s3://` + bucket + `/canonical",{"Get":"Execution.PipelineExecutionId"},"` + name + `"]}},"LocalPath":"/opt/ml/processing/` + name + `","S3UploadMode":"EndOfJob"}}`
	}
	in := func(name, uri, path string) string {
		return `{"InputName":"` + name + `","AppManaged":false,"S3Input":{"S3Uri":` + uri + `,"LocalPath":"` + path + `","S3DataType":"S3Prefix","S3InputMode":"File","S3DataDistributionType":"FullyReplicated","S3CompressionType":"None"}}`
	}
	processing := func(script, inputs, outputs string) string {
		return `{"ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":30}},
			"AppSpecification":{"ImageUri":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3","ContainerEntrypoint":["python3","/opt/ml/processing/input/code/` + script + `"]},
			"RoleArn":"` + role + `","ProcessingInputs":[` + inputs + `,` + in("code", `"s3://`+bucket+`/code/`+script+`"`, "/opt/ml/processing/input/code") + `],
			"ProcessingOutputConfig":{"Outputs":[` + outputs + `]}}`
	}
	prep := processing("preprocess.py", in("raw", `{"Get":"Parameters.InputData"}`, "/opt/ml/processing/input/raw"),
		out("train")+","+out("validation")+","+out("test")+","+out("batch"))
	train := `{"AlgorithmSpecification":{"TrainingInputMode":"File","TrainingImage":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
		"MetricDefinitions":[{"Name":"val:rmse","Regex":"val:rmse=([0-9.]+)"}]},
		"OutputDataConfig":{"S3OutputPath":"s3://` + bucket + `/models"},"StoppingCondition":{"MaxRuntimeInSeconds":600},
		"ResourceConfig":{"VolumeSizeInGB":30,"InstanceCount":1,"InstanceType":"ml.m5.xlarge"},"RoleArn":"` + role + `",
		"InputDataConfig":[
		 {"DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":{"Get":"Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"},"S3DataDistributionType":"FullyReplicated"}},"ContentType":"text/csv","ChannelName":"train"},
		 {"DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":{"Get":"Steps.Preprocess.ProcessingOutputConfig.Outputs['validation'].S3Output.S3Uri"},"S3DataDistributionType":"FullyReplicated"}},"ContentType":"text/csv","ChannelName":"validation"}],
		"HyperParameters":{"epochs":"3","learning-note":"\"linear\"","sagemaker_program":"\"train.py\"","sagemaker_submit_directory":"\"s3://` + bucket + `/code/sourcedir.tar.gz\"","sagemaker_container_log_level":"20","sagemaker_region":"\"us-east-1\""}}`
	eval := processing("evaluate.py",
		in("model", `{"Get":"Steps.Train.ModelArtifacts.S3ModelArtifacts"}`, "/opt/ml/processing/model")+","+
			in("test", `{"Get":"Steps.Preprocess.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri"}`, "/opt/ml/processing/test"),
		out("evaluation"))
	register := `{"ModelPackageGroupName":"canonical-models","ModelMetrics":{"ModelQuality":{"Statistics":{"ContentType":"application/json","S3Uri":{"Std:Join":{"On":"/","Values":[{"Get":"Steps.Evaluate.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri"},"evaluation.json"]}}}},"Bias":{},"Explainability":{}},
		"InferenceSpecification":{"Containers":[{"Image":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3","Environment":{},"ModelDataUrl":{"Get":"Steps.Train.ModelArtifacts.S3ModelArtifacts"}}],
		"SupportedContentTypes":["text/csv"],"SupportedResponseMIMETypes":["text/csv"],"SupportedRealtimeInferenceInstanceTypes":["ml.m5.xlarge"],"SupportedTransformInstanceTypes":["ml.m5.xlarge"]},
		"ModelApprovalStatus":{"Get":"Parameters.ModelApprovalStatus"},"SkipModelValidation":"None"}`
	model := `{"ExecutionRoleArn":"` + role + `","PrimaryContainer":{"Image":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
		"Environment":{"SAGEMAKER_PROGRAM":"inference.py","SAGEMAKER_SUBMIT_DIRECTORY":"s3://` + bucket + `/code/sourcedir.tar.gz"},"ModelDataUrl":{"Get":"Steps.Train.ModelArtifacts.S3ModelArtifacts"}}}`
	transform := `{"ModelName":{"Get":"Steps.CreateModel.ModelName"},"TransformInput":{"DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":{"Get":"Steps.Preprocess.ProcessingOutputConfig.Outputs['batch'].S3Output.S3Uri"}}},"ContentType":"text/csv","SplitType":"Line"},
		"TransformOutput":{"S3OutputPath":{"Std:Join":{"On":"/","Values":["s3://` + bucket + `/canonical",{"Get":"Execution.PipelineExecutionId"},"predictions"]}},"AssembleWith":"Line"},
		"TransformResources":{"InstanceCount":1,"InstanceType":"ml.m5.xlarge"}}`
	return `{"Version":"2020-12-01","Metadata":{},
	"Parameters":[{"Name":"InputData","Type":"String","DefaultValue":"s3://` + bucket + `/raw/data.csv"},{"Name":"MaxRmse","Type":"Float","DefaultValue":1.0},
	  {"Name":"ModelApprovalStatus","Type":"String","DefaultValue":"PendingManualApproval"}],
	"PipelineExperimentConfig":{"ExperimentName":{"Get":"Execution.PipelineName"},"TrialName":{"Get":"Execution.PipelineExecutionId"}},
	"Steps":[
	 {"Name":"Preprocess","Type":"Processing","Arguments":` + prep + `},
	 {"Name":"Train","Type":"Training","Arguments":` + train + `},
	 {"Name":"Evaluate","Type":"Processing","Arguments":` + eval + `,"PropertyFiles":[{"PropertyFileName":"EvaluationReport","OutputName":"evaluation","FilePath":"evaluation.json"}]},
	 {"Name":"CheckRmse","Type":"Condition","Arguments":{"Conditions":[{"Type":"LessThanOrEqualTo","LeftValue":{"Std:JsonGet":{"PropertyFile":{"Get":"Steps.Evaluate.PropertyFiles.EvaluationReport"},"Path":"regression_metrics.rmse.value"}},"RightValue":{"Get":"Parameters.MaxRmse"}}],
	  "IfSteps":[
	   {"Name":"Register","Type":"RegisterModel","Arguments":` + register + `},
	   {"Name":"CreateModel","Type":"Model","Arguments":` + model + `},
	   {"Name":"BatchPredict","Type":"Transform","Arguments":` + transform + `}],
	  "ElseSteps":[{"Name":"RmseTooHigh","Type":"Fail","Arguments":{"ErrorMessage":{"Std:Join":{"On":" ","Values":["RMSE above",{"Get":"Parameters.MaxRmse"}]}}}}]}}
	]}`
}

func TestCanonicalPipeline(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "canonical-ml"
	var data strings.Builder
	for i := 0; i < 40; i++ {
		x := float64(i) / 4
		noise := float64((i*37)%11-5) / 100
		data.WriteString(jsonFloat(x) + "," + jsonFloat(2*x+1+noise) + "\n")
	}
	putObjects(t, cfg, bucket, map[string]string{
		"raw/data.csv":          data.String(),
		"code/preprocess.py":    canonicalPreprocess,
		"code/evaluate.py":      canonicalEvaluate,
		"code/sourcedir.tar.gz": tarGz(t, map[string]string{"train.py": canonicalTrain, "inference.py": canonicalInference}),
	})
	role := pipelineRole(t, c, "data-science", "canonical-exec", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(cfg)
	if _, err := client.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{ModelPackageGroupName: aws.String("canonical-models")}); err != nil {
		t.Fatalf("CreateModelPackageGroup: %v", err)
	}
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("canonical"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(canonicalDefinition(bucket, role)), ClientRequestToken: aws.String(token(t, "create"))}); err != nil {
		t.Fatalf("CreatePipeline: %v", err)
	}
	run := func(suffix, maxRmse string) (*sagemaker.DescribePipelineExecutionOutput, map[string]smtypes.PipelineExecutionStep) {
		out, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("canonical"),
			ClientRequestToken: aws.String(token(t, suffix)), PipelineParameters: []smtypes.Parameter{{Name: aws.String("MaxRmse"), Value: aws.String(maxRmse)}}})
		if err != nil {
			t.Fatalf("StartPipelineExecution: %v", err)
		}
		arn := aws.ToString(out.PipelineExecutionArn)
		return waitExecution(t, client, arn, 5*time.Minute), steps(t, client, arn)
	}

	done, got := run("good", "0.5")
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		for n, s := range got {
			t.Logf("%s: %s %s", n, s.StepStatus, aws.ToString(s.FailureReason))
		}
		t.Fatalf("canonical pipeline: %s (%s)", done.PipelineExecutionStatus, aws.ToString(done.FailureReason))
	}
	execARN := aws.ToString(done.PipelineExecutionArn)
	id := execARN[strings.LastIndex(execARN, "/")+1:]
	for name, meta := range map[string]bool{
		"Preprocess":   got["Preprocess"].Metadata.ProcessingJob != nil,
		"Train":        got["Train"].Metadata.TrainingJob != nil,
		"Evaluate":     got["Evaluate"].Metadata.ProcessingJob != nil,
		"CheckRmse":    got["CheckRmse"].Metadata.Condition != nil && got["CheckRmse"].Metadata.Condition.Outcome == smtypes.ConditionOutcomeTrue,
		"Register":     got["Register"].Metadata.RegisterModel != nil,
		"CreateModel":  got["CreateModel"].Metadata.Model != nil,
		"BatchPredict": got["BatchPredict"].Metadata.TransformJob != nil,
	} {
		if got[name].StepStatus != smtypes.StepStatusSucceeded || !meta {
			t.Errorf("step %s: %s, metadata %+v", name, got[name].StepStatus, got[name].Metadata)
		}
	}
	if _, ran := got["RmseTooHigh"]; ran {
		t.Errorf("the fail branch ran")
	}
	trainARN := aws.ToString(got["Train"].Metadata.TrainingJob.Arn)
	if !strings.Contains(trainARN, ":training-job/pipelines-"+id+"-train-") {
		t.Errorf("training job ARN %s", trainARN)
	}
	job, err := client.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(trainARN[strings.LastIndex(trainARN, "/")+1:])})
	if err != nil {
		t.Fatalf("DescribeTrainingJob: %v", err)
	}
	if len(job.FinalMetricDataList) != 1 || aws.ToString(job.FinalMetricDataList[0].MetricName) != "val:rmse" || aws.ToFloat32(job.FinalMetricDataList[0].Value) > 0.5 {
		t.Errorf("FinalMetricDataList %+v", job.FinalMetricDataList)
	}
	artifact := aws.ToString(job.ModelArtifacts.S3ModelArtifacts)
	if !strings.HasPrefix(artifact, "s3://"+bucket+"/models/") || !strings.HasSuffix(artifact, "/output/model.tar.gz") {
		t.Errorf("model artifact %s", artifact)
	}
	preds := getObject(t, cfg, bucket, "canonical/"+id+"/predictions/batch.csv.out")
	if lines := strings.Split(strings.TrimSpace(preds), "\n"); len(lines) != 6 {
		t.Errorf("predictions %q", preds)
	}
	packages, err := client.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("canonical-models")})
	if err != nil || len(packages.ModelPackageSummaryList) != 1 || aws.ToInt32(packages.ModelPackageSummaryList[0].ModelPackageVersion) != 1 ||
		packages.ModelPackageSummaryList[0].ModelApprovalStatus != smtypes.ModelApprovalStatusPendingManualApproval {
		t.Errorf("registry after one run: %v %+v", err, packages)
	}

	// An impossible bound takes the else-branch; nothing is registered.
	done, got = run("strict", "0.0001")
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusFailed || aws.ToString(done.FailureReason) != "RMSE above 0.0001" {
		t.Errorf("strict run: %s (%s)", done.PipelineExecutionStatus, aws.ToString(done.FailureReason))
	}
	if _, ran := got["Register"]; ran {
		t.Errorf("strict run registered a model")
	}
	packages, _ = client.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("canonical-models")})
	if len(packages.ModelPackageSummaryList) != 1 {
		t.Errorf("registry after the strict run: %d packages", len(packages.ModelPackageSummaryList))
	}
}

func jsonFloat(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}
