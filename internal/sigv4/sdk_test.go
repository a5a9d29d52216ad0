package sigv4_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cairnhq/cairn/internal/sigv4"
)

// A verifyingServer verifies every request it receives as Cairn's
// protocol layers would, and answers "ok" or the error code. It reads the
// body itself (payload) for services other than S3, and streams it through
// Result.Body for S3.
type verifyingServer struct {
	*httptest.Server
	t    *testing.T
	last struct {
		sig     *sigv4.Signature
		body    []byte
		trailer http.Header
	}
}

func newVerifyingServer(t *testing.T) *verifyingServer {
	s := &verifyingServer{t: t}
	v := newVerifier(testTime)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sig, err := sigv4.Parse(r)
		if err != nil {
			io.WriteString(w, string(errCode(err)))
			return
		}
		s.last.sig = sig
		var payload []byte
		if sig.Scope.Service != "s3" {
			if payload, err = io.ReadAll(r.Body); err != nil {
				t.Error(err)
			}
		}
		res, err := v.Verify(r, sig, testSecret, payload)
		if err != nil {
			io.WriteString(w, string(errCode(err)))
			return
		}
		s.last.body = payload
		if res.Body != nil {
			b, err := io.ReadAll(res.Body)
			if err != nil {
				io.WriteString(w, string(errCode(err)))
				return
			}
			s.last.body = b
			s.last.trailer = res.Trailer()
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(s.Close)
	return s
}

// do sends r and returns the server's answer.
func (s *verifyingServer) do(r *http.Request) string {
	s.t.Helper()
	resp, err := s.Client().Do(r)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return string(b)
}

// s3Escape escapes an object key as the AWS SDKs put it in a path.
func s3Escape(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String()
}

// oddKeys are S3 object keys that stress path canonicalization.
var oddKeys = []string{
	"plain.txt",
	"with space/and more spaces  .txt",
	"unicode/ü日本語✓.bin",
	"plus+equals=amp&semi;colon:at@.txt",
	"percent%20literal%2F.txt",
	"dots/./and/../segments//double",
	"brackets[]{}()!*'$,#?.txt",
	"tilde~under_score-dash.txt",
}

func TestSDKRoundTrip(t *testing.T) {
	s := newVerifyingServer(t)
	base := s.URL

	type testCase struct {
		name    string
		method  string
		path    string // escaped
		query   string
		headers map[string]string
		body    string
		sign    sdkSignOptions
	}
	cases := []testCase{
		{name: "GET", method: "GET", path: "/", sign: sdkSignOptions{service: "monitoring"}},
		{
			name: "GET query", method: "GET", path: "/",
			query: url.Values{
				"Action":  {"ListMetrics"},
				"Space":   {"a b  c"},
				"Unicode": {"ü日本"},
				"Plus":    {"1+1=2"},
				"Slash":   {"a/b"},
				"Amp":     {"x&y"},
				"Empty":   {""},
				"Multi":   {"b", "a", "c"},
			}.Encode(),
			sign: sdkSignOptions{service: "monitoring"},
		},
		{
			name: "POST JSON", method: "POST", path: "/",
			headers: map[string]string{"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.ListTables"},
			body:    `{"Limit":10}`,
			sign:    sdkSignOptions{service: "dynamodb"},
		},
		{
			name: "POST query protocol with token", method: "POST", path: "/",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
			body:    "Action=GetCallerIdentity&Version=2011-06-15",
			sign:    sdkSignOptions{service: "sts", token: "FwoGZXIvYXdzEJr//////////wEaDOdHBb+token=="},
		},
		{
			name: "POST empty body", method: "POST", path: "/",
			sign: sdkSignOptions{service: "sqs"},
		},
		{
			name: "REST JSON escaped path", method: "POST",
			path:    "/2015-03-31/functions/" + url.PathEscape("arn:aws:lambda:us-east-1:123456789012:function:f") + "/invocations",
			headers: map[string]string{"X-Amz-Invocation-Type": "Event"},
			body:    `{}`,
			sign:    sdkSignOptions{service: "lambda", region: "eu-west-1"},
		},
		{
			name: "header whitespace", method: "GET", path: "/",
			headers: map[string]string{"X-Amz-Meta-Spaces": "  a   b \t c  "},
			sign:    sdkSignOptions{service: "monitoring"},
		},
	}
	for _, key := range oddKeys {
		cases = append(cases,
			testCase{
				name: "S3 PUT " + key, method: "PUT", path: "/bucket/" + s3Escape(key),
				headers: map[string]string{"Content-Type": "text/plain", "X-Amz-Meta-Key": "v"},
				body:    "object body for " + key,
				sign:    sdkSignOptions{service: "s3", s3: true},
			},
			testCase{
				name: "S3 PUT unsigned " + key, method: "PUT", path: "/bucket/" + s3Escape(key),
				body: "unsigned body",
				sign: sdkSignOptions{service: "s3", s3: true, payloadHash: sigv4.UnsignedPayload},
			},
		)
	}
	cases = append(cases, testCase{
		name: "S3 GET list", method: "GET", path: "/bucket",
		query: "list-type=2&prefix=a+b%2Fc&delimiter=%2F&encoding-type=url&continuation-token=1%2B2%3D",
		sign:  sdkSignOptions{service: "s3", s3: true, token: "session"},
	})

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := base + tc.path
			if tc.query != "" {
				u += "?" + tc.query
			}
			body := []byte(tc.body)
			r, err := http.NewRequest(tc.method, u, bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			if tc.sign.s3 && tc.sign.payloadHash == "" {
				r.Header.Set("X-Amz-Content-Sha256", hexSHA256(body))
			} else if tc.sign.payloadHash != "" {
				r.Header.Set("X-Amz-Content-Sha256", tc.sign.payloadHash)
			}
			sdkSign(t, r, body, tc.sign)
			if got := s.do(r); got != "ok" {
				t.Fatalf("server answered %s for %s %s", got, tc.method, r.URL.RequestURI())
			}
			if !bytes.Equal(s.last.body, body) {
				t.Errorf("body = %q, want %q", s.last.body, body)
			}
			if s.last.sig.SessionToken != tc.sign.token {
				t.Errorf("SessionToken = %q, want %q", s.last.sig.SessionToken, tc.sign.token)
			}

			// The same request with a wrong secret is rejected.
			r2, _ := http.NewRequest(tc.method, u, bytes.NewReader(body))
			for k, v := range r.Header {
				r2.Header[k] = v
			}
			r2.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Signature=", "Signature=0", 1)[:len(r.Header.Get("Authorization"))])
			if got := s.do(r2); got != string(sigv4.SignatureDoesNotMatch) {
				t.Errorf("tampered signature: server answered %s", got)
			}
		})
	}
}

func TestSDKPresign(t *testing.T) {
	s := newVerifyingServer(t)
	tests := []struct {
		name, method, path, query, service, token, payloadHash string
		s3                                                     bool
	}{
		{name: "STS GetCallerIdentity", method: "GET", path: "/", query: "Action=GetCallerIdentity&Version=2011-06-15",
			service: "sts", token: "tok/en+with=odd", payloadHash: hexSHA256(nil)},
		{name: "query with spaces", method: "GET", path: "/", query: "a=b+c&d=%7E", service: "monitoring", payloadHash: hexSHA256(nil)},
	}
	for _, key := range oddKeys {
		tests = append(tests, struct {
			name, method, path, query, service, token, payloadHash string
			s3                                                     bool
		}{name: "S3 GET " + key, method: "GET", path: "/bucket/" + s3Escape(key), query: "versionId=1",
			service: "s3", token: "tok", payloadHash: sigv4.UnsignedPayload, s3: true})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := s.URL + tc.path
			if tc.query != "" {
				u += "?" + tc.query
			}
			r, err := http.NewRequest(tc.method, u, nil)
			if err != nil {
				t.Fatal(err)
			}
			q := r.URL.Query()
			q.Set("X-Amz-Expires", "900") // set by the SDKs' presign clients before signing
			r.URL.RawQuery = q.Encode()
			creds := aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: tc.token}
			signedURL, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, tc.payloadHash,
				tc.service, "us-east-1", testTime.Add(-5*60e9), // signed five minutes ago
				func(o *v4.SignerOptions) { o.DisableURIPathEscaping = tc.s3 })
			if err != nil {
				t.Fatal(err)
			}
			r2, err := http.NewRequest(tc.method, signedURL, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range hdr {
				if k != "Host" {
					r2.Header[k] = v
				}
			}
			if got := s.do(r2); got != "ok" {
				t.Fatalf("server answered %s for %s", got, signedURL)
			}
			if !s.last.sig.Presigned || s.last.sig.SessionToken != tc.token {
				t.Errorf("Presigned = %v, SessionToken = %q", s.last.sig.Presigned, s.last.sig.SessionToken)
			}
			bad, _ := http.NewRequest(tc.method, strings.Replace(signedURL, "X-Amz-Signature=", "X-Amz-Signature=f", 1)[:len(signedURL)], nil)
			if got := s.do(bad); got != string(sigv4.SignatureDoesNotMatch) {
				t.Errorf("tampered signature: server answered %s", got)
			}
		})
	}
}
