package sigv4_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/sharedtest"
	"github.com/cairnhq/cairn/internal/sigv4"
)

// The AWS SigV4 test suite (awslabs/aws-c-auth tests/aws-signing-test-suite/v4) is
// conformance/sigv4 of the shared data next to the repository (package sharedtest).
var suitePath = []string{"conformance", "sigv4"}

type suiteContext struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	ExpirationInSeconds int       `json:"expiration_in_seconds"`
	Normalize           bool      `json:"normalize"`
	Region              string    `json:"region"`
	Service             string    `json:"service"`
	SignBody            bool      `json:"sign_body"`
	Timestamp           time.Time `json:"timestamp"`
	OmitSessionToken    bool      `json:"omit_session_token"`
}

// TestConformance checks every case of the AWS SigV4 test suite in both its
// header-signed and query-signed (presigned) forms: the signed request must
// be accepted, and rejected once its signature, a signed header, a signed
// query parameter or its body is changed.
func TestConformance(t *testing.T) {
	suiteDir := sharedtest.Dir(t, suitePath...)
	entries, err := os.ReadDir(suiteDir)
	if err != nil {
		t.Fatal(err)
	}
	var cases, forms int
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(suiteDir, e.Name())
		ctxJSON, err := os.ReadFile(filepath.Join(dir, "context.json"))
		if err != nil {
			continue
		}
		cases++
		var ctx suiteContext
		if err := json.Unmarshal(ctxJSON, &ctx); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		t.Run(e.Name(), func(t *testing.T) {
			for _, form := range []string{"header", "query"} {
				raw, err := os.ReadFile(filepath.Join(dir, form+"-signed-request.txt"))
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				forms++
				t.Run(form, func(t *testing.T) { checkSuiteCase(t, &ctx, form == "query", raw) })
			}
		})
	}
	if cases != 38 {
		t.Errorf("found %d cases in %s, want the 38 the README lists", cases, suiteDir)
	}
	t.Logf("%d cases, %d signed requests", cases, forms)
}

func checkSuiteCase(t *testing.T, ctx *suiteContext, presigned bool, raw []byte) {
	base, err := parseRawRequest(raw)
	if err != nil {
		t.Fatal(err)
	}
	v := sigv4.NewVerifier(sigv4.Options{Now: clock(ctx.Timestamp)})
	secret := ctx.Credentials.SecretAccessKey

	verify := func(rr *rawRequest) (*sigv4.Signature, error) {
		r := rr.request()
		sig, err := sigv4.Parse(r)
		if err != nil {
			return nil, err
		}
		_, err = v.Verify(r, sig, secret, rr.body)
		return sig, err
	}

	sig, err := verify(base)
	if err != nil {
		t.Fatalf("signed request rejected: %v", err)
	}
	if sig.AccessKeyID != ctx.Credentials.AccessKeyID {
		t.Errorf("AccessKeyID = %q, want %q", sig.AccessKeyID, ctx.Credentials.AccessKeyID)
	}
	wantScope := sigv4.Scope{Date: ctx.Timestamp.Format("20060102"), Region: ctx.Region, Service: ctx.Service}
	if sig.Scope != wantScope {
		t.Errorf("Scope = %+v, want %+v", sig.Scope, wantScope)
	}
	if !sig.Date.Equal(ctx.Timestamp) {
		t.Errorf("Date = %v, want %v", sig.Date, ctx.Timestamp)
	}
	if sig.Presigned != presigned {
		t.Errorf("Presigned = %v, want %v", sig.Presigned, presigned)
	}
	if presigned && sig.Expires != time.Duration(ctx.ExpirationInSeconds)*time.Second {
		t.Errorf("Expires = %v, want %ds", sig.Expires, ctx.ExpirationInSeconds)
	}
	if ctx.Credentials.Token != "" && sig.SessionToken != ctx.Credentials.Token {
		t.Errorf("SessionToken = %q, want %q", sig.SessionToken, ctx.Credentials.Token)
	}

	reject := func(what string, rr *rawRequest, want sigv4.Code) {
		t.Helper()
		if _, err := verify(rr); errCode(err) != want {
			t.Errorf("%s: got error %v, want code %s", what, err, want)
		}
	}

	// One byte of the signature changed.
	{
		rr := base.clone()
		if presigned {
			i := strings.Index(rr.target, "X-Amz-Signature=") + len("X-Amz-Signature=")
			j := i + strings.IndexByte(rr.target[i:]+"&", '&')
			rr.target = rr.target[:i] + flipHex(rr.target[i:j]) + rr.target[j:]
		} else {
			f := rr.field("Authorization")
			f.value = flipHex(f.value)
		}
		reject("signature changed", rr, sigv4.SignatureDoesNotMatch)
	}

	// Each signed header changed.
	for _, name := range sig.SignedHeaders {
		rr := base.clone()
		f := rr.field(name)
		switch name {
		case "x-amz-date":
			f.value = strings.Replace(f.value, "3600Z", "3601Z", 1)
		case "content-length":
			f.value = "99"
		case "x-amz-content-sha256":
			f.value = flipHex(f.value)
		default:
			f.value += "x"
		}
		reject("signed header "+name+" changed", rr, sigv4.SignatureDoesNotMatch)
	}

	// A signed query parameter changed.
	if presigned {
		rr := base.clone()
		rr.target = strings.Replace(rr.target, "X-Amz-Expires=3600", "X-Amz-Expires=3599", 1)
		reject("X-Amz-Expires changed", rr, sigv4.SignatureDoesNotMatch)
	}

	// The body changed. The payload hash applies to every request; when
	// x-amz-content-sha256 was sent the signature still matches and the
	// body is found not to match that header.
	{
		rr := base.clone()
		rr.body = append(rr.body, 'x')
		want := sigv4.SignatureDoesNotMatch
		if rr.lookup("X-Amz-Content-Sha256") != nil {
			want = sigv4.ContentSHA256Mismatch
		}
		reject("body changed", rr, want)
	}
}

// A rawRequest is an HTTP/1.1 request as written in the test suite, kept
// in a form that allows changing it. The suite's files are not all valid
// HTTP (a space in a path, raw UTF-8 in a request target, obsolete header
// line folding), so they are parsed by hand rather than by http.ReadRequest.
type rawRequest struct {
	method, target, proto string
	fields                []*rawField
	body                  []byte
}

type rawField struct{ name, value string }

func parseRawRequest(raw []byte) (*rawRequest, error) {
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	head, body, _ := strings.Cut(text, "\n\n")
	lines := strings.Split(head, "\n")
	line := lines[0]
	sp1, sp2 := strings.IndexByte(line, ' '), strings.LastIndexByte(line, ' ')
	if sp1 < 0 || sp2 <= sp1 {
		return nil, errors.New("malformed request line " + strconv.Quote(line))
	}
	rr := &rawRequest{method: line[:sp1], target: line[sp1+1 : sp2], proto: line[sp2+1:], body: []byte(body)}
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			// Obsolete line folding: like net/textproto, join with one space.
			if len(rr.fields) == 0 {
				return nil, errors.New("continuation line before any header")
			}
			f := rr.fields[len(rr.fields)-1]
			f.value += " " + strings.TrimSpace(l)
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return nil, errors.New("malformed header line " + strconv.Quote(l))
		}
		rr.fields = append(rr.fields, &rawField{name, strings.Trim(value, " \t")})
	}
	return rr, nil
}

func (rr *rawRequest) clone() *rawRequest {
	c := *rr
	c.fields = make([]*rawField, len(rr.fields))
	for i, f := range rr.fields {
		g := *f
		c.fields[i] = &g
	}
	c.body = bytes.Clone(rr.body)
	return &c
}

// lookup returns the first header field named name, or nil.
func (rr *rawRequest) lookup(name string) *rawField {
	for _, f := range rr.fields {
		if strings.EqualFold(f.name, name) {
			return f
		}
	}
	return nil
}

// field is lookup for fields that must exist.
func (rr *rawRequest) field(name string) *rawField {
	f := rr.lookup(name)
	if f == nil {
		panic("no header " + name)
	}
	return f
}

// request returns the *http.Request net/http's server would produce: Host
// moved to r.Host, RequestURI verbatim, Content-Length kept in the header
// and copied to r.ContentLength.
func (rr *rawRequest) request() *http.Request {
	path, query, _ := strings.Cut(rr.target, "?")
	u := &url.URL{RawQuery: query}
	if p, err := url.PathUnescape(path); err == nil {
		u.Path = p
	} else {
		u.Path = path
	}
	r := &http.Request{
		Method:     rr.method,
		URL:        u,
		Proto:      rr.proto,
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     make(http.Header),
		RequestURI: rr.target,
		Body:       io.NopCloser(bytes.NewReader(rr.body)),
	}
	for _, f := range rr.fields {
		if strings.EqualFold(f.name, "Host") {
			r.Host = f.value
			continue
		}
		r.Header.Add(f.name, f.value)
	}
	r.ContentLength = int64(len(rr.body))
	if cl := r.Header.Get("Content-Length"); cl != "" {
		r.ContentLength, _ = strconv.ParseInt(cl, 10, 64)
	}
	return r
}
