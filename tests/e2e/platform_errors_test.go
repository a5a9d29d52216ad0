package e2e

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/cairnhq/cairn/internal/server"
)

// rawErrorCase is one bad request, answered in the shape of each protocol family.
type rawErrorCase struct {
	name string
	// request builds the bad request for family f, signed with the management keys good.
	request func(f protoFamily, good aws.Credentials) rawCall
	// want maps a family name to the status and code it must answer.
	want map[string]statusAndCode
	// message, when set, must appear in the error message.
	message string
}

type statusAndCode = struct {
	status int
	code   string
}

func TestPlatformErrorsRaw(t *testing.T) {
	c := start(t, startOptions{})
	good := c.credentials("management")
	unknown := aws.Credentials{AccessKeyID: "AKIAUNKNOWNUNKNOWN00", SecretAccessKey: strings.Repeat("x", 40)}
	wrongSecret := good
	wrongSecret.SecretAccessKey = strings.Repeat("y", 40)
	withToken := good
	withToken.SessionToken = "FQoGZXIvYXdzEJr//////////wEaDInvented"

	ok := func(f protoFamily) []byte { return []byte(f.okBody) }
	signedBy := func(creds aws.Credentials) func(f protoFamily, _ aws.Credentials) rawCall {
		return func(f protoFamily, _ aws.Credentials) rawCall {
			r := f.request(f.okOp, ok(f))
			r.Creds = &creds
			return r
		}
	}
	cases := []rawErrorCase{{
		name:    "unknown access key",
		request: signedBy(unknown),
		want: map[string]statusAndCode{
			queryProto.name: {403, "InvalidClientTokenId"},
			jsonProto.name:  {400, "UnrecognizedClientException"},
		},
		message: "security token included in the request is invalid",
	}, {
		name:    "bad signature",
		request: signedBy(wrongSecret),
		want: map[string]statusAndCode{
			queryProto.name: {403, "SignatureDoesNotMatch"},
			jsonProto.name:  {400, "InvalidSignatureException"},
		},
		message: "signature we calculated does not match",
	}, {
		name: "signed 20 minutes ago",
		request: func(f protoFamily, good aws.Credentials) rawCall {
			r := signedBy(good)(f, good)
			r.At = time.Now().Add(-20 * time.Minute)
			return r
		},
		want: map[string]statusAndCode{
			queryProto.name: {403, "SignatureDoesNotMatch"},
			jsonProto.name:  {400, "InvalidSignatureException"},
		},
		message: "Signature expired",
	}, {
		name: "signed 20 minutes ahead",
		request: func(f protoFamily, good aws.Credentials) rawCall {
			r := signedBy(good)(f, good)
			r.At = time.Now().Add(20 * time.Minute)
			return r
		},
		want: map[string]statusAndCode{
			queryProto.name: {403, "SignatureDoesNotMatch"},
			jsonProto.name:  {400, "InvalidSignatureException"},
		},
		message: "Signature not yet current",
	}, {
		name: "missing authentication",
		request: func(f protoFamily, _ aws.Credentials) rawCall {
			return f.request(f.okOp, ok(f))
		},
		want: map[string]statusAndCode{
			queryProto.name: {403, "MissingAuthenticationToken"},
			jsonProto.name:  {400, "MissingAuthenticationTokenException"},
		},
		message: "Request is missing Authentication Token",
	}, {
		name:    "session token on a long-term key",
		request: signedBy(withToken),
		want: map[string]statusAndCode{
			queryProto.name: {403, "InvalidClientTokenId"},
			jsonProto.name:  {400, "UnrecognizedClientException"},
		},
	}, {
		name: "unknown operation",
		request: func(f protoFamily, good aws.Credentials) rawCall {
			body := []byte("{}")
			if f.service == "sts" {
				body = []byte("Action=GetCallerIdentities&Version=" + wireSTSVersion)
			}
			r := f.request("DescribeOrganisation", body)
			r.Creds = &good
			return r
		},
		want: map[string]statusAndCode{
			queryProto.name: {400, "InvalidAction"},
			jsonProto.name:  {400, "UnknownOperationException"},
		},
	}, {
		name: "wrong API version",
		request: func(f protoFamily, good aws.Credentials) rawCall {
			r := f.request(f.okOp, []byte(f.okBody))
			if f.service == "sts" {
				r.Body = []byte("Action=GetCallerIdentity&Version=2099-01-01")
			} else {
				r.Header["X-Amz-Target"] = "AWSOrganizationsV20991231.DescribeOrganization"
			}
			r.Creds = &good
			return r
		},
		want: map[string]statusAndCode{
			queryProto.name: {400, "InvalidAction"},
			jsonProto.name:  {400, "UnknownOperationException"},
		},
	}, {
		name: "wrong content type",
		request: func(f protoFamily, good aws.Credentials) rawCall {
			r := f.request(f.okOp, ok(f))
			r.Header["Content-Type"] = "text/plain"
			r.Creds = &good
			return r
		},
		want: map[string]statusAndCode{
			queryProto.name: {400, "InvalidParameterValue"},
			jsonProto.name:  {400, "UnknownOperationException"},
		},
		message: "text/plain",
	}, {
		name: "body over the size limit",
		request: func(f protoFamily, good aws.Credentials) rawCall {
			body := bytes.Repeat([]byte(" "), server.DefaultMaxBodyBytes+1)
			copy(body, ok(f))
			r := f.request(f.okOp, body)
			r.Creds = &good
			return r
		},
		want: map[string]statusAndCode{
			queryProto.name: {413, "RequestEntityTooLarge"},
			jsonProto.name:  {413, "RequestEntityTooLarge"},
		},
		message: "exceeds the maximum",
	}}
	for _, tc := range cases {
		for _, f := range protoFamilies {
			t.Run(tc.name+"/"+f.name, func(t *testing.T) {
				want := tc.want[f.name]
				r := sendRaw(t, tc.request(f, good).build(t, c.endpoint()))
				if r.Status != want.status {
					t.Errorf("status %d, want %d; body %s", r.Status, want.status, r.Body)
				}
				code, msg := f.parse(t, r)
				if code != want.code {
					t.Errorf("code %q (%s), want %q", code, msg, want.code)
				}
				if tc.message != "" && !strings.Contains(msg, tc.message) {
					t.Errorf("message %q does not mention %q", msg, tc.message)
				}
			})
		}
	}
}

// TestPlatformBodyOverLimitStreamed sends an oversized body without a Content-Length, so
// the server must count while reading.
func TestPlatformBodyOverLimitStreamed(t *testing.T) {
	c := start(t, startOptions{})
	good := c.credentials("management")
	for _, f := range protoFamilies {
		t.Run(f.name, func(t *testing.T) {
			body := bytes.Repeat([]byte(" "), server.DefaultMaxBodyBytes+1)
			copy(body, f.okBody)
			rr := f.request(f.okOp, body)
			rr.Creds = &good
			req := rr.build(t, c.endpoint())
			req.ContentLength = -1
			req.Body = io.NopCloser(bytes.NewReader(body))
			req.GetBody = nil
			r := sendRaw(t, req)
			if r.Status != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413; body %s", r.Status, r.Body)
			}
			if code, _ := f.parse(t, r); code != "RequestEntityTooLarge" {
				t.Errorf("code %q, want RequestEntityTooLarge", code)
			}
		})
	}
}

func TestPlatformMalformedJSON(t *testing.T) {
	c := start(t, startOptions{})
	good := c.credentials("management")
	for _, body := range []string{`{"MaxResults": 1`, `{"MaxResults": "one"}`, `[1,2]`, `{} {}`, "\x00\xff"} {
		rr := jsonProto.request("ListAccounts", []byte(body))
		rr.Creds = &good
		r := sendRaw(t, rr.build(t, c.endpoint()))
		if r.Status != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400; body %s", body, r.Status, r.Body)
		}
		if code, msg := parseJSONError(t, r); code != "SerializationException" {
			t.Errorf("%q: code %q (%s), want SerializationException", body, code, msg)
		}
	}
}

func TestPlatformRequiredMemberMissing(t *testing.T) {
	c := start(t, startOptions{})
	good := c.credentials("management")
	rr := jsonProto.request("DescribeAccount", []byte(`{}`))
	rr.Creds = &good
	r := sendRaw(t, rr.build(t, c.endpoint()))
	if r.Status != http.StatusBadRequest {
		t.Errorf("status %d, want 400; body %s", r.Status, r.Body)
	}
	code, msg := parseJSONError(t, r)
	const want = "1 validation error detected: Value null at 'accountId' failed to satisfy constraint: Member must not be null"
	if code != "InvalidInputException" || msg != want {
		t.Errorf("got %s %q, want InvalidInputException %q", code, msg, want)
	}
}

func TestPlatformWrongRegionInScope(t *testing.T) {
	c := start(t, startOptions{})
	good := c.credentials("management")
	rr := queryProto.request("GetCallerIdentity", []byte(queryProto.okBody))
	rr.Creds, rr.Region = &good, "eu-west-1"
	r := sendRaw(t, rr.build(t, c.endpoint()))
	if r.Status != http.StatusForbidden {
		t.Errorf("status %d, want 403; body %s", r.Status, r.Body)
	}
	code, msg := parseQueryError(t, r)
	if code != "SignatureDoesNotMatch" || !strings.Contains(msg, "eu-west-1") {
		t.Errorf("got %s %q; want SignatureDoesNotMatch naming eu-west-1", code, msg)
	}

	// Organizations is global: any region in the scope is accepted, as AWS does for
	// clients configured with another region.
	jr := jsonProto.request("DescribeOrganization", []byte(`{}`))
	jr.Creds, jr.Region = &good, "eu-west-1"
	if r := sendRaw(t, jr.build(t, c.endpoint())); r.Status != http.StatusOK {
		t.Errorf("organizations signed for eu-west-1: status %d; body %s", r.Status, r.Body)
	}
}

func TestPlatformSuccessShapes(t *testing.T) {
	c := start(t, startOptions{})
	good := c.credentials("management")
	for _, f := range protoFamilies {
		rr := f.request(f.okOp, []byte(f.okBody))
		rr.Creds = &good
		r := sendRaw(t, rr.build(t, c.endpoint()))
		if r.Status != http.StatusOK {
			t.Fatalf("%s: status %d; body %s", f.name, r.Status, r.Body)
		}
		if r.Header.Get("X-Amzn-Requestid") == "" {
			t.Errorf("%s: no X-Amzn-RequestId", f.name)
		}
	}
}

func TestPlatformHealthWithoutAuth(t *testing.T) {
	c := start(t, startOptions{})
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		req, _ := http.NewRequest(method, c.endpoint()+"/_cairn/health", nil)
		r := sendRaw(t, req)
		if r.Status != http.StatusOK {
			t.Errorf("%s /_cairn/health: status %d; body %s", method, r.Status, r.Body)
		}
		if method == http.MethodGet && !strings.Contains(string(r.Body), `"ok"`) {
			t.Errorf("health body %q", r.Body)
		}
	}
}

// TestPlatformUnknownService checks that a request signed for a service Cairn does not serve
// gets a clear 4xx.
func TestPlatformUnknownService(t *testing.T) {
	c := start(t, startOptions{})
	good := c.credentials("management")
	rr := rawCall{Service: "dynamodb", Creds: &good, Body: []byte(`{}`), Header: map[string]string{
		"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.ListTables"}}
	r := sendRaw(t, rr.build(t, c.endpoint()))
	if r.Status != http.StatusBadRequest {
		t.Errorf("status %d, want 400; body %s", r.Status, r.Body)
	}
	if !strings.Contains(string(r.Body), "UnknownServiceException") || !strings.Contains(string(r.Body), "dynamodb") {
		t.Errorf("body %s does not say dynamodb is not served", r.Body)
	}
}
