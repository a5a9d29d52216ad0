package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// GetSessionToken gives a user temporary credentials with the user's permissions, except
// IAM (never MFA-authenticated in Cairn) and STS but AssumeRole and GetCallerIdentity; a
// root user's session lasts an hour at most.
func TestGetSessionToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	alice := newUser(t, c, "data-science", "alice", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:CreateBucket","iam:GetUser","sts:AssumeRole"],"Resource":"*"},
		{"Effect":"Deny","Action":"s3:CreateBucket","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`)
	admin := iam.NewFromConfig(c.config("data-science"))
	if _, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("reader"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"sts:AssumeRole"}]}`)}); err != nil {
		t.Fatal(err)
	}

	// MFA fields are accepted when well formed, and checked against their constraints.
	_, err := sts.NewFromConfig(alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("arn:aws:iam::111111111111:mfa/alice"), TokenCode: aws.String("12")})
	apiError(t, err, "ValidationError")
	before := time.Now()
	out, err := sts.NewFromConfig(alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{
		SerialNumber: aws.String("arn:aws:iam::111111111111:mfa/alice"), TokenCode: aws.String("123456")})
	if err != nil {
		t.Fatal(err)
	}
	cr := out.Credentials
	if !strings.HasPrefix(aws.ToString(cr.AccessKeyId), "ASIA") || aws.ToString(cr.SessionToken) == "" {
		t.Fatalf("credentials %+v", cr)
	}
	if d := cr.Expiration.Sub(before); d < 12*time.Hour-time.Minute || d > 12*time.Hour+time.Minute {
		t.Errorf("a user's session lasts %s by default, want 12h", d)
	}
	session := withKeys(c.config("data-science"), aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
	session.RetryMaxAttempts = 1

	who, err := sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Arn) != "arn:aws:iam::111111111111:user/alice" || !strings.HasPrefix(aws.ToString(who.UserId), "AIDA") {
		t.Fatalf("the session is %v %v", who, err)
	}
	if _, err := s3.NewFromConfig(session).ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Errorf("the user's permissions: %v", err)
	}
	// aws:MultiFactorAuthPresent is false for the session, absent for long-term keys.
	_, err = s3.NewFromConfig(session, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("mfa-only")})
	if code := apiErrorCode(err); code != "AccessDenied" {
		t.Errorf("CreateBucket without MFA: %v", err)
	}
	if _, err := s3.NewFromConfig(alice, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("mfa-only")}); err != nil {
		t.Errorf("CreateBucket with long-term keys: %v", err)
	}
	// IAM refuses the session as AWS does, though the user may call it with its keys.
	_, err = iam.NewFromConfig(session).GetUser(ctx, &iam.GetUserInput{})
	apiError(t, err, "InvalidClientTokenId")
	if _, err := iam.NewFromConfig(alice).GetUser(ctx, &iam.GetUserInput{}); err != nil {
		t.Errorf("GetUser with the user's keys: %v", err)
	}
	// STS: AssumeRole, but no second session.
	_, err = sts.NewFromConfig(session).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if msg := apiError(t, err, "AccessDenied"); msg != "Cannot call GetSessionToken with session credentials" {
		t.Errorf("message %q", msg)
	}
	assumed, err := sts.NewFromConfig(session).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/reader"), RoleSessionName: aws.String("from-session")})
	if err != nil {
		t.Fatalf("AssumeRole with the session: %v", err)
	}
	role := withKeys(c.config("data-science"), aws.ToString(assumed.Credentials.AccessKeyId), aws.ToString(assumed.Credentials.SecretAccessKey), aws.ToString(assumed.Credentials.SessionToken))
	_, err = sts.NewFromConfig(role).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	apiError(t, err, "AccessDenied")

	// The session is the user as it is now: deleted, its session no longer works.
	if _, err := admin.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("inline")}); err != nil {
		t.Fatal(err)
	}
	keys, err := admin.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys.AccessKeyMetadata {
		if _, err := admin.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: k.AccessKeyId}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err = sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	apiError(t, err, "InvalidClientTokenId")

	// A root user's session: an hour at most.
	root, err := sts.NewFromConfig(c.config("platform")).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)})
	if err != nil {
		t.Fatal(err)
	}
	if d := root.Credentials.Expiration.Sub(before); d > time.Hour+time.Minute {
		t.Errorf("a root user's session lasts %s", d)
	}
	rootSession := withKeys(c.config("platform"), aws.ToString(root.Credentials.AccessKeyId), aws.ToString(root.Credentials.SecretAccessKey), aws.ToString(root.Credentials.SessionToken))
	if who, err := sts.NewFromConfig(rootSession).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil || aws.ToString(who.Arn) != "arn:aws:iam::222222222222:root" {
		t.Errorf("root session: %v %v", who, err)
	}
	_, err = sts.NewFromConfig(c.config("platform")).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(600)})
	apiError(t, err, "ValidationError")
}
