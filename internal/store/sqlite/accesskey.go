package sqlite

import (
	"fmt"

	"github.com/cairnhq/cairn/internal/store"
)

const accessKeyColumns = `id, secret, account_id, user_name, status, created_at`

func (t *tx) scanAccessKey(row interface{ Scan(...any) error }) (*store.AccessKey, error) {
	var k store.AccessKey
	var created int64
	var secret string
	if err := row.Scan(&k.ID, &secret, &k.AccountID, &k.UserName, &k.Status, &created); err != nil {
		return nil, notFound(err)
	}
	var err error
	if k.Secret, err = t.open(accessKeyPurpose(k.ID), secret); err != nil {
		return nil, fmt.Errorf("access key %s: %w", k.ID, err)
	}
	k.CreatedAt = fromUnix(created)
	return &k, nil
}

func (t *tx) AccessKey(id string) (*store.AccessKey, error) {
	return t.scanAccessKey(t.queryRow(`SELECT `+accessKeyColumns+` FROM access_keys WHERE id = ?`, id))
}

func (t *tx) ListAccessKeys(accountID, userName string) ([]*store.AccessKey, error) {
	rows, err := t.query(`SELECT `+accessKeyColumns+` FROM access_keys WHERE account_id = ? AND user_name = ? ORDER BY created_at, id`, accountID, userName)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.AccessKey
	for rows.Next() {
		k, err := t.scanAccessKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (t *tx) CreateAccessKey(k *store.AccessKey) error {
	t.changed(store.ChangeAccessKey, k.ID)
	return t.exec(`INSERT INTO access_keys (`+accessKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, t.seal(accessKeyPurpose(k.ID), k.Secret), k.AccountID, k.UserName, k.Status, unix(k.CreatedAt))
}

func (t *tx) UpdateAccessKeyStatus(id, status string) error {
	res, err := t.execResult(`UPDATE access_keys SET status = ? WHERE id = ?`, status, id)
	if err := requireRow(res, err); err != nil {
		return err
	}
	t.changed(store.ChangeAccessKey, id)
	return nil
}

func (t *tx) DeleteAccessKey(id string) error {
	res, err := t.execResult(`DELETE FROM access_keys WHERE id = ?`, id)
	if err := requireRow(res, err); err != nil {
		return err
	}
	t.changed(store.ChangeAccessKey, id)
	return nil
}
