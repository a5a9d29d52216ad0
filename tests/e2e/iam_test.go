package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// iamClient is an IAM client for profile.
func iamClient(c *cairn, profile string) *iam.Client {
	return iam.NewFromConfig(c.config(profile))
}

// iamWantError checks that err is the AWS error code with the HTTP status and, when
// message is not empty, that its message contains message.
func iamWantError(t *testing.T, err error, status int, code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want API error %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("got error %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Errorf("%s: got HTTP %d, want %d", code, re.HTTPStatusCode(), status)
	}
	if message != "" && !strings.Contains(ae.ErrorMessage(), message) {
		t.Errorf("%s message %q does not contain %q", code, ae.ErrorMessage(), message)
	}
}

// iamMust returns v, failing the test on err: iamMust(cl.GetUser(ctx, in))(t).
func iamMust[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// iamDecode URL-decodes a policy document as IAM returns it.
func iamDecode(t *testing.T, doc *string) string {
	t.Helper()
	s, err := url.QueryUnescape(aws.ToString(doc))
	if err != nil {
		t.Fatalf("document %q is not URL-encoded: %v", aws.ToString(doc), err)
	}
	return s
}

const iamS3ReadPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]
}`

func TestIAMUsers(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()

	out := iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/engineering/"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ml")}}}))(t)
	u := out.User
	if aws.ToString(u.Arn) != "arn:aws:iam::000000000000:user/engineering/alice" || aws.ToString(u.Path) != "/engineering/" {
		t.Errorf("user ARN %s path %s", aws.ToString(u.Arn), aws.ToString(u.Path))
	}
	if id := aws.ToString(u.UserId); len(id) != 21 || !strings.HasPrefix(id, "AIDA") || strings.ToUpper(id) != id {
		t.Errorf("user id %q", id)
	}
	if u.CreateDate == nil || u.CreateDate.IsZero() {
		t.Error("no CreateDate")
	}

	_, err := cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ALICE")})
	iamWantError(t, err, 409, "EntityAlreadyExists", "User with name ALICE already exists.")
	_, err = cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bad name!")})
	iamWantError(t, err, 400, "ValidationError", "at 'userName' failed to satisfy constraint")
	_, err = cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x"), Path: aws.String("nope")})
	iamWantError(t, err, 400, "ValidationError", "'path'")

	got := iamMust(cl.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")}))(t).User
	if aws.ToString(got.UserId) != aws.ToString(u.UserId) || len(got.Tags) != 1 || aws.ToString(got.Tags[0].Value) != "ml" {
		t.Errorf("GetUser = %+v", got)
	}
	root := iamMust(cl.GetUser(ctx, &iam.GetUserInput{}))(t).User
	if aws.ToString(root.Arn) != "arn:aws:iam::000000000000:root" || aws.ToString(root.UserId) != "000000000000" {
		t.Errorf("GetUser as root = %s %s", aws.ToString(root.Arn), aws.ToString(root.UserId))
	}
	_, err = cl.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	iamWantError(t, err, 404, "NoSuchEntity", "The user with name nobody cannot be found.")

	for i := 0; i < 5; i++ {
		iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user-%d", i))}))(t)
	}
	first := iamMust(cl.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(2)}))(t)
	if !first.IsTruncated || len(first.Users) != 2 || first.Marker == nil {
		t.Fatalf("first page: truncated %v, %d users", first.IsTruncated, len(first.Users))
	}
	var names []string
	p := iam.NewListUsersPaginator(cl, &iam.ListUsersInput{MaxItems: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		page := iamMust(p.NextPage(ctx))(t)
		pages++
		for _, u := range page.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	if pages != 3 || len(names) != 6 || !sort.StringsAreSorted(names) {
		t.Errorf("paged %d pages: %v", pages, names)
	}
	eng := iamMust(cl.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/engineering")}))(t)
	if len(eng.Users) != 1 || aws.ToString(eng.Users[0].UserName) != "alice" || eng.IsTruncated {
		t.Errorf("path prefix: %+v", eng.Users)
	}

	iamMust(cl.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("alicia"), NewPath: aws.String("/")}))(t)
	_, err = cl.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
	iamWantError(t, err, 404, "NoSuchEntity", "")
	renamed := iamMust(cl.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alicia")}))(t).User
	if aws.ToString(renamed.Arn) != "arn:aws:iam::000000000000:user/alicia" || aws.ToString(renamed.UserId) != aws.ToString(u.UserId) {
		t.Errorf("renamed user %s %s", aws.ToString(renamed.Arn), aws.ToString(renamed.UserId))
	}
	_, err = cl.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alicia"), NewUserName: aws.String("user-1")})
	iamWantError(t, err, 409, "EntityAlreadyExists", "")

	iamMust(cl.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alicia")}))(t)
	_, err = cl.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alicia")})
	iamWantError(t, err, 404, "NoSuchEntity", "")
}

func TestIAMUserDeleteConflicts(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()
	user := aws.String("bob")
	iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: user}))(t)
	iamMust(cl.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}))(t)

	key := iamMust(cl.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: user}))(t).AccessKey
	_, err := cl.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete entity, must delete access keys first.")
	iamMust(cl.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: user, AccessKeyId: key.AccessKeyId}))(t)

	iamMust(cl.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: user, PolicyName: aws.String("read"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t)
	_, err = cl.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	iamMust(cl.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: user, PolicyName: aws.String("read")}))(t)

	admin := aws.String("arn:aws:iam::aws:policy/AdministratorAccess")
	iamMust(cl.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: user, PolicyArn: admin}))(t)
	_, err = cl.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	iamMust(cl.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: user, PolicyArn: admin}))(t)

	iamMust(cl.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: user, GroupName: aws.String("devs")}))(t)
	_, err = cl.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete entity, must remove users from group first.")
	iamMust(cl.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: user, GroupName: aws.String("devs")}))(t)

	iamMust(cl.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user}))(t)
}

func TestIAMGroups(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()
	g := iamMust(cl.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("analysts"), Path: aws.String("/data/")}))(t).Group
	if aws.ToString(g.Arn) != "arn:aws:iam::000000000000:group/data/analysts" || !strings.HasPrefix(aws.ToString(g.GroupId), "AGPA") {
		t.Errorf("group %s %s", aws.ToString(g.Arn), aws.ToString(g.GroupId))
	}
	_, err := cl.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("Analysts")})
	iamWantError(t, err, 409, "EntityAlreadyExists", "Group with name Analysts already exists.")
	iamMust(cl.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admins")}))(t)
	for _, name := range []string{"ann", "ben", "cat"} {
		iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))(t)
		iamMust(cl.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("analysts"), UserName: aws.String(name)}))(t)
	}
	iamMust(cl.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admins"), UserName: aws.String("ann")}))(t)
	_, err = cl.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admins"), UserName: aws.String("zed")})
	iamWantError(t, err, 404, "NoSuchEntity", "The user with name zed cannot be found.")
	_, err = cl.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("nope"), UserName: aws.String("ann")})
	iamWantError(t, err, 404, "NoSuchEntity", "The group with name nope cannot be found.")

	got := iamMust(cl.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("analysts"), MaxItems: aws.Int32(2)}))(t)
	if aws.ToString(got.Group.GroupName) != "analysts" || len(got.Users) != 2 || !got.IsTruncated {
		t.Fatalf("GetGroup page 1: %d users, truncated %v", len(got.Users), got.IsTruncated)
	}
	rest := iamMust(cl.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("analysts"), Marker: got.Marker}))(t)
	if len(rest.Users) != 1 || rest.IsTruncated || aws.ToString(rest.Users[0].UserName) != "cat" {
		t.Errorf("GetGroup page 2: %+v", rest.Users)
	}

	forAnn := iamMust(cl.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("ann")}))(t)
	if len(forAnn.Groups) != 2 {
		t.Errorf("ann's groups: %d", len(forAnn.Groups))
	}
	all := iamMust(cl.ListGroups(ctx, &iam.ListGroupsInput{}))(t)
	if len(all.Groups) != 2 || aws.ToString(all.Groups[0].GroupName) != "admins" {
		t.Errorf("ListGroups: %+v", all.Groups)
	}
	data := iamMust(cl.ListGroups(ctx, &iam.ListGroupsInput{PathPrefix: aws.String("/data/")}))(t)
	if len(data.Groups) != 1 {
		t.Errorf("ListGroups /data/: %d", len(data.Groups))
	}

	_, err = cl.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("admins")})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete entity, must remove users from group first.")
	iamMust(cl.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("admins"), UserName: aws.String("ann")}))(t)
	_, err = cl.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("admins"), UserName: aws.String("ann")})
	iamWantError(t, err, 404, "NoSuchEntity", "")
	iamMust(cl.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("admins"), PolicyName: aws.String("p"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t)
	_, err = cl.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("admins")})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	iamMust(cl.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("admins"), PolicyName: aws.String("p")}))(t)
	iamMust(cl.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("admins")}))(t)
	_, err = cl.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("admins")})
	iamWantError(t, err, 404, "NoSuchEntity", "")
	if n := len(iamMust(cl.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("ann")}))(t).Groups); n != 1 {
		t.Errorf("ann's groups after delete: %d", n)
	}
}

func TestIAMAccessKeys(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()
	user := aws.String("deployer")
	iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: user}))(t)

	var keys []*types.AccessKey
	for i := 0; i < 2; i++ {
		k := iamMust(cl.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: user}))(t).AccessKey
		if id := aws.ToString(k.AccessKeyId); len(id) != 20 || !strings.HasPrefix(id, "AKIA") || len(aws.ToString(k.SecretAccessKey)) != 40 ||
			k.Status != types.StatusTypeActive || aws.ToString(k.UserName) != "deployer" {
			t.Errorf("key %+v", k)
		}
		keys = append(keys, k)
	}
	_, err := cl.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: user})
	iamWantError(t, err, 409, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
	_, err = cl.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ghost")})
	iamWantError(t, err, 404, "NoSuchEntity", "")

	list := iamMust(cl.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: user}))(t)
	if len(list.AccessKeyMetadata) != 2 {
		t.Fatalf("ListAccessKeys: %d", len(list.AccessKeyMetadata))
	}

	// The new key signs requests; deactivated, it no longer does.
	cfg := c.config("management")
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(keys[0].AccessKeyId), aws.ToString(keys[0].SecretAccessKey), "")
	who := iamMust(sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if aws.ToString(who.Arn) != "arn:aws:iam::000000000000:user/deployer" {
		t.Errorf("caller %s", aws.ToString(who.Arn))
	}
	iamMust(cl.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: user, AccessKeyId: keys[0].AccessKeyId, Status: types.StatusTypeInactive}))(t)
	list = iamMust(cl.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: user}))(t)
	for _, m := range list.AccessKeyMetadata {
		want := types.StatusTypeActive
		if aws.ToString(m.AccessKeyId) == aws.ToString(keys[0].AccessKeyId) {
			want = types.StatusTypeInactive
		}
		if m.Status != want {
			t.Errorf("key %s status %s, want %s", aws.ToString(m.AccessKeyId), m.Status, want)
		}
	}
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(keys[0].AccessKeyId), aws.ToString(keys[0].SecretAccessKey), "")
	_, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	iamWantError(t, err, 403, "InvalidClientTokenId", "")

	_, err = cl.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: user, AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE"), Status: types.StatusTypeInactive})
	iamWantError(t, err, 404, "NoSuchEntity", "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.")
	iamMust(cl.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: user, AccessKeyId: keys[0].AccessKeyId}))(t)
	_, err = cl.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: user, AccessKeyId: keys[0].AccessKeyId})
	iamWantError(t, err, 404, "NoSuchEntity", "")

	// Without UserName the root user manages its own keys.
	rootKeys := iamMust(cl.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))(t)
	if len(rootKeys.AccessKeyMetadata) != 1 {
		t.Fatalf("root keys: %d", len(rootKeys.AccessKeyMetadata))
	}
	rk := iamMust(cl.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))(t).AccessKey
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(rk.AccessKeyId), aws.ToString(rk.SecretAccessKey), "")
	who = iamMust(sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if aws.ToString(who.Arn) != "arn:aws:iam::000000000000:root" {
		t.Errorf("new root key belongs to %s", aws.ToString(who.Arn))
	}
	_, err = cl.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	iamWantError(t, err, 409, "LimitExceeded", "")
	iamMust(cl.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: rk.AccessKeyId}))(t)
	// A user's key is not the root's.
	_, err = cl.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: keys[1].AccessKeyId})
	iamWantError(t, err, 404, "NoSuchEntity", "")
}

func TestIAMAccountIsolation(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	ds, platform := iamClient(c, "data-science"), iamClient(c, "platform")
	u := iamMust(ds.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("scientist")}))(t).User
	if aws.ToString(u.Arn) != "arn:aws:iam::111111111111:user/scientist" {
		t.Errorf("ARN %s", aws.ToString(u.Arn))
	}
	pol := iamMust(ds.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t).Policy
	_, err := platform.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("scientist")})
	iamWantError(t, err, 404, "NoSuchEntity", "")
	if n := len(iamMust(platform.ListUsers(ctx, &iam.ListUsersInput{}))(t).Users); n != 0 {
		t.Errorf("platform sees %d users", n)
	}
	if n := len(iamMust(platform.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}))(t).Policies); n != 0 {
		t.Errorf("platform sees %d local policies", n)
	}
	_, err = platform.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: pol.Arn})
	if err == nil {
		t.Error("platform reads data-science's policy")
	}
	// The same name is free in another account.
	iamMust(platform.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("scientist")}))(t)
}
