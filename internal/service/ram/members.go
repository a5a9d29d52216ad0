package ram

import (
	"sort"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/store"
)

// What a share is asked to hold — resources, principals, sources — checked against the
// resource types, the organization and the share before anything is written.

// member is a resource, principal or source to associate, resolved.
type member struct {
	typ      string // PRINCIPAL, RESOURCE, SOURCE
	entity   string
	kind     string
	account  string
	external bool
	invite   bool
	resType  *ResourceType
}

// resolveResources checks resources a share of owner is to hold: each must be of a
// shareable type, owned by owner, and exist.
func (s *Service) resolveResources(tx txn, owner string, arns []string) ([]member, error) {
	var out []member
	seen := map[string]bool{}
	for _, v := range arns {
		if _, err := arn.Parse(v); err != nil {
			return nil, malformedARN("%s is not an ARN.", v)
		}
		typ, ref, ok := s.types.resolve(v)
		if !ok {
			return nil, invalidParameter("The resource %s can't be shared: RAM shares %s here (in %s).", v, s.types.names(), s.region)
		}
		if ref.Account != owner {
			return nil, unknownResource("The resource %s does not exist in this account: you can share only resources you own.", v)
		}
		exists, err := typ.Exists(tx.(store.Tx), ref)
		if err != nil {
			return nil, err
		}
		if !exists {
			return nil, unknownResource("The resource %s does not exist.", v)
		}
		if seen[ref.ARN] {
			continue
		}
		seen[ref.ARN] = true
		out = append(out, member{typ: store.RAMResource, entity: ref.ARN, kind: typ.Name, account: ref.Account, resType: typ})
	}
	return out, nil
}

// resolvePrincipals checks principals a share is to be shared with. Organization and OU
// principals need sharing with the organization enabled; a principal outside the
// organization needs a share that allows external principals. Principals outside the
// organization, and every principal while sharing with it is not enabled, must accept an
// invitation.
func (s *Service) resolvePrincipals(tx txn, org *orgInfo, share *store.RAMShare, given []string) ([]member, error) {
	var out []member
	seen := map[string]bool{}
	ownerInOrg, err := org.member(tx, share.OwnerAccount)
	if err != nil {
		return nil, err
	}
	for _, v := range given {
		p, perr := parsePrincipal(v)
		if perr != nil {
			return nil, perr
		}
		m := member{typ: store.RAMPrincipal, entity: p.ID, kind: p.Kind, account: p.Account}
		switch p.Kind {
		case kindService:
			return nil, invalidParameter("The principal %s is a service principal; %s can't be shared with services.", v, s.types.names())
		case kindOrganization, kindOU:
			if org.org == nil || !ownerInOrg {
				return nil, unknownResource("The account %s belongs to no organization to share with.", share.OwnerAccount)
			}
			if p.OrgID != org.org.ID || arn.Account(p.ID) != org.org.ManagementAccountID {
				return nil, unknownResource("%s is not your organization (%s) or one of its organizational units.", v, org.arn())
			}
			if !org.sharing {
				return nil, operationNotPermitted("Sharing with your organization is not enabled: the management account must call EnableSharingWithAwsOrganization before %s can be a principal.", v)
			}
			if p.Kind == kindOU {
				if _, err := tx.OrganizationalUnit(p.OUID); isNotFound(err) {
					return nil, unknownResource("The organizational unit %s does not exist in %s.", p.OUID, org.org.ID)
				} else if err != nil {
					return nil, err
				}
			}
		default: // accounts, roles, users
			if p.Account == share.OwnerAccount {
				return nil, invalidParameter("The principal %s is in the account that owns the resource share.", v)
			}
			inOrg, err := org.member(tx, p.Account)
			if err != nil {
				return nil, err
			}
			if inOrg && (p.Kind == kindRole || p.Kind == kindUser) {
				if err := s.checkIdentity(tx, p); err != nil {
					return nil, err
				}
			}
			m.external = !(inOrg && ownerInOrg)
			m.invite = m.external || !org.sharing
		}
		if m.external && !share.AllowExternalPrincipals {
			return nil, operationNotPermitted("The resource share %s does not allow external principals, and %s is outside your organization.", share.Name, v)
		}
		if seen[m.entity] {
			continue
		}
		seen[m.entity] = true
		out = append(out, m)
	}
	return out, nil
}

// checkIdentity checks that a role or user principal exists.
func (s *Service) checkIdentity(tx txn, p principal) error {
	var err error
	if p.Kind == kindRole {
		_, err = tx.Role(p.Account, p.Name)
	} else {
		_, err = tx.User(p.Account, p.Name)
	}
	if isNotFound(err) {
		return unknownResource("The principal %s does not exist.", p.ID)
	}
	return err
}

// resolveSources checks source constraints: account IDs, ARNs, organization IDs or
// organization paths. They bind service principals, which no Cairn type is shared with;
// RAM keeps and lists them.
func resolveSources(given []string) ([]member, error) {
	var out []member
	seen := map[string]bool{}
	for _, v := range given {
		m := member{typ: store.RAMSource, entity: v}
		switch {
		case arn.IsAccountID(v):
			m.kind, m.account = "ACCOUNT", v
		case orgIDRE.MatchString(v):
			m.kind = "ORGANIZATION_ID"
		case strings.HasPrefix(v, "o-") && strings.Contains(v, "/"):
			m.kind = "ORGANIZATION_PATH"
		case strings.HasPrefix(v, "arn:"):
			if _, err := arn.Parse(v); err != nil {
				return nil, malformedARN("The source %s is not a well-formed ARN.", v)
			}
			m.kind = "ARN"
		default:
			return nil, invalidParameter("The source %s is neither an account ID, an ARN, an organization ID nor an organization path.", v)
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, m)
		}
	}
	return out, nil
}

// resolvePermissions checks the permissions a new share names: at most one per resource
// type, each attachable. It returns them by type.
func (s *Service) resolvePermissions(tx txn, account string, arns []string) (map[string]*perm, error) {
	out := map[string]*perm{}
	for _, a := range arns {
		p, err := s.permission(tx, account, a)
		if err != nil {
			return nil, err
		}
		if p.typ == nil || p.Status != attachable {
			return nil, invalidParameter("The permission %s can't be attached (%s).", a, strings.ToLower(p.Status))
		}
		if prev, dup := out[p.ResourceType]; dup && prev.ARN != p.ARN {
			return nil, invalidParameter("The permissions %s and %s are both for %s; a share has one permission per resource type.", prev.ARN, a, p.ResourceType)
		}
		out[p.ResourceType] = p
	}
	return out, nil
}

// sortedTypes lists the keys of a permission map.
func sortedTypes(m map[string]*perm) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
