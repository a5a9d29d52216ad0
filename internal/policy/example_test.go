package policy_test

import (
	"fmt"

	"github.com/cairnhq/cairn/internal/policy"
)

func Example() {
	// Parse once, when a policy is stored; evaluate on every request.
	identity, err := policy.Parse([]byte(`{
		"Version": "2012-10-17",
		"Statement": [{
			"Sid": "OwnPrefix",
			"Effect": "Allow",
			"Action": "s3:GetObject",
			"Resource": "arn:aws:s3:::data/${aws:username}/*",
			"Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
		}]
	}`))
	if err != nil {
		panic(err)
	}
	scp, err := policy.ParseWithOptions([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`),
		policy.Options{Type: policy.ServiceControlPolicy})
	if err != nil {
		panic(err)
	}

	principal, _ := policy.ParsePrincipal("arn:aws:iam::111122223333:user/alice")
	ctx := policy.NewContext(map[string]string{
		"aws:SourceIp":    "10.1.2.3",
		"aws:CurrentTime": "2025-01-01T00:00:00Z",
	})
	ctx.AddPrincipalKeys(principal) // aws:username, aws:PrincipalArn, ...

	in := &policy.Inputs{
		Identity: []policy.NamedPolicy{{ID: "arn:aws:iam::111122223333:policy/data", Policy: identity}},
		SCPs:     [][]policy.NamedPolicy{{{ID: "p-FullAWSAccess", Policy: scp}}},
	}
	for _, key := range []string{"alice/report.csv", "bob/report.csv"} {
		req := &policy.Request{
			Principal: principal,
			Action:    "s3:GetObject",
			Resource:  "arn:aws:s3:::data/" + key,
			Context:   ctx,
		}
		d := policy.Evaluate(req, in)
		if d.Allowed {
			m := d.Matched()
			fmt.Println("allowed by", m[len(m)-1].PolicyID, m[len(m)-1].Statement.Sid)
		} else {
			fmt.Println(d.Message(req.Action, req.Resource, principal.ARN))
		}
	}

	_, err = policy.Parse([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Alow","Action":"s3:*","Resource":"*"}}`))
	fmt.Println(err)
	// Output:
	// allowed by arn:aws:iam::111122223333:policy/data OwnPrefix
	// User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::data/bob/report.csv because no identity-based policy allows the s3:GetObject action
	// Invalid effect: Alow
}
