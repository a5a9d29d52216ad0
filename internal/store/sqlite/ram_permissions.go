package sqlite

import (
	"strconv"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

const ramPermissionColumns = `arn, owner_account, name, resource_type, feature_set, status, default_version, last_version, created_at, updated_at`

func scanRAMPermission(row interface{ Scan(...any) error }) (*store.RAMPermission, error) {
	var p store.RAMPermission
	var created, updated int64
	err := row.Scan(&p.ARN, &p.OwnerAccount, &p.Name, &p.ResourceType, &p.FeatureSet, &p.Status, &p.DefaultVersion,
		&p.LastVersion, &created, &updated)
	if err != nil {
		return nil, notFound(err)
	}
	p.CreatedAt, p.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &p, nil
}

func (t *tx) RAMPermission(arn string) (*store.RAMPermission, error) {
	return scanRAMPermission(t.queryRow(`SELECT `+ramPermissionColumns+` FROM ram_permissions WHERE arn = ?`, arn))
}

func (t *tx) CreateRAMPermission(p *store.RAMPermission) error {
	t.changed(store.ChangeRAMPermission, p.ARN)
	return t.exec(`INSERT INTO ram_permissions (`+ramPermissionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ARN, p.OwnerAccount, p.Name, p.ResourceType, p.FeatureSet, p.Status, p.DefaultVersion, p.LastVersion,
		unix(p.CreatedAt), unix(p.UpdatedAt))
}

func (t *tx) UpdateRAMPermission(p *store.RAMPermission) error {
	t.changed(store.ChangeRAMPermission, p.ARN)
	res, err := t.execResult(`UPDATE ram_permissions SET feature_set = ?, status = ?, default_version = ?, last_version = ?,
		updated_at = ? WHERE arn = ?`, p.FeatureSet, p.Status, p.DefaultVersion, p.LastVersion, unix(p.UpdatedAt), p.ARN)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (t *tx) DeleteRAMPermission(arn string) error {
	t.changed(store.ChangeRAMPermission, arn)
	if err := t.deleteOne(`DELETE FROM ram_permissions WHERE arn = ?`, arn); err != nil {
		return err
	}
	if err := t.exec(`DELETE FROM ram_permission_versions WHERE permission_arn = ?`, arn); err != nil {
		return err
	}
	return t.deleteTags(arn)
}

// deleteOne runs a DELETE and returns ErrNotFound when it deleted nothing.
func (t *tx) deleteOne(query string, args ...any) error {
	res, err := t.execResult(query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (t *tx) ListRAMPermissions(owner string) ([]*store.RAMPermission, error) {
	rows, err := t.query(`SELECT `+ramPermissionColumns+` FROM ram_permissions WHERE owner_account = ? ORDER BY arn`, owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.RAMPermission
	for rows.Next() {
		p, err := scanRAMPermission(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *tx) CountRAMPermissions(owner string) (int, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM ram_permissions WHERE owner_account = ?`, owner).Scan(&n)
	return n, err
}

const ramVersionColumns = `permission_arn, version, template, status, created_at, updated_at`

func scanRAMVersion(row interface{ Scan(...any) error }) (*store.RAMPermissionVersion, error) {
	var v store.RAMPermissionVersion
	var created, updated int64
	if err := row.Scan(&v.PermissionARN, &v.Version, &v.Template, &v.Status, &created, &updated); err != nil {
		return nil, notFound(err)
	}
	v.CreatedAt, v.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &v, nil
}

func (t *tx) RAMPermissionVersion(arn string, version int) (*store.RAMPermissionVersion, error) {
	return scanRAMVersion(t.queryRow(`SELECT `+ramVersionColumns+` FROM ram_permission_versions WHERE permission_arn = ? AND version = ?`,
		arn, version))
}

func (t *tx) PutRAMPermissionVersion(v *store.RAMPermissionVersion) error {
	t.changed(store.ChangeRAMPermission, v.PermissionARN)
	return t.exec(`INSERT INTO ram_permission_versions (`+ramVersionColumns+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (permission_arn, version) DO UPDATE SET template = excluded.template, status = excluded.status,
			created_at = excluded.created_at, updated_at = excluded.updated_at`,
		v.PermissionARN, v.Version, v.Template, v.Status, unix(v.CreatedAt), unix(v.UpdatedAt))
}

func (t *tx) DeleteRAMPermissionVersion(arn string, version int) error {
	t.changed(store.ChangeRAMPermission, arn)
	return t.deleteOne(`DELETE FROM ram_permission_versions WHERE permission_arn = ? AND version = ?`, arn, version)
}

func (t *tx) ListRAMPermissionVersions(arn string) ([]*store.RAMPermissionVersion, error) {
	rows, err := t.query(`SELECT `+ramVersionColumns+` FROM ram_permission_versions WHERE permission_arn = ? ORDER BY version`, arn)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.RAMPermissionVersion
	for rows.Next() {
		v, err := scanRAMVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const ramSharePermissionColumns = `share_arn, resource_type, permission_arn, permission_version, status, created_at, updated_at`

func (t *tx) ramSharePermissions(query string, args ...any) ([]*store.RAMSharePermission, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.RAMSharePermission
	for rows.Next() {
		var sp store.RAMSharePermission
		var created, updated int64
		if err := rows.Scan(&sp.ShareARN, &sp.ResourceType, &sp.PermissionARN, &sp.PermissionVersion, &sp.Status, &created, &updated); err != nil {
			return nil, err
		}
		sp.CreatedAt, sp.UpdatedAt = fromUnix(created), fromUnix(updated)
		out = append(out, &sp)
	}
	return out, rows.Err()
}

func (t *tx) RAMSharePermissions(shareARN string) ([]*store.RAMSharePermission, error) {
	return t.ramSharePermissions(`SELECT `+ramSharePermissionColumns+` FROM ram_share_permissions WHERE share_arn = ? ORDER BY resource_type`, shareARN)
}

func (t *tx) PutRAMSharePermission(sp *store.RAMSharePermission) error {
	t.changed(store.ChangeRAMSharePermission, sp.ShareARN)
	return t.exec(`INSERT INTO ram_share_permissions (`+ramSharePermissionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (share_arn, resource_type) DO UPDATE SET permission_arn = excluded.permission_arn,
			permission_version = excluded.permission_version, status = excluded.status, created_at = excluded.created_at,
			updated_at = excluded.updated_at`,
		sp.ShareARN, sp.ResourceType, sp.PermissionARN, sp.PermissionVersion, sp.Status, unix(sp.CreatedAt), unix(sp.UpdatedAt))
}

func (t *tx) DeleteRAMSharePermission(shareARN, resourceType string) error {
	t.changed(store.ChangeRAMSharePermission, shareARN)
	return t.deleteOne(`DELETE FROM ram_share_permissions WHERE share_arn = ? AND resource_type = ?`, shareARN, resourceType)
}

func (t *tx) RAMPermissionUses(permissionARN string) ([]*store.RAMSharePermission, error) {
	return t.ramSharePermissions(`SELECT `+ramSharePermissionColumns+` FROM ram_share_permissions WHERE permission_arn = ? ORDER BY share_arn`, permissionARN)
}

const ramWorkColumns = `id, owner_account, from_arn, from_version, to_arn, to_version, status, status_message, due_at, created_at, updated_at`

func (t *tx) ramWork(query string, args ...any) ([]*store.RAMReplaceWork, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.RAMReplaceWork
	for rows.Next() {
		var w store.RAMReplaceWork
		var due, created, updated int64
		if err := rows.Scan(&w.ID, &w.OwnerAccount, &w.FromARN, &w.FromVersion, &w.ToARN, &w.ToVersion, &w.Status, &w.StatusMessage,
			&due, &created, &updated); err != nil {
			return nil, err
		}
		w.DueAt, w.CreatedAt, w.UpdatedAt = fromUnix(due), fromUnix(created), fromUnix(updated)
		out = append(out, &w)
	}
	return out, rows.Err()
}

func (t *tx) PutRAMReplaceWork(w *store.RAMReplaceWork) error {
	t.changed(store.ChangeRAMReplaceWork, w.ID)
	if !w.DueAt.IsZero() {
		t.changed(store.ChangeRAMPending, strconv.FormatInt(w.DueAt.UnixNano(), 10))
	}
	return t.exec(`INSERT INTO ram_replace_work (`+ramWorkColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET owner_account = excluded.owner_account, from_arn = excluded.from_arn,
			from_version = excluded.from_version, to_arn = excluded.to_arn, to_version = excluded.to_version, status = excluded.status,
			status_message = excluded.status_message, due_at = excluded.due_at, created_at = excluded.created_at,
			updated_at = excluded.updated_at`,
		w.ID, w.OwnerAccount, w.FromARN, w.FromVersion, w.ToARN, w.ToVersion, w.Status, w.StatusMessage, unix(w.DueAt),
		unix(w.CreatedAt), unix(w.UpdatedAt))
}

func (t *tx) ListRAMReplaceWork(owner string) ([]*store.RAMReplaceWork, error) {
	return t.ramWork(`SELECT `+ramWorkColumns+` FROM ram_replace_work WHERE owner_account = ? ORDER BY created_at, id`, owner)
}

func (t *tx) DueRAMReplaceWork(at time.Time) ([]*store.RAMReplaceWork, error) {
	return t.ramWork(`SELECT `+ramWorkColumns+` FROM ram_replace_work WHERE due_at > 0 AND due_at <= ? ORDER BY due_at, id`, unix(at))
}
