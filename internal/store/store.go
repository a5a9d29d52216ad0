// Package store defines Cairn's persistent state: the domain records services keep and the
// transactional interface every backend implements. store/sqlite is the embedded default;
// store/storetest is the conformance suite each backend must pass.
package store

import (
	"context"
	"errors"
)

// Errors a backend returns; test with errors.Is.
var (
	// ErrNotFound: the record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrExists: a record with the same key or unique name exists.
	ErrExists = errors.New("store: already exists")
)

// Store is a transactional store. Every mutating operation of a service runs in exactly one
// Update; reads that need a consistent view run in one View.
type Store interface {
	// View runs fn in a read-only transaction: nothing fn writes is kept or published.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction, committed when fn returns nil and
	// rolled back entirely when it returns an error. The changes it recorded are
	// published to subscribers after the commit, before Update returns; a rolled-back
	// Update publishes nothing.
	Update(ctx context.Context, fn func(Tx) error) error
	// Subscribe calls fn, in commit order, with the changes of every committed Update
	// that recorded any. fn runs in the committing goroutine before the next Update
	// commits: it must be quick and must not call Update (it may call View, or queue work
	// that writes). It returns a function that ends the subscription.
	Subscribe(fn func([]Change)) (cancel func())
	Close() error
}

// Change names a record an Update wrote.
type Change struct {
	Kind ChangeKind
	Key  string
}

// Tx is one transaction. Reads return ErrNotFound for a missing record; creates return
// ErrExists on a clash.
type Tx interface {
	OrganizationTx
	AccountTx
	AccessKeyTx
	IAMTx
	OrgPolicyTx
	S3Tx
	SessionTx
	SageMakerTx
	SageMakerModelTx
	ModelRegistryTx
	LineageTx
	RAMTx
	RAMBatchTx
	KMSTx
	TagTx
	DenialTx
}

// Page asks for at most Limit records after the key After (exclusive), in key order.
type Page struct {
	After string
	Limit int
}
