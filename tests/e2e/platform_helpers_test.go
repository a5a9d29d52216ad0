package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// Wire constants of the two protocol families the platform serves today.
const (
	wireSTSVersion   = "2011-06-15"
	wireOrgsTarget   = "AWSOrganizationsV20161128"
	wireFormType     = "application/x-www-form-urlencoded; charset=utf-8"
	wireJSON11Type   = "application/x-amz-json-1.1"
	wireEmptySHA256  = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	wireRegion       = "us-east-1"
	wireManagementID = "000000000000"
)

// credentials returns the keys Cairn wrote for profile.
func (c *cairn) credentials(profile string) aws.Credentials {
	c.t.Helper()
	creds, err := c.config(profile).Credentials.Retrieve(context.Background())
	if err != nil {
		c.t.Fatalf("credentials of %s: %v", profile, err)
	}
	return creds
}

// endpoint is the URL of the server under test.
func (c *cairn) endpoint() string { return c.srv.Endpoint() }

// withoutRetries makes SDK clients report the first answer, so tests see exactly what the
// server said.
func withoutRetries(cfg aws.Config) aws.Config {
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	return cfg
}

// rawCall describes a request built by hand, for cases an SDK client cannot produce.
type rawCall struct {
	Method string // POST when empty
	Path   string // "/" when empty
	Header map[string]string
	Body   []byte
	// Service and Region form the credential scope; Region defaults to us-east-1.
	Service string
	Region  string
	// Creds signs the request; nil leaves it unsigned.
	Creds *aws.Credentials
	// At is the signing time; zero means now.
	At time.Time
}

// build returns the request for endpoint, signed when r.Creds is set.
func (r rawCall) build(t *testing.T, endpoint string) *http.Request {
	t.Helper()
	method, path, region := r.Method, r.Path, r.Region
	if method == "" {
		method = http.MethodPost
	}
	if path == "" {
		path = "/"
	}
	if region == "" {
		region = wireRegion
	}
	req, err := http.NewRequest(method, endpoint+path, bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	if r.Creds != nil {
		at := r.At
		if at.IsZero() {
			at = time.Now()
		}
		sum := sha256.Sum256(r.Body)
		if err := v4.NewSigner().SignHTTP(context.Background(), *r.Creds, req, hex.EncodeToString(sum[:]), r.Service, region, at); err != nil {
			t.Fatalf("sign: %v", err)
		}
	}
	return req
}

// rawAnswer is an answer read in full.
type rawAnswer struct {
	Status int
	Header http.Header
	Body   []byte
}

// sendRaw sends req and reads the answer.
func sendRaw(t *testing.T, req *http.Request) rawAnswer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	return rawAnswer{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// queryErrorDoc is the awsQuery error document.
type queryErrorDoc struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Error   struct {
		Type    string
		Code    string
		Message string
	}
	RequestID string `xml:"RequestId"`
}

// jsonErrorDoc is the awsJson error document.
type jsonErrorDoc struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

// protoFamily is one protocol family: how to call a harmless operation of its service and how
// its errors read.
type protoFamily struct {
	name    string
	service string
	// request returns an operation call with body; op names the operation.
	request func(op string, body []byte) rawCall
	// okBody is the body of a successful call of okOp.
	okOp, okBody string
	// parse reads the error code and message of an answer, failing the test when the
	// answer is not in the family's error shape.
	parse func(t *testing.T, r rawAnswer) (code, message string)
}

var queryProto = protoFamily{
	name:    "awsQuery/sts",
	service: "sts",
	request: func(op string, body []byte) rawCall {
		return rawCall{Service: "sts", Header: map[string]string{"Content-Type": wireFormType}, Body: body}
	},
	okOp:   "GetCallerIdentity",
	okBody: "Action=GetCallerIdentity&Version=" + wireSTSVersion,
	parse:  parseQueryError,
}

var jsonProto = protoFamily{
	name:    "awsJson1.1/organizations",
	service: "organizations",
	request: func(op string, body []byte) rawCall {
		return rawCall{Service: "organizations", Body: body, Header: map[string]string{
			"Content-Type": wireJSON11Type, "X-Amz-Target": wireOrgsTarget + "." + op}}
	},
	okOp:   "DescribeOrganization",
	okBody: "{}",
	parse:  parseJSONError,
}

var protoFamilies = []protoFamily{queryProto, jsonProto}

// parseQueryError checks the awsQuery error shape: <ErrorResponse><Error><Type>Sender</Type>
// <Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>, the
// request id repeated in x-amzn-RequestId, and a text/xml content type.
func parseQueryError(t *testing.T, r rawAnswer) (string, string) {
	t.Helper()
	var e queryErrorDoc
	if err := xml.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("awsQuery error body %q: %v", r.Body, err)
	}
	wantType := "Sender"
	if r.Status >= 500 {
		wantType = "Receiver"
	}
	if e.Error.Type != wantType {
		t.Errorf("error <Type> = %q, want %q (status %d)", e.Error.Type, wantType, r.Status)
	}
	if e.RequestID == "" || r.Header.Get("X-Amzn-Requestid") != e.RequestID {
		t.Errorf("request id: body %q, header %q", e.RequestID, r.Header.Get("X-Amzn-Requestid"))
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Errorf("content type %q, want text/xml", ct)
	}
	return e.Error.Code, e.Error.Message
}

// parseJSONError checks the awsJson error shape: {"__type": …, "message": …} with
// X-Amzn-ErrorType and X-Amzn-RequestId headers.
func parseJSONError(t *testing.T, r rawAnswer) (string, string) {
	t.Helper()
	var e jsonErrorDoc
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("awsJson error body %q: %v", r.Body, err)
	}
	if e.Type == "" || e.Message == "" {
		t.Errorf("awsJson error body %s lacks __type or message", r.Body)
	}
	if got := r.Header.Get("X-Amzn-Errortype"); got != e.Type {
		t.Errorf("X-Amzn-ErrorType = %q, body __type %q", got, e.Type)
	}
	if r.Header.Get("X-Amzn-Requestid") == "" {
		t.Errorf("no X-Amzn-RequestId header")
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-amz-json-1.1") {
		t.Errorf("content type %q, want application/x-amz-json-1.1", ct)
	}
	return e.Type, e.Message
}

// expectAPIError checks that err is the AWS error code with HTTP status, as an SDK client
// sees it, and returns its message.
func expectAPIError(t *testing.T, err error, status int, code string) string {
	t.Helper()
	if err == nil {
		t.Fatalf("call succeeded; want %d %s", status, code)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v is not an AWS API error; want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Errorf("error code %q (%s), want %q", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if ae.ErrorMessage() == "" {
		t.Errorf("%s has no message", code)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v carries no HTTP response", err)
	}
	if re.HTTPStatusCode() != status {
		t.Errorf("%s: HTTP status %d, want %d", code, re.HTTPStatusCode(), status)
	}
	return ae.ErrorMessage()
}
