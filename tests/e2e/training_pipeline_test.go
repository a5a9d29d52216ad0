package e2e

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// trainArgs are a Training step's Arguments; algorithm is the AlgorithmSpecification
// members after TrainingInputMode.
func trainArgs(bucket, role, algorithm string) string {
	return `{"AlgorithmSpecification":{"TrainingInputMode":"File",` + algorithm + `,
		"MetricDefinitions":[{"Name":"val:rmse","Regex":"val:rmse=(\\S+)"}]},
	 "OutputDataConfig":{"S3OutputPath":"s3://` + bucket + `/models"},
	 "StoppingCondition":{"MaxRuntimeInSeconds":300},
	 "ResourceConfig":{"VolumeSizeInGB":30,"InstanceCount":1,"InstanceType":"ml.m5.xlarge"},
	 "RoleArn":"` + role + `",
	 "InputDataConfig":[{"ChannelName":"train","ContentType":"text/csv","DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":"s3://` + bucket + `/data/train","S3DataDistributionType":"FullyReplicated"}}}],
	 "HyperParameters":{"epochs":{"Std:Join":{"On":"","Values":[{"Get":"Parameters.Epochs"}]}}},
	 "DebugHookConfig":{"S3OutputPath":"s3://` + bucket + `/models","CollectionConfigurations":[]},
	 "ProfilerConfig":{"S3OutputPath":"s3://` + bucket + `/models","DisableProfiler":false}}`
}

// useModelArgs are a Processing step that reads the trained model from
// Steps.Train.ModelArtifacts.S3ModelArtifacts and its metric from FinalMetricDataList.
func useModelArgs(bucket, role string) string {
	return `{"ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":30}},
	 "AppSpecification":{"ImageUri":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
	   "ContainerEntrypoint":["sh","-c","tar -xzOf /opt/ml/processing/model/model.tar.gz name.txt > /opt/ml/processing/out/name.txt && printf '%s %s' \"$RMSE\" \"$MODEL\" > /opt/ml/processing/out/seen.txt"]},
	 "Environment":{"RMSE":{"Std:Join":{"On":"","Values":[{"Get":"Steps.Train.FinalMetricDataList['val:rmse'].Value"}]}},
	   "MODEL":{"Get":"Steps.Train.ModelArtifacts.S3ModelArtifacts"}},
	 "RoleArn":"` + role + `",
	 "ProcessingInputs":[{"InputName":"model","AppManaged":false,"S3Input":{"S3Uri":{"Get":"Steps.Train.ModelArtifacts.S3ModelArtifacts"},"LocalPath":"/opt/ml/processing/model","S3DataType":"S3Prefix","S3InputMode":"File"}}],
	 "ProcessingOutputConfig":{"Outputs":[{"OutputName":"out","AppManaged":false,"S3Output":{"S3Uri":"s3://` + bucket + `/used","LocalPath":"/opt/ml/processing/out","S3UploadMode":"EndOfJob"}}]},
	 "StoppingCondition":{"MaxRuntimeInSeconds":120}}`
}

// trainPipeline: Train (training) → CheckRMSE (condition on the final metric) → UseModel
// (processing on the model artifacts) or TooHigh (fail).
func trainPipeline(bucket, role, algorithm string) string {
	return `{"Version":"2020-12-01","Metadata":{},
	"Parameters":[{"Name":"Epochs","Type":"Integer","DefaultValue":3}],
	"Steps":[
	 {"Name":"Train","Type":"Training","Arguments":` + trainArgs(bucket, role, algorithm) + `},
	 {"Name":"CheckRMSE","Type":"Condition","Arguments":{
	   "Conditions":[{"Type":"LessThanOrEqualTo","LeftValue":{"Get":"Steps.Train.FinalMetricDataList['val:rmse'].Value"},"RightValue":0.5}],
	   "IfSteps":[{"Name":"UseModel","Type":"Processing","Arguments":` + useModelArgs(bucket, role) + `}],
	   "ElseSteps":[{"Name":"TooHigh","Type":"Fail","Arguments":{"ErrorMessage":"rmse too high"}}]}}
	]}`
}

// A pipeline's Training step runs a training job whose properties later steps use:
// ModelArtifacts.S3ModelArtifacts as a processing input and FinalMetricDataList in a
// condition and an environment variable.
func TestTrainingStepPipeline(t *testing.T) {
	c := start(t, startOptions{Config: imagesYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "training-pipeline"
	putObjects(t, cfg, bucket, map[string]string{"data/train/part-0.csv": "1,3\n"})
	role := pipelineRole(t, c, "data-science", "training-pipeline", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(cfg)
	done, got := runPipeline(t, client, "train-then-use", role, trainPipeline(bucket, role, `"TrainingImage":"`+testImage+`"`))
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("execution %s (%s): %+v", done.PipelineExecutionStatus, aws.ToString(done.FailureReason), got)
	}
	train := got["Train"]
	if train.StepStatus != smtypes.StepStatusSucceeded || train.Metadata == nil || train.Metadata.TrainingJob == nil {
		t.Fatalf("Train step %+v", train)
	}
	arn := aws.ToString(train.Metadata.TrainingJob.Arn)
	if !strings.HasPrefix(arn, "arn:aws:sagemaker:us-east-1:111111111111:training-job/pipelines-") || arn != strings.ToLower(arn) {
		t.Errorf("TrainingJob.Arn %s", arn)
	}
	if got["UseModel"].StepStatus != smtypes.StepStatusSucceeded || got["CheckRMSE"].Metadata.Condition == nil ||
		got["CheckRMSE"].Metadata.Condition.Outcome != smtypes.ConditionOutcomeTrue {
		t.Fatalf("steps %+v", got)
	}
	jobs, err := client.ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{NameContains: aws.String("-Train-")})
	if err != nil || len(jobs.TrainingJobSummaries) != 1 {
		t.Fatalf("ListTrainingJobs: %v %+v", err, jobs)
	}
	name := aws.ToString(jobs.TrainingJobSummaries[0].TrainingJobName)
	job, err := client.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(name)})
	if err != nil || job.HyperParameters["epochs"] != "3" || !strings.EqualFold(aws.ToString(job.TrainingJobArn), arn) {
		t.Fatalf("DescribeTrainingJob %s: %v %+v", name, err, job)
	}
	if v := getObject(t, cfg, bucket, "used/name.txt"); v != name {
		t.Errorf("the model read by UseModel names job %q, want %q", v, name)
	}
	want := "0.25 s3://" + bucket + "/models/" + name + "/output/model.tar.gz"
	if v := getObject(t, cfg, bucket, "used/seen.txt"); v != want {
		t.Errorf("UseModel saw %q, want %q", v, want)
	}
}

// Killing the server (SIGKILL) while a Training step's job runs loses nothing: the job
// runs once, the restarted server collects it, and the pipeline completes.
func TestTrainingStepSurvivesServerKill(t *testing.T) {
	requireSandbox(t)
	bin := cairnBinary(t)
	dir := t.TempDir()
	gate := t.TempDir()
	runs, goFile := filepath.Join(gate, "runs"), filepath.Join(gate, "go")
	p := serve(t, bin, dir)
	ctx := context.Background()
	cfg := p.config()
	bucket := "training-restart"
	putObjects(t, cfg, bucket, map[string]string{"data/train/part-0.csv": "1,3\n"})
	admin := iam.NewFromConfig(cfg)
	role, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("training-restart"), AssumeRolePolicyDocument: aws.String(sagemakerTrust)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("training-restart"), PolicyName: aws.String("p"), PolicyDocument: aws.String(fullPipelinePolicy)}); err != nil {
		t.Fatal(err)
	}
	roleARN := aws.ToString(role.Role.Arn)
	script := `echo run >> ` + runs + `; while [ ! -e ` + goFile + ` ]; do sleep 0.05; done; printf '%s' "$TRAINING_JOB_NAME" > /opt/ml/model/name.txt; echo val:rmse=0.125`
	algorithm := `"TrainingImage":"` + testImage + `","ContainerEntrypoint":["sh","-c",` + jsonString(script) + `]`
	client := sagemaker.NewFromConfig(cfg)
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("train-restart"), RoleArn: aws.String(roleARN),
		PipelineDefinition: aws.String(trainPipeline(bucket, roleARN, algorithm)), ClientRequestToken: aws.String(token(t, "create"))}); err != nil {
		t.Fatal(err)
	}
	started, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("train-restart"), ClientRequestToken: aws.String(token(t, "start"))})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(started.PipelineExecutionArn)
	waitStep(t, client, arn, "Train", smtypes.StepStatusExecuting)
	var name string
	deadline := time.Now().Add(30 * time.Second)
	for name == "" {
		jobs, err := client.ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{NameContains: aws.String("-Train-")})
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs.TrainingJobSummaries) == 1 && jobs.TrainingJobSummaries[0].SecondaryStatus == smtypes.SecondaryStatusTraining {
			name = aws.ToString(jobs.TrainingJobSummaries[0].TrainingJobName)
		} else if time.Now().After(deadline) {
			t.Fatalf("the training job did not start: %+v", jobs.TrainingJobSummaries)
		}
		time.Sleep(20 * time.Millisecond)
	}

	p.kill()
	p = serve(t, bin, dir)
	if err := os.WriteFile(goFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	client = sagemaker.NewFromConfig(p.config())
	done := waitExecution(t, client, arn, 90*time.Second)
	got := steps(t, client, arn)
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("after restart: %s (%s) %+v\n%s", done.PipelineExecutionStatus, aws.ToString(done.FailureReason), got, p.log)
	}
	if aws.ToInt32(got["Train"].AttemptCount) != 1 || got["UseModel"].StepStatus != smtypes.StepStatusSucceeded {
		t.Errorf("Train attempts %d, UseModel %s", aws.ToInt32(got["Train"].AttemptCount), got["UseModel"].StepStatus)
	}
	if data, _ := os.ReadFile(runs); string(data) != "run\n" {
		t.Errorf("the training job ran %d times", strings.Count(string(data), "run"))
	}
	job := waitTraining(t, client, name, 10*time.Second)
	if job.TrainingJobStatus != smtypes.TrainingJobStatusCompleted || !reflect.DeepEqual(transitions(job), []string{"Starting", "Downloading", "Training", "Uploading", "Completed"}) {
		t.Errorf("job %s %v", job.TrainingJobStatus, transitions(job))
	}
	if v, ok := metric(job, "val:rmse"); !ok || v != 0.125 {
		t.Errorf("val:rmse %v %v", v, ok)
	}
	if v := getObject(t, p.config(), bucket, "used/name.txt"); v != name {
		t.Errorf("UseModel read the model of %q, want %q", v, name)
	}
	jobs, err := client.ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{})
	if err != nil || len(jobs.TrainingJobSummaries) != 1 {
		t.Errorf("training jobs after restart: %v %+v", err, jobs)
	}
}

func jsonString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
