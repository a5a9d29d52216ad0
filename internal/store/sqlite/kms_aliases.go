package sqlite

import (
	"github.com/cairnhq/cairn/internal/store"
)

const kmsAliasColumns = `account, name, region, target_key_id, created_at, updated_at`

func scanKMSAlias(row interface{ Scan(...any) error }) (*store.KMSAlias, error) {
	var a store.KMSAlias
	var created, updated int64
	if err := row.Scan(&a.Account, &a.Name, &a.Region, &a.TargetKeyID, &created, &updated); err != nil {
		return nil, notFound(err)
	}
	a.CreatedAt, a.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &a, nil
}

func (t *tx) PutKMSAlias(a *store.KMSAlias) error {
	if _, err := t.KMSKey(a.Account, a.TargetKeyID); err != nil {
		return err
	}
	res, err := t.execResult(`UPDATE kms_aliases SET target_key_id = ?, updated_at = ? WHERE account = ? AND name = ?`,
		a.TargetKeyID, unix(a.UpdatedAt), a.Account, a.Name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if err := t.exec(`INSERT INTO kms_aliases (`+kmsAliasColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
			a.Account, a.Name, a.Region, a.TargetKeyID, unix(a.CreatedAt), unix(a.UpdatedAt)); err != nil {
			return err
		}
	}
	t.changed(store.ChangeKMSAlias, a.Account+"/"+a.Name)
	return nil
}

func (t *tx) KMSAlias(account, name string) (*store.KMSAlias, error) {
	return scanKMSAlias(t.queryRow(`SELECT `+kmsAliasColumns+` FROM kms_aliases WHERE account = ? AND name = ?`, account, name))
}

func (t *tx) DeleteKMSAlias(account, name string) error {
	res, err := t.execResult(`DELETE FROM kms_aliases WHERE account = ? AND name = ?`, account, name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	t.changed(store.ChangeKMSAlias, account+"/"+name)
	return nil
}

func (t *tx) ListKMSAliases(account, keyID string, p store.Page) ([]*store.KMSAlias, error) {
	q := `SELECT ` + kmsAliasColumns + ` FROM kms_aliases WHERE account = ? AND name > ? ORDER BY name LIMIT ?`
	args := []any{account, p.After, pageLimit(p.Limit)}
	if keyID != "" {
		q = `SELECT ` + kmsAliasColumns + ` FROM kms_aliases WHERE account = ? AND target_key_id = ? AND name > ? ORDER BY name LIMIT ?`
		args = []any{account, keyID, p.After, pageLimit(p.Limit)}
	}
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.KMSAlias
	for rows.Next() {
		a, err := scanKMSAlias(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
