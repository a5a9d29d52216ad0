package ram

import "testing"

func TestParsePrincipal(t *testing.T) {
	cases := []struct {
		in      string
		id      string
		kind    string
		account string
		code    string // the error's code, "" for none
	}{
		{"222222222222", "222222222222", kindAccount, "222222222222", ""},
		{"arn:aws:organizations::000000000000:organization/o-abcdefghij", "arn:aws:organizations::000000000000:organization/o-abcdefghij", kindOrganization, "", ""},
		{"organizations::000000000000:organization/o-abcdefghij", "arn:aws:organizations::000000000000:organization/o-abcdefghij", kindOrganization, "", ""},
		{"arn:aws:organizations::000000000000:ou/o-abcdefghij/ou-ab12-abcdefgh", "arn:aws:organizations::000000000000:ou/o-abcdefghij/ou-ab12-abcdefgh", kindOU, "", ""},
		{"arn:aws:iam::222222222222:role/team/pipeline-reader", "arn:aws:iam::222222222222:role/team/pipeline-reader", kindRole, "222222222222", ""},
		{"iam::222222222222:user/alice", "arn:aws:iam::222222222222:user/alice", kindUser, "222222222222", ""},
		{"sagemaker.amazonaws.com", "sagemaker.amazonaws.com", kindService, "", ""},
		{"arn:aws:iam::222222222222:root", "", "", "", "InvalidParameterException"},
		{"2222", "", "", "", "InvalidParameterException"},
		{"alice", "", "", "", "InvalidParameterException"},
		{"arn:aws:s3:::bucket", "", "", "", "InvalidParameterException"},
		{"arn:aws:iam::222222222222:group/admins", "", "", "", "MalformedArnException"},
		{"arn:aws:iam::2222:role/r", "", "", "", "MalformedArnException"},
		{"arn:aws:organizations::000000000000:ou/o-abcdefghij", "", "", "", "MalformedArnException"},
		{"arn:aws:organizations::000000000000:organization/abc", "", "", "", "MalformedArnException"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			p, err := parsePrincipal(tc.in)
			if tc.code != "" {
				if err == nil || err.Code != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != tc.id || p.Kind != tc.kind || p.Account != tc.account {
				t.Errorf("got %+v, want id %s kind %s account %s", p, tc.id, tc.kind, tc.account)
			}
		})
	}
}
