package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

// Accounts, principals and resources the tables use.
const (
	acctA = "111111111111"
	acctB = "222222222222"

	rootA   = "arn:aws:iam::111111111111:root"
	userA   = "arn:aws:iam::111111111111:user/alice"
	user2A  = "arn:aws:iam::111111111111:user/bob"
	roleA   = "arn:aws:iam::111111111111:role/app"
	sessA   = "arn:aws:sts::111111111111:assumed-role/app/s1"
	fedA    = "arn:aws:sts::111111111111:federated-user/fed"
	rootB   = "arn:aws:iam::222222222222:root"
	userB   = "arn:aws:iam::222222222222:user/carol"
	roleB   = "arn:aws:iam::222222222222:role/app"
	sessB   = "arn:aws:sts::222222222222:assumed-role/app/s1"
	svcSM   = "sagemaker.amazonaws.com"
	objA    = "arn:aws:s3:::bucket-a/key"
	bucketA = "arn:aws:s3:::bucket-a"
)

// doc makes a 2012-10-17 policy document of the given statements.
func doc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// st makes a statement; extra holds more members, such as
// `"Condition":{...}` or `"Principal":"*"`.
func st(effect, action, resource string, extra ...string) string {
	s := fmt.Sprintf(`{"Effect":%q,"Action":%s,"Resource":%s`, effect, jsonList(action), jsonList(resource))
	for _, e := range extra {
		s += "," + e
	}
	return s + "}"
}

// rst makes a resource-policy statement naming principal (raw JSON).
func rst(effect, principal, action, resource string, extra ...string) string {
	return st(effect, action, resource, append([]string{`"Principal":` + principal}, extra...)...)
}

// jsonList turns "a|b" into ["a","b"] and "a" into "a"; a value starting
// with '[' or '{' is raw JSON.
func jsonList(s string) string {
	if strings.HasPrefix(s, "[") || strings.HasPrefix(s, "{") {
		return s
	}
	parts := strings.Split(s, "|")
	if len(parts) == 1 {
		return fmt.Sprintf("%q", s)
	}
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = fmt.Sprintf("%q", p)
	}
	return "[" + strings.Join(q, ",") + "]"
}

// aws makes {"AWS": ...} of "|"-separated values.
func aws(v string) string { return `{"AWS":` + jsonList(v) + `}` }

func allowDoc(action, resource string, extra ...string) string {
	return doc(st("Allow", action, resource, extra...))
}

func denyDoc(action, resource string, extra ...string) string {
	return doc(st("Deny", action, resource, extra...))
}

const (
	allowAll = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
	rcpFull  = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`
)

func mustParse(t testing.TB, typ policy.PolicyType, d string) *policy.Policy {
	t.Helper()
	p, err := policy.ParseWithOptions([]byte(d), policy.Options{Type: typ})
	if err != nil {
		t.Fatalf("parse %s policy %s: %v", typ, d, err)
	}
	return p
}

func named(t testing.TB, typ policy.PolicyType, prefix string, docs []string) []policy.NamedPolicy {
	t.Helper()
	var out []policy.NamedPolicy
	for i, d := range docs {
		out = append(out, policy.NamedPolicy{ID: fmt.Sprintf("%s[%d]", prefix, i), Policy: mustParse(t, typ, d)})
	}
	return out
}

func mustPrincipal(t testing.TB, arn string) policy.Principal {
	t.Helper()
	p, err := policy.ParsePrincipal(arn)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// shortType names policy types in the compact "want" strings of the
// tables: "Allowed/identity", "ImplicitlyDenied/scp", ...
func shortType(t policy.PolicyType) string {
	switch t {
	case policy.IdentityBased:
		return "identity"
	case policy.ResourceBased:
		return "resource"
	case policy.PermissionsBoundary:
		return "boundary"
	case policy.SessionPolicy:
		return "session"
	case policy.ServiceControlPolicy:
		return "scp"
	case policy.ResourceControlPolicy:
		return "rcp"
	}
	return "root"
}

func outcome(d policy.Decision) string {
	return d.Kind.String() + "/" + shortType(d.PolicyType)
}
