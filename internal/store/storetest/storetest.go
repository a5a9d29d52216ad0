// Package storetest is the conformance suite of store.Store: what every backend must do,
// whatever its database. A backend runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			// a new, empty store, closed when t ends
//		})
//	}
//
// The suite exercises every method of store.Tx and store.Store (each entity's reads,
// writes, ErrNotFound and ErrExists, names that compare without case, paging with
// store.Page, list order, tags, the changes each write records) and the rules of
// transactions (rollback, read-only views, publication after commit in commit order). Its
// own first test fails when a method of store.Tx or store.Store is claimed by no test, so
// a method added to the interfaces needs a test here before any backend passes.
//
// Records must read back exactly as written, times as the same instants in UTC to the
// nanosecond, and text (S3 keys, ARNs, IDs) must order as bytes. The suite ends an Update
// at the first write that fails, as services do: a backend whose transaction is unusable
// after a failed statement (PostgreSQL's) passes.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

// Opener returns a new, empty store at its newest schema, and closes it when t ends.
type Opener func(t *testing.T) store.Store

// test is one test of the suite and the methods of store.Tx and store.Store it exercises.
type test struct {
	name    string
	methods []string
	run     func(h *h)
}

// tests lists the suite, area by area.
func tests() []test {
	var all []test
	for _, area := range [][]test{
		transactionTests(),
		accountTests(),
		iamTests(),
		orgTests(),
		s3Tests(),
		sageMakerTests(),
		lineageTests(),
		ramTests(),
		kmsTests(),
		tagTests(),
		denialTests(),
	} {
		all = append(all, area...)
	}
	return all
}

// Run runs the suite against stores that open returns, one for each test.
func Run(t *testing.T, open Opener) {
	all := tests()
	t.Run("Coverage", func(t *testing.T) { checkCoverage(t, all) })
	for _, tc := range all {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(&h{T: t, s: open(t)})
		})
	}
}

// checkCoverage fails for a method of store.Tx or store.Store that no test claims, and
// for a claimed name that is no such method.
func checkCoverage(t *testing.T, all []test) {
	methods := map[string]bool{}
	for _, iface := range []reflect.Type{reflect.TypeFor[store.Tx](), reflect.TypeFor[store.Store]()} {
		for i := range iface.NumMethod() {
			methods[iface.Method(i).Name] = true
		}
	}
	claimed := map[string]bool{}
	for _, tc := range all {
		for _, m := range tc.methods {
			if !methods[m] {
				t.Errorf("test %s claims %s, which is not a method of store.Tx or store.Store", tc.name, m)
			}
			claimed[m] = true
		}
	}
	var missing []string
	for m := range methods {
		if !claimed[m] {
			missing = append(missing, m)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no test exercises %s", m)
	}
}

// h is what a test works with: its store and checks that report failures.
type h struct {
	*testing.T
	s store.Store
}

// update runs fn in an Update and fails the test if it fails.
func (h *h) update(fn func(tx store.Tx) error) {
	h.Helper()
	if err := h.s.Update(context.Background(), fn); err != nil {
		h.Fatalf("Update: %v", err)
	}
}

// tryUpdate runs fn in an Update and returns its error.
func (h *h) tryUpdate(fn func(tx store.Tx) error) error {
	return h.s.Update(context.Background(), fn)
}

// view runs fn in a View and fails the test if it fails.
func (h *h) view(fn func(tx store.Tx) error) {
	h.Helper()
	if err := h.s.View(context.Background(), fn); err != nil {
		h.Fatalf("View: %v", err)
	}
}

// equal reports got differing from want.
func (h *h) equal(what string, got, want any) {
	h.Helper()
	if !reflect.DeepEqual(got, want) {
		h.Errorf("%s:\n got %s\nwant %s", what, show(got), show(want))
	}
}

// is reports err not matching want (errors.Is; nil wants no error).
func (h *h) is(what string, err, want error) {
	h.Helper()
	switch {
	case want == nil && err != nil:
		h.Errorf("%s: unexpected error %v", what, err)
	case want != nil && !errors.Is(err, want):
		h.Errorf("%s: error %v, want %v", what, err, want)
	}
}

// must fails the test at once on an error a test needs to go on.
func (h *h) must(what string, err error) {
	h.Helper()
	if err != nil {
		h.Fatalf("%s: %v", what, err)
	}
}

// record subscribes to the store's changes until the test ends and returns a function
// that reports, in order, every change published so far. Publication happens before
// Update returns, so after an Update its changes are there.
func (h *h) record() (published func() []store.Change) {
	var mu sync.Mutex
	var changes []store.Change
	cancel := h.s.Subscribe(func(c []store.Change) {
		mu.Lock()
		defer mu.Unlock()
		changes = append(changes, c...)
	})
	h.Cleanup(cancel)
	return func() []store.Change {
		mu.Lock()
		defer mu.Unlock()
		return append([]store.Change(nil), changes...)
	}
}

// show formats a value for a failure message, following pointers.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return reflect.ValueOf(v).String()
	}
	return string(b)
}

// at is a time of the suite: second n after a fixed instant, with nanoseconds, in UTC.
func at(n int) time.Time { return time.Unix(1700000000+int64(n), 123456789).UTC() }

// Accounts the suite's records belong to.
const (
	acct  = "111111111111"
	acct2 = "222222222222"
)

// createAccounts creates accounts that other records refer to.
func (h *h) createAccounts(ids ...string) {
	h.Helper()
	h.update(func(tx store.Tx) error {
		for _, id := range ids {
			if err := tx.CreateAccount(&store.Account{ID: id, Name: "account-" + id, Email: id + "@example.com",
				State: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: at(0), ParentID: "r-root"}); err != nil {
				return err
			}
		}
		return nil
	})
}
