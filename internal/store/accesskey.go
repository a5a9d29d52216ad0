package store

import "time"

// Access key statuses.
const (
	KeyActive   = "Active"
	KeyInactive = "Inactive"
)

// AccessKey is a long-term access key of an account's root user (UserName empty) or of an
// IAM user.
type AccessKey struct {
	ID        string // AKIA…
	Secret    string
	AccountID string
	UserName  string
	Status    string
	CreatedAt time.Time
}

// AccessKeyTx reads and writes access keys.
type AccessKeyTx interface {
	AccessKey(id string) (*AccessKey, error)
	// ListAccessKeys returns the keys of one user ("" for the root) in creation order.
	ListAccessKeys(accountID, userName string) ([]*AccessKey, error)
	CreateAccessKey(*AccessKey) error
	// UpdateAccessKeyStatus sets a key's status (KeyActive, KeyInactive).
	UpdateAccessKeyStatus(id, status string) error
	// DeleteAccessKey deletes a key; ErrNotFound when there is none.
	DeleteAccessKey(id string) error
}
