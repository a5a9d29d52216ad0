package policy_test

import (
	"errors"
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

func TestParseValidation(t *testing.T) {
	const (
		id    = policy.IdentityBased
		res   = policy.ResourceBased
		trust = policy.TrustPolicy
		scp   = policy.ServiceControlPolicy
		rcp   = policy.ResourceControlPolicy
		bnd   = policy.PermissionsBoundary
		sess  = policy.SessionPolicy
	)
	tests := []struct {
		name    string
		typ     policy.PolicyType
		doc     string
		wantErr string // "" = valid
	}{
		// Valid documents.
		{"minimal", id, allowAll, ""},
		{"statement object", id, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`, ""},
		{"no version", id, `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`, ""},
		{"version 2008", id, `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`, ""},
		{"lists", id, doc(st("Allow", "s3:GetObject|s3:PutObject", "arn:aws:s3:::b/*|arn:aws:s3:::c/*")), ""},
		{"not action not resource", id, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:iam::*:*"}}`, ""},
		{"id and sid", id, `{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"Abc123","Effect":"Allow","Action":"*","Resource":"*"}}`, ""},
		{"condition scalar types", id, allowDoc("s3:*", "*", `"Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true}}`), ""},
		{"condition set operators", id, allowDoc("s3:*", "*", `"Condition":{"ForAllValues:StringLike":{"aws:TagKeys":["a*"]},"ForAnyValue:StringEqualsIfExists":{"aws:CalledVia":"x"}}`), ""},
		{"arn wildcard resource", id, allowDoc("s3:*", "arn:aws:s3:::*"), ""},
		{"arn star", id, allowDoc("s3:*", "arn:*"), ""},
		{"action wildcard vendor", id, allowDoc("s3*:Get*", "*"), ""},
		{"boundary", bnd, allowAll, ""},
		{"session", sess, allowAll, ""},
		{"resource policy", res, doc(rst("Allow", aws(userA), "s3:GetObject", objA)), ""},
		{"resource policy star", res, doc(rst("Allow", `"*"`, "s3:GetObject", objA)), ""},
		{"resource policy service", res, doc(rst("Allow", `{"Service":"sagemaker.amazonaws.com"}`, "s3:GetObject", objA)), ""},
		{"resource policy account id", res, doc(rst("Allow", aws(acctB), "s3:GetObject", objA)), ""},
		{"resource policy NotPrincipal allow", res, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"` + userA + `"},"Action":"s3:*","Resource":"*"}}`, ""},
		{"resource policy NotPrincipal deny", res, doc(`{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:*","Resource":"*"}`), ""},
		{"resource policy sid with spaces", res, `{"Version":"2012-10-17","Statement":{"Sid":"Allow read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`, ""},
		{"trust", trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}}`, ""},
		{"trust federated", trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/example.com"},"Action":"sts:AssumeRoleWithWebIdentity"}}`, ""},
		{"trust unique id", trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"AROAEXAMPLEEXAMPLE01"},"Action":"sts:AssumeRole"}}`, ""},
		{"scp full access", scp, allowAll, ""},
		{"scp without resource", scp, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*"}}`, ""},
		{"scp allow with condition", scp, allowDoc("s3:*", "*", `"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`), ""},
		{"rcp full access", rcp, rcpFull, ""},
		{"rcp deny", rcp, doc(rst("Deny", `"*"`, "s3:*", "*", `"Condition":{"Bool":{"aws:SecureTransport":"false"}}`)), ""},
		{"rcp AWS star", rcp, doc(rst("Deny", aws("*"), "s3:*", "*")), ""},
		{"duplicate keys last wins", id, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}}`, ""},

		// Malformed documents.
		{"not json", id, `{"Version":`, "Syntax errors in policy."},
		{"trailing data", id, allowAll + "x", "Syntax errors in policy."},
		{"array document", id, `[]`, "Syntax errors in policy."},
		{"empty object", id, `{}`, "Missing required field Statement"},
		{"empty statement list", id, `{"Version":"2012-10-17","Statement":[]}`, "Syntax errors in policy."},
		{"statement string", id, `{"Version":"2012-10-17","Statement":"x"}`, "Syntax errors in policy."},
		{"statement element string", id, `{"Version":"2012-10-17","Statement":["x"]}`, "Syntax errors in policy."},
		{"unknown top field", id, `{"Version":"2012-10-17","Foo":1,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "Unknown field Foo"},
		{"unknown statement field", id, doc(st("Allow", "*", "*", `"Foo":"bar"`)), "Unknown field Foo"},
		{"lowercase field", id, `{"Version":"2012-10-17","Statement":{"effect":"Allow","Action":"*","Resource":"*"}}`, "Unknown field effect"},
		{"bad version", id, `{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "The policy failed legacy parsing"},
		{"version number", id, `{"Version":2012,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "Syntax errors in policy."},
		{"id number", id, `{"Version":"2012-10-17","Id":1,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "Syntax errors in policy."},
		{"missing effect", id, `{"Version":"2012-10-17","Statement":{"Action":"*","Resource":"*"}}`, "Missing required field Effect"},
		{"bad effect", id, doc(st("Alow", "*", "*")), "Invalid effect: Alow"},
		{"lowercase effect", id, doc(st("allow", "*", "*")), "Invalid effect: allow"},
		{"effect number", id, `{"Version":"2012-10-17","Statement":{"Effect":1,"Action":"*","Resource":"*"}}`, "Syntax errors in policy."},
		{"missing action", id, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}`, "Statement is missing required field Action or NotAction"},
		{"empty action list", id, doc(st("Allow", "[]", "*")), "Policy statement must contain actions."},
		{"action number", id, doc(st("Allow", "[1]", "*")), "Syntax errors in policy."},
		{"action object", id, doc(st("Allow", `{"a":1}`, "*")), "Syntax errors in policy."},
		{"action without vendor", id, doc(st("Allow", "GetObject", "*")), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"action empty vendor", id, doc(st("Allow", ":GetObject", "*")), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"action empty name", id, doc(st("Allow", "s3:", "*")), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"action and not action", id, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","NotAction":"iam:*","Resource":"*"}}`, "Statement can not contain both Action and NotAction"},
		{"missing resource", id, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*"}}`, "Policy statement must contain resources."},
		{"empty resource list", id, doc(st("Allow", "*", "[]")), "Policy statement must contain resources."},
		{"resource and not resource", id, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}`, "Statement can not contain both Resource and NotResource"},
		{"resource not arn", id, doc(st("Allow", "s3:*", "bucket/key")), `Resource bucket/key must be in ARN format or "*".`},
		{"resource short arn", id, doc(st("Allow", "s3:*", "arn:aws:s3")), `Resource arn:aws:s3 must be in ARN format or "*".`},
		{"resource bare arn prefix", id, doc(st("Allow", "s3:*", "arn:")), `Resource arn: must be in ARN format or "*".`},
		{"identity principal", id, doc(rst("Allow", `"*"`, "*", "*")), "Policy document should not specify a principal."},
		{"identity not principal", id, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":"*","Action":"*","Resource":"*"}}`, "Policy document should not specify a principal."},
		{"boundary principal", bnd, doc(rst("Allow", `"*"`, "*", "*")), "Policy document should not specify a principal."},
		{"session principal", sess, doc(rst("Allow", `"*"`, "*", "*")), "Policy document should not specify a principal."},
		{"scp principal", scp, doc(rst("Allow", `"*"`, "*", "*")), "Policy document should not specify a principal."},
		{"sid not alphanumeric", id, `{"Version":"2012-10-17","Statement":{"Sid":"my-sid","Effect":"Allow","Action":"*","Resource":"*"}}`, "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},
		{"duplicate sid", id, doc(`{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"}`, `{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}`), "Statement IDs (SID) in a single policy must be unique."},
		{"sid number", id, `{"Version":"2012-10-17","Statement":{"Sid":1,"Effect":"Allow","Action":"*","Resource":"*"}}`, "Syntax errors in policy."},
		{"unknown operator", id, allowDoc("*", "*", `"Condition":{"StringEqualz":{"aws:username":"a"}}`), "Invalid Condition type : StringEqualz"},
		{"null if exists", id, allowDoc("*", "*", `"Condition":{"NullIfExists":{"aws:username":"true"}}`), "Invalid Condition type : NullIfExists"},
		{"bad set prefix", id, allowDoc("*", "*", `"Condition":{"ForSomeValues:StringEquals":{"aws:TagKeys":"a"}}`), "Invalid Condition type : ForSomeValues:StringEquals"},
		{"condition key without vendor", id, allowDoc("*", "*", `"Condition":{"StringEquals":{"username":"a"}}`), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"condition not object", id, allowDoc("*", "*", `"Condition":"x"`), "Syntax errors in policy."},
		{"condition operator value not object", id, allowDoc("*", "*", `"Condition":{"StringEquals":"x"}`), "Syntax errors in policy."},
		{"condition value object", id, allowDoc("*", "*", `"Condition":{"StringEquals":{"aws:username":{"a":1}}}`), "Syntax errors in policy."},
		{"condition value null", id, allowDoc("*", "*", `"Condition":{"StringEquals":{"aws:username":null}}`), "Syntax errors in policy."},
		{"resource policy no principal", res, allowDoc("s3:*", "*"), "Missing required field Principal"},
		{"resource policy both principals", res, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","NotPrincipal":"*","Action":"s3:*","Resource":"*"}}`, "Statement can not contain both Principal and NotPrincipal"},
		{"resource policy no resource", res, doc(`{"Effect":"Allow","Principal":"*","Action":"s3:*"}`), "Policy statement must contain resources."},
		{"principal bare string", res, doc(rst("Allow", `"`+userA+`"`, "s3:*", "*")), `Invalid principal in policy: "` + userA + `"`},
		{"principal bad arn", res, doc(rst("Allow", aws("arn:aws:s3:::bucket"), "s3:*", "*")), `Invalid principal in policy: "AWS":"arn:aws:s3:::bucket"`},
		{"principal wildcard arn", res, doc(rst("Allow", aws("arn:aws:iam::111111111111:user/*"), "s3:*", "*")), `Invalid principal in policy: "AWS":"arn:aws:iam::111111111111:user/*"`},
		{"principal short account", res, doc(rst("Allow", aws("12345"), "s3:*", "*")), `Invalid principal in policy: "AWS":"12345"`},
		{"principal unknown type", res, doc(rst("Allow", `{"Foo":"x"}`, "s3:*", "*")), `Invalid principal in policy: "Foo":"x"`},
		{"principal group", res, doc(rst("Allow", aws("arn:aws:iam::111111111111:group/g"), "s3:*", "*")), `Invalid principal in policy: "AWS":"arn:aws:iam::111111111111:group/g"`},
		{"principal empty list", res, doc(rst("Allow", `{"AWS":[]}`, "s3:*", "*")), `Invalid principal in policy: "AWS":[]`},
		{"principal empty object", res, doc(rst("Allow", `{}`, "s3:*", "*")), "Syntax errors in policy."},
		{"principal number", res, doc(rst("Allow", `{"AWS":1}`, "s3:*", "*")), "Syntax errors in policy."},
		{"trust resource", trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}`, "Has prohibited field Resource"},
		{"trust not principal", trust, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}}`, "Has prohibited field NotPrincipal"},
		{"trust no principal", trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, "Missing required field Principal"},
		{"rcp no version", rcp, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, "Missing required field Version"},
		{"rcp version 2008", rcp, `{"Version":"2008-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, "The policy failed legacy parsing"},
		{"rcp specific principal", rcp, doc(rst("Deny", aws(userA), "s3:*", "*")), `Invalid principal in policy: a resource control policy must use "Principal": "*"`},
		{"rcp not action", rcp, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","NotAction":"s3:*","Resource":"*"}}`, "Has prohibited field NotAction"},
		{"rcp not principal", rcp, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"` + userA + `"},"Action":"s3:*","Resource":"*"}}`, "Has prohibited field NotPrincipal"},
		{"rcp no principal", rcp, denyDoc("s3:*", "*"), "Missing required field Principal"},
		{"rcp custom allow", rcp, doc(rst("Allow", `"*"`, "s3:*", "*")), "Invalid effect: Allow (a resource control policy allows only in RCPFullAWSAccess)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.ParseWithOptions([]byte(tc.doc), policy.Options{Type: tc.typ})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseWithOptions(%s) = %v, want success", tc.doc, err)
				}
				if len(p.Statements) == 0 {
					t.Fatal("no statements")
				}
				return
			}
			var perr *policy.Error
			if !errors.As(err, &perr) {
				t.Fatalf("ParseWithOptions(%s) error = %v, want *policy.Error %q", tc.doc, err, tc.wantErr)
			}
			if perr.Message != tc.wantErr {
				t.Errorf("ParseWithOptions(%s)\n got %q\nwant %q", tc.doc, perr.Message, tc.wantErr)
			}
		})
	}
}

func TestParseDefaultsToIdentity(t *testing.T) {
	_, err := policy.Parse([]byte(doc(rst("Allow", `"*"`, "*", "*"))))
	if err == nil || err.Error() != "Policy document should not specify a principal." {
		t.Fatalf("Parse = %v", err)
	}
}

func TestParseErrorLocation(t *testing.T) {
	_, err := policy.Parse([]byte(doc(st("Allow", "*", "*"), st("Alow", "*", "*"))))
	var perr *policy.Error
	if !errors.As(err, &perr) {
		t.Fatalf("err = %v", err)
	}
	if perr.Statement != 1 || perr.Field != "Effect" {
		t.Errorf("Statement, Field = %d, %q; want 1, Effect", perr.Statement, perr.Field)
	}
}

func TestParseKeepsElements(t *testing.T) {
	p := mustParse(t, policy.ResourceBased, `{"Version":"2012-10-17","Id":"P1","Statement":[
		{"Sid":"One","Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::222222222222:role/r"],"Service":"sagemaker.amazonaws.com"},
		 "Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*"],
		 "Condition":{"StringEquals":{"aws:PrincipalTag/team":["ml","ds"]},"NumericLessThan":{"s3:max-keys":10}}},
		{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:*","NotResource":"*"}]}`)
	if p.Version != "2012-10-17" || p.ID != "P1" || len(p.Statements) != 2 {
		t.Fatalf("policy = %+v", p)
	}
	s := p.Statements[0]
	if s.Sid != "One" || s.Effect != policy.Allow || s.NotPrincipal || s.NotAction || s.NotResource {
		t.Errorf("statement 0 = %+v", s)
	}
	if got := s.Principal.AWS; len(got) != 2 || got[0] != "111111111111" {
		t.Errorf("AWS principals = %v", got)
	}
	if got := s.Principal.Service; len(got) != 1 || got[0] != "sagemaker.amazonaws.com" {
		t.Errorf("Service principals = %v", got)
	}
	if len(s.Conditions) != 2 || s.Conditions[0].Operator != "NumericLessThan" || s.Conditions[0].Values[0] != "10" ||
		s.Conditions[1].Key != "aws:PrincipalTag/team" || len(s.Conditions[1].Values) != 2 {
		t.Errorf("conditions = %+v", s.Conditions)
	}
	s = p.Statements[1]
	if s.Effect != policy.Deny || !s.NotPrincipal || !s.Principal.All || !s.NotAction || !s.NotResource {
		t.Errorf("statement 1 = %+v", s)
	}
}
