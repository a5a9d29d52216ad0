package sqlite

import (
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

const iamPolicyColumns = `arn, account_id, name, id, path, description, default_version, last_version, created_at, updated_at`

func scanIAMPolicy(row interface{ Scan(...any) error }) (*store.ManagedPolicy, error) {
	var p store.ManagedPolicy
	var created, updated int64
	if err := row.Scan(&p.ARN, &p.AccountID, &p.Name, &p.ID, &p.Path, &p.Description, &p.DefaultVersionID,
		&p.LastVersion, &created, &updated); err != nil {
		return nil, notFound(err)
	}
	p.CreatedAt, p.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &p, nil
}

// queryIAMPolicies runs a query selecting iamPolicyColumns (qualified by table alias p
// when joined) and reads the policies' tags.
func (t *tx) queryIAMPolicies(query string, args ...any) ([]*store.ManagedPolicy, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	var out []*store.ManagedPolicy
	for rows.Next() {
		p, err := scanIAMPolicy(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, p := range out {
		if p.Tags, err = t.tags(p.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *tx) ManagedPolicy(arn string) (*store.ManagedPolicy, error) {
	p, err := scanIAMPolicy(t.queryRow(`SELECT `+iamPolicyColumns+` FROM iam_policies WHERE arn = ?`, arn))
	if err != nil {
		return nil, err
	}
	if p.Tags, err = t.tags(p.ID); err != nil {
		return nil, err
	}
	return p, nil
}

// Conditions on a policy row p being in use in the account bound as the argument.
const (
	iamAttachedCond = `EXISTS (SELECT 1 FROM iam_attachments a WHERE a.policy_arn = p.arn AND a.account_id = ?)`
	iamBoundaryCond = `(EXISTS (SELECT 1 FROM iam_users u WHERE u.account_id = ? AND u.boundary_arn = p.arn)
		OR EXISTS (SELECT 1 FROM iam_roles r WHERE r.account_id = ? AND r.boundary_arn = p.arn))`
)

func (t *tx) ListManagedPolicies(accountID string, f store.PolicyFilter, pg store.Page) ([]*store.ManagedPolicy, error) {
	var where []string
	var args []any
	switch f.Scope {
	case "AWS":
		where = append(where, `p.account_id = ?`)
		args = append(args, store.AWSManagedAccount)
	case "Local":
		where = append(where, `p.account_id = ?`)
		args = append(args, accountID)
	default:
		where = append(where, `p.account_id IN (?, ?)`)
		args = append(args, accountID, store.AWSManagedAccount)
	}
	where = append(where, `p.arn > ?`)
	args = append(args, pg.After)
	cond, condArgs := iamPathCond("p.path", f.PathPrefix)
	where = append(where, cond)
	args = append(args, condArgs...)
	if f.OnlyAttached {
		switch f.Usage {
		case "PermissionsPolicy":
			where = append(where, iamAttachedCond)
			args = append(args, accountID)
		case "PermissionsBoundary":
			where = append(where, iamBoundaryCond)
			args = append(args, accountID, accountID)
		default:
			where = append(where, `(`+iamAttachedCond+` OR `+iamBoundaryCond+`)`)
			args = append(args, accountID, accountID, accountID)
		}
	}
	args = append(args, pageLimit(pg.Limit))
	return t.queryIAMPolicies(`SELECT p.arn, p.account_id, p.name, p.id, p.path, p.description, p.default_version,
		p.last_version, p.created_at, p.updated_at FROM iam_policies p
		WHERE `+strings.Join(where, " AND ")+` ORDER BY p.arn LIMIT ?`, args...)
}

func (t *tx) CreateManagedPolicy(p *store.ManagedPolicy, v *store.PolicyVersion) error {
	if err := t.exec(`INSERT INTO iam_policies (`+iamPolicyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ARN, p.AccountID, p.Name, p.ID, p.Path, p.Description, p.DefaultVersionID, p.LastVersion,
		unix(p.CreatedAt), unix(p.UpdatedAt)); err != nil {
		return err
	}
	if err := t.setIAMTags(p.ID, p.Tags); err != nil {
		return err
	}
	t.changed(store.ChangePolicy, p.ARN)
	return t.CreatePolicyVersion(v)
}

func (t *tx) UpdateManagedPolicy(p *store.ManagedPolicy) error {
	res, err := t.execResult(`UPDATE iam_policies SET description = ?, default_version = ?, last_version = ?,
		updated_at = ? WHERE arn = ?`, p.Description, p.DefaultVersionID, p.LastVersion, unix(p.UpdatedAt), p.ARN)
	if err := requireRow(res, err); err != nil {
		return err
	}
	t.changed(store.ChangePolicy, p.ARN)
	return t.setIAMTags(p.ID, p.Tags)
}

func (t *tx) DeleteManagedPolicy(arn string) error {
	p, err := t.ManagedPolicy(arn)
	if err != nil {
		return err
	}
	for _, q := range []struct {
		sql string
		arg string
	}{
		{`DELETE FROM tags WHERE resource = ?`, p.ID},
		{`DELETE FROM iam_attachments WHERE policy_arn = ?`, arn},
		{`DELETE FROM iam_policy_versions WHERE policy_arn = ?`, arn},
		{`DELETE FROM iam_policies WHERE arn = ?`, arn},
	} {
		if err := t.exec(q.sql, q.arg); err != nil {
			return err
		}
	}
	t.changed(store.ChangePolicy, arn)
	return nil
}

func (t *tx) PolicyUsage(accountID, arn string) (store.PolicyUsage, error) {
	var u store.PolicyUsage
	err := t.queryRow(`SELECT
		(SELECT COUNT(*) FROM iam_attachments WHERE policy_arn = ? AND account_id = ?),
		(SELECT COUNT(*) FROM iam_users WHERE boundary_arn = ? AND account_id = ?) +
		(SELECT COUNT(*) FROM iam_roles WHERE boundary_arn = ? AND account_id = ?)`, arn, accountID, arn, accountID, arn, accountID).
		Scan(&u.Attachments, &u.Boundaries)
	return u, err
}

func (t *tx) queryPolicyEntities(query string, args ...any) ([]store.PolicyEntity, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.PolicyEntity
	for rows.Next() {
		var e store.PolicyEntity
		var kind string
		if err := rows.Scan(&kind, &e.Name, &e.ID, &e.Path); err != nil {
			return nil, err
		}
		e.Kind = iamEntityKind(kind)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *tx) PolicyEntities(accountID, arn string) ([]store.PolicyEntity, error) {
	return t.queryPolicyEntities(`
		SELECT 'user', u.name, u.id, u.path FROM iam_attachments a JOIN iam_users u ON a.entity_kind = 'user' AND u.id = a.entity_id
			WHERE a.policy_arn = ? AND a.account_id = ?
		UNION ALL
		SELECT 'group', g.name, g.id, g.path FROM iam_attachments a JOIN iam_groups g ON a.entity_kind = 'group' AND g.id = a.entity_id
			WHERE a.policy_arn = ? AND a.account_id = ?
		UNION ALL
		SELECT 'role', r.name, r.id, r.path FROM iam_attachments a JOIN iam_roles r ON a.entity_kind = 'role' AND r.id = a.entity_id
			WHERE a.policy_arn = ? AND a.account_id = ?`, arn, accountID, arn, accountID, arn, accountID)
}

func (t *tx) BoundaryEntities(accountID, arn string) ([]store.PolicyEntity, error) {
	return t.queryPolicyEntities(`
		SELECT 'user', name, id, path FROM iam_users WHERE boundary_arn = ? AND account_id = ?
		UNION ALL
		SELECT 'role', name, id, path FROM iam_roles WHERE boundary_arn = ? AND account_id = ?`, arn, accountID, arn, accountID)
}

func iamEntityKind(s string) store.EntityKind {
	switch s {
	case "user":
		return store.EntityUser
	case "group":
		return store.EntityGroup
	case "role":
		return store.EntityRole
	}
	return store.EntityPolicy
}

func scanPolicyVersion(row interface{ Scan(...any) error }) (*store.PolicyVersion, error) {
	var v store.PolicyVersion
	var created int64
	if err := row.Scan(&v.PolicyARN, &v.VersionID, &v.Document, &created); err != nil {
		return nil, notFound(err)
	}
	v.CreatedAt = fromUnix(created)
	return &v, nil
}

func (t *tx) PolicyVersion(arn, versionID string) (*store.PolicyVersion, error) {
	return scanPolicyVersion(t.queryRow(`SELECT policy_arn, version_id, document, created_at
		FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?`, arn, versionID))
}

func (t *tx) PolicyVersions(arn string) ([]*store.PolicyVersion, error) {
	rows, err := t.query(`SELECT policy_arn, version_id, document, created_at
		FROM iam_policy_versions WHERE policy_arn = ? ORDER BY number DESC`, arn)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.PolicyVersion
	for rows.Next() {
		v, err := scanPolicyVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (t *tx) CreatePolicyVersion(v *store.PolicyVersion) error {
	number, _ := strconv.Atoi(strings.TrimPrefix(v.VersionID, "v"))
	if err := t.exec(`INSERT INTO iam_policy_versions (policy_arn, version_id, number, document, created_at) VALUES (?, ?, ?, ?, ?)`,
		v.PolicyARN, v.VersionID, number, v.Document, unix(v.CreatedAt)); err != nil {
		return err
	}
	t.changed(store.ChangePolicy, v.PolicyARN)
	return nil
}

func (t *tx) DeletePolicyVersion(arn, versionID string) error {
	res, err := t.execResult(`DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?`, arn, versionID)
	if err := requireRow(res, err); err != nil {
		return err
	}
	t.changed(store.ChangePolicy, arn)
	return nil
}
