package s3_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/service/s3"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// newAPI returns the S3 API on a fresh store.
func newAPI(t *testing.T) *awsproto.Service {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := blob.Open(filepath.Join(dir, "objects"), blob.Options{Random: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	return s3.New(s3.Options{Store: db, Blobs: blobs, Region: "us-east-1", Random: rand.Reader}).API()
}

// TestRoutes checks which operation each request shape reaches: S3 tells operations
// apart by method, path depth, sub-resource keys, query values and headers.
func TestRoutes(t *testing.T) {
	api := newAPI(t)
	for _, tc := range []struct {
		method, target, host string
		header               map[string]string
		want                 string
	}{
		{"GET", "/", "", nil, "ListBuckets"},
		{"PUT", "/bucket", "", nil, "CreateBucket"},
		{"PUT", "/bucket/", "", nil, "CreateBucket"},
		{"HEAD", "/bucket", "", nil, "HeadBucket"},
		{"DELETE", "/bucket", "", nil, "DeleteBucket"},
		{"GET", "/bucket", "", nil, "ListObjects"},
		{"GET", "/bucket?list-type=2&prefix=a", "", nil, "ListObjectsV2"},
		{"GET", "/bucket?list-type=1", "", nil, "ListObjects"},
		{"GET", "/bucket?location", "", nil, "GetBucketLocation"},
		{"GET", "/bucket?uploads", "", nil, "ListMultipartUploads"},
		{"POST", "/bucket?delete", "", nil, "DeleteObjects"},
		{"GET", "/bucket?tagging", "", nil, "GetBucketTagging"},
		{"PUT", "/bucket?policy", "", nil, "PutBucketPolicy"},
		{"GET", "/bucket?acl", "", nil, "GetBucketAcl"},
		{"PUT", "/bucket/key", "", nil, "PutObject"},
		{"PUT", "/bucket/dir/key?x-id=PutObject", "", nil, "PutObject"},
		{"PUT", "/bucket/key", "", map[string]string{"X-Amz-Copy-Source": "src/k"}, "CopyObject"},
		{"PUT", "/bucket/key?partNumber=1&uploadId=u", "", nil, "UploadPart"},
		{"PUT", "/bucket/key?partNumber=1&uploadId=u", "", map[string]string{"X-Amz-Copy-Source": "src/k"}, "UploadPartCopy"},
		{"PUT", "/bucket/key?tagging", "", nil, "PutObjectTagging"},
		{"GET", "/bucket/key", "", nil, "GetObject"},
		{"GET", "/bucket/key?partNumber=1", "", nil, "GetObject"},
		{"GET", "/bucket/key?uploadId=u", "", nil, "ListParts"},
		{"HEAD", "/bucket/a/b/c", "", nil, "HeadObject"},
		{"DELETE", "/bucket/key", "", nil, "DeleteObject"},
		{"DELETE", "/bucket/key?uploadId=u", "", nil, "AbortMultipartUpload"},
		{"DELETE", "/bucket/key?tagging", "", nil, "DeleteObjectTagging"},
		{"POST", "/bucket/key?uploads", "", nil, "CreateMultipartUpload"},
		{"POST", "/bucket/key?uploadId=u", "", nil, "CompleteMultipartUpload"},
		// Virtual-hosted style: the bucket is in the Host.
		{"GET", "/", "bucket.localhost:7766", nil, "ListObjects"},
		{"GET", "/?list-type=2", "bucket.localhost", nil, "ListObjectsV2"},
		{"PUT", "/key/with/slashes", "bucket.localhost:7766", nil, "PutObject"},
		{"GET", "/", "127.0.0.1:7766", nil, "ListBuckets"},
		{"GET", "/", "localhost:7766", nil, "ListBuckets"},
		// Sub-resources Cairn does not serve do not fall through to another operation.
		{"GET", "/bucket?lifecycle", "", nil, ""},
		{"GET", "/bucket/key?versions", "", nil, ""},
		{"POST", "/bucket/key", "", nil, ""},
	} {
		r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(""))
		if tc.host != "" {
			r.Host = tc.host
		}
		for k, v := range tc.header {
			r.Header.Set(k, v)
		}
		info := &operation.RequestInfo{}
		ctx := auth.WithPrincipal(operation.WithRequestInfo(context.Background(), info),
			&auth.Principal{Kind: auth.Root, Account: "111111111111", ARN: auth.RootARN("111111111111")})
		w := httptest.NewRecorder()
		api.Serve(ctx, w, awsproto.Call{Request: r, Stream: http.NoBody, RequestID: "req"})
		if info.Operation != tc.want {
			t.Errorf("%s %s (Host %q): operation %q, want %q (%d %s)", tc.method, tc.target, tc.host, info.Operation, tc.want,
				w.Code, w.Body.String())
		}
		if tc.want == "" && w.Code != http.StatusNotImplemented && w.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: status %d, want 501 or 405", tc.method, tc.target, w.Code)
		}
	}
}
