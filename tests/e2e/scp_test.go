package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// An SCP that denies s3:* to member accounts, except to principals tagged
// pipeline-exec=true, as seed 004's service control policies do.
const denyS3ExceptPipelines = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyS3","Effect":"Deny","Action":"s3:*","Resource":"*",
	"Condition":{"StringNotEquals":{"aws:PrincipalTag/pipeline-exec":"true"}}}]}`

func TestSCPDeniesS3ExceptTaggedPrincipals(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	orgs := organizations.NewFromConfig(c.config("management"))
	roots, err := orgs.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil || len(roots.Roots) != 1 {
		t.Fatalf("ListRoots: %v", err)
	}
	rootID := roots.Roots[0].Id
	if _, err := orgs.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: rootID, PolicyType: orgtypes.PolicyTypeServiceControlPolicy}); err != nil {
		t.Fatalf("EnablePolicyType: %v", err)
	}
	scp, err := orgs.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("deny-s3"), Description: aws.String("S3 only for pipelines"),
		Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(denyS3ExceptPipelines)})
	if err != nil {
		t.Fatalf("CreatePolicy: %v", err)
	}
	if _, err := orgs.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: scp.Policy.PolicySummary.Id, TargetId: aws.String("111111111111")}); err != nil {
		t.Fatalf("AttachPolicy: %v", err)
	}

	s3Policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	untagged := newUser(t, c, "data-science", "analyst", s3Policy)
	tagged := newUser(t, c, "data-science", "pipeline", s3Policy)
	admin := iam.NewFromConfig(c.config("data-science"))
	if _, err := admin.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("pipeline"),
		Tags: []iamtypes.Tag{{Key: aws.String("pipeline-exec"), Value: aws.String("true")}}}); err != nil {
		t.Fatalf("TagUser: %v", err)
	}
	pathStyle := func(o *s3.Options) { o.UsePathStyle = true }

	_, err = s3.NewFromConfig(untagged, pathStyle).ListBuckets(ctx, &s3.ListBucketsInput{})
	msg := apiError(t, err, "AccessDenied")
	if !strings.Contains(msg, "with an explicit deny in a service control policy") {
		t.Errorf("untagged user: %s", msg)
	}
	// The member account's root is bound by the SCP too.
	_, err = s3.NewFromConfig(c.config("data-science"), pathStyle).ListBuckets(ctx, &s3.ListBucketsInput{})
	apiError(t, err, "AccessDenied")
	if _, err := s3.NewFromConfig(tagged, pathStyle).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("pipeline-data-111")}); err != nil {
		t.Fatalf("tagged principal CreateBucket: %v", err)
	}
	if _, err := s3.NewFromConfig(tagged, pathStyle).ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Fatalf("tagged principal ListBuckets: %v", err)
	}
	// The management account is never restricted by SCPs; other members are untouched.
	for _, profile := range []string{"management", "platform"} {
		if _, err := s3.NewFromConfig(c.config(profile), pathStyle).ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
			t.Errorf("%s ListBuckets: %v", profile, err)
		}
	}
	// Detaching the SCP lifts the restriction (caches follow the change).
	if _, err := orgs.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: scp.Policy.PolicySummary.Id, TargetId: aws.String("111111111111")}); err != nil {
		t.Fatalf("DetachPolicy: %v", err)
	}
	if _, err := s3.NewFromConfig(untagged, pathStyle).ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Errorf("after detach: %v", err)
	}
}
