package awsproto_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/smithy-go"

	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/operation"
)

// Cairn-side shapes of RAM (restJson1): members in lowerCamelCase, timestamps as epoch
// seconds, the DELETE operations' members in the query string.
type (
	ramTag struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	ramShareConfiguration struct {
		RetainSharingOnAccountLeaveOrganization *bool `json:"retainSharingOnAccountLeaveOrganization,omitempty"`
	}
	ramCreateResourceShareInput struct {
		Name                       string                 `json:"name" required:"true"`
		ResourceArns               []string               `json:"resourceArns,omitempty"`
		Principals                 []string               `json:"principals,omitempty"`
		Tags                       []ramTag               `json:"tags,omitempty"`
		AllowExternalPrincipals    *bool                  `json:"allowExternalPrincipals,omitempty"`
		ClientToken                *string                `json:"clientToken,omitempty"`
		PermissionArns             []string               `json:"permissionArns,omitempty"`
		Sources                    []string               `json:"sources,omitempty"`
		ResourceShareConfiguration *ramShareConfiguration `json:"resourceShareConfiguration,omitempty"`
	}
	ramResourceShare struct {
		ResourceShareArn           string                 `json:"resourceShareArn"`
		Name                       string                 `json:"name"`
		OwningAccountID            string                 `json:"owningAccountId"`
		AllowExternalPrincipals    bool                   `json:"allowExternalPrincipals"`
		Status                     string                 `json:"status"`
		StatusMessage              *string                `json:"statusMessage,omitempty"`
		Tags                       []ramTag               `json:"tags,omitempty"`
		CreationTime               *operation.Timestamp   `json:"creationTime,omitempty"`
		LastUpdatedTime            *operation.Timestamp   `json:"lastUpdatedTime,omitempty"`
		FeatureSet                 string                 `json:"featureSet,omitempty"`
		ResourceShareConfiguration *ramShareConfiguration `json:"resourceShareConfiguration,omitempty"`
	}
	ramCreateResourceShareOutput struct {
		ResourceShare *ramResourceShare `json:"resourceShare,omitempty"`
		ClientToken   *string           `json:"clientToken,omitempty"`
	}
	ramTagFilter struct {
		TagKey    *string  `json:"tagKey,omitempty"`
		TagValues []string `json:"tagValues,omitempty"`
	}
	ramGetResourceSharesInput struct {
		ResourceShareArns   []string       `json:"resourceShareArns,omitempty"`
		ResourceShareStatus string         `json:"resourceShareStatus,omitempty"`
		ResourceOwner       string         `json:"resourceOwner" required:"true"`
		Name                *string        `json:"name,omitempty"`
		TagFilters          []ramTagFilter `json:"tagFilters,omitempty"`
		NextToken           *string        `json:"nextToken,omitempty"`
		MaxResults          *int32         `json:"maxResults,omitempty"`
		PermissionArn       *string        `json:"permissionArn,omitempty"`
		PermissionVersion   *int32         `json:"permissionVersion,omitempty"`
	}
	ramGetResourceSharesOutput struct {
		ResourceShares []ramResourceShare `json:"resourceShares"`
		NextToken      *string            `json:"nextToken,omitempty"`
	}
	ramDeleteResourceShareInput struct {
		ResourceShareArn string  `querystring:"resourceShareArn" required:"true"`
		ClientToken      *string `querystring:"clientToken"`
	}
	ramDeleteResourceShareOutput struct {
		ReturnValue *bool   `json:"returnValue,omitempty"`
		ClientToken *string `json:"clientToken,omitempty"`
	}
	ramDeletePermissionVersionInput struct {
		PermissionArn     string  `querystring:"permissionArn" required:"true"`
		PermissionVersion *int32  `querystring:"permissionVersion" required:"true"`
		ClientToken       *string `querystring:"clientToken"`
	}
	ramDeletePermissionVersionOutput struct {
		ReturnValue      *bool   `json:"returnValue,omitempty"`
		ClientToken      *string `json:"clientToken,omitempty"`
		PermissionStatus string  `json:"permissionStatus,omitempty"`
	}
	ramPromoteInput struct {
		ResourceShareArn string `querystring:"resourceShareArn" required:"true"`
	}
	ramReturnValue struct {
		ReturnValue bool `json:"returnValue"`
	}
)

// ramService is a restJson1 service spelled as RAM is: every operation "POST /<name in
// lower case>" but for its DELETEs.
func ramService(ops ...*operation.Operation) *awsproto.Service {
	return awsproto.NewService(awsproto.Service{Name: "ram", Protocol: awsproto.RestJSON,
		ValidationCode: "InvalidParameterException"}, ops...)
}

func ramPost(path string) operation.Route {
	return operation.Route{Method: http.MethodPost, Path: path}
}

// ramClient is a RAM client whose requests l serves.
func ramClient(l *loopback) *ram.Client { return ram.NewFromConfig(l.config()) }

func TestRestJSONRoundTripCreateResourceShare(t *testing.T) {
	created := time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)
	updated := time.Date(2031, 12, 31, 23, 59, 59, 999e6, time.UTC)
	var got *ramCreateResourceShareInput
	out := &ramCreateResourceShareOutput{ClientToken: aws.String("token-1"), ResourceShare: &ramResourceShare{
		ResourceShareArn: "arn:aws:ram:us-east-1:111111111111:resource-share/7ab63972-b505-7e2a-420d-6f5d3EXAMPLE",
		Name:             "pipelines ✓", OwningAccountID: "111111111111", AllowExternalPrincipals: false,
		Status: "ACTIVE", StatusMessage: aws.String(`quoted "status" & <more>`),
		Tags:         []ramTag{{"team", "ml"}, {"empty", ""}},
		CreationTime: operation.NewTimestamp(created), LastUpdatedTime: operation.NewTimestamp(updated),
		FeatureSet:                 "CREATED_FROM_POLICY",
		ResourceShareConfiguration: &ramShareConfiguration{RetainSharingOnAccountLeaveOrganization: aws.Bool(true)},
	}}
	l := &loopback{svc: ramService(answering("CreateResourceShare", ramPost("/createresourceshare"), &got, out, nil))}
	in := &ram.CreateResourceShareInput{
		Name:                    aws.String("pipelines ✓"),
		ResourceArns:            []string{"arn:aws:sagemaker:us-east-1:111111111111:pipeline/churn", "arn:aws:sagemaker:us-east-1:111111111111:pipeline/a+b c"},
		Principals:              []string{"222222222222", "arn:aws:organizations::111111111111:ou/o-exampleorgid/ou-root-example"},
		Tags:                    []ramtypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}, {Key: aws.String("empty"), Value: aws.String("")}},
		AllowExternalPrincipals: aws.Bool(false),
		ClientToken:             aws.String("token-1"),
		PermissionArns:          []string{"arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSageMakerPipeline"},
		Sources:                 []string{"333333333333"},
		ResourceShareConfiguration: &ramtypes.ResourceShareConfiguration{
			RetainSharingOnAccountLeaveOrganization: aws.Bool(true)},
	}
	res, err := ramClient(l).CreateResourceShare(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateResourceShare: %v (answer %d %s)", err, l.status, l.body)
	}
	want := &ramCreateResourceShareInput{
		Name: "pipelines ✓", ResourceArns: in.ResourceArns, Principals: in.Principals,
		Tags:                    []ramTag{{"team", "ml"}, {"empty", ""}},
		AllowExternalPrincipals: aws.Bool(false), ClientToken: aws.String("token-1"),
		PermissionArns: in.PermissionArns, Sources: in.Sources,
		ResourceShareConfiguration: &ramShareConfiguration{RetainSharingOnAccountLeaveOrganization: aws.Bool(true)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v", got, want)
	}
	if ct := l.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if aws.ToString(res.ClientToken) != "token-1" {
		t.Errorf("SDK read clientToken %q", aws.ToString(res.ClientToken))
	}
	checkRAMShare(t, res.ResourceShare, out.ResourceShare)
	if id, _ := awsmiddleware.GetRequestIDMetadata(res.ResultMetadata); id != "rt-request" {
		t.Errorf("SDK read request id %q, want rt-request", id)
	}
}

// checkRAMShare checks every member of a resource share as the SDK read it.
func checkRAMShare(t *testing.T, got *ramtypes.ResourceShare, want *ramResourceShare) {
	t.Helper()
	if got == nil {
		t.Fatal("SDK read no resource share")
	}
	var tags []ramTag
	for _, tg := range got.Tags {
		tags = append(tags, ramTag{aws.ToString(tg.Key), aws.ToString(tg.Value)})
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"resourceShareArn", aws.ToString(got.ResourceShareArn), want.ResourceShareArn},
		{"name", aws.ToString(got.Name), want.Name},
		{"owningAccountId", aws.ToString(got.OwningAccountId), want.OwningAccountID},
		{"allowExternalPrincipals", got.AllowExternalPrincipals != nil && !*got.AllowExternalPrincipals, !want.AllowExternalPrincipals},
		{"status", string(got.Status), want.Status},
		{"statusMessage", got.StatusMessage, want.StatusMessage},
		{"tags", tags, want.Tags},
		{"creationTime", aws.ToTime(got.CreationTime).UTC(), want.CreationTime.Time},
		{"lastUpdatedTime", aws.ToTime(got.LastUpdatedTime).UTC(), want.LastUpdatedTime.Time},
		{"featureSet", string(got.FeatureSet), want.FeatureSet},
		{"resourceShareConfiguration", got.ResourceShareConfiguration != nil && aws.ToBool(got.ResourceShareConfiguration.RetainSharingOnAccountLeaveOrganization),
			want.ResourceShareConfiguration != nil && aws.ToBool(want.ResourceShareConfiguration.RetainSharingOnAccountLeaveOrganization)},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("SDK read %s as %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestRestJSONRoundTripGetResourceShares(t *testing.T) {
	when := time.Date(2025, 1, 2, 3, 4, 5, 6e6, time.UTC)
	var got *ramGetResourceSharesInput
	out := &ramGetResourceSharesOutput{NextToken: aws.String("page/2=="), ResourceShares: []ramResourceShare{
		{ResourceShareArn: "arn:aws:ram:us-east-1:111111111111:resource-share/one", Name: "one", OwningAccountID: "111111111111",
			AllowExternalPrincipals: true, Status: "ACTIVE", CreationTime: operation.NewTimestamp(when), LastUpdatedTime: operation.NewTimestamp(when),
			FeatureSet: "STANDARD"},
		{ResourceShareArn: "arn:aws:ram:us-east-1:111111111111:resource-share/two", Name: "two", OwningAccountID: "111111111111",
			Status: "DELETED", StatusMessage: aws.String("gone"), Tags: []ramTag{{"a", "b"}},
			CreationTime: operation.NewTimestamp(when.Add(-time.Hour)), LastUpdatedTime: operation.NewTimestamp(when),
			ResourceShareConfiguration: &ramShareConfiguration{RetainSharingOnAccountLeaveOrganization: aws.Bool(false)}},
	}}
	l := &loopback{svc: ramService(answering("GetResourceShares", ramPost("/getresourceshares"), &got, out, nil))}
	in := &ram.GetResourceSharesInput{
		ResourceOwner:       ramtypes.ResourceOwnerOtherAccounts,
		ResourceShareArns:   []string{"arn:aws:ram:us-east-1:111111111111:resource-share/one"},
		ResourceShareStatus: ramtypes.ResourceShareStatusActive,
		Name:                aws.String("one"),
		TagFilters: []ramtypes.TagFilter{
			{TagKey: aws.String("team"), TagValues: []string{"ml", "data"}},
			{TagKey: aws.String("any")},
		},
		NextToken:         aws.String("page/1=="),
		MaxResults:        aws.Int32(500),
		PermissionArn:     aws.String("arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSageMakerPipeline"),
		PermissionVersion: aws.Int32(0),
	}
	res, err := ramClient(l).GetResourceShares(context.Background(), in)
	if err != nil {
		t.Fatalf("GetResourceShares: %v (answer %d %s)", err, l.status, l.body)
	}
	want := &ramGetResourceSharesInput{
		ResourceShareArns: in.ResourceShareArns, ResourceShareStatus: "ACTIVE", ResourceOwner: "OTHER-ACCOUNTS",
		Name: in.Name, TagFilters: []ramTagFilter{{aws.String("team"), []string{"ml", "data"}}, {TagKey: aws.String("any")}},
		NextToken: in.NextToken, MaxResults: aws.Int32(500), PermissionArn: in.PermissionArn, PermissionVersion: aws.Int32(0),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v", got, want)
	}
	if aws.ToString(res.NextToken) != "page/2==" || len(res.ResourceShares) != 2 {
		t.Fatalf("SDK read nextToken %q and %d shares", aws.ToString(res.NextToken), len(res.ResourceShares))
	}
	for i := range out.ResourceShares {
		checkRAMShare(t, &res.ResourceShares[i], &out.ResourceShares[i])
	}
}

// TestRestJSONRoundTripDelete sends RAM's DELETEs, whose members travel in the query string,
// and reads their answers.
func TestRestJSONRoundTripDelete(t *testing.T) {
	arn := "arn:aws:ram:us-east-1:111111111111:resource-share/a b+c&d=e%f/ü"
	var gotShare *ramDeleteResourceShareInput
	var gotVersion *ramDeletePermissionVersionInput
	l := &loopback{svc: ramService(
		answering("DeleteResourceShare", operation.Route{Method: http.MethodDelete, Path: "/deleteresourceshare"}, &gotShare,
			&ramDeleteResourceShareOutput{ReturnValue: aws.Bool(true), ClientToken: aws.String("t=1&2")}, nil),
		answering("DeletePermissionVersion", operation.Route{Method: http.MethodDelete, Path: "/deletepermissionversion"}, &gotVersion,
			&ramDeletePermissionVersionOutput{ReturnValue: aws.Bool(false), PermissionStatus: "DELETING"}, nil),
	)}
	client := ramClient(l)
	res, err := client.DeleteResourceShare(context.Background(), &ram.DeleteResourceShareInput{
		ResourceShareArn: aws.String(arn), ClientToken: aws.String("t=1&2")})
	if err != nil {
		t.Fatalf("DeleteResourceShare: %v (answer %d %s)", err, l.status, l.body)
	}
	if want := (&ramDeleteResourceShareInput{ResourceShareArn: arn, ClientToken: aws.String("t=1&2")}); !reflect.DeepEqual(gotShare, want) {
		t.Errorf("decoded %+v, want %+v", gotShare, want)
	}
	if !aws.ToBool(res.ReturnValue) || aws.ToString(res.ClientToken) != "t=1&2" {
		t.Errorf("SDK read returnValue %v, clientToken %q", res.ReturnValue, aws.ToString(res.ClientToken))
	}

	resV, err := client.DeletePermissionVersion(context.Background(), &ram.DeletePermissionVersionInput{
		PermissionArn: aws.String("arn:aws:ram:us-east-1:111111111111:permission/p"), PermissionVersion: aws.Int32(3)})
	if err != nil {
		t.Fatalf("DeletePermissionVersion: %v (answer %d %s)", err, l.status, l.body)
	}
	if want := (&ramDeletePermissionVersionInput{PermissionArn: "arn:aws:ram:us-east-1:111111111111:permission/p",
		PermissionVersion: aws.Int32(3)}); !reflect.DeepEqual(gotVersion, want) {
		t.Errorf("decoded %+v, want %+v", gotVersion, want)
	}
	if resV.ReturnValue == nil || *resV.ReturnValue || resV.PermissionStatus != ramtypes.PermissionStatusDeleting || resV.ClientToken != nil {
		t.Errorf("SDK read returnValue %v, permissionStatus %q, clientToken %v", resV.ReturnValue, resV.PermissionStatus, resV.ClientToken)
	}
}

// TestRestJSONRoundTripNoBody sends operations whose requests have no body: one with a
// query member, one with no member at all.
func TestRestJSONRoundTripNoBody(t *testing.T) {
	var gotPromote *ramPromoteInput
	var gotEnable *rtEmpty
	l := &loopback{svc: ramService(
		answering("PromoteResourceShareCreatedFromPolicy", ramPost("/promoteresourcesharecreatedfrompolicy"), &gotPromote,
			&ramReturnValue{ReturnValue: true}, nil),
		answering("EnableSharingWithAwsOrganization", ramPost("/enablesharingwithawsorganization"), &gotEnable,
			&ramReturnValue{}, nil),
	)}
	client := ramClient(l)
	res, err := client.PromoteResourceShareCreatedFromPolicy(context.Background(),
		&ram.PromoteResourceShareCreatedFromPolicyInput{ResourceShareArn: aws.String("arn:aws:ram:us-east-1:111111111111:resource-share/x")})
	if err != nil {
		t.Fatalf("PromoteResourceShareCreatedFromPolicy: %v (answer %d %s)", err, l.status, l.body)
	}
	if gotPromote == nil || gotPromote.ResourceShareArn != "arn:aws:ram:us-east-1:111111111111:resource-share/x" || !aws.ToBool(res.ReturnValue) {
		t.Errorf("decoded %+v; SDK read returnValue %v", gotPromote, res.ReturnValue)
	}
	resE, err := client.EnableSharingWithAwsOrganization(context.Background(), &ram.EnableSharingWithAwsOrganizationInput{})
	if err != nil {
		t.Fatalf("EnableSharingWithAwsOrganization: %v (answer %d %s)", err, l.status, l.body)
	}
	if gotEnable == nil || resE.ReturnValue == nil || *resE.ReturnValue {
		t.Errorf("decoded %+v; SDK read returnValue %v, want false", gotEnable, resE.ReturnValue)
	}
}

// TestRestJSONRoundTripErrors answers RAM's modeled errors and checks that the SDK reads
// each as its type, with its message and status.
func TestRestJSONRoundTripErrors(t *testing.T) {
	for _, tc := range []struct {
		err   *operation.Error
		check func(t *testing.T, err error, status int, message string)
	}{
		{operation.Errorf(400, "UnknownResourceException", "The resource share %s could not be found.", "arn:aws:ram:us-east-1:111111111111:resource-share/x"),
			func(t *testing.T, err error, s int, m string) {
				wantSDKError[*ramtypes.UnknownResourceException](t, err, s, m)
			}},
		{operation.Errorf(400, "IdempotentParameterMismatchException", "The client token %q was used with other parameters.", "token-1"),
			func(t *testing.T, err error, s int, m string) {
				wantSDKError[*ramtypes.IdempotentParameterMismatchException](t, err, s, m)
			}},
		{operation.Errorf(409, "PermissionAlreadyExistsException", "A permission named p already exists."),
			func(t *testing.T, err error, s int, m string) {
				wantSDKError[*ramtypes.PermissionAlreadyExistsException](t, err, s, m)
			}},
		{operation.Errorf(429, "ThrottlingException", "Rate exceeded."),
			func(t *testing.T, err error, s int, m string) {
				wantSDKError[*ramtypes.ThrottlingException](t, err, s, m)
			}},
		{&operation.Error{Code: "ServerInternalException", Status: 500, Server: true, Message: "Internal failure; try again."},
			func(t *testing.T, err error, s int, m string) {
				wantSDKError[*ramtypes.ServerInternalException](t, err, s, m)
			}},
		{&operation.Error{Code: "ServiceUnavailableException", Status: 503, Server: true, Message: "Try again later."},
			func(t *testing.T, err error, s int, m string) {
				wantSDKError[*ramtypes.ServiceUnavailableException](t, err, s, m)
			}},
		// The service's own spelling of an authorization failure: 403 in restJson1.
		{ramService().Operations().AccessDenied("User: arn:aws:iam::111111111111:user/alice is not authorized to perform: ram:CreateResourceShare"),
			wantAPIError("AccessDeniedException")},
		// An authentication failure as the server spells it for restJson1.
		{ramService().AuthError(awsproto.ExpiredToken, ""), wantAPIError("ExpiredTokenException")},
	} {
		t.Run(tc.err.Code, func(t *testing.T) {
			var got *ramCreateResourceShareInput
			l := &loopback{svc: ramService(answering[ramCreateResourceShareInput, ramCreateResourceShareOutput](
				"CreateResourceShare", ramPost("/createresourceshare"), &got, nil, tc.err))}
			_, err := ramClient(l).CreateResourceShare(context.Background(), &ram.CreateResourceShareInput{Name: aws.String("n")})
			if got == nil {
				t.Fatalf("the operation did not run: %d %s", l.status, l.body)
			}
			tc.check(t, err, tc.err.Status, tc.err.Message)
			checkRestJSONError(t, l, tc.err)

			// A client that gets only the body (a proxy dropped the header) finds the
			// same error there.
			l.strip = []string{"X-Amzn-Errortype"}
			_, err = ramClient(l).CreateResourceShare(context.Background(), &ram.CreateResourceShareInput{Name: aws.String("n")})
			tc.check(t, err, tc.err.Status, tc.err.Message)
		})
	}
	if s := ramService().Operations().AccessDenied("").Status; s != http.StatusForbidden {
		t.Errorf("restJson1 AccessDenied answers %d, want 403", s)
	}
}

// wantAPIError checks an error the SDK has no type for: its code, message and status.
func wantAPIError(code string) func(t *testing.T, err error, status int, message string) {
	return func(t *testing.T, err error, status int, message string) {
		t.Helper()
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != code || api.ErrorMessage() != message {
			t.Errorf("SDK returned %v, want %s: %s", err, code, message)
		}
		var re *awshttp.ResponseError
		if !errors.As(err, &re) || re.HTTPStatusCode() != status {
			t.Errorf("SDK returned %v, want status %d", err, status)
		}
	}
}

// checkRestJSONError checks an error answer in restJson1's wire form: the status, the code
// in the X-Amzn-Errortype header and in the body's __type and code, and the body's message,
// so that a client which reads only the header or only the body finds the error.
func checkRestJSONError(t *testing.T, l *loopback, e *operation.Error) {
	t.Helper()
	if l.status != e.Status {
		t.Errorf("status %d, want %d", l.status, e.Status)
	}
	if got := l.header.Get("X-Amzn-Errortype"); got != e.Code {
		t.Errorf("X-Amzn-Errortype %q, want %q", got, e.Code)
	}
	if ct := l.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if id := l.header.Get("X-Amzn-Requestid"); id != "rt-request" {
		t.Errorf("X-Amzn-Requestid %q, want rt-request", id)
	}
	var doc map[string]any
	if err := json.Unmarshal(l.body, &doc); err != nil {
		t.Fatalf("error body %s: %v", l.body, err)
	}
	for _, k := range []string{"__type", "code"} {
		if doc[k] != e.Code {
			t.Errorf("body %s: %s is %v, want %q", l.body, k, doc[k], e.Code)
		}
	}
	if doc["message"] != e.Message {
		t.Errorf("body %s: message is %v, want %q", l.body, doc["message"], e.Message)
	}
}
