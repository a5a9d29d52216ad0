package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const accountsYAML = `
accounts:
  - name: data-science
    id: "111111111111"
  - name: platform
    id: "222222222222"
`

func TestGetCallerIdentityPerProfile(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	for profile, account := range map[string]string{
		"default": "000000000000", "management": "000000000000",
		"data-science": "111111111111", "platform": "222222222222",
	} {
		out, err := sts.NewFromConfig(c.config(profile)).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatalf("%s: GetCallerIdentity: %v", profile, err)
		}
		if aws.ToString(out.Account) != account || aws.ToString(out.Arn) != "arn:aws:iam::"+account+":root" || aws.ToString(out.UserId) != account {
			t.Errorf("%s: got account %s arn %s user %s", profile, aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId))
		}
	}
}
