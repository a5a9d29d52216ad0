package sqlite

import (
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

const ramShareColumns = `arn, owner_account, name, allow_external, status, status_message, feature_set, retain_on_leave, created_at, updated_at`

func scanRAMShare(row interface{ Scan(...any) error }) (*store.RAMShare, error) {
	var s store.RAMShare
	var created, updated int64
	err := row.Scan(&s.ARN, &s.OwnerAccount, &s.Name, &s.AllowExternalPrincipals, &s.Status, &s.StatusMessage,
		&s.FeatureSet, &s.RetainOnLeave, &created, &updated)
	if err != nil {
		return nil, notFound(err)
	}
	s.CreatedAt, s.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &s, nil
}

func (t *tx) RAMShare(arn string) (*store.RAMShare, error) {
	return scanRAMShare(t.queryRow(`SELECT `+ramShareColumns+` FROM ram_shares WHERE arn = ?`, arn))
}

func (t *tx) CreateRAMShare(s *store.RAMShare) error {
	t.changed(store.ChangeRAMShare, s.ARN)
	return t.exec(`INSERT INTO ram_shares (`+ramShareColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ARN, s.OwnerAccount, s.Name, boolInt(s.AllowExternalPrincipals), s.Status, s.StatusMessage, s.FeatureSet, boolInt(s.RetainOnLeave),
		unix(s.CreatedAt), unix(s.UpdatedAt))
}

func (t *tx) UpdateRAMShare(s *store.RAMShare) error {
	t.changed(store.ChangeRAMShare, s.ARN)
	res, err := t.execResult(`UPDATE ram_shares SET name = ?, allow_external = ?, status = ?, status_message = ?, feature_set = ?,
		retain_on_leave = ?, updated_at = ? WHERE arn = ?`,
		s.Name, boolInt(s.AllowExternalPrincipals), s.Status, s.StatusMessage, s.FeatureSet, boolInt(s.RetainOnLeave), unix(s.UpdatedAt), s.ARN)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func (t *tx) ListRAMShares(q store.RAMShareQuery, p store.Page) ([]*store.RAMShare, error) {
	where := []string{"s.arn > ?"}
	args := []any{p.After}
	if q.Owner != "" {
		where, args = append(where, "s.owner_account = ?"), append(args, q.Owner)
	}
	if q.ARNs != nil {
		where = append(where, "s.arn IN ("+placeholders(len(q.ARNs))+")")
		for _, a := range q.ARNs {
			args = append(args, a)
		}
		if len(q.ARNs) == 0 {
			return nil, nil
		}
	}
	if q.Status != "" {
		where, args = append(where, "s.status = ?"), append(args, q.Status)
	}
	if q.Name != "" {
		where, args = append(where, "s.name = ?"), append(args, q.Name)
	}
	if q.PermissionARN != "" {
		cond := "EXISTS (SELECT 1 FROM ram_share_permissions sp WHERE sp.share_arn = s.arn AND sp.permission_arn = ?"
		args = append(args, q.PermissionARN)
		if q.PermissionVersion > 0 {
			cond += " AND sp.permission_version = ?"
			args = append(args, q.PermissionVersion)
		}
		where = append(where, cond+")")
	}
	for _, f := range q.TagFilters {
		cond := "EXISTS (SELECT 1 FROM tags tg WHERE tg.resource = s.arn AND tg.key = ?"
		args = append(args, f.Key)
		if len(f.Values) > 0 {
			cond += " AND tg.value IN (" + placeholders(len(f.Values)) + ")"
			for _, v := range f.Values {
				args = append(args, v)
			}
		}
		where = append(where, cond+")")
	}
	query := `SELECT ` + prefixed("s.", ramShareColumns) + ` FROM ram_shares s WHERE ` + strings.Join(where, " AND ") + ` ORDER BY s.arn`
	if p.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, p.Limit)
	}
	rows, err := t.tx.QueryContext(t.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.RAMShare
	for rows.Next() {
		s, err := scanRAMShare(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// prefixed qualifies every column of a column list with prefix ("s.").
func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

func (t *tx) CountRAMShares(owner string) (int, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM ram_shares WHERE owner_account = ? AND status <> 'DELETED'`, owner).Scan(&n)
	return n, err
}

func (t *tx) RAMClientToken(account, operation, token string) (*store.RAMClientToken, error) {
	var c store.RAMClientToken
	var created int64
	err := t.queryRow(`SELECT account, operation, token, request_hash, response, created_at FROM ram_client_tokens
		WHERE account = ? AND operation = ? AND token = ?`, account, operation, token).
		Scan(&c.Account, &c.Operation, &c.Token, &c.RequestHash, &c.Response, &created)
	if err != nil {
		return nil, notFound(err)
	}
	c.CreatedAt = fromUnix(created)
	return &c, nil
}

func (t *tx) PutRAMClientToken(c *store.RAMClientToken) error {
	return t.exec(`INSERT INTO ram_client_tokens (account, operation, token, request_hash, response, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, operation, token) DO UPDATE SET request_hash = excluded.request_hash, response = excluded.response,
			created_at = excluded.created_at`,
		c.Account, c.Operation, c.Token, c.RequestHash, c.Response, unix(c.CreatedAt))
}

func (t *tx) RAMOrgSharing(orgID string) (bool, error) {
	var n int
	if err := t.queryRow(`SELECT COUNT(*) FROM ram_org_sharing WHERE organization_id = ?`, orgID).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

func (t *tx) EnableRAMOrgSharing(orgID string, at time.Time) error {
	t.changed(store.ChangeRAMOrgSharing, orgID)
	return t.exec(`INSERT INTO ram_org_sharing (organization_id, enabled_at) VALUES (?, ?) ON CONFLICT (organization_id) DO NOTHING`,
		orgID, unix(at))
}

func (t *tx) ResourcePolicy(resourceARN string) ([]byte, error) {
	var doc string
	if err := t.queryRow(`SELECT policy FROM ram_resource_policies WHERE resource_arn = ?`, resourceARN).Scan(&doc); err != nil {
		return nil, notFound(err)
	}
	return []byte(doc), nil
}

func (t *tx) PutResourcePolicy(resourceARN, owner string, doc []byte, at time.Time) error {
	t.changed(store.ChangeResourcePolicy, resourceARN)
	if len(doc) == 0 {
		return t.exec(`DELETE FROM ram_resource_policies WHERE resource_arn = ?`, resourceARN)
	}
	return t.exec(`INSERT INTO ram_resource_policies (resource_arn, owner_account, policy, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (resource_arn) DO UPDATE SET owner_account = excluded.owner_account, policy = excluded.policy,
			updated_at = excluded.updated_at`, resourceARN, owner, string(doc), unix(at))
}

func (t *tx) ListResourcePolicies(prefix string, p store.Page) ([]*store.ResourcePolicy, error) {
	// The ARNs that start with prefix are those from prefix up to prefixEnd(prefix), in
	// byte order: a range over the primary key, where substr would count characters
	// against a length in bytes.
	query := `SELECT resource_arn, owner_account, policy, updated_at FROM ram_resource_policies
		WHERE resource_arn > ? AND resource_arn >= ?`
	args := []any{p.After, prefix}
	if end, ok := prefixEnd(prefix); ok {
		query += ` AND resource_arn < ?`
		args = append(args, end)
	}
	query += ` ORDER BY resource_arn`
	if p.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, p.Limit)
	}
	rows, err := t.tx.QueryContext(t.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.ResourcePolicy
	for rows.Next() {
		var rp store.ResourcePolicy
		var doc string
		var updated int64
		if err := rows.Scan(&rp.ResourceARN, &rp.OwnerAccount, &doc, &updated); err != nil {
			return nil, err
		}
		rp.Policy, rp.UpdatedAt = []byte(doc), fromUnix(updated)
		out = append(out, &rp)
	}
	return out, rows.Err()
}
