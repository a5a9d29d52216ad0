package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const iamSageMakerTrust = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
  ]
}`

func TestIAMRoles(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()

	r := iamMust(cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("pipeline"), Path: aws.String("/service/"),
		AssumeRolePolicyDocument: aws.String(iamSageMakerTrust), Description: aws.String("runs pipelines"),
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}))(t).Role
	if aws.ToString(r.Arn) != "arn:aws:iam::000000000000:role/service/pipeline" || aws.ToInt32(r.MaxSessionDuration) != 3600 {
		t.Errorf("role %s max %d", aws.ToString(r.Arn), aws.ToInt32(r.MaxSessionDuration))
	}
	if id := aws.ToString(r.RoleId); len(id) != 21 || !strings.HasPrefix(id, "AROA") {
		t.Errorf("role id %q", id)
	}
	if got := iamDecode(t, r.AssumeRolePolicyDocument); got != iamSageMakerTrust {
		t.Errorf("CreateRole trust policy round trip:\n%s", got)
	}

	got := iamMust(cl.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("pipeline")}))(t).Role
	if iamDecode(t, got.AssumeRolePolicyDocument) != iamSageMakerTrust || aws.ToString(got.Description) != "runs pipelines" ||
		len(got.Tags) != 1 || got.RoleLastUsed == nil || got.RoleLastUsed.LastUsedDate != nil {
		t.Errorf("GetRole = %+v", got)
	}
	if raw := aws.ToString(got.AssumeRolePolicyDocument); strings.ContainsAny(raw, "{\" +") {
		t.Errorf("trust policy is not URL-encoded: %s", raw)
	}

	_, err := cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("PIPELINE"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust)})
	iamWantError(t, err, 409, "EntityAlreadyExists", "Role with name PIPELINE already exists.")
	_, err = cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad"), AssumeRolePolicyDocument: aws.String(iamS3ReadPolicy)})
	iamWantError(t, err, 400, "MalformedPolicyDocument", "")
	_, err = cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad"), AssumeRolePolicyDocument: aws.String("{not json")})
	iamWantError(t, err, 400, "MalformedPolicyDocument", "")
	_, err = cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("short"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust),
		MaxSessionDuration: aws.Int32(100)})
	iamWantError(t, err, 400, "ValidationError", "at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600")
	_, err = cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust),
		PermissionsBoundary: aws.String("arn:aws:iam::000000000000:policy/missing")})
	iamWantError(t, err, 404, "NoSuchEntity", "does not exist or is not attachable")

	iamMust(cl.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("pipeline"), MaxSessionDuration: aws.Int32(43200), Description: aws.String("new")}))(t)
	trust2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"a+b c&d=e"}}}]}`
	iamMust(cl.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("pipeline"), PolicyDocument: aws.String(trust2)}))(t)
	_, err = cl.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("pipeline"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`)})
	iamWantError(t, err, 400, "MalformedPolicyDocument", "")
	got = iamMust(cl.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("pipeline")}))(t).Role
	if aws.ToInt32(got.MaxSessionDuration) != 43200 || aws.ToString(got.Description) != "new" || iamDecode(t, got.AssumeRolePolicyDocument) != trust2 {
		t.Errorf("after update: %d %q %s", aws.ToInt32(got.MaxSessionDuration), aws.ToString(got.Description), iamDecode(t, got.AssumeRolePolicyDocument))
	}
	_, err = cl.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("pipeline"), MaxSessionDuration: aws.Int32(50000)})
	iamWantError(t, err, 400, "ValidationError", "less than or equal to 43200")
	_, err = cl.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("nope")})
	iamWantError(t, err, 404, "NoSuchEntity", "The role with name nope cannot be found.")

	for i := 0; i < 3; i++ {
		iamMust(cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(fmt.Sprintf("r%d", i)), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust)}))(t)
	}
	var names []string
	for p := iam.NewListRolesPaginator(cl, &iam.ListRolesInput{MaxItems: aws.Int32(3)}); p.HasMorePages(); {
		for _, r := range iamMust(p.NextPage(ctx))(t).Roles {
			names = append(names, aws.ToString(r.RoleName))
			if r.AssumeRolePolicyDocument == nil {
				t.Errorf("ListRoles leaves out the trust policy of %s", aws.ToString(r.RoleName))
			}
		}
	}
	if strings.Join(names, ",") != "pipeline,r0,r1,r2" {
		t.Errorf("ListRoles: %v", names)
	}
	if n := len(iamMust(cl.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/service/")}))(t).Roles); n != 1 {
		t.Errorf("ListRoles /service/: %d", n)
	}

	// Tags.
	iamMust(cl.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("pipeline"), Tags: []types.Tag{
		{Key: aws.String("ENV"), Value: aws.String("prod")}, {Key: aws.String("owner"), Value: aws.String("ml")}}}))(t)
	tags := iamMust(cl.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("pipeline")}))(t).Tags
	if len(tags) != 2 || aws.ToString(tags[0].Key) != "ENV" || aws.ToString(tags[0].Value) != "prod" {
		t.Errorf("tags after TagRole: %+v", tags)
	}
	_, err = cl.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("pipeline"), Tags: []types.Tag{
		{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("A"), Value: aws.String("2")}}})
	iamWantError(t, err, 400, "InvalidInput", "Duplicate tag keys found.")
	many := make([]types.Tag, 49)
	for i := range many {
		many[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")}
	}
	_, err = cl.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("pipeline"), Tags: many})
	iamWantError(t, err, 409, "LimitExceeded", "")
	_, err = cl.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("pipeline"), Tags: []types.Tag{{Key: aws.String(strings.Repeat("k", 129)), Value: aws.String("v")}}})
	iamWantError(t, err, 400, "ValidationError", "tags.1.member.key")
	iamMust(cl.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("pipeline"), TagKeys: []string{"env", "missing"}}))(t)
	tags = iamMust(cl.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("pipeline")}))(t).Tags
	if len(tags) != 1 || aws.ToString(tags[0].Key) != "owner" {
		t.Errorf("tags after UntagRole: %+v", tags)
	}

	// Policies block deletion.
	iamMust(cl.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("pipeline"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")}))(t)
	_, err = cl.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("pipeline")})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	iamMust(cl.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("pipeline"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")}))(t)
	iamMust(cl.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("pipeline"), PolicyName: aws.String("s3"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t)
	_, err = cl.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("pipeline")})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	iamMust(cl.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("pipeline"), PolicyName: aws.String("s3")}))(t)
	iamMust(cl.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("pipeline")}))(t)
	_, err = cl.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("pipeline")})
	iamWantError(t, err, 404, "NoSuchEntity", "")
}

func TestIAMInlinePolicies(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()
	iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))(t)
	iamMust(cl.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")}))(t)
	iamMust(cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust)}))(t)

	// Characters a URL encoding must survive: spaces, '+', '&', '=', '%', '/', newlines,
	// tabs and non-ASCII text.
	doc := "{\n\t\"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"Odd\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\",\n" +
		"    \"Resource\": \"arn:aws:s3:::bucket/a+b c&d=e%20/ünïcødé/*\"}]\n}"
	iamMust(cl.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("odd"), PolicyDocument: aws.String(doc)}))(t)
	iamMust(cl.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("odd"), PolicyDocument: aws.String(doc)}))(t)
	iamMust(cl.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("odd"), PolicyDocument: aws.String(doc)}))(t)

	u := iamMust(cl.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("odd")}))(t)
	g := iamMust(cl.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("odd")}))(t)
	r := iamMust(cl.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("odd")}))(t)
	for name, got := range map[string]*string{"user": u.PolicyDocument, "group": g.PolicyDocument, "role": r.PolicyDocument} {
		if d := iamDecode(t, got); d != doc {
			t.Errorf("%s policy round trip:\n got %q\nwant %q", name, d, doc)
		}
	}
	if aws.ToString(u.UserName) != "u" || aws.ToString(g.GroupName) != "g" || aws.ToString(r.RoleName) != "r" {
		t.Errorf("names: %s %s %s", aws.ToString(u.UserName), aws.ToString(g.GroupName), aws.ToString(r.RoleName))
	}

	// Replacing keeps one policy; a second name adds one.
	iamMust(cl.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("odd"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t)
	iamMust(cl.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("another"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t)
	names := iamMust(cl.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("u")}))(t).PolicyNames
	if strings.Join(names, ",") != "another,odd" {
		t.Errorf("ListUserPolicies: %v", names)
	}
	page := iamMust(cl.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("u"), MaxItems: aws.Int32(1)}))(t)
	if len(page.PolicyNames) != 1 || !page.IsTruncated {
		t.Errorf("ListUserPolicies page: %+v", page)
	}
	if n := len(iamMust(cl.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("g")}))(t).PolicyNames); n != 1 {
		t.Errorf("ListGroupPolicies: %d", n)
	}
	if n := len(iamMust(cl.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("r")}))(t).PolicyNames); n != 1 {
		t.Errorf("ListRolePolicies: %d", n)
	}

	_, err := cl.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("bad"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Principal":"*"}]}`)})
	iamWantError(t, err, 400, "MalformedPolicyDocument", "Policy document should not specify a principal.")
	_, err = cl.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("huge"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("x", 2100) + `"}]}`)})
	iamWantError(t, err, 409, "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user u")
	_, err = cl.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("nobody"), PolicyName: aws.String("p"), PolicyDocument: aws.String(iamS3ReadPolicy)})
	iamWantError(t, err, 404, "NoSuchEntity", "The user with name nobody cannot be found.")
	_, err = cl.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("missing")})
	iamWantError(t, err, 404, "NoSuchEntity", "The role policy with name missing cannot be found.")

	iamMust(cl.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("odd")}))(t)
	iamMust(cl.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("odd")}))(t)
	iamMust(cl.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("odd")}))(t)
	_, err = cl.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("odd")})
	iamWantError(t, err, 404, "NoSuchEntity", "The user policy with name odd cannot be found.")
}

func TestIAMPermissionsBoundaries(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()
	s3ro := aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
	local := iamMust(cl.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("boundary"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t).Policy

	iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u"), PermissionsBoundary: s3ro}))(t)
	iamMust(cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust)}))(t)
	iamMust(cl.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("r"), PermissionsBoundary: local.Arn}))(t)

	u := iamMust(cl.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u")}))(t).User
	if u.PermissionsBoundary == nil || aws.ToString(u.PermissionsBoundary.PermissionsBoundaryArn) != aws.ToString(s3ro) ||
		u.PermissionsBoundary.PermissionsBoundaryType != types.PermissionsBoundaryAttachmentTypePolicy {
		t.Errorf("user boundary %+v", u.PermissionsBoundary)
	}
	r := iamMust(cl.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")}))(t).Role
	if r.PermissionsBoundary == nil || aws.ToString(r.PermissionsBoundary.PermissionsBoundaryArn) != aws.ToString(local.Arn) {
		t.Errorf("role boundary %+v", r.PermissionsBoundary)
	}
	p := iamMust(cl.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: local.Arn}))(t).Policy
	if aws.ToInt32(p.PermissionsBoundaryUsageCount) != 1 || aws.ToInt32(p.AttachmentCount) != 0 {
		t.Errorf("usage: boundary %d attachments %d", aws.ToInt32(p.PermissionsBoundaryUsageCount), aws.ToInt32(p.AttachmentCount))
	}
	used := iamMust(cl.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true, PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary}))(t).Policies
	if len(used) != 2 {
		t.Errorf("policies used as boundaries: %d", len(used))
	}
	ents := iamMust(cl.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: local.Arn, PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary}))(t)
	if len(ents.PolicyRoles) != 1 || aws.ToString(ents.PolicyRoles[0].RoleName) != "r" {
		t.Errorf("entities with boundary: %+v", ents.PolicyRoles)
	}
	_, err := cl.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: local.Arn})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete a policy attached to entities.")

	_, err = cl.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u"),
		PermissionsBoundary: aws.String("arn:aws:iam::000000000000:policy/missing")})
	iamWantError(t, err, 404, "NoSuchEntity", "")
	_, err = cl.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u"),
		PermissionsBoundary: aws.String("not-an-arn-at-all-really")})
	iamWantError(t, err, 400, "InvalidInput", "")

	iamMust(cl.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("u")}))(t)
	iamMust(cl.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("r")}))(t)
	u = iamMust(cl.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u")}))(t).User
	if u.PermissionsBoundary != nil {
		t.Errorf("boundary left: %+v", u.PermissionsBoundary)
	}
	iamMust(cl.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: local.Arn}))(t)
}
