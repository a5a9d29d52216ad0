package policy_test

import (
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

// With ResourceRequired (a role's trust policy for sts:AssumeRole) the resource-based
// policy must allow the principal whatever else allows it, even its account's root.
func TestEvaluateResourceRequired(t *testing.T) {
	trust := func(principal string) string {
		return doc(`{"Effect":"Allow","Principal":` + principal + `,"Action":"sts:AssumeRole"}`)
	}
	trustService := trust(`{"Service":"sagemaker.amazonaws.com"}`)
	trustAccount := trust(aws(rootA))
	trustUser := trust(aws(userA))
	allowAll := doc(st("Allow", "*", "*"))
	for _, tc := range []struct {
		name, principal, trust, identity string
		required                         bool
		want                             policy.DecisionKind
		by                               policy.PolicyType
	}{
		{"root, trust names only a service", rootA, trustService, "", true, policy.ImplicitlyDenied, policy.ResourceBased},
		{"root, without the requirement", rootA, trustService, "", false, policy.Allowed, 0},
		{"root, trust names the account", rootA, trustAccount, "", true, policy.Allowed, 0},
		{"administrator, trust names only a service", userA, trustService, allowAll, true, policy.ImplicitlyDenied, policy.ResourceBased},
		{"user named by the trust, no identity policy", userA, trustUser, "", true, policy.Allowed, policy.ResourceBased},
		{"trust names the account, no identity policy", userA, trustAccount, "", true, policy.ImplicitlyDenied, policy.IdentityBased},
		{"trust names the account, identity allows", userA, trustAccount, allowAll, true, policy.Allowed, policy.IdentityBased},
		{"the service itself", svcSM, trustService, "", true, policy.Allowed, policy.ResourceBased},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trust, err := policy.ParseWithOptions([]byte(tc.trust), policy.Options{Type: policy.TrustPolicy})
			if err != nil {
				t.Fatal(err)
			}
			p, err := policy.ParsePrincipal(tc.principal)
			if err != nil {
				t.Fatal(err)
			}
			in := policy.Inputs{Resource: &policy.NamedPolicy{ID: "trust", Policy: trust}, ResourceRequired: tc.required}
			if tc.identity != "" {
				id, err := policy.Parse([]byte(tc.identity))
				if err != nil {
					t.Fatal(err)
				}
				in.Identity = []policy.NamedPolicy{{ID: "id", Policy: id}}
			}
			req := policy.Request{Principal: p, Action: "sts:AssumeRole", Resource: roleA, ResourceAccount: acctA}
			d := policy.Evaluate(&req, &in)
			if d.Kind != tc.want || d.PolicyType != tc.by {
				t.Errorf("got %v by %v, want %v by %v", d.Kind, d.PolicyType, tc.want, tc.by)
			}
		})
	}
}
