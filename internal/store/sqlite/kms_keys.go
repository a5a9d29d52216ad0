package sqlite

import (
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

const kmsKeyColumns = `account, id, region, description, key_usage, key_spec, origin, key_manager, state, created_at,
	deletion_date, pending_window_days, policy, rotation_enabled, rotation_period_days, next_rotation, current_version`

func scanKMSKey(row interface{ Scan(...any) error }) (*store.KMSKey, error) {
	var k store.KMSKey
	var created, deletion, next int64
	err := row.Scan(&k.Account, &k.ID, &k.Region, &k.Description, &k.KeyUsage, &k.KeySpec, &k.Origin, &k.KeyManager,
		&k.State, &created, &deletion, &k.PendingWindowDays, &k.Policy, &k.RotationEnabled, &k.RotationPeriodDays,
		&next, &k.CurrentVersion)
	if err != nil {
		return nil, notFound(err)
	}
	k.CreatedAt, k.DeletionDate, k.NextRotation = fromUnix(created), fromUnix(deletion), fromUnix(next)
	return &k, nil
}

func (t *tx) CreateKMSKey(k *store.KMSKey) error {
	t.changed(store.ChangeKMSKey, k.ARN())
	return t.exec(`INSERT INTO kms_keys (`+kmsKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.Account, k.ID, k.Region, k.Description, k.KeyUsage, k.KeySpec, k.Origin, k.KeyManager, k.State, unix(k.CreatedAt),
		unix(k.DeletionDate), k.PendingWindowDays, k.Policy, boolInt(k.RotationEnabled), k.RotationPeriodDays,
		unix(k.NextRotation), k.CurrentVersion)
}

func (t *tx) KMSKey(account, id string) (*store.KMSKey, error) {
	return scanKMSKey(t.queryRow(`SELECT `+kmsKeyColumns+` FROM kms_keys WHERE account = ? AND id = ?`, account, id))
}

func (t *tx) UpdateKMSKey(k *store.KMSKey) error {
	res, err := t.execResult(`UPDATE kms_keys SET description = ?, state = ?, deletion_date = ?, pending_window_days = ?,
		policy = ?, rotation_enabled = ?, rotation_period_days = ?, next_rotation = ?, current_version = ?
		WHERE account = ? AND id = ?`,
		k.Description, k.State, unix(k.DeletionDate), k.PendingWindowDays, k.Policy, boolInt(k.RotationEnabled),
		k.RotationPeriodDays, unix(k.NextRotation), k.CurrentVersion, k.Account, k.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	t.changed(store.ChangeKMSKey, k.ARN())
	return nil
}

func (t *tx) ListKMSKeys(account string, p store.Page) ([]*store.KMSKey, error) {
	rows, err := t.query(`SELECT `+kmsKeyColumns+` FROM kms_keys WHERE account = ? AND id > ? ORDER BY id LIMIT ?`,
		account, p.After, pageLimit(p.Limit))
	if err != nil {
		return nil, err
	}
	return scanKMSKeys(rows)
}

func (t *tx) KMSKeysDueForDeletion(at time.Time) ([]*store.KMSKey, error) {
	rows, err := t.query(`SELECT `+kmsKeyColumns+` FROM kms_keys WHERE deletion_date > 0 AND deletion_date <= ? AND state = ?
		ORDER BY account, id`, unix(at), store.KMSKeyPendingDeletion)
	if err != nil {
		return nil, err
	}
	return scanKMSKeys(rows)
}

func scanKMSKeys(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) ([]*store.KMSKey, error) {
	defer rows.Close()
	var out []*store.KMSKey
	for rows.Next() {
		k, err := scanKMSKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (t *tx) DeleteKMSKey(account, id string) error {
	k, err := t.KMSKey(account, id)
	if err != nil {
		return err
	}
	aliases, err := t.ListKMSAliases(account, id, store.Page{})
	if err != nil {
		return err
	}
	for _, a := range aliases {
		t.changed(store.ChangeKMSAlias, account+"/"+a.Name)
	}
	grants, err := t.ListKMSGrants(store.KMSGrantQuery{Account: account, KeyID: id}, store.Page{})
	if err != nil {
		return err
	}
	for _, g := range grants {
		t.changed(store.ChangeKMSGrant, g.ID)
	}
	for _, q := range []string{
		`DELETE FROM kms_aliases WHERE account = ? AND target_key_id = ?`,
		`DELETE FROM kms_grants WHERE account = ? AND key_id = ?`,
		`DELETE FROM kms_key_materials WHERE account = ? AND key_id = ?`,
		`DELETE FROM kms_keys WHERE account = ? AND id = ?`,
	} {
		if err := t.exec(q, account, id); err != nil {
			return err
		}
	}
	if err := t.deleteTags(k.ARN()); err != nil {
		return err
	}
	t.changed(store.ChangeKMSKey, k.ARN())
	return nil
}

const kmsMaterialColumns = `account, key_id, version, material_id, sealed, created_at, rotation_type`

func (t *tx) PutKMSKeyMaterial(m *store.KMSKeyMaterial) error {
	k, err := t.KMSKey(m.Account, m.KeyID)
	if err != nil {
		return err
	}
	if err := t.exec(`INSERT INTO kms_key_materials (`+kmsMaterialColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.Account, m.KeyID, m.Version, m.MaterialID, m.Sealed, unix(m.CreatedAt), m.RotationType); err != nil {
		return err
	}
	t.changed(store.ChangeKMSKey, k.ARN())
	return nil
}

func (t *tx) KMSKeyMaterials(account, keyID string) ([]*store.KMSKeyMaterial, error) {
	rows, err := t.query(`SELECT `+kmsMaterialColumns+` FROM kms_key_materials WHERE account = ? AND key_id = ? ORDER BY version`,
		account, keyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.KMSKeyMaterial
	for rows.Next() {
		var m store.KMSKeyMaterial
		var created int64
		if err := rows.Scan(&m.Account, &m.KeyID, &m.Version, &m.MaterialID, &m.Sealed, &created, &m.RotationType); err != nil {
			return nil, err
		}
		m.CreatedAt = fromUnix(created)
		out = append(out, &m)
	}
	return out, rows.Err()
}
