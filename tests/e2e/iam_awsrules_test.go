package e2e

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Rules AWS applies whatever the policies say, as an administrator meets them.
func TestIAMRulesAWSApplies(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	admin := newUser(t, c, "data-science", "admin", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Effect":"Deny","Action":"sts:GetCallerIdentity","Resource":"*"}]}`)
	adminIAM := iam.NewFromConfig(admin)

	t.Run("GetCallerIdentity despite a Deny", func(t *testing.T) {
		who, err := sts.NewFromConfig(admin).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(who.Arn) != "arn:aws:iam::111111111111:user/admin" {
			t.Fatalf("GetCallerIdentity: %v %+v", err, who)
		}
	})

	t.Run("AWS managed policies cannot be changed", func(t *testing.T) {
		readOnly := aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")
		_, err := adminIAM.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: readOnly, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
		iamWantError(t, err, 403, "AccessDenied", "because AWS managed policies cannot be changed")
		_, err = adminIAM.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: readOnly, TagKeys: []string{"k"}})
		iamWantError(t, err, 403, "AccessDenied", "because AWS managed policies cannot be changed")
		_, err = adminIAM.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: readOnly})
		iamWantError(t, err, 403, "AccessDenied", "User: arn:aws:iam::111111111111:user/admin is not authorized to perform: iam:DeletePolicy on resource: arn:aws:iam::aws:policy/ReadOnlyAccess because AWS managed policies cannot be changed")
		_, err = iamClient(c, "data-science").SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: readOnly, VersionId: aws.String("v1")})
		iamWantError(t, err, 403, "AccessDenied", "because AWS managed policies cannot be changed")
		// Still usable: as a boundary and attached.
		iamMust(adminIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bounded"), PermissionsBoundary: readOnly}))(t)
		iamMust(adminIAM.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bounded"), PolicyArn: readOnly}))(t)
	})

	t.Run("service-linked roles are AWS's", func(t *testing.T) {
		_, err := adminIAM.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("AWSServiceRoleForAmazonSageMaker"),
			Path: aws.String("/aws-service-role/sagemaker.amazonaws.com/"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust)})
		iamWantError(t, err, 403, "AccessDenied", "iam:CreateRole on resource: arn:aws:iam::111111111111:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker because a service-linked role")
		_, err = sagemaker.NewFromConfig(admin).CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("slr"),
			RoleArn:            aws.String("arn:aws:iam::111111111111:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker"),
			PipelineDefinition: aws.String(failOnly), ClientRequestToken: aws.String(token(t, "slr"))})
		if err == nil || !strings.Contains(err.Error(), "AccessDenied") || !strings.Contains(err.Error(), "iam:PassRole") || !strings.Contains(err.Error(), "cannot be passed") {
			t.Fatalf("CreatePipeline passing a service-linked role: %v", err)
		}
	})

	t.Run("bucket policy with NotPrincipal and Allow", func(t *testing.T) {
		owner := c.s3Client("data-science")
		mustCreateBucket(t, owner, "not-principal")
		if _, err := owner.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("not-principal"), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
			t.Fatal(err)
		}
		if _, err := owner.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("not-principal"), Policy: aws.String(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:user/outsider"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::not-principal/*"}]}`)}); err != nil {
			t.Fatalf("PutBucketPolicy with NotPrincipal and Allow: %v", err)
		}
		read := func(cfg aws.Config) error {
			out, err := s3.NewFromConfig(withoutRetries(cfg), func(o *s3.Options) { o.UsePathStyle = true }).GetObject(ctx,
				&s3.GetObjectInput{Bucket: aws.String("not-principal"), Key: aws.String("k")})
			if err == nil {
				io.Copy(io.Discard, out.Body)
				out.Body.Close()
			}
			return err
		}
		if err := read(newUser(t, c, "data-science", "insider", "")); err != nil {
			t.Fatalf("a user the NotPrincipal does not name, with no policy of its own: %v", err)
		}
		wantS3Error(t, "GetObject by the user NotPrincipal names", read(newUser(t, c, "data-science", "outsider", "")), 403, "AccessDenied")
	})
}
