package sqlite

import (
	"crypto/sha256"
	"database/sql"
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// This file holds what the IAM entity files share: tags, change keys and small helpers.

// requireRow turns an UPDATE or DELETE that touched no row into store.ErrNotFound.
func requireRow(res sql.Result, err error) error {
	if err != nil {
		return mapError(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// iamChanged records a change of an IAM user, group or role.
func (t *tx) iamChanged(kind store.EntityKind, accountID, name string) {
	t.changed(kind.ChangeKind(), accountID+"/"+name)
}

// setIAMTags replaces the tags of the IAM resource with the unique ID id, folding keys
// that differ only in case as IAM does.
func (t *tx) setIAMTags(id string, tags []store.Tag) error {
	return t.setTags(id, store.FoldTags(tags))
}

// iamPathCond returns a condition keeping rows whose path starts with prefix, and its
// arguments. substr avoids LIKE, whose wildcards may appear in paths; IAM paths are
// ASCII, so substr's characters are bytes.
func iamPathCond(column, prefix string) (string, []any) {
	if prefix == "" || prefix == "/" {
		return "1 = 1", nil
	}
	return "substr(" + column + ", 1, ?) = ?", []any{len(prefix), prefix}
}

// iamByName is the condition selecting an IAM entity of an account by name, without
// regard to case; its arguments are the account and the name.
const iamByName = `account_id = ? AND lower(name) = lower(?)`

// iamDerivedID makes a stable unique ID ("AROA" + 17 characters) from an entity's account
// and name, for callers that create entities without choosing an ID.
func iamDerivedID(prefix, accountID, name string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	sum := sha256.Sum256([]byte(accountID + "/" + strings.ToLower(name)))
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; i < 21-len(prefix); i++ {
		b.WriteByte(alphabet[sum[i]%32])
	}
	return b.String()
}

// nextSeq returns the next value of the seq column of table (iam_group_members,
// iam_attachments), which orders its rows by insertion.
func (t *tx) nextSeq(table string) (int64, error) {
	var seq int64
	err := t.queryRow(`SELECT COALESCE(MAX(seq), 0) + 1 FROM ` + table).Scan(&seq)
	return seq, err
}

// iamEntityID resolves a user, group or role name to its unique ID.
func (t *tx) iamEntityID(accountID string, kind store.EntityKind, name string) (string, error) {
	var table string
	switch kind {
	case store.EntityUser:
		table = "iam_users"
	case store.EntityGroup:
		table = "iam_groups"
	case store.EntityRole:
		table = "iam_roles"
	default:
		return "", store.ErrNotFound
	}
	var id string
	err := t.queryRow(`SELECT id FROM `+table+` WHERE `+iamByName, accountID, name).Scan(&id)
	return id, notFound(err)
}

func (t *tx) CountEntities(accountID string, kind store.EntityKind) (int, error) {
	var table string
	switch kind {
	case store.EntityUser:
		table = "iam_users"
	case store.EntityGroup:
		table = "iam_groups"
	case store.EntityRole:
		table = "iam_roles"
	case store.EntityPolicy:
		table = "iam_policies"
	default:
		return 0, nil
	}
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM `+table+` WHERE account_id = ?`, accountID).Scan(&n)
	return n, err
}
