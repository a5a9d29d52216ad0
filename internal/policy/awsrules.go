package policy

import "strings"

// An awsRule is a rule of AWS's own that decides a request whatever the
// policies say. Evaluate applies them, so that the server and every
// simulation decide alike.
type awsRule uint8

const (
	ruleNone awsRule = iota
	// ruleNoPermission: sts:GetCallerIdentity needs no permission; an
	// explicit deny does not stop it.
	ruleNoPermission
	// ruleAWSManagedPolicy: AWS managed policies (arn:aws:iam::aws:policy/…)
	// cannot be created, changed, deleted or tagged by anyone.
	ruleAWSManagedPolicy
	// ruleServiceLinkedRole: service-linked roles (path /aws-service-role/)
	// are created, changed and deleted only by their service, and never
	// passed.
	ruleServiceLinkedRole
	// ruleReservedRole: roles under /aws-reserved/ (IAM Identity Center's)
	// are AWS's to manage.
	ruleReservedRole
)

// awsManagedPolicyActions change an AWS managed policy.
var awsManagedPolicyActions = []string{
	"iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
	"iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
}

// protectedRoleActions change, delete or pass a role. Service-linked roles are
// created with iam:CreateServiceLinkedRole and deleted with
// iam:DeleteServiceLinkedRole, and their description may be edited; reserved
// roles allow none of those either.
var protectedRoleActions = []string{
	"iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary",
	"iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PassRole", "iam:PutRolePermissionsBoundary",
	"iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
}

var reservedRoleOnlyActions = []string{
	"iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:UpdateRoleDescription",
}

// ruleFor returns the rule of AWS's own that decides req, if any.
func ruleFor(req *Request) awsRule {
	if req.Principal.Type != PrincipalAnonymous && strings.EqualFold(req.Action, "sts:GetCallerIdentity") {
		return ruleNoPermission
	}
	if len(req.Action) < 4 || !strings.EqualFold(req.Action[:4], "iam:") {
		return ruleNone
	}
	account, resource, ok := iamResource(req.Resource)
	if !ok {
		return ruleNone
	}
	switch {
	case account == "aws" && strings.HasPrefix(resource, "policy/"):
		if hasFold(awsManagedPolicyActions, req.Action) {
			return ruleAWSManagedPolicy
		}
	case strings.HasPrefix(resource, "role/aws-service-role/"):
		if hasFold(protectedRoleActions, req.Action) {
			return ruleServiceLinkedRole
		}
	case strings.HasPrefix(resource, "role/aws-reserved/"):
		if hasFold(protectedRoleActions, req.Action) || hasFold(reservedRoleOnlyActions, req.Action) {
			return ruleReservedRole
		}
	}
	return ruleNone
}

// iamResource splits an IAM ARN, arn:<partition>:iam::<account>:<resource>.
func iamResource(s string) (account, resource string, ok bool) {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return "", "", false
	}
	_, rest, ok = strings.Cut(rest, ":") // partition
	if !ok {
		return "", "", false
	}
	if rest, ok = strings.CutPrefix(rest, "iam::"); !ok {
		return "", "", false
	}
	return strings.Cut(rest, ":")
}

func hasFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// apply decides by rule r over the decision d the policies reached: a
// request that needs no permission is allowed; a change of what AWS manages
// is implicitly denied, unless a policy denied it explicitly.
func (r awsRule) apply(d *Decision) {
	switch r {
	case ruleNone:
		return
	case ruleNoPermission:
		d.n = 0
		d.Allowed, d.Kind, d.PolicyType = true, Allowed, 0
	default:
		if d.Kind == ExplicitlyDenied {
			return
		}
		d.n = 0
		d.Allowed, d.Kind, d.PolicyType = false, ImplicitlyDenied, 0
	}
	d.rule = r
}

// reason is the clause of a decision by rule r.
func (r awsRule) reason(action string) string {
	switch r {
	case ruleNoPermission:
		return "allowed because " + action + " needs no permission"
	case ruleAWSManagedPolicy:
		return "because AWS managed policies cannot be changed"
	case ruleServiceLinkedRole:
		return "because a service-linked role can be created, changed or deleted only by its service, and cannot be passed"
	case ruleReservedRole:
		return "because roles under /aws-reserved/ are managed by AWS"
	}
	return ""
}
