package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// ListCreateAccountStatus lists the CreateAccount requests, filtered by state and paged;
// member accounts may not call it.
func TestListCreateAccountStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := start(t, startOptions{Config: accountsYAML})
	cl := organizations.NewFromConfig(c.config("management"))
	created := map[string]bool{}
	for _, name := range []string{"one", "two", "three"} {
		st := orgMust(cl.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(name), Email: aws.String(name + "@example.com")}))(t).CreateAccountStatus
		created[aws.ToString(st.Id)] = true
	}
	// The same email again fails.
	failed := orgMust(cl.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("again"), Email: aws.String("one@example.com")}))(t).CreateAccountStatus

	var all []orgtypes.CreateAccountStatus
	pages := 0
	for p := organizations.NewListCreateAccountStatusPaginator(cl, &organizations.ListCreateAccountStatusInput{MaxResults: aws.Int32(2)}); p.HasMorePages(); {
		out := orgMust(p.NextPage(ctx))(t)
		all = append(all, out.CreateAccountStatuses...)
		pages++
	}
	if len(all) != 4 || pages != 2 {
		t.Fatalf("%d statuses in %d pages, want 4 in 2", len(all), pages)
	}
	succeeded := orgMust(cl.ListCreateAccountStatus(ctx, &organizations.ListCreateAccountStatusInput{States: []orgtypes.CreateAccountState{orgtypes.CreateAccountStateSucceeded}}))(t)
	if len(succeeded.CreateAccountStatuses) != 3 {
		t.Errorf("SUCCEEDED: %+v", succeeded.CreateAccountStatuses)
	}
	for _, st := range succeeded.CreateAccountStatuses {
		if !created[aws.ToString(st.Id)] || aws.ToString(st.AccountId) == "" || st.CompletedTimestamp == nil {
			t.Errorf("status %+v", st)
		}
	}
	onlyFailed := orgMust(cl.ListCreateAccountStatus(ctx, &organizations.ListCreateAccountStatusInput{States: []orgtypes.CreateAccountState{orgtypes.CreateAccountStateFailed}}))(t)
	if len(onlyFailed.CreateAccountStatuses) != 1 || aws.ToString(onlyFailed.CreateAccountStatuses[0].Id) != aws.ToString(failed.Id) ||
		onlyFailed.CreateAccountStatuses[0].FailureReason != orgtypes.CreateAccountFailureReasonEmailAlreadyExists {
		t.Errorf("FAILED: %+v", onlyFailed.CreateAccountStatuses)
	}

	_, err := cl.ListCreateAccountStatus(ctx, &organizations.ListCreateAccountStatusInput{States: []orgtypes.CreateAccountState{"DONE"}})
	if msg := apiError(t, err, "InvalidInputException"); !strings.Contains(msg, "DONE") {
		t.Errorf("bad state: %s", msg)
	}
	_, err = cl.ListCreateAccountStatus(ctx, &organizations.ListCreateAccountStatusInput{NextToken: aws.String("not-a-token")})
	apiError(t, err, "InvalidInputException")

	member := organizations.NewFromConfig(c.config("data-science"))
	_, err = member.ListCreateAccountStatus(ctx, &organizations.ListCreateAccountStatusInput{})
	apiError(t, err, "AccessDeniedException")
}
