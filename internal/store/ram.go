package store

import "time"

// RAMShare is an AWS RAM resource share.
type RAMShare struct {
	ARN          string // arn:aws:ram:<region>:<owner>:resource-share/<uuid>
	OwnerAccount string
	Name         string
	// AllowExternalPrincipals lets principals outside the organization be associated.
	AllowExternalPrincipals bool
	Status                  string // PENDING, ACTIVE, FAILED, DELETING, DELETED
	StatusMessage           string
	FeatureSet              string // STANDARD, CREATED_FROM_POLICY, PROMOTING_TO_STANDARD
	// RetainOnLeave is resourceShareConfiguration.retainSharingOnAccountLeaveOrganization:
	// accounts of the organization keep what they got from the share when they leave it.
	RetainOnLeave bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// RAMShareQuery selects resource shares. Empty fields select everything, except a list
// that is empty but not nil, which selects nothing.
type RAMShareQuery struct {
	Owner             string   // the owning account
	ARNs              []string // any of these shares
	Status            string
	Name              string
	PermissionARN     string // shares with this permission associated
	PermissionVersion int    // with PermissionARN: only this version
	// TagFilters keep shares that have, for every filter, the key (with one of the values
	// when values are given) among their tags (TagTx, by the share's ARN).
	TagFilters []RAMTagFilter
}

// RAMTagFilter is one tag filter of GetResourceShares.
type RAMTagFilter struct {
	Key    string
	Values []string
}

// RAM association types and statuses.
const (
	RAMPrincipal = "PRINCIPAL"
	RAMResource  = "RESOURCE"
	RAMSource    = "SOURCE"

	RAMAssociating    = "ASSOCIATING"
	RAMAssociated     = "ASSOCIATED"
	RAMDisassociating = "DISASSOCIATING"
	RAMDisassociated  = "DISASSOCIATED"
	RAMFailed         = "FAILED"
)

// RAMAssociation links a resource share to a principal, a resource or a source.
type RAMAssociation struct {
	ShareARN string
	Type     string // PRINCIPAL, RESOURCE, SOURCE
	// Entity is the principal (account ID, organization, OU, role or user ARN), the
	// resource ARN or the source.
	Entity string
	// Kind is the resource type of a resource ("sagemaker:Pipeline"), the kind of a
	// principal (ACCOUNT, ORGANIZATION, ORGANIZATIONAL_UNIT, ROLE, USER) or of a source.
	Kind string
	// Account is the account the entity belongs to ("" for an organization or an OU).
	Account string
	// OwnerAccount owns the share.
	OwnerAccount  string
	Status        string
	StatusMessage string
	// External marks a principal outside the share owner's organization.
	External bool
	// Invite says the principal gets access only by accepting an invitation.
	Invite bool
	// DueAt is when a pending transition (ASSOCIATING, DISASSOCIATING) completes; zero
	// when none is pending.
	DueAt     time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RAMAssociationQuery selects associations. Empty fields select everything, except a
// list that is empty but not nil, which selects nothing.
type RAMAssociationQuery struct {
	Type      string
	Owner     string   // the share owner's account
	ShareARNs []string // any of these shares
	Entity    string
	Account   string // entities belonging to this account
	Status    string
}

// RAMInvitation invites an account (or one of its roles or users) to a resource share.
type RAMInvitation struct {
	ARN             string // arn:aws:ram:<region>:<sender>:resource-share-invitation/<uuid>
	ShareARN        string
	SenderAccount   string
	ReceiverAccount string
	// ReceiverARN is the invited role or user; "" when the account itself is invited.
	ReceiverARN string
	// Principal is the principal association the invitation answers.
	Principal string
	Status    string // PENDING, ACCEPTED, REJECTED (EXPIRED is computed from CreatedAt)
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RAMInvitationQuery selects invitations. Empty fields select everything, except a list
// that is empty but not nil, which selects nothing.
type RAMInvitationQuery struct {
	Receiver  string
	ARNs      []string
	ShareARNs []string
	Principal string // with one share: the invitations of this principal association
}

// RAMPermission is a customer managed RAM permission (AWS managed permissions are
// declared in code).
type RAMPermission struct {
	ARN          string // arn:aws:ram:<region>:<owner>:permission/<name>
	OwnerAccount string
	Name         string // unique per account, ignoring case
	ResourceType string
	FeatureSet   string // STANDARD, CREATED_FROM_POLICY, PROMOTING_TO_STANDARD
	Status       string // ATTACHABLE, UNATTACHABLE, DELETING, DELETED
	// DefaultVersion is the version new shares get.
	DefaultVersion int
	// LastVersion is the highest version ever created; numbers are never reused.
	LastVersion int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RAMPermissionVersion is one version of a customer managed permission.
type RAMPermissionVersion struct {
	PermissionARN string
	Version       int
	// Template is the policy template: a statement with Effect, Action and Condition.
	Template  string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RAMSharePermission is the permission a share grants for one resource type.
type RAMSharePermission struct {
	ShareARN          string
	ResourceType      string
	PermissionARN     string
	PermissionVersion int
	Status            string // ASSOCIATED
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// RAMReplaceWork is one ReplacePermissionAssociations request.
type RAMReplaceWork struct {
	ID            string
	OwnerAccount  string
	FromARN       string
	FromVersion   int // 0: every version
	ToARN         string
	ToVersion     int
	Status        string // IN_PROGRESS, COMPLETED, FAILED
	StatusMessage string
	DueAt         time.Time // when IN_PROGRESS work completes
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// RAMClientToken remembers an idempotent request: the hash of its parameters and the
// response it got.
type RAMClientToken struct {
	Account     string
	Operation   string
	Token       string
	RequestHash string
	Response    string
	CreatedAt   time.Time
}

// RAMTx reads and writes AWS RAM's records: resource shares, their associations and
// invitations, customer managed permissions, and the resource policies shares attach.
// The tags of shares and permissions are TagTx's, named by the share's or permission's
// ARN. Every write records the Change its comment names (see change.go for the keys);
// writes that leave work due later also record a ChangeRAMPending, so that the worker
// that completes it wakes.
type RAMTx interface {
	RAMShare(arn string) (*RAMShare, error)
	// CreateRAMShare returns ErrExists when the ARN is taken. ChangeRAMShare.
	CreateRAMShare(*RAMShare) error
	// UpdateRAMShare replaces the name, flags, status, status message, feature set and
	// update time; ErrNotFound when there is no such share. ChangeRAMShare.
	UpdateRAMShare(*RAMShare) error
	// ListRAMShares returns the shares q selects in ARN order, after p.After.
	ListRAMShares(q RAMShareQuery, p Page) ([]*RAMShare, error)
	// CountRAMShares counts the shares an account owns that are not DELETED.
	CountRAMShares(owner string) (int, error)

	RAMAssociation(shareARN, typ, entity string) (*RAMAssociation, error)
	// PutRAMAssociation creates or replaces an association. ChangeRAMAssociation, and
	// ChangeRAMPending when it has a DueAt.
	PutRAMAssociation(*RAMAssociation) error
	// ListRAMAssociations returns the associations q selects ordered by share ARN and
	// entity, after the key p.After ("<share ARN> <entity>").
	ListRAMAssociations(q RAMAssociationQuery, p Page) ([]*RAMAssociation, error)
	// DueRAMAssociations returns the associations whose pending transition is due at or
	// before t (those with a DueAt), earliest first, then by share ARN and entity.
	DueRAMAssociations(t time.Time) ([]*RAMAssociation, error)
	// NextRAMDue returns when the earliest pending association or replacement is due;
	// zero when none is.
	NextRAMDue() (time.Time, error)

	RAMInvitation(arn string) (*RAMInvitation, error)
	// PutRAMInvitation creates or replaces an invitation. ChangeRAMInvitation.
	PutRAMInvitation(*RAMInvitation) error
	// ListRAMInvitations returns the invitations q selects in ARN order.
	ListRAMInvitations(q RAMInvitationQuery) ([]*RAMInvitation, error)
	// DeleteRAMInvitations deletes the invitations of one principal of a share.
	// ChangeRAMInvitation for each, in ARN order.
	DeleteRAMInvitations(shareARN, principal string) error

	RAMPermission(arn string) (*RAMPermission, error)
	// CreateRAMPermission returns ErrExists when the account has a permission of the same
	// name, whatever its case. ChangeRAMPermission.
	CreateRAMPermission(*RAMPermission) error
	// UpdateRAMPermission replaces the feature set, status, versions and update time;
	// ErrNotFound when there is no such permission. ChangeRAMPermission.
	UpdateRAMPermission(*RAMPermission) error
	// DeleteRAMPermission deletes a permission, its versions and its tags; ErrNotFound
	// when there is no such permission. ChangeRAMPermission.
	DeleteRAMPermission(arn string) error
	// ListRAMPermissions returns an account's customer managed permissions in ARN order.
	ListRAMPermissions(owner string) ([]*RAMPermission, error)
	CountRAMPermissions(owner string) (int, error)
	RAMPermissionVersion(arn string, version int) (*RAMPermissionVersion, error)
	// PutRAMPermissionVersion creates or replaces a version. ChangeRAMPermission.
	PutRAMPermissionVersion(*RAMPermissionVersion) error
	// DeleteRAMPermissionVersion deletes a version; ErrNotFound when there is no such
	// version. ChangeRAMPermission.
	DeleteRAMPermissionVersion(arn string, version int) error
	// ListRAMPermissionVersions returns a permission's versions in version order.
	ListRAMPermissionVersions(arn string) ([]*RAMPermissionVersion, error)

	// RAMSharePermissions returns the permissions of a share, by resource type order.
	RAMSharePermissions(shareARN string) ([]*RAMSharePermission, error)
	// PutRAMSharePermission creates or replaces the permission of a share for a type.
	// ChangeRAMSharePermission.
	PutRAMSharePermission(*RAMSharePermission) error
	// DeleteRAMSharePermission removes the permission of a share for a type; ErrNotFound
	// when the share has none for it. ChangeRAMSharePermission.
	DeleteRAMSharePermission(shareARN, resourceType string) error
	// RAMPermissionUses returns every share permission using permissionARN, in share
	// order.
	RAMPermissionUses(permissionARN string) ([]*RAMSharePermission, error)

	// PutRAMReplaceWork creates or replaces a replacement request. ChangeRAMReplaceWork,
	// and ChangeRAMPending when it has a DueAt.
	PutRAMReplaceWork(*RAMReplaceWork) error
	// ListRAMReplaceWork returns an account's replacement requests, oldest first.
	ListRAMReplaceWork(owner string) ([]*RAMReplaceWork, error)
	// DueRAMReplaceWork returns the requests due at or before t (those with a DueAt,
	// which only IN_PROGRESS work has), earliest first, then by ID.
	DueRAMReplaceWork(t time.Time) ([]*RAMReplaceWork, error)

	RAMClientToken(account, operation, token string) (*RAMClientToken, error)
	// PutRAMClientToken creates or replaces the record of an idempotent request. It
	// records no Change: nothing reacts to one.
	PutRAMClientToken(*RAMClientToken) error

	// RAMOrgSharing reports whether the organization's management account enabled
	// sharing with the organization.
	RAMOrgSharing(orgID string) (bool, error)
	// EnableRAMOrgSharing enables sharing with the organization; enabling it again keeps
	// the first time. ChangeRAMOrgSharing.
	EnableRAMOrgSharing(orgID string, at time.Time) error

	ResourcePolicyTx
}

// ResourcePolicyTx holds the resource-based policies RAM attaches to the resources it
// shares: RAM writes them, and the services owning the resources read them as their
// resources' policies (the cross-account seam).
type ResourcePolicyTx interface {
	// ResourcePolicy returns the resource-based policy RAM attached to a shared resource
	// (the union of what every active share of it grants), or ErrNotFound when no share
	// grants anything on it. Services put it in operation.Resource.Policy.
	ResourcePolicy(resourceARN string) ([]byte, error)
	// PutResourcePolicy writes the policy of a resource; an empty document removes it
	// (none to remove is no error). ChangeResourcePolicy.
	PutResourcePolicy(resourceARN, owner string, doc []byte, at time.Time) error
	// ListResourcePolicies returns the policies of the resources whose ARN starts with
	// prefix, in ARN order after p.After: what a service searching for resources shared
	// with a caller authorizes one by one.
	ListResourcePolicies(prefix string, p Page) ([]*ResourcePolicy, error)
}

// ResourcePolicy is the policy RAM attached to one shared resource.
type ResourcePolicy struct {
	ResourceARN  string
	OwnerAccount string
	Policy       []byte
	UpdatedAt    time.Time
}
