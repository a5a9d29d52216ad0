package store

import "time"

// Denial is an authorization denial kept for the console's access page: who was refused
// what, and the explanation the policy engine gave.
type Denial struct {
	// Account is the account of the principal refused.
	Account   string
	Time      time.Time
	Principal string
	Action    string
	Resource  string
	// Decision is ImplicitlyDenied or ExplicitlyDenied; PolicyType the kind of policy
	// that decided; PolicyID and Statement the Deny statement of an explicit deny.
	Decision, PolicyType, PolicyID, Statement string
	// Message is the AccessDenied message the caller got.
	Message   string
	RequestID string
}

// DenialTx keeps each account's most recent denials.
type DenialTx interface {
	// AddDenials records denials, in order, and keeps of every account they name only
	// its newest keep.
	AddDenials(ds []*Denial, keep int) error
	// RecentDenials returns an account's denials, newest first, at most limit.
	RecentDenials(account string, limit int) ([]*Denial, error)
}
