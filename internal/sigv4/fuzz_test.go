package sigv4_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/fuzzseed"

	"github.com/cairnhq/cairn/internal/sharedtest"
	"github.com/cairnhq/cairn/internal/sigv4"
)

// knownCode reports whether err is nil or a *sigv4.Error with a defined code.
func knownCode(err error) bool {
	switch errCode(err) {
	case "", sigv4.MissingAuthentication, sigv4.AmbiguousAuthentication, sigv4.UnsupportedAlgorithm,
		sigv4.IncompleteSignature, sigv4.SignatureDoesNotMatch, sigv4.RequestTimeTooSkewed,
		sigv4.RequestExpired, sigv4.ContentSHA256Mismatch, sigv4.InvalidContentSHA256,
		sigv4.InvalidChunk, sigv4.IncompleteBody:
		return true
	}
	return false
}

// FuzzParse feeds arbitrary request targets, Authorization headers and
// X-Amz-Date values to Parse and, when it succeeds, to Verify.
func FuzzParse(f *testing.F) {
	fuzzseed.Require(f)
	fuzzseed.Add(f, "/", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "+
		"SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", "20150830T123600Z")
	fuzzseed.Add(f, "/?"+presignQuery("3600", strings.Repeat("0", 64)), "", "")
	fuzzseed.Add(f, "/a/../b//c?x=1&y&z=%41%zz+", "AWS4-HMAC-SHA256 Credential=a/20150830/r/s3/aws4_request,SignedHeaders=host;x-amz-date;content-length,Signature=00", "20150830T123600Z")
	fuzzseed.Add(f, "/", "AWS AKID:sig", "")
	fuzzseed.Add(f, "/b/k", "AWS AKIDEXAMPLE:x+2FSVeknZplPwd9wL6oAjyo+c4=", "Sun, 30 Aug 2015 12:36:00 GMT")
	fuzzseed.Add(f, "/b/k?acl&uploadId=a%2Fb&response-content-type=x&AWSAccessKeyId=A&Signature=c2lnCg%3D%3D&Expires=1440941760&x-amz-security-token=t", "", "")
	// The test suite's requests, when present.
	var files []string
	if suiteDir, _, err := sharedtest.Find(suitePath...); err == nil && suiteDir != "" {
		files, _ = filepath.Glob(filepath.Join(suiteDir, "*", "*-signed-request.txt"))
	}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		if rr, err := parseRawRequest(raw); err == nil {
			auth := ""
			if f := rr.lookup("Authorization"); f != nil {
				auth = f.value
			}
			fuzzseed.Add(f, rr.target, auth, "20150830T123600Z")
		}
	}

	v := newVerifier(testTime)
	f.Fuzz(func(t *testing.T, target, auth, amzDate string) {
		path, query, _ := strings.Cut(target, "?")
		r := &http.Request{
			Method:     "GET",
			URL:        &url.URL{Path: path, RawQuery: query},
			Header:     http.Header{},
			Host:       "example.amazonaws.com",
			RequestURI: target,
			Body:       http.NoBody,
		}
		if auth != "" {
			r.Header["Authorization"] = []string{auth}
		}
		if amzDate != "" {
			r.Header["X-Amz-Date"] = []string{amzDate}
		}
		sig, err := sigv4.Parse(r)
		if !knownCode(err) {
			t.Fatalf("Parse: %v", err)
		}
		if err != nil {
			return
		}
		if sig.V2 {
			if sig.AccessKeyID == "" || sig.Signature == "" || sig.Scope.Service != "s3" {
				t.Fatalf("Parse accepted an incomplete SigV2 signature: %+v", sig)
			}
		} else if sig.AccessKeyID == "" || len(sig.Scope.Date) != 8 || sig.Scope.Region == "" || sig.Scope.Service == "" ||
			len(sig.SignedHeaders) == 0 || sig.Signature == "" {
			t.Fatalf("Parse accepted an incomplete signature: %+v", sig)
		}
		for _, payload := range [][]byte{{}, nil} {
			res, err := v.Verify(r, sig, testSecret, payload)
			if !knownCode(err) {
				t.Fatalf("Verify: %v", err)
			}
			if err == nil && res.Body != nil {
				io.Copy(io.Discard, res.Body)
			}
		}
	})
}

// FuzzChunkedReader feeds arbitrary bodies to the aws-chunked decoders of
// correctly signed requests. Decoding must end (never hang or panic), read
// no more data than the body holds, fail only with defined codes and, for
// signed kinds, succeed only on the data the client signed.
func FuzzChunkedReader(f *testing.F) {
	fuzzseed.Require(f)
	data := []byte("hello, chunked world")
	kinds := []string{sigv4.StreamingPayload, sigv4.StreamingPayloadTrailer, sigv4.StreamingUnsignedPayloadTrailer}
	templates := make([]*http.Request, len(kinds))
	for i, kind := range kinds {
		r := serverRequest("PUT", "/bucket/key", "bucket.s3.amazonaws.com", nil)
		r.Header.Set("X-Amz-Content-Sha256", kind)
		r.Header.Set("Content-Encoding", "aws-chunked")
		sdkSign(f, r, nil, sdkSignOptions{service: "s3", s3: true, payloadHash: kind})
		templates[i] = r
		seed := sigFromAuthorization(r.Header.Get("Authorization"))
		for _, size := range []int{4, 64} {
			s := seedSigner(seed)
			s.chunkSize = size
			var trailers []string
			if kind != sigv4.StreamingPayload {
				trailers = []string{"x-amz-checksum-crc32:" + crc32Trailer(data)}
			}
			if kind == sigv4.StreamingUnsignedPayloadTrailer {
				s.unsigned = true
			}
			fuzzseed.Add(f, uint8(i), s.encode(data, trailers...))
		}
	}
	fuzzseed.Add(f, uint8(0), []byte("FFFFFFFF;chunk-signature="+strings.Repeat("0", 64)+"\r\n"))
	fuzzseed.Add(f, uint8(2), []byte("7fffffffffffffff\r\n"))

	v := newVerifier(testTime)
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		i := int(kind) % len(templates)
		r := templates[i].Clone(templates[i].Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
		_, res, err := parseVerify(v, r, testSecret, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		n, err := io.Copy(&got, res.Body)
		if n > int64(len(body)) {
			t.Fatalf("decoded %d bytes from a %d-byte body", n, len(body))
		}
		if !knownCode(err) {
			t.Fatalf("Read: %v", err)
		}
		if err == nil && kinds[i] != sigv4.StreamingUnsignedPayloadTrailer && !bytes.Equal(got.Bytes(), data) {
			t.Fatalf("accepted unsigned data %q", got.Bytes())
		}
		if err != nil && res.Trailer() != nil {
			t.Fatal("trailers exposed after an error")
		}
	})
}
