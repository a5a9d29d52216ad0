package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
)

// apiError asserts err is an AWS API error with code and returns its message.
func apiError(t *testing.T, err error, code string) string {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want %s, got %s: %s", code, ae.ErrorCode(), ae.ErrorMessage())
	}
	return ae.ErrorMessage()
}

// newUser creates an IAM user with an inline policy and an access key, and returns a config
// signing as that user.
func newUser(t *testing.T, c *cairn, profile, name, policy string) aws.Config {
	t.Helper()
	ctx := context.Background()
	admin := iam.NewFromConfig(c.config(profile))
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	if policy != "" {
		if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name),
			PolicyName: aws.String("inline"), PolicyDocument: aws.String(policy)}); err != nil {
			t.Fatalf("PutUserPolicy %s: %v", name, err)
		}
	}
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateAccessKey %s: %v", name, err)
	}
	return withKeys(c.config(profile), aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")
}

func TestUserAllowedAndDeniedByItsPolicies(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	alice := newUser(t, c, "data-science", "alice", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:ListUsers","iam:GetUser"],"Resource":"*"},
		{"Effect":"Deny","Action":"iam:GetUser","Resource":"arn:aws:iam::111111111111:user/root-only-*"}]}`)

	who, err := sts.NewFromConfig(alice).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(who.Arn) != "arn:aws:iam::111111111111:user/alice" || !strings.HasPrefix(aws.ToString(who.UserId), "AIDA") {
		t.Fatalf("caller identity: %s %s", aws.ToString(who.Arn), aws.ToString(who.UserId))
	}
	client := iam.NewFromConfig(alice)
	if _, err := client.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers allowed by policy: %v", err)
	}
	_, err = client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("x"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	msg := apiError(t, err, "AccessDenied")
	want := "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::111111111111:role/x because no identity-based policy allows the iam:CreateRole action"
	if msg != want {
		t.Errorf("denial message\n got: %s\nwant: %s", msg, want)
	}
	// An explicit deny wins over the allow.
	root := iam.NewFromConfig(c.config("data-science"))
	if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("root-only-bob")}); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("root-only-bob")})
	if msg := apiError(t, err, "AccessDenied"); !strings.Contains(msg, "with an explicit deny in an identity-based policy") {
		t.Errorf("explicit deny message: %s", msg)
	}
	// A deactivated key is refused.
	keys, err := root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")})
	if err != nil || len(keys.AccessKeyMetadata) != 1 {
		t.Fatalf("ListAccessKeys: %v", err)
	}
	if _, err := root.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"),
		AccessKeyId: keys.AccessKeyMetadata[0].AccessKeyId, Status: "Inactive"}); err != nil {
		t.Fatal(err)
	}
	_, err = sts.NewFromConfig(alice).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	apiError(t, err, "InvalidClientTokenId")
}

const deployerTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
	"Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole",
	"Condition":{"StringEquals":{"sts:ExternalId":"shared-secret-42"}}}]}`

// deployerRole creates, in account 222222222222, a role the data-science account may
// assume with an external ID, allowed to list roles.
func deployerRole(t *testing.T, c *cairn) string {
	t.Helper()
	ctx := context.Background()
	platform := iam.NewFromConfig(c.config("platform"))
	out, err := platform.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deployer"),
		AssumeRolePolicyDocument: aws.String(deployerTrust)})
	if err != nil {
		t.Fatalf("CreateRole: %v", err)
	}
	if _, err := platform.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("deployer"), PolicyName: aws.String("list"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}`)}); err != nil {
		t.Fatalf("PutRolePolicy: %v", err)
	}
	return aws.ToString(out.Role.Arn)
}

func TestCrossAccountAssumeRoleWithExternalID(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	roleARN := deployerRole(t, c)
	alice := sts.NewFromConfig(newUser(t, c, "data-science", "alice",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+roleARN+`"}]}`))
	mallory := sts.NewFromConfig(newUser(t, c, "data-science", "mallory", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`))

	assume := func(client *sts.Client, externalID string) (*sts.AssumeRoleOutput, error) {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("deploy")}
		if externalID != "" {
			in.ExternalId = aws.String(externalID)
		}
		return client.AssumeRole(ctx, in)
	}
	for _, tc := range []struct {
		name, externalID string
		client           *sts.Client
	}{
		{"no external id", "", alice},
		{"wrong external id", "guess-1234", alice},
		{"caller lacks sts:AssumeRole", "shared-secret-42", mallory},
	} {
		_, err := assume(tc.client, tc.externalID)
		if msg := apiError(t, err, "AccessDenied"); !strings.Contains(msg, "sts:AssumeRole on resource: "+roleARN) {
			t.Errorf("%s: message %q", tc.name, msg)
		}
	}
	out, err := assume(alice, "shared-secret-42")
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::222222222222:assumed-role/deployer/deploy" {
		t.Errorf("assumed role ARN %s", got)
	}
	if id := aws.ToString(out.Credentials.AccessKeyId); !strings.HasPrefix(id, "ASIA") || len(id) != 20 {
		t.Errorf("temporary key id %q", id)
	}
	session := withKeys(c.config("data-science"), aws.ToString(out.Credentials.AccessKeyId),
		aws.ToString(out.Credentials.SecretAccessKey), aws.ToString(out.Credentials.SessionToken))
	who, err := sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(who.Account) != "222222222222" || !strings.HasSuffix(aws.ToString(who.UserId), ":deploy") {
		t.Errorf("session identity %s %s", aws.ToString(who.Account), aws.ToString(who.UserId))
	}
	if _, err := iam.NewFromConfig(session).ListRoles(ctx, &iam.ListRolesInput{}); err != nil {
		t.Errorf("session ListRoles: %v", err)
	}
	_, err = iam.NewFromConfig(session).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("nope")})
	if msg := apiError(t, err, "AccessDenied"); !strings.HasPrefix(msg, "User: arn:aws:sts::222222222222:assumed-role/deployer/deploy is not authorized to perform: iam:CreateUser") {
		t.Errorf("session denial: %s", msg)
	}
	// A wrong session token is refused.
	bad := withKeys(c.config("data-science"), aws.ToString(out.Credentials.AccessKeyId),
		aws.ToString(out.Credentials.SecretAccessKey), "forged")
	_, err = sts.NewFromConfig(bad).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	apiError(t, err, "InvalidClientTokenId")
}

func TestSessionPolicyTagsAndDuration(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	admin := iam.NewFromConfig(c.config("data-science"))
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`
	role, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("worker"), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("worker"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:ListUsers","iam:GetRole"],"Resource":"*",
			"Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"}}}]}`)}); err != nil {
		t.Fatal(err)
	}
	rootSTS := sts.NewFromConfig(c.config("data-science"))
	// Longer than the role allows.
	_, err = rootSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(7200)})
	if msg := apiError(t, err, "ValidationError"); !strings.Contains(msg, "MaxSessionDuration") {
		t.Errorf("duration message: %s", msg)
	}
	out, err := rootSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("tagged"),
		Tags:   []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}},
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}`)})
	if err != nil {
		t.Fatalf("AssumeRole with tags and session policy: %v", err)
	}
	session := iam.NewFromConfig(withKeys(c.config("data-science"), aws.ToString(out.Credentials.AccessKeyId),
		aws.ToString(out.Credentials.SecretAccessKey), aws.ToString(out.Credentials.SessionToken)))
	if _, err := session.ListRoles(ctx, &iam.ListRolesInput{}); err != nil {
		t.Errorf("ListRoles (role policy with principal tag, session policy allow): %v", err)
	}
	_, err = session.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("worker")})
	if msg := apiError(t, err, "AccessDenied"); !strings.Contains(msg, "because no session policy allows the iam:GetRole action") {
		t.Errorf("session policy denial: %s", msg)
	}
	// Without the tag the role's policy does not apply.
	plain, err := rootSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("plain")})
	if err != nil {
		t.Fatal(err)
	}
	untagged := iam.NewFromConfig(withKeys(c.config("data-science"), aws.ToString(plain.Credentials.AccessKeyId),
		aws.ToString(plain.Credentials.SecretAccessKey), aws.ToString(plain.Credentials.SessionToken)))
	_, err = untagged.ListRoles(ctx, &iam.ListRolesInput{})
	apiError(t, err, "AccessDenied")
}

func TestExpiredSessionCredentialsRejected(t *testing.T) {
	clk := &clock{}
	c := start(t, startOptions{Config: accountsYAML, Clock: clk})
	ctx := context.Background()
	admin := iam.NewFromConfig(c.config("data-science"))
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}`
	role, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("brief"), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := sts.NewFromConfig(c.config("data-science")).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn,
		RoleSessionName: aws.String("brief"), DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := withKeys(c.config("data-science"), aws.ToString(out.Credentials.AccessKeyId),
		aws.ToString(out.Credentials.SecretAccessKey), aws.ToString(out.Credentials.SessionToken))
	client := sts.NewFromConfig(cfg, func(o *sts.Options) {
		o.HTTPSignerV4 = shiftedSigner{clock: clk, signer: v4.NewSigner()}
		o.RetryMaxAttempts = 1
	})
	if _, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("fresh session: %v", err)
	}
	clk.Advance(16 * time.Minute)
	_, err = client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if msg := apiError(t, err, "ExpiredToken"); msg != "The security token included in the request is expired" {
		t.Errorf("message %q", msg)
	}
}

// The trust policy must allow the caller whatever the caller's own policies say: even an
// account's root user cannot assume a role that trusts only a service.
func TestAssumeRoleNeedsTrust(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	roleARN := pipelineRole(t, c, "data-science", "service-only", fullPipelinePolicy)
	_, err := sts.NewFromConfig(c.config("data-science")).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("root")})
	if msg := apiError(t, err, "AccessDenied"); !strings.Contains(msg, "sts:AssumeRole on resource: "+roleARN) {
		t.Errorf("message %q", msg)
	}
	admin := newUser(t, c, "data-science", "admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	_, err = sts.NewFromConfig(admin).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("admin")})
	apiError(t, err, "AccessDenied")
	_, err = sts.NewFromConfig(admin).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/missing"), RoleSessionName: aws.String("admin")})
	apiError(t, err, "AccessDenied")
}

// DeleteObjects authorizes each key: denied keys come back as AccessDenied errors while the
// others are deleted.
func TestDeleteObjectsAuthorizesEachKey(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	putObjects(t, c.config("data-science"), "per-key", map[string]string{"tmp/a": "1", "keep/b": "2"})
	user := newUser(t, c, "data-science", "cleaner", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"},
		{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::per-key/tmp/*"}]}`)
	out, err := s3Client(user).DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("per-key"), Delete: &s3types.Delete{
		Objects: []s3types.ObjectIdentifier{{Key: aws.String("tmp/a")}, {Key: aws.String("keep/b")}}}})
	if err != nil {
		t.Fatalf("DeleteObjects: %v", err)
	}
	if len(out.Deleted) != 1 || aws.ToString(out.Deleted[0].Key) != "tmp/a" {
		t.Errorf("deleted %+v", out.Deleted)
	}
	if len(out.Errors) != 1 || aws.ToString(out.Errors[0].Key) != "keep/b" || aws.ToString(out.Errors[0].Code) != "AccessDenied" {
		t.Errorf("errors %+v", out.Errors)
	}
	if v := getObject(t, c.config("data-science"), "per-key", "keep/b"); v != "2" {
		t.Errorf("keep/b = %q", v)
	}
}
