package store

import (
	"time"

	"github.com/cairnhq/cairn/internal/arn"
)

// AWSManagedAccount is the AccountID of the managed policies AWS owns
// (arn:aws:iam::aws:policy/…): they are visible and attachable in every account.
const AWSManagedAccount = "aws"

// PrincipalKind says whether an IAM principal is a user or a role.
type PrincipalKind int

// Principal kinds.
const (
	PrincipalUser PrincipalKind = iota + 1
	PrincipalRole
)

// EntityKind names the kinds of IAM entities: policies attach to users, groups and
// roles; counts and changes also name managed policies.
type EntityKind int

// Entity kinds.
const (
	EntityUser EntityKind = iota + 1
	EntityGroup
	EntityRole
	EntityPolicy
)

// String returns "user", "group", "role" or "policy".
func (k EntityKind) String() string {
	switch k {
	case EntityUser:
		return "user"
	case EntityGroup:
		return "group"
	case EntityRole:
		return "role"
	case EntityPolicy:
		return "policy"
	}
	return "entity"
}

// ChangeKind returns the Kind of the Change an Update records for the entity:
// ChangeUser, ChangeGroup, ChangeRole or ChangePolicy.
func (k EntityKind) ChangeKind() ChangeKind { return ChangeKind(k.String()) }

// User is an IAM user. Names are unique in an account without regard to case.
type User struct {
	AccountID              string
	Name                   string
	ID                     string // AIDA…
	Path                   string // "/" or "/a/b/"
	PermissionsBoundaryARN string // "" for none
	CreatedAt              time.Time
	Tags                   []Tag
}

// ARN returns arn:aws:iam::<account>:user<path><name>.
func (u *User) ARN() string { return arn.User(u.AccountID, u.Path, u.Name) }

// Group is an IAM group.
type Group struct {
	AccountID string
	Name      string
	ID        string // AGPA…
	Path      string
	CreatedAt time.Time
}

// ARN returns arn:aws:iam::<account>:group<path><name>.
func (g *Group) ARN() string { return arn.Group(g.AccountID, g.Path, g.Name) }

// Role is an IAM role.
type Role struct {
	AccountID   string
	Name        string
	ID          string // AROA…; CreateRole derives one from the account and name when empty
	Path        string // "/" when empty
	Description string
	// AssumeRolePolicyDocument is the trust policy, as JSON text.
	AssumeRolePolicyDocument string
	// MaxSessionDuration is in seconds, 3600…43200 (3600 when zero).
	MaxSessionDuration     int
	PermissionsBoundaryARN string
	CreatedAt              time.Time
	LastUsedAt             time.Time // zero when never used
	LastUsedRegion         string
	Tags                   []Tag
}

// ARN returns arn:aws:iam::<account>:role<path><name>.
func (r *Role) ARN() string { return arn.Role(r.AccountID, r.Path, r.Name) }

// ManagedPolicy is a customer managed policy (AccountID is its account) or an AWS managed
// policy (AccountID is AWSManagedAccount).
type ManagedPolicy struct {
	ARN              string
	AccountID        string
	Name             string
	ID               string // ANPA…
	Path             string
	Description      string
	DefaultVersionID string // "v1", …
	// LastVersion is the number of the newest version ever created; version numbers are
	// not reused.
	LastVersion int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Tags        []Tag
}

// PolicyVersion is one version of a managed policy's document.
type PolicyVersion struct {
	PolicyARN string
	VersionID string // "v1", …
	Document  string // JSON text as given
	CreatedAt time.Time
}

// InlinePolicy is a policy embedded in a user, group or role.
type InlinePolicy struct {
	Name     string
	Document string
}

// PolicyUsage counts, in one account, the entities a managed policy is attached to and
// the users and roles it is the permissions boundary of.
type PolicyUsage struct {
	Attachments int
	Boundaries  int
}

// PolicyEntity is a user, group or role that uses a managed policy.
type PolicyEntity struct {
	Kind EntityKind
	Name string
	ID   string
	Path string
}

// PolicyFilter selects managed policies for ListManagedPolicies.
type PolicyFilter struct {
	// Scope is "All" (or ""), "AWS" or "Local".
	Scope string
	// PathPrefix keeps policies whose path starts with it ("" for all).
	PathPrefix string
	// OnlyAttached keeps policies in use in the account: attached as a permissions policy
	// (Usage "PermissionsPolicy"), set as a permissions boundary (Usage
	// "PermissionsBoundary"), or either (Usage "").
	OnlyAttached bool
	Usage        string
}

// PolicyDocument is one policy of an IdentityPolicySet.
type PolicyDocument struct {
	// ID names the policy stably: a managed policy's ARN, or "user/<name>/<policy>",
	// "group/<name>/<policy>", "role/<name>/<policy>" for inline policies.
	ID       string
	Document string
}

// IdentityPolicySet is every identity-based policy that applies to a user or role, and
// its permissions boundary.
type IdentityPolicySet struct {
	Policies []PolicyDocument
	Boundary *PolicyDocument // nil when none is set
}

// IAMTx reads and writes IAM users, groups, roles, managed and inline policies,
// attachments and tags. The Tags of users, roles and managed policies are stored under
// their unique IDs (see TagTx); the writes below fold their keys as IAM does (FoldTags).
// Entities are addressed by account and name (names compare without
// case) and managed policies by ARN. Every write records a Change of kind ChangeUser,
// ChangeGroup, ChangeRole (key "<account>/<name>") or ChangePolicy (key: the policy ARN)
// for each entity whose effective policies or attributes it changed.
type IAMTx interface {
	// IdentityPolicies returns every identity-based policy that applies to the user or
	// role (inline, attached managed policies' default versions, and for users their
	// groups' inline and attached policies) and its permissions boundary document (nil
	// if none).
	IdentityPolicies(accountID string, kind PrincipalKind, name string) (*IdentityPolicySet, error)

	User(accountID, name string) (*User, error)
	// ListUsers returns users whose path starts with pathPrefix, ordered by name without
	// case; Page.After is a name.
	ListUsers(accountID, pathPrefix string, p Page) ([]*User, error)
	CreateUser(*User) error
	// UpdateUser rewrites the user with u.ID: name, path, boundary and tags. A rename
	// follows through to the user's access keys.
	UpdateUser(u *User) error
	// DeleteUser deletes the user and its tags, inline policies, attachments and group
	// memberships.
	DeleteUser(accountID, name string) error

	Group(accountID, name string) (*Group, error)
	ListGroups(accountID, pathPrefix string, p Page) ([]*Group, error)
	CreateGroup(*Group) error
	// UpdateGroup rewrites the name and path of the group with g.ID.
	UpdateGroup(g *Group) error
	DeleteGroup(accountID, name string) error
	// AddUserToGroup adds the user to the group; adding a member again is not an error.
	AddUserToGroup(accountID, groupName, userName string) error
	// RemoveUserFromGroup returns ErrNotFound when the user is not a member.
	RemoveUserFromGroup(accountID, groupName, userName string) error
	// GroupsForUser returns the user's groups in the order they were joined.
	GroupsForUser(accountID, userName string) ([]*Group, error)
	// GroupUsers returns the group's members in the order they joined.
	GroupUsers(accountID, groupName string) ([]*User, error)

	Role(accountID, name string) (*Role, error)
	ListRoles(accountID, pathPrefix string, p Page) ([]*Role, error)
	CreateRole(*Role) error
	// UpdateRole rewrites the role with r.ID: description, trust policy, maximum session
	// duration, boundary, last use and tags.
	UpdateRole(r *Role) error
	DeleteRole(accountID, name string) error

	// ManagedPolicy returns the customer or AWS managed policy with the ARN.
	ManagedPolicy(arn string) (*ManagedPolicy, error)
	// ListManagedPolicies returns the account's policies and AWS's, per the filter,
	// ordered by ARN; Page.After is an ARN.
	ListManagedPolicies(accountID string, f PolicyFilter, p Page) ([]*ManagedPolicy, error)
	// CreateManagedPolicy creates the policy with its first version v.
	CreateManagedPolicy(p *ManagedPolicy, v *PolicyVersion) error
	// UpdateManagedPolicy rewrites the default version, last version number, update
	// time, description and tags of the policy with p.ARN.
	UpdateManagedPolicy(p *ManagedPolicy) error
	// DeleteManagedPolicy deletes the policy, its versions and its tags.
	DeleteManagedPolicy(arn string) error
	// PolicyUsage counts the policy's attachments and boundary uses in the account.
	PolicyUsage(accountID, arn string) (PolicyUsage, error)
	// PolicyEntities returns the account's users, groups and roles the policy is
	// attached to.
	PolicyEntities(accountID, arn string) ([]PolicyEntity, error)
	// BoundaryEntities returns the account's users and roles whose permissions boundary
	// is the policy.
	BoundaryEntities(accountID, arn string) ([]PolicyEntity, error)

	PolicyVersion(arn, versionID string) (*PolicyVersion, error)
	// PolicyVersions returns the policy's versions, newest first.
	PolicyVersions(arn string) ([]*PolicyVersion, error)
	CreatePolicyVersion(v *PolicyVersion) error
	DeletePolicyVersion(arn, versionID string) error

	// AttachPolicy attaches a managed policy to a user, group or role; attaching it
	// again is not an error. ErrNotFound when the entity or the policy does not exist.
	AttachPolicy(accountID string, kind EntityKind, name, policyARN string) error
	// DetachPolicy returns ErrNotFound when the policy is not attached.
	DetachPolicy(accountID string, kind EntityKind, name, policyARN string) error
	// AttachedPolicies returns the managed policies attached to the entity, in the order
	// they were attached.
	AttachedPolicies(accountID string, kind EntityKind, name string) ([]*ManagedPolicy, error)
	// AttachRolePolicy is AttachPolicy for a role.
	AttachRolePolicy(accountID, roleName, policyARN string) error

	// InlinePolicy returns one inline policy of a user, group or role.
	InlinePolicy(accountID string, kind EntityKind, entity, name string) (*InlinePolicy, error)
	// InlinePolicies returns the entity's inline policies ordered by name.
	InlinePolicies(accountID string, kind EntityKind, entity string) ([]*InlinePolicy, error)
	// PutInlinePolicy creates or replaces an inline policy.
	PutInlinePolicy(accountID string, kind EntityKind, entity string, p *InlinePolicy) error
	DeleteInlinePolicy(accountID string, kind EntityKind, entity, name string) error

	// CountEntities counts the account's users, groups, roles or customer managed
	// policies.
	CountEntities(accountID string, kind EntityKind) (int, error)
}
