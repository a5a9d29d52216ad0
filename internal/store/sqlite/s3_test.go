package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

func openS3(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func s3Update(t *testing.T, db *sqlite.DB, fn func(store.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func s3View(t *testing.T, db *sqlite.DB, fn func(store.Tx) error) {
	t.Helper()
	if err := db.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func TestS3BucketsAndObjects(t *testing.T) {
	db := openS3(t)
	now := time.Unix(1700000000, 0).UTC()
	s3Update(t, db, func(tx store.Tx) error {
		for _, b := range []*store.Bucket{
			{Name: "beta", AccountID: "111111111111", Region: "us-east-1", CreatedAt: now, Tags: map[string]string{"k": "v"}},
			{Name: "alpha", AccountID: "111111111111", Region: "us-east-1", CreatedAt: now},
			{Name: "other", AccountID: "222222222222", Region: "us-east-1", CreatedAt: now},
		} {
			if err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		if err := tx.CreateBucket(&store.Bucket{Name: "alpha", AccountID: "222222222222"}); !errors.Is(err, store.ErrExists) {
			t.Errorf("CreateBucket duplicate = %v, want ErrExists", err)
		}
		return tx.PutBucketPolicy("alpha", []byte(`{"Version":"2012-10-17"}`))
	})
	s3View(t, db, func(tx store.Tx) error {
		list, err := tx.ListBuckets("111111111111", store.Page{})
		if err != nil || len(list) != 2 || list[0].Name != "alpha" || list[1].Name != "beta" {
			t.Errorf("ListBuckets = %v, %v", list, err)
		}
		b, err := tx.Bucket("alpha")
		if err != nil || string(b.Policy) != `{"Version":"2012-10-17"}` || !b.CreatedAt.Equal(now) {
			t.Errorf("Bucket(alpha) = %+v, %v", b, err)
		}
		if b, _ := tx.Bucket("beta"); b.Policy != nil || b.Tags["k"] != "v" {
			t.Errorf("Bucket(beta) = %+v", b)
		}
		return nil
	})

	// Objects: replacement reports the blob it orphans; a missing bucket is ErrNotFound.
	obj := func(key, blob string) *store.Object {
		return &store.Object{Bucket: "alpha", Key: key, Size: 3, ETag: `"e"`, BlobID: blob, LastModified: now,
			Headers:  store.ObjectHeaders{ContentType: "text/plain", Metadata: map[string]string{"m": "1"}},
			Checksum: store.Checksum{Algorithm: "CRC32", Type: "FULL_OBJECT", Value: "AAAAAA=="}}
	}
	s3Update(t, db, func(tx store.Tx) error {
		for _, k := range []string{"b/2", "a", "b/1", "c", "b/\u00ff", "b0"} {
			if orphans, err := tx.PutObject(obj(k, "blob-"+k)); err != nil || orphans != nil {
				t.Errorf("PutObject %s = %v, %v", k, orphans, err)
			}
		}
		if orphans, err := tx.PutObject(obj("a", "blob-a2")); err != nil || !reflect.DeepEqual(orphans, []string{"blob-a"}) {
			t.Errorf("PutObject replace = %v, %v", orphans, err)
		}
		missing := obj("k", "x")
		missing.Bucket = "nope"
		if _, err := tx.PutObject(missing); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("PutObject into a missing bucket = %v, want ErrNotFound", err)
		}
		return nil
	})
	keys := func(q store.ObjectQuery) []string {
		var out []string
		s3View(t, db, func(tx store.Tx) error {
			list, err := tx.ListObjects("alpha", q)
			for _, o := range list {
				out = append(out, o.Key)
			}
			return err
		})
		return out
	}
	if got := keys(store.ObjectQuery{}); !reflect.DeepEqual(got, []string{"a", "b/1", "b/2", "b/\u00ff", "b0", "c"}) {
		t.Errorf("all keys = %v", got)
	}
	if got := keys(store.ObjectQuery{Prefix: "b/"}); !reflect.DeepEqual(got, []string{"b/1", "b/2", "b/\u00ff"}) {
		t.Errorf("prefix b/ = %v", got)
	}
	// After a rolled-up prefix: every key under it sorts below prefix+"\xff".
	if got := keys(store.ObjectQuery{After: "b/\xff"}); !reflect.DeepEqual(got, []string{"b0", "c"}) {
		t.Errorf("after b/ = %v", got)
	}
	if got := keys(store.ObjectQuery{After: "a", Limit: 2}); !reflect.DeepEqual(got, []string{"b/1", "b/2"}) {
		t.Errorf("after a, 2 = %v", got)
	}
	s3Update(t, db, func(tx store.Tx) error {
		o, err := tx.Object("alpha", "a")
		if err != nil || o.BlobID != "blob-a2" || o.Headers.Metadata["m"] != "1" || o.Checksum.Value != "AAAAAA==" {
			t.Errorf("Object(a) = %+v, %v", o, err)
		}
		if err := tx.PutObjectTags("alpha", "a", map[string]string{"t": "1"}); err != nil {
			return err
		}
		if err := tx.PutObjectTags("alpha", "zz", nil); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("PutObjectTags missing = %v", err)
		}
		if o, _ := tx.Object("alpha", "a"); o.Tags["t"] != "1" {
			t.Errorf("tags after PutObjectTags = %v", o.Tags)
		}
		used, err := tx.BlobsInUse([]string{"blob-a", "blob-a2", "blob-c", "unknown"})
		if err != nil || !reflect.DeepEqual(used, map[string]bool{"blob-a2": true, "blob-c": true}) {
			t.Errorf("BlobsInUse = %v, %v", used, err)
		}
		if ids, err := tx.BlobsWithPrefix("blob-b"); err != nil || len(ids) != 4 {
			t.Errorf("BlobsWithPrefix(blob-b) = %v, %v", ids, err)
		}
		if moved, err := tx.ReplaceBlob("blob-c", "blob-c2"); err != nil || !moved {
			t.Errorf("ReplaceBlob = %v, %v", moved, err)
		}
		if o, _ := tx.Object("alpha", "c"); o.BlobID != "blob-c2" {
			t.Errorf("after ReplaceBlob: %s", o.BlobID)
		}
		if orphans, err := tx.DeleteObject("alpha", "c"); err != nil || !reflect.DeepEqual(orphans, []string{"blob-c2"}) {
			t.Errorf("DeleteObject = %v, %v", orphans, err)
		}
		if _, err := tx.DeleteObject("alpha", "c"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeleteObject twice = %v", err)
		}
		empty, err := tx.BucketIsEmpty("alpha")
		if err != nil || empty {
			t.Errorf("BucketIsEmpty(alpha) = %v, %v", empty, err)
		}
		return nil
	})
}

func TestS3UploadsAndParts(t *testing.T) {
	db := openS3(t)
	now := time.Unix(1700000000, 0).UTC()
	s3Update(t, db, func(tx store.Tx) error {
		if err := tx.CreateBucket(&store.Bucket{Name: "mpu", AccountID: "111111111111", Region: "us-east-1", CreatedAt: now}); err != nil {
			return err
		}
		for _, u := range []struct{ id, key string }{{"01", "b"}, {"02", "a"}, {"03", "b"}, {"04", "c/x"}} {
			if err := tx.CreateUpload(&store.Upload{ID: u.id, Bucket: "mpu", Key: u.key, Initiated: now, Initiator: "arn"}); err != nil {
				return err
			}
		}
		for n := 1; n <= 3; n++ {
			if orphans, err := tx.PutPart(&store.Part{UploadID: "01", Number: n, Size: 5, ETag: `"e"`, BlobID: "p" + string(rune('0'+n)), LastModified: now}); err != nil || orphans != nil {
				t.Errorf("PutPart %d = %v, %v", n, orphans, err)
			}
		}
		if orphans, err := tx.PutPart(&store.Part{UploadID: "01", Number: 2, Size: 6, ETag: `"f"`, BlobID: "p2b", LastModified: now}); err != nil || !reflect.DeepEqual(orphans, []string{"p2"}) {
			t.Errorf("PutPart replace = %v, %v", orphans, err)
		}
		return nil
	})
	list := func(q store.UploadQuery) []string {
		var out []string
		s3View(t, db, func(tx store.Tx) error {
			us, err := tx.ListUploads("mpu", q)
			for _, u := range us {
				out = append(out, u.Key+":"+u.ID)
			}
			return err
		})
		return out
	}
	if got := list(store.UploadQuery{}); !reflect.DeepEqual(got, []string{"a:02", "b:01", "b:03", "c/x:04"}) {
		t.Errorf("uploads = %v", got)
	}
	if got := list(store.UploadQuery{KeyMarker: "b", UploadIDMarker: "01"}); !reflect.DeepEqual(got, []string{"b:03", "c/x:04"}) {
		t.Errorf("after b:01 = %v", got)
	}
	if got := list(store.UploadQuery{KeyMarker: "b"}); !reflect.DeepEqual(got, []string{"c/x:04"}) {
		t.Errorf("after b = %v", got)
	}
	if got := list(store.UploadQuery{Prefix: "c/", Limit: 1}); !reflect.DeepEqual(got, []string{"c/x:04"}) {
		t.Errorf("prefix c/ = %v", got)
	}
	s3Update(t, db, func(tx store.Tx) error {
		parts, err := tx.ListParts("01", 1, 10)
		if err != nil || len(parts) != 2 || parts[0].Number != 2 || parts[0].Size != 6 || parts[1].Number != 3 {
			t.Errorf("ListParts after 1 = %+v, %v", parts, err)
		}
		orphans, err := tx.DeleteUpload("01")
		if err != nil || len(orphans) != 3 {
			t.Errorf("DeleteUpload = %v, %v", orphans, err)
		}
		if _, err := tx.Upload("01"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Upload after delete = %v", err)
		}
		// Deleting a bucket takes its uploads (and their parts) with it.
		if _, err := tx.PutPart(&store.Part{UploadID: "03", Number: 1, Size: 1, ETag: `"e"`, BlobID: "q1", LastModified: now}); err != nil {
			return err
		}
		orphans, err = tx.DeleteBucket("mpu")
		if err != nil || !reflect.DeepEqual(orphans, []string{"q1"}) {
			t.Errorf("DeleteBucket = %v, %v", orphans, err)
		}
		if _, err := tx.DeleteBucket("mpu"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeleteBucket twice = %v", err)
		}
		return nil
	})
}
