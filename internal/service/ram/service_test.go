package ram_test

import (
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/authz"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/service/organizations"
	"github.com/cairnhq/cairn/internal/service/ram"
	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// The accounts of the fixture's organization.
const (
	owner    = "111111111111"
	consumer = "222222222222"
	third    = "333333333333"
	pipeline = "arn:aws:sagemaker:us-east-1:111111111111:pipeline/train"
)

// clock is a test clock moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// timers records what the service asks to run later; fire runs what is due on the clock.
type timers struct {
	mu      sync.Mutex
	clock   *clock
	pending []*timer
}

type timer struct {
	at      time.Time
	f       func()
	stopped bool
}

func (t *timer) Stop() bool { stopped := t.stopped; t.stopped = true; return !stopped }

func (ts *timers) AfterFunc(d time.Duration, f func()) ram.Timer {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t := &timer{at: ts.clock.Now().Add(d), f: f}
	ts.pending = append(ts.pending, t)
	return t
}

// fire runs the timers due by the clock's time and reports how many ran.
func (ts *timers) fire() int {
	ts.mu.Lock()
	var due []*timer
	var rest []*timer
	for _, t := range ts.pending {
		switch {
		case t.stopped:
		case !t.at.After(ts.clock.Now()):
			due = append(due, t)
		default:
			rest = append(rest, t)
		}
	}
	ts.pending = rest
	ts.mu.Unlock()
	for _, t := range due {
		t.stopped = true
		t.f()
	}
	return len(due)
}

// fixture is RAM on a fresh store with an organization of three member accounts, a
// pipeline in the owner's account, an injected clock and injected timers.
type fixture struct {
	t      *testing.T
	db     *sqlite.DB
	clock  *clock
	timers *timers
	svc    *ram.Service
	api    *operation.Service
	// authorizer lives as long as the fixture, as the server's does, so that what it
	// caches would outlive a share's changes (see authorize).
	authorizer *authz.Authorizer
}

func newFixture(t *testing.T, delay time.Duration) *fixture {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, db: db, clock: &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}}
	f.timers = &timers{clock: f.clock}
	orgs := organizations.New(organizations.Options{Store: db, Now: f.clock.Now, Random: rand.Reader})
	if err := orgs.Bootstrap(context.Background(), []organizations.NewAccount{{ID: owner, Name: "owner"}, {ID: consumer, Name: "consumer"},
		{ID: third, Name: "third"}}); err != nil {
		t.Fatal(err)
	}
	err = db.Update(context.Background(), func(tx store.Tx) error {
		return tx.CreatePipeline(&store.Pipeline{AccountID: owner, Name: "train", ARN: pipeline, Status: "Active", Version: 1,
			CreatedAt: f.clock.Now(), LastModifiedAt: f.clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	f.start(delay)
	return f
}

// start builds the service on the fixture's store, as a server start does.
func (f *fixture) start(delay time.Duration) {
	f.t.Helper()
	exists := func(tx store.Tx, r ram.Ref) (bool, error) {
		_, err := tx.Pipeline(r.Account, r.Name)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	lineage := func(tx store.Tx, r ram.Ref) (bool, error) { return r.Name == ram.DefaultLineageGroup, nil }
	svc, err := ram.New(ram.Options{Store: f.db, Now: f.clock.Now, Random: rand.Reader, Region: "us-east-1", AssociationDelay: delay,
		AfterFunc: f.timers.AfterFunc,
		Types:     []ram.ResourceType{ram.PipelineType("us-east-1", exists), ram.LineageGroupType("us-east-1", lineage)}})
	if err != nil {
		f.t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(svc.Close)
	f.svc, f.api = svc, svc.API().Operations()
}

// call runs an operation as an account's root user, without authorization.
func (f *fixture) call(account, op string, in any) (any, error) {
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: account, ARN: "arn:aws:iam::" + account + ":root"})
	return f.api.Invoke(ctx, nil, op, in)
}

// must runs an operation that must succeed.
func (f *fixture) must(account, op string, in any) any {
	f.t.Helper()
	out, err := f.call(account, op, in)
	if err != nil {
		f.t.Fatalf("%s as %s: %v", op, account, err)
	}
	return out
}

// share shares the pipeline with principals as the owner and returns the share's ARN.
func (f *fixture) share(name string, principals ...string) string {
	f.t.Helper()
	out := f.must(owner, "CreateResourceShare", &ram.CreateResourceShareInput{Name: name, ResourceArns: []string{pipeline}, Principals: principals})
	return out.(*ram.CreateResourceShareOutput).ResourceShare.ResourceShareArn
}

// invitations lists what an account was invited to.
func (f *fixture) invitations(account string) []ram.ResourceShareInvitation {
	f.t.Helper()
	out := f.must(account, "GetResourceShareInvitations", &ram.GetResourceShareInvitationsInput{})
	return out.(*ram.GetResourceShareInvitationsOutput).ResourceShareInvitations
}

// associationStatus is the status of one association of a share.
func (f *fixture) associationStatus(shareARN, typ string) string {
	f.t.Helper()
	out := f.must(owner, "GetResourceShareAssociations", &ram.GetResourceShareAssociationsInput{AssociationType: typ, ResourceShareArns: []string{shareARN}})
	list := out.(*ram.GetResourceShareAssociationsOutput).ResourceShareAssociations
	if len(list) != 1 {
		f.t.Fatalf("%d %s associations", len(list), typ)
	}
	return list[0].Status
}

// code is an error's code, "" for none.
func code(err error) string {
	var e *operation.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}
