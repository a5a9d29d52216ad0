package arn_test

import (
	"testing"

	"github.com/cairnhq/cairn/internal/arn"
)

func TestKinds(t *testing.T) {
	for got, want := range map[string]string{
		arn.Root("111111111111"):                               "arn:aws:iam::111111111111:root",
		arn.User("111111111111", "/", "alice"):                 "arn:aws:iam::111111111111:user/alice",
		arn.Role("111111111111", "/svc/", "exec"):              "arn:aws:iam::111111111111:role/svc/exec",
		arn.Group("111111111111", "/", "g"):                    "arn:aws:iam::111111111111:group/g",
		arn.Policy(arn.AWSAccount, "/", "AdministratorAccess"): "arn:aws:iam::aws:policy/AdministratorAccess",
		arn.AssumedRole("111111111111", "r", "s"):              "arn:aws:sts::111111111111:assumed-role/r/s",
		arn.Bucket("b"):                                         "arn:aws:s3:::b",
		arn.Object("b", "k/x"):                                  "arn:aws:s3:::b/k/x",
		arn.Organization("000000000000", "o-1"):                 "arn:aws:organizations::000000000000:organization/o-1",
		arn.OrganizationAccount("000000000000", "o-1", "1"):     "arn:aws:organizations::000000000000:account/o-1/1",
		arn.OrganizationRoot("000000000000", "o-1", "r-1"):      "arn:aws:organizations::000000000000:root/o-1/r-1",
		arn.OrganizationalUnit("000000000000", "o-1", "ou-1"):   "arn:aws:organizations::000000000000:ou/o-1/ou-1",
		arn.OrganizationPolicy("000000000000", "o-1", "s", "p"): "arn:aws:organizations::000000000000:policy/o-1/s/p",
		arn.OrganizationPolicy(arn.AWSAccount, "", "s", "p-1"):  "arn:aws:organizations::aws:policy/s/p-1",
		arn.SageMaker("us-east-1", "1", "pipeline", "My-Pipe"):  "arn:aws:sagemaker:us-east-1:1:pipeline/my-pipe",
		arn.SageMakerAsGiven("us-east-1", "1", "pipeline", "P"): "arn:aws:sagemaker:us-east-1:1:pipeline/P",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

func TestParse(t *testing.T) {
	a, err := arn.Parse("arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/x")
	if err != nil {
		t.Fatal(err)
	}
	typ, name, ok := a.TypeAndName()
	if a.Account != "111111111111" || typ != "pipeline" || name != "p/execution/x" || !ok {
		t.Errorf("%+v → %s %s %v", a, typ, name, ok)
	}
	for _, bad := range []string{"", "arn:aws", "arn::s3:::b", "xrn:aws:s3:::b"} {
		if _, err := arn.Parse(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if arn.Account("nope") != "" || !arn.IsAccountID("123456789012") || arn.IsAccountID("12345678901a") {
		t.Error("Account/IsAccountID")
	}
}
