package e2e

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

const denyS3Delete = `{"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`

// orgPolicyIDs lists the IDs of the policies of typ attached to target.
func orgPolicyIDs(t *testing.T, cl *organizations.Client, target string, typ types.PolicyType) []string {
	t.Helper()
	var ids []string
	p := organizations.NewListPoliciesForTargetPaginator(cl, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(target), Filter: typ})
	for p.HasMorePages() {
		out := orgMust(p.NextPage(context.Background()))(t)
		for _, s := range out.Policies {
			ids = append(ids, aws.ToString(s.Id))
		}
	}
	return ids
}

func orgSorted(s ...string) []string {
	slices.Sort(s)
	return s
}

// orgTargets lists the targets of a policy as "TYPE:id:name".
func orgTargets(t *testing.T, cl *organizations.Client, policyID string) []string {
	t.Helper()
	var out []string
	p := organizations.NewListTargetsForPolicyPaginator(cl, &organizations.ListTargetsForPolicyInput{PolicyId: aws.String(policyID), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page := orgMust(p.NextPage(context.Background()))(t)
		for _, tg := range page.Targets {
			if !strings.HasPrefix(aws.ToString(tg.Arn), "arn:aws:organizations::000000000000:") {
				t.Errorf("target ARN %s", aws.ToString(tg.Arn))
			}
			out = append(out, string(tg.Type)+":"+aws.ToString(tg.TargetId)+":"+aws.ToString(tg.Name))
		}
	}
	slices.Sort(out)
	return out
}

func TestOrganizationsPolicyTypes(t *testing.T) {
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	cl := orgs(c, "management")
	root := orgRoot(t, cl)
	rootID := aws.ToString(root.Id)
	ou := aws.ToString(orgNewOU(t, cl, rootID, "workloads").Id)

	// Nothing is attached while the type is disabled.
	if got := orgPolicyIDs(t, cl, "111111111111", types.PolicyTypeServiceControlPolicy); len(got) != 0 {
		t.Errorf("SCPs before enabling: %v", got)
	}
	_, err := cl.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String("r-zzzz"), PolicyType: types.PolicyTypeServiceControlPolicy})
	orgWantError(t, err, "RootNotFoundException", "")
	_, err = cl.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: root.Id, PolicyType: types.PolicyTypeTagPolicy})
	orgWantError(t, err, "InvalidInputException", "")

	enabled := orgMust(cl.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: root.Id, PolicyType: types.PolicyTypeServiceControlPolicy}))(t).Root
	if len(enabled.PolicyTypes) != 1 || enabled.PolicyTypes[0].Type != types.PolicyTypeServiceControlPolicy || enabled.PolicyTypes[0].Status != types.PolicyTypeStatusEnabled {
		t.Errorf("root after enabling: %+v", enabled.PolicyTypes)
	}
	if got := orgRoot(t, cl).PolicyTypes; len(got) != 1 {
		t.Errorf("ListRoots policy types: %+v", got)
	}
	_, err = cl.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: root.Id, PolicyType: types.PolicyTypeServiceControlPolicy})
	orgWantError(t, err, "PolicyTypeAlreadyEnabledException", "")

	// FullAWSAccess is on everything, and on what is created afterwards.
	later := aws.ToString(orgNewOU(t, cl, ou, "later").Id)
	status := orgMust(cl.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("newcomer"), Email: aws.String("newcomer@example.com")}))(t).CreateAccountStatus
	newcomer := aws.ToString(orgMust(cl.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: status.Id}))(t).CreateAccountStatus.AccountId)
	for _, target := range []string{rootID, ou, later, "000000000000", "111111111111", "222222222222", newcomer} {
		if got := orgPolicyIDs(t, cl, target, types.PolicyTypeServiceControlPolicy); !slices.Equal(got, []string{"p-FullAWSAccess"}) {
			t.Errorf("SCPs of %s: %v", target, got)
		}
	}
	targets := orgTargets(t, cl, "p-FullAWSAccess")
	want := []string{"ACCOUNT:000000000000:management", "ACCOUNT:111111111111:data-science", "ACCOUNT:222222222222:platform",
		"ACCOUNT:" + newcomer + ":newcomer", "ORGANIZATIONAL_UNIT:" + later + ":later", "ORGANIZATIONAL_UNIT:" + ou + ":workloads", "ROOT:" + rootID + ":Root"}
	slices.Sort(want)
	if !slices.Equal(targets, want) {
		t.Errorf("targets of FullAWSAccess:\n got %v\nwant %v", targets, want)
	}
	full := orgMust(cl.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String("p-FullAWSAccess")}))(t).Policy
	if s := full.PolicySummary; !s.AwsManaged || aws.ToString(s.Name) != "FullAWSAccess" ||
		aws.ToString(s.Arn) != "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess" ||
		aws.ToString(full.Content) != `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}` {
		t.Errorf("FullAWSAccess: %+v %s", s, aws.ToString(full.Content))
	}

	// Resource control policies, alongside.
	enabled = orgMust(cl.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: root.Id, PolicyType: types.PolicyTypeResourceControlPolicy}))(t).Root
	if len(enabled.PolicyTypes) != 2 {
		t.Errorf("root with both types: %+v", enabled.PolicyTypes)
	}
	if got := orgPolicyIDs(t, cl, "222222222222", types.PolicyTypeResourceControlPolicy); !slices.Equal(got, []string{"p-RCPFullAWSAccess"}) {
		t.Errorf("RCPs of 222222222222: %v", got)
	}
	_, err = cl.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-RCPFullAWSAccess"), TargetId: aws.String("222222222222")})
	orgWantError(t, err, "InvalidInputException", "NON_DETACHABLE_POLICY")

	// Disabling detaches every policy of the type.
	disabled := orgMust(cl.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: root.Id, PolicyType: types.PolicyTypeServiceControlPolicy}))(t).Root
	if len(disabled.PolicyTypes) != 1 || disabled.PolicyTypes[0].Type != types.PolicyTypeResourceControlPolicy {
		t.Errorf("root after disabling SCPs: %+v", disabled.PolicyTypes)
	}
	if got := orgTargets(t, cl, "p-FullAWSAccess"); len(got) != 0 {
		t.Errorf("FullAWSAccess still attached to %v", got)
	}
	_, err = cl.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: root.Id, PolicyType: types.PolicyTypeServiceControlPolicy})
	orgWantError(t, err, "PolicyTypeNotEnabledException", "")
	_, err = cl.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(ou)})
	orgWantError(t, err, "PolicyTypeNotEnabledException", "")
}

func TestOrganizationsServiceControlPolicies(t *testing.T) {
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	cl := orgs(c, "management")
	org := orgMust(cl.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}))(t).Organization
	root := orgRoot(t, cl)
	ou := aws.ToString(orgNewOU(t, cl, aws.ToString(root.Id), "restricted").Id)

	// A policy can be created before its type is enabled, but not attached.
	created := orgMust(cl.CreatePolicy(ctx, &organizations.CreatePolicyInput{
		Name: aws.String("no-bucket-delete"), Description: aws.String("Keeps buckets"), Type: types.PolicyTypeServiceControlPolicy,
		Content: aws.String(denyS3Delete), Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("platform")}},
	}))(t).Policy
	id := aws.ToString(created.PolicySummary.Id)
	if !regexp.MustCompile(`^p-[0-9a-z]{8,}$`).MatchString(id) {
		t.Errorf("policy id %q", id)
	}
	if s := created.PolicySummary; aws.ToString(s.Arn) != "arn:aws:organizations::000000000000:policy/"+aws.ToString(org.Id)+"/service_control_policy/"+id ||
		aws.ToString(s.Name) != "no-bucket-delete" || aws.ToString(s.Description) != "Keeps buckets" || s.Type != types.PolicyTypeServiceControlPolicy || s.AwsManaged {
		t.Errorf("created policy: %+v", s)
	}
	if aws.ToString(created.Content) != denyS3Delete {
		t.Errorf("content %s", aws.ToString(created.Content))
	}
	_, err := cl.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(ou)})
	orgWantError(t, err, "PolicyTypeNotEnabledException", "")
	orgMust(cl.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: root.Id, PolicyType: types.PolicyTypeServiceControlPolicy}))(t)

	// Listing by type.
	var listed []string
	for _, s := range orgMust(cl.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: types.PolicyTypeServiceControlPolicy}))(t).Policies {
		listed = append(listed, aws.ToString(s.Name))
	}
	slices.Sort(listed)
	if !slices.Equal(listed, []string{"FullAWSAccess", "no-bucket-delete"}) {
		t.Errorf("SCPs: %v", listed)
	}
	if rcps := orgMust(cl.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: types.PolicyTypeResourceControlPolicy}))(t).Policies; len(rcps) != 1 || aws.ToString(rcps[0].Name) != "RCPFullAWSAccess" {
		t.Errorf("RCPs: %+v", rcps)
	}
	if tags := orgMust(cl.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: types.PolicyTypeTagPolicy}))(t).Policies; len(tags) != 0 {
		t.Errorf("tag policies: %+v", tags)
	}

	// Attach to an OU and an account; both directions list it.
	for _, target := range []string{ou, "111111111111"} {
		orgMust(cl.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(target)}))(t)
	}
	_, err = cl.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(ou)})
	orgWantError(t, err, "DuplicatePolicyAttachmentException", "")
	_, err = cl.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String("999999999999")})
	orgWantError(t, err, "TargetNotFoundException", "")
	_, err = cl.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String("p-0000000000"), TargetId: aws.String(ou)})
	orgWantError(t, err, "PolicyNotFoundException", "")
	if got := orgPolicyIDs(t, cl, ou, types.PolicyTypeServiceControlPolicy); !slices.Equal(got, orgSorted("p-FullAWSAccess", id)) {
		t.Errorf("SCPs of the OU: %v", got)
	}
	want := []string{"ACCOUNT:111111111111:data-science", "ORGANIZATIONAL_UNIT:" + ou + ":restricted"}
	if got := orgTargets(t, cl, id); !slices.Equal(got, want) {
		t.Errorf("targets: %v, want %v", got, want)
	}
	_, err = cl.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: aws.String(id)})
	orgWantError(t, err, "PolicyInUseException", "")

	// A target keeps at least one SCP.
	orgMust(cl.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(ou)}))(t)
	_, err = cl.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(ou)})
	orgWantError(t, err, "ConstraintViolationException", "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
	_, err = cl.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(ou)})
	orgWantError(t, err, "PolicyNotAttachedException", "")
	orgMust(cl.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(ou)}))(t)
	for _, target := range []string{ou, "111111111111"} {
		orgMust(cl.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(target)}))(t)
	}
	if got := orgTargets(t, cl, id); len(got) != 0 {
		t.Errorf("targets after detaching: %v", got)
	}

	// Updates.
	updated := orgMust(cl.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String(id), Name: aws.String("guard-rails"),
		Content: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":["s3:DeleteBucket","s3:DeleteObject"],"Resource":"*"}}`)}))(t).Policy
	if aws.ToString(updated.PolicySummary.Name) != "guard-rails" || aws.ToString(updated.PolicySummary.Description) != "Keeps buckets" || !strings.Contains(aws.ToString(updated.Content), "s3:DeleteObject") {
		t.Errorf("updated: %+v %s", updated.PolicySummary, aws.ToString(updated.Content))
	}
	described := orgMust(cl.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(id)}))(t).Policy
	if aws.ToString(described.PolicySummary.Name) != "guard-rails" || aws.ToString(described.Content) != aws.ToString(updated.Content) {
		t.Errorf("described after update: %+v", described.PolicySummary)
	}

	// Errors of CreatePolicy and UpdatePolicy.
	create := func(name, content string, typ types.PolicyType) error {
		_, err := cl.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(name), Description: aws.String(""), Type: typ, Content: aws.String(content)})
		return err
	}
	orgWantError(t, create("guard-rails", denyS3Delete, types.PolicyTypeServiceControlPolicy), "DuplicatePolicyException", "")
	orgWantError(t, create("with-principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`, types.PolicyTypeServiceControlPolicy),
		"MalformedPolicyDocumentException", "")
	orgWantError(t, create("not-json", `{"Version":`, types.PolicyTypeServiceControlPolicy), "MalformedPolicyDocumentException", "")
	orgWantError(t, create("rcp-no-principal", denyS3Delete, types.PolicyTypeResourceControlPolicy), "MalformedPolicyDocumentException", "")
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Sid":"` + strings.Repeat("a", 5200) + `"}]}`
	orgWantError(t, create("too-big", big, types.PolicyTypeServiceControlPolicy), "ConstraintViolationException", "POLICY_CONTENT_LIMIT_EXCEEDED")
	orgWantError(t, create("tagging", `{}`, types.PolicyTypeTagPolicy), "InvalidInputException", "")
	rcp := orgMust(cl.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("tls-only"), Description: aws.String(""), Type: types.PolicyTypeResourceControlPolicy,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`)}))(t).Policy
	if aws.ToString(rcp.PolicySummary.Arn) != "arn:aws:organizations::000000000000:policy/"+aws.ToString(org.Id)+"/resource_control_policy/"+aws.ToString(rcp.PolicySummary.Id) {
		t.Errorf("RCP ARN %s", aws.ToString(rcp.PolicySummary.Arn))
	}
	_, err = cl.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String("p-FullAWSAccess"), Name: aws.String("x")})
	orgWantError(t, err, "InvalidInputException", "IMMUTABLE_POLICY")
	_, err = cl.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: aws.String("p-FullAWSAccess")})
	orgWantError(t, err, "InvalidInputException", "IMMUTABLE_POLICY")
	_, err = cl.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String(id), Content: aws.String(`{"Statement":[]}`)})
	orgWantError(t, err, "MalformedPolicyDocumentException", "")

	// Delete.
	orgMust(cl.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: aws.String(id)}))(t)
	_, err = cl.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(id)})
	orgWantError(t, err, "PolicyNotFoundException", "")
	_, err = cl.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(ou)})
	orgWantError(t, err, "PolicyNotFoundException", "")
}

func TestOrganizationsAttachmentLimit(t *testing.T) {
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	cl := orgs(c, "management")
	root := orgRoot(t, cl)
	orgMust(cl.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: root.Id, PolicyType: types.PolicyTypeServiceControlPolicy}))(t)
	var last error
	for i := range 5 {
		p := orgMust(cl.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("deny-" + string(rune('a'+i))), Description: aws.String(""),
			Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(denyS3Delete)}))(t).Policy
		_, last = cl.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.PolicySummary.Id, TargetId: aws.String("222222222222")})
		if i < 4 && last != nil {
			t.Fatalf("attach %d: %v", i, last)
		}
	}
	orgWantError(t, last, "ConstraintViolationException", "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
}
