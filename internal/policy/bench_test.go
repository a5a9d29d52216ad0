package policy_test

import (
	"fmt"
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

// benchInputs builds a principal with 10 attached identity policies of 5
// statements each (50 in all), every statement with wildcard actions and
// resources and two conditions: StringEquals on aws:PrincipalTag/team and
// StringLike on aws:RequestedRegion. Only the last statement of the last
// policy allows the request; with deny, a Deny statement is appended to it.
func benchInputs(b *testing.B, deny bool) (*policy.Request, *policy.Inputs) {
	actions := []string{"s3:Get*", "s3:Put*", "ec2:Describe*", "iam:*", "sagemaker:Create*"}
	in := &policy.Inputs{}
	for p := 0; p < 10; p++ {
		stmts := ""
		for s := 0; s < 5; s++ {
			team := fmt.Sprintf("team-%d-%d", p, s)
			action := actions[s]
			resource := fmt.Sprintf("arn:aws:s3:::bucket-%d-*/*", p)
			if p == 9 && s == 4 {
				team, action, resource = "ml", "s3:Get*", "arn:aws:s3:::data-*/*"
			}
			if s > 0 {
				stmts += ","
			}
			stmts += fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":%q,"Resource":%q,
				"Condition":{"StringEquals":{"aws:PrincipalTag/team":%q},"StringLike":{"aws:RequestedRegion":"us-*"}}}`,
				s, action, resource, team)
		}
		if deny && p == 9 {
			stmts += `,{"Sid":"D","Effect":"Deny","Action":"s3:*Object","Resource":"arn:aws:s3:::data-*/secret/*",
				"Condition":{"StringNotEquals":{"aws:PrincipalTag/clearance":"high"},"StringLike":{"aws:RequestedRegion":"*"}}}`
		}
		pol, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[` + stmts + `]}`))
		if err != nil {
			b.Fatal(err)
		}
		in.Identity = append(in.Identity, policy.NamedPolicy{ID: fmt.Sprintf("p%d", p), Policy: pol})
	}
	ctx := &policy.Context{}
	ctx.Set("aws:PrincipalTag/team", "ml")
	ctx.Set("aws:RequestedRegion", "us-east-1")
	ctx.Set("aws:SourceIp", "10.1.2.3")
	ctx.Set("aws:SecureTransport", "true")
	p, _ := policy.ParsePrincipal("arn:aws:iam::111122223333:user/alice")
	ctx.AddPrincipalKeys(p)
	resource := "arn:aws:s3:::data-lake/train/part-0001.csv"
	if deny {
		resource = "arn:aws:s3:::data-lake/secret/part-0001.csv"
	}
	return &policy.Request{Principal: p, Action: "s3:GetObject", Resource: resource, Context: ctx}, in
}

func BenchmarkEvaluate(b *testing.B) {
	req, in := benchInputs(b, false)
	if d := policy.Evaluate(req, in); !d.Allowed {
		b.Fatalf("decision = %v, want Allowed", d.Kind)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		policy.Evaluate(req, in)
	}
}

func BenchmarkEvaluateDeny(b *testing.B) {
	req, in := benchInputs(b, true)
	if d := policy.Evaluate(req, in); d.Kind != policy.ExplicitlyDenied {
		b.Fatalf("decision = %v, want ExplicitlyDenied", d.Kind)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		policy.Evaluate(req, in)
	}
}

func BenchmarkParse(b *testing.B) {
	d := []byte(`{"Version":"2012-10-17","Statement":[
		{"Sid":"Read","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::data-*","arn:aws:s3:::data-*/${aws:username}/*"],
		 "Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"},"IpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}},
		{"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::data-*/secret/*"}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policy.Parse(d); err != nil {
			b.Fatal(err)
		}
	}
}
