package policy_test

import (
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

// Rules AWS applies whatever the policies say, each decided with the reason a
// denial message gives.
func TestEvaluateAWSRules(t *testing.T) {
	const (
		awsPolicy = "arn:aws:iam::aws:policy/AdministratorAccess"
		slr       = "arn:aws:iam::111111111111:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker"
		reserved  = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef"
		customer  = "arn:aws:iam::111111111111:policy/mine"
		noPerm    = "needs no permission"
		managed   = "because AWS managed policies cannot be changed"
		linked    = "because a service-linked role can be created, changed or deleted only by its service, and cannot be passed"
		aws       = "because roles under /aws-reserved/ are managed by AWS"
	)
	denyGCI := denyDoc("sts:GetCallerIdentity", "*")
	tests := []struct {
		evalCase
		reason string // a part of d.Reason
	}{
		{evalCase{name: "GetCallerIdentity with no policy", principal: userA, action: "sts:GetCallerIdentity", resource: "*", want: "Allowed/root"}, noPerm},
		{evalCase{name: "GetCallerIdentity denied by identity policy", principal: userA, action: "sts:GetCallerIdentity", resource: "*", identity: []string{denyGCI}, want: "Allowed/root"}, noPerm},
		{evalCase{name: "GetCallerIdentity denied by an SCP", principal: sessA, action: "sts:getcalleridentity", resource: "*", identity: []string{allowAll}, scps: [][]string{{denyGCI}}, want: "Allowed/root"}, noPerm},
		{evalCase{name: "GetCallerIdentity anonymous", principal: "*", action: "sts:GetCallerIdentity", resource: "*", want: "ImplicitlyDenied/resource"}, "because no resource-based policy"},

		{evalCase{name: "DeletePolicy of an AWS managed policy", principal: userA, action: "iam:DeletePolicy", resource: awsPolicy, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, managed},
		{evalCase{name: "CreatePolicyVersion of an AWS managed policy by root", principal: rootA, action: "iam:CreatePolicyVersion", resource: awsPolicy, want: "ImplicitlyDenied/root"}, managed},
		{evalCase{name: "SetDefaultPolicyVersion of an AWS managed policy", principal: userA, action: "iam:setdefaultpolicyversion", resource: awsPolicy, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, managed},
		{evalCase{name: "TagPolicy of an AWS managed policy", principal: userA, action: "iam:TagPolicy", resource: awsPolicy, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, managed},
		{evalCase{name: "explicit deny stays explicit", principal: userA, action: "iam:DeletePolicy", resource: awsPolicy, identity: []string{allowAll, denyDoc("iam:*", "*")}, want: "ExplicitlyDenied/identity"}, "with an explicit deny"},
		{evalCase{name: "GetPolicy of an AWS managed policy", principal: userA, action: "iam:GetPolicy", resource: awsPolicy, identity: []string{allowAll}, want: "Allowed/identity"}, "allowed by"},
		{evalCase{name: "DeletePolicy of a customer policy", principal: userA, action: "iam:DeletePolicy", resource: customer, identity: []string{allowAll}, want: "Allowed/identity"}, "allowed by"},

		{evalCase{name: "PassRole of a service-linked role", principal: userA, action: "iam:PassRole", resource: slr, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, linked},
		{evalCase{name: "boundary on a service-linked role", principal: userA, action: "iam:PutRolePermissionsBoundary", resource: slr, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, linked},
		{evalCase{name: "inline policy on a service-linked role", principal: rootA, action: "iam:PutRolePolicy", resource: slr, want: "ImplicitlyDenied/root"}, linked},
		{evalCase{name: "DeleteRole of a service-linked role", principal: userA, action: "iam:DeleteRole", resource: slr, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, linked},
		{evalCase{name: "CreateRole under /aws-service-role/", principal: userA, action: "iam:CreateRole", resource: slr, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, linked},
		{evalCase{name: "trust policy of a service-linked role", principal: userA, action: "iam:UpdateAssumeRolePolicy", resource: slr, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, linked},
		{evalCase{name: "CreateServiceLinkedRole", principal: userA, action: "iam:CreateServiceLinkedRole", resource: slr, identity: []string{allowAll}, want: "Allowed/identity"}, "allowed by"},
		{evalCase{name: "DeleteServiceLinkedRole", principal: userA, action: "iam:DeleteServiceLinkedRole", resource: slr, identity: []string{allowAll}, want: "Allowed/identity"}, "allowed by"},
		{evalCase{name: "description of a service-linked role", principal: userA, action: "iam:UpdateRoleDescription", resource: slr, identity: []string{allowAll}, want: "Allowed/identity"}, "allowed by"},
		{evalCase{name: "GetRole of a service-linked role", principal: userA, action: "iam:GetRole", resource: slr, identity: []string{allowAll}, want: "Allowed/identity"}, "allowed by"},
		{evalCase{name: "PassRole of an ordinary role", principal: userA, action: "iam:PassRole", resource: roleA, identity: []string{allowAll}, want: "Allowed/identity"}, "allowed by"},
		{evalCase{name: "AttachRolePolicy on a reserved role", principal: userA, action: "iam:AttachRolePolicy", resource: reserved, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, aws},
		{evalCase{name: "DeleteServiceLinkedRole on a reserved role", principal: userA, action: "iam:DeleteServiceLinkedRole", resource: reserved, identity: []string{allowAll}, want: "ImplicitlyDenied/root"}, aws},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, in := tc.build(t)
			d := policy.Evaluate(req, in)
			if got := outcome(d); got != tc.want {
				t.Errorf("decision = %s, want %s (%s)", got, tc.want, d.Reason(req.Action))
			}
			if d.Allowed != (d.Kind == policy.Allowed) {
				t.Errorf("Allowed = %v with Kind %v", d.Allowed, d.Kind)
			}
			if r := d.Reason(req.Action); !strings.Contains(r, tc.reason) {
				t.Errorf("reason %q, want it to hold %q", r, tc.reason)
			}
			if d.Kind != policy.Allowed && !strings.Contains(d.Message(req.Action, req.Resource, req.Principal.ARN), "is not authorized to perform: "+req.Action+" on resource: "+req.Resource+" "+tc.reason) {
				t.Errorf("message %q", d.Message(req.Action, req.Resource, req.Principal.ARN))
			}
		})
	}
}

// NotPrincipal with Allow grants everyone it does not name; a role principal is
// spared by a Deny's NotPrincipal naming it.
func TestEvaluateNotPrincipalAllow(t *testing.T) {
	notP := func(v string) string {
		return doc(`{"Effect":"Allow","NotPrincipal":` + v + `,"Action":"s3:GetObject","Resource":"*"}`)
	}
	denyNotP := func(v string) string {
		return doc(`{"Effect":"Deny","NotPrincipal":` + v + `,"Action":"s3:*","Resource":"*"}`)
	}
	runEvalCases(t, []evalCase{
		{name: "another user named", principal: userA, res: notP(aws(user2A)), want: "Allowed/resource"},
		{name: "several others named", principal: userA, res: notP(aws(user2A + "|" + userB)), want: "Allowed/resource"},
		{name: "the user named", principal: userA, res: notP(aws(userA)), want: "ImplicitlyDenied/identity"},
		{name: "the user among others", principal: userA, res: notP(aws(user2A + "|" + userA)), want: "ImplicitlyDenied/identity"},
		{name: "the account named", principal: userA, res: notP(aws(acctA)), want: "ImplicitlyDenied/identity"},
		{name: "the role of a session named", principal: sessA, res: notP(aws(roleA)), want: "ImplicitlyDenied/identity"},
		{name: "anonymous, a user named", principal: "*", res: notP(aws(userA)), want: "Allowed/resource"},
		{name: "anonymous, everyone named", principal: "*", res: notP(`"*"`), want: "ImplicitlyDenied/resource"},
		{name: "service not named", principal: svcSM, res: notP(`{"Service":"ec2.amazonaws.com"}`), want: "Allowed/resource"},
		{name: "service named", principal: svcSM, res: notP(`{"Service":"sagemaker.amazonaws.com"}`), want: "ImplicitlyDenied/resource"},
		{name: "other account, identity allows", principal: userB, resAcct: acctA, identity: []string{idS3}, res: notP(aws(userA)), want: "Allowed/resource"},
		{name: "other account, no identity policy", principal: userB, resAcct: acctA, res: notP(aws(userA)), want: "ImplicitlyDenied/identity"},
		{name: "a deny still applies", principal: userA, res: doc(`{"Effect":"Allow","NotPrincipal":`+aws(user2A)+`,"Action":"s3:GetObject","Resource":"*"}`, rst("Deny", aws(userA), "s3:*", "*")), want: "ExplicitlyDenied/resource"},
		{name: "a boundary does not make it deny", principal: userA, boundary: []string{idEC2}, res: notP(aws(user2A)), want: "Allowed/resource"},

		{name: "deny sparing the role principal it names", principal: roleA, identity: []string{idS3}, res: denyNotP(aws(roleA)), want: "Allowed/identity"},
		{name: "deny naming another role", principal: roleA, identity: []string{idS3}, res: denyNotP(aws("arn:aws:iam::111111111111:role/other")), want: "ExplicitlyDenied/resource"},
		{name: "deny naming the role, role with a boundary", principal: roleA, identity: []string{idS3}, boundary: []string{allowAll}, res: denyNotP(aws(roleA)), want: "ExplicitlyDenied/resource"},
		{name: "deny naming the role does not spare its session", principal: sessA, identity: []string{idS3}, res: denyNotP(aws(roleA)), want: "ExplicitlyDenied/resource"},
	})
}
