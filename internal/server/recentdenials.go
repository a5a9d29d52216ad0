package server

import (
	"context"
	"errors"
	"sync"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/console"
	"github.com/cairnhq/cairn/internal/operation"
)

// recentDenials keeps, in memory, the last denials of each account's principals, with the
// explanation the policy engine gave, for the console's access page. A restart forgets
// them; the server log keeps every denial.
type recentDenials struct {
	mu    sync.Mutex
	byAcc map[string][]console.Denial
	keep  int
}

// denialsPerAccount is how many denials an account keeps.
const denialsPerAccount = 200

func newRecentDenials() *recentDenials {
	return &recentDenials{byAcc: map[string][]console.Denial{}, keep: denialsPerAccount}
}

func (r *recentDenials) add(account string, d console.Denial) {
	r.mu.Lock()
	defer r.mu.Unlock()
	list := append(r.byAcc[account], d)
	if len(list) > r.keep {
		list = append(list[:0:0], list[len(list)-r.keep:]...)
	}
	r.byAcc[account] = list
}

// Recent returns an account's denials, newest first.
func (r *recentDenials) Recent(account string) []console.Denial {
	r.mu.Lock()
	defer r.mu.Unlock()
	list := r.byAcc[account]
	out := make([]console.Denial, len(list))
	for i, d := range list {
		out[len(list)-1-i] = d
	}
	return out
}

// recordedAuthorizer records every denial of its authorizer in recentDenials.
type recordedAuthorizer struct {
	operation.Authorizer
	denials *recentDenials
	server  *Server
}

var _ operation.Authorizer = recordedAuthorizer{}

// Authorize implements operation.Authorizer.
func (a recordedAuthorizer) Authorize(ctx context.Context, svc *operation.Service, access *operation.Access) error {
	err := a.Authorizer.Authorize(ctx, svc, access)
	var e *operation.Error
	if err != nil && errors.As(err, &e) && e.Denial != nil {
		account := arn.Account(e.Denial.Principal)
		if account == "" {
			return err
		}
		d := console.Denial{Time: a.server.opts.Now(), Principal: e.Denial.Principal, Action: e.Denial.Action,
			Resource: e.Denial.Resource, Decision: e.Denial.Decision, PolicyType: e.Denial.PolicyType,
			PolicyID: e.Denial.PolicyID, Statement: e.Denial.Statement, Message: e.Message}
		if info := operation.RequestInfoFrom(ctx); info != nil {
			d.RequestID = info.ID
		}
		a.denials.add(account, d)
	}
	return err
}
