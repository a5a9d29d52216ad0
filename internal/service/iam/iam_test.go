package iam_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/service/iam"
	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestAWSManagedPoliciesAreValid checks that every AWS managed policy the store seeds is
// a valid identity-based policy and grants what its name says.
func TestAWSManagedPoliciesAreValid(t *testing.T) {
	db := openStore(t)
	var pols []*store.ManagedPolicy
	docs := map[string]*policy.Policy{}
	err := db.View(context.Background(), func(tx store.Tx) error {
		var err error
		if pols, err = tx.ListManagedPolicies("111111111111", store.PolicyFilter{Scope: "AWS"}, store.Page{}); err != nil {
			return err
		}
		for _, p := range pols {
			v, err := tx.PolicyVersion(p.ARN, p.DefaultVersionID)
			if err != nil {
				return err
			}
			parsed, err := policy.Parse([]byte(v.Document))
			if err != nil {
				t.Errorf("%s: %v", p.Name, err)
				continue
			}
			docs[p.Name] = parsed
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pols) != 6 {
		t.Fatalf("%d AWS managed policies, want 6", len(pols))
	}
	user := policy.Principal{Type: policy.PrincipalUser, ARN: "arn:aws:iam::111111111111:user/u", Account: "111111111111"}
	for _, c := range []struct {
		policy, action, resource string
		ctx                      map[string]string
		want                     bool
	}{
		{"AdministratorAccess", "iam:CreateUser", "*", nil, true},
		{"ReadOnlyAccess", "iam:GetRole", "*", nil, true},
		{"ReadOnlyAccess", "sagemaker:DescribePipeline", "*", nil, true},
		{"ReadOnlyAccess", "organizations:ListAccounts", "*", nil, true},
		{"ReadOnlyAccess", "s3:PutObject", "arn:aws:s3:::b/k", nil, false},
		{"ReadOnlyAccess", "iam:CreateUser", "*", nil, false},
		{"AmazonSageMakerFullAccess", "sagemaker:CreatePipeline", "*", nil, true},
		{"AmazonSageMakerFullAccess", "s3:PutObject", "arn:aws:s3:::my-sagemaker-bucket/k", nil, true},
		{"AmazonSageMakerFullAccess", "s3:PutObject", "arn:aws:s3:::other/k", nil, false},
		{"AmazonSageMakerFullAccess", "iam:PassRole", "arn:aws:iam::111111111111:role/r", map[string]string{"iam:PassedToService": "sagemaker.amazonaws.com"}, true},
		{"AmazonSageMakerFullAccess", "iam:PassRole", "arn:aws:iam::111111111111:role/r", map[string]string{"iam:PassedToService": "ec2.amazonaws.com"}, false},
		{"AmazonSageMakerReadOnly", "sagemaker:ListPipelines", "*", nil, true},
		{"AmazonSageMakerReadOnly", "sagemaker:CreatePipeline", "*", nil, false},
		{"AmazonS3FullAccess", "s3:DeleteBucket", "arn:aws:s3:::b", nil, true},
		{"AmazonS3ReadOnlyAccess", "s3:GetObject", "arn:aws:s3:::b/k", nil, true},
		{"AmazonS3ReadOnlyAccess", "s3:DeleteObject", "arn:aws:s3:::b/k", nil, false},
	} {
		d := policy.Evaluate(&policy.Request{Principal: user, Action: c.action, Resource: c.resource, Context: policy.NewContext(c.ctx)},
			&policy.Inputs{Identity: []policy.NamedPolicy{{ID: c.policy, Policy: docs[c.policy]}}})
		if d.Allowed != c.want {
			t.Errorf("%s %s on %s: allowed %v, want %v", c.policy, c.action, c.resource, d.Allowed, c.want)
		}
	}
}

// call runs one IAM request through the protocol layer as the root user of account.
func call(t *testing.T, api *awsproto.Service, account string, form url.Values) (int, string) {
	t.Helper()
	form.Set("Version", "2010-05-08")
	body := []byte(form.Encode())
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: account, ARN: auth.RootARN(account), UserID: account})
	w := httptest.NewRecorder()
	api.Serve(ctx, w, awsproto.Call{Request: r, Body: body, RequestID: "req-1"})
	b, _ := io.ReadAll(w.Result().Body)
	return w.Code, string(b)
}

func TestProtocolShapes(t *testing.T) {
	db := openStore(t)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	api := iam.New(iam.Options{Store: db, Now: func() time.Time { return now }, Random: strings.NewReader(strings.Repeat("x", 4096))}).API()

	code, body := call(t, api, "111111111111", url.Values{"Action": {"ListUsers"}})
	want := `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users></Users><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListUsersResponse>`
	if code != 200 || body != want {
		t.Errorf("ListUsers: %d\n%s", code, body)
	}
	code, body = call(t, api, "111111111111", url.Values{"Action": {"CreateUser"}, "UserName": {"bob"},
		"Tags.member.1.Key": {"team"}, "Tags.member.1.Value": {"ml"}})
	if code != 200 || !strings.Contains(body, "<CreateDate>2025-01-02T03:04:05Z</CreateDate>") ||
		!strings.Contains(body, "<Tags><member><Key>team</Key><Value>ml</Value></member></Tags>") ||
		!strings.Contains(body, "<Arn>arn:aws:iam::111111111111:user/bob</Arn>") {
		t.Errorf("CreateUser: %d\n%s", code, body)
	}
	code, body = call(t, api, "111111111111", url.Values{"Action": {"GetUser"}, "UserName": {"nobody"}})
	if code != 404 || !strings.Contains(body, "<Code>NoSuchEntity</Code>") || !strings.Contains(body, "<Type>Sender</Type>") {
		t.Errorf("GetUser nobody: %d\n%s", code, body)
	}
	code, body = call(t, api, "111111111111", url.Values{"Action": {"CreateRole"}, "RoleName": {"r"}})
	if code != 400 || !strings.Contains(body, "<Code>ValidationError</Code>") || !strings.Contains(body, "assumeRolePolicyDocument") {
		t.Errorf("CreateRole without trust policy: %d\n%s", code, body)
	}
	// Another account sees nothing of the first.
	code, body = call(t, api, "222222222222", url.Values{"Action": {"GetUser"}, "UserName": {"bob"}})
	if code != 404 {
		t.Errorf("other account GetUser: %d\n%s", code, body)
	}
}

func TestAccessDeclarations(t *testing.T) {
	db := openStore(t)
	api := iam.New(iam.Options{Store: db, Random: strings.NewReader(strings.Repeat("y", 4096))}).API()
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: "111111111111", ARN: auth.RootARN("111111111111")})
	err := db.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(&store.User{AccountID: "111111111111", Name: "bob", ID: "AIDABOB", Path: "/eng/",
			PermissionsBoundaryARN: "arn:aws:iam::aws:policy/ReadOnlyAccess", Tags: []store.Tag{{Key: "team", Value: "ml"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		op       string
		in       any
		resource string
		keys     map[string]string
	}{
		{"CreateUser", &iam.CreateUserInput{UserName: "ann", Path: "/x/", PermissionsBoundary: "arn:aws:iam::aws:policy/ReadOnlyAccess",
			Tags: []iam.Tag{{Key: "cost", Value: "7"}}}, "arn:aws:iam::111111111111:user/x/ann",
			map[string]string{"iam:PermissionsBoundary": "arn:aws:iam::aws:policy/ReadOnlyAccess", "aws:RequestTag/cost": "7", "aws:TagKeys": "cost"}},
		{"GetUser", &iam.GetUserInput{UserName: "bob"}, "arn:aws:iam::111111111111:user/eng/bob", nil},
		{"GetUser", &iam.GetUserInput{}, "arn:aws:iam::111111111111:root", nil},
		{"ListUsers", &iam.ListUsersInput{}, "*", nil},
		{"AttachUserPolicy", &iam.UserPolicyArnInput{UserName: "bob", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess"},
			"arn:aws:iam::111111111111:user/eng/bob",
			map[string]string{"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess", "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
		{"UntagUser", &iam.UntagUserInput{UserName: "bob", TagKeys: []string{"team"}}, "arn:aws:iam::111111111111:user/eng/bob",
			map[string]string{"aws:TagKeys": "team"}},
		{"GetPolicy", &iam.PolicyArnInput{PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess"}, "arn:aws:iam::aws:policy/AdministratorAccess", nil},
		{"CreatePolicy", &iam.CreatePolicyInput{PolicyName: "p", Path: "/t/"}, "arn:aws:iam::111111111111:policy/t/p", nil},
		{"SimulateCustomPolicy", &iam.SimulateCustomPolicyInput{}, "*", nil},
	} {
		a, err := api.Operation(c.op).Access(ctx, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.op, err)
			continue
		}
		if a.Action != "iam:"+c.op || len(a.Resources) != 1 || a.Resources[0].ARN != c.resource || a.Resources[0].Account != "111111111111" {
			t.Errorf("%s: access %+v", c.op, a)
		}
		for k, v := range c.keys {
			if got := a.Context[k]; len(got) != 1 || got[0] != v {
				t.Errorf("%s: %s = %v, want %s", c.op, k, got, v)
			}
		}
		if c.op == "GetUser" && c.resource != "*" && strings.Contains(c.resource, "bob") && a.Resources[0].Tags["team"] != "ml" {
			t.Errorf("GetUser: resource tags %v", a.Resources[0].Tags)
		}
	}
}
