package policy_test

import (
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

// evalCase is one request and the policies that apply to it. want is
// "<DecisionKind>/<policy type>" with the short type names of shortType.
type evalCase struct {
	name      string
	principal string
	roleARN   string // overrides the role of a session
	slr       bool   // a service-linked role
	action    string // default s3:GetObject
	resource  string // default objA
	resAcct   string // default: the principal's account
	ctx       map[string]string
	identity  []string
	res       string // resource-based policy
	trust     string // trust policy (in the resource slot)
	boundary  []string
	session   []string
	scps      [][]string
	rcps      [][]string
	want      string
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, in := tc.build(t)
			d := policy.Evaluate(req, in)
			if got := outcome(d); got != tc.want {
				t.Errorf("decision = %s, want %s (%s)", got, tc.want, d.Message(req.Action, req.Resource, req.Principal.ARN))
			}
			if d.Allowed != (d.Kind == policy.Allowed) {
				t.Errorf("Allowed = %v with Kind %v", d.Allowed, d.Kind)
			}
			if d.Kind == policy.ExplicitlyDenied {
				m := d.Matched()
				if len(m) != 1 || m[0].Statement.Effect != policy.Deny || m[0].Type != d.PolicyType {
					t.Errorf("explicit deny matched %+v", m)
				}
			}
		})
	}
}

func (tc *evalCase) build(t *testing.T) (*policy.Request, *policy.Inputs) {
	p := mustPrincipal(t, tc.principal)
	if tc.roleARN != "" {
		p.RoleARN = tc.roleARN
	}
	p.ServiceLinked = p.ServiceLinked || tc.slr
	req := &policy.Request{Principal: p, Action: tc.action, Resource: tc.resource, ResourceAccount: tc.resAcct}
	if req.Action == "" {
		req.Action = "s3:GetObject"
	}
	if req.Resource == "" {
		req.Resource = objA
	}
	ctx := policy.NewContext(tc.ctx)
	ctx.AddPrincipalKeys(p)
	req.Context = ctx
	in := &policy.Inputs{
		Identity: named(t, policy.IdentityBased, "identity", tc.identity),
		Boundary: named(t, policy.PermissionsBoundary, "boundary", tc.boundary),
		Session:  named(t, policy.SessionPolicy, "session", tc.session),
	}
	if tc.res != "" {
		in.Resource = &policy.NamedPolicy{ID: "resource", Policy: mustParse(t, policy.ResourceBased, tc.res)}
	}
	if tc.trust != "" {
		in.Resource = &policy.NamedPolicy{ID: "trust", Policy: mustParse(t, policy.TrustPolicy, tc.trust)}
	}
	if tc.scps != nil {
		in.SCPs = [][]policy.NamedPolicy{}
		for _, level := range tc.scps {
			in.SCPs = append(in.SCPs, named(t, policy.ServiceControlPolicy, "scp", level))
		}
	}
	if tc.rcps != nil {
		in.RCPs = [][]policy.NamedPolicy{}
		for _, level := range tc.rcps {
			in.RCPs = append(in.RCPs, named(t, policy.ResourceControlPolicy, "rcp", level))
		}
	}
	return req, in
}

// Policies the tables share.
var (
	idS3      = allowDoc("s3:*", "*")
	idGet     = allowDoc("s3:GetObject", objA)
	idEC2     = allowDoc("ec2:*", "*")
	idDenyS3  = denyDoc("s3:*", "*")
	idAssume  = allowDoc("sts:AssumeRole", "*")
	scpEC2    = allowDoc("ec2:*", "*")
	scpS3     = allowDoc("s3:*", "*")
	scpDenyS3 = denyDoc("s3:*", "*")
	rcpDenyS3 = doc(rst("Deny", `"*"`, "s3:*", "*"))
)

func TestEvaluateIdentityPolicies(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "nothing applies", principal: userA, want: "ImplicitlyDenied/identity"},
		{name: "identity allows", principal: userA, identity: []string{idS3}, want: "Allowed/identity"},
		{name: "identity allows exact", principal: userA, identity: []string{idGet}, want: "Allowed/identity"},
		{name: "identity allows other action", principal: userA, identity: []string{idEC2}, want: "ImplicitlyDenied/identity"},
		{name: "identity allows other resource", principal: userA, identity: []string{allowDoc("s3:*", "arn:aws:s3:::other/*")}, want: "ImplicitlyDenied/identity"},
		{name: "allow and deny in one policy", principal: userA, identity: []string{doc(st("Allow", "s3:*", "*"), st("Deny", "s3:GetObject", "*"))}, want: "ExplicitlyDenied/identity"},
		{name: "deny before allow", principal: userA, identity: []string{doc(st("Deny", "s3:GetObject", "*"), st("Allow", "s3:*", "*"))}, want: "ExplicitlyDenied/identity"},
		{name: "deny in another policy", principal: userA, identity: []string{idS3, idDenyS3}, want: "ExplicitlyDenied/identity"},
		{name: "deny only", principal: userA, identity: []string{idDenyS3}, want: "ExplicitlyDenied/identity"},
		{name: "deny other resource", principal: userA, identity: []string{idS3, denyDoc("s3:*", "arn:aws:s3:::other/*")}, want: "Allowed/identity"},
		{name: "deny condition not met", principal: userA, identity: []string{idS3, denyDoc("s3:*", "*", `"Condition":{"Bool":{"aws:SecureTransport":"false"}}`)}, ctx: map[string]string{"aws:SecureTransport": "true"}, want: "Allowed/identity"},
		{name: "deny condition met", principal: userA, identity: []string{idS3, denyDoc("s3:*", "*", `"Condition":{"Bool":{"aws:SecureTransport":"false"}}`)}, ctx: map[string]string{"aws:SecureTransport": "false"}, want: "ExplicitlyDenied/identity"},
		{name: "deny NotAction spares", principal: userA, identity: []string{allowAll, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}}`}, want: "Allowed/identity"},
		{name: "deny NotAction hits", principal: userA, action: "ec2:RunInstances", resource: "*", identity: []string{allowAll, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}}`}, want: "ExplicitlyDenied/identity"},
		{name: "allow NotResource", principal: userA, identity: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}}`}, want: "Allowed/identity"},
		{name: "second policy allows", principal: userA, identity: []string{idEC2, idS3}, want: "Allowed/identity"},
		{name: "allow with tag condition", principal: userA, identity: []string{allowDoc("s3:*", "*", `"Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"}}`)}, ctx: map[string]string{"aws:PrincipalTag/team": "ml"}, want: "Allowed/identity"},
		{name: "allow with tag condition other value", principal: userA, identity: []string{allowDoc("s3:*", "*", `"Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"}}`)}, ctx: map[string]string{"aws:PrincipalTag/team": "ds"}, want: "ImplicitlyDenied/identity"},
		{name: "username variable in resource", principal: userA, resource: "arn:aws:s3:::home/alice/x", identity: []string{allowDoc("s3:*", "arn:aws:s3:::home/${aws:username}/*")}, want: "Allowed/identity"},
		{name: "username variable other user", principal: user2A, resource: "arn:aws:s3:::home/alice/x", identity: []string{allowDoc("s3:*", "arn:aws:s3:::home/${aws:username}/*")}, want: "ImplicitlyDenied/identity"},
		{name: "username variable for session is unresolved", principal: sessA, resource: "arn:aws:s3:::home/alice/x", identity: []string{allowDoc("s3:*", "arn:aws:s3:::home/${aws:username}/*")}, want: "ImplicitlyDenied/identity"},
		{name: "deny after time", principal: userA, identity: []string{idS3, denyDoc("s3:*", "*", `"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2024-06-01T00:00:00Z"}}`)}, ctx: map[string]string{"aws:CurrentTime": "2024-07-01T00:00:00Z"}, want: "ExplicitlyDenied/identity"},
		{name: "deny after time not yet", principal: userA, identity: []string{idS3, denyDoc("s3:*", "*", `"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2024-06-01T00:00:00Z"}}`)}, ctx: map[string]string{"aws:CurrentTime": "2024-05-01T00:00:00Z"}, want: "Allowed/identity"},
		{name: "principal type condition", principal: sessA, identity: []string{allowDoc("s3:*", "*", `"Condition":{"StringEquals":{"aws:PrincipalType":"AssumedRole"}}`)}, want: "Allowed/identity"},
		{name: "principal arn of session is the role", principal: sessA, identity: []string{allowDoc("s3:*", "*", `"Condition":{"ArnEquals":{"aws:PrincipalArn":"`+roleA+`"}}`)}, want: "Allowed/identity"},
		{name: "federated user identity", principal: fedA, identity: []string{idS3}, want: "Allowed/identity"},
		{name: "role principal identity", principal: roleA, identity: []string{idS3}, want: "Allowed/identity"},
		{name: "action case", principal: userA, action: "S3:GETOBJECT", identity: []string{allowDoc("s3:GetObject", "*")}, want: "Allowed/identity"},
	})
}

func TestEvaluateRoot(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "root needs no policy", principal: rootA, want: "Allowed/root"},
		{name: "root as account id", principal: acctA, want: "Allowed/root"},
		{name: "root ignores identity deny", principal: rootA, identity: []string{idDenyS3}, want: "Allowed/root"},
		{name: "root ignores boundary", principal: rootA, boundary: []string{idEC2}, want: "Allowed/root"},
		{name: "root of management account", principal: rootA, scps: nil, want: "Allowed/root"},
		{name: "root in member account allowed by SCPs", principal: rootA, scps: [][]string{{allowAll}, {allowAll}}, want: "Allowed/root"},
		{name: "root in member account SCP deny", principal: rootA, scps: [][]string{{allowAll, scpDenyS3}}, want: "ExplicitlyDenied/scp"},
		{name: "root in member account SCP no allow", principal: rootA, scps: [][]string{{allowAll}, {scpEC2}}, want: "ImplicitlyDenied/scp"},
		{name: "root RCP deny", principal: rootA, rcps: [][]string{{rcpFull, rcpDenyS3}}, want: "ExplicitlyDenied/rcp"},
		{name: "root resource policy deny naming account", principal: rootA, res: doc(rst("Deny", aws(acctA), "s3:*", "*")), want: "ExplicitlyDenied/resource"},
		{name: "root resource policy deny star", principal: rootA, res: doc(rst("Deny", `"*"`, "s3:*", "*")), want: "ExplicitlyDenied/resource"},
		{name: "root resource policy deny other user", principal: rootA, res: doc(rst("Deny", aws(user2A), "s3:*", "*")), want: "Allowed/root"},
		{name: "root cross-account without resource policy", principal: rootA, resAcct: acctB, want: "ImplicitlyDenied/resource"},
		{name: "root cross-account resource policy names account", principal: rootA, resAcct: acctB, res: doc(rst("Allow", aws(acctA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "root cross-account resource policy names root", principal: rootA, resAcct: acctB, res: doc(rst("Allow", aws(rootA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "root cross-account resource policy names other account", principal: rootA, resAcct: acctB, res: doc(rst("Allow", aws(rootB), "s3:*", "*")), want: "ImplicitlyDenied/resource"},
		{name: "root cross-account SCP no allow", principal: rootA, resAcct: acctB, res: doc(rst("Allow", aws(acctA), "s3:*", "*")), scps: [][]string{{scpEC2}}, want: "ImplicitlyDenied/scp"},
	})
}

func TestEvaluateSCPs(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "one level full access", principal: userA, identity: []string{idS3}, scps: [][]string{{allowAll}}, want: "Allowed/identity"},
		{name: "three levels full access", principal: userA, identity: []string{idS3}, scps: [][]string{{allowAll}, {allowAll}, {allowAll}}, want: "Allowed/identity"},
		{name: "account level restricts to s3", principal: userA, identity: []string{idS3}, scps: [][]string{{allowAll}, {scpS3}}, want: "Allowed/identity"},
		{name: "account level lacks allow", principal: userA, identity: []string{idS3}, scps: [][]string{{allowAll}, {scpEC2}}, want: "ImplicitlyDenied/scp"},
		{name: "root level lacks allow", principal: userA, identity: []string{idS3}, scps: [][]string{{scpEC2}, {allowAll}}, want: "ImplicitlyDenied/scp"},
		{name: "ou level lacks allow", principal: userA, identity: []string{idS3}, scps: [][]string{{allowAll}, {scpEC2}, {allowAll}}, want: "ImplicitlyDenied/scp"},
		{name: "empty level", principal: userA, identity: []string{idS3}, scps: [][]string{{allowAll}, {}}, want: "ImplicitlyDenied/scp"},
		{name: "no levels", principal: userA, identity: []string{idS3}, scps: [][]string{}, want: "Allowed/identity"},
		{name: "union within a level", principal: userA, identity: []string{idS3}, scps: [][]string{{scpEC2, scpS3}}, want: "Allowed/identity"},
		{name: "deny at root", principal: userA, identity: []string{idS3}, scps: [][]string{{allowAll, scpDenyS3}, {allowAll}}, want: "ExplicitlyDenied/scp"},
		{name: "deny at account", principal: userA, identity: []string{idS3}, scps: [][]string{{allowAll}, {allowAll, scpDenyS3}}, want: "ExplicitlyDenied/scp"},
		{name: "deny beats missing allow elsewhere", principal: userA, identity: []string{idS3}, scps: [][]string{{scpEC2}, {allowAll, scpDenyS3}}, want: "ExplicitlyDenied/scp"},
		{name: "identity deny beats missing SCP allow", principal: userA, identity: []string{idS3, idDenyS3}, scps: [][]string{{scpEC2}}, want: "ExplicitlyDenied/identity"},
		{name: "scp deny reported before identity deny", principal: userA, identity: []string{idDenyS3}, scps: [][]string{{allowAll, scpDenyS3}}, want: "ExplicitlyDenied/scp"},
		{name: "scp grants nothing alone", principal: userA, scps: [][]string{{allowAll}}, want: "ImplicitlyDenied/identity"},
		{name: "management account (nil SCPs)", principal: userA, identity: []string{idS3}, want: "Allowed/identity"},
		{name: "region condition met", principal: userA, identity: []string{idS3}, scps: [][]string{{allowDoc("*", "*", `"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`)}}, ctx: map[string]string{"aws:RequestedRegion": "us-east-1"}, want: "Allowed/identity"},
		{name: "region condition not met", principal: userA, identity: []string{idS3}, scps: [][]string{{allowDoc("*", "*", `"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`)}}, ctx: map[string]string{"aws:RequestedRegion": "eu-west-1"}, want: "ImplicitlyDenied/scp"},
		{name: "deny NotAction spares listed", principal: userA, identity: []string{allowAll}, scps: [][]string{{allowAll, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":["s3:*","iam:*"],"Resource":"*"}}`}}, want: "Allowed/identity"},
		{name: "deny NotAction hits others", principal: userA, action: "ec2:RunInstances", resource: "*", identity: []string{allowAll}, scps: [][]string{{allowAll, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":["s3:*","iam:*"],"Resource":"*"}}`}}, want: "ExplicitlyDenied/scp"},
		{name: "deny unless admin role: admin", principal: "arn:aws:sts::111111111111:assumed-role/Admin/s", identity: []string{allowAll}, scps: [][]string{{allowAll, denyDoc("s3:*", "*", `"Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin"}}`)}}, want: "Allowed/identity"},
		{name: "deny unless admin role: other", principal: sessA, identity: []string{allowAll}, scps: [][]string{{allowAll, denyDoc("s3:*", "*", `"Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin"}}`)}}, want: "ExplicitlyDenied/scp"},
		{name: "scp without Resource", principal: userA, identity: []string{idS3}, scps: [][]string{{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}`}}, want: "Allowed/identity"},
		{name: "scp resource restriction", principal: userA, identity: []string{idS3}, scps: [][]string{{allowDoc("s3:*", "arn:aws:s3:::other/*")}}, want: "ImplicitlyDenied/scp"},
		{name: "service principal not subject to SCPs", principal: svcSM, res: doc(rst("Allow", `{"Service":"sagemaker.amazonaws.com"}`, "s3:*", "*")), scps: [][]string{{scpDenyS3}}, want: "Allowed/resource"},
		{name: "service-linked role not subject to SCPs", principal: "arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForX/s", slr: true, identity: []string{idS3}, scps: [][]string{{scpDenyS3}}, want: "Allowed/identity"},
		{name: "service-linked role ARN detected", principal: "arn:aws:iam::111111111111:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker", identity: []string{idS3}, scps: [][]string{{scpEC2}}, want: "Allowed/identity"},
		{name: "session subject to SCPs", principal: sessA, identity: []string{idS3}, scps: [][]string{{scpEC2}}, want: "ImplicitlyDenied/scp"},
		{name: "scp deny beats resource grant", principal: userA, res: doc(rst("Allow", aws(userA), "s3:*", "*")), scps: [][]string{{allowAll, scpDenyS3}}, want: "ExplicitlyDenied/scp"},
		{name: "scp missing allow beats resource grant", principal: userA, res: doc(rst("Allow", aws(userA), "s3:*", "*")), scps: [][]string{{scpEC2}}, want: "ImplicitlyDenied/scp"},
	})
}

func TestEvaluateRCPs(t *testing.T) {
	secure := doc(rst("Deny", `"*"`, "s3:*", "*", `"Condition":{"Bool":{"aws:SecureTransport":"false"}}`))
	external := doc(rst("Deny", `"*"`, "s3:*", "*", `"Condition":{"StringNotEqualsIfExists":{"aws:PrincipalAccount":"222222222222"},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}`))
	runEvalCases(t, []evalCase{
		{name: "full access", principal: userA, identity: []string{idS3}, rcps: [][]string{{rcpFull}}, want: "Allowed/identity"},
		{name: "full access every level", principal: userA, identity: []string{idS3}, rcps: [][]string{{rcpFull}, {rcpFull}, {rcpFull}}, want: "Allowed/identity"},
		{name: "deny insecure transport", principal: userA, identity: []string{idS3}, rcps: [][]string{{rcpFull, secure}}, ctx: map[string]string{"aws:SecureTransport": "false"}, want: "ExplicitlyDenied/rcp"},
		{name: "secure transport passes", principal: userA, identity: []string{idS3}, rcps: [][]string{{rcpFull, secure}}, ctx: map[string]string{"aws:SecureTransport": "true"}, want: "Allowed/identity"},
		{name: "level without full access", principal: userA, identity: []string{idS3}, rcps: [][]string{{rcpFull}, {}}, want: "ImplicitlyDenied/rcp"},
		{name: "level with deny only", principal: userA, identity: []string{idS3}, rcps: [][]string{{rcpFull}, {secure}}, ctx: map[string]string{"aws:SecureTransport": "true"}, want: "ImplicitlyDenied/rcp"},
		{name: "rcp grants nothing alone", principal: userA, rcps: [][]string{{rcpFull}}, want: "ImplicitlyDenied/identity"},
		{name: "rcp checked before scp", principal: userA, identity: []string{idS3}, rcps: [][]string{{}}, scps: [][]string{{scpEC2}}, want: "ImplicitlyDenied/rcp"},
		{name: "rcp applies to service principals", principal: svcSM, res: doc(rst("Allow", `{"Service":"sagemaker.amazonaws.com"}`, "s3:*", "*")), rcps: [][]string{{rcpFull, rcpDenyS3}}, want: "ExplicitlyDenied/rcp"},
		{name: "rcp applies to anonymous", principal: "*", res: doc(rst("Allow", `"*"`, "s3:*", "*")), rcps: [][]string{{rcpFull, rcpDenyS3}}, want: "ExplicitlyDenied/rcp"},
		{name: "rcp spares service-linked roles", principal: "arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForX/s", slr: true, identity: []string{idS3}, rcps: [][]string{{rcpDenyS3}}, want: "Allowed/identity"},
		{name: "rcp blocks external principal", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(acctA), "s3:*", "*")), rcps: [][]string{{rcpFull, external}}, want: "ExplicitlyDenied/rcp"},
		{name: "rcp lets own account in", principal: userB, resAcct: acctB, identity: []string{idS3}, rcps: [][]string{{rcpFull, external}}, want: "Allowed/identity"},
		{name: "rcp lets services in", principal: svcSM, res: doc(rst("Allow", `{"Service":"sagemaker.amazonaws.com"}`, "s3:*", "*")), rcps: [][]string{{rcpFull, external}}, want: "Allowed/resource"},
		{name: "rcp missing allow cross-account", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(acctA), "s3:*", "*")), rcps: [][]string{{rcpFull}, {}}, want: "ImplicitlyDenied/rcp"},
		{name: "rcp deny beats root", principal: rootA, rcps: [][]string{{rcpFull, rcpDenyS3}}, want: "ExplicitlyDenied/rcp"},
		{name: "rcp deny other action", principal: userA, action: "ec2:RunInstances", resource: "*", identity: []string{allowAll}, rcps: [][]string{{rcpFull, rcpDenyS3}}, want: "Allowed/identity"},
	})
}

func TestEvaluateSameAccountResourcePolicy(t *testing.T) {
	const pathRole = "arn:aws:iam::111111111111:role/team/app"
	runEvalCases(t, []evalCase{
		{name: "names user: grants alone", principal: userA, res: doc(rst("Allow", aws(userA), "s3:GetObject", objA)), want: "Allowed/resource"},
		{name: "names account root: needs identity", principal: userA, res: doc(rst("Allow", aws(rootA), "s3:GetObject", objA)), want: "ImplicitlyDenied/identity"},
		{name: "names account id: needs identity", principal: userA, res: doc(rst("Allow", aws(acctA), "s3:GetObject", objA)), want: "ImplicitlyDenied/identity"},
		{name: "names account with identity allow", principal: userA, identity: []string{idS3}, res: doc(rst("Allow", aws(acctA), "s3:GetObject", objA)), want: "Allowed/identity"},
		{name: "names star: grants alone", principal: userA, res: doc(rst("Allow", `"*"`, "s3:GetObject", objA)), want: "Allowed/resource"},
		{name: "names AWS star: grants alone", principal: userA, res: doc(rst("Allow", aws("*"), "s3:GetObject", objA)), want: "Allowed/resource"},
		{name: "names other user", principal: userA, res: doc(rst("Allow", aws(user2A), "s3:GetObject", objA)), want: "ImplicitlyDenied/identity"},
		{name: "names user among others", principal: userA, res: doc(rst("Allow", aws(user2A+"|"+userA), "s3:GetObject", objA)), want: "Allowed/resource"},
		{name: "names user, other action", principal: userA, action: "s3:PutObject", res: doc(rst("Allow", aws(userA), "s3:GetObject", objA)), want: "ImplicitlyDenied/identity"},
		{name: "names user, condition fails", principal: userA, res: doc(rst("Allow", aws(userA), "s3:GetObject", objA, `"Condition":{"Bool":{"aws:SecureTransport":"true"}}`)), ctx: map[string]string{"aws:SecureTransport": "false"}, want: "ImplicitlyDenied/identity"},
		{name: "allow and deny for user", principal: userA, res: doc(rst("Allow", aws(userA), "s3:*", "*"), rst("Deny", aws(userA), "s3:GetObject", "*")), want: "ExplicitlyDenied/resource"},
		{name: "resource deny star beats identity allow", principal: userA, identity: []string{idS3}, res: doc(rst("Deny", `"*"`, "s3:*", "*")), want: "ExplicitlyDenied/resource"},
		{name: "resource deny account beats identity allow", principal: userA, identity: []string{idS3}, res: doc(rst("Deny", aws(acctA), "s3:*", "*")), want: "ExplicitlyDenied/resource"},
		{name: "resource deny other account", principal: userA, identity: []string{idS3}, res: doc(rst("Deny", aws(acctB), "s3:*", "*")), want: "Allowed/identity"},
		{name: "identity deny beats resource grant", principal: userA, identity: []string{idDenyS3}, res: doc(rst("Allow", aws(userA), "s3:*", "*")), want: "ExplicitlyDenied/identity"},
		{name: "user grant passes boundary", principal: userA, boundary: []string{idEC2}, res: doc(rst("Allow", aws(userA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "star grant passes boundary", principal: userA, boundary: []string{idEC2}, res: doc(rst("Allow", `"*"`, "s3:*", "*")), want: "Allowed/resource"},
		{name: "boundary deny beats user grant", principal: userA, boundary: []string{allowAll, idDenyS3}, res: doc(rst("Allow", aws(userA), "s3:*", "*")), want: "ExplicitlyDenied/boundary"},
		{name: "account grant does not pass boundary", principal: userA, identity: []string{idS3}, boundary: []string{idEC2}, res: doc(rst("Allow", aws(acctA), "s3:*", "*")), want: "ImplicitlyDenied/boundary"},
		{name: "session ARN grants alone", principal: sessA, res: doc(rst("Allow", aws(sessA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "role ARN grants to session", principal: sessA, res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "role ARN grant stopped by boundary", principal: sessA, boundary: []string{idEC2}, res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "ImplicitlyDenied/boundary"},
		{name: "role ARN grant within boundary", principal: sessA, boundary: []string{idS3}, res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "session ARN grant passes boundary", principal: sessA, boundary: []string{idEC2}, res: doc(rst("Allow", aws(sessA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "role ARN grant stopped by session policy", principal: sessA, session: []string{idEC2}, res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "ImplicitlyDenied/session"},
		{name: "session ARN grant passes session policy", principal: sessA, session: []string{idEC2}, res: doc(rst("Allow", aws(sessA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "session policy deny beats session ARN grant", principal: sessA, session: []string{allowAll, idDenyS3}, res: doc(rst("Allow", aws(sessA), "s3:*", "*")), want: "ExplicitlyDenied/session"},
		{name: "account grant to session needs identity", principal: sessA, res: doc(rst("Allow", aws(rootA), "s3:*", "*")), want: "ImplicitlyDenied/identity"},
		{name: "other session of the role", principal: "arn:aws:sts::111111111111:assumed-role/app/s2", res: doc(rst("Allow", aws(sessA), "s3:*", "*")), want: "ImplicitlyDenied/identity"},
		{name: "other role", principal: "arn:aws:sts::111111111111:assumed-role/other/s1", res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "ImplicitlyDenied/identity"},
		{name: "role with path named with path", principal: sessA, roleARN: pathRole, res: doc(rst("Allow", aws(pathRole), "s3:*", "*")), want: "Allowed/resource"},
		{name: "role with path named without path", principal: sessA, roleARN: pathRole, res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "ImplicitlyDenied/identity"},
		{name: "role principal named", principal: roleA, res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "role principal named, boundary", principal: roleA, boundary: []string{idEC2}, res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "ImplicitlyDenied/boundary"},
		{name: "federated user named", principal: fedA, res: doc(rst("Allow", aws(fedA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "federated user named passes session policy", principal: fedA, session: []string{idEC2}, res: doc(rst("Allow", aws(fedA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "federated user session policy limits identity", principal: fedA, identity: []string{idS3}, session: []string{idEC2}, want: "ImplicitlyDenied/session"},
		{name: "bucket policy for service only", principal: userA, res: doc(rst("Allow", `{"Service":"sagemaker.amazonaws.com"}`, "s3:*", "*")), want: "ImplicitlyDenied/identity"},
		{name: "resource policy aws:PrincipalArn condition", principal: sessA, res: doc(rst("Allow", `"*"`, "s3:*", "*", `"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/app"}}`)), want: "Allowed/resource"},
		{name: "resource policy aws:PrincipalArn mismatch", principal: sessA, res: doc(rst("Allow", `"*"`, "s3:*", "*", `"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/other"}}`)), want: "ImplicitlyDenied/identity"},
		{name: "resource policy NotResource", principal: userA, res: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + userA + `"},"Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}}`, want: "Allowed/resource"},
		{name: "resource policy NotAction", principal: userA, res: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + userA + `"},"NotAction":"s3:Delete*","Resource":"*"}}`, want: "Allowed/resource"},
		{name: "ResourceAccount same as principal", principal: userA, resAcct: acctA, res: doc(rst("Allow", aws(userA), "s3:*", "*")), want: "Allowed/resource"},
	})
}

func TestEvaluateNotPrincipal(t *testing.T) {
	notP := func(v string) string {
		return doc(rst("Allow", `"*"`, "s3:*", "*"), `{"Effect":"Deny","NotPrincipal":`+v+`,"Action":"s3:*","Resource":"*"}`)
	}
	runEvalCases(t, []evalCase{
		{name: "user and account listed", principal: userA, res: notP(aws(rootA + "|" + userA)), want: "Allowed/resource"},
		{name: "other user denied", principal: user2A, res: notP(aws(rootA + "|" + userA)), want: "ExplicitlyDenied/resource"},
		{name: "user without account denied", principal: userA, res: notP(aws(userA)), want: "ExplicitlyDenied/resource"},
		{name: "account id counts as account", principal: userA, res: notP(aws(acctA + "|" + userA)), want: "Allowed/resource"},
		{name: "session fully listed", principal: sessA, res: notP(aws(rootA + "|" + roleA + "|" + sessA)), want: "Allowed/resource"},
		{name: "session without session ARN", principal: sessA, res: notP(aws(rootA + "|" + roleA)), want: "ExplicitlyDenied/resource"},
		{name: "session without role ARN", principal: sessA, res: notP(aws(rootA + "|" + sessA)), want: "ExplicitlyDenied/resource"},
		{name: "root listed", principal: rootA, res: notP(aws(rootA)), want: "Allowed/root"},
		{name: "root not listed", principal: rootA, res: notP(aws(rootB)), want: "ExplicitlyDenied/resource"},
		{name: "star spares all", principal: userA, res: notP(`"*"`), want: "Allowed/resource"},
		{name: "service listed", principal: svcSM, res: notP(`{"Service":"sagemaker.amazonaws.com"}`), want: "Allowed/resource"},
		{name: "other service denied", principal: "ec2.amazonaws.com", res: notP(`{"Service":"sagemaker.amazonaws.com"}`), want: "ExplicitlyDenied/resource"},
		{name: "anonymous denied", principal: "*", res: notP(aws(rootA)), want: "ExplicitlyDenied/resource"},
		{name: "user with boundary always denied", principal: userA, identity: []string{idS3}, boundary: []string{allowAll}, res: notP(aws(rootA + "|" + userA)), want: "ExplicitlyDenied/resource"},
		{name: "session with boundary always denied", principal: sessA, identity: []string{idS3}, boundary: []string{allowAll}, res: notP(aws(rootA + "|" + roleA + "|" + sessA)), want: "ExplicitlyDenied/resource"},
	})
}

func TestEvaluateBoundaries(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "identity and boundary allow", principal: userA, identity: []string{idS3}, boundary: []string{idS3}, want: "Allowed/identity"},
		{name: "boundary lacks action", principal: userA, identity: []string{idS3}, boundary: []string{idEC2}, want: "ImplicitlyDenied/boundary"},
		{name: "boundary alone grants nothing", principal: userA, boundary: []string{idS3}, want: "ImplicitlyDenied/identity"},
		{name: "boundary explicit deny", principal: userA, identity: []string{idS3}, boundary: []string{allowAll, idDenyS3}, want: "ExplicitlyDenied/boundary"},
		{name: "boundary deny without allow", principal: userA, identity: []string{idS3}, boundary: []string{idDenyS3}, want: "ExplicitlyDenied/boundary"},
		{name: "boundary documents union", principal: userA, identity: []string{idS3}, boundary: []string{idEC2, idS3}, want: "Allowed/identity"},
		{name: "boundary condition met", principal: userA, identity: []string{idS3}, boundary: []string{allowDoc("s3:*", "*", `"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`)}, ctx: map[string]string{"aws:RequestedRegion": "us-east-1"}, want: "Allowed/identity"},
		{name: "boundary condition not met", principal: userA, identity: []string{idS3}, boundary: []string{allowDoc("s3:*", "*", `"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`)}, ctx: map[string]string{"aws:RequestedRegion": "eu-west-1"}, want: "ImplicitlyDenied/boundary"},
		{name: "boundary resource narrower", principal: userA, identity: []string{idS3}, boundary: []string{allowDoc("s3:*", "arn:aws:s3:::other/*")}, want: "ImplicitlyDenied/boundary"},
		{name: "session boundary", principal: sessA, identity: []string{idS3}, boundary: []string{idEC2}, want: "ImplicitlyDenied/boundary"},
		{name: "identity missing before boundary", principal: userA, boundary: []string{idEC2}, want: "ImplicitlyDenied/identity"},
		{name: "boundary checked before session policy", principal: sessA, identity: []string{idS3}, boundary: []string{idEC2}, session: []string{idEC2}, want: "ImplicitlyDenied/boundary"},
	})
}

func TestEvaluateSessionPolicies(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "identity and session allow", principal: sessA, identity: []string{idS3}, session: []string{idS3}, want: "Allowed/identity"},
		{name: "session policy lacks action", principal: sessA, identity: []string{idS3}, session: []string{idEC2}, want: "ImplicitlyDenied/session"},
		{name: "session policy alone grants nothing", principal: sessA, session: []string{idS3}, want: "ImplicitlyDenied/identity"},
		{name: "session policy explicit deny", principal: sessA, identity: []string{idS3}, session: []string{allowAll, idDenyS3}, want: "ExplicitlyDenied/session"},
		{name: "session policies union", principal: sessA, identity: []string{idS3}, session: []string{idEC2, idGet}, want: "Allowed/identity"},
		{name: "session policy narrower resource", principal: sessA, identity: []string{idS3}, session: []string{allowDoc("s3:*", "arn:aws:s3:::other/*")}, want: "ImplicitlyDenied/session"},
		{name: "all four allow", principal: sessA, identity: []string{idS3}, boundary: []string{idS3}, session: []string{idS3}, scps: [][]string{{allowAll}}, want: "Allowed/identity"},
		{name: "identity deny beats all allows", principal: sessA, identity: []string{idS3, idDenyS3}, boundary: []string{idS3}, session: []string{idS3}, want: "ExplicitlyDenied/identity"},
	})
}

func TestEvaluateCrossAccount(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "identity only", principal: userA, resAcct: acctB, identity: []string{idS3}, want: "ImplicitlyDenied/resource"},
		{name: "resource only", principal: userA, resAcct: acctB, res: doc(rst("Allow", aws(userA), "s3:*", "*")), want: "ImplicitlyDenied/identity"},
		{name: "both", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(userA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "neither", principal: userA, resAcct: acctB, want: "ImplicitlyDenied/resource"},
		{name: "resource names account id", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(acctA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "resource names account root", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(rootA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "resource names star", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", `"*"`, "s3:*", "*")), want: "Allowed/resource"},
		{name: "resource names star, no identity", principal: userA, resAcct: acctB, res: doc(rst("Allow", `"*"`, "s3:*", "*")), want: "ImplicitlyDenied/identity"},
		{name: "resource names other account", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(rootB), "s3:*", "*")), want: "ImplicitlyDenied/resource"},
		{name: "resource names other user", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(user2A), "s3:*", "*")), want: "ImplicitlyDenied/resource"},
		{name: "boundary applies", principal: userA, resAcct: acctB, identity: []string{idS3}, boundary: []string{idEC2}, res: doc(rst("Allow", aws(userA), "s3:*", "*")), want: "ImplicitlyDenied/boundary"},
		{name: "session ARN named, session policy applies", principal: sessA, resAcct: acctB, identity: []string{idS3}, session: []string{idEC2}, res: doc(rst("Allow", aws(sessA), "s3:*", "*")), want: "ImplicitlyDenied/session"},
		{name: "role named for session", principal: sessA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "Allowed/resource"},
		{name: "role named, no identity", principal: sessA, resAcct: acctB, res: doc(rst("Allow", aws(roleA), "s3:*", "*")), want: "ImplicitlyDenied/identity"},
		{name: "principal SCP deny", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(userA), "s3:*", "*")), scps: [][]string{{allowAll, scpDenyS3}}, want: "ExplicitlyDenied/scp"},
		{name: "principal SCP missing allow", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(userA), "s3:*", "*")), scps: [][]string{{scpEC2}}, want: "ImplicitlyDenied/scp"},
		{name: "resource deny", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", aws(userA), "s3:*", "*"), rst("Deny", aws(acctA), "s3:GetObject", "*")), want: "ExplicitlyDenied/resource"},
		{name: "identity deny", principal: userA, resAcct: acctB, identity: []string{idS3, idDenyS3}, res: doc(rst("Allow", aws(userA), "s3:*", "*")), want: "ExplicitlyDenied/identity"},
		{name: "other direction both", principal: userB, resAcct: acctA, identity: []string{idS3}, res: doc(rst("Allow", aws(userB), "s3:*", "*")), want: "Allowed/resource"},
		{name: "other direction identity missing", principal: userB, resAcct: acctA, res: doc(rst("Allow", aws(userB), "s3:*", "*")), want: "ImplicitlyDenied/identity"},
		{name: "other direction resource missing", principal: userB, resAcct: acctA, identity: []string{idS3}, want: "ImplicitlyDenied/resource"},
		{name: "other direction session", principal: sessB, resAcct: acctA, identity: []string{idS3}, res: doc(rst("Allow", aws(roleB), "s3:*", "*")), want: "Allowed/resource"},
		{name: "resource condition on org", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", `"*"`, "s3:*", "*", `"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}`)), ctx: map[string]string{"aws:PrincipalOrgID": "o-abc"}, want: "Allowed/resource"},
		{name: "resource condition on other org", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", `"*"`, "s3:*", "*", `"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}`)), ctx: map[string]string{"aws:PrincipalOrgID": "o-xyz"}, want: "ImplicitlyDenied/resource"},
		{name: "resource account from request", principal: userA, resource: "arn:aws:sqs:us-east-1:222222222222:q", action: "sqs:SendMessage", resAcct: acctB, identity: []string{allowDoc("sqs:*", "*")}, want: "ImplicitlyDenied/resource"},
	})
}

func TestEvaluateTrustPolicies(t *testing.T) {
	trustSvc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}}`
	trustOf := func(principal string, extra ...string) string {
		s := `{"Effect":"Allow","Principal":` + principal + `,"Action":"sts:AssumeRole"`
		for _, e := range extra {
			s += "," + e
		}
		return doc(s + "}")
	}
	const oidc = "arn:aws:iam::111111111111:oidc-provider/token.example.com"
	assume := func(c evalCase) evalCase {
		c.action, c.resource = "sts:AssumeRole", roleA
		if c.resAcct == "" {
			c.resAcct = acctA
		}
		return c
	}
	runEvalCases(t, []evalCase{
		assume(evalCase{name: "service trusted", principal: svcSM, trust: trustSvc, want: "Allowed/resource"}),
		assume(evalCase{name: "service trusted, names any case", principal: svcSM, trust: trustOf(`{"Service":"SageMaker.amazonaws.com"}`), want: "Allowed/resource"}),
		assume(evalCase{name: "other service", principal: "ec2.amazonaws.com", trust: trustSvc, want: "ImplicitlyDenied/resource"}),
		assume(evalCase{name: "no trust policy", principal: svcSM, want: "ImplicitlyDenied/resource"}),
		assume(evalCase{name: "service with source account", principal: svcSM, trust: trustOf(`{"Service":"sagemaker.amazonaws.com"}`, `"Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}`), ctx: map[string]string{"aws:SourceAccount": acctA}, want: "Allowed/resource"}),
		assume(evalCase{name: "service with other source account", principal: svcSM, trust: trustOf(`{"Service":"sagemaker.amazonaws.com"}`, `"Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}`), ctx: map[string]string{"aws:SourceAccount": acctB}, want: "ImplicitlyDenied/resource"}),
		assume(evalCase{name: "service denied", principal: svcSM, trust: doc(`{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}`, `{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}`), want: "ExplicitlyDenied/resource"}),
		assume(evalCase{name: "service trusted via star", principal: svcSM, trust: trustOf(`"*"`), want: "Allowed/resource"}),
		assume(evalCase{name: "service not trusted via account", principal: svcSM, trust: trustOf(aws(acctA)), want: "ImplicitlyDenied/resource"}),
		assume(evalCase{name: "service identity policies ignored", principal: svcSM, identity: []string{allowAll}, want: "ImplicitlyDenied/resource"}),
		assume(evalCase{name: "trust names user: grants alone", principal: userA, trust: trustOf(aws(userA)), want: "Allowed/resource"}),
		assume(evalCase{name: "trust names account, identity allows", principal: userA, identity: []string{idAssume}, trust: trustOf(aws(rootA)), want: "Allowed/identity"}),
		assume(evalCase{name: "trust names account, no identity", principal: userA, trust: trustOf(aws(rootA)), want: "ImplicitlyDenied/identity"}),
		assume(evalCase{name: "role chaining: role named", principal: "arn:aws:sts::111111111111:assumed-role/other/s", trust: trustOf(aws("arn:aws:iam::111111111111:role/other")), want: "Allowed/resource"}),
		assume(evalCase{name: "cross-account trust names account", principal: userB, identity: []string{idAssume}, trust: trustOf(aws(rootB)), want: "Allowed/resource"}),
		assume(evalCase{name: "cross-account trust names account, no identity", principal: userB, trust: trustOf(aws(rootB)), want: "ImplicitlyDenied/identity"}),
		assume(evalCase{name: "cross-account trust names user, no identity", principal: userB, trust: trustOf(aws(userB)), want: "ImplicitlyDenied/identity"}),
		assume(evalCase{name: "cross-account not trusted", principal: userB, identity: []string{idAssume}, trust: trustOf(aws(rootA)), want: "ImplicitlyDenied/resource"}),
		assume(evalCase{name: "external id matches", principal: userB, identity: []string{idAssume}, trust: trustOf(aws(acctB), `"Condition":{"StringEquals":{"sts:ExternalId":"xyz"}}`), ctx: map[string]string{"sts:ExternalId": "xyz"}, want: "Allowed/resource"}),
		assume(evalCase{name: "external id missing", principal: userB, identity: []string{idAssume}, trust: trustOf(aws(acctB), `"Condition":{"StringEquals":{"sts:ExternalId":"xyz"}}`), want: "ImplicitlyDenied/resource"}),
		assume(evalCase{name: "web identity trusted", principal: oidc, trust: trustOf(`{"Federated":"` + oidc + `"}`), want: "Allowed/resource"}),
		assume(evalCase{name: "web identity other provider", principal: "arn:aws:iam::111111111111:oidc-provider/other.example.com", trust: trustOf(`{"Federated":"` + oidc + `"}`), want: "ImplicitlyDenied/resource"}),
		assume(evalCase{name: "web identity with audience", principal: oidc, trust: trustOf(`{"Federated":"`+oidc+`"}`, `"Condition":{"StringEquals":{"token.example.com:aud":"app"}}`), ctx: map[string]string{"token.example.com:aud": "app"}, want: "Allowed/resource"}),
	})
}

func TestEvaluateAnonymousAndServices(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "public bucket", principal: "*", res: doc(rst("Allow", `"*"`, "s3:GetObject", objA)), want: "Allowed/resource"},
		{name: "public bucket AWS star", principal: "*", res: doc(rst("Allow", aws("*"), "s3:GetObject", objA)), want: "Allowed/resource"},
		{name: "bucket for an account", principal: "*", res: doc(rst("Allow", aws(acctA), "s3:GetObject", objA)), want: "ImplicitlyDenied/resource"},
		{name: "no bucket policy", principal: "*", want: "ImplicitlyDenied/resource"},
		{name: "identity ignored for anonymous", principal: "*", identity: []string{allowAll}, want: "ImplicitlyDenied/resource"},
		{name: "public bucket with deny", principal: "*", res: doc(rst("Allow", `"*"`, "s3:*", "*"), rst("Deny", `"*"`, "s3:GetObject", "*", `"Condition":{"Bool":{"aws:SecureTransport":"false"}}`)), ctx: map[string]string{"aws:SecureTransport": "false"}, want: "ExplicitlyDenied/resource"},
		{name: "service via bucket policy", principal: svcSM, res: doc(rst("Allow", `{"Service":"sagemaker.amazonaws.com"}`, "s3:GetObject", objA)), want: "Allowed/resource"},
		{name: "service not in bucket policy", principal: svcSM, res: doc(rst("Allow", aws(acctA), "s3:GetObject", objA)), want: "ImplicitlyDenied/resource"},
		{name: "service via AWS star", principal: svcSM, res: doc(rst("Allow", aws("*"), "s3:GetObject", objA)), want: "Allowed/resource"},
		{name: "service with resource account", principal: svcSM, resAcct: acctB, res: doc(rst("Allow", `{"Service":"sagemaker.amazonaws.com"}`, "s3:GetObject", objA)), want: "Allowed/resource"},
		{name: "service is aws service", principal: svcSM, res: doc(rst("Allow", `"*"`, "s3:GetObject", objA, `"Condition":{"Bool":{"aws:PrincipalIsAWSService":"true"}}`)), want: "Allowed/resource"},
		{name: "user is not aws service", principal: userA, resAcct: acctB, identity: []string{idS3}, res: doc(rst("Allow", `"*"`, "s3:GetObject", objA, `"Condition":{"Bool":{"aws:PrincipalIsAWSService":"true"}}`)), want: "ImplicitlyDenied/resource"},
	})
}

func TestEvaluateExplicitDenyPrecedence(t *testing.T) {
	all := evalCase{principal: sessA, identity: []string{allowAll}, res: doc(rst("Allow", aws(sessA), "s3:*", "*")),
		boundary: []string{allowAll}, session: []string{allowAll}, scps: [][]string{{allowAll}}, rcps: [][]string{{rcpFull}}}
	with := func(name string, f func(*evalCase), want string) evalCase {
		c := all
		c.name, c.want = name, want
		f(&c)
		return c
	}
	runEvalCases(t, []evalCase{
		with("everything allows", func(*evalCase) {}, "Allowed/resource"),
		with("scp deny", func(c *evalCase) { c.scps = [][]string{{allowAll, scpDenyS3}} }, "ExplicitlyDenied/scp"),
		with("rcp deny", func(c *evalCase) { c.rcps = [][]string{{rcpFull, rcpDenyS3}} }, "ExplicitlyDenied/rcp"),
		with("resource deny", func(c *evalCase) {
			c.res = doc(rst("Allow", aws(sessA), "s3:*", "*"), rst("Deny", aws(roleA), "s3:*", "*"))
		}, "ExplicitlyDenied/resource"),
		with("identity deny", func(c *evalCase) { c.identity = []string{allowAll, idDenyS3} }, "ExplicitlyDenied/identity"),
		with("boundary deny", func(c *evalCase) { c.boundary = []string{allowAll, idDenyS3} }, "ExplicitlyDenied/boundary"),
		with("session deny", func(c *evalCase) { c.session = []string{allowAll, idDenyS3} }, "ExplicitlyDenied/session"),
		with("scp and identity deny", func(c *evalCase) {
			c.scps = [][]string{{allowAll, scpDenyS3}}
			c.identity = []string{idDenyS3}
		}, "ExplicitlyDenied/scp"),
		with("identity deny and scp missing allow", func(c *evalCase) {
			c.scps = [][]string{{scpEC2}}
			c.identity = []string{idDenyS3}
		}, "ExplicitlyDenied/identity"),
		with("session deny and boundary missing allow", func(c *evalCase) {
			c.boundary = []string{idEC2}
			c.session = []string{idDenyS3}
		}, "ExplicitlyDenied/session"),
		with("deny with unmet condition", func(c *evalCase) {
			c.identity = []string{allowAll, denyDoc("s3:*", "*", `"Condition":{"StringEquals":{"aws:PrincipalTag/x":"y"}}`)}
		}, "Allowed/resource"),
		// AWS: a Deny with StringNotEqualsIfExists still denies when the
		// key is missing.
		with("deny negated IfExists on missing key", func(c *evalCase) {
			c.identity = []string{allowAll, denyDoc("s3:*", "*", `"Condition":{"StringNotEqualsIfExists":{"aws:PrincipalTag/x":"y"}}`)}
		}, "ExplicitlyDenied/identity"),
		with("deny IfExists on missing key", func(c *evalCase) {
			c.identity = []string{allowAll, denyDoc("s3:*", "*", `"Condition":{"StringEqualsIfExists":{"aws:PrincipalTag/x":"y"}}`)}
		}, "ExplicitlyDenied/identity"),
		with("deny IfExists on other value", func(c *evalCase) {
			c.identity = []string{allowAll, denyDoc("s3:*", "*", `"Condition":{"StringEqualsIfExists":{"aws:PrincipalTag/x":"y"}}`)}
			c.ctx = map[string]string{"aws:PrincipalTag/x": "z"}
		}, "Allowed/resource"),
		with("deny negated on missing key", func(c *evalCase) {
			c.identity = []string{allowAll, denyDoc("s3:*", "*", `"Condition":{"StringNotEquals":{"aws:PrincipalTag/x":"y"}}`)}
		}, "ExplicitlyDenied/identity"),
	})
}

func TestDecisionMatched(t *testing.T) {
	tc := evalCase{principal: sessA, identity: []string{idEC2, doc(`{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}`)},
		boundary: []string{allowAll}, scps: [][]string{{allowAll}, {allowAll}}}
	req, in := tc.build(t)
	d := policy.Evaluate(req, in)
	var got []string
	for _, m := range d.Matched() {
		got = append(got, m.PolicyID+"#"+m.Statement.Sid+"/"+shortType(m.Type))
	}
	want := []string{"scp[0]#/scp", "scp[0]#/scp", "identity[1]#S3/identity", "boundary[0]#/boundary"}
	if len(got) != len(want) {
		t.Fatalf("Matched = %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("Matched = %v, want %v", got, want)
			break
		}
	}

	tc.identity = append(tc.identity, doc(`{"Sid":"NoS3","Effect":"Deny","Action":"s3:Get*","Resource":"*"}`))
	req, in = tc.build(t)
	d = policy.Evaluate(req, in)
	m := d.Matched()
	if len(m) != 1 || m[0].PolicyID != "identity[2]" || m[0].Index != 0 || m[0].Statement.Sid != "NoS3" {
		t.Errorf("Matched = %+v, want the Deny statement", m)
	}
}

func TestDecisionMessages(t *testing.T) {
	tests := []struct {
		c    evalCase
		want string
	}{
		{evalCase{principal: userA}, "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key because no identity-based policy allows the s3:GetObject action"},
		{evalCase{principal: userA, identity: []string{idDenyS3}}, "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key with an explicit deny in an identity-based policy"},
		{evalCase{principal: sessA, identity: []string{idS3}, scps: [][]string{{allowAll, scpDenyS3}}}, "User: arn:aws:sts::111111111111:assumed-role/app/s1 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key with an explicit deny in a service control policy"},
		{evalCase{principal: userA, identity: []string{idS3}, scps: [][]string{{scpEC2}}}, "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key because no service control policy allows the s3:GetObject action"},
		{evalCase{principal: userA, identity: []string{idS3}, res: doc(rst("Deny", `"*"`, "s3:*", "*"))}, "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key with an explicit deny in a resource-based policy"},
		{evalCase{principal: userA, resAcct: acctB, identity: []string{idS3}}, "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key because no resource-based policy allows the s3:GetObject action"},
		{evalCase{principal: userA, identity: []string{idS3}, boundary: []string{idEC2}}, "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key because no permissions boundary allows the s3:GetObject action"},
		{evalCase{principal: userA, identity: []string{idS3}, boundary: []string{idDenyS3}}, "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key with an explicit deny in a permissions boundary"},
		{evalCase{principal: sessA, identity: []string{idS3}, session: []string{idEC2}}, "User: arn:aws:sts::111111111111:assumed-role/app/s1 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key because no session policy allows the s3:GetObject action"},
		{evalCase{principal: sessA, identity: []string{idS3}, session: []string{idDenyS3}}, "User: arn:aws:sts::111111111111:assumed-role/app/s1 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key with an explicit deny in a session policy"},
		{evalCase{principal: userA, identity: []string{idS3}, rcps: [][]string{{rcpFull, rcpDenyS3}}}, "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key with an explicit deny in a resource control policy"},
		{evalCase{principal: userA, identity: []string{idS3}, rcps: [][]string{{}}}, "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket-a/key because no resource control policy allows the s3:GetObject action"},
		{evalCase{principal: userA, identity: []string{idS3}}, ""},
	}
	for _, tc := range tests {
		req, in := tc.c.build(t)
		d := policy.Evaluate(req, in)
		if got := d.Message(req.Action, req.Resource, req.Principal.ARN); got != tc.want {
			t.Errorf("Message =\n%q\nwant\n%q", got, tc.want)
		}
	}
	var d policy.Decision
	if d.Allowed || d.Kind != policy.ImplicitlyDenied {
		t.Error("the zero Decision is not a denial")
	}
	d2 := policy.Evaluate(&policy.Request{Principal: mustPrincipal(t, rootA), Action: "s3:GetObject"}, &policy.Inputs{})
	if got := d2.Reason("s3:GetObject"); got != "allowed because the account root user acts in its own account" {
		t.Errorf("root Reason = %q", got)
	}
}
