package store

import "time"

// Session is an STS session: temporary credentials for an assumed role, or — from
// GetSessionToken — for an IAM user or an account's root user. A session of a user or root
// has no role: RoleName, RoleARN and RoleID are empty, and CallerARN names the user (with
// its path) or the root user it stands for.
type Session struct {
	AccessKeyID string // ASIA…
	Secret      string
	// TokenHash is the SHA-256 of the session token; the token itself is never stored.
	TokenHash   []byte
	AccountID   string
	RoleName    string
	RoleARN     string // with the role's path
	RoleID      string // AROA…
	SessionName string
	// Policy is the inline session policy document; PolicyARNs the managed session
	// policies.
	Policy     string
	PolicyARNs []string
	// Tags are the session tags; TransitiveTagKeys those that pass to chained sessions.
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	// Chained marks a session created by a role session (role chaining).
	Chained bool
	// CallerARN is who assumed the role (a user, a session, or a service principal), or
	// the user or root user a session without a role stands for.
	CallerARN string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SessionTx reads and writes STS sessions.
type SessionTx interface {
	Session(accessKeyID string) (*Session, error)
	CreateSession(*Session) error
	// DeleteExpiredSessions removes sessions that expired before t and returns how many.
	DeleteExpiredSessions(t time.Time) (int, error)
}

// ForRole reports whether s is a role session (AssumeRole's), not a user's or root's
// (GetSessionToken's).
func (s *Session) ForRole() bool { return s.RoleName != "" }
