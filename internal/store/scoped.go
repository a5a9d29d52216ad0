package store

import (
	"context"
	"fmt"
	"reflect"
)

// Scoped is a Store seen through the small transaction interfaces one consumer declares:
// R for what it reads in a View, W for what it reads and writes in an Update. A service or
// the pipeline engine holds a Scoped rather than the Store, so the methods it may call are
// written down beside it and nothing else of the Store is in reach.
type Scoped[R, W any] struct {
	store Store
}

// Scope returns s seen through R and W. It panics unless Tx implements both, which the
// wiring finds at start, not a request later.
func Scope[R, W any](s Store) Scoped[R, W] {
	tx := reflect.TypeFor[Tx]()
	for _, t := range []reflect.Type{reflect.TypeFor[R](), reflect.TypeFor[W]()} {
		if t.Kind() != reflect.Interface || !tx.Implements(t) {
			panic(fmt.Sprintf("store: %v is not an interface store.Tx implements", t))
		}
	}
	return Scoped[R, W]{store: s}
}

// View runs fn in a read-only transaction.
func (s Scoped[R, W]) View(ctx context.Context, fn func(R) error) error {
	return s.store.View(ctx, func(tx Tx) error { return fn(any(tx).(R)) })
}

// Update runs fn in a read-write transaction (see Store.Update).
func (s Scoped[R, W]) Update(ctx context.Context, fn func(W) error) error {
	return s.store.Update(ctx, func(tx Tx) error { return fn(any(tx).(W)) })
}

// Subscribe calls fn with the changes of every committed Update (see Store.Subscribe).
func (s Scoped[R, W]) Subscribe(fn func([]Change)) (cancel func()) { return s.store.Subscribe(fn) }
