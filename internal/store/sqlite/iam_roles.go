package sqlite

import (
	"github.com/cairnhq/cairn/internal/store"
)

const iamRoleColumns = `id, account_id, name, path, description, trust_policy, max_session_duration,
	boundary_arn, created_at, last_used_at, last_used_region`

func scanIAMRole(row interface{ Scan(...any) error }) (*store.Role, error) {
	var r store.Role
	var created, lastUsed int64
	if err := row.Scan(&r.ID, &r.AccountID, &r.Name, &r.Path, &r.Description, &r.AssumeRolePolicyDocument,
		&r.MaxSessionDuration, &r.PermissionsBoundaryARN, &created, &lastUsed, &r.LastUsedRegion); err != nil {
		return nil, notFound(err)
	}
	r.CreatedAt, r.LastUsedAt = fromUnix(created), fromUnix(lastUsed)
	return &r, nil
}

func (t *tx) Role(accountID, name string) (*store.Role, error) {
	r, err := scanIAMRole(t.queryRow(`SELECT `+iamRoleColumns+` FROM iam_roles WHERE `+iamByName, accountID, name))
	if err != nil {
		return nil, err
	}
	if r.Tags, err = t.tags(r.ID); err != nil {
		return nil, err
	}
	return r, nil
}

func (t *tx) ListRoles(accountID, pathPrefix string, p store.Page) ([]*store.Role, error) {
	cond, args := iamPathCond("path", pathPrefix)
	args = append([]any{accountID, p.After}, args...)
	args = append(args, pageLimit(p.Limit))
	rows, err := t.query(`SELECT `+iamRoleColumns+` FROM iam_roles
		WHERE account_id = ? AND lower(name) > lower(?) AND `+cond+` ORDER BY lower(name) LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	var out []*store.Role
	for rows.Next() {
		r, err := scanIAMRole(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range out {
		if r.Tags, err = t.tags(r.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *tx) CreateRole(r *store.Role) error {
	if r.ID == "" {
		r.ID = iamDerivedID("AROA", r.AccountID, r.Name)
	}
	if r.Path == "" {
		r.Path = "/"
	}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = 3600
	}
	if err := t.exec(`INSERT INTO iam_roles (`+iamRoleColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.AccountID, r.Name, r.Path, r.Description, r.AssumeRolePolicyDocument, r.MaxSessionDuration,
		r.PermissionsBoundaryARN, unix(r.CreatedAt), unix(r.LastUsedAt), r.LastUsedRegion); err != nil {
		return err
	}
	t.iamChanged(store.EntityRole, r.AccountID, r.Name)
	return t.setIAMTags(r.ID, r.Tags)
}

func (t *tx) UpdateRole(r *store.Role) error {
	res, err := t.execResult(`UPDATE iam_roles SET description = ?, trust_policy = ?, max_session_duration = ?,
		boundary_arn = ?, last_used_at = ?, last_used_region = ? WHERE id = ?`,
		r.Description, r.AssumeRolePolicyDocument, r.MaxSessionDuration, r.PermissionsBoundaryARN,
		unix(r.LastUsedAt), r.LastUsedRegion, r.ID)
	if err := requireRow(res, err); err != nil {
		return err
	}
	t.iamChanged(store.EntityRole, r.AccountID, r.Name)
	return t.setIAMTags(r.ID, r.Tags)
}

func (t *tx) DeleteRole(accountID, name string) error {
	id, err := t.iamEntityID(accountID, store.EntityRole, name)
	if err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM tags WHERE resource = ?`,
		`DELETE FROM iam_inline_policies WHERE entity_kind = 'role' AND entity_id = ?`,
		`DELETE FROM iam_attachments WHERE entity_kind = 'role' AND entity_id = ?`,
		`DELETE FROM iam_roles WHERE id = ?`,
	} {
		if err := t.exec(q, id); err != nil {
			return err
		}
	}
	t.iamChanged(store.EntityRole, accountID, name)
	return nil
}
