package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func iamDocWithSid(sid string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"` + sid + `","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
}

func TestIAMManagedPolicies(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()

	pol := iamMust(cl.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("reader"), Path: aws.String("/team/"),
		PolicyDocument: aws.String(iamS3ReadPolicy), Description: aws.String("reads S3"),
		Tags: []types.Tag{{Key: aws.String("cost"), Value: aws.String("42")}}}))(t).Policy
	arn := pol.Arn
	if aws.ToString(arn) != "arn:aws:iam::000000000000:policy/team/reader" || aws.ToString(pol.DefaultVersionId) != "v1" ||
		!strings.HasPrefix(aws.ToString(pol.PolicyId), "ANPA") || !pol.IsAttachable {
		t.Errorf("policy %+v", pol)
	}
	_, err := cl.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("READER"), PolicyDocument: aws.String(iamS3ReadPolicy)})
	iamWantError(t, err, 409, "EntityAlreadyExists", "A policy called READER already exists. Duplicate names are not allowed.")
	_, err = cl.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Alow","Action":"s3:*","Resource":"*"}]}`)})
	iamWantError(t, err, 400, "MalformedPolicyDocument", "")
	_, err = cl.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String(iamS3ReadPolicy), Path: aws.String("team")})
	iamWantError(t, err, 400, "ValidationError", "'path'")

	got := iamMust(cl.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn}))(t).Policy
	if aws.ToString(got.Description) != "reads S3" || len(got.Tags) != 1 || aws.ToInt32(got.AttachmentCount) != 0 {
		t.Errorf("GetPolicy %+v", got)
	}
	_, err = cl.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::000000000000:policy/missing")})
	iamWantError(t, err, 404, "NoSuchEntity", "Policy arn:aws:iam::000000000000:policy/missing was not found.")
	_, err = cl.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:s3:::not-a-policy-arn")})
	iamWantError(t, err, 400, "InvalidInput", "")
	v1 := iamMust(cl.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")}))(t).PolicyVersion
	if iamDecode(t, v1.Document) != iamS3ReadPolicy || !v1.IsDefaultVersion {
		t.Errorf("v1 = %+v", v1)
	}

	// Versions: at most five; the default cannot be deleted.
	for i := 2; i <= 5; i++ {
		v := iamMust(cl.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn,
			PolicyDocument: aws.String(iamDocWithSid(fmt.Sprintf("V%d", i))), SetAsDefault: i == 3}))(t).PolicyVersion
		if aws.ToString(v.VersionId) != fmt.Sprintf("v%d", i) || v.IsDefaultVersion != (i == 3) {
			t.Errorf("version %d: %+v", i, v)
		}
	}
	_, err = cl.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(iamS3ReadPolicy)})
	iamWantError(t, err, 409, "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	if d := aws.ToString(iamMust(cl.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn}))(t).Policy.DefaultVersionId); d != "v3" {
		t.Errorf("default version %s, want v3", d)
	}
	_, err = cl.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v3")})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete the default version of a policy.")
	iamMust(cl.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v5")}))(t)
	iamMust(cl.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v3")}))(t)
	_, err = cl.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v3")})
	iamWantError(t, err, 404, "NoSuchEntity", "")
	_, err = cl.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v9")})
	iamWantError(t, err, 404, "NoSuchEntity", "")
	_, err = cl.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("version1")})
	iamWantError(t, err, 400, "ValidationError", "versionId")
	v6 := iamMust(cl.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(iamS3ReadPolicy)}))(t).PolicyVersion
	if aws.ToString(v6.VersionId) != "v6" {
		t.Errorf("version numbers are reused: %s", aws.ToString(v6.VersionId))
	}
	versions := iamMust(cl.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: arn}))(t).Versions
	var ids []string
	for _, v := range versions {
		ids = append(ids, aws.ToString(v.VersionId))
		if v.IsDefaultVersion != (aws.ToString(v.VersionId) == "v5") {
			t.Errorf("version %s default %v", aws.ToString(v.VersionId), v.IsDefaultVersion)
		}
	}
	if strings.Join(ids, ",") != "v6,v5,v4,v2,v1" {
		t.Errorf("ListPolicyVersions: %v", ids)
	}

	// Attachments and their counts.
	iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))(t)
	iamMust(cl.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")}))(t)
	iamMust(cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust)}))(t)
	iamMust(cl.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: arn}))(t)
	iamMust(cl.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: arn}))(t)
	iamMust(cl.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: arn}))(t)
	iamMust(cl.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: arn}))(t)
	if n := aws.ToInt32(iamMust(cl.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn}))(t).Policy.AttachmentCount); n != 3 {
		t.Errorf("AttachmentCount %d, want 3", n)
	}
	missing := "arn:aws:iam::000000000000:policy/nothing"
	_, err = cl.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(missing)})
	iamWantError(t, err, 404, "NoSuchEntity", "Policy "+missing+" does not exist or is not attachable.")
	_, err = cl.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("nobody"), PolicyArn: arn})
	iamWantError(t, err, 404, "NoSuchEntity", "The role with name nobody cannot be found.")

	attached := iamMust(cl.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("u")}))(t).AttachedPolicies
	if len(attached) != 1 || aws.ToString(attached[0].PolicyName) != "reader" || aws.ToString(attached[0].PolicyArn) != aws.ToString(arn) {
		t.Errorf("ListAttachedUserPolicies %+v", attached)
	}
	if n := len(iamMust(cl.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("g"), PathPrefix: aws.String("/other/")}))(t).AttachedPolicies); n != 0 {
		t.Errorf("ListAttachedGroupPolicies /other/: %d", n)
	}
	if n := len(iamMust(cl.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r"), PathPrefix: aws.String("/team/")}))(t).AttachedPolicies); n != 1 {
		t.Errorf("ListAttachedRolePolicies /team/: %d", n)
	}
	ents := iamMust(cl.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn}))(t)
	if len(ents.PolicyUsers) != 1 || len(ents.PolicyGroups) != 1 || len(ents.PolicyRoles) != 1 ||
		aws.ToString(ents.PolicyRoles[0].RoleName) != "r" || !strings.HasPrefix(aws.ToString(ents.PolicyRoles[0].RoleId), "AROA") {
		t.Errorf("ListEntitiesForPolicy %+v", ents)
	}
	onlyRoles := iamMust(cl.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn, EntityFilter: types.EntityTypeRole}))(t)
	if len(onlyRoles.PolicyUsers) != 0 || len(onlyRoles.PolicyRoles) != 1 {
		t.Errorf("EntityFilter Role: %+v", onlyRoles)
	}

	_, err = cl.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	iamWantError(t, err, 409, "DeleteConflict", "Cannot delete a policy attached to entities.")
	iamMust(cl.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: arn}))(t)
	_, err = cl.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: arn})
	iamWantError(t, err, 404, "NoSuchEntity", "")
	iamMust(cl.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: arn}))(t)
	iamMust(cl.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: arn}))(t)
	_, err = cl.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	iamWantError(t, err, 409, "DeleteConflict", "This policy has more than one version.")
	for _, v := range []string{"v1", "v2", "v4", "v6"} {
		iamMust(cl.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String(v)}))(t)
	}
	iamMust(cl.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn}))(t)
	_, err = cl.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
	iamWantError(t, err, 404, "NoSuchEntity", "")
}

func TestIAMPolicyTagsAndPaging(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()
	var arns []string
	for i := 0; i < 7; i++ {
		p := iamMust(cl.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("p%d", i)), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t).Policy
		arns = append(arns, aws.ToString(p.Arn))
	}
	var seen []string
	pages := 0
	for p := iam.NewListPoliciesPaginator(cl, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, MaxItems: aws.Int32(3)}); p.HasMorePages(); {
		out := iamMust(p.NextPage(ctx))(t)
		pages++
		for _, pol := range out.Policies {
			seen = append(seen, aws.ToString(pol.Arn))
			if pol.Description != nil || len(pol.Tags) != 0 {
				t.Errorf("ListPolicies shows description or tags of %s", aws.ToString(pol.Arn))
			}
		}
	}
	if pages != 3 || strings.Join(seen, ",") != strings.Join(arns, ",") {
		t.Errorf("ListPolicies Local in %d pages: %v", pages, seen)
	}
	_, err := cl.ListPolicies(ctx, &iam.ListPoliciesInput{Marker: aws.String("garbage")})
	iamWantError(t, err, 400, "InvalidInput", "")
	_, err = cl.ListPolicies(ctx, &iam.ListPoliciesInput{MaxItems: aws.Int32(1001)})
	iamWantError(t, err, 400, "ValidationError", "maxItems")

	arn := aws.String(arns[0])
	iamMust(cl.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("")}}}))(t)
	iamMust(cl.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn, Tags: []types.Tag{{Key: aws.String("A"), Value: aws.String("2")}}}))(t)
	tags := iamMust(cl.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn}))(t).Tags
	if len(tags) != 2 || aws.ToString(tags[0].Key) != "A" || aws.ToString(tags[0].Value) != "2" || aws.ToString(tags[1].Value) != "" {
		t.Errorf("policy tags %+v", tags)
	}
	page := iamMust(cl.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn, MaxItems: aws.Int32(1)}))(t)
	next := iamMust(cl.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn, Marker: page.Marker}))(t)
	if !page.IsTruncated || len(next.Tags) != 1 || aws.ToString(next.Tags[0].Key) != "b" || next.IsTruncated {
		t.Errorf("tag pages %+v / %+v", page, next)
	}
	iamMust(cl.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: arn, TagKeys: []string{"a"}}))(t)
	if n := len(iamMust(cl.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn}))(t).Tags); n != 1 {
		t.Errorf("tags after untag: %d", n)
	}

	iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))(t)
	iamMust(cl.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("u"), Tags: []types.Tag{{Key: aws.String("project"), Value: aws.String("x")}}}))(t)
	if tags := iamMust(cl.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("u")}))(t).Tags; len(tags) != 1 {
		t.Errorf("user tags %+v", tags)
	}
	iamMust(cl.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("u"), TagKeys: []string{"PROJECT"}}))(t)
	if tags := iamMust(cl.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("u")}))(t).Tags; len(tags) != 0 {
		t.Errorf("user tags after untag %+v", tags)
	}
	_, err = cl.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("ghost"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	iamWantError(t, err, 404, "NoSuchEntity", "")
}

func TestIAMAWSManagedPolicies(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	names := []string{"AdministratorAccess", "AmazonS3FullAccess", "AmazonS3ReadOnlyAccess", "AmazonSageMakerFullAccess",
		"AmazonSageMakerReadOnly", "ReadOnlyAccess"}
	for _, profile := range []string{"management", "data-science"} {
		cl := iamClient(c, profile)
		var got []string
		for _, p := range iamMust(cl.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws}))(t).Policies {
			got = append(got, aws.ToString(p.PolicyName))
			if !strings.HasPrefix(aws.ToString(p.Arn), "arn:aws:iam::aws:policy/") || !p.IsAttachable {
				t.Errorf("%s: %+v", profile, p)
			}
		}
		if strings.Join(got, ",") != strings.Join(names, ",") {
			t.Errorf("%s: AWS policies %v", profile, got)
		}
	}

	cl := iamClient(c, "data-science")
	admin := aws.String("arn:aws:iam::aws:policy/AdministratorAccess")
	v := iamMust(cl.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: admin, VersionId: aws.String("v1")}))(t).PolicyVersion
	var doc struct {
		Statement []struct{ Effect, Action, Resource string }
	}
	if err := json.Unmarshal([]byte(iamDecode(t, v.Document)), &doc); err != nil || len(doc.Statement) != 1 ||
		doc.Statement[0].Action != "*" || doc.Statement[0].Resource != "*" || doc.Statement[0].Effect != "Allow" {
		t.Errorf("AdministratorAccess document: %v %+v", err, doc)
	}
	sm := iamMust(cl.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"), VersionId: aws.String("v1")}))(t).PolicyVersion
	if d := iamDecode(t, sm.Document); !strings.Contains(d, "iam:PassedToService") || !strings.Contains(d, "sagemaker.amazonaws.com") {
		t.Errorf("AmazonSageMakerFullAccess does not restrict PassRole to SageMaker: %s", d)
	}

	// Member accounts start with OrganizationAccountAccessRole holding AdministratorAccess;
	// counts are taken relative to what the account already uses.
	count := func(profile string) int32 {
		return aws.ToInt32(iamMust(iamClient(c, profile).GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: admin}))(t).Policy.AttachmentCount)
	}
	before, platformBefore := count("data-science"), count("platform")
	iamMust(cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust)}))(t)
	iamMust(cl.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("admin"), PolicyArn: admin}))(t)
	if after := count("data-science"); after != before+1 {
		t.Errorf("AttachmentCount %d after attaching, was %d", after, before)
	}
	if got := count("platform"); got != platformBefore {
		t.Errorf("platform's AttachmentCount moved from %d to %d", platformBefore, got)
	}
	found := false
	for _, p := range iamMust(cl.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true}))(t).Policies {
		found = found || aws.ToString(p.Arn) == aws.ToString(admin)
		if aws.ToInt32(p.AttachmentCount) == 0 && aws.ToInt32(p.PermissionsBoundaryUsageCount) == 0 {
			t.Errorf("OnlyAttached lists unused %s", aws.ToString(p.Arn))
		}
	}
	if !found {
		t.Error("OnlyAttached leaves out AdministratorAccess")
	}
	_, err := cl.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: admin})
	iamWantError(t, err, 403, "AccessDenied", "")
	_, err = cl.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: admin, PolicyDocument: aws.String(iamS3ReadPolicy)})
	iamWantError(t, err, 403, "AccessDenied", "")
	iamMust(cl.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("admin"), PolicyArn: admin}))(t)
}

func TestIAMAccountAuthorizationDetails(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()
	iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}))(t)
	iamMust(cl.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")}))(t)
	iamMust(cl.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("g"), UserName: aws.String("u")}))(t)
	iamMust(cl.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t)
	iamMust(cl.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("gp"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t)
	iamMust(cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust)}))(t)
	iamMust(cl.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("rp"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t)
	local := iamMust(cl.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("local"), PolicyDocument: aws.String(iamS3ReadPolicy)}))(t).Policy
	iamMust(cl.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: local.Arn}))(t)
	iamMust(cl.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")}))(t)

	all := iamMust(cl.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{}))(t)
	if len(all.UserDetailList) != 1 || len(all.GroupDetailList) != 1 || len(all.RoleDetailList) != 1 || len(all.Policies) != 2 {
		t.Fatalf("details: %d users %d groups %d roles %d policies", len(all.UserDetailList), len(all.GroupDetailList), len(all.RoleDetailList), len(all.Policies))
	}
	u := all.UserDetailList[0]
	if len(u.UserPolicyList) != 1 || iamDecode(t, u.UserPolicyList[0].PolicyDocument) != iamS3ReadPolicy ||
		len(u.GroupList) != 1 || u.GroupList[0] != "g" || len(u.AttachedManagedPolicies) != 1 || len(u.Tags) != 1 {
		t.Errorf("user detail %+v", u)
	}
	g := all.GroupDetailList[0]
	if len(g.GroupPolicyList) != 1 || aws.ToString(g.GroupPolicyList[0].PolicyName) != "gp" {
		t.Errorf("group detail %+v", g)
	}
	r := all.RoleDetailList[0]
	if iamDecode(t, r.AssumeRolePolicyDocument) != iamSageMakerTrust || len(r.RolePolicyList) != 1 || len(r.AttachedManagedPolicies) != 1 ||
		r.InstanceProfileList == nil || len(r.InstanceProfileList) != 0 {
		t.Errorf("role detail %+v", r)
	}
	for _, p := range all.Policies {
		if len(p.PolicyVersionList) != 1 || p.PolicyVersionList[0].Document == nil || !p.PolicyVersionList[0].IsDefaultVersion {
			t.Errorf("policy detail %s: %+v", aws.ToString(p.PolicyName), p.PolicyVersionList)
		}
	}

	roles := iamMust(cl.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeRole, types.EntityTypeAWSManagedPolicy}}))(t)
	if len(roles.UserDetailList) != 0 || len(roles.RoleDetailList) != 1 || len(roles.Policies) != 1 ||
		aws.ToString(roles.Policies[0].PolicyName) != "AmazonSageMakerFullAccess" {
		t.Errorf("filtered details: %d users %d roles %d policies", len(roles.UserDetailList), len(roles.RoleDetailList), len(roles.Policies))
	}
	var items int
	for p := iam.NewGetAccountAuthorizationDetailsPaginator(cl, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(2)}); p.HasMorePages(); {
		out := iamMust(p.NextPage(ctx))(t)
		items += len(out.UserDetailList) + len(out.GroupDetailList) + len(out.RoleDetailList) + len(out.Policies)
	}
	if items != 5 {
		t.Errorf("paged details: %d items, want 5", items)
	}
}
