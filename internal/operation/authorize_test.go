package operation_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"
)

// byARN allows the resources it lists, denies the others, and fails for "boom".
type byARN map[string]bool

func (a byARN) Authorize(_ context.Context, svc *operation.Service, access *operation.Access) error {
	for _, r := range access.Resources {
		if r.ARN == "boom" {
			return errors.New("store unavailable")
		}
		if !a[r.ARN] {
			return svc.AccessDenied("denied " + r.ARN)
		}
	}
	return nil
}

type findInput struct{ ARNs []string }

type findOutput struct{ Allowed []string }

// A handler asks Allowed about what it finds, decided as its own request was.
func TestAllowed(t *testing.T) {
	find := operation.Declare(operation.Op[findInput, findOutput]{Name: "Find",
		Handler: func(ctx context.Context, in *findInput) (*findOutput, error) {
			out := &findOutput{}
			for _, a := range in.ARNs {
				ok, err := operation.Allowed(ctx, &operation.Access{Action: "svc:Find", Resources: []operation.Resource{{ARN: a}}})
				if err != nil {
					return nil, err
				}
				if ok {
					out.Allowed = append(out.Allowed, a)
				}
			}
			return out, nil
		}})
	svc := operation.NewService(operation.Service{Name: "svc"}, find)
	authz := byARN{"*": true, "a": true, "c": true}

	out, err := svc.Invoke(context.Background(), authz, "Find", &findInput{ARNs: []string{"a", "b", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.(*findOutput).Allowed; len(got) != 2 || got[0] != "a" || got[1] != "c" {
		t.Errorf("allowed %v, want [a c]", got)
	}
	if _, err := svc.Invoke(context.Background(), authz, "Find", &findInput{ARNs: []string{"boom"}}); err == nil || err.Error() != "store unavailable" {
		t.Errorf("a failing authorizer: %v", err)
	}
	// Run without an authorizer: the caller decided, everything is allowed.
	out, err = svc.Run(context.Background(), nil, find, &findInput{ARNs: []string{"a", "b"}})
	if err != nil || len(out.(*findOutput).Allowed) != 2 {
		t.Errorf("without an authorizer: %v %v", out, err)
	}
	// Outside an operation Allowed refuses.
	if ok, err := operation.Allowed(context.Background(), &operation.Access{Action: "svc:Find"}); ok || err == nil {
		t.Errorf("outside an operation: %v %v", ok, err)
	}
}
