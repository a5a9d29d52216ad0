package ram

import (
	"regexp"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/operation"
)

// Kinds of principal a share can name (the Kind of a PRINCIPAL association).
const (
	kindAccount      = "ACCOUNT"
	kindOrganization = "ORGANIZATION"
	kindOU           = "ORGANIZATIONAL_UNIT"
	kindRole         = "ROLE"
	kindUser         = "USER"
	kindService      = "SERVICE"
)

// principal is one principal of a share, parsed.
type principal struct {
	// ID is the principal as RAM records it: an account ID, the ARN of an organization,
	// an OU, a role or a user, or a service principal's name.
	ID   string
	Kind string
	// Account is the account the principal is or belongs to ("" for organizations, OUs
	// and services).
	Account string
	// OrgID and OUID name the organization and OU of organization principals.
	OrgID, OUID string
	// Name is a role's or user's name (the last segment of its path).
	Name string
}

var (
	orgIDRE   = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	ouIDRE    = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	iamNameRE = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	serviceRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$`)
)

// parsePrincipal reads a principal as CreateResourceShare and AssociateResourceShare take
// them: an account ID, an organization or OU ARN (with or without its "arn:aws:" prefix),
// an IAM role or user ARN, or a service principal. An account's root user is refused: RAM
// shares with accounts by their ID.
func parsePrincipal(s string) (principal, *operation.Error) {
	switch {
	case arn.IsAccountID(s):
		return principal{ID: s, Kind: kindAccount, Account: s}, nil
	case serviceRE.MatchString(s):
		return principal{ID: s, Kind: kindService}, nil
	case strings.HasPrefix(s, "organizations::"):
		s = "arn:aws:" + s
	case strings.HasPrefix(s, "iam::"):
		s = "arn:aws:" + s
	}
	a, err := arn.Parse(s)
	if err != nil {
		return principal{}, invalidParameter("The principal %q is neither an account ID nor the ARN of an organization, an organizational unit, an IAM role or an IAM user.", s)
	}
	switch a.Service {
	case "organizations":
		return parseOrgPrincipal(s, a)
	case "iam":
		if a.Partition != "aws" || a.Region != "" || !arn.IsAccountID(a.Account) {
			return principal{}, malformedARN("The principal %s is not a well-formed IAM ARN.", s)
		}
		if a.Resource == "root" {
			return principal{}, invalidParameter("The principal %s is an account's root user; to share with the account, give its ID %s.", s, a.Account)
		}
		kind, path, ok := strings.Cut(a.Resource, "/")
		name := path[strings.LastIndex(path, "/")+1:]
		if !ok || (kind != "role" && kind != "user") || !iamNameRE.MatchString(name) {
			return principal{}, malformedARN("The principal %s is not the ARN of an IAM role or user.", s)
		}
		p := principal{ID: s, Kind: kindRole, Account: a.Account, Name: name}
		if kind == "user" {
			p.Kind = kindUser
		}
		return p, nil
	}
	return principal{}, invalidParameter("The principal %s is not an account, an organization, an organizational unit, an IAM role or an IAM user.", s)
}

func parseOrgPrincipal(s string, a arn.ARN) (principal, *operation.Error) {
	if a.Partition != "aws" || a.Region != "" || !arn.IsAccountID(a.Account) {
		return principal{}, malformedARN("The principal %s is not a well-formed AWS Organizations ARN.", s)
	}
	parts := strings.Split(a.Resource, "/")
	switch {
	case len(parts) == 2 && parts[0] == "organization" && orgIDRE.MatchString(parts[1]):
		return principal{ID: s, Kind: kindOrganization, OrgID: parts[1]}, nil
	case len(parts) == 3 && parts[0] == "ou" && orgIDRE.MatchString(parts[1]) && ouIDRE.MatchString(parts[2]):
		return principal{ID: s, Kind: kindOU, OrgID: parts[1], OUID: parts[2]}, nil
	}
	return principal{}, malformedARN("The principal %s is not the ARN of an organization or an organizational unit.", s)
}
