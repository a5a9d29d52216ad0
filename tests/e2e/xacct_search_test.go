package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// Search over pipelines and executions: filters, nested filters, sub-expressions, sorting,
// paging and visibility conditions in the caller's account; refused properties and
// resources answer ValidationException.
func TestSearchPipelines(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner := smFor(c, "owner")
	for _, name := range []string{"alpha", "beta", "gamma"} {
		ramPipeline(t, c, "owner", name)
		time.Sleep(5 * time.Millisecond) // distinct creation times
	}
	if _, err := owner.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String("arn:aws:sagemaker:us-east-1:111111111111:pipeline/beta"),
		Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String("arn:aws:sagemaker:us-east-1:111111111111:pipeline/gamma"),
		Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("data")}}}); err != nil {
		t.Fatal(err)
	}
	var runs []string
	for i, msg := range []string{"first", "second"} {
		out, err := owner.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("alpha"),
			ClientRequestToken: aws.String(token(t, msg)), PipelineParameters: []smtypes.Parameter{{Name: aws.String("Msg"), Value: aws.String(msg)}},
			PipelineExecutionDisplayName: aws.String("run-" + string(rune('a'+i)))})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, aws.ToString(out.PipelineExecutionArn))
		waitExecution(t, owner, runs[i], 30*time.Second)
	}

	search := func(in *sagemaker.SearchInput) []string {
		t.Helper()
		out, err := owner.Search(ctx, in)
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		var names []string
		for _, r := range out.Results {
			if r.Pipeline != nil {
				names = append(names, aws.ToString(r.Pipeline.PipelineName))
			} else {
				names = append(names, aws.ToString(r.PipelineExecution.PipelineExecutionDisplayName))
			}
		}
		return names
	}
	f := func(name string, op smtypes.Operator, value string) smtypes.Filter {
		return smtypes.Filter{Name: aws.String(name), Operator: op, Value: aws.String(value)}
	}
	cases := []struct {
		name string
		in   *sagemaker.SearchInput
		want string
	}{
		{"every pipeline, last modified first", &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipeline}, "gamma beta alpha"},
		{"by name, ascending", &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipeline, SortBy: aws.String("PipelineName"), SortOrder: smtypes.SearchSortOrderAscending}, "alpha beta gamma"},
		{"a tag", &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipeline, SearchExpression: &smtypes.SearchExpression{
			Filters: []smtypes.Filter{f("Tags.team", smtypes.OperatorEquals, "ml")}}}, "beta"},
		{"contains", &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipeline, SearchExpression: &smtypes.SearchExpression{
			Filters: []smtypes.Filter{f("PipelineName", smtypes.OperatorContains, "MM")}}}, "gamma"},
		{"or of sub-expressions", &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipeline, SortBy: aws.String("PipelineName"),
			SearchExpression: &smtypes.SearchExpression{Operator: smtypes.BooleanOperatorOr, SubExpressions: []smtypes.SearchExpression{
				{Filters: []smtypes.Filter{f("PipelineName", smtypes.OperatorEquals, "alpha")}},
				{NestedFilters: []smtypes.NestedFilters{{NestedPropertyName: aws.String("Tags"), Filters: []smtypes.Filter{
					f("Tags.Key", smtypes.OperatorEquals, "team"), f("Tags.Value", smtypes.OperatorEquals, "data")}}}},
			}}}, "gamma alpha"},
		{"visibility conditions", &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipeline,
			VisibilityConditions: []smtypes.VisibilityConditions{{Key: aws.String("Tags.team")}}, SortBy: aws.String("PipelineName")}, "gamma beta"},
		{"executions by parameter", &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipelineExecution, SearchExpression: &smtypes.SearchExpression{
			Filters: []smtypes.Filter{f("PipelineParameters.Msg", smtypes.OperatorEquals, "second")}}}, "run-b"},
		{"executions by status and time", &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipelineExecution, SortBy: aws.String("CreationTime"),
			SortOrder: smtypes.SearchSortOrderAscending, SearchExpression: &smtypes.SearchExpression{Filters: []smtypes.Filter{
				f("PipelineExecutionStatus", smtypes.OperatorEquals, "Failed"), f("CreationTime", smtypes.OperatorGreaterThan, "2020-01-01T00:00:00Z")}}}, "run-a run-b"},
	}
	for _, tc := range cases {
		if got := strings.Join(search(tc.in), " "); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}

	// Paging.
	var paged []string
	in := &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipeline, SortBy: aws.String("PipelineName"), SortOrder: smtypes.SearchSortOrderAscending, MaxResults: aws.Int32(2)}
	for pages := 0; ; pages++ {
		out, err := owner.Search(ctx, in)
		if err != nil || pages > 3 {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, r := range out.Results {
			paged = append(paged, aws.ToString(r.Pipeline.PipelineName))
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if strings.Join(paged, " ") != "alpha beta gamma" {
		t.Errorf("pages: %v", paged)
	}
	// A record carries the model's shape.
	out, err := owner.Search(ctx, &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipelineExecution, SearchExpression: nameEquals("PipelineExecutionArn", runs[0])})
	if err != nil || len(out.Results) != 1 {
		t.Fatalf("Search one execution: %v %+v", err, out)
	}
	if e := out.Results[0].PipelineExecution; aws.ToString(e.PipelineArn) != "arn:aws:sagemaker:us-east-1:111111111111:pipeline/alpha" ||
		e.PipelineExecutionStatus != smtypes.PipelineExecutionStatusFailed || len(e.PipelineParameters) != 1 || e.CreationTime == nil ||
		aws.ToString(e.CreatedBy.IamIdentity.Arn) != "arn:aws:iam::111111111111:root" {
		t.Errorf("execution record %+v", e)
	}

	// Refused requests, each a ValidationException.
	refused := []*sagemaker.SearchInput{
		{Resource: smtypes.ResourceTypeTrainingJob},
		{Resource: "Pipelines"},
		{Resource: smtypes.ResourceTypePipeline, SearchExpression: &smtypes.SearchExpression{Filters: []smtypes.Filter{f("TrainingJobName", smtypes.OperatorEquals, "x")}}},
		{Resource: smtypes.ResourceTypePipeline, SearchExpression: &smtypes.SearchExpression{Filters: []smtypes.Filter{f("PipelineName", smtypes.OperatorLessThan, "x")}}},
		{Resource: smtypes.ResourceTypePipeline, SearchExpression: &smtypes.SearchExpression{}},
		{Resource: smtypes.ResourceTypePipeline, SortBy: aws.String("Color")},
		{Resource: smtypes.ResourceTypePipeline, MaxResults: aws.Int32(101)},
		{Resource: smtypes.ResourceTypePipeline, NextToken: aws.String("garbage")},
		{Resource: smtypes.ResourceTypePipeline, CrossAccountFilterOption: "Everywhere"},
		{Resource: smtypes.ResourceTypePipeline, VisibilityConditions: []smtypes.VisibilityConditions{{Key: aws.String("team")}}},
	}
	for _, in := range refused {
		_, err := owner.Search(ctx, in)
		expectAPIError(t, err, 400, "ValidationException")
	}
}

// Across accounts, Search finds what a pipeline's policy lets the caller search: a share
// whose permission leaves sagemaker:Search out shows nothing, and the caller's own
// policies must allow sagemaker:Search too.
func TestSearchAcrossAccounts(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	ownerRAM, consumerRAM := ramFor(c, "owner"), ramFor(c, "consumer")
	searchable := ramPipeline(t, c, "owner", "searchable")
	hidden := ramPipeline(t, c, "owner", "describable")
	ramPipeline(t, c, "owner", "private")
	ramPipeline(t, c, "third", "thirds") // shared with no one

	narrow, err := ownerRAM.CreatePermission(ctx, &ram.CreatePermissionInput{Name: aws.String("DescribeOnly"), ResourceType: aws.String("sagemaker:Pipeline"),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":["sagemaker:DescribePipeline"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	acceptInvitation(t, consumerRAM, aws.ToString(ramShare(t, ownerRAM, "search", []string{searchable}, []string{ramConsumer}, nil).ResourceShareArn))
	acceptInvitation(t, consumerRAM, aws.ToString(ramShare(t, ownerRAM, "describe", []string{hidden}, []string{ramConsumer},
		[]string{aws.ToString(narrow.Permission.Arn)}).ResourceShareArn))

	consumer := smFor(c, "consumer")
	if got := searchNames(t, consumer, smtypes.ResourceTypePipeline, true, nil); strings.Join(got, " ") != "searchable" {
		t.Errorf("the consumer finds %v, want [searchable]", got)
	}
	if _, err := consumer.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String(hidden)}); err != nil {
		t.Errorf("DescribePipeline under the narrow permission: %v", err)
	}
	if got := searchNames(t, smFor(c, "owner"), smtypes.ResourceTypePipeline, true, nil); len(got) != 0 {
		t.Errorf("the owner's own pipelines in its cross-account search: %v", got)
	}

	// A user of the consumer's account whose policies allow DescribePipeline only: Search
	// itself is refused; one whose policies deny searching the owner's resources finds
	// nothing of them — both sides must allow each result.
	userSM := func(name, policy string) *sagemaker.Client {
		admin := iam.NewFromConfig(c.config("consumer"))
		if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)}); err != nil {
			t.Fatal(err)
		}
		key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		return sagemaker.NewFromConfig(withoutRetries(withKeys(c.config("consumer"), aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")))
	}
	describer := userSM("describer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:DescribePipeline","Resource":"*"}]}`)
	_, err = describer.Search(ctx, &sagemaker.SearchInput{Resource: smtypes.ResourceTypePipeline, CrossAccountFilterOption: smtypes.CrossAccountFilterOptionCrossAccount})
	expectAPIError(t, err, 400, "AccessDeniedException")
	local := userSM("local", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:Search","Resource":"*"},
		{"Effect":"Deny","Action":"sagemaker:Search","Resource":"arn:aws:sagemaker:*:`+ramOwner+`:*"}]}`)
	if got := searchNames(t, local, smtypes.ResourceTypePipeline, true, nil); len(got) != 0 {
		t.Errorf("a user denied searching the owner's resources finds %v", got)
	}
	searcher := userSM("searcher", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:Search","Resource":"*"}]}`)
	if got := searchNames(t, searcher, smtypes.ResourceTypePipeline, true, nil); strings.Join(got, " ") != "searchable" {
		t.Errorf("a user allowed to search finds %v", got)
	}
}
