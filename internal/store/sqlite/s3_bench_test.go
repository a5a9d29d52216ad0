package sqlite_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// putBatch is how many objects one benchmark transaction puts, as S3's group commit
// shares one transaction among concurrent uploads.
const putBatch = 32

func benchBucket(b *testing.B) *sqlite.DB {
	b.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "cairn.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	err = db.Update(context.Background(), func(tx store.Tx) error {
		return tx.CreateBucket(&store.Bucket{Name: "bench", AccountID: "111111111111", Region: "us-east-1"})
	})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

func benchObject(i int) *store.Object {
	return &store.Object{Bucket: "bench", Key: "objects/" + strconv.Itoa(i), Size: 4096, ETag: `"0123456789abcdef0123456789abcdef"`,
		BlobID: "blob-" + strconv.Itoa(i), LastModified: time.Unix(1700000000, 0),
		Checksum: store.Checksum{Algorithm: "CRC32", Type: "FULL_OBJECT", Value: "AAAAAA=="}}
}

// BenchmarkPutObject puts new untagged objects, putBatch to a transaction; ns/op is per
// object.
//
//	go test ./internal/store/sqlite -run '^$' -bench PutObject
func BenchmarkPutObject(b *testing.B) {
	db := benchBucket(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n%putBatch == 0 {
			err := db.Update(context.Background(), func(tx store.Tx) error {
				for i := n; i < n+putBatch; i++ {
					if _, err := tx.PutObject(benchObject(i)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		n++
	}
}

// BenchmarkObject reads an untagged object in its own read transaction.
func BenchmarkObject(b *testing.B) {
	db := benchBucket(b)
	err := db.Update(context.Background(), func(tx store.Tx) error {
		_, err := tx.PutObject(benchObject(1))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		err := db.View(context.Background(), func(tx store.Tx) error {
			_, err := tx.Object("bench", "objects/1")
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
