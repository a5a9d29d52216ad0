package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// An execution ARN that does not match SageMaker's pattern is a ValidationException,
// checked before any lookup; a well-formed ARN of no execution is ResourceNotFound.
func TestMalformedExecutionARN(t *testing.T) {
	t.Parallel()
	c := start(t, startOptions{Config: accountsYAML})
	client := sagemaker.NewFromConfig(c.config("data-science"))
	ctx := context.Background()
	_, err := client.DescribePipelineExecution(ctx, &sagemaker.DescribePipelineExecutionInput{PipelineExecutionArn: aws.String("not-an-arn")})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "pipelineExecutionArn") || !strings.Contains(msg, "not-an-arn") {
		t.Errorf("message %q", msg)
	}
	_, err = client.ListPipelineExecutionSteps(ctx, &sagemaker.ListPipelineExecutionStepsInput{PipelineExecutionArn: aws.String("arn:aws:sagemaker:us-east-1:111111111111:pipeline/demo")})
	apiError(t, err, "ValidationException")
	_, err = client.DescribePipelineExecution(ctx, &sagemaker.DescribePipelineExecutionInput{
		PipelineExecutionArn: aws.String("arn:aws:sagemaker:us-east-1:111111111111:pipeline/demo/execution/abcdefghijkl")})
	apiError(t, err, "ResourceNotFound")
}
