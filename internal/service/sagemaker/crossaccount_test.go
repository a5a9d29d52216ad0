package sagemaker

import (
	"context"
	"testing"

	"github.com/cairnhq/cairn/internal/auth"
)

// A pipeline or execution is the caller's unless its ARN names another account; a bare name
// is always the caller's.
func TestRefs(t *testing.T) {
	s := &Service{region: "us-east-1"}
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: "111111111111"})
	pipelines := []struct {
		in        string
		want      pipelineRef
		canonical string
	}{
		{"My-Pipe", pipelineRef{Account: "111111111111", Region: "us-east-1", Name: "My-Pipe"}, "arn:aws:sagemaker:us-east-1:111111111111:pipeline/my-pipe"},
		{"arn:aws:sagemaker:us-east-1:222222222222:pipeline/Shared", pipelineRef{Account: "222222222222", Region: "us-east-1", Name: "Shared", Foreign: true},
			"arn:aws:sagemaker:us-east-1:222222222222:pipeline/shared"},
		{"arn:aws:sagemaker:eu-west-1:111111111111:pipeline/p", pipelineRef{Account: "111111111111", Region: "eu-west-1", Name: "p"},
			"arn:aws:sagemaker:eu-west-1:111111111111:pipeline/p"},
		// Not a pipeline ARN: taken as a name of the caller's, which no pipeline has.
		{"arn:aws:sagemaker:us-east-1:222222222222:model/m", pipelineRef{Account: "111111111111", Region: "us-east-1", Name: "arn:aws:sagemaker:us-east-1:222222222222:model/m"}, ""},
		{"arn:aws:sagemaker:us-east-1:22222:pipeline/p", pipelineRef{Account: "111111111111", Region: "us-east-1", Name: "arn:aws:sagemaker:us-east-1:22222:pipeline/p"}, ""},
		{"arn:aws:sagemaker:us-east-1:222222222222:pipeline/p/execution/x", pipelineRef{Account: "111111111111", Region: "us-east-1",
			Name: "arn:aws:sagemaker:us-east-1:222222222222:pipeline/p/execution/x"}, ""},
	}
	for _, tc := range pipelines {
		got := s.refPipeline(ctx, tc.in)
		if got != tc.want {
			t.Errorf("refPipeline(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		if tc.canonical != "" && got.canonical() != tc.canonical {
			t.Errorf("canonical(%q) = %s, want %s", tc.in, got.canonical(), tc.canonical)
		}
	}
	executions := []struct {
		in, canonical string
		foreign       bool
	}{
		{"arn:aws:sagemaker:us-east-1:222222222222:pipeline/Shared/execution/abc123", "arn:aws:sagemaker:us-east-1:222222222222:pipeline/shared/execution/abc123", true},
		{"arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/abc123", "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/abc123", false},
		{"arn:aws:sagemaker:us-east-1:222222222222:pipeline/p", "arn:aws:sagemaker:us-east-1:222222222222:pipeline/p", false},
		{"arn:aws:sagemaker:us-east-1:222222222222:pipeline/p/execution/", "arn:aws:sagemaker:us-east-1:222222222222:pipeline/p/execution/", false},
		{"not an arn", "not an arn", false},
	}
	for _, tc := range executions {
		got := s.refExecution(ctx, tc.in)
		if got.canonical() != tc.canonical || got.Pipeline.Foreign != tc.foreign {
			t.Errorf("refExecution(%q) = %+v (canonical %s), want %s foreign %v", tc.in, got, got.canonical(), tc.canonical, tc.foreign)
		}
	}
}
