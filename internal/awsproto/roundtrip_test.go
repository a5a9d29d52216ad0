package awsproto_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/cairnhq/cairn/internal/awsproto"
)

// capture is an SDK HTTP client that keeps the request instead of sending it.
type capture struct {
	req  *http.Request
	body []byte
}

var errCaptured = errors.New("captured")

func (c *capture) Do(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	c.req, c.body = r, body
	return nil, errCaptured
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
