package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// groupPolicy is a model package group's resource policy as a central model registry
// writes it: principals of another account may describe the group and use its versions
// with the actions given.
func groupPolicy(owner, group, principal string, versionActions ...string) string {
	actions, _ := json.Marshal(versionActions)
	return `{"Version":"2012-10-17","Statement":[
	{"Sid":"Group","Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sagemaker:DescribeModelPackageGroup",
	 "Resource":"arn:aws:sagemaker:us-east-1:` + owner + `:model-package-group/` + group + `"},
	{"Sid":"Versions","Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":` + string(actions) + `,
	 "Resource":"arn:aws:sagemaker:us-east-1:` + owner + `:model-package/` + group + `/*"}]}`
}

// allVersionActions are what a registry grants a consumer account on its versions.
var allVersionActions = []string{"sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages", "sagemaker:UpdateModelPackage",
	"sagemaker:CreateModelPackage", "sagemaker:CreateModel"}

// A central registry account (owner) shares a model package group with a consumer account
// through the group's resource policy: without one the consumer is refused everything,
// alike for what exists and what does not; with one it describes and lists the versions,
// makes models of them and registers new versions, as far as its own identity policies
// allow too; deleting the policy revokes it all.
func TestModelPackageGroupPolicyAcrossAccounts(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer := smFor(c, "owner"), smFor(c, "consumer")
	group := createGroup(t, owner, "Central")
	v1 := registerVersion(t, owner, "Central")
	missingGroup := strings.Replace(group, "/central", "/no-such-group", 1)
	missingVersion := strings.Replace(v1, "/central/1", "/central/9", 1)

	// No policy yet.
	_, err := owner.GetModelPackageGroupPolicy(ctx, &sagemaker.GetModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("central")})
	if msg := apiError(t, err, "ValidationException"); msg != "Cannot find Model Package Group Policy for group "+group {
		t.Errorf("GetModelPackageGroupPolicy without a policy: %s", msg)
	}
	_, err = owner.DeleteModelPackageGroupPolicy(ctx, &sagemaker.DeleteModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("central")})
	apiError(t, err, "ValidationException")
	_, err = owner.GetModelPackageGroupPolicy(ctx, &sagemaker.GetModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("no-such-group")})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "does not exist") {
		t.Errorf("GetModelPackageGroupPolicy of a missing group: %s", msg)
	}

	// Every use by the consumer is refused, the same for what exists and what does not.
	type probe struct {
		name string
		call func(groupARN, versionARN string) error
	}
	probes := []probe{
		{"DescribeModelPackageGroup", func(g, v string) error {
			_, err := consumer.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{ModelPackageGroupName: aws.String(g)})
			return err
		}},
		{"DescribeModelPackage", func(g, v string) error {
			_, err := consumer.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(v)})
			return err
		}},
		{"ListModelPackages", func(g, v string) error {
			_, err := consumer.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String(g)})
			return err
		}},
		{"CreateModelPackage", func(g, v string) error {
			_, err := consumer.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String(g),
				InferenceSpecification: inferenceSpec("s3://consumer/model.tar.gz")})
			return err
		}},
		{"CreateModel", func(g, v string) error {
			_, err := consumer.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("borrowed"),
				PrimaryContainer: &smtypes.ContainerDefinition{ModelPackageName: aws.String(v)}})
			return err
		}},
		{"UpdateModelPackage", func(g, v string) error {
			_, err := consumer.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(v),
				ModelApprovalStatus: smtypes.ModelApprovalStatusApproved})
			return err
		}},
	}
	refusedAlike := func(when string) {
		t.Helper()
		for _, p := range probes {
			existing := apiError(t, p.call(group, v1), "AccessDeniedException")
			missing := apiError(t, p.call(missingGroup, missingVersion), "AccessDeniedException")
			norm := func(msg, g, v string) string {
				msg = strings.ReplaceAll(msg, v, "<version>")
				msg = strings.ReplaceAll(msg, strings.Replace(g, ":model-package-group/", ":model-package/", 1)+"/*", "<versions>")
				return strings.ReplaceAll(msg, g, "<group>")
			}
			if norm(existing, group, v1) != norm(missing, missingGroup, missingVersion) {
				t.Errorf("%s, %s: an existing resource answers %q, a missing one %q", when, p.name, existing, missing)
			}
		}
	}
	refusedAlike("without a policy")

	// Policies are checked as IAM checks resource-based policies.
	for _, bad := range []string{"x", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}]}`} {
		_, err := owner.PutModelPackageGroupPolicy(ctx, &sagemaker.PutModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("central"), ResourcePolicy: aws.String(bad)})
		apiError(t, err, "ValidationException")
	}
	_, err = owner.PutModelPackageGroupPolicy(ctx, &sagemaker.PutModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("no-such-group"),
		ResourcePolicy: aws.String(groupPolicy(ramOwner, "no-such-group", ramConsumer, allVersionActions...))})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "does not exist") {
		t.Errorf("PutModelPackageGroupPolicy of a missing group: %s", msg)
	}

	// The registry grants the consumer account everything on the group's versions.
	doc := groupPolicy(ramOwner, "central", "arn:aws:iam::"+ramConsumer+":root", allVersionActions...)
	put, err := owner.PutModelPackageGroupPolicy(ctx, &sagemaker.PutModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("Central"), ResourcePolicy: aws.String(doc)})
	if err != nil {
		t.Fatalf("PutModelPackageGroupPolicy: %v", err)
	}
	if aws.ToString(put.ModelPackageGroupArn) != group {
		t.Errorf("PutModelPackageGroupPolicy answered %s, want %s", aws.ToString(put.ModelPackageGroupArn), group)
	}
	got, err := owner.GetModelPackageGroupPolicy(ctx, &sagemaker.GetModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("central")})
	if err != nil || aws.ToString(got.ResourcePolicy) != doc {
		t.Fatalf("GetModelPackageGroupPolicy: %v %q", err, aws.ToString(got.ResourcePolicy))
	}

	described, err := consumer.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{ModelPackageGroupName: aws.String(group)})
	if err != nil || aws.ToString(described.ModelPackageGroupArn) != group {
		t.Fatalf("consumer DescribeModelPackageGroup: %v", err)
	}
	pkg, err := consumer.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(v1)})
	if err != nil || aws.ToString(pkg.ModelPackageArn) != v1 || pkg.InferenceSpecification == nil {
		t.Fatalf("consumer DescribeModelPackage: %v", err)
	}
	_, err = consumer.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(missingVersion)})
	apiError(t, err, "ValidationException") // allowed to look: told it does not exist
	listed, err := consumer.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String(group)})
	if err != nil || len(listed.ModelPackageSummaryList) != 1 || aws.ToString(listed.ModelPackageSummaryList[0].ModelPackageArn) != v1 {
		t.Fatalf("consumer ListModelPackages: %v %+v", err, listed)
	}
	model, err := consumer.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("borrowed"),
		PrimaryContainer: &smtypes.ContainerDefinition{ModelPackageName: aws.String(v1)}})
	if err != nil {
		t.Fatalf("consumer CreateModel from the registry's version: %v", err)
	}
	if want := "arn:aws:sagemaker:us-east-1:" + ramConsumer + ":model/borrowed"; aws.ToString(model.ModelArn) != want {
		t.Errorf("model ARN %s, want %s", aws.ToString(model.ModelArn), want)
	}
	registered, err := consumer.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String(group),
		InferenceSpecification: inferenceSpec("s3://consumer/model.tar.gz")})
	if err != nil {
		t.Fatalf("consumer CreateModelPackage into the registry's group: %v", err)
	}
	v2 := strings.Replace(v1, "/central/1", "/central/2", 1)
	if aws.ToString(registered.ModelPackageArn) != v2 {
		t.Errorf("registered %s, want %s", aws.ToString(registered.ModelPackageArn), v2)
	}
	if _, err := consumer.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(v2),
		ModelApprovalStatus: smtypes.ModelApprovalStatusApproved}); err != nil {
		t.Fatalf("consumer UpdateModelPackage: %v", err)
	}
	// The registry sees the consumer's version as one of its own.
	mine, err := owner.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("central"),
		SortBy: smtypes.ModelPackageSortByCreationTime, SortOrder: smtypes.SortOrderAscending})
	if err != nil || len(mine.ModelPackageSummaryList) != 2 || aws.ToString(mine.ModelPackageSummaryList[1].ModelPackageArn) != v2 ||
		mine.ModelPackageSummaryList[1].ModelApprovalStatus != smtypes.ModelApprovalStatusApproved {
		t.Fatalf("owner ListModelPackages after the consumer registered: %v %+v", err, mine)
	}
	// The consumer's own registry is untouched, and its own names stay its own.
	if _, err := consumer.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{ModelPackageGroupName: aws.String("central")}); apiErrorCode(err) != "ValidationException" {
		t.Errorf("consumer's own group central: %v", err)
	}

	// An SCP of the consumer's account applies as to any request.
	orgs := organizations.NewFromConfig(c.config("management"))
	roots, err := orgs.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil || len(roots.Roots) != 1 {
		t.Fatalf("ListRoots: %v", err)
	}
	if _, err := orgs.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: roots.Roots[0].Id, PolicyType: orgtypes.PolicyTypeServiceControlPolicy}); err != nil {
		t.Fatalf("EnablePolicyType: %v", err)
	}
	scp, err := orgs.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("no-registering"), Description: aws.String("no registering"),
		Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"sagemaker:CreateModelPackage","Resource":"*"}]}`)})
	if err != nil {
		t.Fatalf("CreatePolicy: %v", err)
	}
	if _, err := orgs.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: scp.Policy.PolicySummary.Id, TargetId: aws.String(ramConsumer)}); err != nil {
		t.Fatalf("AttachPolicy: %v", err)
	}
	_, err = consumer.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String(group),
		InferenceSpecification: inferenceSpec("s3://consumer/model.tar.gz")})
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "service control policy") {
		t.Errorf("CreateModelPackage under an SCP denying it: %s", msg)
	}
	if _, err := orgs.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: scp.Policy.PolicySummary.Id, TargetId: aws.String(ramConsumer)}); err != nil {
		t.Fatalf("DetachPolicy: %v", err)
	}

	// The consumer's identity policies must allow too: a user allowed only to describe
	// the group is refused the versions, whatever the group's policy grants.
	describer := sagemaker.NewFromConfig(newUser(t, c, "consumer", "describer", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sagemaker:DescribeModelPackageGroup","Resource":"*"}]}`))
	if _, err := describer.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{ModelPackageGroupName: aws.String(group)}); err != nil {
		t.Errorf("describer DescribeModelPackageGroup: %v", err)
	}
	_, err = describer.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(v1)})
	apiError(t, err, "AccessDeniedException")
	_, err = describer.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String(group),
		InferenceSpecification: inferenceSpec("s3://consumer/model.tar.gz")})
	apiError(t, err, "AccessDeniedException")

	// A policy granting only Describe refuses registering and making models.
	readOnly := groupPolicy(ramOwner, "central", ramConsumer, "sagemaker:DescribeModelPackage")
	if _, err := owner.PutModelPackageGroupPolicy(ctx, &sagemaker.PutModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("central"), ResourcePolicy: aws.String(readOnly)}); err != nil {
		t.Fatalf("PutModelPackageGroupPolicy read-only: %v", err)
	}
	if _, err := consumer.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(v1)}); err != nil {
		t.Errorf("DescribeModelPackage under a read-only policy: %v", err)
	}
	_, err = consumer.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String(group),
		InferenceSpecification: inferenceSpec("s3://consumer/model.tar.gz")})
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "sagemaker:CreateModelPackage") {
		t.Errorf("CreateModelPackage under a read-only policy: %s", msg)
	}
	_, err = consumer.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("borrowed-again"),
		PrimaryContainer: &smtypes.ContainerDefinition{ModelPackageName: aws.String(v1)}})
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "sagemaker:CreateModel") {
		t.Errorf("CreateModel under a read-only policy: %s", msg)
	}
	_, err = consumer.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String(group)})
	apiError(t, err, "AccessDeniedException")

	// Deleting the policy revokes at once.
	if _, err := owner.DeleteModelPackageGroupPolicy(ctx, &sagemaker.DeleteModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("central")}); err != nil {
		t.Fatalf("DeleteModelPackageGroupPolicy: %v", err)
	}
	refusedAlike("after the policy was deleted")
	_, err = owner.GetModelPackageGroupPolicy(ctx, &sagemaker.GetModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("central")})
	apiError(t, err, "ValidationException")

	// The owner's own use is unchanged by having had a policy, and the policy goes with
	// its group.
	if _, err := owner.PutModelPackageGroupPolicy(ctx, &sagemaker.PutModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("central"), ResourcePolicy: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{v1, v2} {
		if _, err := owner.DeleteModelPackage(ctx, &sagemaker.DeleteModelPackageInput{ModelPackageName: aws.String(v)}); err != nil {
			t.Fatalf("DeleteModelPackage %s: %v", v, err)
		}
	}
	if _, err := owner.DeleteModelPackageGroup(ctx, &sagemaker.DeleteModelPackageGroupInput{ModelPackageGroupName: aws.String("central")}); err != nil {
		t.Fatalf("DeleteModelPackageGroup: %v", err)
	}
	createGroup(t, owner, "central")
	_, err = owner.GetModelPackageGroupPolicy(ctx, &sagemaker.GetModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("central")})
	apiError(t, err, "ValidationException")
}

// The consumer runs a transform job with a model made from the registry's version: the
// model's inference container and data are the registry's, read from the registry's bucket
// as the consumer's job role, which the registry's bucket policy must allow. A pipeline of
// the consumer registers a version into the registry's group by ARN.
func TestModelPackageGroupPolicyTransformAndRegisterStep(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	ownerCfg, consumerCfg := c.config("owner"), c.config("consumer")
	owner, consumer := smFor(c, "owner"), smFor(c, "consumer")
	role := pipelineRole(t, c, "consumer", "consumer-exec", fullPipelinePolicy)

	putObjects(t, ownerCfg, "central-models", map[string]string{
		"linear/model.tar.gz":     tarGz(t, map[string]string{"model.json": `{"a": 10, "b": 0}`}),
		"linear/sourcedir.tar.gz": tarGz(t, map[string]string{"inference.py": linearInference}),
	})
	putObjects(t, consumerCfg, "consumer-data", map[string]string{"in/data.csv": "1\n2\n"})
	group := createGroup(t, owner, "linear")
	created, err := owner.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("linear"),
		ModelApprovalStatus: smtypes.ModelApprovalStatusApproved,
		InferenceSpecification: &smtypes.InferenceSpecification{
			Containers: []smtypes.ModelPackageContainerDefinition{{Image: aws.String(modelImage), ModelDataUrl: aws.String("s3://central-models/linear/model.tar.gz"),
				Environment: map[string]string{"SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": "s3://central-models/linear/sourcedir.tar.gz"}}},
			SupportedContentTypes: []string{"text/csv"}, SupportedResponseMIMETypes: []string{"text/csv"}}})
	if err != nil {
		t.Fatalf("CreateModelPackage: %v", err)
	}
	v1 := aws.ToString(created.ModelPackageArn)
	if _, err := owner.PutModelPackageGroupPolicy(ctx, &sagemaker.PutModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("linear"),
		ResourcePolicy: aws.String(groupPolicy(ramOwner, "linear", ramConsumer, allVersionActions...))}); err != nil {
		t.Fatalf("PutModelPackageGroupPolicy: %v", err)
	}
	if _, err := consumer.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("central-linear"), ExecutionRoleArn: aws.String(role),
		PrimaryContainer: &smtypes.ContainerDefinition{ModelPackageName: aws.String(v1)}}); err != nil {
		t.Fatalf("CreateModel from the registry's version: %v", err)
	}
	transform := func(job string) *sagemaker.DescribeTransformJobOutput {
		t.Helper()
		s := &transformSetup{c: c, client: consumer, bucket: "consumer-data", role: role}
		if _, err := consumer.CreateTransformJob(ctx, s.transformInput(job, "central-linear", "in/", "out-"+job, "text/csv", "text/csv", smtypes.SplitTypeLine, "")); err != nil {
			t.Fatalf("CreateTransformJob %s: %v", job, err)
		}
		return waitTransform(t, consumer, job, 90*time.Second)
	}

	// Without a bucket policy, the consumer's role cannot read the registry's model data.
	if done := transform("no-bucket-policy"); done.TransformJobStatus != smtypes.TransformJobStatusFailed ||
		!strings.Contains(aws.ToString(done.FailureReason), "central-models") {
		t.Errorf("transform without the registry's bucket policy: %s %s", done.TransformJobStatus, aws.ToString(done.FailureReason))
	}
	if _, err := s3Client(ownerCfg).PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("central-models"), Policy: aws.String(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + ramConsumer + `:root"},"Action":["s3:GetObject","s3:ListBucket"],
		 "Resource":["arn:aws:s3:::central-models","arn:aws:s3:::central-models/*"]}]}`)}); err != nil {
		t.Fatalf("PutBucketPolicy: %v", err)
	}
	done := transform("with-bucket-policy")
	if done.TransformJobStatus != smtypes.TransformJobStatusCompleted {
		t.Fatalf("transform with the registry's model: %s %s", done.TransformJobStatus, aws.ToString(done.FailureReason))
	}
	if got := getObject(t, consumerCfg, "consumer-data", "out-with-bucket-policy/data.csv.out"); got != "10.0,1\n20.0,1\n" {
		t.Errorf("output %q", got)
	}

	// A RegisterModel step of the consumer's pipeline registers into the registry's group.
	definition := `{"Version":"2020-12-01","Steps":[{"Name":"Register","Type":"RegisterModel","Arguments":{
		"ModelPackageGroupName":"` + group + `",
		"InferenceSpecification":{"Containers":[{"Image":"` + modelImage + `","ModelDataUrl":"s3://consumer-data/model.tar.gz"}],
		 "SupportedContentTypes":["text/csv"],"SupportedResponseMIMETypes":["text/csv"]},
		"ModelApprovalStatus":"PendingManualApproval"}}]}`
	if _, err := consumer.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("register-central"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(definition), ClientRequestToken: aws.String(token(t, "create"))}); err != nil {
		t.Fatalf("CreatePipeline: %v", err)
	}
	started, err := consumer.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("register-central"),
		ClientRequestToken: aws.String(token(t, "run"))})
	if err != nil {
		t.Fatalf("StartPipelineExecution: %v", err)
	}
	execution := aws.ToString(started.PipelineExecutionArn)
	if run := waitExecution(t, consumer, execution, 30*time.Second); run.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		t.Fatalf("execution %s: %s %v", run.PipelineExecutionStatus, aws.ToString(run.FailureReason), steps(t, consumer, execution))
	}
	v2 := strings.Replace(v1, "/linear/1", "/linear/2", 1)
	step := steps(t, consumer, execution)["Register"]
	if step.Metadata == nil || step.Metadata.RegisterModel == nil || aws.ToString(step.Metadata.RegisterModel.Arn) != v2 {
		t.Errorf("register step metadata %+v, want %s", step.Metadata, v2)
	}
	if d, err := owner.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String("linear/2")}); err != nil ||
		d.ModelApprovalStatus != smtypes.ModelApprovalStatusPendingManualApproval {
		t.Errorf("the registry's version 2: %v", err)
	}

	// Without the policy, the step is refused.
	if _, err := owner.DeleteModelPackageGroupPolicy(ctx, &sagemaker.DeleteModelPackageGroupPolicyInput{ModelPackageGroupName: aws.String("linear")}); err != nil {
		t.Fatal(err)
	}
	started, err = consumer.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("register-central"),
		ClientRequestToken: aws.String(token(t, "revoked"))})
	if err != nil {
		t.Fatalf("StartPipelineExecution: %v", err)
	}
	execution = aws.ToString(started.PipelineExecutionArn)
	waitExecution(t, consumer, execution, 30*time.Second)
	if step := steps(t, consumer, execution)["Register"]; step.StepStatus != smtypes.StepStatusFailed ||
		!strings.Contains(aws.ToString(step.FailureReason), "sagemaker:CreateModelPackage") {
		t.Errorf("register step without the policy: %s %s", step.StepStatus, aws.ToString(step.FailureReason))
	}
}
