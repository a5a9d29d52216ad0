package sqlite

import (
	"github.com/cairnhq/cairn/internal/store"
)

const iamGroupColumns = `id, account_id, name, path, created_at`

func scanIAMGroup(row interface{ Scan(...any) error }) (*store.Group, error) {
	var g store.Group
	var created int64
	if err := row.Scan(&g.ID, &g.AccountID, &g.Name, &g.Path, &created); err != nil {
		return nil, notFound(err)
	}
	g.CreatedAt = fromUnix(created)
	return &g, nil
}

func (t *tx) queryIAMGroups(query string, args ...any) ([]*store.Group, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Group
	for rows.Next() {
		g, err := scanIAMGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func (t *tx) Group(accountID, name string) (*store.Group, error) {
	return scanIAMGroup(t.queryRow(`SELECT `+iamGroupColumns+` FROM iam_groups WHERE `+iamByName, accountID, name))
}

func (t *tx) ListGroups(accountID, pathPrefix string, p store.Page) ([]*store.Group, error) {
	cond, args := iamPathCond("path", pathPrefix)
	args = append([]any{accountID, p.After}, args...)
	args = append(args, pageLimit(p.Limit))
	return t.queryIAMGroups(`SELECT `+iamGroupColumns+` FROM iam_groups
		WHERE account_id = ? AND lower(name) > lower(?) AND `+cond+` ORDER BY lower(name) LIMIT ?`, args...)
}

func (t *tx) CreateGroup(g *store.Group) error {
	if err := t.exec(`INSERT INTO iam_groups (`+iamGroupColumns+`) VALUES (?, ?, ?, ?, ?)`,
		g.ID, g.AccountID, g.Name, g.Path, unix(g.CreatedAt)); err != nil {
		return err
	}
	t.iamChanged(store.EntityGroup, g.AccountID, g.Name)
	return nil
}

func (t *tx) UpdateGroup(g *store.Group) error {
	var oldName string
	if err := t.queryRow(`SELECT name FROM iam_groups WHERE id = ?`, g.ID).Scan(&oldName); err != nil {
		return notFound(err)
	}
	if err := t.exec(`UPDATE iam_groups SET name = ?, path = ? WHERE id = ?`, g.Name, g.Path, g.ID); err != nil {
		return err
	}
	t.iamChanged(store.EntityGroup, g.AccountID, oldName)
	t.iamChanged(store.EntityGroup, g.AccountID, g.Name)
	return nil
}

func (t *tx) DeleteGroup(accountID, name string) error {
	id, err := t.iamEntityID(accountID, store.EntityGroup, name)
	if err != nil {
		return err
	}
	members, err := t.GroupUsers(accountID, name)
	if err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM iam_inline_policies WHERE entity_kind = 'group' AND entity_id = ?`,
		`DELETE FROM iam_attachments WHERE entity_kind = 'group' AND entity_id = ?`,
		`DELETE FROM iam_group_members WHERE group_id = ?`,
		`DELETE FROM iam_groups WHERE id = ?`,
	} {
		if err := t.exec(q, id); err != nil {
			return err
		}
	}
	t.iamChanged(store.EntityGroup, accountID, name)
	for _, u := range members {
		t.iamChanged(store.EntityUser, accountID, u.Name)
	}
	return nil
}

func (t *tx) AddUserToGroup(accountID, groupName, userName string) error {
	gid, err := t.iamEntityID(accountID, store.EntityGroup, groupName)
	if err != nil {
		return err
	}
	uid, err := t.iamEntityID(accountID, store.EntityUser, userName)
	if err != nil {
		return err
	}
	seq, err := t.nextSeq("iam_group_members")
	if err != nil {
		return err
	}
	if err := t.exec(`INSERT INTO iam_group_members (group_id, user_id, seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, gid, uid, seq); err != nil {
		return err
	}
	t.iamChanged(store.EntityGroup, accountID, groupName)
	t.iamChanged(store.EntityUser, accountID, userName)
	return nil
}

func (t *tx) RemoveUserFromGroup(accountID, groupName, userName string) error {
	gid, err := t.iamEntityID(accountID, store.EntityGroup, groupName)
	if err != nil {
		return err
	}
	uid, err := t.iamEntityID(accountID, store.EntityUser, userName)
	if err != nil {
		return err
	}
	res, err := t.execResult(`DELETE FROM iam_group_members WHERE group_id = ? AND user_id = ?`, gid, uid)
	if err := requireRow(res, err); err != nil {
		return err
	}
	t.iamChanged(store.EntityGroup, accountID, groupName)
	t.iamChanged(store.EntityUser, accountID, userName)
	return nil
}

func (t *tx) GroupsForUser(accountID, userName string) ([]*store.Group, error) {
	uid, err := t.iamEntityID(accountID, store.EntityUser, userName)
	if err != nil {
		return nil, err
	}
	return t.queryIAMGroups(`SELECT g.id, g.account_id, g.name, g.path, g.created_at
		FROM iam_group_members m JOIN iam_groups g ON g.id = m.group_id
		WHERE m.user_id = ? ORDER BY m.seq`, uid)
}

func (t *tx) GroupUsers(accountID, groupName string) ([]*store.User, error) {
	gid, err := t.iamEntityID(accountID, store.EntityGroup, groupName)
	if err != nil {
		return nil, err
	}
	return t.queryIAMUsers(`SELECT u.id, u.account_id, u.name, u.path, u.boundary_arn, u.created_at
		FROM iam_group_members m JOIN iam_users u ON u.id = m.user_id
		WHERE m.group_id = ? ORDER BY m.seq`, gid)
}
