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

func TestModelsAPI(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))
	role := pipelineRole(t, c, "data-science", "model-exec", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	container := &smtypes.ContainerDefinition{
		Image:        aws.String("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"),
		ModelDataUrl: aws.String("s3://models/churn/model.tar.gz"),
		Environment:  map[string]string{"SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": "s3://models/churn/sourcedir.tar.gz"},
	}
	before := time.Now().Add(-time.Second)
	created, err := client.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("Churn-Model"), ExecutionRoleArn: aws.String(role),
		PrimaryContainer: container, EnableNetworkIsolation: aws.Bool(true),
		Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("ds")}}})
	if err != nil {
		t.Fatalf("CreateModel: %v", err)
	}
	if got := aws.ToString(created.ModelArn); got != "arn:aws:sagemaker:us-east-1:111111111111:model/churn-model" {
		t.Errorf("ModelArn %s", got)
	}
	desc, err := client.DescribeModel(ctx, &sagemaker.DescribeModelInput{ModelName: aws.String("Churn-Model")})
	if err != nil {
		t.Fatalf("DescribeModel: %v", err)
	}
	if aws.ToString(desc.ModelName) != "Churn-Model" || aws.ToString(desc.ModelArn) != aws.ToString(created.ModelArn) ||
		aws.ToString(desc.ExecutionRoleArn) != role || desc.CreationTime == nil || desc.CreationTime.Before(before) ||
		!aws.ToBool(desc.EnableNetworkIsolation) || desc.PrimaryContainer == nil ||
		aws.ToString(desc.PrimaryContainer.ModelDataUrl) != "s3://models/churn/model.tar.gz" ||
		desc.PrimaryContainer.Environment["SAGEMAKER_PROGRAM"] != "inference.py" {
		t.Errorf("DescribeModel %+v", desc)
	}
	tags, err := client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: created.ModelArn})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Errorf("ListTags: %v %+v", err, tags)
	}

	_, err = client.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("churn-model"), ExecutionRoleArn: aws.String(role), PrimaryContainer: container})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "Cannot create already existing model") || !strings.Contains(msg, "model/churn-model") {
		t.Errorf("duplicate: %s", msg)
	}
	for name, in := range map[string]*sagemaker.CreateModelInput{
		"no container":   {ModelName: aws.String("m1"), ExecutionRoleArn: aws.String(role)},
		"both":           {ModelName: aws.String("m1"), ExecutionRoleArn: aws.String(role), PrimaryContainer: container, Containers: []smtypes.ContainerDefinition{*container}},
		"bad name":       {ModelName: aws.String("-m1"), ExecutionRoleArn: aws.String(role), PrimaryContainer: container},
		"bad data url":   {ModelName: aws.String("m1"), ExecutionRoleArn: aws.String(role), PrimaryContainer: &smtypes.ContainerDefinition{Image: aws.String("img"), ModelDataUrl: aws.String("ftp://x/y")}},
		"bad role":       {ModelName: aws.String("m1"), ExecutionRoleArn: aws.String("arn:aws:iam::111111111111:user/bob"), PrimaryContainer: container},
		"no image":       {ModelName: aws.String("m1"), ExecutionRoleArn: aws.String(role), PrimaryContainer: &smtypes.ContainerDefinition{ModelDataUrl: aws.String("s3://b/m.tar.gz")}},
		"bad env":        {ModelName: aws.String("m1"), ExecutionRoleArn: aws.String(role), PrimaryContainer: &smtypes.ContainerDefinition{Image: aws.String("img"), Environment: map[string]string{"1BAD": "x"}}},
		"too many conts": {ModelName: aws.String("m1"), ExecutionRoleArn: aws.String(role), Containers: make([]smtypes.ContainerDefinition, 16)},
	} {
		if _, err := client.CreateModel(ctx, in); err == nil {
			t.Errorf("%s: CreateModel succeeded", name)
		} else {
			apiError(t, err, "ValidationException")
		}
	}

	// An inference pipeline of two containers is accepted and described as given.
	second := *container
	second.ContainerHostname = aws.String("second")
	if _, err := client.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("pipeline-model"), ExecutionRoleArn: aws.String(role),
		Containers: []smtypes.ContainerDefinition{*container, second}, InferenceExecutionConfig: &smtypes.InferenceExecutionConfig{Mode: smtypes.InferenceExecutionModeSerial}}); err != nil {
		t.Fatalf("CreateModel with two containers: %v", err)
	}
	pm, err := client.DescribeModel(ctx, &sagemaker.DescribeModelInput{ModelName: aws.String("pipeline-model")})
	if err != nil || len(pm.Containers) != 2 || aws.ToString(pm.Containers[1].ContainerHostname) != "second" || pm.InferenceExecutionConfig == nil {
		t.Errorf("DescribeModel pipeline-model: %v %+v", err, pm)
	}
	for _, name := range []string{"b-model", "a-model"} {
		if _, err := client.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String(name), ExecutionRoleArn: aws.String(role), PrimaryContainer: container}); err != nil {
			t.Fatalf("CreateModel %s: %v", name, err)
		}
	}

	// List: sorting, NameContains, paging, creation-time filters.
	list := func(in *sagemaker.ListModelsInput) []string {
		t.Helper()
		var names []string
		p := sagemaker.NewListModelsPaginator(client, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListModels: %v", err)
			}
			for _, m := range page.Models {
				if m.CreationTime == nil || !strings.HasSuffix(aws.ToString(m.ModelArn), "model/"+strings.ToLower(aws.ToString(m.ModelName))) {
					t.Errorf("summary %+v", m)
				}
				names = append(names, aws.ToString(m.ModelName))
			}
		}
		return names
	}
	if got := strings.Join(list(&sagemaker.ListModelsInput{SortBy: smtypes.ModelSortKeyName, SortOrder: smtypes.OrderKeyAscending, MaxResults: aws.Int32(1)}), ","); got != "Churn-Model,a-model,b-model,pipeline-model" {
		t.Errorf("by name: %s", got)
	}
	if got := strings.Join(list(&sagemaker.ListModelsInput{}), ","); got != "a-model,b-model,pipeline-model,Churn-Model" {
		t.Errorf("newest first: %s", got)
	}
	if got := strings.Join(list(&sagemaker.ListModelsInput{NameContains: aws.String("MODEL"), SortBy: smtypes.ModelSortKeyName, SortOrder: smtypes.OrderKeyAscending}), ","); got != "Churn-Model,a-model,b-model,pipeline-model" {
		t.Errorf("NameContains MODEL: %s", got)
	}
	if got := list(&sagemaker.ListModelsInput{NameContains: aws.String("churn")}); len(got) != 1 {
		t.Errorf("NameContains churn: %v", got)
	}
	if got := list(&sagemaker.ListModelsInput{CreationTimeAfter: aws.Time(time.Now().Add(time.Hour))}); len(got) != 0 {
		t.Errorf("created after an hour from now: %v", got)
	}
	if got := list(&sagemaker.ListModelsInput{CreationTimeBefore: aws.Time(before)}); len(got) != 0 {
		t.Errorf("created before the test: %v", got)
	}
	_, err = client.ListModels(ctx, &sagemaker.ListModelsInput{NameContains: aws.String("bad_name")})
	apiError(t, err, "ValidationException")

	// Delete, then the model is gone.
	if _, err := client.DeleteModel(ctx, &sagemaker.DeleteModelInput{ModelName: aws.String("b-model")}); err != nil {
		t.Fatalf("DeleteModel: %v", err)
	}
	_, err = client.DescribeModel(ctx, &sagemaker.DescribeModelInput{ModelName: aws.String("b-model")})
	if msg := apiError(t, err, "ValidationException"); msg != `Could not find model "arn:aws:sagemaker:us-east-1:111111111111:model/b-model".` {
		t.Errorf("describe deleted: %s", msg)
	}
	_, err = client.DeleteModel(ctx, &sagemaker.DeleteModelInput{ModelName: aws.String("b-model")})
	apiError(t, err, "ValidationException")
	// The name is free again.
	if _, err := client.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("b-model"), ExecutionRoleArn: aws.String(role), PrimaryContainer: container}); err != nil {
		t.Fatalf("CreateModel after delete: %v", err)
	}
	// Models are per account.
	if _, err := sagemaker.NewFromConfig(c.config("platform")).DescribeModel(ctx, &sagemaker.DescribeModelInput{ModelName: aws.String("a-model")}); err == nil {
		t.Errorf("another account sees a-model")
	}
}

func TestModelsAuthorization(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	role := pipelineRole(t, c, "data-science", "model-exec", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	container := &smtypes.ContainerDefinition{Image: aws.String("img:1"), ModelDataUrl: aws.String("s3://models/m.tar.gz")}

	// Models named team-a-* only, and no iam:PassRole.
	noPass := sagemaker.NewFromConfig(newUser(t, c, "data-science", "no-pass", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sagemaker:*","Resource":"arn:aws:sagemaker:*:*:model/team-a-*"}]}`))
	_, err := noPass.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("team-a-m"), ExecutionRoleArn: aws.String(role), PrimaryContainer: container})
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "iam:PassRole") {
		t.Errorf("CreateModel without PassRole: %s", msg)
	}

	scoped := sagemaker.NewFromConfig(newUser(t, c, "data-science", "scoped", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sagemaker:*","Resource":"arn:aws:sagemaker:*:*:model/Team-A-*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}}}]}`))
	if _, err := scoped.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("Team-A-m"), ExecutionRoleArn: aws.String(role), PrimaryContainer: container}); err != nil {
		t.Fatalf("CreateModel Team-A-m: %v", err)
	}
	_, err = scoped.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String("team-b-m"), ExecutionRoleArn: aws.String(role), PrimaryContainer: container})
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "sagemaker:CreateModel") || !strings.Contains(msg, "model/team-b-m") {
		t.Errorf("CreateModel team-b-m: %s", msg)
	}
	if _, err := scoped.DescribeModel(ctx, &sagemaker.DescribeModelInput{ModelName: aws.String("Team-A-m")}); err != nil {
		t.Errorf("DescribeModel Team-A-m: %v", err)
	}
	// Authorization sees the name as given: a lowercase spelling is another resource.
	_, err = scoped.DeleteModel(ctx, &sagemaker.DeleteModelInput{ModelName: aws.String("team-a-m")})
	apiError(t, err, "AccessDeniedException")
	if _, err := scoped.DeleteModel(ctx, &sagemaker.DeleteModelInput{ModelName: aws.String("Team-A-m")}); err != nil {
		t.Errorf("DeleteModel Team-A-m: %v", err)
	}
	_, err = scoped.ListModels(ctx, &sagemaker.ListModelsInput{})
	apiError(t, err, "AccessDeniedException")
}
