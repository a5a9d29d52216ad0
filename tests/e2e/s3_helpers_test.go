package e2e

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// s3Client returns an S3 client for profile that addresses buckets path-style
// (http://127.0.0.1:port/bucket/key).
func (c *cairn) s3Client(profile string) *s3.Client {
	return s3.NewFromConfig(withoutRetries(c.config(profile)), func(o *s3.Options) { o.UsePathStyle = true })
}

// s3VirtualClient returns an S3 client for profile that addresses buckets
// virtual-hosted-style (http://bucket.localhost:port/key); its dialer sends every
// *.localhost name to the server, since resolvers need not know them. Every request
// whose Host does not name a bucket, but ListBuckets, fails the test.
func (c *cairn) s3VirtualClient(profile string) *s3.Client {
	_, port, _ := net.SplitHostPort(c.srv.Addr())
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, p, err := net.SplitHostPort(addr)
		if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
			addr = net.JoinHostPort("127.0.0.1", p)
		}
		return dialer.DialContext(ctx, network, addr)
	}
	t := c.t
	check := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !strings.HasSuffix(r.URL.Hostname(), ".localhost") && !(r.Method == http.MethodGet && r.URL.Path == "/") {
			t.Errorf("virtual-hosted client sent %s %s to host %s", r.Method, r.URL.Path, r.URL.Host)
		}
		return transport.RoundTrip(r)
	})
	return s3.NewFromConfig(withoutRetries(c.config(profile)), func(o *s3.Options) {
		o.BaseEndpoint = aws.String("http://localhost:" + port)
		o.UsePathStyle = false
		o.HTTPClient = &http.Client{Transport: check}
	})
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// apiErrorCode returns the AWS error code of err, or "".
func apiErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// httpStatus returns the HTTP status of a failed SDK call, or 0.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// wantS3Error fails the test unless err is the S3 error code with status.
func wantS3Error(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: succeeded, want %d %s", what, status, code)
	}
	if got := httpStatus(err); got != status {
		t.Errorf("%s: status %d, want %d (%v)", what, got, status, err)
	}
	if code != "" {
		if got := apiErrorCode(err); got != code {
			t.Errorf("%s: code %q, want %q (%v)", what, got, code, err)
		}
	}
}

// mustCreateBucket creates bucket with client.
func mustCreateBucket(t *testing.T, client *s3.Client, bucket string) {
	t.Helper()
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("CreateBucket %s: %v", bucket, err)
	}
}

// bufioReader wraps a connection for http.ReadResponse.
func bufioReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }
