package s3

import (
	"context"
	"errors"
	"sync"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// maxBatch bounds how many writes one group commit carries.
const maxBatch = 256

// committer runs the small write transactions of concurrent uploads as one store
// transaction (group commit): the store has one writer, and a commit shared by many
// uploads costs each a fraction of its own. The first writer to arrive leads: it commits
// what is pending, then hands the lead to the first writer that arrived meanwhile.
type committer struct {
	store store.Scoped[txn, txn]

	mu      sync.Mutex
	pending []*commitRequest
	leading bool
}

type commitRequest struct {
	fn   func(txn) error
	err  error
	wake chan bool // true: lead the next batch; false: done, err is set
}

// update runs fn in a transaction shared with other writers. fn must make its checks
// before it writes, and fail with an *operation.Error only before writing: such a failure
// is the request's alone; any other error fails the shared transaction, and each of its
// writes is then run again in its own.
func (c *committer) update(ctx context.Context, fn func(txn) error) error {
	r := &commitRequest{fn: fn, wake: make(chan bool, 1)}
	c.mu.Lock()
	c.pending = append(c.pending, r)
	lead := !c.leading
	c.leading = true
	c.mu.Unlock()
	if !lead && !<-r.wake {
		return r.err
	}
	c.mu.Lock()
	n := min(len(c.pending), maxBatch)
	batch := append([]*commitRequest(nil), c.pending[:n]...)
	c.pending = append(c.pending[:0], c.pending[n:]...)
	c.mu.Unlock()

	c.run(context.WithoutCancel(ctx), batch)
	for _, b := range batch {
		if b != r {
			b.wake <- false
		}
	}
	c.mu.Lock()
	if len(c.pending) > 0 {
		c.pending[0].wake <- true
	} else {
		c.leading = false
	}
	c.mu.Unlock()
	return r.err
}

func (c *committer) run(ctx context.Context, batch []*commitRequest) {
	err := c.store.Update(ctx, func(tx txn) error {
		for _, b := range batch {
			b.err = b.fn(tx)
			var e *operation.Error
			if b.err != nil && !errors.As(b.err, &e) {
				return b.err
			}
		}
		return nil
	})
	if err == nil {
		return
	}
	if len(batch) == 1 {
		batch[0].err = err
		return
	}
	for _, b := range batch {
		b.err = c.store.Update(ctx, b.fn)
	}
}
