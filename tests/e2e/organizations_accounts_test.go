package e2e

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
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
