package server

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/console"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// recentDenials records the denials of each account's principals, with the explanation
// the policy engine gave, for the console's access page. They are written to the store in
// batches, off the request path, and the store keeps the newest denialsPerAccount of each
// account, so they outlive a restart and replicas sharing a database see the same ones. A
// request never waits on the store: while maxPendingDenials wait to be written, more are
// dropped and the drop logged (the server log keeps every denial).
type recentDenials struct {
	db  store.Store
	log *slog.Logger

	mu      sync.Mutex
	pending []*store.Denial
	dropped int

	flushMu sync.Mutex    // one batch written at a time, in the order taken
	wake    chan struct{} // a denial is pending
	done    chan struct{} // closed by close
	stopped chan struct{} // closed when the writer has written the last batch
}

const (
	// denialsPerAccount is how many denials an account keeps.
	denialsPerAccount = 200
	// maxPendingDenials bounds the denials waiting to be written.
	maxPendingDenials = 1000
	// denialBatchInterval is the least time between two batches.
	denialBatchInterval = 100 * time.Millisecond
)

func newRecentDenials(db store.Store, log *slog.Logger) *recentDenials {
	r := &recentDenials{db: db, log: log, wake: make(chan struct{}, 1), done: make(chan struct{}), stopped: make(chan struct{})}
	go r.write()
	return r
}

// add queues a denial to be written.
func (r *recentDenials) add(d *store.Denial) {
	r.mu.Lock()
	if len(r.pending) >= maxPendingDenials {
		r.dropped++
		r.mu.Unlock()
		return
	}
	r.pending = append(r.pending, d)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// write writes the pending denials in batches until close.
func (r *recentDenials) write() {
	defer close(r.stopped)
	for {
		select {
		case <-r.wake:
		case <-r.done:
			r.flush()
			return
		}
		r.flush()
		select {
		case <-time.After(denialBatchInterval):
		case <-r.done:
			r.flush()
			return
		}
	}
}

// flush writes the pending denials in one transaction.
func (r *recentDenials) flush() {
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	r.mu.Lock()
	batch, dropped := r.pending, r.dropped
	r.pending, r.dropped = nil, 0
	r.mu.Unlock()
	if dropped > 0 {
		r.log.Warn("denials not kept for the console: too many at once (the log above has each)", "dropped", dropped)
	}
	if len(batch) == 0 {
		return
	}
	if err := r.db.Update(context.Background(), func(tx store.Tx) error {
		return tx.AddDenials(batch, denialsPerAccount)
	}); err != nil {
		r.log.Error("record denials for the console", "denials", len(batch), "err", err)
	}
}

// close writes what is pending and stops the writer; the store must still be open.
func (r *recentDenials) close() {
	select {
	case <-r.done:
	default:
		close(r.done)
	}
	<-r.stopped
}

// Recent returns an account's denials, newest first, those still pending included.
func (r *recentDenials) Recent(account string) []console.Denial {
	r.flush()
	var ds []*store.Denial
	if err := r.db.View(context.Background(), func(tx store.Tx) error {
		var err error
		ds, err = tx.RecentDenials(account, denialsPerAccount)
		return err
	}); err != nil {
		r.log.Error("read recent denials", "account", account, "err", err)
		return nil
	}
	out := make([]console.Denial, len(ds))
	for i, d := range ds {
		out[i] = console.Denial{Time: d.Time, Principal: d.Principal, Action: d.Action, Resource: d.Resource,
			Decision: d.Decision, PolicyType: d.PolicyType, PolicyID: d.PolicyID, Statement: d.Statement,
			Message: d.Message, RequestID: d.RequestID}
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
		d := &store.Denial{Account: account, Time: a.server.opts.Now(), Principal: e.Denial.Principal, Action: e.Denial.Action,
			Resource: e.Denial.Resource, Decision: e.Denial.Decision, PolicyType: e.Denial.PolicyType,
			PolicyID: e.Denial.PolicyID, Statement: e.Denial.Statement, Message: e.Message}
		if info := operation.RequestInfoFrom(ctx); info != nil {
			d.RequestID = info.ID
		}
		a.denials.add(d)
	}
	return err
}
