package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/cairnhq/cairn/internal/store"
)

func TestOrganizationsAccessRoleAndAdminProfiles(t *testing.T) {
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	config, err := os.ReadFile(filepath.Join(c.dir, "config"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"[profile data-science-admin]", "role_arn = arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
		"[profile platform-admin]", "role_arn = arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
		"source_profile = management",
	} {
		if !strings.Contains(string(config), want) {
			t.Errorf("config lacks %q:\n%s", want, config)
		}
	}
	if strings.Contains(string(config), "management-admin") {
		t.Errorf("config has an admin profile for the management account:\n%s", config)
	}

	// A created account gets its role and profile too.
	cl := orgs(c, "management")
	orgMust(cl.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("analytics"), Email: aws.String("analytics@example.com")}))(t)
	config, err = os.ReadFile(filepath.Join(c.dir, "config"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(config), "[profile analytics-admin]") {
		t.Errorf("config lacks the analytics-admin profile:\n%s", config)
	}

	// Each member account has the role, trusting the management account, with
	// AdministratorAccess.
	for _, account := range []string{"111111111111", "222222222222"} {
		err := c.srv.Store().View(ctx, func(tx store.Tx) error {
			role, err := tx.Role(account, "OrganizationAccountAccessRole")
			if err != nil {
				return err
			}
			if !strings.Contains(role.AssumeRolePolicyDocument, `"AWS":"arn:aws:iam::000000000000:root"`) || !strings.Contains(role.AssumeRolePolicyDocument, "sts:AssumeRole") {
				t.Errorf("%s: trust policy %s", account, role.AssumeRolePolicyDocument)
			}
			attached, err := tx.AttachedPolicies(account, store.EntityRole, "OrganizationAccountAccessRole")
			if err != nil {
				return err
			}
			if len(attached) != 1 || attached[0].ARN != "arn:aws:iam::aws:policy/AdministratorAccess" {
				t.Errorf("%s: attached %+v", account, attached)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", account, err)
		}
	}
	err = c.srv.Store().View(ctx, func(tx store.Tx) error {
		if _, err := tx.Role("000000000000", "OrganizationAccountAccessRole"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("management account role: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The management account assumes the role (the <name>-admin profile's route).
	mgmt := c.config("management")
	admin := c.config("management")
	admin.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(mgmt),
		"arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"))
	who := orgMust(sts.NewFromConfig(admin).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if aws.ToString(who.Account) != "111111111111" || !strings.HasPrefix(aws.ToString(who.Arn), "arn:aws:sts::111111111111:assumed-role/OrganizationAccountAccessRole/") {
		t.Errorf("admin session is %s", aws.ToString(who.Arn))
	}
	// Another member account may not.
	other := c.config("platform")
	other.RetryMaxAttempts = 1
	other.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(other),
		"arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"))
	if _, err := sts.NewFromConfig(other).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
		t.Error("platform assumed data-science's OrganizationAccountAccessRole")
	}

	// CreateAccount's RoleName names the role.
	status := orgMust(cl.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("custom"), Email: aws.String("custom@example.com"),
		RoleName: aws.String("Administrators")}))(t).CreateAccountStatus
	custom := aws.ToString(orgMust(cl.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: status.Id}))(t).CreateAccountStatus.AccountId)
	err = c.srv.Store().View(ctx, func(tx store.Tx) error {
		_, err := tx.Role(custom, "Administrators")
		return err
	})
	if err != nil {
		t.Errorf("role Administrators in %s: %v", custom, err)
	}
}

func TestOrganizationsAccessRoleRestoredAtBootstrap(t *testing.T) {
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	err := c.srv.Store().Update(ctx, func(tx store.Tx) error {
		if err := tx.DetachPolicy("111111111111", store.EntityRole, "OrganizationAccountAccessRole", "arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
			return err
		}
		return tx.DeleteRole("111111111111", "OrganizationAccountAccessRole")
	})
	if err != nil {
		t.Fatal(err)
	}
	c.stop()
	c = start(t, startOptions{Config: accountsYAML, DataDir: c.dir})
	err = c.srv.Store().View(ctx, func(tx store.Tx) error {
		if _, err := tx.Role("111111111111", "OrganizationAccountAccessRole"); err != nil {
			return err
		}
		attached, err := tx.AttachedPolicies("111111111111", store.EntityRole, "OrganizationAccountAccessRole")
		if err != nil {
			return err
		}
		if len(attached) != 1 {
			t.Errorf("attached after restart: %+v", attached)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("role after restart: %v", err)
	}
}

func TestOrganizationsTags(t *testing.T) {
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	cl := orgs(c, "management")
	root := orgRoot(t, cl)
	tagsOf := func(id string) map[string]string {
		t.Helper()
		out := orgMust(cl.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String(id)}))(t)
		m := map[string]string{}
		for _, tag := range out.Tags {
			m[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
		return m
	}
	ou := orgMust(cl.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: root.Id, Name: aws.String("tagged"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ml")}}}))(t).OrganizationalUnit
	if got := tagsOf(aws.ToString(ou.Id)); len(got) != 1 || got["team"] != "ml" {
		t.Errorf("OU tags: %v", got)
	}
	status := orgMust(cl.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("tagged"), Email: aws.String("tagged@example.com"),
		Tags: []types.Tag{{Key: aws.String("cost-center"), Value: aws.String("42")}}}))(t).CreateAccountStatus
	account := aws.ToString(orgMust(cl.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: status.Id}))(t).CreateAccountStatus.AccountId)
	if got := tagsOf(account); got["cost-center"] != "42" {
		t.Errorf("account tags: %v", got)
	}

	p := orgMust(cl.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("p"), Description: aws.String(""), Type: types.PolicyTypeServiceControlPolicy,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`)}))(t).Policy
	pid := aws.ToString(p.PolicySummary.Id)
	orgMust(cl.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(pid),
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}))(t)
	orgMust(cl.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(pid), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("3")}}}))(t)
	orgMust(cl.UntagResource(ctx, &organizations.UntagResourceInput{ResourceId: aws.String(pid), TagKeys: []string{"b", "absent"}}))(t)
	if got := tagsOf(pid); len(got) != 1 || got["a"] != "3" {
		t.Errorf("policy tags: %v", got)
	}
	orgMust(cl.TagResource(ctx, &organizations.TagResourceInput{ResourceId: root.Id, Tags: []types.Tag{{Key: aws.String("scope"), Value: aws.String("org")}}}))(t)
	if got := tagsOf(aws.ToString(root.Id)); got["scope"] != "org" {
		t.Errorf("root tags: %v", got)
	}

	_, err := cl.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String("p-FullAWSAccess"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}})
	orgWantError(t, err, "InvalidInputException", "IMMUTABLE_POLICY")
	_, err = cl.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String("999999999999")})
	orgWantError(t, err, "TargetNotFoundException", "")
	_, err = cl.TagResource(ctx, &organizations.TagResourceInput{ResourceId: ou.Id, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("1")}}})
	orgWantError(t, err, "InvalidInputException", "INVALID_SYSTEM_TAGS_PARAMETER")
	many := make([]types.Tag, 0, 50)
	for i := range 50 {
		many = append(many, types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")})
	}
	_, err = cl.TagResource(ctx, &organizations.TagResourceInput{ResourceId: ou.Id, Tags: many})
	orgWantError(t, err, "ConstraintViolationException", "MAX_TAG_LIMIT_EXCEEDED")
}
