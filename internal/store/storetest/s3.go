package storetest

import (
	"errors"
	"reflect"
	"sort"

	"github.com/cairnhq/cairn/internal/store"
)

func s3Tests() []test {
	return []test{
		{"S3Buckets", []string{"Bucket", "ListBuckets", "CreateBucket", "DeleteBucket", "BucketIsEmpty", "PutBucketPolicy",
			"PutBucketTags"}, testS3Buckets},
		{"S3Objects", []string{"Object", "PutObject", "DeleteObject", "PutObjectTags", "ListObjects"}, testS3Objects},
		{"S3Blobs", []string{"BlobsInUse", "BlobsWithPrefix", "ReplaceBlob"}, testS3Blobs},
		{"S3Uploads", []string{"CreateUpload", "Upload", "ListUploads", "DeleteUpload", "PutPart", "ListParts"}, testS3Uploads},
		{"S3BucketsAndObjects", nil, testS3BucketsAndObjects},
		{"S3UploadsAndParts", nil, testS3UploadsAndParts},
	}
}

func testS3Buckets(h *h) {
	beta := &store.Bucket{Name: "beta", AccountID: acct, Region: "us-east-1", CreatedAt: at(1), Tags: map[string]string{"k": "v", "a": "b"}}
	alpha := &store.Bucket{Name: "alpha", AccountID: acct, Region: "eu-west-1", CreatedAt: at(2)}
	gamma := &store.Bucket{Name: "gamma", AccountID: acct, Region: "us-east-1", CreatedAt: at(3)}
	other := &store.Bucket{Name: "other", AccountID: acct2, Region: "us-east-1", CreatedAt: at(4)}
	h.update(func(tx store.Tx) error {
		for _, b := range []*store.Bucket{beta, alpha, gamma, other} {
			if err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return tx.PutBucketPolicy("alpha", []byte(`{"Version":"2012-10-17"}`))
	})
	alpha.Policy = []byte(`{"Version":"2012-10-17"}`)
	h.is("a bucket name taken in another account", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateBucket(&store.Bucket{Name: "alpha", AccountID: acct2, Region: "us-east-1"})
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		b, err := tx.Bucket("alpha")
		h.is("Bucket", err, nil)
		h.equal("Bucket with a policy", b, alpha)
		b, _ = tx.Bucket("beta")
		h.equal("Bucket with tags", b, beta)
		_, err = tx.Bucket("nope")
		h.is("missing Bucket", err, store.ErrNotFound)
		list, err := tx.ListBuckets(acct, store.Page{})
		h.is("ListBuckets", err, nil)
		h.equal("ListBuckets in name order", list, []*store.Bucket{alpha, beta, gamma})
		list, _ = tx.ListBuckets(acct, store.Page{After: "alpha", Limit: 1})
		h.equal("ListBuckets after alpha, 1", list, []*store.Bucket{beta})
		empty, err := tx.BucketIsEmpty("alpha")
		h.is("BucketIsEmpty", err, nil)
		h.equal("BucketIsEmpty of a new bucket", empty, true)
		return nil
	})
	h.update(func(tx store.Tx) error {
		h.must("PutBucketPolicy nil", tx.PutBucketPolicy("alpha", nil))
		h.must("PutBucketTags", tx.PutBucketTags("beta", map[string]string{"n": "1"}))
		h.must("PutBucketTags", tx.PutBucketTags("gamma", map[string]string{"g": "1"}))
		h.must("PutBucketTags nil", tx.PutBucketTags("gamma", nil))
		_, err := tx.PutObject(&store.Object{Bucket: "alpha", Key: "k", BlobID: "blob"})
		return err
	})
	h.is("PutBucketPolicy of a missing bucket", h.tryUpdate(func(tx store.Tx) error { return tx.PutBucketPolicy("nope", []byte("{}")) }), store.ErrNotFound)
	h.is("PutBucketTags of a missing bucket", h.tryUpdate(func(tx store.Tx) error { return tx.PutBucketTags("nope", nil) }), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		b, _ := tx.Bucket("alpha")
		h.equal("policy after PutBucketPolicy(nil)", b.Policy, []byte(nil))
		b, _ = tx.Bucket("beta")
		h.equal("tags after PutBucketTags replaced them", b.Tags, map[string]string{"n": "1"})
		b, _ = tx.Bucket("gamma")
		h.equal("tags after PutBucketTags(nil)", b.Tags, map[string]string(nil))
		empty, _ := tx.BucketIsEmpty("alpha")
		h.equal("BucketIsEmpty of a bucket with an object", empty, false)
		return nil
	})
	h.update(func(tx store.Tx) error {
		orphans, err := tx.DeleteBucket("beta")
		h.equal("orphans of deleting a bucket without uploads", len(orphans), 0)
		return err
	})
	h.is("DeleteBucket of a missing bucket", h.tryUpdate(func(tx store.Tx) error {
		_, err := tx.DeleteBucket("beta")
		return err
	}), store.ErrNotFound)
	h.update(func(tx store.Tx) error {
		// A new bucket of the name has none of the old one's tags.
		return tx.CreateBucket(&store.Bucket{Name: "beta", AccountID: acct2, Region: "us-east-1", CreatedAt: at(5)})
	})
	h.view(func(tx store.Tx) error {
		b, _ := tx.Bucket("beta")
		h.equal("tags of a bucket created again", b.Tags, map[string]string(nil))
		tags, _ := tx.Tags(store.S3BucketResource("beta"))
		h.equal("Tags of a bucket created again", len(tags), 0)
		return nil
	})
}

func testS3Objects(h *h) {
	h.update(func(tx store.Tx) error {
		return tx.CreateBucket(&store.Bucket{Name: "alpha", AccountID: acct, Region: "us-east-1", CreatedAt: at(0)})
	})
	obj := func(key, blob string) *store.Object {
		return &store.Object{Bucket: "alpha", Key: key, Size: 3, ETag: `"e"`, BlobID: blob, LastModified: at(1),
			Headers:  store.ObjectHeaders{ContentType: "text/plain", Metadata: map[string]string{"m": "1"}},
			Checksum: store.Checksum{Algorithm: "CRC32", Type: "FULL_OBJECT", Value: "AAAAAA=="}}
	}
	// Replacing an object reports the blob it orphans; a missing bucket is ErrNotFound.
	h.update(func(tx store.Tx) error {
		for _, k := range []string{"b/2", "a", "b/1", "c", "b/\u00ff", "b0", "B"} {
			if orphans, err := tx.PutObject(obj(k, "blob-"+k)); err != nil || orphans != nil {
				h.Errorf("PutObject %s = %v, %v", k, orphans, err)
			}
		}
		orphans, err := tx.PutObject(obj("a", "blob-a2"))
		h.is("PutObject replacing", err, nil)
		h.equal("orphans of PutObject replacing", orphans, []string{"blob-a"})
		orphans, err = tx.PutObject(obj("a", "blob-a2"))
		h.is("PutObject replacing with the same blob", err, nil)
		h.equal("orphans of PutObject with the same blob", len(orphans), 0)
		return nil
	})
	h.is("PutObject into a missing bucket", h.tryUpdate(func(tx store.Tx) error {
		missing := obj("k", "x")
		missing.Bucket = "nope"
		_, err := tx.PutObject(missing)
		return err
	}), store.ErrNotFound)
	keys := func(q store.ObjectQuery) []string {
		var out []string
		h.view(func(tx store.Tx) error {
			list, err := tx.ListObjects("alpha", q)
			for _, o := range list {
				out = append(out, o.Key)
			}
			return err
		})
		return out
	}
	// Keys list in byte order (S3's UTF-8 binary order).
	h.equal("all keys", keys(store.ObjectQuery{}), []string{"B", "a", "b/1", "b/2", "b/\u00ff", "b0", "c"})
	h.equal("keys with prefix b/", keys(store.ObjectQuery{Prefix: "b/"}), []string{"b/1", "b/2", "b/\u00ff"})
	h.equal("keys with prefix b/\u00ff", keys(store.ObjectQuery{Prefix: "b/\u00ff"}), []string{"b/\u00ff"})
	h.equal("keys with prefix b", keys(store.ObjectQuery{Prefix: "b", Limit: 3}), []string{"b/1", "b/2", "b/\u00ff"})
	// After a rolled-up prefix: every key under it sorts below prefix+"\xff".
	h.equal("keys after b/", keys(store.ObjectQuery{After: "b/\xff"}), []string{"b0", "c"})
	h.equal("keys after a, 2", keys(store.ObjectQuery{After: "a", Limit: 2}), []string{"b/1", "b/2"})
	h.equal("keys with prefix z", len(keys(store.ObjectQuery{Prefix: "z"})), 0)

	want := obj("a", "blob-a2")
	h.view(func(tx store.Tx) error {
		o, err := tx.Object("alpha", "a")
		h.is("Object", err, nil)
		h.equal("Object", o, want)
		_, err = tx.Object("alpha", "zz")
		h.is("missing Object", err, store.ErrNotFound)
		_, err = tx.Object("nope", "a")
		h.is("Object of a missing bucket", err, store.ErrNotFound)
		return nil
	})

	// Tags: an object's own, replaced by PutObjectTags, and by putting the object again.
	tagged := obj("t", "blob-t")
	tagged.Tags = map[string]string{"x": "1", "y": "2"}
	h.update(func(tx store.Tx) error {
		_, err := tx.PutObject(tagged)
		h.must("PutObject with tags", err)
		h.must("PutObjectTags", tx.PutObjectTags("alpha", "a", map[string]string{"t": "1"}))
		return nil
	})
	h.is("PutObjectTags of a missing object", h.tryUpdate(func(tx store.Tx) error { return tx.PutObjectTags("alpha", "zz", nil) }), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		o, _ := tx.Object("alpha", "t")
		h.equal("Object put with tags", o, tagged)
		o, _ = tx.Object("alpha", "a")
		h.equal("tags after PutObjectTags", o.Tags, map[string]string{"t": "1"})
		list, _ := tx.ListObjects("alpha", store.ObjectQuery{After: "c"})
		h.equal("ListObjects with tags", list, []*store.Object{tagged})
		list, _ = tx.ListObjects("alpha", store.ObjectQuery{Prefix: "a"})
		if len(list) == 1 {
			h.equal("ListObjects tags of a", list[0].Tags, map[string]string{"t": "1"})
		}
		tags, _ := tx.Tags(store.S3ObjectResource("alpha", "t"))
		h.equal("Tags of the object", tags, []store.Tag{{Key: "x", Value: "1"}, {Key: "y", Value: "2"}})
		return nil
	})
	h.update(func(tx store.Tx) error {
		_, err := tx.PutObject(obj("t", "blob-t2"))
		h.must("PutObject again without tags", err)
		h.must("PutObjectTags(nil)", tx.PutObjectTags("alpha", "a", nil))
		return nil
	})
	h.view(func(tx store.Tx) error {
		o, _ := tx.Object("alpha", "t")
		h.equal("tags of an object put again without tags", o.Tags, map[string]string(nil))
		o, _ = tx.Object("alpha", "a")
		h.equal("tags after PutObjectTags(nil)", o.Tags, map[string]string(nil))
		return nil
	})

	h.update(func(tx store.Tx) error {
		h.must("PutObjectTags", tx.PutObjectTags("alpha", "c", map[string]string{"d": "1"}))
		orphans, err := tx.DeleteObject("alpha", "c")
		h.is("DeleteObject", err, nil)
		h.equal("orphans of DeleteObject", orphans, []string{"blob-c"})
		_, err = tx.DeleteObject("alpha", "c")
		h.is("DeleteObject twice", err, store.ErrNotFound)
		_, err = tx.PutObject(obj("c", "blob-c3"))
		return err
	})
	h.view(func(tx store.Tx) error {
		o, _ := tx.Object("alpha", "c")
		h.equal("tags of an object deleted and put again", o.Tags, map[string]string(nil))
		return nil
	})
}

func testS3Blobs(h *h) {
	h.update(func(tx store.Tx) error {
		h.must("CreateBucket", tx.CreateBucket(&store.Bucket{Name: "b", AccountID: acct, Region: "us-east-1"}))
		for _, k := range []string{"1", "2", "3"} {
			if _, err := tx.PutObject(&store.Object{Bucket: "b", Key: k, BlobID: "obj-" + k}); err != nil {
				return err
			}
		}
		h.must("CreateUpload", tx.CreateUpload(&store.Upload{ID: "u", Bucket: "b", Key: "big"}))
		_, err := tx.PutPart(&store.Part{UploadID: "u", Number: 1, BlobID: "part-1"})
		return err
	})
	h.view(func(tx store.Tx) error {
		used, err := tx.BlobsInUse([]string{"obj-1", "obj-3", "part-1", "unknown"})
		h.is("BlobsInUse", err, nil)
		h.equal("BlobsInUse", used, map[string]bool{"obj-1": true, "obj-3": true, "part-1": true})
		used, _ = tx.BlobsInUse(nil)
		h.equal("BlobsInUse of none", len(used), 0)
		ids, err := tx.BlobsWithPrefix("obj-")
		h.is("BlobsWithPrefix", err, nil)
		sort.Strings(ids)
		h.equal("BlobsWithPrefix(obj-)", ids, []string{"obj-1", "obj-2", "obj-3"})
		ids, _ = tx.BlobsWithPrefix("part-")
		h.equal("BlobsWithPrefix(part-)", ids, []string{"part-1"})
		ids, _ = tx.BlobsWithPrefix("")
		h.equal("BlobsWithPrefix of everything", len(ids), 4)
		return nil
	})
	// Many IDs at once, more than a query may bind.
	h.view(func(tx store.Tx) error {
		ids := []string{"obj-2"}
		for i := range 2000 {
			ids = append(ids, "none-"+string(rune('a'+i%26))+string(rune('a'+i/26%26))+string(rune('a'+i/676)))
		}
		used, err := tx.BlobsInUse(ids)
		h.is("BlobsInUse of many", err, nil)
		h.equal("BlobsInUse of many", used, map[string]bool{"obj-2": true})
		return nil
	})
	h.update(func(tx store.Tx) error {
		moved, err := tx.ReplaceBlob("obj-2", "packed-2")
		h.is("ReplaceBlob", err, nil)
		h.equal("ReplaceBlob of a blob in use", moved, true)
		moved, err = tx.ReplaceBlob("part-1", "packed-p1")
		h.is("ReplaceBlob of a part's blob", err, nil)
		h.equal("ReplaceBlob of a part's blob", moved, true)
		moved, err = tx.ReplaceBlob("unknown", "x")
		h.is("ReplaceBlob of an unused blob", err, nil)
		h.equal("ReplaceBlob of an unused blob", moved, false)
		return nil
	})
	h.view(func(tx store.Tx) error {
		o, _ := tx.Object("b", "2")
		h.equal("blob after ReplaceBlob", o.BlobID, "packed-2")
		parts, _ := tx.ListParts("u", 0, 0)
		if len(parts) == 1 {
			h.equal("part's blob after ReplaceBlob", parts[0].BlobID, "packed-p1")
		}
		return nil
	})
}

func testS3Uploads(h *h) {
	h.update(func(tx store.Tx) error {
		return tx.CreateBucket(&store.Bucket{Name: "mpu", AccountID: acct, Region: "us-east-1", CreatedAt: at(0)})
	})
	first := &store.Upload{ID: "01", Bucket: "mpu", Key: "b", Initiated: at(1), Initiator: "arn:aws:iam::111111111111:user/u",
		Headers:           store.ObjectHeaders{ContentType: "application/octet-stream", CacheControl: "no-cache", Metadata: map[string]string{"m": "1"}},
		Tags:              map[string]string{"t": "1"},
		ChecksumAlgorithm: "CRC32", ChecksumType: "COMPOSITE"}
	uploads := map[string]*store.Upload{"01": first}
	h.update(func(tx store.Tx) error {
		for _, u := range []struct{ id, key string }{{"02", "a"}, {"03", "b"}, {"04", "c/x"}} {
			up := &store.Upload{ID: u.id, Bucket: "mpu", Key: u.key, Initiated: at(2), Initiator: "arn"}
			uploads[u.id] = up
			if err := tx.CreateUpload(up); err != nil {
				return err
			}
		}
		h.must("CreateUpload", tx.CreateUpload(first))
		for n := 3; n >= 1; n-- {
			orphans, err := tx.PutPart(&store.Part{UploadID: "01", Number: n, Size: 5, ETag: `"e"`, BlobID: "p" + string(rune('0'+n)), LastModified: at(n)})
			h.is("PutPart", err, nil)
			h.equal("orphans of a new part", len(orphans), 0)
		}
		orphans, err := tx.PutPart(&store.Part{UploadID: "01", Number: 2, Size: 6, ETag: `"f"`, BlobID: "p2b", LastModified: at(4),
			Checksum: store.Checksum{Algorithm: "CRC32", Value: "AAAAAA=="}})
		h.is("PutPart replacing", err, nil)
		h.equal("orphans of PutPart replacing", orphans, []string{"p2"})
		return nil
	})
	h.is("an upload ID taken", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateUpload(&store.Upload{ID: "01", Bucket: "mpu", Key: "z"})
	}), store.ErrExists)
	list := func(q store.UploadQuery) []string {
		var out []string
		h.view(func(tx store.Tx) error {
			us, err := tx.ListUploads("mpu", q)
			for _, u := range us {
				out = append(out, u.Key+":"+u.ID)
			}
			return err
		})
		return out
	}
	h.equal("uploads in (key, ID) order", list(store.UploadQuery{}), []string{"a:02", "b:01", "b:03", "c/x:04"})
	h.equal("uploads after b:01", list(store.UploadQuery{KeyMarker: "b", UploadIDMarker: "01"}), []string{"b:03", "c/x:04"})
	h.equal("uploads after b", list(store.UploadQuery{KeyMarker: "b"}), []string{"c/x:04"})
	h.equal("uploads with prefix c/", list(store.UploadQuery{Prefix: "c/", Limit: 1}), []string{"c/x:04"})
	h.equal("uploads, first 2", list(store.UploadQuery{Limit: 2}), []string{"a:02", "b:01"})
	h.view(func(tx store.Tx) error {
		u, err := tx.Upload("01")
		h.is("Upload", err, nil)
		h.equal("Upload", u, first)
		_, err = tx.Upload("99")
		h.is("missing Upload", err, store.ErrNotFound)
		us, _ := tx.ListUploads("mpu", store.UploadQuery{KeyMarker: "a"})
		h.equal("ListUploads records", us, []*store.Upload{first, uploads["03"], uploads["04"]})
		parts, err := tx.ListParts("01", 0, 0)
		h.is("ListParts", err, nil)
		h.equal("ListParts", parts, []*store.Part{
			{UploadID: "01", Number: 1, Size: 5, ETag: `"e"`, BlobID: "p1", LastModified: at(1)},
			{UploadID: "01", Number: 2, Size: 6, ETag: `"f"`, BlobID: "p2b", LastModified: at(4), Checksum: store.Checksum{Algorithm: "CRC32", Value: "AAAAAA=="}},
			{UploadID: "01", Number: 3, Size: 5, ETag: `"e"`, BlobID: "p3", LastModified: at(3)},
		})
		parts, _ = tx.ListParts("01", 1, 1)
		if len(parts) != 1 || parts[0].Number != 2 {
			h.Errorf("ListParts after 1, 1 = %s", show(parts))
		}
		parts, _ = tx.ListParts("02", 0, 0)
		h.equal("ListParts of an upload without parts", len(parts), 0)
		return nil
	})
	h.update(func(tx store.Tx) error {
		orphans, err := tx.DeleteUpload("01")
		h.is("DeleteUpload", err, nil)
		sort.Strings(orphans)
		h.equal("orphans of DeleteUpload", orphans, []string{"p1", "p2b", "p3"})
		_, err = tx.Upload("01")
		h.is("Upload after delete", err, store.ErrNotFound)
		_, err = tx.DeleteUpload("01")
		h.is("DeleteUpload twice", err, store.ErrNotFound)
		tags, _ := tx.Tags(store.S3UploadResource("01"))
		h.equal("tags of a deleted upload", len(tags), 0)
		// Deleting a bucket takes its uploads (and their parts and tags) with it.
		_, err = tx.PutPart(&store.Part{UploadID: "03", Number: 1, Size: 1, ETag: `"e"`, BlobID: "q1", LastModified: at(5)})
		h.must("PutPart", err)
		h.must("CreateUpload", tx.CreateUpload(&store.Upload{ID: "05", Bucket: "mpu", Key: "t", Tags: map[string]string{"k": "v"}}))
		orphans, err = tx.DeleteBucket("mpu")
		h.is("DeleteBucket", err, nil)
		h.equal("orphans of DeleteBucket", orphans, []string{"q1"})
		_, err = tx.Upload("03")
		h.is("upload of a deleted bucket", err, store.ErrNotFound)
		tags, _ = tx.Tags(store.S3UploadResource("05"))
		h.equal("tags of an upload of a deleted bucket", len(tags), 0)
		return nil
	})
}

// testS3BucketsAndObjects: buckets, objects in byte order, tags and blobs together.
func testS3BucketsAndObjects(h *h) {
	now := at(0)
	h.update(func(tx store.Tx) error {
		for _, b := range []*store.Bucket{
			{Name: "beta", AccountID: "111111111111", Region: "us-east-1", CreatedAt: now, Tags: map[string]string{"k": "v"}},
			{Name: "alpha", AccountID: "111111111111", Region: "us-east-1", CreatedAt: now},
			{Name: "other", AccountID: "222222222222", Region: "us-east-1", CreatedAt: now},
		} {
			if err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return tx.PutBucketPolicy("alpha", []byte(`{"Version":"2012-10-17"}`))
	})
	if err := h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateBucket(&store.Bucket{Name: "alpha", AccountID: "222222222222"})
	}); !errors.Is(err, store.ErrExists) {
		h.Errorf("CreateBucket duplicate = %v, want ErrExists", err)
	}
	h.view(func(tx store.Tx) error {
		list, err := tx.ListBuckets("111111111111", store.Page{})
		if err != nil || len(list) != 2 || list[0].Name != "alpha" || list[1].Name != "beta" {
			h.Errorf("ListBuckets = %v, %v", list, err)
		}
		b, err := tx.Bucket("alpha")
		if err != nil || string(b.Policy) != `{"Version":"2012-10-17"}` || !b.CreatedAt.Equal(now) {
			h.Errorf("Bucket(alpha) = %+v, %v", b, err)
		}
		if b, _ := tx.Bucket("beta"); b.Policy != nil || b.Tags["k"] != "v" {
			h.Errorf("Bucket(beta) = %+v", b)
		}
		return nil
	})

	// Objects: replacement reports the blob it orphans; a missing bucket is ErrNotFound.
	obj := func(key, blob string) *store.Object {
		return &store.Object{Bucket: "alpha", Key: key, Size: 3, ETag: `"e"`, BlobID: blob, LastModified: now,
			Headers:  store.ObjectHeaders{ContentType: "text/plain", Metadata: map[string]string{"m": "1"}},
			Checksum: store.Checksum{Algorithm: "CRC32", Type: "FULL_OBJECT", Value: "AAAAAA=="}}
	}
	h.update(func(tx store.Tx) error {
		for _, k := range []string{"b/2", "a", "b/1", "c", "b/\u00ff", "b0"} {
			if orphans, err := tx.PutObject(obj(k, "blob-"+k)); err != nil || orphans != nil {
				h.Errorf("PutObject %s = %v, %v", k, orphans, err)
			}
		}
		if orphans, err := tx.PutObject(obj("a", "blob-a2")); err != nil || !reflect.DeepEqual(orphans, []string{"blob-a"}) {
			h.Errorf("PutObject replace = %v, %v", orphans, err)
		}
		return nil
	})
	if err := h.tryUpdate(func(tx store.Tx) error {
		missing := obj("k", "x")
		missing.Bucket = "nope"
		_, err := tx.PutObject(missing)
		return err
	}); !errors.Is(err, store.ErrNotFound) {
		h.Errorf("PutObject into a missing bucket = %v, want ErrNotFound", err)
	}
	keys := func(q store.ObjectQuery) []string {
		var out []string
		h.view(func(tx store.Tx) error {
			list, err := tx.ListObjects("alpha", q)
			for _, o := range list {
				out = append(out, o.Key)
			}
			return err
		})
		return out
	}
	if got := keys(store.ObjectQuery{}); !reflect.DeepEqual(got, []string{"a", "b/1", "b/2", "b/\u00ff", "b0", "c"}) {
		h.Errorf("all keys = %v", got)
	}
	if got := keys(store.ObjectQuery{Prefix: "b/"}); !reflect.DeepEqual(got, []string{"b/1", "b/2", "b/\u00ff"}) {
		h.Errorf("prefix b/ = %v", got)
	}
	// After a rolled-up prefix: every key under it sorts below prefix+"\xff".
	if got := keys(store.ObjectQuery{After: "b/\xff"}); !reflect.DeepEqual(got, []string{"b0", "c"}) {
		h.Errorf("after b/ = %v", got)
	}
	if got := keys(store.ObjectQuery{After: "a", Limit: 2}); !reflect.DeepEqual(got, []string{"b/1", "b/2"}) {
		h.Errorf("after a, 2 = %v", got)
	}
	h.update(func(tx store.Tx) error {
		o, err := tx.Object("alpha", "a")
		if err != nil || o.BlobID != "blob-a2" || o.Headers.Metadata["m"] != "1" || o.Checksum.Value != "AAAAAA==" {
			h.Errorf("Object(a) = %+v, %v", o, err)
		}
		if err := tx.PutObjectTags("alpha", "a", map[string]string{"t": "1"}); err != nil {
			return err
		}
		if err := tx.PutObjectTags("alpha", "zz", nil); !errors.Is(err, store.ErrNotFound) {
			h.Errorf("PutObjectTags missing = %v", err)
		}
		if o, _ := tx.Object("alpha", "a"); o.Tags["t"] != "1" {
			h.Errorf("tags after PutObjectTags = %v", o.Tags)
		}
		used, err := tx.BlobsInUse([]string{"blob-a", "blob-a2", "blob-c", "unknown"})
		if err != nil || !reflect.DeepEqual(used, map[string]bool{"blob-a2": true, "blob-c": true}) {
			h.Errorf("BlobsInUse = %v, %v", used, err)
		}
		if ids, err := tx.BlobsWithPrefix("blob-b"); err != nil || len(ids) != 4 {
			h.Errorf("BlobsWithPrefix(blob-b) = %v, %v", ids, err)
		}
		if moved, err := tx.ReplaceBlob("blob-c", "blob-c2"); err != nil || !moved {
			h.Errorf("ReplaceBlob = %v, %v", moved, err)
		}
		if o, _ := tx.Object("alpha", "c"); o.BlobID != "blob-c2" {
			h.Errorf("after ReplaceBlob: %s", o.BlobID)
		}
		if orphans, err := tx.DeleteObject("alpha", "c"); err != nil || !reflect.DeepEqual(orphans, []string{"blob-c2"}) {
			h.Errorf("DeleteObject = %v, %v", orphans, err)
		}
		if _, err := tx.DeleteObject("alpha", "c"); !errors.Is(err, store.ErrNotFound) {
			h.Errorf("DeleteObject twice = %v", err)
		}
		empty, err := tx.BucketIsEmpty("alpha")
		if err != nil || empty {
			h.Errorf("BucketIsEmpty(alpha) = %v, %v", empty, err)
		}
		return nil
	})
}

// testS3UploadsAndParts: multipart uploads in S3's listing order, their parts, and
// their end with their bucket.
func testS3UploadsAndParts(h *h) {
	now := at(0)
	h.update(func(tx store.Tx) error {
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
				h.Errorf("PutPart %d = %v, %v", n, orphans, err)
			}
		}
		if orphans, err := tx.PutPart(&store.Part{UploadID: "01", Number: 2, Size: 6, ETag: `"f"`, BlobID: "p2b", LastModified: now}); err != nil || !reflect.DeepEqual(orphans, []string{"p2"}) {
			h.Errorf("PutPart replace = %v, %v", orphans, err)
		}
		return nil
	})
	list := func(q store.UploadQuery) []string {
		var out []string
		h.view(func(tx store.Tx) error {
			us, err := tx.ListUploads("mpu", q)
			for _, u := range us {
				out = append(out, u.Key+":"+u.ID)
			}
			return err
		})
		return out
	}
	if got := list(store.UploadQuery{}); !reflect.DeepEqual(got, []string{"a:02", "b:01", "b:03", "c/x:04"}) {
		h.Errorf("uploads = %v", got)
	}
	if got := list(store.UploadQuery{KeyMarker: "b", UploadIDMarker: "01"}); !reflect.DeepEqual(got, []string{"b:03", "c/x:04"}) {
		h.Errorf("after b:01 = %v", got)
	}
	if got := list(store.UploadQuery{KeyMarker: "b"}); !reflect.DeepEqual(got, []string{"c/x:04"}) {
		h.Errorf("after b = %v", got)
	}
	if got := list(store.UploadQuery{Prefix: "c/", Limit: 1}); !reflect.DeepEqual(got, []string{"c/x:04"}) {
		h.Errorf("prefix c/ = %v", got)
	}
	h.update(func(tx store.Tx) error {
		parts, err := tx.ListParts("01", 1, 10)
		if err != nil || len(parts) != 2 || parts[0].Number != 2 || parts[0].Size != 6 || parts[1].Number != 3 {
			h.Errorf("ListParts after 1 = %+v, %v", parts, err)
		}
		orphans, err := tx.DeleteUpload("01")
		if err != nil || len(orphans) != 3 {
			h.Errorf("DeleteUpload = %v, %v", orphans, err)
		}
		if _, err := tx.Upload("01"); !errors.Is(err, store.ErrNotFound) {
			h.Errorf("Upload after delete = %v", err)
		}
		// Deleting a bucket takes its uploads (and their parts) with it.
		if _, err := tx.PutPart(&store.Part{UploadID: "03", Number: 1, Size: 1, ETag: `"e"`, BlobID: "q1", LastModified: now}); err != nil {
			return err
		}
		orphans, err = tx.DeleteBucket("mpu")
		if err != nil || !reflect.DeepEqual(orphans, []string{"q1"}) {
			h.Errorf("DeleteBucket = %v, %v", orphans, err)
		}
		if _, err := tx.DeleteBucket("mpu"); !errors.Is(err, store.ErrNotFound) {
			h.Errorf("DeleteBucket twice = %v", err)
		}
		return nil
	})
}
