package sqlite

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

const sessionColumns = `access_key_id, secret, token_hash, account_id, role_name, role_arn, role_id, session_name,
	policy, policy_arns, tags, transitive_tag_keys, source_identity, chained, caller_arn, created_at, expires_at`

func (t *tx) Session(id string) (*store.Session, error) {
	var s store.Session
	var arns, tags, transitive, secret string
	var chained int
	var created, expires int64
	err := t.queryRow(`SELECT `+sessionColumns+` FROM sessions WHERE access_key_id = ?`, id).Scan(
		&s.AccessKeyID, &secret, &s.TokenHash, &s.AccountID, &s.RoleName, &s.RoleARN, &s.RoleID, &s.SessionName,
		&s.Policy, &arns, &tags, &transitive, &s.SourceIdentity, &chained, &s.CallerARN, &created, &expires)
	if err != nil {
		return nil, notFound(err)
	}
	if s.Secret, err = t.open(sessionPurpose(id), secret); err != nil {
		return nil, fmt.Errorf("session %s: %w", id, err)
	}
	if err := unmarshalAll([]string{arns, tags, transitive}, &s.PolicyARNs, &s.Tags, &s.TransitiveTagKeys); err != nil {
		return nil, fmt.Errorf("session %s: %w", id, err)
	}
	// A session without session policies or tags has none: nil, however it was written.
	if len(s.PolicyARNs) == 0 {
		s.PolicyARNs = nil
	}
	if len(s.Tags) == 0 {
		s.Tags = nil
	}
	if len(s.TransitiveTagKeys) == 0 {
		s.TransitiveTagKeys = nil
	}
	s.Chained = chained != 0
	s.CreatedAt, s.ExpiresAt = fromUnix(created), fromUnix(expires)
	return &s, nil
}

func (t *tx) CreateSession(s *store.Session) error {
	arns, _ := json.Marshal(nonNil(s.PolicyARNs))
	tags, _ := json.Marshal(s.Tags)
	transitive, _ := json.Marshal(nonNil(s.TransitiveTagKeys))
	chained := 0
	if s.Chained {
		chained = 1
	}
	t.changed(store.ChangeSession, s.AccessKeyID)
	return t.exec(`INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.AccessKeyID, t.seal(sessionPurpose(s.AccessKeyID), s.Secret), s.TokenHash, s.AccountID, s.RoleName, s.RoleARN, s.RoleID, s.SessionName,
		s.Policy, string(arns), string(tags), string(transitive), s.SourceIdentity, chained, s.CallerARN,
		unix(s.CreatedAt), unix(s.ExpiresAt))
}

func (t *tx) DeleteExpiredSessions(before time.Time) (int, error) {
	res, err := t.execResult(`DELETE FROM sessions WHERE expires_at < ?`, unix(before))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// unmarshalAll decodes each JSON text into the matching destination.
func unmarshalAll(texts []string, dst ...any) error {
	for i, text := range texts {
		if text == "" {
			continue
		}
		if err := json.Unmarshal([]byte(text), dst[i]); err != nil {
			return err
		}
	}
	return nil
}
