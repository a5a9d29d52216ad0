package awsproto_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/cairnhq/cairn/internal/awsproto"
)

// capture is an SDK HTTP client that keeps the request instead of sending it.
type capture struct {
	req  *http.Request
	body []byte
}

var errCaptured = errors.New("captured")

func (c *capture) Do(r *http.Request) (*http.Response, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	c.req, c.body = r, body
	return nil, errCaptured
}

// readBody reads a request's body; a request without one (a DELETE) has an empty body.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	defer r.Body.Close()
	return io.ReadAll(r.Body)
}

// sdkConfig is a client config whose requests end in c.
func sdkConfig(c *capture) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		HTTPClient:   c,
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
		BaseEndpoint: aws.String("http://127.0.0.1:7766"),
	}
}

// loopback is an SDK HTTP client that serves every request in process with svc, as the
// server does once a request is authenticated, and hands the answer back to the SDK: the
// SDK serializes the input, awsproto decodes it and encodes the output or error, and the
// SDK parses that.
type loopback struct {
	svc *awsproto.Service
	// strip lists headers taken out of every answer before the SDK reads it, as a proxy
	// that drops them would.
	strip []string
	// status, header and body are the last answer as it went on the wire.
	status int
	header http.Header
	body   []byte
}

func (l *loopback) Do(sent *http.Request) (*http.Response, error) {
	r, body, err := overTheWire(sent)
	if err != nil {
		return nil, err
	}
	call := awsproto.Call{Request: r, RequestID: "rt-request", Logger: slog.Default()}
	if l.svc.Streaming {
		call.Stream = io.NopCloser(bytes.NewReader(body))
	} else {
		call.Body = body
	}
	w := httptest.NewRecorder()
	l.svc.Serve(r.Context(), w, call)
	resp := w.Result()
	l.status, l.header, l.body = w.Code, resp.Header.Clone(), w.Body.Bytes()
	if r.Method == http.MethodHead {
		resp.Body = http.NoBody // net/http's server sends no body on HEAD
	}
	for _, h := range l.strip {
		resp.Header.Del(h)
	}
	resp.Request = sent
	return resp, nil
}

// overTheWire returns the request a server reads when the client sends r, and its body:
// Host moved out of the headers, Content-Length among them, the URL only a path and query.
func overTheWire(r *http.Request) (*http.Request, []byte, error) {
	var wire bytes.Buffer
	if err := r.Write(&wire); err != nil {
		return nil, nil, err
	}
	received, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		return nil, nil, err
	}
	body, err := readBody(received)
	if err != nil {
		return nil, nil, err
	}
	return received.WithContext(r.Context()), body, nil
}

// config is a client config whose requests l serves.
func (l *loopback) config() aws.Config {
	cfg := sdkConfig(nil)
	cfg.HTTPClient = l
	return cfg
}

// answering declares an operation that keeps the input it decoded in *got and answers out,
// or fails with err when err is not nil.
func answering[In, Out any](name string, route operation.Route, got **In, out *Out, err error) *operation.Operation {
	return operation.Declare(operation.Op[In, Out]{Name: name, Route: route,
		Handler: func(_ context.Context, in *In) (*Out, error) {
			*got = in
			if err != nil {
				return nil, err
			}
			return out, nil
		}})
}

// wantSDKError checks that err is the SDK's modeled error E, with message, read from an
// answer of status.
func wantSDKError[E smithy.APIError](t *testing.T, err error, status int, message string) E {
	t.Helper()
	var modeled E
	if !errors.As(err, &modeled) {
		t.Fatalf("SDK returned %T %v, want %T", err, err, modeled)
	}
	if modeled.ErrorMessage() != message {
		t.Errorf("%s: SDK read message %q, want %q", modeled.ErrorCode(), modeled.ErrorMessage(), message)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("%v carries no HTTP response", err)
	}
	if re.HTTPStatusCode() != status {
		t.Errorf("%s: status %d, want %d", modeled.ErrorCode(), re.HTTPStatusCode(), status)
	}
	if re.ServiceRequestID() != "rt-request" {
		t.Errorf("%s: SDK read request id %q, want rt-request", modeled.ErrorCode(), re.ServiceRequestID())
	}
	return modeled
}

// Cairn-side shapes of the IAM and STS inputs, as a service package would declare them.
type (
	rtTag struct {
		Key   string `required:"true"`
		Value string `required:"true"`
	}
	rtCreateRole struct {
		Path                     *string
		RoleName                 string `required:"true"`
		AssumeRolePolicyDocument string `required:"true"`
		Description              *string
		MaxSessionDuration       *int32
		PermissionsBoundary      *string
		Tags                     []rtTag
	}
	rtPutRolePolicy struct {
		RoleName       string `required:"true"`
		PolicyName     string `required:"true"`
		PolicyDocument string `required:"true"`
	}
	rtContextEntry struct {
		ContextKeyName   *string
		ContextKeyValues []string
		ContextKeyType   *string
	}
	rtOrgPolicies struct {
		ServiceControlPolicyInputList []string
	}
	rtSimulateCustomPolicy struct {
		PolicyInputList                    []string `required:"true"`
		PermissionsBoundaryPolicyInputList []string
		OrderedOrganizationPolicyInputList []rtOrgPolicies
		ActionNames                        []string `required:"true"`
		ResourceArns                       []string
		ResourcePolicy                     *string
		ResourceOwner                      *string
		CallerArn                          *string
		ContextEntries                     []rtContextEntry
		ResourceHandlingOption             *string
		MaxItems                           *int32
		Marker                             *string
	}
	rtPolicyARN struct {
		Arn *string `query:"arn"`
	}
	rtAssumeRole struct {
		RoleArn           string `required:"true"`
		RoleSessionName   string `required:"true"`
		PolicyArns        []rtPolicyARN
		Policy            *string
		DurationSeconds   *int32
		Tags              []rtTag
		TransitiveTagKeys []string
		ExternalId        *string
		SerialNumber      *string
		TokenCode         *string
		SourceIdentity    *string
	}
	rtEmpty struct{}
)

// decoded runs the captured request through a query service declaring op with input In and
// returns what the decoder produced.
func decoded[In any](t *testing.T, c *capture, name, version, op string) *In {
	t.Helper()
	if c.req == nil {
		t.Fatal("the SDK sent nothing")
	}
	var got *In
	svc := awsproto.NewService(awsproto.Service{Name: name, Protocol: awsproto.Query, Version: version,
		XMLNamespace: "https://" + name + ".amazonaws.com/doc/" + version + "/", ValidationCode: "ValidationError"},
		operation.Declare(operation.Op[In, rtEmpty]{Name: op, Handler: func(_ context.Context, in *In) (*rtEmpty, error) {
			got = in
			return &rtEmpty{}, nil
		}}))
	req := c.req.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(c.body))
	w := httptest.NewRecorder()
	svc.Serve(context.Background(), w, awsproto.Call{Request: req, Body: c.body, RequestID: "rt"})
	if w.Code != http.StatusOK || got == nil {
		t.Fatalf("%s: status %d: %s\nform: %s", op, w.Code, w.Body.Bytes(), c.body)
	}
	return got
}

// A policy document with every character that needs form encoding.
const rtPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Put*"],
    "Resource": "arn:aws:s3:::bucket/a+b c&d=e%f/ünï©ødé/*",
    "Condition": {"StringLike": {"aws:PrincipalTag/team": ["ml?", "*"]}}}]
}`

func TestQueryRoundTripCreateRole(t *testing.T) {
	var c capture
	in := &iam.CreateRoleInput{
		RoleName:                 aws.String("pipeline-exec+role=1,a.b@c-d_e"),
		AssumeRolePolicyDocument: aws.String(rtPolicy),
		Path:                     aws.String("/service-role/ml/"),
		Description:              aws.String("Runs pipelines; ✓ & <done>"),
		MaxSessionDuration:       aws.Int32(43200),
		PermissionsBoundary:      aws.String("arn:aws:iam::111111111111:policy/boundary"),
		Tags: []iamtypes.Tag{
			{Key: aws.String("team"), Value: aws.String("ml")},
			{Key: aws.String("cost-center"), Value: aws.String("")},
			{Key: aws.String("a=b&c"), Value: aws.String("x y+z")},
		},
	}
	_, err := iam.NewFromConfig(sdkConfig(&c)).CreateRole(context.Background(), in)
	if !errors.Is(err, errCaptured) {
		t.Fatalf("CreateRole: %v", err)
	}
	got := decoded[rtCreateRole](t, &c, "iam", "2010-05-08", "CreateRole")
	want := &rtCreateRole{
		Path: in.Path, RoleName: *in.RoleName, AssumeRolePolicyDocument: rtPolicy, Description: in.Description,
		MaxSessionDuration: in.MaxSessionDuration, PermissionsBoundary: in.PermissionsBoundary,
		Tags: []rtTag{{"team", "ml"}, {"cost-center", ""}, {"a=b&c", "x y+z"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v\nform: %s", got, want, c.body)
	}
}

func TestQueryRoundTripPutRolePolicy(t *testing.T) {
	var c capture
	_, err := iam.NewFromConfig(sdkConfig(&c)).PutRolePolicy(context.Background(), &iam.PutRolePolicyInput{
		RoleName: aws.String("r"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(rtPolicy)})
	if !errors.Is(err, errCaptured) {
		t.Fatalf("PutRolePolicy: %v", err)
	}
	got := decoded[rtPutRolePolicy](t, &c, "iam", "2010-05-08", "PutRolePolicy")
	if want := (&rtPutRolePolicy{"r", "inline", rtPolicy}); !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v, want %+v", got, want)
	}
}

func TestQueryRoundTripSimulateCustomPolicy(t *testing.T) {
	var c capture
	in := &iam.SimulateCustomPolicyInput{
		PolicyInputList:                    []string{rtPolicy, `{"Version":"2012-10-17","Statement":[]}`},
		PermissionsBoundaryPolicyInputList: []string{rtPolicy},
		OrderedOrganizationPolicyInputList: []iamtypes.OrderedOrganizationPolicyType{
			{ServiceControlPolicyInputList: []string{"scp-1", "scp-2"}},
			{ServiceControlPolicyInputList: []string{"scp-3"}},
		},
		ActionNames:    []string{"s3:GetObject", "s3:PutObject", "iam:PassRole"},
		ResourceArns:   []string{"arn:aws:s3:::bucket/a+b c", "*"},
		ResourcePolicy: aws.String(rtPolicy),
		ResourceOwner:  aws.String("arn:aws:iam::111111111111:root"),
		CallerArn:      aws.String("arn:aws:iam::111111111111:user/alice"),
		MaxItems:       aws.Int32(100),
		Marker:         aws.String("page/2=="),
		ContextEntries: []iamtypes.ContextEntry{
			{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyType: iamtypes.ContextKeyTypeEnumIp, ContextKeyValues: []string{"10.0.0.1"}},
			{ContextKeyName: aws.String("aws:TagKeys"), ContextKeyType: iamtypes.ContextKeyTypeEnumStringList, ContextKeyValues: []string{"a", "b", "c&d"}},
		},
		ResourceHandlingOption: aws.String("EC2-VPC-InstanceStore"),
	}
	_, err := iam.NewFromConfig(sdkConfig(&c)).SimulateCustomPolicy(context.Background(), in)
	if !errors.Is(err, errCaptured) {
		t.Fatalf("SimulateCustomPolicy: %v", err)
	}
	got := decoded[rtSimulateCustomPolicy](t, &c, "iam", "2010-05-08", "SimulateCustomPolicy")
	want := &rtSimulateCustomPolicy{
		PolicyInputList:                    in.PolicyInputList,
		PermissionsBoundaryPolicyInputList: in.PermissionsBoundaryPolicyInputList,
		OrderedOrganizationPolicyInputList: []rtOrgPolicies{{[]string{"scp-1", "scp-2"}}, {[]string{"scp-3"}}},
		ActionNames:                        in.ActionNames,
		ResourceArns:                       in.ResourceArns,
		ResourcePolicy:                     in.ResourcePolicy,
		ResourceOwner:                      in.ResourceOwner,
		CallerArn:                          in.CallerArn,
		MaxItems:                           in.MaxItems,
		Marker:                             in.Marker,
		ContextEntries: []rtContextEntry{
			{aws.String("aws:SourceIp"), []string{"10.0.0.1"}, aws.String("ip")},
			{aws.String("aws:TagKeys"), []string{"a", "b", "c&d"}, aws.String("stringList")},
		},
		ResourceHandlingOption: in.ResourceHandlingOption,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v\nform: %s", got, want, c.body)
	}
}

// TestQueryRoundTripEmptyList checks the form the SDK sends for an empty list ("Tags=").
func TestQueryRoundTripEmptyList(t *testing.T) {
	var c capture
	_, err := iam.NewFromConfig(sdkConfig(&c)).CreateRole(context.Background(), &iam.CreateRoleInput{
		RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("{}"), Tags: []iamtypes.Tag{}})
	if !errors.Is(err, errCaptured) {
		t.Fatalf("CreateRole: %v", err)
	}
	got := decoded[rtCreateRole](t, &c, "iam", "2010-05-08", "CreateRole")
	if len(got.Tags) != 0 || got.RoleName != "r" || got.AssumeRolePolicyDocument != "{}" {
		t.Errorf("decoded %+v from %s", got, c.body)
	}
}

func TestQueryRoundTripAssumeRole(t *testing.T) {
	var c capture
	in := &sts.AssumeRoleInput{
		RoleArn:           aws.String("arn:aws:iam::111111111111:role/pipeline"),
		RoleSessionName:   aws.String("step-1@run=7"),
		PolicyArns:        []ststypes.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}, {Arn: aws.String("arn:aws:iam::111111111111:policy/p")}},
		Policy:            aws.String(rtPolicy),
		DurationSeconds:   aws.Int32(900),
		Tags:              []ststypes.Tag{{Key: aws.String("project"), Value: aws.String("churn")}},
		TransitiveTagKeys: []string{"project"},
		ExternalId:        aws.String("ext-123"),
		SourceIdentity:    aws.String("alice"),
	}
	_, err := sts.NewFromConfig(sdkConfig(&c)).AssumeRole(context.Background(), in)
	if !errors.Is(err, errCaptured) {
		t.Fatalf("AssumeRole: %v", err)
	}
	got := decoded[rtAssumeRole](t, &c, "sts", "2011-06-15", "AssumeRole")
	want := &rtAssumeRole{
		RoleArn: *in.RoleArn, RoleSessionName: *in.RoleSessionName,
		PolicyArns:      []rtPolicyARN{{in.PolicyArns[0].Arn}, {in.PolicyArns[1].Arn}},
		Policy:          in.Policy,
		DurationSeconds: in.DurationSeconds,
		Tags:            []rtTag{{"project", "churn"}}, TransitiveTagKeys: []string{"project"},
		ExternalId: in.ExternalId, SourceIdentity: in.SourceIdentity,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v\nform: %s", got, want, c.body)
	}
}

// Cairn-side shapes of IAM and STS outputs (awsQuery): XML elements named as the members,
// lists as <member> elements, timestamps as ISO 8601.
type (
	rtBoundary struct {
		PermissionsBoundaryType string
		PermissionsBoundaryArn  string
	}
	rtRoleLastUsed struct {
		LastUsedDate *time.Time `xml:",omitempty"`
		Region       string     `xml:",omitempty"`
	}
	rtRole struct {
		Path                     string
		RoleName                 string
		RoleId                   string
		Arn                      string
		CreateDate               time.Time
		AssumeRolePolicyDocument string          `xml:",omitempty"`
		Description              string          `xml:",omitempty"`
		MaxSessionDuration       int32           `xml:",omitempty"`
		PermissionsBoundary      *rtBoundary     `xml:",omitempty"`
		Tags                     []rtTag         `xml:"Tags>member"`
		RoleLastUsed             *rtRoleLastUsed `xml:",omitempty"`
	}
	rtCreateRoleOutput struct {
		Role rtRole
	}
	rtCredentials struct {
		AccessKeyId     string
		SecretAccessKey string
		SessionToken    string
		Expiration      time.Time
	}
	rtAssumedRoleUser struct {
		AssumedRoleId string
		Arn           string
	}
	rtAssumeRoleOutput struct {
		Credentials      rtCredentials
		AssumedRoleUser  rtAssumedRoleUser
		PackedPolicySize int32
		SourceIdentity   string `xml:",omitempty"`
	}
)

// queryService is an awsQuery service spelled as IAM ("iam", "2010-05-08") or STS is.
func queryService(name, version string, ops ...*operation.Operation) *awsproto.Service {
	return awsproto.NewService(awsproto.Service{Name: name, Protocol: awsproto.Query, Version: version,
		XMLNamespace: "https://" + name + ".amazonaws.com/doc/" + version + "/", ValidationCode: "ValidationError"}, ops...)
}

// TestQueryRoundTripCreateRoleOutput sends CreateRole through the codec and back, and checks
// every member of the role as the SDK reads it.
func TestQueryRoundTripCreateRoleOutput(t *testing.T) {
	created := time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)
	used := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var got *rtCreateRole
	out := &rtCreateRoleOutput{Role: rtRole{
		Path: "/service-role/", RoleName: "pipeline", RoleId: "AROAEXAMPLEID", Arn: "arn:aws:iam::111111111111:role/service-role/pipeline",
		CreateDate: created, AssumeRolePolicyDocument: url.QueryEscape(rtPolicy), Description: "Runs pipelines; ✓ & <done>",
		MaxSessionDuration:  43200,
		PermissionsBoundary: &rtBoundary{PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: "arn:aws:iam::111111111111:policy/boundary"},
		Tags:                []rtTag{{"team", "ml"}, {"empty", ""}},
		RoleLastUsed:        &rtRoleLastUsed{LastUsedDate: &used, Region: "us-east-1"},
	}}
	l := &loopback{svc: queryService("iam", "2010-05-08", answering("CreateRole", operation.Route{}, &got, out, nil))}
	res, err := iam.NewFromConfig(l.config()).CreateRole(context.Background(), &iam.CreateRoleInput{
		RoleName: aws.String("pipeline"), AssumeRolePolicyDocument: aws.String(rtPolicy), Path: aws.String("/service-role/"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}, {Key: aws.String("empty"), Value: aws.String("")}}})
	if err != nil {
		t.Fatalf("CreateRole: %v (answer %d %s)", err, l.status, l.body)
	}
	if want := (&rtCreateRole{RoleName: "pipeline", AssumeRolePolicyDocument: rtPolicy, Path: aws.String("/service-role/"),
		Tags: []rtTag{{"team", "ml"}, {"empty", ""}}}); !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v", got, want)
	}
	r := res.Role
	if r == nil {
		t.Fatalf("SDK read no role from %s", l.body)
	}
	var tags []rtTag
	for _, tg := range r.Tags {
		tags = append(tags, rtTag{aws.ToString(tg.Key), aws.ToString(tg.Value)})
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"Path", aws.ToString(r.Path), out.Role.Path},
		{"RoleName", aws.ToString(r.RoleName), out.Role.RoleName},
		{"RoleId", aws.ToString(r.RoleId), out.Role.RoleId},
		{"Arn", aws.ToString(r.Arn), out.Role.Arn},
		{"CreateDate", aws.ToTime(r.CreateDate).UTC(), created},
		{"AssumeRolePolicyDocument", aws.ToString(r.AssumeRolePolicyDocument), url.QueryEscape(rtPolicy)},
		{"Description", aws.ToString(r.Description), out.Role.Description},
		{"MaxSessionDuration", aws.ToInt32(r.MaxSessionDuration), int32(43200)},
		{"PermissionsBoundaryType", r.PermissionsBoundary.PermissionsBoundaryType, iamtypes.PermissionsBoundaryAttachmentTypePolicy},
		{"PermissionsBoundaryArn", aws.ToString(r.PermissionsBoundary.PermissionsBoundaryArn), out.Role.PermissionsBoundary.PermissionsBoundaryArn},
		{"Tags", tags, out.Role.Tags},
		{"RoleLastUsed.LastUsedDate", aws.ToTime(r.RoleLastUsed.LastUsedDate).UTC(), used},
		{"RoleLastUsed.Region", aws.ToString(r.RoleLastUsed.Region), "us-east-1"},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("SDK read %s as %v, want %v", c.name, c.got, c.want)
		}
	}
	if id, _ := awsmiddleware.GetRequestIDMetadata(res.ResultMetadata); id != "rt-request" {
		t.Errorf("SDK read request id %q, want rt-request", id)
	}
}

func TestQueryRoundTripAssumeRoleOutput(t *testing.T) {
	expires := time.Date(2024, 5, 6, 8, 8, 9, 0, time.UTC)
	var got *rtAssumeRole
	out := &rtAssumeRoleOutput{
		Credentials: rtCredentials{AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: "secret/+=", SessionToken: "token+/=&<>", Expiration: expires},
		AssumedRoleUser: rtAssumedRoleUser{AssumedRoleId: "AROAEXAMPLEID:step-1@run=7",
			Arn: "arn:aws:sts::111111111111:assumed-role/pipeline/step-1@run=7"},
		PackedPolicySize: 0, SourceIdentity: "alice",
	}
	l := &loopback{svc: queryService("sts", "2011-06-15", answering("AssumeRole", operation.Route{}, &got, out, nil))}
	res, err := sts.NewFromConfig(l.config()).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::111111111111:role/pipeline"), RoleSessionName: aws.String("step-1@run=7"),
		DurationSeconds: aws.Int32(3600)})
	if err != nil {
		t.Fatalf("AssumeRole: %v (answer %d %s)", err, l.status, l.body)
	}
	if got == nil || got.RoleSessionName != "step-1@run=7" || aws.ToInt32(got.DurationSeconds) != 3600 {
		t.Errorf("decoded %+v", got)
	}
	c := res.Credentials
	if c == nil || aws.ToString(c.AccessKeyId) != "ASIAEXAMPLE" || aws.ToString(c.SecretAccessKey) != "secret/+=" ||
		aws.ToString(c.SessionToken) != "token+/=&<>" || !aws.ToTime(c.Expiration).Equal(expires) {
		t.Errorf("SDK read credentials %+v from %s", c, l.body)
	}
	u := res.AssumedRoleUser
	if u == nil || aws.ToString(u.AssumedRoleId) != out.AssumedRoleUser.AssumedRoleId || aws.ToString(u.Arn) != out.AssumedRoleUser.Arn {
		t.Errorf("SDK read assumed role user %+v", u)
	}
	if res.PackedPolicySize == nil || *res.PackedPolicySize != 0 || aws.ToString(res.SourceIdentity) != "alice" {
		t.Errorf("SDK read PackedPolicySize %v, SourceIdentity %q", res.PackedPolicySize, aws.ToString(res.SourceIdentity))
	}
}

// TestQueryRoundTripErrors answers modeled awsQuery errors and checks that the SDK reads
// each as its type, with its message and status.
func TestQueryRoundTripErrors(t *testing.T) {
	iamErr := func(e *operation.Error) *loopback {
		var got *rtCreateRole
		return &loopback{svc: queryService("iam", "2010-05-08",
			answering[rtCreateRole, rtCreateRoleOutput]("CreateRole", operation.Route{}, &got, nil, e))}
	}
	createRole := func(l *loopback) error {
		_, err := iam.NewFromConfig(l.config()).CreateRole(context.Background(), &iam.CreateRoleInput{
			RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("{}")})
		return err
	}
	t.Run("EntityAlreadyExists", func(t *testing.T) {
		e := operation.Errorf(409, "EntityAlreadyExists", "Role with name r already exists.")
		l := iamErr(e)
		wantSDKError[*iamtypes.EntityAlreadyExistsException](t, createRole(l), 409, e.Message)
		checkQueryError(t, l, e, "Sender")
	})
	t.Run("NoSuchEntity", func(t *testing.T) {
		type getRole struct {
			RoleName string `required:"true"`
		}
		var got *getRole
		e := operation.Errorf(404, "NoSuchEntity", "The role with name r cannot be found.")
		l := &loopback{svc: queryService("iam", "2010-05-08",
			answering[getRole, rtCreateRoleOutput]("GetRole", operation.Route{}, &got, nil, e))}
		_, err := iam.NewFromConfig(l.config()).GetRole(context.Background(), &iam.GetRoleInput{RoleName: aws.String("r")})
		if got == nil || got.RoleName != "r" {
			t.Errorf("decoded %+v", got)
		}
		wantSDKError[*iamtypes.NoSuchEntityException](t, err, 404, e.Message)
	})
	t.Run("ServiceFailure", func(t *testing.T) {
		e := &operation.Error{Code: "ServiceFailure", Status: 500, Server: true, Message: "The request processing has failed."}
		l := iamErr(e)
		wantSDKError[*iamtypes.ServiceFailureException](t, createRole(l), 500, e.Message)
		checkQueryError(t, l, e, "Receiver")
	})
	t.Run("MalformedPolicyDocument", func(t *testing.T) {
		var got *rtAssumeRole
		e := operation.Errorf(400, "MalformedPolicyDocument", "The policy is not valid JSON: <line 1> & more.")
		l := &loopback{svc: queryService("sts", "2011-06-15",
			answering[rtAssumeRole, rtAssumeRoleOutput]("AssumeRole", operation.Route{}, &got, nil, e))}
		_, err := sts.NewFromConfig(l.config()).AssumeRole(context.Background(), &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::111111111111:role/r"), RoleSessionName: aws.String("s"), Policy: aws.String("{")})
		wantSDKError[*ststypes.MalformedPolicyDocumentException](t, err, 400, e.Message)
	})
}

// checkQueryError checks an awsQuery error answer: its status and the ErrorResponse document
// with the fault type, code, message and request id.
func checkQueryError(t *testing.T, l *loopback, e *operation.Error, fault string) {
	t.Helper()
	if l.status != e.Status {
		t.Errorf("status %d, want %d", l.status, e.Status)
	}
	var doc struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Error     struct{ Type, Code, Message string }
		RequestID string `xml:"RequestId"`
	}
	if err := xml.Unmarshal(l.body, &doc); err != nil {
		t.Fatalf("error body %s: %v", l.body, err)
	}
	if doc.Error.Type != fault || doc.Error.Code != e.Code || doc.Error.Message != e.Message || doc.RequestID != "rt-request" {
		t.Errorf("error body %s, want %s %s %q", l.body, fault, e.Code, e.Message)
	}
}

// TestRoundTripNilOutput lets a handler answer a nil output, which every protocol must send
// as an empty structure the SDK reads.
func TestRoundTripNilOutput(t *testing.T) {
	ctx := context.Background()
	t.Run("awsJson1.1", func(t *testing.T) {
		var got *smDescribeTrainingJobInput
		l := &loopback{svc: sageMakerService(answering[smDescribeTrainingJobInput, smDescribeTrainingJobOutput](
			"DescribeTrainingJob", operation.Route{}, &got, nil, nil))}
		res, err := sagemaker.NewFromConfig(l.config()).DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("j")})
		if err != nil || res.TrainingJobName != nil {
			t.Errorf("SDK read %v (%v) from %d %q", res, err, l.status, l.body)
		}
	})
	t.Run("restJson1", func(t *testing.T) {
		var got *rtEmpty
		l := &loopback{svc: ramService(answering[rtEmpty, ramReturnValue]("EnableSharingWithAwsOrganization",
			ramPost("/enablesharingwithawsorganization"), &got, nil, nil))}
		res, err := ramClient(l).EnableSharingWithAwsOrganization(ctx, &ram.EnableSharingWithAwsOrganizationInput{})
		if err != nil || res.ReturnValue != nil {
			t.Errorf("SDK read %v (%v) from %d %q", res, err, l.status, l.body)
		}
	})
	t.Run("awsQuery", func(t *testing.T) {
		var got *rtCreateRole
		l := &loopback{svc: queryService("iam", "2010-05-08", answering[rtCreateRole, rtCreateRoleOutput]("CreateRole",
			operation.Route{}, &got, nil, nil))}
		res, err := iam.NewFromConfig(l.config()).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("{}")})
		if err != nil || res.Role != nil {
			t.Errorf("SDK read %v (%v) from %d %q", res, err, l.status, l.body)
		}
	})
	t.Run("restXml", func(t *testing.T) {
		var got *s3ListObjectsV2Input
		l := &loopback{svc: s3Service(answering[s3ListObjectsV2Input, s3ListObjectsV2Output]("ListObjectsV2",
			operation.Route{Method: http.MethodGet, Path: "/{Bucket}?list-type=2"}, &got, nil, nil))}
		res, err := s3Client(l).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("b")})
		if err != nil || res.Name != nil {
			t.Errorf("SDK read %v (%v) from %d %q", res, err, l.status, l.body)
		}
	})
}
