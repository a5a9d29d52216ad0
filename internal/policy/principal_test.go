package policy_test

import (
	"reflect"
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

func TestParsePrincipal(t *testing.T) {
	tests := []struct {
		in      string
		want    policy.Principal
		wantErr bool
	}{
		{"", policy.Principal{Type: policy.PrincipalAnonymous}, false},
		{"*", policy.Principal{Type: policy.PrincipalAnonymous}, false},
		{acctA, policy.Principal{Type: policy.PrincipalRoot, ARN: rootA, Account: acctA}, false},
		{rootA, policy.Principal{Type: policy.PrincipalRoot, ARN: rootA, Account: acctA}, false},
		{userA, policy.Principal{Type: policy.PrincipalUser, ARN: userA, Account: acctA}, false},
		{"arn:aws:iam::111111111111:user/path/alice", policy.Principal{Type: policy.PrincipalUser, ARN: "arn:aws:iam::111111111111:user/path/alice", Account: acctA}, false},
		{roleA, policy.Principal{Type: policy.PrincipalRole, ARN: roleA, Account: acctA, RoleARN: roleA}, false},
		{sessA, policy.Principal{Type: policy.PrincipalAssumedRole, ARN: sessA, Account: acctA, RoleARN: roleA}, false},
		{"arn:aws-cn:sts::111111111111:assumed-role/app/s1", policy.Principal{Type: policy.PrincipalAssumedRole, ARN: "arn:aws-cn:sts::111111111111:assumed-role/app/s1", Account: acctA, RoleARN: "arn:aws-cn:iam::111111111111:role/app"}, false},
		{fedA, policy.Principal{Type: policy.PrincipalFederatedUser, ARN: fedA, Account: acctA}, false},
		{"arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/R", policy.Principal{Type: policy.PrincipalRole, ARN: "arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/R", Account: acctA, RoleARN: "arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/R", ServiceLinked: true}, false},
		{"arn:aws:iam::111111111111:saml-provider/corp", policy.Principal{Type: policy.PrincipalFederated, ARN: "arn:aws:iam::111111111111:saml-provider/corp", Account: acctA}, false},
		{svcSM, policy.Principal{Type: policy.PrincipalService, ARN: svcSM}, false},
		{"arn:aws:sts::111111111111:assumed-role/app", policy.Principal{}, true},
		{"arn:aws:s3:::bucket", policy.Principal{}, true},
		{"arn:aws:iam::1234:user/x", policy.Principal{}, true},
		{"alice", policy.Principal{}, true},
		{"arn:aws:iam::111111111111:group/g", policy.Principal{}, true},
	}
	for _, tc := range tests {
		got, err := policy.ParsePrincipal(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParsePrincipal(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			continue
		}
		if !tc.wantErr && got != tc.want {
			t.Errorf("ParsePrincipal(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestAddPrincipalKeys(t *testing.T) {
	tests := []struct {
		principal string
		want      map[string]string
	}{
		{rootA, map[string]string{"aws:principaltype": "Account", "aws:principalarn": rootA, "aws:principalaccount": acctA, "aws:principalisawsservice": "false"}},
		{userA, map[string]string{"aws:principaltype": "User", "aws:principalarn": userA, "aws:principalaccount": acctA, "aws:username": "alice", "aws:principalisawsservice": "false"}},
		{sessA, map[string]string{"aws:principaltype": "AssumedRole", "aws:principalarn": roleA, "aws:principalaccount": acctA, "aws:principalisawsservice": "false"}},
		{fedA, map[string]string{"aws:principaltype": "FederatedUser", "aws:principalarn": fedA, "aws:principalaccount": acctA, "aws:principalisawsservice": "false"}},
		{svcSM, map[string]string{"aws:principalservicename": svcSM, "aws:principalisawsservice": "true"}},
		{"*", map[string]string{"aws:principaltype": "Anonymous", "aws:principalisawsservice": "false"}},
	}
	for _, tc := range tests {
		var c policy.Context
		c.AddPrincipalKeys(mustPrincipal(t, tc.principal))
		got := map[string]string{}
		for _, k := range c.Keys() {
			v, _ := c.Lookup(k)
			got[k] = v.At(0)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("AddPrincipalKeys(%s) = %v, want %v", tc.principal, got, tc.want)
		}
	}
	// Keys already set are kept.
	c := policy.NewContext(map[string]string{"aws:username": "override"})
	c.AddPrincipalKeys(mustPrincipal(t, userA))
	if v, _ := c.Lookup("aws:username"); v.At(0) != "override" {
		t.Errorf("aws:username = %q, want the value set before", v.At(0))
	}
}

func TestContext(t *testing.T) {
	var c policy.Context
	if _, ok := c.Lookup("aws:username"); ok {
		t.Error("empty context has a key")
	}
	var nilCtx *policy.Context
	if _, ok := nilCtx.Lookup("x:y"); ok || nilCtx.Keys() != nil {
		t.Error("nil context has a key")
	}
	c.Set("AWS:UserName", "alice")
	if v, ok := c.Lookup("aws:username"); !ok || v.Len() != 1 || v.At(0) != "alice" || v.IsMulti() {
		t.Errorf("Lookup = %+v, %v", v, ok)
	}
	tags := []string{"a", "b"}
	c.SetMulti("aws:TagKeys", tags...)
	tags[0] = "changed"
	v, ok := c.Lookup("AWS:TAGKEYS")
	if !ok || !v.IsMulti() || v.Len() != 2 || v.At(0) != "a" || !reflect.DeepEqual(v.Strings(), []string{"a", "b"}) {
		t.Errorf("multi Lookup = %+v, %v", v, ok)
	}
	c.SetMulti("svc:empty")
	if _, ok := c.Lookup("svc:empty"); ok {
		t.Error("an empty multi-valued key is present")
	}
	c.SetDefault("aws:username", "bob")
	c.SetDefault("svc:new", "x")
	if v, _ := c.Lookup("aws:username"); v.At(0) != "alice" {
		t.Error("SetDefault replaced a value")
	}
	clone := c.Clone()
	clone.Delete("svc:new")
	if _, ok := c.Lookup("svc:new"); !ok {
		t.Error("Delete on a clone changed the original")
	}
	if _, ok := clone.Lookup("svc:new"); ok {
		t.Error("Delete did not delete")
	}
	if got, want := c.Keys(), []string{"aws:tagkeys", "aws:username", "svc:empty", "svc:new"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Keys = %v, want %v", got, want)
	}
}

// An overlay reads its base's keys, keeps its own changes (a deletion of a base key
// included) and leaves the base as it was; a clone of an overlay stands alone.
func TestContextOverlay(t *testing.T) {
	base := policy.NewContext(map[string]string{"aws:username": "alice", "aws:PrincipalAccount": "111111111111"})
	o := base.Overlay()
	if v, ok := o.Lookup("AWS:UserName"); !ok || v.At(0) != "alice" {
		t.Fatalf("overlay Lookup = %+v, %v", v, ok)
	}
	o.Set("aws:username", "bob")
	o.Delete("aws:principalaccount")
	o.Set("svc:added", "x")
	o.Delete("svc:absent")
	if v, _ := o.Lookup("aws:username"); v.At(0) != "bob" {
		t.Error("overlay Set did not replace the base's value")
	}
	if _, ok := o.Lookup("aws:PrincipalAccount"); ok {
		t.Error("overlay Delete of a base key left it present")
	}
	if got, want := o.Keys(), []string{"aws:username", "svc:added"}; !reflect.DeepEqual(got, want) {
		t.Errorf("overlay Keys = %v, want %v", got, want)
	}
	if got, want := base.Keys(), []string{"aws:principalaccount", "aws:username"}; !reflect.DeepEqual(got, want) {
		t.Errorf("base Keys = %v, want %v", got, want)
	}
	if v, _ := base.Lookup("aws:username"); v.At(0) != "alice" {
		t.Error("overlay Set changed the base")
	}
	o.Set("aws:PrincipalAccount", "222222222222")
	if v, ok := o.Lookup("aws:principalaccount"); !ok || v.At(0) != "222222222222" {
		t.Errorf("Set after Delete = %+v, %v", v, ok)
	}
	clone := o.Clone()
	o.Delete("svc:added")
	if _, ok := clone.Lookup("svc:added"); !ok {
		t.Error("a change to an overlay changed its clone")
	}
	if got, want := clone.Keys(), []string{"aws:principalaccount", "aws:username", "svc:added"}; !reflect.DeepEqual(got, want) {
		t.Errorf("clone Keys = %v, want %v", got, want)
	}
}

func TestStringers(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{policy.Allow.String(), "Allow"},
		{policy.Deny.String(), "Deny"},
		{policy.Allowed.String(), "Allowed"},
		{policy.ImplicitlyDenied.String(), "ImplicitlyDenied"},
		{policy.ExplicitlyDenied.String(), "ExplicitlyDenied"},
		{policy.IdentityBased.String(), "identity-based policy"},
		{policy.ResourceBased.String(), "resource-based policy"},
		{policy.TrustPolicy.String(), "trust policy"},
		{policy.PermissionsBoundary.String(), "permissions boundary"},
		{policy.SessionPolicy.String(), "session policy"},
		{policy.ServiceControlPolicy.String(), "service control policy"},
		{policy.ResourceControlPolicy.String(), "resource control policy"},
		{policy.PrincipalAssumedRole.String(), "AssumedRole"},
		{policy.PrincipalService.String(), "Service"},
	} {
		if tc.got != tc.want {
			t.Errorf("String() = %q, want %q", tc.got, tc.want)
		}
	}
}
