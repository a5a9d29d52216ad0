package policy

import (
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"
)

// PrincipalType is the kind of principal that makes a request.
type PrincipalType uint8

// Principal types. The zero value is an anonymous (unsigned) caller.
const (
	// PrincipalAnonymous is an unauthenticated caller.
	PrincipalAnonymous PrincipalType = iota
	// PrincipalRoot is the root user of an account.
	PrincipalRoot
	// PrincipalUser is an IAM user.
	PrincipalUser
	// PrincipalAssumedRole is a role session (sts:AssumeRole and friends).
	PrincipalAssumedRole
	// PrincipalRole is a role acting as itself; it is evaluated like a
	// session of the role whose ARN is the role's.
	PrincipalRole
	// PrincipalFederatedUser is a federated user session
	// (sts:GetFederationToken).
	PrincipalFederatedUser
	// PrincipalService is an AWS service principal such as
	// "sagemaker.amazonaws.com".
	PrincipalService
	// PrincipalFederated is an identity provider's user calling
	// AssumeRoleWithWebIdentity or AssumeRoleWithSAML; its ARN is the
	// provider (the value a trust policy names under "Federated").
	PrincipalFederated
)

// String returns the name of the type.
func (t PrincipalType) String() string {
	switch t {
	case PrincipalAnonymous:
		return "Anonymous"
	case PrincipalRoot:
		return "Root"
	case PrincipalUser:
		return "User"
	case PrincipalAssumedRole:
		return "AssumedRole"
	case PrincipalRole:
		return "Role"
	case PrincipalFederatedUser:
		return "FederatedUser"
	case PrincipalService:
		return "Service"
	case PrincipalFederated:
		return "Federated"
	}
	return "PrincipalType(?)"
}

// Principal is who makes a request.
type Principal struct {
	Type PrincipalType
	// ARN identifies the principal: "arn:aws:iam::111122223333:root",
	// a user ARN, the session ARN "arn:aws:sts::111122223333:assumed-role/R/s",
	// a role ARN (PrincipalRole), "arn:aws:sts::111122223333:federated-user/n",
	// the service name ("sagemaker.amazonaws.com") or the identity
	// provider. It is the ARN of denial messages.
	ARN string
	// Account is the principal's account ID ("" for services and
	// anonymous callers).
	Account string
	// RoleARN is, for sessions and roles, the ARN of the role with its
	// path: "arn:aws:iam::111122223333:role/path/R". A resource-based
	// policy naming it matches the role's sessions.
	RoleARN string
	// ServiceLinked marks a service-linked role or its sessions: neither
	// SCPs nor RCPs restrict them.
	ServiceLinked bool
}

// ParsePrincipal derives a Principal from an ARN: an account root
// (":root" or a bare account ID), a user ("user/"), a role ("role/"), a
// session ("assumed-role/R/s", whose RoleARN is then the role's ARN
// without a path), a federated user ("federated-user/"), an identity
// provider ("oidc-provider/", "saml-provider/"), a service principal
// ("sagemaker.amazonaws.com") or, for "" and "*", an anonymous caller.
func ParsePrincipal(s string) (Principal, error) {
	switch {
	case s == "" || s == "*":
		return Principal{Type: PrincipalAnonymous}, nil
	case isAccountID(s):
		return Principal{Type: PrincipalRoot, ARN: arn.Root(s), Account: s}, nil
	case !strings.HasPrefix(s, "arn:"):
		if strings.Contains(s, ".") && !strings.ContainsAny(s, ":/ ") {
			return Principal{Type: PrincipalService, ARN: s}, nil
		}
		return Principal{}, fmt.Errorf("policy: %q is not a principal ARN, account ID or service principal", s)
	}
	a, err := arn.Parse(s)
	if err != nil || a.Region != "" || !isAccountID(a.Account) {
		return Principal{}, fmt.Errorf("policy: %q is not a principal ARN", s)
	}
	partition, service, account, res := a.Partition, a.Service, a.Account, a.Resource
	p := Principal{ARN: s, Account: account}
	switch {
	case service == "iam" && res == "root":
		p.Type = PrincipalRoot
	case service == "iam" && strings.HasPrefix(res, "user/") && len(res) > 5:
		p.Type = PrincipalUser
	case service == "iam" && strings.HasPrefix(res, "role/") && len(res) > 5:
		p.Type, p.RoleARN = PrincipalRole, s
		p.ServiceLinked = strings.HasPrefix(res, "role/aws-service-role/")
	case service == "iam" && (strings.HasPrefix(res, "oidc-provider/") || strings.HasPrefix(res, "saml-provider/")):
		p.Type = PrincipalFederated
	case service == "sts" && strings.HasPrefix(res, "assumed-role/"):
		role, session, ok := strings.Cut(strings.TrimPrefix(res, "assumed-role/"), "/")
		if !ok || role == "" || session == "" {
			return Principal{}, fmt.Errorf("policy: %q is not an assumed-role ARN", s)
		}
		p.Type = PrincipalAssumedRole
		p.RoleARN = arn.ARN{Partition: partition, Service: "iam", Account: account, Resource: "role/" + role}.String()
	case service == "sts" && strings.HasPrefix(res, "federated-user/") && len(res) > 15:
		p.Type = PrincipalFederatedUser
	default:
		return Principal{}, fmt.Errorf("policy: %q is not a principal ARN", s)
	}
	return p, nil
}

// AddPrincipalKeys sets the global condition keys that follow from p —
// aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username,
// aws:PrincipalIsAWSService and aws:PrincipalServiceName — where c does not
// already hold them.
func (c *Context) AddPrincipalKeys(p Principal) {
	isService := "false"
	switch p.Type {
	case PrincipalRoot:
		c.SetDefault("aws:PrincipalType", "Account")
		c.SetDefault("aws:PrincipalArn", p.ARN)
	case PrincipalUser:
		c.SetDefault("aws:PrincipalType", "User")
		c.SetDefault("aws:PrincipalArn", p.ARN)
		c.SetDefault("aws:username", p.ARN[strings.LastIndexByte(p.ARN, '/')+1:])
	case PrincipalAssumedRole, PrincipalRole:
		c.SetDefault("aws:PrincipalType", "AssumedRole")
		c.SetDefault("aws:PrincipalArn", p.RoleARN)
	case PrincipalFederatedUser:
		c.SetDefault("aws:PrincipalType", "FederatedUser")
		c.SetDefault("aws:PrincipalArn", p.ARN)
	case PrincipalAnonymous:
		c.SetDefault("aws:PrincipalType", "Anonymous")
	case PrincipalService:
		isService = "true"
		c.SetDefault("aws:PrincipalServiceName", p.ARN)
	}
	if p.Account != "" {
		c.SetDefault("aws:PrincipalAccount", p.Account)
	}
	c.SetDefault("aws:PrincipalIsAWSService", isService)
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// principalSet is a compiled Principal or NotPrincipal element.
type principalSet struct {
	all       bool
	accounts  []string // from "111122223333" and "arn:aws:iam::111122223333:root"
	arns      []string // other AWS principals, matched exactly
	services  []string
	federated []string
}

// compilePrincipals validates and compiles a Principal element.
func compilePrincipals(p *Principals, stmt int, field string) (*principalSet, *Error) {
	ps := &principalSet{all: p.All}
	for _, v := range p.AWS {
		switch {
		case v == "*":
			ps.all = true
		case isAccountID(v):
			ps.accounts = append(ps.accounts, v)
		case isUniqueID(v):
			ps.arns = append(ps.arns, v)
		default:
			acct, ok := principalARNAccount(v)
			if !ok {
				return nil, errorf(stmt, field, "Invalid principal in policy: \"AWS\":\"%s\"", v)
			}
			if strings.HasSuffix(v, ":root") {
				ps.accounts = append(ps.accounts, acct)
			} else {
				ps.arns = append(ps.arns, v)
			}
		}
	}
	for _, v := range p.Service {
		if v == "" || strings.ContainsAny(v, " /") {
			return nil, errorf(stmt, field, "Invalid principal in policy: \"Service\":\"%s\"", v)
		}
		if v == "*" {
			ps.all = true
		}
		ps.services = append(ps.services, v)
	}
	for _, v := range p.Federated {
		if v == "" {
			return nil, errorf(stmt, field, "Invalid principal in policy: \"Federated\":\"%s\"", v)
		}
		ps.federated = append(ps.federated, v)
	}
	for _, v := range p.CanonicalUser {
		if v == "" {
			return nil, errorf(stmt, field, "Invalid principal in policy: \"CanonicalUser\":\"%s\"", v)
		}
	}
	return ps, nil
}

// principalARNAccount checks that v is an IAM or STS principal ARN with
// no wildcard and returns its account.
func principalARNAccount(v string) (string, bool) {
	if strings.ContainsAny(v, "*?") {
		return "", false
	}
	a, err := arn.Parse(v)
	if err != nil || a.Region != "" || !isAccountID(a.Account) || a.Resource == "" {
		return "", false
	}
	res := a.Resource
	switch a.Service {
	case "iam":
		if res == "root" || strings.HasPrefix(res, "user/") || strings.HasPrefix(res, "role/") {
			return a.Account, true
		}
	case "sts":
		if strings.HasPrefix(res, "assumed-role/") || strings.HasPrefix(res, "federated-user/") {
			return a.Account, true
		}
	}
	return "", false
}

// isUniqueID reports whether v looks like the unique ID AWS puts in a
// policy in place of a deleted user or role (AIDA..., AROA...).
func isUniqueID(v string) bool {
	if len(v) < 16 || v[0] != 'A' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// principalMatch says how a Principal element named the request's
// principal. The stronger matches grant more in the principal's own
// account.
type principalMatch uint8

const (
	pmNone    principalMatch = iota
	pmAccount                // the principal's account, by ID or root ARN
	pmRole                   // the role of a session
	pmDirect                 // the principal itself, "*", or its service
)

// match reports how ps names p.
func (ps *principalSet) match(p *Principal) principalMatch {
	if ps.all {
		return pmDirect
	}
	switch p.Type {
	case PrincipalService:
		for _, s := range ps.services {
			if strings.EqualFold(s, p.ARN) {
				return pmDirect
			}
		}
		return pmNone
	case PrincipalFederated:
		for _, f := range ps.federated {
			if f == p.ARN {
				return pmDirect
			}
		}
		return pmNone
	case PrincipalAnonymous:
		return pmNone
	}
	best := pmNone
	for _, a := range ps.arns {
		switch {
		case p.Type == PrincipalRole && a == p.ARN:
			best = max(best, pmRole)
		case a == p.ARN:
			return pmDirect
		case p.Type == PrincipalAssumedRole && a == p.RoleARN:
			best = max(best, pmRole)
		}
	}
	if best == pmNone && p.Account != "" {
		for _, a := range ps.accounts {
			if a == p.Account {
				return pmAccount
			}
		}
	}
	return best
}

// excludes reports whether a NotPrincipal element spares p. It spares an
// IAM principal only when it names every identity in its chain: the
// account, then the role (for sessions), then the principal itself. A role
// evaluated as itself (a simulation's principal) is spared by its own ARN:
// it has no session to name. A session is spared only with its session ARN
// named too, as the IAM user guide says of assumed-role users.
func (ps *principalSet) excludes(p *Principal) bool {
	if ps.all {
		return true
	}
	switch p.Type {
	case PrincipalService, PrincipalFederated:
		return ps.match(p) == pmDirect
	case PrincipalAnonymous:
		return false
	case PrincipalRole:
		if ps.hasARN(p.ARN) {
			return true
		}
	}
	account := false
	for _, a := range ps.accounts {
		if a == p.Account {
			account = true
			break
		}
	}
	if !account {
		return false
	}
	switch p.Type {
	case PrincipalRoot:
		return true
	case PrincipalAssumedRole:
		return ps.hasARN(p.RoleARN) && ps.hasARN(p.ARN)
	}
	return ps.hasARN(p.ARN)
}

func (ps *principalSet) hasARN(arn string) bool {
	for _, a := range ps.arns {
		if a == arn {
			return true
		}
	}
	return false
}
