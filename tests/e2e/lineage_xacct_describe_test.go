package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// Every Describe… the lineage-group permission allows answers a shared entity by ARN —
// contexts and trial components as well as artifacts and actions — and a bare name is the
// caller's own; an account the group is not shared with is refused.
func TestLineageDescribeSharedByARN(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer, third := smFor(c, "owner"), smFor(c, "consumer"), smFor(c, "third")

	endpoint := createContext(t, owner, "endpoint", "Endpoint", "arn:aws:sagemaker:us-east-1:"+ramOwner+":endpoint/e")
	tc, err := owner.CreateTrialComponent(ctx, &sagemaker.CreateTrialComponentInput{TrialComponentName: aws.String("prep")})
	if err != nil {
		t.Fatal(err)
	}
	component := aws.ToString(tc.TrialComponentArn)
	group := "arn:aws:sagemaker:us-east-1:" + ramOwner + ":lineage-group/sagemaker-default-lineage-group"
	share := ramShare(t, ramFor(c, "owner"), "lineage", []string{group}, []string{ramConsumer}, nil)
	acceptInvitation(t, ramFor(c, "consumer"), aws.ToString(share.ResourceShareArn))

	d, err := consumer.DescribeContext(ctx, &sagemaker.DescribeContextInput{ContextName: aws.String(endpoint)})
	if err != nil || aws.ToString(d.ContextArn) != endpoint || aws.ToString(d.LineageGroupArn) != group {
		t.Errorf("the consumer's DescribeContext by ARN: %v %+v", err, d)
	}
	dt, err := consumer.DescribeTrialComponent(ctx, &sagemaker.DescribeTrialComponentInput{TrialComponentName: aws.String(component)})
	if err != nil || aws.ToString(dt.TrialComponentArn) != component || aws.ToString(dt.TrialComponentName) != "prep" {
		t.Errorf("the consumer's DescribeTrialComponent by ARN: %v %+v", err, dt)
	}
	// A bare name is the caller's own account, where there is no such context.
	_, err = consumer.DescribeContext(ctx, &sagemaker.DescribeContextInput{ContextName: aws.String("endpoint")})
	expectAPIError(t, err, 400, "ResourceNotFound")

	_, err = third.DescribeContext(ctx, &sagemaker.DescribeContextInput{ContextName: aws.String(endpoint)})
	expectAPIError(t, err, 400, "AccessDeniedException")
	_, err = third.DescribeTrialComponent(ctx, &sagemaker.DescribeTrialComponentInput{TrialComponentName: aws.String(component)})
	expectAPIError(t, err, 400, "AccessDeniedException")
}
