package awsproto_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/fuzzseed"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/awsproto"
)

// Shapes the fuzz services decode: scalars, pointers, timestamps, lists, maps and nested
// structures, as real inputs have them.
type (
	fuzzTag struct {
		Key   string `required:"true"`
		Value string
	}
	fuzzInner struct {
		Name   *string
		Values []string
		Deeper *fuzzInner
	}
	fuzzJSONInput struct {
		Name       string `required:"true"`
		Count      *int
		Small      *int32
		Ratio      float64
		Enabled    *bool
		When       *operation.Timestamp
		Tags       []fuzzTag
		Attributes map[string]string
		Matrix     [][]string
		Nested     *fuzzInner
	}
	fuzzJSONOutput struct {
		Echo *fuzzJSONInput
	}
	fuzzQueryInput struct {
		Name       string `required:"true"`
		Count      *int
		Small      *int32
		Ratio      *float64
		Enabled    bool
		When       *time.Time
		Tags       []fuzzTag
		Attributes map[string]string
		Counts     map[string]int
		Matrix     [][]string
		Nested     *fuzzInner
		Renamed    string `query:"Other"`
		Skipped    string `query:"-"`
	}
	fuzzQueryOutput struct {
		Name      string
		Tags      int
		Attribute int
		Nested    bool
	}
	fuzzRestInput struct {
		Bucket   string   `uri:"Bucket"`
		Key      string   `uri:"Key"`
		Part     *int     `querystring:"partNumber"`
		Prefixes []string `querystring:"prefix"`
		Flag     *bool    `querystring:"flag"`
		Range    *string  `header:"Range"`
		Size     *int64   `header:"X-Size"`
		Note     *string
	}
	fuzzRestOutput struct {
		ETag   *string `header:"ETag"`
		Bucket string
		Key    string
	}
)

func fuzzJSONService() *awsproto.Service {
	echo := func(_ context.Context, in *fuzzJSONInput) (*fuzzJSONOutput, error) {
		return &fuzzJSONOutput{Echo: in}, nil
	}
	return awsproto.NewService(awsproto.Service{Name: "fuzzjson", Protocol: awsproto.JSON11, TargetPrefix: "Fuzz_20240101"},
		operation.Declare(operation.Op[fuzzJSONInput, fuzzJSONOutput]{Name: "Echo", Handler: echo}),
		operation.Declare(operation.Op[fuzzJSONInput, fuzzJSONOutput]{Name: "Validate", Handler: func(ctx context.Context, in *fuzzJSONInput) (*fuzzJSONOutput, error) {
			if in.Count != nil && *in.Count < 0 {
				return nil, operation.Errorf(400, "ValidationException", "Count must not be negative.")
			}
			return echo(ctx, in)
		}}),
	)
}

func fuzzQueryService() *awsproto.Service {
	handle := func(_ context.Context, in *fuzzQueryInput) (*fuzzQueryOutput, error) {
		return &fuzzQueryOutput{Name: in.Name, Tags: len(in.Tags), Attribute: len(in.Attributes), Nested: in.Nested != nil}, nil
	}
	return awsproto.NewService(awsproto.Service{Name: "fuzzquery", Protocol: awsproto.Query, Version: "2024-01-01",
		XMLNamespace: "https://fuzz.example.com/doc/2024-01-01/", ValidationCode: "ValidationError"},
		operation.Declare(operation.Op[fuzzQueryInput, fuzzQueryOutput]{Name: "Echo", Handler: handle}),
	)
}

func fuzzRestService(proto awsproto.Protocol) *awsproto.Service {
	handle := func(_ context.Context, in *fuzzRestInput) (*fuzzRestOutput, error) {
		etag := `"abc"`
		return &fuzzRestOutput{ETag: &etag, Bucket: in.Bucket, Key: in.Key}, nil
	}
	op := func(name, method, path string) *awsproto.Operation {
		return operation.Declare(operation.Op[fuzzRestInput, fuzzRestOutput]{Name: name,
			Route: operation.Route{Method: method, Path: path}, Handler: handle})
	}
	return awsproto.NewService(awsproto.Service{Name: "fuzzrest", Protocol: proto, XMLNamespace: "http://fuzz.example.com/"},
		op("ListBuckets", "GET", "/"),
		op("ListObjects", "GET", "/{Bucket}"),
		op("GetObject", "GET", "/{Bucket}/{Key+}"),
		op("GetObjectTagging", "GET", "/{Bucket}/{Key+}?tagging"),
		op("PutObject", "PUT", "/{Bucket}/{Key+}"),
		op("DeleteObject", "DELETE", "/{Bucket}/{Key+}"),
		op("CreateThing", "POST", "/things"),
		op("GetThingPart", "GET", "/things/{Bucket}/parts/{Key}"),
	)
}

// serve runs req through svc and returns the recorded answer, failing the test on a panic
// (the fuzzer reports it) or a server error. The one 5xx allowed is S3's 501
// NotImplemented, AWS's answer to a request for functionality a service lacks.
func serve(t *testing.T, svc *awsproto.Service, req *http.Request, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	call := awsproto.Call{Request: req, Body: body, RequestID: "00000000-0000-0000-0000-000000000001"}
	svc.Serve(context.Background(), w, call)
	if w.Code == http.StatusNotImplemented && bytes.Contains(w.Body.Bytes(), []byte("<Code>NotImplemented</Code>")) {
		return w
	}
	if w.Code >= 500 {
		t.Fatalf("status %d for body %q: %s", w.Code, body, w.Body.Bytes())
	}
	return w
}

func FuzzJSONDecode(f *testing.F) {
	fuzzseed.Require(f)
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"Name":"a"}`,
		`{"Name":"a","Count":3,"Small":2147483647,"Ratio":1.5,"Enabled":true,"When":1700000000.123}`,
		`{"Name":"a","When":"2024-01-02T03:04:05Z"}`,
		`{"Name":"a","When":1e300}`, `{"Name":"a","When":-1e20}`, `{"Name":"a","Small":2147483648}`,
		`{"Name":"a","Tags":[{"Key":"k","Value":"v"},{"Value":"no key"}]}`,
		`{"Name":"a","Attributes":{"a":"b"},"Matrix":[["x"],[]],"Nested":{"Name":"n","Deeper":{"Values":["v"]}}}`,
		`{"Name":"a"} trailing`, `{"Name":"\ud800"}`, `{"Name":1}`, `{"Count":-1,"Name":"a"}`,
	} {
		fuzzseed.Add(f, seed, false)
		fuzzseed.Add(f, seed, true)
	}
	svc := fuzzJSONService()
	f.Fuzz(func(t *testing.T, body string, validate bool) {
		op := "Echo"
		if validate {
			op = "Validate"
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "Fuzz_20240101."+op)
		w := serve(t, svc, req, []byte(body))
		if w.Code == http.StatusOK {
			if !json.Valid(w.Body.Bytes()) {
				t.Fatalf("200 with invalid JSON %q", w.Body.Bytes())
			}
			return
		}
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Type == "" || e.Message == "" {
			t.Fatalf("status %d with error body %q (%v)", w.Code, w.Body.Bytes(), err)
		}
	})
}

func FuzzQueryDecode(f *testing.F) {
	fuzzseed.Require(f)
	for _, seed := range []string{
		"", "Action=Echo", "Action=Echo&Version=2024-01-01&Name=a",
		"Action=Echo&Name=a&Count=12&Small=99999999999&Ratio=NaN&Enabled=maybe",
		"Action=Echo&Name=a&When=2024-01-02T03:04:05.123Z&When=x",
		"Action=Echo&Name=a&Tags.member.1.Key=k&Tags.member.1.Value=v&Tags.member.2.Value=w",
		"Action=Echo&Name=a&Tags.member.2.Key=skipped&Tags=",
		"Action=Echo&Name=a&Attributes.entry.1.key=k&Attributes.entry.1.value=v&Counts.entry.1.key=n&Counts.entry.1.value=x",
		"Action=Echo&Name=a&Matrix.member.1.member.1=x&Matrix.member.2.member.1=y",
		"Action=Echo&Name=a&Nested.Name=n&Nested.Deeper.Deeper.Values.member.1=v&Other=o&Skipped=s",
		"Action=Echo&Name=%zz", "Action=Nope&Name=a", "Action=Echo&Version=1999-01-01&Name=a",
		"Action=Echo&Name=a&Tags.member.1=flat&Attributes=x&Nested=y",
	} {
		fuzzseed.Add(f, "", seed)
		fuzzseed.Add(f, seed, "")
	}
	svc := fuzzQueryService()
	f.Fuzz(func(t *testing.T, query, body string) {
		req, err := http.NewRequest(http.MethodPost, "http://localhost/", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		w := serve(t, svc, req, []byte(body))
		if w.Code == http.StatusOK {
			return
		}
		var e struct {
			Error struct{ Type, Code, Message string }
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Type != "Sender" || e.Error.Code == "" {
			t.Fatalf("status %d with error body %q (%v)", w.Code, w.Body.Bytes(), err)
		}
	})
}

func FuzzRestRoute(f *testing.F) {
	fuzzseed.Require(f)
	for _, seed := range []struct{ method, path, query, body string }{
		{"GET", "/", "", ""},
		{"GET", "/bucket", "prefix=a&prefix=b", ""},
		{"GET", "/bucket/a/b/c", "partNumber=3&flag=true", ""},
		{"GET", "/bucket/a%2Fb", "tagging", ""},
		{"PUT", "/bucket/key", "partNumber=x", `{"Note":"n"}`},
		{"PUT", "/bucket/key", "", `<Note>n</Note>`},
		{"DELETE", "/bucket/", "", ""},
		{"POST", "/things", "", `{"Note":`},
		{"GET", "/things/x/parts/y", "", ""},
		{"GET", "//", "%zz", ""},
		{"PATCH", "/bucket/key", "", ""},
	} {
		fuzzseed.Add(f, seed.method, seed.path, seed.query, seed.body, "bytes=0-1", false)
		fuzzseed.Add(f, seed.method, seed.path, seed.query, seed.body, "", true)
	}
	services := map[bool]*awsproto.Service{true: fuzzRestService(awsproto.RestJSON), false: fuzzRestService(awsproto.RestXML)}
	f.Fuzz(func(t *testing.T, method, path, query, body, rangeHeader string, jsonProto bool) {
		if !validMethod(method) {
			return
		}
		req, err := http.NewRequest(method, "http://localhost/", bytes.NewReader([]byte(body)))
		if err != nil {
			return
		}
		// Set the path and query as a client would send them, however odd.
		req.URL.Opaque = ""
		req.URL.RawPath = ""
		req.URL.Path = path
		if p, err := url.PathUnescape(path); err == nil {
			req.URL.Path, req.URL.RawPath = p, path
		}
		req.URL.RawQuery = query
		req.Header.Set("Range", rangeHeader)
		req.Header.Set("X-Size", rangeHeader)
		w := serve(t, services[jsonProto], req, []byte(body))
		if w.Code < 400 {
			return
		}
		if jsonProto {
			var e struct {
				Type string `json:"__type"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Type == "" {
				t.Fatalf("status %d with error body %q (%v)", w.Code, w.Body.Bytes(), err)
			}
			return
		}
		var e struct{ Code, Message string }
		if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == "" {
			t.Fatalf("status %d with error body %q (%v)", w.Code, w.Body.Bytes(), err)
		}
	})
}

// validMethod keeps the fuzzer to methods net/http would send.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// Inputs whose members come from a rest request's body: the document's members, or one
// structure as the payload.
type (
	fuzzRestBodyInput struct {
		Name       string `uri:"Name"`
		Count      *int
		Ratio      *float64
		Enabled    *bool
		When       *operation.Timestamp
		Tags       []fuzzTag
		Attributes map[string]string
		Nested     *fuzzInner
	}
	fuzzRestPayloadInput struct {
		Name   string     `uri:"Name"`
		Config *fuzzInner `payload:"true"`
	}
)

func fuzzRestBodyService(proto awsproto.Protocol) *awsproto.Service {
	return awsproto.NewService(awsproto.Service{Name: "fuzzrestbody", Protocol: proto, XMLNamespace: "http://fuzz.example.com/"},
		operation.Declare(operation.Op[fuzzRestBodyInput, fuzzRestOutput]{Name: "PutDoc",
			Route: operation.Route{Method: "POST", Path: "/docs/{Name}"},
			Handler: func(_ context.Context, in *fuzzRestBodyInput) (*fuzzRestOutput, error) {
				return &fuzzRestOutput{Bucket: in.Name}, nil
			}}),
		operation.Declare(operation.Op[fuzzRestPayloadInput, fuzzRestOutput]{Name: "PutPayload",
			Route: operation.Route{Method: "PUT", Path: "/payload/{Name}"},
			Handler: func(_ context.Context, in *fuzzRestPayloadInput) (*fuzzRestOutput, error) {
				return &fuzzRestOutput{Bucket: in.Name}, nil
			}}),
	)
}

// fuzzRestBody sends body to both operations of a rest service and checks that every
// refusal is a well-formed error of the protocol.
func fuzzRestBody(t *testing.T, svc *awsproto.Service, jsonProto bool, body string, payload bool) {
	method, path := "POST", "/docs/a"
	if payload {
		method, path = "PUT", "/payload/a"
	}
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	w := serve(t, svc, req, []byte(body))
	if w.Code < 400 {
		return
	}
	if jsonProto {
		var e struct {
			Type string `json:"__type"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Type == "" {
			t.Fatalf("status %d with error body %q (%v)", w.Code, w.Body.Bytes(), err)
		}
		return
	}
	var e struct{ Code, Message string }
	if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == "" {
		t.Fatalf("status %d with error body %q (%v)", w.Code, w.Body.Bytes(), err)
	}
}

func FuzzRestJSONDecode(f *testing.F) {
	fuzzseed.Require(f)
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"Count":3,"Ratio":1.5,"Enabled":true,"When":1700000000.5}`,
		`{"When":"2024-01-02T03:04:05Z"}`, `{"When":1e300}`, `{"Count":1e30}`,
		`{"Tags":[{"Key":"k","Value":"v"},{"Value":"no key"}],"Attributes":{"a":"b"}}`,
		`{"Nested":{"Name":"n","Values":["v"],"Deeper":{"Deeper":{"Name":null}}}}`,
		`{"Name":"a","Values":["x"]}`, `{"Count":"3"}`, `{} trailing`, `{"Name":"\ud800"}`,
	} {
		fuzzseed.Add(f, s, false)
		fuzzseed.Add(f, s, true)
	}
	svc := fuzzRestBodyService(awsproto.RestJSON)
	f.Fuzz(func(t *testing.T, body string, payload bool) { fuzzRestBody(t, svc, true, body, payload) })
}

func FuzzRestXMLDecode(f *testing.F) {
	fuzzseed.Require(f)
	for _, s := range []string{
		``, `<x/>`, `<PutDocRequest><Count>3</Count><Ratio>1.5</Ratio><Enabled>true</Enabled><When>2024-01-02T03:04:05Z</When></PutDocRequest>`,
		`<PutDocRequest><When>yesterday</When><Count>x</Count></PutDocRequest>`,
		`<PutDocRequest><Tags><member><Key>k</Key><Value>v</Value></member><member><Value>w</Value></member></Tags></PutDocRequest>`,
		`<PutDocRequest><Attributes><entry><key>a</key><value>b</value></entry></Attributes></PutDocRequest>`,
		`<Config><Name>n</Name><Values><member>v</member></Values><Deeper><Deeper/></Deeper></Config>`,
		`<Config xmlns="http://fuzz.example.com/"><Name>&lt;</Name></Config>`, `<Config><Name>`, `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Config>&a;</Config>`,
	} {
		fuzzseed.Add(f, s, false)
		fuzzseed.Add(f, s, true)
	}
	svc := fuzzRestBodyService(awsproto.RestXML)
	f.Fuzz(func(t *testing.T, body string, payload bool) { fuzzRestBody(t, svc, false, body, payload) })
}
