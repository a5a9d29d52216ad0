package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"
)

// Helpers of the cross-account tests: SageMaker clients of the three accounts of ramYAML,
// and what a call's outcome was.

// smFor returns a SageMaker client of a profile that reports the first answer.
func smFor(c *cairn, profile string) *sagemaker.Client {
	return sagemaker.NewFromConfig(withoutRetries(c.config(profile)))
}

// outcome names what a call answered: "ok", or the error code.
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return "error: " + err.Error()
}

// acceptInvitation accepts the one invitation of a share the client's account received.
func acceptInvitation(t *testing.T, client *ram.Client, shareARN string) {
	t.Helper()
	inv := ramInvitation(t, client, shareARN)
	if _, err := client.AcceptResourceShareInvitation(context.Background(), &ram.AcceptResourceShareInvitationInput{
		ResourceShareInvitationArn: inv.ResourceShareInvitationArn}); err != nil {
		t.Fatalf("AcceptResourceShareInvitation: %v", err)
	}
}

// searchNames runs Search across accounts (or in the caller's own) for a resource type and
// returns the pipeline names (for Pipeline) or execution ARNs (for PipelineExecution) found,
// following every page.
func searchNames(t *testing.T, client *sagemaker.Client, resource smtypes.ResourceType, cross bool, expr *smtypes.SearchExpression) []string {
	t.Helper()
	in := &sagemaker.SearchInput{Resource: resource, SearchExpression: expr, MaxResults: aws.Int32(100)}
	if cross {
		in.CrossAccountFilterOption = smtypes.CrossAccountFilterOptionCrossAccount
	}
	var names []string
	for {
		out, err := client.Search(context.Background(), in)
		if err != nil {
			t.Fatalf("Search %s: %v", resource, err)
		}
		for _, r := range out.Results {
			switch {
			case r.Pipeline != nil:
				names = append(names, aws.ToString(r.Pipeline.PipelineName))
			case r.PipelineExecution != nil:
				names = append(names, aws.ToString(r.PipelineExecution.PipelineExecutionArn))
			}
		}
		if out.NextToken == nil {
			return names
		}
		in.NextToken = out.NextToken
	}
}

// nameEquals is a search expression matching one pipeline name.
func nameEquals(property, value string) *smtypes.SearchExpression {
	return &smtypes.SearchExpression{Filters: []smtypes.Filter{{Name: aws.String(property), Operator: smtypes.OperatorEquals, Value: aws.String(value)}}}
}

// sameShape reports whether two error messages are the same once each resource ARN is
// replaced by a placeholder.
func sameShape(a, aARN, b, bARN string) bool {
	return strings.ReplaceAll(a, aARN, "<arn>") == strings.ReplaceAll(b, bARN, "<arn>")
}
