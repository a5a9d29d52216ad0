package s3

import (
	"context"
	"sync/atomic"

	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/store"
)

// compactAfter is how many bytes of packed blobs must have been dropped before the
// segments are compacted again.
const compactAfter = blob.DefaultSegmentSize / 2

// compaction tracks the space dropped from segments since they were last compacted.
type compaction struct {
	dead    atomic.Int64
	running atomic.Bool
}

// dropped notes removed blobs and compacts the segments in the background once enough
// packed bytes are dead.
func (s *Service) dropped(ids []string) {
	var n int64
	for _, id := range ids {
		if size, ok := blob.PackedSize(id); ok {
			n += size
		}
	}
	if n == 0 || s.compaction.dead.Add(n) < compactAfter {
		return
	}
	if s.compaction.running.CompareAndSwap(false, true) {
		go func() {
			defer s.compaction.running.Store(false)
			s.compact()
		}()
	}
}

// compact reclaims the space of mostly dead segments.
func (s *Service) compact() {
	s.compaction.dead.Store(0)
	n, err := s.blobs.Compact(storeCompactor{s.store})
	if err != nil {
		s.log.Warn("s3: compact segments", "err", err)
	} else if n > 0 {
		s.log.Info("s3: compacted segments", "deleted", n)
	}
}

// storeCompactor answers the blob store's questions about records from the S3 store.
type storeCompactor struct{ store store.Scoped[txn, txn] }

func (c storeCompactor) Live(prefix string) ([]string, error) {
	var ids []string
	err := c.store.View(context.Background(), func(tx txn) error {
		var err error
		ids, err = tx.BlobsWithPrefix(prefix)
		return err
	})
	return ids, err
}

func (c storeCompactor) Relocate(from, to string) (bool, error) {
	var moved bool
	err := c.store.Update(context.Background(), func(tx txn) error {
		var err error
		moved, err = tx.ReplaceBlob(from, to)
		return err
	})
	return moved, err
}
