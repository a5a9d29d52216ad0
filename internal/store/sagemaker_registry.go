package store

import "time"

// ModelPackageGroup is a group of versioned model packages in SageMaker's model registry.
type ModelPackageGroup struct {
	AccountID   string
	Name        string // as created; unique per account regardless of case
	ARN         string
	Description string
	Status      string // Completed
	CreatedBy   string // the creating principal's ARN
	CreatedAt   time.Time
	// LatestVersion is the version number the group's newest package took (0 before the
	// first). Numbers are never reused, even after a version is deleted.
	LatestVersion int
}

// ModelPackage is a model package: a version of a group (versioned) or a package of its
// own (unversioned).
type ModelPackage struct {
	AccountID string
	// Name is the package's name; a versioned package carries its group's name.
	Name string
	// Version is the version number within the group; 0 for an unversioned package.
	Version int
	ARN     string
	// Request is the CreateModelPackage request as JSON, without the members the record
	// holds itself (names, tags, client token); updates rewrite it.
	Request             string
	Status              string // Completed
	ApprovalStatus      string // Approved, Rejected, PendingManualApproval; "" when not given
	ApprovalDescription string
	ClientToken         string
	CreatedBy           string
	LastModifiedBy      string
	CreatedAt           time.Time
	LastModifiedAt      time.Time
}

// Versioned reports whether the package is a version of a group.
func (p *ModelPackage) Versioned() bool { return p.Version > 0 }

// ModelRegistryTx reads and writes model package groups, their resource policies and
// model packages. Names compare regardless of case. Their tags are TagTx's, under their
// ARNs; deleting a group or a package deletes its tags, and deleting a group its policy.
type ModelRegistryTx interface {
	ModelPackageGroup(accountID, name string) (*ModelPackageGroup, error)
	ListModelPackageGroups(accountID string) ([]*ModelPackageGroup, error)
	CreateModelPackageGroup(*ModelPackageGroup) error
	UpdateModelPackageGroup(*ModelPackageGroup) error
	DeleteModelPackageGroup(accountID, name string) error

	// ModelPackageGroupPolicy reads the resource policy of a group (ErrNotFound for a
	// group without one, or no group).
	ModelPackageGroupPolicy(accountID, name string) (string, error)
	// PutModelPackageGroupPolicy sets or replaces the resource policy of a group that
	// exists (ErrNotFound otherwise).
	PutModelPackageGroupPolicy(accountID, name, policy string) error
	// DeleteModelPackageGroupPolicy removes a group's resource policy (ErrNotFound when
	// it has none).
	DeleteModelPackageGroupPolicy(accountID, name string) error

	// ModelPackage reads a package by name and version (0 for an unversioned package).
	ModelPackage(accountID, name string, version int) (*ModelPackage, error)
	ModelPackageByToken(accountID, clientToken string) (*ModelPackage, error)
	// ListModelPackages returns an account's packages in creation order; a non-empty
	// group selects the versions of that group.
	ListModelPackages(accountID, group string) ([]*ModelPackage, error)
	CreateModelPackage(*ModelPackage) error
	UpdateModelPackage(*ModelPackage) error
	DeleteModelPackage(accountID, name string, version int) error
}
