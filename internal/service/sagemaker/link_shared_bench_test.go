package sagemaker

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// BenchmarkLinkSharedArtifacts is what sharing a lineage group costs once its artifacts
// exist: 2,000 artifacts in the owner's account, and in the consumer's an artifact for the
// same data as each; the owner's group's policy lets the consumer query it. Each iteration
// is the pass RAM's change of the group's policy runs; the first links 2,000 pairs, the
// others find them linked.
func BenchmarkLinkSharedArtifacts(b *testing.B) {
	const n = 2000
	const owner, consumer = "111111111111", "222222222222"
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "cairn.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	s := New(Options{Store: db, Now: time.Now, Random: rand.Reader, Region: "us-east-1"})
	err = db.Update(ctx, func(tx store.Tx) error {
		for i := range n {
			for _, account := range []string{owner, consumer} {
				id := fmt.Sprintf("%032x", i*2+len(account)%2)
				if account == consumer {
					id = fmt.Sprintf("c%031x", i)
				}
				uri := fmt.Sprintf("s3://lake/data/%05d", i)
				e := &store.LineageEntity{ARN: s.lineageARN(account, store.LineageArtifact, id), AccountID: account, Kind: store.LineageArtifact,
					Type: "DataSet", SourceURI: uri, SourceKey: uri + "\x00", CreatedAt: time.Now(), LastModifiedAt: time.Now()}
				if err := tx.CreateLineageEntity(e); err != nil {
					return err
				}
			}
		}
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + consumer + `"},"Action":["sagemaker:QueryLineage"],"Resource":["` + s.lineageGroupARN(owner) + `"]}]}`
		return tx.PutResourcePolicy(s.lineageGroupARN(owner), owner, []byte(doc), time.Now())
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if err := db.Update(ctx, func(tx store.Tx) error { return s.LinkSharedArtifacts(tx, owner) }); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.ReportMetric(float64(time.Since(start).Milliseconds()), "first-ms")
		}
	}
	var links int
	db.View(ctx, func(tx store.Tx) error {
		as, err := tx.ListLineageAssociations(consumer, "", "")
		links = len(as)
		return err
	})
	if links != n {
		b.Fatalf("%d links, want %d", links, n)
	}
}
