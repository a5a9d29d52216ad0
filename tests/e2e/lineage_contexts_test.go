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

const lineageARN = "arn:aws:sagemaker:us-east-1:111111111111:"

func createContext(t *testing.T, client *sagemaker.Client, name, typ, uri string) string {
	t.Helper()
	out, err := client.CreateContext(context.Background(), &sagemaker.CreateContextInput{ContextName: aws.String(name),
		ContextType: aws.String(typ), Source: &smtypes.ContextSource{SourceUri: aws.String(uri)}})
	if err != nil {
		t.Fatalf("CreateContext %s: %v", name, err)
	}
	return aws.ToString(out.ContextArn)
}

func TestLineageContexts(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))

	out, err := client.CreateContext(ctx, &sagemaker.CreateContextInput{
		ContextName: aws.String("Abalone-Endpoint"), ContextType: aws.String("Endpoint"),
		Source:      &smtypes.ContextSource{SourceUri: aws.String(lineageARN + "endpoint/abalone"), SourceType: aws.String("ARN")},
		Description: aws.String("the endpoint"), Properties: map[string]string{"Stage": "staging", "Owner": "ml"},
		Tags: []smtypes.Tag{{Key: aws.String("project"), Value: aws.String("abalone")}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.ContextArn)
	if arn != lineageARN+"context/abalone-endpoint" {
		t.Errorf("context ARN %s", arn)
	}
	_, err = client.CreateContext(ctx, &sagemaker.CreateContextInput{ContextName: aws.String("abalone-ENDPOINT"),
		ContextType: aws.String("Endpoint"), Source: &smtypes.ContextSource{SourceUri: aws.String("x")}})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "already exists") {
		t.Errorf("a name taken (regardless of case): %s", msg)
	}
	_, err = client.CreateContext(ctx, &sagemaker.CreateContextInput{ContextName: aws.String("bad name"),
		ContextType: aws.String("Endpoint"), Source: &smtypes.ContextSource{SourceUri: aws.String("")}})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "2 validation errors") ||
		!strings.Contains(msg, "contextName") || !strings.Contains(msg, "source.sourceUri") {
		t.Errorf("bad name and empty source: %s", msg)
	}

	for _, ref := range []string{"abalone-endpoint", arn} {
		d, err := client.DescribeContext(ctx, &sagemaker.DescribeContextInput{ContextName: aws.String(ref)})
		if err != nil {
			t.Fatalf("DescribeContext %s: %v", ref, err)
		}
		if aws.ToString(d.ContextName) != "Abalone-Endpoint" || aws.ToString(d.ContextArn) != arn || aws.ToString(d.ContextType) != "Endpoint" ||
			aws.ToString(d.Source.SourceType) != "ARN" || aws.ToString(d.Description) != "the endpoint" || d.Properties["Owner"] != "ml" ||
			aws.ToString(d.LineageGroupArn) != lineageARN+"lineage-group/sagemaker-default-lineage-group" ||
			d.CreationTime == nil || d.LastModifiedTime == nil || aws.ToString(d.CreatedBy.IamIdentity.Arn) != "arn:aws:iam::111111111111:root" {
			t.Errorf("DescribeContext %s: %+v", ref, d)
		}
	}
	_, err = client.DescribeContext(ctx, &sagemaker.DescribeContextInput{ContextName: aws.String("nope")})
	if msg := apiError(t, err, "ResourceNotFound"); !strings.Contains(msg, "context/nope") {
		t.Errorf("missing context: %s", msg)
	}
	tags, err := client.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "project" {
		t.Errorf("ListTags of a context: %v %+v", err, tags)
	}

	// Update: Properties replaces the map, then PropertiesToRemove removes (the SDK sends a key
	// in both to remove it).
	if _, err := client.UpdateContext(ctx, &sagemaker.UpdateContextInput{ContextName: aws.String("abalone-endpoint"),
		Description: aws.String("changed"), Properties: map[string]string{"Stage": "prod", "Owner": "ml", "New": "1"},
		PropertiesToRemove: []string{"Owner"}}); err != nil {
		t.Fatal(err)
	}
	d, _ := client.DescribeContext(ctx, &sagemaker.DescribeContextInput{ContextName: aws.String(arn)})
	if aws.ToString(d.Description) != "changed" || len(d.Properties) != 2 || d.Properties["Stage"] != "prod" || d.Properties["New"] != "1" {
		t.Errorf("after UpdateContext: %+v", d)
	}
	_, err = client.UpdateContext(ctx, &sagemaker.UpdateContextInput{ContextName: aws.String("nope")})
	apiError(t, err, "ResourceNotFound")

	// Lists: filters, sorts, pages.
	time.Sleep(2 * time.Millisecond)
	createContext(t, client, "b-models", "ModelGroup", "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/b")
	createContext(t, client, "c-models", "ModelGroup", "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/c")
	names := func(in *sagemaker.ListContextsInput) []string {
		t.Helper()
		var got []string
		p := sagemaker.NewListContextsPaginator(client, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListContexts: %v", err)
			}
			for _, s := range page.ContextSummaries {
				got = append(got, aws.ToString(s.ContextName))
			}
		}
		return got
	}
	for _, tc := range []struct {
		in   *sagemaker.ListContextsInput
		want string
	}{
		{&sagemaker.ListContextsInput{}, "c-models b-models Abalone-Endpoint"},
		{&sagemaker.ListContextsInput{MaxResults: aws.Int32(1), SortOrder: smtypes.SortOrderAscending}, "Abalone-Endpoint b-models c-models"},
		{&sagemaker.ListContextsInput{ContextType: aws.String("ModelGroup"), SortBy: smtypes.SortContextsByName}, "c-models b-models"},
		{&sagemaker.ListContextsInput{SourceUri: aws.String(lineageARN + "endpoint/abalone")}, "Abalone-Endpoint"},
		{&sagemaker.ListContextsInput{CreatedAfter: aws.Time(d.CreationTime.Add(time.Millisecond))}, "c-models b-models"},
		{&sagemaker.ListContextsInput{CreatedBefore: d.CreationTime}, ""},
	} {
		if got := strings.Join(names(tc.in), " "); got != tc.want {
			t.Errorf("ListContexts %+v: %q, want %q", tc.in, got, tc.want)
		}
	}
	_, err = client.ListContexts(ctx, &sagemaker.ListContextsInput{NextToken: aws.String("garbage")})
	apiError(t, err, "ValidationException")

	// Another account sees none of it.
	other := sagemaker.NewFromConfig(c.config("platform"))
	if got, err := other.ListContexts(ctx, &sagemaker.ListContextsInput{}); err != nil || len(got.ContextSummaries) != 0 {
		t.Errorf("another account's ListContexts: %v %+v", err, got)
	}
	_, err = other.DescribeContext(ctx, &sagemaker.DescribeContextInput{ContextName: aws.String(arn)})
	denied := apiError(t, err, "AccessDeniedException")
	_, err = other.DescribeContext(ctx, &sagemaker.DescribeContextInput{ContextName: aws.String(lineageARN + "context/missing")})
	if again := apiError(t, err, "AccessDeniedException"); strings.ReplaceAll(again, "missing", "abalone-endpoint") != denied {
		t.Errorf("denials differ for an existing and a missing context:\n%s\n%s", denied, again)
	}

	if _, err := client.DeleteContext(ctx, &sagemaker.DeleteContextInput{ContextName: aws.String("Abalone-Endpoint")}); err != nil {
		t.Fatal(err)
	}
	_, err = client.DescribeContext(ctx, &sagemaker.DescribeContextInput{ContextName: aws.String(arn)})
	apiError(t, err, "ResourceNotFound")
	_, err = client.DeleteContext(ctx, &sagemaker.DeleteContextInput{ContextName: aws.String("Abalone-Endpoint")})
	apiError(t, err, "ResourceNotFound")
}
