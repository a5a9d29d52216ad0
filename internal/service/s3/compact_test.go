package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// TestCompactSegments writes small objects into small segments, deletes most of them and
// checks that compaction deletes segments while every remaining object stays readable.
func TestCompactSegments(t *testing.T) {
	dir := t.TempDir()
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: "111111111111", ARN: auth.RootARN("111111111111")})
	db, err := sqlite.Open(ctx, filepath.Join(dir, "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	blobs, err := blob.Open(filepath.Join(dir, "objects"), blob.Options{Random: rand.Reader, SegmentSize: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Store: db, Blobs: blobs, Region: "us-east-1", Random: rand.Reader})
	if _, err := s.createBucket(ctx, &CreateBucketInput{Bucket: "compact"}); err != nil {
		t.Fatal(err)
	}
	content := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 3000+i) }
	for i := 0; i < 40; i++ {
		data := content(i)
		if _, err := s.putObject(ctx, &PutObjectInput{Bucket: "compact", Key: fmt.Sprint("k", i),
			Body: awsproto.NewBody(bytes.NewReader(data), int64(len(data)))}); err != nil {
			t.Fatalf("putObject %d: %v", i, err)
		}
	}
	for i := 0; i < 40; i++ {
		if i%4 != 0 {
			if _, err := s.deleteObject(ctx, &ObjectInput{Bucket: "compact", Key: fmt.Sprint("k", i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	segments := func() int {
		entries, _ := os.ReadDir(filepath.Join(dir, "objects", "segments"))
		return len(entries)
	}
	before := segments()
	for s.compaction.running.Load() { // the startup sweep
		time.Sleep(time.Millisecond)
	}
	s.compact()
	if after := segments(); after >= before {
		t.Errorf("%d segments before compaction, %d after", before, after)
	}
	for i := 0; i < 40; i += 4 {
		out, err := s.getObject(ctx, &GetObjectInput{Bucket: "compact", Key: fmt.Sprint("k", i)})
		if err != nil {
			t.Fatalf("getObject %d after compaction: %v", i, err)
		}
		got, err := io.ReadAll(out.Body)
		out.Body.Close()
		if err != nil || !bytes.Equal(got, content(i)) {
			t.Errorf("object %d after compaction: %d bytes, %v", i, len(got), err)
		}
	}
}
