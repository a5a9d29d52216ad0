package store

import "time"

// Organization policy types Cairn keeps.
const (
	ServiceControlPolicy  = "SERVICE_CONTROL_POLICY"
	ResourceControlPolicy = "RESOURCE_CONTROL_POLICY"
)

// OrganizationalUnit is an organizational unit: a container of accounts and other OUs
// under the organization's root.
type OrganizationalUnit struct {
	ID        string // ou-<root suffix>-<8 characters>
	Name      string // unique among the OUs of one parent
	ParentID  string // the root (r-…) or an OU (ou-…)
	CreatedAt time.Time
}

// OrgPolicy is an organization policy: a service control policy or a resource control
// policy.
type OrgPolicy struct {
	ID          string // p-…
	Type        string // SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY
	Name        string // unique among the policies of one type
	Description string
	Content     string // the JSON document as the caller wrote it
	AWSManaged  bool   // FullAWSAccess, RCPFullAWSAccess: never updated or deleted
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// OrgPolicyTx reads and writes organizational units, organization policies (SCPs, RCPs)
// and their attachments. Writes record Changes: ChangeOrgPolicy (key: the policy ID, or
// "type/<TYPE>" when a policy type is enabled or disabled) whenever what applies to an
// account may change, ChangeAccount for MoveAccount, and ChangeOrganizationalUnit. The
// tags of the root, OUs, accounts and policies are TagTx's, under their IDs.
type OrgPolicyTx interface {
	OrganizationalUnit(id string) (*OrganizationalUnit, error)
	// OrganizationalUnitByName finds the OU named name under parentID.
	OrganizationalUnitByName(parentID, name string) (*OrganizationalUnit, error)
	// ListOrganizationalUnits returns the OUs directly under parentID in ID order.
	ListOrganizationalUnits(parentID string, p Page) ([]*OrganizationalUnit, error)
	// CountOrganizationalUnits counts every OU of the organization.
	CountOrganizationalUnits() (int, error)
	// CreateOrganizationalUnit returns ErrExists when the parent has an OU of that name.
	CreateOrganizationalUnit(*OrganizationalUnit) error
	// RenameOrganizationalUnit returns ErrExists when the parent has an OU of that name.
	RenameOrganizationalUnit(id, name string) error
	// DeleteOrganizationalUnit deletes the OU, its policy attachments and its tags.
	DeleteOrganizationalUnit(id string) error

	// ListAccountsForParent returns the accounts directly under parentID in ID order.
	ListAccountsForParent(parentID string, p Page) ([]*Account, error)
	// MoveAccount sets the account's parent.
	MoveAccount(accountID, parentID string) error

	// EnabledPolicyTypes lists the policy types enabled in the root, sorted.
	EnabledPolicyTypes() ([]string, error)
	EnablePolicyType(policyType string, at time.Time) error
	// DisablePolicyType disables the type and detaches every policy of the type.
	DisablePolicyType(policyType string) error

	OrgPolicy(id string) (*OrgPolicy, error)
	// OrgPolicyByName finds the policy of policyType named name.
	OrgPolicyByName(policyType, name string) (*OrgPolicy, error)
	// ListOrgPolicies returns the policies of policyType in ID order.
	ListOrgPolicies(policyType string, p Page) ([]*OrgPolicy, error)
	// CountOrgPolicies counts the policies of policyType that are not AWS managed.
	CountOrgPolicies(policyType string) (int, error)
	// CreateOrgPolicy returns ErrExists when the ID or the type and name are taken.
	CreateOrgPolicy(*OrgPolicy) error
	// UpdateOrgPolicy replaces the name, description, content and update time.
	UpdateOrgPolicy(*OrgPolicy) error
	// DeleteOrgPolicy deletes a policy and its tags; it must have no attachments.
	DeleteOrgPolicy(id string) error

	// AttachOrgPolicy returns ErrExists when the policy is already attached to target.
	AttachOrgPolicy(policyID, targetID string, at time.Time) error
	// DetachOrgPolicy returns ErrNotFound when the policy is not attached to target.
	DetachOrgPolicy(policyID, targetID string) error
	// ListOrgPoliciesForTarget returns the policies of policyType attached to target, in
	// ID order.
	ListOrgPoliciesForTarget(targetID, policyType string, p Page) ([]*OrgPolicy, error)
	// ListOrgPolicyTargets returns the IDs of the targets policyID is attached to, in
	// order.
	ListOrgPolicyTargets(policyID string, p Page) ([]string, error)
	// CountOrgPolicyTargets counts the targets policyID is attached to.
	CountOrgPolicyTargets(policyID string) (int, error)

	// PolicyChain returns, for the account, the documents of the policies of policyType
	// attached at each level from the organization root down to the account itself
	// (root, OUs in order, account); nil when the type is not enabled. Service control
	// and resource control policies never restrict the management account; callers
	// skip it.
	PolicyChain(accountID, policyType string) ([][]PolicyDocument, error)
	// OrgPath returns the account's aws:PrincipalOrgPaths value "o-…/r-…/ou-…/ou-…/".
	OrgPath(accountID string) (string, error)
}

// OrgMembershipTx reads what places an account in the organization — the organization,
// the account, its path — for a service that evaluates a resource policy's organization
// conditions (aws:PrincipalOrgID, aws:PrincipalOrgPaths) itself.
type OrgMembershipTx interface {
	Organization() (*Organization, error)
	Account(id string) (*Account, error)
	OrgPath(accountID string) (string, error)
}
