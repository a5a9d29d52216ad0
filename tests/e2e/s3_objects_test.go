package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestS3PutGetHeadObject(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	for name, client := range map[string]*s3.Client{"path": c.s3Client("default"), "virtual": c.s3VirtualClient("default")} {
		t.Run(name, func(t *testing.T) {
			bucket := "objects-" + name
			mustCreateBucket(t, client, bucket)
			body := []byte("hello, cairn object store\n")
			sum := md5.Sum(body)
			key := "dir/sub dir/hello+world ü.txt"
			put, err := client.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
				ContentType: aws.String("text/plain"), ContentEncoding: aws.String("identity"),
				ContentDisposition: aws.String(`attachment; filename="hello.txt"`),
				CacheControl:       aws.String("max-age=60"),
				Metadata:           map[string]string{"Owner": "ml-team", "run-id": "42"},
				Tagging:            aws.String("stage=raw&team=ml"),
			})
			if err != nil {
				t.Fatalf("PutObject: %v", err)
			}
			wantETag := `"` + hex.EncodeToString(sum[:]) + `"`
			if aws.ToString(put.ETag) != wantETag {
				t.Errorf("PutObject ETag %s, want %s", aws.ToString(put.ETag), wantETag)
			}
			get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			if err != nil {
				t.Fatalf("GetObject: %v", err)
			}
			got, _ := io.ReadAll(get.Body)
			get.Body.Close()
			if !bytes.Equal(got, body) {
				t.Errorf("GetObject body %q, want %q", got, body)
			}
			if aws.ToString(get.ContentType) != "text/plain" || aws.ToString(get.ContentEncoding) != "identity" ||
				aws.ToString(get.ContentDisposition) != `attachment; filename="hello.txt"` || aws.ToString(get.CacheControl) != "max-age=60" {
				t.Errorf("GetObject headers: type %q encoding %q disposition %q cache %q", aws.ToString(get.ContentType),
					aws.ToString(get.ContentEncoding), aws.ToString(get.ContentDisposition), aws.ToString(get.CacheControl))
			}
			if get.Metadata["owner"] != "ml-team" || get.Metadata["run-id"] != "42" {
				t.Errorf("GetObject metadata %v", get.Metadata)
			}
			if aws.ToInt32(get.TagCount) != 2 {
				t.Errorf("GetObject tag count %d, want 2", aws.ToInt32(get.TagCount))
			}
			if aws.ToString(get.ETag) != wantETag || aws.ToInt64(get.ContentLength) != int64(len(body)) {
				t.Errorf("GetObject ETag %s length %d", aws.ToString(get.ETag), aws.ToInt64(get.ContentLength))
			}
			head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			if err != nil {
				t.Fatalf("HeadObject: %v", err)
			}
			if aws.ToInt64(head.ContentLength) != int64(len(body)) || aws.ToString(head.ETag) != wantETag ||
				head.LastModified == nil || time.Since(*head.LastModified) > time.Minute {
				t.Errorf("HeadObject length %d etag %s modified %v", aws.ToInt64(head.ContentLength), aws.ToString(head.ETag), head.LastModified)
			}
			tags, err := client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			if err != nil {
				t.Fatalf("GetObjectTagging: %v", err)
			}
			if len(tags.TagSet) != 2 || aws.ToString(tags.TagSet[0].Key) != "stage" || aws.ToString(tags.TagSet[1].Value) != "ml" {
				t.Errorf("GetObjectTagging %v", tags.TagSet)
			}

			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing/key")})
			wantS3Error(t, "GetObject missing", err, 404, "NoSuchKey")
			_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing/key")})
			wantS3Error(t, "HeadObject missing", err, 404, "NotFound")
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket-here"), Key: aws.String("k")})
			wantS3Error(t, "GetObject missing bucket", err, 404, "NoSuchBucket")
		})
	}
}

func TestS3RangeAndConditionalReads(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	client := c.s3Client("default")
	mustCreateBucket(t, client, "ranges")
	body := []byte("0123456789abcdefghij")
	put, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rng, want, contentRange string
	}{
		{"bytes=0-4", "01234", "bytes 0-4/20"},
		{"bytes=15-", "fghij", "bytes 15-19/20"},
		{"bytes=-3", "hij", "bytes 17-19/20"},
		{"bytes=18-100", "ij", "bytes 18-19/20"},
	} {
		get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), Range: aws.String(tc.rng)})
		if err != nil {
			t.Fatalf("GetObject %s: %v", tc.rng, err)
		}
		got, _ := io.ReadAll(get.Body)
		get.Body.Close()
		if string(got) != tc.want || aws.ToString(get.ContentRange) != tc.contentRange || aws.ToInt64(get.ContentLength) != int64(len(tc.want)) {
			t.Errorf("GetObject %s: %q range %q length %d, want %q %q", tc.rng, got, aws.ToString(get.ContentRange),
				aws.ToInt64(get.ContentLength), tc.want, tc.contentRange)
		}
	}
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), Range: aws.String("bytes=20-30")})
	wantS3Error(t, "GetObject unsatisfiable range", err, 416, "InvalidRange")

	etag := aws.ToString(put.ETag)
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), IfMatch: aws.String(`"0000"`)})
	wantS3Error(t, "GetObject If-Match other", err, 412, "PreconditionFailed")
	if _, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), IfMatch: aws.String(etag)}); err != nil {
		t.Errorf("GetObject If-Match same: %v", err)
	}
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), IfNoneMatch: aws.String(etag)})
	wantS3Error(t, "GetObject If-None-Match same", err, 304, "NotModified")
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), IfModifiedSince: aws.Time(time.Now().Add(time.Hour))})
	wantS3Error(t, "GetObject If-Modified-Since future", err, 304, "NotModified")
	if _, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"),
		IfModifiedSince: aws.Time(time.Now().Add(-time.Hour))}); err != nil {
		t.Errorf("GetObject If-Modified-Since past: %v", err)
	}
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), IfUnmodifiedSince: aws.Time(time.Now().Add(-time.Hour))})
	wantS3Error(t, "GetObject If-Unmodified-Since past", err, 412, "PreconditionFailed")
	_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), IfMatch: aws.String(`"0000"`)})
	wantS3Error(t, "HeadObject If-Match other", err, 412, "PreconditionFailed")

	// Conditional create.
	_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")})
	wantS3Error(t, "PutObject If-None-Match * existing", err, 412, "PreconditionFailed")
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ranges"), Key: aws.String("new"), Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")}); err != nil {
		t.Errorf("PutObject If-None-Match * new: %v", err)
	}
	_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ranges"), Key: aws.String("k"), Body: strings.NewReader("y"), IfMatch: aws.String(`"0000"`)})
	wantS3Error(t, "PutObject If-Match other", err, 412, "PreconditionFailed")
}

func TestS3ChecksumsAndDigests(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	client := c.s3Client("default")
	mustCreateBucket(t, client, "checksums")
	body := bytes.Repeat([]byte("checksum me "), 1000)
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c,
		types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256, types.ChecksumAlgorithmCrc64nvme} {
		key := "obj-" + string(alg)
		put, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("checksums"), Key: aws.String(key),
			Body: bytes.NewReader(body), ChecksumAlgorithm: alg})
		if err != nil {
			t.Fatalf("PutObject %s: %v", alg, err)
		}
		get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("checksums"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatalf("GetObject %s: %v", alg, err)
		}
		got, err := io.ReadAll(get.Body)
		get.Body.Close()
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("GetObject %s: body differs (%v)", alg, err)
		}
		stored := map[types.ChecksumAlgorithm][2]*string{
			types.ChecksumAlgorithmCrc32: {put.ChecksumCRC32, get.ChecksumCRC32}, types.ChecksumAlgorithmCrc32c: {put.ChecksumCRC32C, get.ChecksumCRC32C},
			types.ChecksumAlgorithmSha1: {put.ChecksumSHA1, get.ChecksumSHA1}, types.ChecksumAlgorithmSha256: {put.ChecksumSHA256, get.ChecksumSHA256},
			types.ChecksumAlgorithmCrc64nvme: {put.ChecksumCRC64NVME, get.ChecksumCRC64NVME},
		}[alg]
		if aws.ToString(stored[0]) == "" || aws.ToString(stored[0]) != aws.ToString(stored[1]) {
			t.Errorf("%s: PutObject returned %q, GetObject %q", alg, aws.ToString(stored[0]), aws.ToString(stored[1]))
		}
	}
	// A wrong checksum or Content-MD5 is refused.
	_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("checksums"), Key: aws.String("bad"),
		Body: bytes.NewReader(body), ChecksumCRC32: aws.String("AAAAAA==")})
	wantS3Error(t, "PutObject wrong CRC32", err, 400, "BadDigest")
	wrong := md5.Sum([]byte("other"))
	_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("checksums"), Key: aws.String("bad"),
		Body: bytes.NewReader(body), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(wrong[:]))})
	wantS3Error(t, "PutObject wrong Content-MD5", err, 400, "BadDigest")
	_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("checksums"), Key: aws.String("bad")})
	wantS3Error(t, "HeadObject after refused puts", err, 404, "NotFound")
}

func TestS3CopyObject(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	client := c.s3Client("default")
	mustCreateBucket(t, client, "copy-src")
	mustCreateBucket(t, client, "copy-dst")
	body := []byte("copy this object")
	put, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("copy-src"), Key: aws.String("a b/src.txt"),
		Body: bytes.NewReader(body), ContentType: aws.String("text/plain"), Metadata: map[string]string{"origin": "src"},
		Tagging: aws.String("k=v")})
	if err != nil {
		t.Fatal(err)
	}
	// COPY directive keeps metadata and tags.
	cp, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("copied"),
		CopySource: aws.String("copy-src/a%20b/src.txt")})
	if err != nil {
		t.Fatalf("CopyObject: %v", err)
	}
	if aws.ToString(cp.CopyObjectResult.ETag) != aws.ToString(put.ETag) {
		t.Errorf("CopyObject ETag %s, want %s", aws.ToString(cp.CopyObjectResult.ETag), aws.ToString(put.ETag))
	}
	head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("copied")})
	if err != nil {
		t.Fatal(err)
	}
	if head.Metadata["origin"] != "src" || aws.ToString(head.ContentType) != "text/plain" || aws.ToInt32(head.TagCount) != 1 {
		t.Errorf("copied object: metadata %v type %s tags %d", head.Metadata, aws.ToString(head.ContentType), aws.ToInt32(head.TagCount))
	}
	// REPLACE directive takes the request's metadata.
	if _, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("replaced"),
		CopySource: aws.String("copy-src/a%20b/src.txt"), MetadataDirective: types.MetadataDirectiveReplace,
		ContentType: aws.String("application/json"), Metadata: map[string]string{"new": "yes"}}); err != nil {
		t.Fatalf("CopyObject REPLACE: %v", err)
	}
	head, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("replaced")})
	if err != nil {
		t.Fatal(err)
	}
	if head.Metadata["new"] != "yes" || head.Metadata["origin"] != "" || aws.ToString(head.ContentType) != "application/json" {
		t.Errorf("replaced object: metadata %v type %s", head.Metadata, aws.ToString(head.ContentType))
	}
	get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("replaced")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, body) {
		t.Errorf("replaced object body %q", got)
	}
	_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copy-src"), Key: aws.String("a b/src.txt"),
		CopySource: aws.String("copy-src/a%20b/src.txt")})
	wantS3Error(t, "CopyObject onto itself", err, 400, "InvalidRequest")
	_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("x"),
		CopySource: aws.String("copy-src/missing")})
	wantS3Error(t, "CopyObject missing source", err, 404, "NoSuchKey")
	_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("x"),
		CopySource: aws.String("copy-src/a%20b/src.txt"), CopySourceIfMatch: aws.String(`"nope"`)})
	wantS3Error(t, "CopyObject source If-Match", err, 412, "PreconditionFailed")
}

func TestS3DeleteObjectsAndTagging(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	client := c.s3Client("default")
	mustCreateBucket(t, client, "deletes")
	var ids []types.ObjectIdentifier
	for i := 0; i < 5; i++ {
		key := fmt.Sprintf("k%d", i)
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("deletes"), Key: aws.String(key), Body: strings.NewReader(key)}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, types.ObjectIdentifier{Key: aws.String(key)})
	}
	ids = append(ids, types.ObjectIdentifier{Key: aws.String("never-existed")})
	out, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("deletes"), Delete: &types.Delete{Objects: ids}})
	if err != nil {
		t.Fatalf("DeleteObjects: %v", err)
	}
	if len(out.Deleted) != 6 || len(out.Errors) != 0 {
		t.Errorf("DeleteObjects deleted %d errors %d", len(out.Deleted), len(out.Errors))
	}
	list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("deletes")})
	if err != nil || aws.ToInt32(list.KeyCount) != 0 {
		t.Errorf("after DeleteObjects: %d keys (%v)", aws.ToInt32(list.KeyCount), err)
	}

	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("deletes"), Key: aws.String("tagged"), Body: strings.NewReader("t")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("deletes"), Key: aws.String("tagged"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}}}); err != nil {
		t.Fatalf("PutObjectTagging: %v", err)
	}
	tags, err := client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("deletes"), Key: aws.String("tagged")})
	if err != nil || len(tags.TagSet) != 1 {
		t.Fatalf("GetObjectTagging: %v %v", tags, err)
	}
	if _, err := client.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("deletes"), Key: aws.String("tagged")}); err != nil {
		t.Fatalf("DeleteObjectTagging: %v", err)
	}
	tags, err = client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("deletes"), Key: aws.String("tagged")})
	if err != nil || len(tags.TagSet) != 0 {
		t.Errorf("GetObjectTagging after delete: %v %v", tags, err)
	}
	var many []types.Tag
	for i := 0; i < 11; i++ {
		many = append(many, types.Tag{Key: aws.String(fmt.Sprint("t", i)), Value: aws.String("v")})
	}
	_, err = client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("deletes"), Key: aws.String("tagged"),
		Tagging: &types.Tagging{TagSet: many}})
	wantS3Error(t, "PutObjectTagging 11 tags", err, 400, "InvalidTag")
	_, err = client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("deletes"), Key: aws.String("missing"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}}})
	wantS3Error(t, "PutObjectTagging missing", err, 404, "NoSuchKey")

	// Bucket tagging.
	_, err = client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("deletes")})
	wantS3Error(t, "GetBucketTagging none", err, 404, "NoSuchTagSet")
	if _, err := client.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("deletes"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("cost-center"), Value: aws.String("ml")}}}}); err != nil {
		t.Fatalf("PutBucketTagging: %v", err)
	}
	bt, err := client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("deletes")})
	if err != nil || len(bt.TagSet) != 1 || aws.ToString(bt.TagSet[0].Value) != "ml" {
		t.Errorf("GetBucketTagging: %v %v", bt, err)
	}
	if _, err := client.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("deletes")}); err != nil {
		t.Fatalf("DeleteBucketTagging: %v", err)
	}
	_, err = client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("deletes")})
	wantS3Error(t, "GetBucketTagging deleted", err, 404, "NoSuchTagSet")
}

func TestS3PresignedURLs(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	client := c.s3Client("default")
	mustCreateBucket(t, client, "presigned")
	presign := s3.NewPresignClient(client)
	put, err := presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("presigned"), Key: aws.String("up/loaded.txt")},
		s3.WithPresignExpires(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(put.Method, put.URL, strings.NewReader("via presigned put"))
	for k, vs := range put.SignedHeader {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("presigned PUT: status %d", resp.StatusCode)
	}
	get, err := presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("presigned"), Key: aws.String("up/loaded.txt"),
		ResponseContentType: aws.String("text/x-test")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(got) != "via presigned put" || resp.Header.Get("Content-Type") != "text/x-test" {
		t.Errorf("presigned GET: %d %q type %q", resp.StatusCode, got, resp.Header.Get("Content-Type"))
	}
	// Tampering with the URL breaks the signature; no signature at all is AccessDenied.
	resp, err = http.Get(strings.Replace(get.URL, "loaded", "loadee", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("tampered presigned GET: status %d, want 403", resp.StatusCode)
	}
	resp, err = http.Get(c.endpoint() + "/presigned/up/loaded.txt")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(body), "<Code>AccessDenied</Code>") {
		t.Errorf("anonymous GET: %d %s", resp.StatusCode, body)
	}
}
