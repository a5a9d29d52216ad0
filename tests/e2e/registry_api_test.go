package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

const registryARN = "arn:aws:sagemaker:us-east-1:111111111111:"

// inferenceSpec is an InferenceSpecification as the SDK's register() builds it.
func inferenceSpec(modelData string) *smtypes.InferenceSpecification {
	return &smtypes.InferenceSpecification{
		Containers: []smtypes.ModelPackageContainerDefinition{{
			Image:        aws.String("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"),
			ModelDataUrl: aws.String(modelData),
			Environment:  map[string]string{"SAGEMAKER_PROGRAM": "inference.py"},
			Framework:    aws.String("XGBOOST"), FrameworkVersion: aws.String("1.7"),
		}},
		SupportedContentTypes:                   []string{"text/csv"},
		SupportedResponseMIMETypes:              []string{"text/csv"},
		SupportedRealtimeInferenceInstanceTypes: []smtypes.ProductionVariantInstanceType{"ml.m5.xlarge"},
		SupportedTransformInstanceTypes:         []smtypes.TransformInstanceType{"ml.m5.xlarge"},
	}
}

// registerVersion creates a version in group and returns its ARN.
func registerVersion(t *testing.T, client *sagemaker.Client, group string) string {
	t.Helper()
	out, err := client.CreateModelPackage(context.Background(), &sagemaker.CreateModelPackageInput{
		ModelPackageGroupName: aws.String(group), InferenceSpecification: inferenceSpec("s3://models/" + group + "/model.tar.gz")})
	if err != nil {
		t.Fatalf("CreateModelPackage in %s: %v", group, err)
	}
	return aws.ToString(out.ModelPackageArn)
}

func createGroup(t *testing.T, client *sagemaker.Client, name string, tags ...smtypes.Tag) string {
	t.Helper()
	out, err := client.CreateModelPackageGroup(context.Background(), &sagemaker.CreateModelPackageGroupInput{
		ModelPackageGroupName: aws.String(name), ModelPackageGroupDescription: aws.String("models of " + name), Tags: tags})
	if err != nil {
		t.Fatalf("CreateModelPackageGroup %s: %v", name, err)
	}
	return aws.ToString(out.ModelPackageGroupArn)
}

func TestRegistryModelPackageGroups(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))

	arn := createGroup(t, client, "Churn-Models", smtypes.Tag{Key: aws.String("team"), Value: aws.String("ml")})
	if arn != registryARN+"model-package-group/churn-models" {
		t.Errorf("group ARN %s", arn)
	}
	_, err := client.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{ModelPackageGroupName: aws.String("churn-MODELS")})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "already exists") || !strings.Contains(msg, arn) {
		t.Errorf("duplicate group (names compare regardless of case): %s", msg)
	}
	_, err = client.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{ModelPackageGroupName: aws.String("bad_name")})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "modelPackageGroupName") {
		t.Errorf("bad name: %s", msg)
	}

	for _, ref := range []string{"Churn-Models", arn} {
		d, err := client.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{ModelPackageGroupName: aws.String(ref)})
		if err != nil {
			t.Fatalf("DescribeModelPackageGroup %s: %v", ref, err)
		}
		if aws.ToString(d.ModelPackageGroupName) != "Churn-Models" || aws.ToString(d.ModelPackageGroupArn) != arn ||
			d.ModelPackageGroupStatus != smtypes.ModelPackageGroupStatusCompleted || aws.ToString(d.ModelPackageGroupDescription) != "models of Churn-Models" ||
			d.CreationTime == nil || d.CreatedBy == nil || d.CreatedBy.IamIdentity == nil || aws.ToString(d.CreatedBy.IamIdentity.Arn) != "arn:aws:iam::111111111111:root" {
			t.Errorf("DescribeModelPackageGroup %s: %+v", ref, d)
		}
	}
	tags, err := client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Errorf("ListTags on the group: %+v %v", tags, err)
	}

	// Listing: name filter, sort by name, paging, creation-time filters.
	before := time.Now()
	time.Sleep(5 * time.Millisecond)
	for _, name := range []string{"fraud-b", "fraud-a", "fraud-c"} {
		createGroup(t, client, name)
	}
	var names []string
	var token *string
	for pages := 0; ; pages++ {
		out, err := client.ListModelPackageGroups(ctx, &sagemaker.ListModelPackageGroupsInput{NameContains: aws.String("FRAUD"),
			SortBy: smtypes.ModelPackageGroupSortByName, SortOrder: smtypes.SortOrderAscending, MaxResults: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatalf("ListModelPackageGroups: %v", err)
		}
		for _, g := range out.ModelPackageGroupSummaryList {
			names = append(names, aws.ToString(g.ModelPackageGroupName))
			if g.ModelPackageGroupStatus != smtypes.ModelPackageGroupStatusCompleted || g.CreationTime == nil {
				t.Errorf("summary %+v", g)
			}
		}
		if token = out.NextToken; token == nil {
			if pages != 1 {
				t.Errorf("%d pages of 2 for 3 groups", pages+1)
			}
			break
		}
	}
	if strings.Join(names, ",") != "fraud-a,fraud-b,fraud-c" {
		t.Errorf("groups by name: %v", names)
	}
	out, err := client.ListModelPackageGroups(ctx, &sagemaker.ListModelPackageGroupsInput{CreationTimeBefore: aws.Time(before)})
	if err != nil || len(out.ModelPackageGroupSummaryList) != 1 || aws.ToString(out.ModelPackageGroupSummaryList[0].ModelPackageGroupName) != "Churn-Models" {
		t.Errorf("CreationTimeBefore: %+v %v", out, err)
	}
	out, err = client.ListModelPackageGroups(ctx, &sagemaker.ListModelPackageGroupsInput{CreationTimeAfter: aws.Time(before)})
	if err != nil || len(out.ModelPackageGroupSummaryList) != 3 || aws.ToString(out.ModelPackageGroupSummaryList[0].ModelPackageGroupName) != "fraud-c" {
		t.Errorf("CreationTimeAfter, newest first: %+v %v", out, err)
	}
	_, err = client.ListModelPackageGroups(ctx, &sagemaker.ListModelPackageGroupsInput{SortBy: "Size"})
	apiError(t, err, "ValidationException")
	// Another account sees none of them.
	other, err := sagemaker.NewFromConfig(c.config("platform")).ListModelPackageGroups(ctx, &sagemaker.ListModelPackageGroupsInput{})
	if err != nil || len(other.ModelPackageGroupSummaryList) != 0 {
		t.Errorf("platform account lists %+v %v", other, err)
	}

	// Deleting: by ARN; then it is gone, and its name can be used again.
	if _, err := client.DeleteModelPackageGroup(ctx, &sagemaker.DeleteModelPackageGroupInput{ModelPackageGroupName: aws.String(arn)}); err != nil {
		t.Fatalf("DeleteModelPackageGroup: %v", err)
	}
	_, err = client.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{ModelPackageGroupName: aws.String("Churn-Models")})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "does not exist") {
		t.Errorf("describe deleted group: %s", msg)
	}
	_, err = client.DeleteModelPackageGroup(ctx, &sagemaker.DeleteModelPackageGroupInput{ModelPackageGroupName: aws.String("Churn-Models")})
	apiError(t, err, "ValidationException")
	_, err = client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
	apiError(t, err, "ValidationException")
	createGroup(t, client, "Churn-Models")
}

// Versions are numbered per group, whatever the order of registration; a deleted version's
// number is not given again; a group with versions can't be deleted.
func TestRegistryVersionsNumberedPerGroup(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))
	createGroup(t, client, "Alpha")
	createGroup(t, client, "Beta")

	var got []string
	for _, g := range []string{"Alpha", "Beta", "Alpha", "Alpha", "Beta"} {
		got = append(got, strings.TrimPrefix(registerVersion(t, client, g), registryARN+"model-package/"))
	}
	if want := "alpha/1 beta/1 alpha/2 alpha/3 beta/2"; strings.Join(got, " ") != want {
		t.Errorf("versions %v, want %s", got, want)
	}

	for _, ref := range []string{registryARN + "model-package/alpha/2", "Alpha/2"} {
		d, err := client.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(ref)})
		if err != nil {
			t.Fatalf("DescribeModelPackage %s: %v", ref, err)
		}
		if aws.ToString(d.ModelPackageName) != "Alpha" || aws.ToString(d.ModelPackageGroupName) != "Alpha" || aws.ToInt32(d.ModelPackageVersion) != 2 ||
			aws.ToString(d.ModelPackageArn) != registryARN+"model-package/alpha/2" || d.ModelPackageStatus != smtypes.ModelPackageStatusCompleted ||
			d.ModelApprovalStatus != smtypes.ModelApprovalStatusPendingManualApproval || d.CreationTime == nil || d.LastModifiedTime == nil ||
			d.ModelPackageStatusDetails == nil || d.CreatedBy == nil || d.CreatedBy.IamIdentity == nil {
			t.Errorf("DescribeModelPackage %s: %+v", ref, d)
		}
		if d.InferenceSpecification == nil || len(d.InferenceSpecification.Containers) != 1 ||
			aws.ToString(d.InferenceSpecification.Containers[0].ModelDataUrl) != "s3://models/Alpha/model.tar.gz" ||
			d.InferenceSpecification.Containers[0].Environment["SAGEMAKER_PROGRAM"] != "inference.py" ||
			aws.ToString(d.InferenceSpecification.Containers[0].FrameworkVersion) != "1.7" {
			t.Errorf("InferenceSpecification %+v", d.InferenceSpecification)
		}
	}
	_, err := client.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String("Alpha/9")})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "model-package/alpha/9 does not exist") {
		t.Errorf("missing version: %s", msg)
	}
	_, err = client.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Gamma"), InferenceSpecification: inferenceSpec("s3://m/x.tar.gz")})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "model-package-group/gamma does not exist") {
		t.Errorf("version in a missing group: %s", msg)
	}

	// The same ClientToken registers once.
	token := "retry-0000-1111"
	var first string
	for i := 0; i < 2; i++ {
		out, err := client.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String(registryARN + "model-package-group/beta"),
			InferenceSpecification: inferenceSpec("s3://m/b.tar.gz"), ClientToken: aws.String(token)})
		if err != nil {
			t.Fatalf("CreateModelPackage with ClientToken: %v", err)
		}
		if i == 0 {
			first = aws.ToString(out.ModelPackageArn)
		} else if aws.ToString(out.ModelPackageArn) != first || !strings.HasSuffix(first, "/beta/3") {
			t.Errorf("idempotent create: %s then %s", first, aws.ToString(out.ModelPackageArn))
		}
	}
	_, err = client.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Alpha"),
		InferenceSpecification: inferenceSpec("s3://m/b.tar.gz"), ClientToken: aws.String(token)})
	apiError(t, err, "ConflictException")

	_, err = client.DeleteModelPackageGroup(ctx, &sagemaker.DeleteModelPackageGroupInput{ModelPackageGroupName: aws.String("Alpha")})
	if msg := apiError(t, err, "ConflictException"); !strings.Contains(msg, "3 model package version") {
		t.Errorf("delete group with versions: %s", msg)
	}
	if _, err := client.DeleteModelPackage(ctx, &sagemaker.DeleteModelPackageInput{ModelPackageName: aws.String(registryARN + "model-package/alpha/3")}); err != nil {
		t.Fatalf("DeleteModelPackage: %v", err)
	}
	if arn := registerVersion(t, client, "Alpha"); !strings.HasSuffix(arn, "/alpha/4") {
		t.Errorf("after deleting version 3 the next is %s, want alpha/4", arn)
	}
	for _, v := range []string{"1", "2", "4"} {
		if _, err := client.DeleteModelPackage(ctx, &sagemaker.DeleteModelPackageInput{ModelPackageName: aws.String("Alpha/" + v)}); err != nil {
			t.Fatalf("DeleteModelPackage Alpha/%s: %v", v, err)
		}
	}
	_, err = client.DeleteModelPackage(ctx, &sagemaker.DeleteModelPackageInput{ModelPackageName: aws.String("Alpha/4")})
	apiError(t, err, "ValidationException")
	if _, err := client.DeleteModelPackageGroup(ctx, &sagemaker.DeleteModelPackageGroupInput{ModelPackageGroupName: aws.String("Alpha")}); err != nil {
		t.Fatalf("DeleteModelPackageGroup of an emptied group: %v", err)
	}
}

func TestRegistryUnversionedPackages(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))
	createGroup(t, client, "Grouped")

	out, err := client.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageName: aws.String("Standalone-Model"),
		ModelPackageDescription: aws.String("an algorithm-free package"), InferenceSpecification: inferenceSpec("s3://m/s.tar.gz"),
		CertifyForMarketplace: aws.Bool(false), Tags: []smtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if err != nil {
		t.Fatalf("CreateModelPackage unversioned: %v", err)
	}
	arn := aws.ToString(out.ModelPackageArn)
	if arn != registryARN+"model-package/standalone-model" {
		t.Errorf("unversioned ARN %s", arn)
	}
	d, err := client.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String("Standalone-Model")})
	if err != nil {
		t.Fatalf("DescribeModelPackage: %v", err)
	}
	if aws.ToString(d.ModelPackageName) != "Standalone-Model" || d.ModelPackageGroupName != nil || d.ModelPackageVersion != nil ||
		d.ModelApprovalStatus != "" || aws.ToString(d.ModelPackageDescription) != "an algorithm-free package" || aws.ToString(d.ModelPackageArn) != arn {
		t.Errorf("DescribeModelPackage unversioned: %+v", d)
	}
	tags, err := client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 {
		t.Errorf("ListTags %+v %v", tags, err)
	}

	for _, tc := range []struct {
		in   sagemaker.CreateModelPackageInput
		code string
		want string
	}{
		{sagemaker.CreateModelPackageInput{ModelPackageName: aws.String("standalone-MODEL")}, "ValidationException", "already exists"},
		{sagemaker.CreateModelPackageInput{ModelPackageName: aws.String("x"), ModelPackageGroupName: aws.String("Grouped")}, "ValidationException", "Both ModelPackageName and ModelPackageGroupName"},
		{sagemaker.CreateModelPackageInput{}, "ValidationException", "Missing ARN"},
		{sagemaker.CreateModelPackageInput{ModelPackageName: aws.String("-bad")}, "ValidationException", "modelPackageName"},
		{sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Grouped"), ModelApprovalStatus: "Maybe"}, "ValidationException", "modelApprovalStatus"},
		{sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Grouped"), InferenceSpecification: &smtypes.InferenceSpecification{Containers: []smtypes.ModelPackageContainerDefinition{{}}}}, "ValidationException", "inferenceSpecification.containers.1.member.image"},
		{sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Grouped"), InferenceSpecification: &smtypes.InferenceSpecification{
			Containers: []smtypes.ModelPackageContainerDefinition{{Image: aws.String("img"), ModelDataUrl: aws.String("ftp://x")}}}}, "ValidationException", "modelDataUrl"},
		{sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Grouped"), CustomerMetadataProperties: map[string]string{"k": ""}}, "ValidationException", "customerMetadataProperties"},
		{sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Grouped"), ClientToken: aws.String("not a token!")}, "ValidationException", "clientToken"},
		{sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String(registryARN + "pipeline/grouped")}, "ValidationException", "not the ARN of a model package group"},
	} {
		_, err := client.CreateModelPackage(ctx, &tc.in)
		if msg := apiError(t, err, tc.code); !strings.Contains(msg, tc.want) {
			t.Errorf("CreateModelPackage %+v: %q does not say %q", tc.in, msg, tc.want)
		}
	}
	_, err = client.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(arn), ModelApprovalStatus: smtypes.ModelApprovalStatusApproved})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "unversioned") {
		t.Errorf("update unversioned: %s", msg)
	}
	if _, err := client.DeleteModelPackage(ctx, &sagemaker.DeleteModelPackageInput{ModelPackageName: aws.String(arn)}); err != nil {
		t.Fatalf("DeleteModelPackage: %v", err)
	}
	_, err = client.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(arn)})
	apiError(t, err, "ValidationException")
}

func TestRegistryApprovalFlow(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))
	createGroup(t, client, "Approvals")
	out, err := client.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Approvals"),
		InferenceSpecification: inferenceSpec("s3://m/a.tar.gz"), CustomerMetadataProperties: map[string]string{"team": "ml", "stage": "dev"},
		ModelMetrics: &smtypes.ModelMetrics{ModelQuality: &smtypes.ModelQuality{Statistics: &smtypes.MetricsSource{
			ContentType: aws.String("application/json"), S3Uri: aws.String("s3://eval/evaluation.json")}}},
		Domain: aws.String("MACHINE_LEARNING"), Task: aws.String("REGRESSION"), SamplePayloadUrl: aws.String("s3://payload/sample.tar.gz"),
		SkipModelValidation: smtypes.SkipModelValidationNone})
	if err != nil {
		t.Fatalf("CreateModelPackage: %v", err)
	}
	arn := aws.ToString(out.ModelPackageArn)
	created, _ := client.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(arn)})
	if created.ModelApprovalStatus != smtypes.ModelApprovalStatusPendingManualApproval || created.ApprovalDescription != nil ||
		created.ModelMetrics == nil || aws.ToString(created.ModelMetrics.ModelQuality.Statistics.S3Uri) != "s3://eval/evaluation.json" ||
		aws.ToString(created.Domain) != "MACHINE_LEARNING" || aws.ToString(created.Task) != "REGRESSION" ||
		aws.ToString(created.SamplePayloadUrl) != "s3://payload/sample.tar.gz" || created.SkipModelValidation != smtypes.SkipModelValidationNone {
		t.Errorf("created package %+v", created)
	}

	time.Sleep(5 * time.Millisecond)
	if _, err := client.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(arn),
		ModelApprovalStatus: smtypes.ModelApprovalStatusApproved, ApprovalDescription: aws.String("passed review"),
		CustomerMetadataProperties: map[string]string{"stage": "prod", "owner": "ana"}, CustomerMetadataPropertiesToRemove: []string{"team"}}); err != nil {
		t.Fatalf("UpdateModelPackage: %v", err)
	}
	d, err := client.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if d.ModelApprovalStatus != smtypes.ModelApprovalStatusApproved || aws.ToString(d.ApprovalDescription) != "passed review" ||
		!d.LastModifiedTime.After(*d.CreationTime) || d.LastModifiedBy == nil || d.LastModifiedBy.IamIdentity == nil {
		t.Errorf("approved package %+v", d)
	}
	if fmt.Sprint(d.CustomerMetadataProperties) != "map[owner:ana stage:prod]" {
		t.Errorf("CustomerMetadataProperties %v", d.CustomerMetadataProperties)
	}
	listed, err := client.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("Approvals"), ModelApprovalStatus: smtypes.ModelApprovalStatusApproved})
	if err != nil || len(listed.ModelPackageSummaryList) != 1 || aws.ToString(listed.ModelPackageSummaryList[0].ModelPackageArn) != arn {
		t.Errorf("approved versions: %+v %v", listed, err)
	}
	// Rejected after approval; the description stays until changed.
	if _, err := client.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(arn), ModelApprovalStatus: smtypes.ModelApprovalStatusRejected}); err != nil {
		t.Fatal(err)
	}
	d, _ = client.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(arn)})
	if d.ModelApprovalStatus != smtypes.ModelApprovalStatusRejected || aws.ToString(d.ApprovalDescription) != "passed review" {
		t.Errorf("rejected package %+v", d)
	}
	_, err = client.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(registryARN + "model-package/approvals/7"), ModelApprovalStatus: smtypes.ModelApprovalStatusApproved})
	apiError(t, err, "ValidationException")
	_, err = client.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(arn), ModelApprovalStatus: "Yes"})
	apiError(t, err, "ValidationException")
}

func TestRegistryListModelPackages(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))
	createGroup(t, client, "Ranker")
	createGroup(t, client, "Scorer")
	for _, g := range []string{"Ranker", "Scorer", "Ranker", "Ranker"} {
		registerVersion(t, client, g)
	}
	if _, err := client.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageName: aws.String("ranker-standalone"), InferenceSpecification: inferenceSpec("s3://m/r.tar.gz")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(registryARN + "model-package/ranker/2"), ModelApprovalStatus: smtypes.ModelApprovalStatusApproved}); err != nil {
		t.Fatal(err)
	}
	list := func(in sagemaker.ListModelPackagesInput) []string {
		t.Helper()
		var got []string
		for {
			out, err := client.ListModelPackages(ctx, &in)
			if err != nil {
				t.Fatalf("ListModelPackages %+v: %v", in, err)
			}
			for _, s := range out.ModelPackageSummaryList {
				if s.ModelPackageStatus != smtypes.ModelPackageStatusCompleted || s.CreationTime == nil {
					t.Errorf("summary %+v", s)
				}
				if s.ModelPackageVersion != nil {
					if s.ModelPackageName != nil {
						t.Errorf("a version is listed with ModelPackageName %s", aws.ToString(s.ModelPackageName))
					}
					got = append(got, fmt.Sprintf("%s/%d", aws.ToString(s.ModelPackageGroupName), aws.ToInt32(s.ModelPackageVersion)))
				} else {
					got = append(got, aws.ToString(s.ModelPackageName))
				}
			}
			if out.NextToken == nil {
				return got
			}
			in.NextToken = out.NextToken
		}
	}
	for _, tc := range []struct {
		name string
		in   sagemaker.ListModelPackagesInput
		want string
	}{
		{"default: unversioned only", sagemaker.ListModelPackagesInput{}, "ranker-standalone"},
		{"a group's versions, newest first", sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("Ranker")}, "Ranker/3 Ranker/2 Ranker/1"},
		{"a group by ARN, paged", sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String(registryARN + "model-package-group/ranker"), MaxResults: aws.Int32(1), SortOrder: smtypes.SortOrderAscending}, "Ranker/1 Ranker/2 Ranker/3"},
		{"versioned, by name", sagemaker.ListModelPackagesInput{ModelPackageType: smtypes.ModelPackageTypeVersioned, SortBy: smtypes.ModelPackageSortByName, SortOrder: smtypes.SortOrderAscending, MaxResults: aws.Int32(2)}, "Ranker/1 Ranker/2 Ranker/3 Scorer/1"},
		{"both, name contains", sagemaker.ListModelPackagesInput{ModelPackageType: smtypes.ModelPackageTypeBoth, NameContains: aws.String("ranker"), SortBy: smtypes.ModelPackageSortByName, SortOrder: smtypes.SortOrderAscending}, "Ranker/1 Ranker/2 Ranker/3 ranker-standalone"},
		{"approved", sagemaker.ListModelPackagesInput{ModelPackageType: smtypes.ModelPackageTypeBoth, ModelApprovalStatus: smtypes.ModelApprovalStatusApproved}, "Ranker/2"},
		{"pending in a group", sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("Ranker"), ModelApprovalStatus: smtypes.ModelApprovalStatusPendingManualApproval}, "Ranker/3 Ranker/1"},
		{"unversioned in a group", sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("Ranker"), ModelPackageType: smtypes.ModelPackageTypeUnversioned}, ""},
		{"created in the future", sagemaker.ListModelPackagesInput{ModelPackageType: smtypes.ModelPackageTypeBoth, CreationTimeAfter: aws.Time(time.Now().Add(time.Hour))}, ""},
		{"created before now", sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("Scorer"), CreationTimeBefore: aws.Time(time.Now().Add(time.Second))}, "Scorer/1"},
		{"a missing group", sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String("Nothing")}, ""},
	} {
		if got := strings.Join(list(tc.in), " "); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	_, err := client.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{ModelPackageType: "Some"})
	apiError(t, err, "ValidationException")
	_, err = client.ListModelPackages(ctx, &sagemaker.ListModelPackagesInput{NextToken: aws.String("garbage")})
	apiError(t, err, "ValidationException")
}

// Registry operations are authorized on the ARNs AWS uses, with tags and
// sagemaker:ModelApprovalStatus.
func TestRegistryAuthorization(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	admin := sagemaker.NewFromConfig(c.config("data-science"))
	createGroup(t, admin, "Churn-Models", smtypes.Tag{Key: aws.String("team"), Value: aws.String("ml")})
	createGroup(t, admin, "Other-Models")
	versionARN := registerVersion(t, admin, "Churn-Models")

	noCreate := sagemaker.NewFromConfig(newUser(t, c, "data-science", "no-create", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"},
		{"Effect":"Deny","Action":"sagemaker:CreateModelPackage","Resource":"*"}]}`))
	_, err := noCreate.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Churn-Models"), InferenceSpecification: inferenceSpec("s3://m/x.tar.gz")})
	msg := apiError(t, err, "AccessDeniedException")
	if want := "User: arn:aws:iam::111111111111:user/no-create is not authorized to perform: sagemaker:CreateModelPackage on resource: " + registryARN + "model-package-group/Churn-Models with an explicit deny"; !strings.HasPrefix(msg, want) {
		t.Errorf("denial %q, want prefix %q", msg, want)
	}
	if _, err := noCreate.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(versionARN)}); err != nil {
		t.Errorf("DescribeModelPackage allowed: %v", err)
	}

	// Approval is guarded by sagemaker:ModelApprovalStatus; resources by name and tag.
	scoped := sagemaker.NewFromConfig(newUser(t, c, "data-science", "scoped", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["sagemaker:CreateModelPackage","sagemaker:UpdateModelPackage"],"Resource":"*",
		 "Condition":{"StringEqualsIfExists":{"sagemaker:ModelApprovalStatus":"PendingManualApproval"}}},
		{"Effect":"Allow","Action":"sagemaker:DescribeModelPackageGroup","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"ml"}}},
		{"Effect":"Allow","Action":"sagemaker:DescribeModelPackage","Resource":"arn:aws:sagemaker:*:*:model-package/churn-models/*"},
		{"Effect":"Allow","Action":"sagemaker:CreateModelPackageGroup","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"ml"}}}]}`))
	_, err = scoped.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Churn-Models"),
		InferenceSpecification: inferenceSpec("s3://m/x.tar.gz"), ModelApprovalStatus: smtypes.ModelApprovalStatusApproved})
	apiError(t, err, "AccessDeniedException")
	out, err := scoped.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("Churn-Models"),
		InferenceSpecification: inferenceSpec("s3://m/x.tar.gz")})
	if err != nil {
		t.Fatalf("CreateModelPackage pending by default: %v", err)
	}
	_, err = scoped.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: out.ModelPackageArn, ModelApprovalStatus: smtypes.ModelApprovalStatusApproved})
	msg = apiError(t, err, "AccessDeniedException")
	if !strings.Contains(msg, "sagemaker:UpdateModelPackage on resource: "+registryARN+"model-package/churn-models/2") {
		t.Errorf("update denial: %s", msg)
	}
	if _, err := scoped.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: out.ModelPackageArn, ApprovalDescription: aws.String("looked at it")}); err != nil {
		t.Errorf("update without a status change: %v", err)
	}
	if _, err := scoped.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{ModelPackageGroupName: aws.String("Churn-Models")}); err != nil {
		t.Errorf("describe tagged group: %v", err)
	}
	_, err = scoped.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{ModelPackageGroupName: aws.String("Other-Models")})
	apiError(t, err, "AccessDeniedException")
	if _, err := scoped.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String("churn-models/1")}); err != nil {
		t.Errorf("describe version by name: %v", err)
	}
	_, err = scoped.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{ModelPackageGroupName: aws.String("Untagged")})
	apiError(t, err, "AccessDeniedException")
	if _, err := scoped.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{ModelPackageGroupName: aws.String("Tagged"),
		Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}}}); err != nil {
		t.Errorf("create group with the required tag: %v", err)
	}
	// Another account's group is out of reach without a resource policy.
	_, err = sagemaker.NewFromConfig(c.config("platform")).DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{
		ModelPackageGroupName: aws.String(registryARN + "model-package-group/churn-models")})
	apiError(t, err, "AccessDeniedException")
}
