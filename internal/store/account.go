package store

import "time"

// Organization is the one organization of a Cairn installation.
type Organization struct {
	ID                  string // o-…
	ManagementAccountID string
	RootID              string // r-…
	FeatureSet          string // ALL
	CreatedAt           time.Time
}

// Account is an AWS-style account: a 12-digit ID with a root user.
type Account struct {
	ID           string
	Name         string
	Email        string
	State        string // ACTIVE, SUSPENDED, …
	JoinedMethod string // CREATED, INVITED
	JoinedAt     time.Time
	ParentID     string // the root or OU the account sits in
}

// CreateAccountStatus records one CreateAccount request.
type CreateAccountStatus struct {
	ID            string // car-…
	AccountName   string
	State         string // IN_PROGRESS, SUCCEEDED, FAILED
	AccountID     string
	FailureReason string
	RequestedAt   time.Time
	CompletedAt   time.Time
}

// OrganizationTx reads and writes the organization.
type OrganizationTx interface {
	Organization() (*Organization, error)
	CreateOrganization(*Organization) error
	CreateAccountStatus(id string) (*CreateAccountStatus, error)
	// ListCreateAccountStatuses lists CreateAccount requests in ID order, those in one of
	// states only when states is not empty.
	ListCreateAccountStatuses(states []string, p Page) ([]*CreateAccountStatus, error)
	PutCreateAccountStatus(*CreateAccountStatus) error
}

// AccountTx reads and writes accounts.
type AccountTx interface {
	Account(id string) (*Account, error)
	AccountByName(name string) (*Account, error)
	// AccountByEmail finds an account by email, ignoring case.
	AccountByEmail(email string) (*Account, error)
	ListAccounts(Page) ([]*Account, error)
	CreateAccount(*Account) error
}
