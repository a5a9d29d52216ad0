package sigv4_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cairnhq/cairn/internal/sigv4"
)

// Test credentials and clock.
const (
	testAKID   = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

var testTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

func newVerifier(now time.Time) *sigv4.Verifier {
	return sigv4.NewVerifier(sigv4.Options{Now: clock(now)})
}

func hexSHA256(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// errCode returns the code of a *sigv4.Error, or "" for nil, or
// "not a *sigv4.Error".
func errCode(err error) sigv4.Code {
	if err == nil {
		return ""
	}
	var e *sigv4.Error
	if !errors.As(err, &e) {
		return "not a *sigv4.Error: " + sigv4.Code(err.Error())
	}
	return e.Code
}

// parseVerify runs Parse and Verify.
func parseVerify(v *sigv4.Verifier, r *http.Request, secret string, payload []byte) (*sigv4.Signature, *sigv4.Result, error) {
	sig, err := sigv4.Parse(r)
	if err != nil {
		return nil, nil, err
	}
	res, err := v.Verify(r, sig, secret, payload)
	return sig, res, err
}

// serverRequest builds a request as net/http's server would hand it over.
func serverRequest(method, target, host string, body []byte) *http.Request {
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	r.Host = host
	if len(body) > 0 {
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return r
}

type sdkSignOptions struct {
	service, region string
	token           string
	payloadHash     string // default: hash of body
	s3              bool   // DisableURIPathEscaping
}

// sdkSign signs r with aws-sdk-go-v2's signer at testTime.
func sdkSign(t testing.TB, r *http.Request, body []byte, o sdkSignOptions) {
	t.Helper()
	if o.payloadHash == "" {
		o.payloadHash = hexSHA256(body)
	}
	if o.region == "" {
		o.region = "us-east-1"
	}
	creds := aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: o.token}
	err := v4.NewSigner().SignHTTP(context.Background(), creds, r, o.payloadHash, o.service, o.region, testTime,
		func(so *v4.SignerOptions) { so.DisableURIPathEscaping = o.s3 })
	if err != nil {
		t.Fatal(err)
	}
}

// testSigningKey derives a signing key straight from the SigV4 spec.
func testSigningKey(secret, date, region, service string) []byte {
	k := testHMAC([]byte("AWS4"+secret), date)
	k = testHMAC(k, region)
	k = testHMAC(k, service)
	return testHMAC(k, "aws4_request")
}

func testHMAC(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	io.WriteString(m, s)
	return m.Sum(nil)
}

// A chunkSigner computes aws-chunked signatures as a client does.
type chunkSigner struct {
	key       []byte
	date      string // X-Amz-Date
	scope     string // yyyymmdd/region/service/aws4_request
	prev      string // previous signature, hex
	tamperAt  int    // index of the chunk whose signature to corrupt, or -1
	unsigned  bool   // STREAMING-UNSIGNED-PAYLOAD-TRAILER framing
	chunkSize int
	sigs      []string // chunk signatures computed, in order
}

func newChunkSigner(secret, date, region, service, seed string) *chunkSigner {
	return &chunkSigner{
		key:      testSigningKey(secret, date[:8], region, service),
		date:     date,
		scope:    date[:8] + "/" + region + "/" + service + "/aws4_request",
		prev:     seed,
		tamperAt: -1,
	}
}

func (s *chunkSigner) chunkSignature(data []byte) string {
	sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + s.date + "\n" + s.scope + "\n" + s.prev + "\n" +
		hexSHA256(nil) + "\n" + hexSHA256(data)
	s.prev = hex.EncodeToString(testHMAC(s.key, sts))
	return s.prev
}

func (s *chunkSigner) trailerSignature(canonical string) string {
	sts := "AWS4-HMAC-SHA256-TRAILER\n" + s.date + "\n" + s.scope + "\n" + s.prev + "\n" +
		hexSHA256([]byte(canonical))
	s.prev = hex.EncodeToString(testHMAC(s.key, sts))
	return s.prev
}

// encode frames data in chunks of s.chunkSize (default 64 KiB), ending with
// the final chunk and the given trailer lines ("name:value").
func (s *chunkSigner) encode(data []byte, trailers ...string) []byte {
	size := s.chunkSize
	if size == 0 {
		size = 64 << 10
	}
	var b bytes.Buffer
	for i := 0; ; i++ {
		n := min(size, len(data))
		chunk := data[:n]
		data = data[n:]
		b.WriteString(strconv.FormatInt(int64(n), 16))
		if !s.unsigned {
			sig := s.chunkSignature(chunk)
			s.sigs = append(s.sigs, sig)
			if i == s.tamperAt {
				sig = flipHex(sig)
			}
			b.WriteString(";chunk-signature=" + sig)
		}
		b.WriteString("\r\n")
		if n == 0 {
			break
		}
		b.Write(chunk)
		b.WriteString("\r\n")
	}
	if s.unsigned || len(trailers) > 0 {
		var canonical string
		for _, t := range trailers {
			b.WriteString(t + "\r\n")
			canonical += t + "\n"
		}
		if !s.unsigned {
			b.WriteString("x-amz-trailer-signature:" + s.trailerSignature(canonical) + "\r\n")
		}
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// flipHex changes the last hex digit of s.
func flipHex(s string) string {
	last := s[len(s)-1]
	repl := byte('0')
	if last == '0' {
		repl = '1'
	}
	return s[:len(s)-1] + string(repl)
}

// sigFromAuthorization extracts Signature= from an Authorization header.
func sigFromAuthorization(auth string) string {
	_, s, _ := strings.Cut(auth, "Signature=")
	return s
}

// specSignature computes a SigV4 signature from an explicit canonical
// request, straight from the spec, for tests that need requests the SDK
// signer does not produce. headers are lower-case name/value pairs in
// canonical order.
func specSignature(secret string, date time.Time, region, service, method, uri, query string, headers [][2]string, payloadHash string) string {
	var cr strings.Builder
	cr.WriteString(method + "\n" + uri + "\n" + query + "\n")
	var names []string
	for _, h := range headers {
		cr.WriteString(h[0] + ":" + h[1] + "\n")
		names = append(names, h[0])
	}
	cr.WriteString("\n" + strings.Join(names, ";") + "\n" + payloadHash)
	day := date.UTC().Format("20060102")
	scope := day + "/" + region + "/" + service + "/aws4_request"
	sts := "AWS4-HMAC-SHA256\n" + date.UTC().Format("20060102T150405Z") + "\n" + scope + "\n" + hexSHA256([]byte(cr.String()))
	return hex.EncodeToString(testHMAC(testSigningKey(secret, day, region, service), sts))
}
