package policy_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cairnhq/cairn/internal/fuzzseed"

	"github.com/cairnhq/cairn/internal/policy"
)

var allTypes = []policy.PolicyType{
	policy.IdentityBased, policy.ResourceBased, policy.TrustPolicy, policy.PermissionsBoundary,
	policy.SessionPolicy, policy.ServiceControlPolicy, policy.ResourceControlPolicy,
}

func FuzzParse(f *testing.F) {
	fuzzseed.Require(f)
	for _, s := range []string{
		allowAll, rcpFull, `{}`, `[]`, `null`, `{"Statement":[]}`,
		doc(st("Allow", "s3:Get*", "arn:aws:s3:::b/${aws:username}/*", `"Condition":{"StringLike":{"s3:prefix":["${aws:username, 'x'}/*"]}}`)),
		doc(rst("Allow", `{"AWS":["111111111111","arn:aws:iam::111111111111:role/r"],"Service":"s.amazonaws.com"}`, "s3:*", "*")),
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"NotAction":"s3:*","NotResource":"*"}}`,
		allowDoc("*", "*", `"Condition":{"ForAnyValue:ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/${aws:PrincipalTag/x}"},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::1"]},"DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"},"NumericLessThan":{"s3:max-keys":10},"Null":{"x:y":true}}`),
	} {
		fuzzseed.Add(f, s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range allTypes {
			p, err := policy.ParseWithOptions([]byte(s), policy.Options{Type: typ})
			if err != nil {
				var perr *policy.Error
				if !errors.As(err, &perr) || perr.Message == "" {
					t.Fatalf("error %v is not a *policy.Error", err)
				}
				continue
			}
			if len(p.Statements) == 0 {
				t.Fatal("a valid policy without statements")
			}
			for _, st := range p.Statements {
				if st.Effect != policy.Allow && st.Effect != policy.Deny {
					t.Fatalf("effect %v", st.Effect)
				}
			}
			// Whatever parses must evaluate.
			ctx := policy.NewContext(map[string]string{"aws:username": "alice", "aws:SourceIp": "10.0.0.1", "aws:CurrentTime": "2024-01-01T00:00:00Z"})
			ctx.SetMulti("aws:TagKeys", "a", "b")
			req := &policy.Request{Principal: policy.Principal{Type: policy.PrincipalAssumedRole, ARN: sessA, Account: acctA, RoleARN: roleA},
				Action: "s3:GetObject", Resource: objA, Context: ctx}
			np := policy.NamedPolicy{ID: "p", Policy: p}
			policy.Evaluate(req, &policy.Inputs{Identity: []policy.NamedPolicy{np}, Resource: &np, Boundary: []policy.NamedPolicy{np},
				SCPs: [][]policy.NamedPolicy{{np}}, RCPs: [][]policy.NamedPolicy{{np}}})
		}
	})
}

// globRegexp is the reference for wildcard matching: '*' is any run of
// characters, '?' one character.
func globRegexp(pattern string, fold bool) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)`)
	if fold {
		b.WriteString(`(?i)`)
	}
	b.WriteString(`\A`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func FuzzEvaluate(f *testing.F) {
	fuzzseed.Require(f)
	fuzzseed.Add(f, "a*b?c", "axxbyc", "s3:Get*", "s3:GetObject", "arn:aws:s3:::b/*", "arn:aws:s3:::b/k")
	fuzzseed.Add(f, "*", "", "*", "x", "*", "*")
	fuzzseed.Add(f, "${aws:username}/*", "alice/x", "iam:*AccessKey*", "iam:CreateAccessKey", "arn:aws:s3:::${aws:username}", "arn:aws:s3:::alice")
	fuzzseed.Add(f, "??*", "é", "s3:?et*", "S3:GETOBJECT", "arn:aws:s3:::*/k", "arn:aws:s3:::a/b/k")
	fuzzseed.Add(f, "a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", "a*", "a:b", "arn:*:*", "arn:aws")
	f.Fuzz(func(t *testing.T, like, value, actionPat, action, resourcePat, resource string) {
		q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		ctx := policy.NewContext(map[string]string{"svc:k": value, "aws:username": "alice"})
		user := policy.Principal{Type: policy.PrincipalUser, ARN: userA, Account: acctA}

		// StringLike, without policy variables, against the reference.
		d := `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"svc:k":` + q(like) + `}}}}`
		if p, err := policy.Parse([]byte(d)); err == nil && utf8.ValidString(like) && utf8.ValidString(value) {
			got := policy.Evaluate(&policy.Request{Principal: user, Action: "s3:GetObject", Context: ctx}, &policy.Inputs{Identity: []policy.NamedPolicy{{ID: "p", Policy: p}}})
			if want := globRegexp(like, false).MatchString(value); got.Allowed != want {
				t.Fatalf("StringLike %q on %q: allowed = %v, want %v", like, value, got.Allowed, want)
			}
		}

		// Action and Resource patterns, without policy variables.
		d = `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":` + q(actionPat) + `,"Resource":` + q(resourcePat) + `}}`
		if p, err := policy.Parse([]byte(d)); err == nil && isASCII(actionPat) && isASCII(action) && utf8.ValidString(resourcePat) && utf8.ValidString(resource) {
			got := policy.Evaluate(&policy.Request{Principal: user, Action: action, Resource: resource, Context: ctx}, &policy.Inputs{Identity: []policy.NamedPolicy{{ID: "p", Policy: p}}})
			r := resource
			if r == "" {
				r = "*"
			}
			want := globRegexp(actionPat, true).MatchString(action) && globRegexp(resourcePat, false).MatchString(r)
			if got.Allowed != want {
				t.Fatalf("Action %q on %q, Resource %q on %q: allowed = %v, want %v", actionPat, action, resourcePat, r, got.Allowed, want)
			}
		}

		// With policy variables and every operator: no panics, and the
		// same answer twice.
		for _, op := range []string{"StringEquals", "StringLike", "StringNotEqualsIgnoreCase", "ArnLike", "ArnNotEquals", "NumericLessThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "Null", "ForAllValues:StringLike", "ForAnyValue:ArnEquals"} {
			d = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":` + q(actionPat) + `,"Resource":` + q(resourcePat) +
				`,"Condition":{` + q(op) + `:{"svc:k":` + q(like) + `}}},{"Effect":"Deny","Principal":"*","NotAction":"iam:*","Resource":"*","Condition":{"StringLikeIfExists":{"svc:k":` + q(value) + `}}}]}`
			for _, typ := range []policy.PolicyType{policy.IdentityBased, policy.ResourceBased} {
				p, err := policy.ParseWithOptions([]byte(d), policy.Options{Type: typ})
				if err != nil {
					continue
				}
				np := policy.NamedPolicy{ID: "p", Policy: p}
				in := &policy.Inputs{Identity: []policy.NamedPolicy{np}}
				if typ == policy.ResourceBased {
					in = &policy.Inputs{Resource: &np}
				}
				req := &policy.Request{Principal: user, Action: action, Resource: resource, Context: ctx}
				a, b := policy.Evaluate(req, in), policy.Evaluate(req, in)
				if a.Kind != b.Kind || a.Allowed != (a.Kind == policy.Allowed) {
					t.Fatalf("unstable or inconsistent decision: %+v, %+v", a, b)
				}
			}
		}
	})
}
