package store

import (
	"time"

	"github.com/cairnhq/cairn/internal/arn"
)

// KMS key states, as KeyMetadata.KeyState spells them.
const (
	KMSKeyEnabled         = "Enabled"
	KMSKeyDisabled        = "Disabled"
	KMSKeyPendingDeletion = "PendingDeletion"
)

// KMSKey is a KMS key of an account. Its key material lives in KMSKeyMaterial records,
// one per version (rotation adds one); its tags are TagTx's, under the key's ARN.
type KMSKey struct {
	Account string
	Region  string
	// ID is the key ID, a UUID ("1234abcd-12ab-34cd-56ef-1234567890ab").
	ID          string
	Description string
	KeyUsage    string // ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC
	KeySpec     string // SYMMETRIC_DEFAULT, RSA_2048, ECC_NIST_P256, HMAC_256, …
	Origin      string // AWS_KMS
	KeyManager  string // CUSTOMER, or AWS for an AWS managed key (alias/aws/…)
	State       string // Enabled, Disabled, PendingDeletion
	CreatedAt   time.Time
	// DeletionDate is when a key PendingDeletion is deleted; zero otherwise.
	DeletionDate time.Time
	// PendingWindowDays is the waiting period ScheduleKeyDeletion set.
	PendingWindowDays int
	// Policy is the key policy (its one policy, named "default").
	Policy string
	// RotationEnabled is automatic rotation; RotationPeriodDays its period and
	// NextRotation when it next rotates (zero when disabled).
	RotationEnabled    bool
	RotationPeriodDays int
	NextRotation       time.Time
	// CurrentVersion is the version of the key material new ciphertexts are made with.
	CurrentVersion int
}

// ARN is the key's ARN: arn:aws:kms:<region>:<account>:key/<id>.
func (k *KMSKey) ARN() string { return arn.KMSKey(k.Region, k.Account, k.ID) }

// KMSKeyMaterial is one version of a key's material, sealed under the data dir's master
// key: the store never holds key material in the clear.
type KMSKeyMaterial struct {
	Account string
	KeyID   string
	// Version counts from 1, the material the key was created with; each rotation adds
	// one.
	Version int
	// MaterialID is KMS's KeyMaterialId: 64 hexadecimal digits.
	MaterialID string
	// Sealed is the material encrypted (and authenticated) under the master key.
	Sealed []byte
	// CreatedAt is when the version was made (its rotation date).
	CreatedAt time.Time
	// RotationType is "" for the key's first material, AUTOMATIC or ON_DEMAND.
	RotationType string
}

// KMSAlias is an alias of an account's key: a name starting "alias/", unique in the
// account (with case, as KMS compares alias names).
type KMSAlias struct {
	Account     string
	Region      string
	Name        string // alias/…
	TargetKeyID string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ARN is the alias's ARN: arn:aws:kms:<region>:<account>:alias/….
func (a *KMSAlias) ARN() string { return arn.KMSAlias(a.Region, a.Account, a.Name) }

// KMSGrant is a grant on a key: permission for a grantee principal to use the key in the
// operations it lists, under its constraints.
type KMSGrant struct {
	// ID is the grant ID, 64 hexadecimal digits, unique in the installation.
	ID      string
	Account string // the key's account
	KeyID   string
	Name    string
	// GranteePrincipal and RetiringPrincipal are principal ARNs (or an AWS service
	// principal); RetiringPrincipal may be "".
	GranteePrincipal  string
	RetiringPrincipal string
	// IssuingAccount is the ARN of the root of the account that created the grant.
	IssuingAccount string
	Operations     []string
	// ContextEquals and ContextSubset are the grant's encryption context constraints
	// (EncryptionContextEquals, EncryptionContextSubset); nil for none.
	ContextEquals map[string]string
	ContextSubset map[string]string
	// TokenHash is the SHA-256 of the grant token the grant was created with; the token
	// itself is never stored.
	TokenHash []byte
	CreatedAt time.Time
}

// KMSGrantQuery selects grants. Empty fields select everything.
type KMSGrantQuery struct {
	Account           string // the key's account
	KeyID             string
	GranteePrincipal  string
	RetiringPrincipal string
}

// KMSTx reads and writes KMS keys, their material, aliases and grants. Keys are named by
// (account, ID) and listed in ID order; aliases by (account, name) and listed in name
// order; grants by ID and listed in ID order. Deleting a key deletes its material,
// aliases, grants and tags with it.
type KMSTx interface {
	// CreateKMSKey creates a key; ErrExists for a taken ID. It records ChangeKMSKey.
	CreateKMSKey(*KMSKey) error
	KMSKey(account, id string) (*KMSKey, error)
	// UpdateKMSKey writes every field of a key but its account, region, ID, usage, spec,
	// origin, manager and creation date; ErrNotFound when there is none. It records
	// ChangeKMSKey.
	UpdateKMSKey(*KMSKey) error
	// ListKMSKeys lists an account's keys in ID order.
	ListKMSKeys(account string, p Page) ([]*KMSKey, error)
	// DeleteKMSKey deletes a key with its material, aliases, grants and tags; ErrNotFound
	// when there is none. It records ChangeKMSKey (and ChangeKMSAlias, ChangeKMSGrant for
	// what it takes along).
	DeleteKMSKey(account, id string) error
	// KMSKeysDueForDeletion lists the keys PendingDeletion whose DeletionDate is at or
	// before t, in (account, ID) order.
	KMSKeysDueForDeletion(t time.Time) ([]*KMSKey, error)

	// PutKMSKeyMaterial adds a version of a key's material; ErrExists for a version the
	// key has, ErrNotFound when the key does not exist. It records ChangeKMSKey.
	PutKMSKeyMaterial(*KMSKeyMaterial) error
	// KMSKeyMaterials lists every version of a key's material, oldest first.
	KMSKeyMaterials(account, keyID string) ([]*KMSKeyMaterial, error)

	// PutKMSAlias creates an alias or points it at another key; ErrNotFound when the key
	// does not exist. It records ChangeKMSAlias with key "<account>/<name>".
	PutKMSAlias(*KMSAlias) error
	KMSAlias(account, name string) (*KMSAlias, error)
	// DeleteKMSAlias deletes an alias; ErrNotFound when there is none.
	DeleteKMSAlias(account, name string) error
	// ListKMSAliases lists an account's aliases in name order, only those of keyID when it
	// is not "".
	ListKMSAliases(account, keyID string, p Page) ([]*KMSAlias, error)

	// CreateKMSGrant creates a grant; ErrExists for a taken ID, ErrNotFound when its key
	// does not exist. It records ChangeKMSGrant with the grant's ID.
	CreateKMSGrant(*KMSGrant) error
	KMSGrant(id string) (*KMSGrant, error)
	// DeleteKMSGrant deletes a grant; ErrNotFound when there is none.
	DeleteKMSGrant(id string) error
	// ListKMSGrants lists the grants q selects, in ID order.
	ListKMSGrants(q KMSGrantQuery, p Page) ([]*KMSGrant, error)
}
