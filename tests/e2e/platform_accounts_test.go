package e2e

import (
	"context"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestPlatformCreateAccountProfile creates an account and uses its profile at once: Cairn
// rewrites the profile files when the account commits.
func TestPlatformCreateAccountProfile(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	orgs := organizations.NewFromConfig(c.config("management"))
	accountID := createAccount(t, orgs, "ml-sandbox")

	id, err := sts.NewFromConfig(c.config("ml-sandbox")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with the new profile: %v", err)
	}
	if aws.ToString(id.Account) != accountID {
		t.Errorf("new profile is account %s, want %s", aws.ToString(id.Account), accountID)
	}

	// The account name is taken now.
	_, err = organizations.NewFromConfig(withoutRetries(c.config("management"))).CreateAccount(ctx, &organizations.CreateAccountInput{
		AccountName: aws.String("ml-sandbox"), Email: aws.String("other@example.com")})
	expectAPIError(t, err, 400, "ConstraintViolationException")
}

// createAccount creates an account named name and waits until its creation succeeded, as a
// client of AWS does: CreateAccount answers IN_PROGRESS or SUCCEEDED, and
// DescribeCreateAccountStatus tells the outcome.
func createAccount(t *testing.T, orgs *organizations.Client, name string) string {
	t.Helper()
	ctx := context.Background()
	created, err := orgs.CreateAccount(ctx, &organizations.CreateAccountInput{
		AccountName: aws.String(name), Email: aws.String(name + "@example.com")})
	if err != nil {
		t.Fatalf("CreateAccount %s: %v", name, err)
	}
	st := created.CreateAccountStatus
	for deadline := time.Now().Add(10 * time.Second); ; {
		switch st.State {
		case types.CreateAccountStateSucceeded:
			if aws.ToString(st.AccountId) == "" {
				t.Fatalf("CreateAccount %s succeeded without an account id", name)
			}
			return aws.ToString(st.AccountId)
		case types.CreateAccountStateFailed:
			t.Fatalf("CreateAccount %s failed: %s", name, st.FailureReason)
		}
		if time.Now().After(deadline) {
			t.Fatalf("CreateAccount %s still %s after 10s", name, st.State)
		}
		time.Sleep(20 * time.Millisecond)
		desc, err := orgs.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id})
		if err != nil {
			t.Fatalf("DescribeCreateAccountStatus %s: %v", aws.ToString(st.Id), err)
		}
		st = desc.CreateAccountStatus
	}
}

func TestPlatformListAccountsPagination(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	orgs := organizations.NewFromConfig(c.config("management"))
	want := []string{wireManagementID, "111111111111", "222222222222", createAccount(t, orgs, "ml-sandbox")}
	sort.Strings(want)

	var got []string
	pages := 0
	p := organizations.NewListAccountsPaginator(orgs, &organizations.ListAccountsInput{MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		if len(page.Accounts) != 1 {
			t.Errorf("page %d has %d accounts, want 1", pages, len(page.Accounts))
		}
		for _, a := range page.Accounts {
			got = append(got, aws.ToString(a.Id))
		}
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
	sort.Strings(got)
	if pages != 4 || len(got) != 4 || !slices.Equal(got, want) {
		t.Errorf("%d pages with accounts %v, want 4 pages with %v", pages, got, want)
	}

	_, err := organizations.NewFromConfig(withoutRetries(c.config("management"))).ListAccounts(ctx,
		&organizations.ListAccountsInput{NextToken: aws.String("not-a-token")})
	expectAPIError(t, err, 400, "InvalidInputException")
}

func TestPlatformMemberAccountAccess(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	member := organizations.NewFromConfig(withoutRetries(c.config("data-science")))

	_, err := member.ListAccounts(ctx, &organizations.ListAccountsInput{})
	expectAPIError(t, err, 400, "AccessDeniedException")
	_, err = member.CreateAccount(ctx, &organizations.CreateAccountInput{
		AccountName: aws.String("rogue"), Email: aws.String("rogue@example.com")})
	expectAPIError(t, err, 400, "AccessDeniedException")

	org, err := member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		t.Fatalf("member DescribeOrganization: %v", err)
	}
	if aws.ToString(org.Organization.MasterAccountId) != wireManagementID {
		t.Errorf("organization's management account %s", aws.ToString(org.Organization.MasterAccountId))
	}
	// The denied CreateAccount created nothing.
	all, err := organizations.NewFromConfig(c.config("management")).ListAccounts(ctx, &organizations.ListAccountsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Accounts) != 3 {
		t.Errorf("%d accounts after a denied CreateAccount, want 3", len(all.Accounts))
	}
}
