package sqlite

import (
	"github.com/cairnhq/cairn/internal/store"
)

const iamUserColumns = `id, account_id, name, path, boundary_arn, created_at`

func scanIAMUser(row interface{ Scan(...any) error }) (*store.User, error) {
	var u store.User
	var created int64
	if err := row.Scan(&u.ID, &u.AccountID, &u.Name, &u.Path, &u.PermissionsBoundaryARN, &created); err != nil {
		return nil, notFound(err)
	}
	u.CreatedAt = fromUnix(created)
	return &u, nil
}

func (t *tx) queryIAMUsers(query string, args ...any) ([]*store.User, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	var out []*store.User
	for rows.Next() {
		u, err := scanIAMUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, u := range out {
		if u.Tags, err = t.tags(u.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *tx) User(accountID, name string) (*store.User, error) {
	u, err := scanIAMUser(t.queryRow(`SELECT `+iamUserColumns+` FROM iam_users WHERE `+iamByName, accountID, name))
	if err != nil {
		return nil, err
	}
	if u.Tags, err = t.tags(u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

func (t *tx) ListUsers(accountID, pathPrefix string, p store.Page) ([]*store.User, error) {
	cond, args := iamPathCond("path", pathPrefix)
	args = append([]any{accountID, p.After}, args...)
	args = append(args, pageLimit(p.Limit))
	return t.queryIAMUsers(`SELECT `+iamUserColumns+` FROM iam_users
		WHERE account_id = ? AND lower(name) > lower(?) AND `+cond+` ORDER BY lower(name) LIMIT ?`, args...)
}

func (t *tx) CreateUser(u *store.User) error {
	if err := t.exec(`INSERT INTO iam_users (`+iamUserColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, u.AccountID, u.Name, u.Path, u.PermissionsBoundaryARN, unix(u.CreatedAt)); err != nil {
		return err
	}
	t.iamChanged(store.EntityUser, u.AccountID, u.Name)
	return t.setIAMTags(u.ID, u.Tags)
}

func (t *tx) UpdateUser(u *store.User) error {
	var oldName string
	if err := t.queryRow(`SELECT name FROM iam_users WHERE id = ?`, u.ID).Scan(&oldName); err != nil {
		return notFound(err)
	}
	if err := t.exec(`UPDATE iam_users SET name = ?, path = ?, boundary_arn = ? WHERE id = ?`,
		u.Name, u.Path, u.PermissionsBoundaryARN, u.ID); err != nil {
		return err
	}
	if oldName != u.Name {
		keys, err := t.ListAccessKeys(u.AccountID, oldName)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := t.exec(`UPDATE access_keys SET user_name = ? WHERE id = ?`, u.Name, k.ID); err != nil {
				return err
			}
			t.changed(store.ChangeAccessKey, k.ID)
		}
		t.iamChanged(store.EntityUser, u.AccountID, oldName)
	}
	t.iamChanged(store.EntityUser, u.AccountID, u.Name)
	return t.setIAMTags(u.ID, u.Tags)
}

func (t *tx) DeleteUser(accountID, name string) error {
	id, err := t.iamEntityID(accountID, store.EntityUser, name)
	if err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM tags WHERE resource = ?`,
		`DELETE FROM iam_inline_policies WHERE entity_kind = 'user' AND entity_id = ?`,
		`DELETE FROM iam_attachments WHERE entity_kind = 'user' AND entity_id = ?`,
		`DELETE FROM iam_group_members WHERE user_id = ?`,
		`DELETE FROM iam_users WHERE id = ?`,
	} {
		if err := t.exec(q, id); err != nil {
			return err
		}
	}
	t.iamChanged(store.EntityUser, accountID, name)
	return nil
}
