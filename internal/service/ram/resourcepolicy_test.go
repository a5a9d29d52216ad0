package ram

import (
	"encoding/json"
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

func TestRenderPolicy(t *testing.T) {
	pipeline := "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p"
	covers := []string{pipeline, pipeline + "/execution/*"}
	read := []string{"sagemaker:DescribePipeline"}
	cases := []struct {
		name   string
		grants []grant
		want   string // the document, "" for none
	}{
		{"nobody", []grant{{Share: "s1", Actions: read}}, ""},
		{"accepted account", []grant{{Share: "s1", Actions: read, Direct: []string{"222222222222"}}},
			`{"Version":"2012-10-17","Statement":[{"Sid":"RamStatement1","Effect":"Allow","Principal":{"AWS":"222222222222"},` +
				`"Action":["sagemaker:DescribePipeline"],"Resource":["` + pipeline + `","` + pipeline + `/execution/*"]}]}`},
		{"principals sorted", []grant{{Share: "s1", Actions: read, Direct: []string{"333333333333", "arn:aws:iam::222222222222:role/r"}}},
			`{"Version":"2012-10-17","Statement":[{"Sid":"RamStatement1","Effect":"Allow","Principal":{"AWS":["333333333333","arn:aws:iam::222222222222:role/r"]},` +
				`"Action":["sagemaker:DescribePipeline"],"Resource":["` + pipeline + `","` + pipeline + `/execution/*"]}]}`},
		{"member bound to the organization", []grant{{Share: "s1", Actions: read, Members: []string{"222222222222"}, OrgID: "o-abcdefghij"}},
			`{"Version":"2012-10-17","Statement":[{"Sid":"RamStatement1","Effect":"Allow","Principal":{"AWS":"222222222222"},` +
				`"Action":["sagemaker:DescribePipeline"],"Resource":["` + pipeline + `","` + pipeline + `/execution/*"],` +
				`"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}]}`},
		{"organization and OUs", []grant{{Share: "s1", Actions: read, Organization: true, OrgID: "o-abcdefghij",
			OUPaths: []string{"o-abcdefghij/r-ab12/ou-ab12-11111111/"}}},
			`{"Version":"2012-10-17","Statement":[{"Sid":"RamStatement1","Effect":"Allow","Principal":{"AWS":"*"},` +
				`"Action":["sagemaker:DescribePipeline"],"Resource":["` + pipeline + `","` + pipeline + `/execution/*"],` +
				`"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}},` +
				`{"Sid":"RamStatement2","Effect":"Allow","Principal":{"AWS":"*"},` +
				`"Action":["sagemaker:DescribePipeline"],"Resource":["` + pipeline + `","` + pipeline + `/execution/*"],` +
				`"Condition":{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-abcdefghij/r-ab12/ou-ab12-11111111/*"}}}]}`},
		{"template conditions kept", []grant{{Share: "s1", Actions: read, Direct: []string{"222222222222"},
			Condition: map[string]map[string]json.RawMessage{"Bool": {"aws:SecureTransport": json.RawMessage(`"true"`)}}}},
			`{"Version":"2012-10-17","Statement":[{"Sid":"RamStatement1","Effect":"Allow","Principal":{"AWS":"222222222222"},` +
				`"Action":["sagemaker:DescribePipeline"],"Resource":["` + pipeline + `","` + pipeline + `/execution/*"],` +
				`"Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`},
		{"union of shares, in share order", []grant{
			{Share: "s2", Actions: []string{"sagemaker:StartPipelineExecution"}, Direct: []string{"333333333333"}},
			{Share: "s1", Actions: read, Direct: []string{"222222222222"}},
			{Share: "s3", Actions: nil, Direct: []string{"444444444444"}}},
			`{"Version":"2012-10-17","Statement":[{"Sid":"RamStatement1","Effect":"Allow","Principal":{"AWS":"222222222222"},` +
				`"Action":["sagemaker:DescribePipeline"],"Resource":["` + pipeline + `","` + pipeline + `/execution/*"]},` +
				`{"Sid":"RamStatement2","Effect":"Allow","Principal":{"AWS":"333333333333"},` +
				`"Action":["sagemaker:StartPipelineExecution"],"Resource":["` + pipeline + `","` + pipeline + `/execution/*"]}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := string(renderPolicy(covers, tc.grants))
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			if got == "" {
				return
			}
			if _, err := policy.ParseWithOptions([]byte(got), policy.Options{Type: policy.ResourceBased}); err != nil {
				t.Errorf("the policy engine refuses it: %v", err)
			}
		})
	}
}

// A grant to a member that needed no invitation holds only while the caller is in the
// organization: the condition is evaluated per request, so leaving the organization
// takes it away with no rewrite of the policy.
func TestMemberGrantNeedsTheOrganization(t *testing.T) {
	pipeline := "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p"
	doc := renderPolicy([]string{pipeline, pipeline + "/execution/*"}, []grant{{Share: "s", Actions: []string{"sagemaker:DescribePipelineExecution"},
		Members: []string{"222222222222"}, OUPaths: []string{"o-abcdefghij/r-ab12/ou-ab12-11111111/"}, OrgID: "o-abcdefghij"}})
	p, err := policy.ParseWithOptions(doc, policy.Options{Type: policy.ResourceBased})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		account string
		orgID   string
		path    string
		allowed bool
	}{
		{"member", "222222222222", "o-abcdefghij", "o-abcdefghij/r-ab12/", true},
		{"member that left", "222222222222", "", "", false},
		{"member of another organization", "222222222222", "o-zzzzzzzzzz", "o-zzzzzzzzzz/r-zz99/", false},
		{"account under the OU", "333333333333", "o-abcdefghij", "o-abcdefghij/r-ab12/ou-ab12-11111111/ou-ab12-22222222/", true},
		{"account moved out of the OU", "333333333333", "o-abcdefghij", "o-abcdefghij/r-ab12/", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			principal := policy.Principal{Type: policy.PrincipalRoot, ARN: "arn:aws:iam::" + tc.account + ":root", Account: tc.account}
			ctx := policy.NewContext(nil)
			ctx.AddPrincipalKeys(principal)
			if tc.orgID != "" {
				ctx.Set("aws:PrincipalOrgID", tc.orgID)
				ctx.SetMulti("aws:PrincipalOrgPaths", tc.path)
			}
			req := policy.Request{Principal: principal, Action: "sagemaker:DescribePipelineExecution",
				Resource: pipeline + "/execution/abc123", ResourceAccount: "111111111111", Context: ctx}
			d := policy.Evaluate(&req, &policy.Inputs{Resource: &policy.NamedPolicy{ID: pipeline, Policy: p}})
			if d.Allowed != tc.allowed {
				t.Errorf("allowed %v, want %v", d.Allowed, tc.allowed)
			}
		})
	}
}
