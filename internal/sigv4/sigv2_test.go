package sigv4_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/sigv4"
)

// The signatures below were computed by botocore's HmacV1Auth and
// HmacV1QueryAuth (what the AWS CLI v1 uses for S3) with testAKID or
// "ASIDEXAMPLE", testSecret, the session token "tok/en+=" and testTime.

const v2Date = "Sun, 30 Aug 2015 12:36:00 GMT"

func v2HeaderRequest(method, target, host, authorization string, headers map[string]string) *http.Request {
	r := serverRequest(method, target, host, nil)
	r.Header.Set("Date", v2Date)
	r.Header.Set("Authorization", authorization)
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}

func TestSigV2Verify(t *testing.T) {
	tests := []struct {
		name      string
		r         *http.Request
		bucket    string // VirtualBucket
		now       time.Time
		akid      string
		token     string
		presigned bool
		code      sigv4.Code
	}{
		{name: "header, path style", now: testTime, akid: testAKID,
			r: v2HeaderRequest("GET", "/bkt/some%20key/x%2By.txt", "127.0.0.1:7766", "AWS AKIDEXAMPLE:x+2FSVeknZplPwd9wL6oAjyo+c4=", nil)},
		{name: "header, virtual-hosted, content headers, x-amz-meta, subresource", now: testTime, akid: testAKID, bucket: "bkt",
			r: v2HeaderRequest("PUT", "/photos/puppy.jpg?tagging", "bkt.localhost:7766", "AWS AKIDEXAMPLE:pDteWiLVLOqX53730c00jxyN1mA=",
				map[string]string{"Content-Type": "image/jpeg", "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg==", "X-Amz-Meta-Author": " Alice ", "X-Amz-Meta-B": "2"})},
		{name: "header, virtual-hosted signed without the bucket", now: testTime, akid: testAKID,
			r: v2HeaderRequest("PUT", "/photos/puppy.jpg?tagging", "bkt.localhost:7766", "AWS AKIDEXAMPLE:pDteWiLVLOqX53730c00jxyN1mA=",
				map[string]string{"Content-Type": "image/jpeg", "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg==", "X-Amz-Meta-Author": " Alice ", "X-Amz-Meta-B": "2"}),
			code: sigv4.SignatureDoesNotMatch},
		{name: "header, session token, subresources sorted, other parameters left out", now: testTime, akid: "ASIDEXAMPLE", token: "tok/en+=",
			r: v2HeaderRequest("GET", "/bkt/k?uploadId=abc&partNumber=2&max-parts=3", "127.0.0.1:7766", "AWS ASIDEXAMPLE:Qx7XIGdeRsC8AHhwUI/kgwjtYnk=",
				map[string]string{"X-Amz-Security-Token": "tok/en+="})},
		{name: "header, another method", now: testTime, akid: testAKID,
			r:    v2HeaderRequest("DELETE", "/bkt/some%20key/x%2By.txt", "127.0.0.1:7766", "AWS AKIDEXAMPLE:x+2FSVeknZplPwd9wL6oAjyo+c4=", nil),
			code: sigv4.SignatureDoesNotMatch},
		{name: "header, tampered signature", now: testTime, akid: testAKID,
			r:    v2HeaderRequest("GET", "/bkt/some%20key/x%2By.txt", "127.0.0.1:7766", "AWS AKIDEXAMPLE:y+2FSVeknZplPwd9wL6oAjyo+c4=", nil),
			code: sigv4.SignatureDoesNotMatch},
		{name: "header, not base64", now: testTime, akid: testAKID,
			r: v2HeaderRequest("GET", "/bkt/k", "127.0.0.1:7766", "AWS AKIDEXAMPLE:!!!", nil), code: sigv4.SignatureDoesNotMatch},
		{name: "header, clock 16 minutes ahead", now: testTime.Add(16 * time.Minute), akid: testAKID,
			r:    v2HeaderRequest("GET", "/bkt/some%20key/x%2By.txt", "127.0.0.1:7766", "AWS AKIDEXAMPLE:x+2FSVeknZplPwd9wL6oAjyo+c4=", nil),
			code: sigv4.RequestTimeTooSkewed},
		{name: "query, response override", now: testTime, akid: testAKID, presigned: true,
			r: serverRequest("GET", "/bkt/k?response-content-type=text%2Fplain&AWSAccessKeyId=AKIDEXAMPLE&Signature=54h3hmQj9fWYwdhWa625YPKJ8rI%3D&Expires=1440941760", "127.0.0.1:7766", nil)},
		{name: "query, session token in the query", now: testTime.Add(59 * time.Minute), akid: "ASIDEXAMPLE", token: "tok/en+=", presigned: true,
			r: serverRequest("GET", "/bkt/k?AWSAccessKeyId=ASIDEXAMPLE&Signature=ke7QaxHM%2FA%2FMR8HFRT9S66TAhfE%3D&x-amz-security-token=tok%2Fen%2B%3D&Expires=1440941760", "127.0.0.1:7766", nil)},
		{name: "query, expired", now: testTime.Add(time.Hour + time.Second), akid: "ASIDEXAMPLE", token: "tok/en+=", presigned: true,
			r:    serverRequest("GET", "/bkt/k?AWSAccessKeyId=ASIDEXAMPLE&Signature=ke7QaxHM%2FA%2FMR8HFRT9S66TAhfE%3D&x-amz-security-token=tok%2Fen%2B%3D&Expires=1440941760", "127.0.0.1:7766", nil),
			code: sigv4.RequestExpired},
		{name: "query, Expires moved", now: testTime, akid: testAKID, presigned: true,
			r:    serverRequest("GET", "/bkt/k?response-content-type=text%2Fplain&AWSAccessKeyId=AKIDEXAMPLE&Signature=54h3hmQj9fWYwdhWa625YPKJ8rI%3D&Expires=1440941761", "127.0.0.1:7766", nil),
			code: sigv4.SignatureDoesNotMatch},
		{name: "query, override changed", now: testTime, akid: testAKID, presigned: true,
			r:    serverRequest("GET", "/bkt/k?response-content-type=text%2Fhtml&AWSAccessKeyId=AKIDEXAMPLE&Signature=54h3hmQj9fWYwdhWa625YPKJ8rI%3D&Expires=1440941760", "127.0.0.1:7766", nil),
			code: sigv4.SignatureDoesNotMatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sig, err := sigv4.Parse(tc.r)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !sig.V2 || sig.Scope.Service != "s3" || sig.AccessKeyID != tc.akid || sig.SessionToken != tc.token || sig.Presigned != tc.presigned {
				t.Fatalf("Parse = %+v", sig)
			}
			sig.VirtualBucket = tc.bucket
			res, err := newVerifier(tc.now).Verify(tc.r, sig, testSecret, nil)
			if got := errCode(err); got != tc.code {
				t.Fatalf("Verify: code %q (%v), want %q", got, err, tc.code)
			}
			if err == nil {
				if res.Body == nil || res.Chunked {
					t.Fatalf("Result = %+v, want the body unsigned", res)
				}
				if _, err := io.ReadAll(res.Body); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestSigV2Parse(t *testing.T) {
	tests := []struct {
		name string
		r    *http.Request
		code sigv4.Code
	}{
		{"header without a colon", v2HeaderRequest("GET", "/b/k", "h", "AWS AKIDEXAMPLE", nil), sigv4.IncompleteSignature},
		{"header without a signature", v2HeaderRequest("GET", "/b/k", "h", "AWS AKIDEXAMPLE:", nil), sigv4.IncompleteSignature},
		{"header without a key", v2HeaderRequest("GET", "/b/k", "h", "AWS :abc", nil), sigv4.IncompleteSignature},
		{"header without a date", func() *http.Request {
			r := v2HeaderRequest("GET", "/b/k", "h", "AWS AKIDEXAMPLE:abc", nil)
			r.Header.Del("Date")
			return r
		}(), sigv4.IncompleteSignature},
		{"header with a bad date", v2HeaderRequest("GET", "/b/k", "h", "AWS AKIDEXAMPLE:abc", map[string]string{"Date": "yesterday"}), sigv4.IncompleteSignature},
		{"query without Expires", serverRequest("GET", "/b/k?AWSAccessKeyId=A&Signature=abc", "h", nil), sigv4.IncompleteSignature},
		{"query without Signature", serverRequest("GET", "/b/k?AWSAccessKeyId=A&Expires=1", "h", nil), sigv4.IncompleteSignature},
		{"query with a bad Expires", serverRequest("GET", "/b/k?AWSAccessKeyId=A&Signature=abc&Expires=soon", "h", nil), sigv4.IncompleteSignature},
		{"query with a repeated Signature", serverRequest("GET", "/b/k?AWSAccessKeyId=A&Signature=abc&Signature=abd&Expires=1", "h", nil), sigv4.IncompleteSignature},
		{"query and header", v2HeaderRequest("GET", "/b/k?AWSAccessKeyId=A&Signature=abc&Expires=1", "h", "AWS A:abc", nil), sigv4.AmbiguousAuthentication},
		{"SigV2 and SigV4 queries", serverRequest("GET", "/b/k?AWSAccessKeyId=A&Signature=abc&Expires=1&X-Amz-Algorithm=AWS4-HMAC-SHA256", "h", nil), sigv4.AmbiguousAuthentication},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sigv4.Parse(tc.r)
			if got := errCode(err); got != tc.code {
				t.Fatalf("Parse: code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
}
