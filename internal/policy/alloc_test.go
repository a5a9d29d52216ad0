package policy_test

import (
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

// TestEvaluateDoesNotAllocate guards the zero-allocation promise of
// Evaluate and Context.Lookup, variables and every kind of operator
// included.
func TestEvaluateDoesNotAllocate(t *testing.T) {
	id := mustParse(t, policy.IdentityBased, doc(
		st("Allow", "s3:Get*|s3:List*", "arn:aws:s3:::home/${aws:username}/*", `"Condition":{
			"StringLike":{"aws:PrincipalTag/Team":"m*","s3:prefix":"home/${aws:username}/*"},
			"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"x-${aws:username, 'anon'}"},
			"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]},
			"NumericLessThanEquals":{"s3:max-keys":"100"},
			"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},
			"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},
			"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/${aws:username}"},
			"Bool":{"aws:SecureTransport":"true"},
			"Null":{"aws:TokenIssueTime":"true"}}`),
		st("Deny", "s3:*", "arn:aws:s3:::secret/*")))
	res := mustParse(t, policy.ResourceBased, doc(rst("Allow", aws(acctA+"|"+userA), "s3:*", "*")))
	scp := mustParse(t, policy.ServiceControlPolicy, allowAll)
	ctx := policy.NewContext(map[string]string{
		"aws:username": "alice", "aws:PrincipalTag/team": "x-ALICE", "s3:prefix": "home/alice/docs/",
		"s3:max-keys": "50", "aws:CurrentTime": "2026-01-01T00:00:00Z", "aws:SourceIp": "10.9.8.7",
		"aws:SecureTransport": "true",
	})
	ctx.SetMulti("aws:TagKeys", "b", "c")
	p := mustPrincipal(t, userA)
	ctx.AddPrincipalKeys(p)
	req := &policy.Request{Principal: p, Action: "s3:GetObject", Resource: "arn:aws:s3:::home/alice/docs/a.txt", Context: ctx}
	in := &policy.Inputs{
		Identity: []policy.NamedPolicy{{ID: "id", Policy: id}},
		Resource: &policy.NamedPolicy{ID: "res", Policy: res},
		Boundary: []policy.NamedPolicy{{ID: "b", Policy: id}},
		SCPs:     [][]policy.NamedPolicy{{{ID: "scp", Policy: scp}}, {{ID: "scp", Policy: scp}}},
	}
	if d := policy.Evaluate(req, in); !d.Allowed {
		t.Fatalf("decision = %s", outcome(d))
	}
	if n := testing.AllocsPerRun(100, func() { policy.Evaluate(req, in) }); n != 0 {
		t.Errorf("Evaluate allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { ctx.Lookup("AWS:PrincipalTag/Team") }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
	// The same through an overlay, as a request reads a principal's cached keys.
	over := ctx.Overlay()
	over.Set("kms:EncryptionContext:aws:sagemaker:pipeline-execution-arn", "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/e")
	over.Delete("s3:max-keys")
	over.Set("s3:max-keys", "50")
	req.Context = over
	if d := policy.Evaluate(req, in); !d.Allowed {
		t.Fatalf("decision through an overlay = %s", outcome(d))
	}
	if n := testing.AllocsPerRun(100, func() { policy.Evaluate(req, in) }); n != 0 {
		t.Errorf("Evaluate through an overlay allocates %v times", n)
	}
	for _, key := range []string{"AWS:PrincipalTag/Team", "KMS:EncryptionContext:aws:sagemaker:pipeline-execution-arn", "s3:Max-Keys", "aws:absent"} {
		if n := testing.AllocsPerRun(100, func() { over.Lookup(key) }); n != 0 {
			t.Errorf("overlay Lookup(%s) allocates %v times", key, n)
		}
	}
}
