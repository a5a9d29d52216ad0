package e2e

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/smithy-go"
)

// orgs returns an Organizations client for profile.
func orgs(c *cairn, profile string) *organizations.Client {
	return organizations.NewFromConfig(c.config(profile))
}

// orgMust returns v, failing the test given to the returned function on err:
// orgMust(cl.ListRoots(ctx, in))(t).
func orgMust[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// orgWantError checks that err is the AWS error code and, when reason is not empty, that
// its Reason is reason.
func orgWantError(t *testing.T, err error, code, reason string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want %s, got %s: %s", code, ae.ErrorCode(), ae.ErrorMessage())
	}
	if reason == "" {
		return
	}
	var got string
	var cv *types.ConstraintViolationException
	var ii *types.InvalidInputException
	switch {
	case errors.As(err, &cv):
		got = string(cv.Reason)
	case errors.As(err, &ii):
		got = string(ii.Reason)
	}
	if got != reason {
		t.Fatalf("%s: want reason %s, got %q (%s)", code, reason, got, ae.ErrorMessage())
	}
}

// orgRoot returns the organization's root.
func orgRoot(t *testing.T, cl *organizations.Client) types.Root {
	t.Helper()
	out := orgMust(cl.ListRoots(context.Background(), &organizations.ListRootsInput{}))(t)
	if len(out.Roots) != 1 {
		t.Fatalf("ListRoots: %d roots", len(out.Roots))
	}
	return out.Roots[0]
}

// orgNewOU creates an OU and returns it.
func orgNewOU(t *testing.T, cl *organizations.Client, parent, name string) types.OrganizationalUnit {
	t.Helper()
	out := orgMust(cl.CreateOrganizationalUnit(context.Background(), &organizations.CreateOrganizationalUnitInput{
		ParentId: aws.String(parent), Name: aws.String(name)}))(t)
	return *out.OrganizationalUnit
}

func TestOrganizationsRootAndOUs(t *testing.T) {
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	cl := orgs(c, "management")
	org := orgMust(cl.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}))(t).Organization

	root := orgRoot(t, cl)
	rootID := aws.ToString(root.Id)
	if !regexp.MustCompile(`^r-[0-9a-z]{4}$`).MatchString(rootID) || aws.ToString(root.Name) != "Root" ||
		aws.ToString(root.Arn) != "arn:aws:organizations::000000000000:root/"+aws.ToString(org.Id)+"/"+rootID {
		t.Fatalf("root: %+v", root)
	}
	if len(root.PolicyTypes) != 0 {
		t.Errorf("fresh root has policy types enabled: %+v", root.PolicyTypes)
	}

	created := orgMust(cl.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{
		ParentId: aws.String(rootID), Name: aws.String("ml"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ml")}},
	}))(t).OrganizationalUnit
	mlID := aws.ToString(created.Id)
	if !regexp.MustCompile(`^ou-` + rootID[2:] + `-[0-9a-z]{8}$`).MatchString(mlID) {
		t.Errorf("OU id %q", mlID)
	}
	if aws.ToString(created.Arn) != "arn:aws:organizations::000000000000:ou/"+aws.ToString(org.Id)+"/"+mlID || aws.ToString(created.Name) != "ml" {
		t.Errorf("created OU: %+v", created)
	}
	training := orgNewOU(t, cl, mlID, "training")
	trainingID := aws.ToString(training.Id)
	described := orgMust(cl.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: training.Id}))(t).OrganizationalUnit
	if aws.ToString(described.Name) != "training" || aws.ToString(described.Path) != aws.ToString(org.Id)+"/"+rootID+"/"+mlID+"/"+trainingID+"/" {
		t.Errorf("described OU: %+v (path %s)", described, aws.ToString(described.Path))
	}

	// Names are unique per parent.
	_, err := cl.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(rootID), Name: aws.String("ml")})
	orgWantError(t, err, "DuplicateOrganizationalUnitException", "")
	orgNewOU(t, cl, trainingID, "ml")
	_, err = cl.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("ou-" + rootID[2:] + "-zzzzzzzz"), Name: aws.String("x")})
	orgWantError(t, err, "ParentNotFoundException", "")
	_, err = cl.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("nope"), Name: aws.String("x")})
	orgWantError(t, err, "InvalidInputException", "INVALID_PATTERN")

	// Rename, and a rename onto a sibling's name.
	orgNewOU(t, cl, rootID, "sandbox")
	updated := orgMust(cl.UpdateOrganizationalUnit(ctx, &organizations.UpdateOrganizationalUnitInput{OrganizationalUnitId: aws.String(mlID), Name: aws.String("machine-learning")}))(t).OrganizationalUnit
	if aws.ToString(updated.Name) != "machine-learning" || aws.ToString(updated.Id) != mlID {
		t.Errorf("updated OU: %+v", updated)
	}
	_, err = cl.UpdateOrganizationalUnit(ctx, &organizations.UpdateOrganizationalUnitInput{OrganizationalUnitId: aws.String(mlID), Name: aws.String("sandbox")})
	orgWantError(t, err, "DuplicateOrganizationalUnitException", "")

	// Paging through the root's OUs.
	orgNewOU(t, cl, rootID, "research")
	var names []string
	var token *string
	pages := 0
	for {
		out := orgMust(cl.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{
			ParentId: aws.String(rootID), MaxResults: aws.Int32(2), NextToken: token}))(t)
		pages++
		for _, ou := range out.OrganizationalUnits {
			names = append(names, aws.ToString(ou.Name))
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"machine-learning", "research", "sandbox"}) || pages != 2 {
		t.Errorf("OUs of the root: %v in %d pages", names, pages)
	}
	ouChildren := orgMust(cl.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: aws.String(mlID), ChildType: types.ChildTypeOrganizationalUnit}))(t).Children
	if len(ouChildren) != 1 || aws.ToString(ouChildren[0].Id) != trainingID || ouChildren[0].Type != types.ChildTypeOrganizationalUnit {
		t.Errorf("OU children of ml: %+v", ouChildren)
	}
	_, err = cl.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: aws.String("ou-" + rootID[2:] + "-zzzzzzzz"), ChildType: types.ChildTypeAccount})
	orgWantError(t, err, "ParentNotFoundException", "")

	// Every account starts in the root.
	accountChildren := func(parent string) []string {
		var ids []string
		for _, ch := range orgMust(cl.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: aws.String(parent), ChildType: types.ChildTypeAccount}))(t).Children {
			if ch.Type != types.ChildTypeAccount {
				t.Errorf("child type %s", ch.Type)
			}
			ids = append(ids, aws.ToString(ch.Id))
		}
		return ids
	}
	if got := accountChildren(rootID); !slices.Equal(got, []string{"000000000000", "111111111111", "222222222222"}) {
		t.Errorf("accounts in the root: %v", got)
	}

	// Move an account into a nested OU and follow it.
	orgMust(cl.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String("111111111111"),
		SourceParentId: aws.String(rootID), DestinationParentId: aws.String(trainingID)}))(t)
	parents := orgMust(cl.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String("111111111111")}))(t).Parents
	if len(parents) != 1 || aws.ToString(parents[0].Id) != trainingID || parents[0].Type != types.ParentTypeOrganizationalUnit {
		t.Errorf("parents of 111111111111: %+v", parents)
	}
	parents = orgMust(cl.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(mlID)}))(t).Parents
	if len(parents) != 1 || aws.ToString(parents[0].Id) != rootID || parents[0].Type != types.ParentTypeRoot {
		t.Errorf("parents of ml: %+v", parents)
	}
	inTraining := orgMust(cl.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String(trainingID)}))(t).Accounts
	if len(inTraining) != 1 || aws.ToString(inTraining[0].Id) != "111111111111" || aws.ToString(inTraining[0].Name) != "data-science" {
		t.Errorf("accounts in training: %+v", inTraining)
	}
	if got := accountChildren(rootID); !slices.Equal(got, []string{"000000000000", "222222222222"}) {
		t.Errorf("accounts in the root after the move: %v", got)
	}
	_, err = cl.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String("999999999999")})
	orgWantError(t, err, "ChildNotFoundException", "")

	// MoveAccount's errors.
	move := func(account, from, to string) error {
		_, err := cl.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(account),
			SourceParentId: aws.String(from), DestinationParentId: aws.String(to)})
		return err
	}
	missingOU := "ou-" + rootID[2:] + "-zzzzzzzz"
	orgWantError(t, move("111111111111", rootID, mlID), "AccountNotFoundException", "")
	orgWantError(t, move("999999999999", rootID, mlID), "AccountNotFoundException", "")
	orgWantError(t, move("111111111111", missingOU, mlID), "SourceParentNotFoundException", "")
	orgWantError(t, move("111111111111", trainingID, missingOU), "DestinationParentNotFoundException", "")
	orgWantError(t, move("111111111111", trainingID, trainingID), "DuplicateAccountException", "")

	// Only empty OUs can be deleted.
	_, err = cl.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(trainingID)})
	orgWantError(t, err, "OrganizationalUnitNotEmptyException", "")
	_, err = cl.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(mlID)})
	orgWantError(t, err, "OrganizationalUnitNotEmptyException", "")
	if err := move("111111111111", trainingID, rootID); err != nil {
		t.Fatal(err)
	}
	for _, ou := range orgMust(cl.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(trainingID)}))(t).OrganizationalUnits {
		orgMust(cl.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: ou.Id}))(t)
	}
	for _, id := range []string{trainingID, mlID} {
		orgMust(cl.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(id)}))(t)
	}
	_, err = cl.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(mlID)})
	orgWantError(t, err, "OrganizationalUnitNotFoundException", "")
	_, err = cl.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(mlID)})
	orgWantError(t, err, "OrganizationalUnitNotFoundException", "")
}

func TestOrganizationsOUDepthLimit(t *testing.T) {
	c := start(t, startOptions{})
	cl := orgs(c, "management")
	parent := aws.ToString(orgRoot(t, cl).Id)
	for depth := 1; depth <= 5; depth++ {
		parent = aws.ToString(orgNewOU(t, cl, parent, "level").Id)
	}
	_, err := cl.CreateOrganizationalUnit(context.Background(), &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(parent), Name: aws.String("level")})
	orgWantError(t, err, "ConstraintViolationException", "OU_DEPTH_LIMIT_EXCEEDED")
	ou := orgMust(cl.DescribeOrganizationalUnit(context.Background(), &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(parent)}))(t).OrganizationalUnit
	if n := strings.Count(aws.ToString(ou.Path), "ou-"); n != 5 {
		t.Errorf("deepest OU path %s has %d OUs", aws.ToString(ou.Path), n)
	}
}

func TestOrganizationsMemberAccountDenied(t *testing.T) {
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	root := orgRoot(t, orgs(c, "management"))
	member := orgs(c, "data-science")
	if _, err := member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err != nil {
		t.Fatalf("member DescribeOrganization: %v", err)
	}
	calls := map[string]func() error{
		"ListRoots": func() error { _, err := member.ListRoots(ctx, &organizations.ListRootsInput{}); return err },
		"CreateOrganizationalUnit": func() error {
			_, err := member.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: root.Id, Name: aws.String("x")})
			return err
		},
		"ListChildren": func() error {
			_, err := member.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: root.Id, ChildType: types.ChildTypeAccount})
			return err
		},
		"MoveAccount": func() error {
			_, err := member.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String("111111111111"), SourceParentId: root.Id, DestinationParentId: root.Id})
			return err
		},
		"EnablePolicyType": func() error {
			_, err := member.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: root.Id, PolicyType: types.PolicyTypeServiceControlPolicy})
			return err
		},
		"CreatePolicy": func() error {
			_, err := member.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("x"), Description: aws.String(""),
				Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`)})
			return err
		},
		"ListPolicies": func() error {
			_, err := member.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: types.PolicyTypeServiceControlPolicy})
			return err
		},
		"DescribePolicy": func() error {
			_, err := member.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String("p-FullAWSAccess")})
			return err
		},
		"ListPoliciesForTarget": func() error {
			_, err := member.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String("111111111111"), Filter: types.PolicyTypeServiceControlPolicy})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { orgWantError(t, call(), "AccessDeniedException", "") })
	}
}
