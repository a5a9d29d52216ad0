package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// registerPipeline is the abalone pipeline's register step as the SageMaker Python SDK emits
// it (image and model URIs literal, the metrics URI a Std:Join), an unversioned register
// step, and a Condition on the registered package's properties whose else branch fails
// with a message naming the package.
const registerPipeline = `{"Version":"2020-12-01","Metadata":{},
 "Parameters":[{"Name":"ModelApprovalStatus","Type":"String","DefaultValue":"PendingManualApproval"}],
 "PipelineExperimentConfig":{"ExperimentName":{"Get":"Execution.PipelineName"},"TrialName":{"Get":"Execution.PipelineExecutionId"}},
 "Steps":[
  {"Name":"AbaloneRegisterModel-RegisterModel","Type":"RegisterModel","Arguments":{
   "ModelPackageGroupName":"AbaloneModelPackageGroupName",
   "ModelMetrics":{"ModelQuality":{"Statistics":{"ContentType":"application/json",
     "S3Uri":{"Std:Join":{"On":"/","Values":["s3://abalone/evaluation",{"Get":"Execution.PipelineExecutionId"},"evaluation.json"]}}}},
    "Bias":{},"Explainability":{}},
   "InferenceSpecification":{"Containers":[{"Image":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.0-1-cpu-py3","Environment":{},
     "ModelDataUrl":"s3://abalone/train/model.tar.gz"}],
    "SupportedContentTypes":["text/csv"],"SupportedResponseMIMETypes":["text/csv"],
    "SupportedRealtimeInferenceInstanceTypes":["ml.t2.medium","ml.m5.xlarge"],"SupportedTransformInstanceTypes":["ml.m5.xlarge"]},
   "ModelApprovalStatus":{"Get":"Parameters.ModelApprovalStatus"},
   "SkipModelValidation":"None"}},
  {"Name":"Standalone","Type":"RegisterModel","Arguments":{
   "InferenceSpecification":{"Containers":[{"Image":"111111111111.dkr.ecr.us-east-1.amazonaws.com/preproc:latest","Environment":{},
     "ModelDataUrl":"s3://abalone/models/preproc.tar.gz"}],"SupportedContentTypes":["text/csv"],"SupportedResponseMIMETypes":["text/csv"]},
   "SkipModelValidation":"None"}},
  {"Name":"CheckApproval","Type":"Condition","Arguments":{
   "Conditions":[{"Type":"Equals","LeftValue":{"Get":"Steps.AbaloneRegisterModel-RegisterModel.ModelApprovalStatus"},"RightValue":"Approved"}],
   "IfSteps":[],
   "ElseSteps":[{"Name":"AwaitApproval","Type":"Fail","Arguments":{"ErrorMessage":{"Std:Join":{"On":" ","Values":[
     "Model package",{"Get":"Steps.AbaloneRegisterModel-RegisterModel.ModelPackageArn"},
     "version",{"Get":"Steps.AbaloneRegisterModel-RegisterModel.ModelPackageVersion"},"awaits approval"]}}}}]}}]}`

// A RegisterModel step registers a new version of its group on each execution (creating
// the group the first time), and its properties resolve downstream.
func TestRegistryRegisterModelStep(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))
	role := pipelineRole(t, c, "data-science", "register-exec", fullPipelinePolicy)
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("abalone-register"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(registerPipeline), ClientRequestToken: aws.String(token(t, "create"))}); err != nil {
		t.Fatalf("CreatePipeline: %v", err)
	}
	run := func(suffix string, params ...smtypes.Parameter) (*sagemaker.DescribePipelineExecutionOutput, map[string]smtypes.PipelineExecutionStep) {
		t.Helper()
		started, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("abalone-register"),
			PipelineParameters: params, ClientRequestToken: aws.String(token(t, suffix))})
		if err != nil {
			t.Fatalf("StartPipelineExecution: %v", err)
		}
		arn := aws.ToString(started.PipelineExecutionArn)
		return waitExecution(t, client, arn, 30*time.Second), steps(t, client, arn)
	}
	versionARN := func(v string) string { return registryARN + "model-package/abalonemodelpackagegroupname/" + v }

	// First execution: version 1, pending, so the else branch fails naming it.
	done, got := run("first")
	register := got["AbaloneRegisterModel-RegisterModel"]
	if register.StepStatus != smtypes.StepStatusSucceeded {
		t.Fatalf("register step %s: %s", register.StepStatus, aws.ToString(register.FailureReason))
	}
	if register.Metadata == nil || register.Metadata.RegisterModel == nil || aws.ToString(register.Metadata.RegisterModel.Arn) != versionARN("1") {
		t.Errorf("register step metadata %+v, want RegisterModel.Arn %s", register.Metadata, versionARN("1"))
	}
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusFailed {
		t.Fatalf("first execution %s (%s)", done.PipelineExecutionStatus, aws.ToString(done.FailureReason))
	}
	if want := "Model package " + versionARN("1") + " version 1 awaits approval"; aws.ToString(got["AwaitApproval"].FailureReason) != want ||
		got["AwaitApproval"].Metadata == nil || aws.ToString(got["AwaitApproval"].Metadata.Fail.ErrorMessage) != want {
		t.Errorf("fail step: %q, want %q", aws.ToString(got["AwaitApproval"].FailureReason), want)
	}
	if o := got["CheckApproval"].Metadata; o == nil || o.Condition == nil || o.Condition.Outcome != smtypes.ConditionOutcomeFalse {
		t.Errorf("condition metadata %+v", o)
	}
	standalone := got["Standalone"]
	execID := aws.ToString(done.PipelineExecutionArn)[strings.LastIndex(aws.ToString(done.PipelineExecutionArn), "/")+1:]
	if standalone.StepStatus != smtypes.StepStatusSucceeded || standalone.Metadata == nil || standalone.Metadata.RegisterModel == nil ||
		!strings.HasPrefix(aws.ToString(standalone.Metadata.RegisterModel.Arn), registryARN+"model-package/pipelines-"+execID+"-standalone-") {
		t.Errorf("unversioned register step %s %s: %+v", standalone.StepStatus, aws.ToString(standalone.FailureReason), standalone.Metadata)
	}

	d, err := client.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(versionARN("1"))})
	if err != nil {
		t.Fatalf("DescribeModelPackage: %v", err)
	}
	if d.ModelApprovalStatus != smtypes.ModelApprovalStatusPendingManualApproval || d.SkipModelValidation != smtypes.SkipModelValidationNone ||
		d.ModelMetrics == nil || aws.ToString(d.ModelMetrics.ModelQuality.Statistics.S3Uri) != "s3://abalone/evaluation/"+execID+"/evaluation.json" ||
		d.InferenceSpecification == nil || aws.ToString(d.InferenceSpecification.Containers[0].ModelDataUrl) != "s3://abalone/train/model.tar.gz" ||
		d.CreatedBy == nil || d.CreatedBy.IamIdentity == nil || !strings.HasPrefix(aws.ToString(d.CreatedBy.IamIdentity.Arn), "arn:aws:sts::111111111111:assumed-role/register-exec/") {
		t.Errorf("registered version 1: %+v", d)
	}
	// The step created the group as the execution role.
	g, err := client.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{ModelPackageGroupName: aws.String("AbaloneModelPackageGroupName")})
	if err != nil || !strings.Contains(aws.ToString(g.CreatedBy.IamIdentity.Arn), "assumed-role/register-exec/") {
		t.Errorf("group created by the step: %+v %v", g, err)
	}

	// Second execution, approved: version 2, and the condition holds.
	done, got = run("second", smtypes.Parameter{Name: aws.String("ModelApprovalStatus"), Value: aws.String("Approved")})
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("second execution %s (%s)", done.PipelineExecutionStatus, aws.ToString(done.FailureReason))
	}
	if m := got["AbaloneRegisterModel-RegisterModel"].Metadata; m == nil || m.RegisterModel == nil || aws.ToString(m.RegisterModel.Arn) != versionARN("2") {
		t.Errorf("second register step metadata %+v", m)
	}
	if _, ran := got["AwaitApproval"]; ran {
		t.Errorf("the fail step ran on an approved model")
	}
	listed, err := client.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("AbaloneModelPackageGroupName"), SortOrder: smtypes.SortOrderAscending})
	if err != nil || len(listed.ModelPackageSummaryList) != 2 ||
		listed.ModelPackageSummaryList[0].ModelApprovalStatus != smtypes.ModelApprovalStatusPendingManualApproval ||
		listed.ModelPackageSummaryList[1].ModelApprovalStatus != smtypes.ModelApprovalStatusApproved {
		t.Errorf("group versions after two executions: %+v %v", listed, err)
	}
}

// A role that may not create model packages fails the step with the denial.
func TestRegistryRegisterModelStepDenied(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))
	createGroup(t, client, "AbaloneModelPackageGroupName")
	role := pipelineRole(t, c, "data-science", "no-register-exec", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"},
		{"Effect":"Deny","Action":"sagemaker:CreateModelPackage","Resource":"*"}]}`)
	done, got := runPipeline(t, client, "register-denied", role, registerPipeline)
	step := got["AbaloneRegisterModel-RegisterModel"]
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusFailed || step.StepStatus != smtypes.StepStatusFailed {
		t.Fatalf("execution %s, step %s", done.PipelineExecutionStatus, step.StepStatus)
	}
	reason := aws.ToString(step.FailureReason)
	if !strings.Contains(reason, "assumed-role/no-register-exec/") ||
		!strings.Contains(reason, "is not authorized to perform: sagemaker:CreateModelPackage on resource: "+registryARN+"model-package-group/AbaloneModelPackageGroupName") {
		t.Errorf("denial: %s", reason)
	}
	listed, err := client.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageType: smtypes.ModelPackageTypeBoth})
	if err != nil || len(listed.ModelPackageSummaryList) != 0 {
		t.Errorf("packages after denied steps: %+v %v", listed, err)
	}
}
