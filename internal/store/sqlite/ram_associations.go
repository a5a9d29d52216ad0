package sqlite

import (
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

const ramAssociationColumns = `share_arn, type, entity, kind, account, owner_account, status, status_message, external, invite,
	due_at, created_at, updated_at`

func scanRAMAssociation(row interface{ Scan(...any) error }) (*store.RAMAssociation, error) {
	var a store.RAMAssociation
	var due, created, updated int64
	err := row.Scan(&a.ShareARN, &a.Type, &a.Entity, &a.Kind, &a.Account, &a.OwnerAccount, &a.Status, &a.StatusMessage,
		&a.External, &a.Invite, &due, &created, &updated)
	if err != nil {
		return nil, notFound(err)
	}
	a.DueAt, a.CreatedAt, a.UpdatedAt = fromUnix(due), fromUnix(created), fromUnix(updated)
	return &a, nil
}

func (t *tx) RAMAssociation(shareARN, typ, entity string) (*store.RAMAssociation, error) {
	return scanRAMAssociation(t.queryRow(`SELECT `+ramAssociationColumns+` FROM ram_associations
		WHERE share_arn = ? AND type = ? AND entity = ?`, shareARN, typ, entity))
}

func (t *tx) PutRAMAssociation(a *store.RAMAssociation) error {
	t.changed(store.ChangeRAMAssociation, a.ShareARN+" "+a.Entity)
	if !a.DueAt.IsZero() {
		t.changed(store.ChangeRAMPending, strconv.FormatInt(a.DueAt.UnixNano(), 10))
	}
	return t.exec(`INSERT INTO ram_associations (`+ramAssociationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (share_arn, type, entity) DO UPDATE SET kind = excluded.kind, account = excluded.account,
			owner_account = excluded.owner_account, status = excluded.status, status_message = excluded.status_message,
			external = excluded.external, invite = excluded.invite, due_at = excluded.due_at, created_at = excluded.created_at,
			updated_at = excluded.updated_at`,
		a.ShareARN, a.Type, a.Entity, a.Kind, a.Account, a.OwnerAccount, a.Status, a.StatusMessage, boolInt(a.External), boolInt(a.Invite),
		unix(a.DueAt), unix(a.CreatedAt), unix(a.UpdatedAt))
}

func (t *tx) ListRAMAssociations(q store.RAMAssociationQuery, p store.Page) ([]*store.RAMAssociation, error) {
	where, args, ok := associationFilter(q, p, "")
	if !ok {
		return nil, nil
	}
	query := `SELECT ` + ramAssociationColumns + ` FROM ram_associations`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY share_arn, entity`
	if p.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, p.Limit)
	}
	return t.ramAssociations(query, args...)
}

// associationFilter is the WHERE of a query of associations (their columns named with
// prefix); ok is false when it can match nothing.
func associationFilter(q store.RAMAssociationQuery, p store.Page, prefix string) (where []string, args []any, ok bool) {
	if p.After != "" {
		share, entity, _ := strings.Cut(p.After, " ")
		where = append(where, "("+prefix+"share_arn, "+prefix+"entity) > (?, ?)")
		args = append(args, share, entity)
	}
	add := func(column string, v any) {
		where = append(where, prefix+column+" = ?")
		args = append(args, v)
	}
	if q.Type != "" {
		add("type", q.Type)
	}
	if q.Owner != "" {
		add("owner_account", q.Owner)
	}
	if q.ShareARNs != nil {
		if len(q.ShareARNs) == 0 {
			return nil, nil, false
		}
		where = append(where, prefix+"share_arn IN ("+placeholders(len(q.ShareARNs))+")")
		for _, s := range q.ShareARNs {
			args = append(args, s)
		}
	}
	if q.Entity != "" {
		add("entity", q.Entity)
	}
	if q.Account != "" {
		add("account", q.Account)
	}
	if q.Status != "" {
		add("status", q.Status)
	}
	return where, args, true
}

func (t *tx) ramAssociations(query string, args ...any) ([]*store.RAMAssociation, error) {
	rows, err := t.tx.QueryContext(t.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.RAMAssociation
	for rows.Next() {
		a, err := scanRAMAssociation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *tx) DueRAMAssociations(at time.Time) ([]*store.RAMAssociation, error) {
	return t.ramAssociations(`SELECT `+ramAssociationColumns+` FROM ram_associations WHERE due_at > 0 AND due_at <= ?
		ORDER BY due_at, share_arn, entity`, unix(at))
}

func (t *tx) NextRAMDue() (time.Time, error) {
	var a, w int64
	if err := t.queryRow(`SELECT COALESCE(MIN(due_at), 0) FROM ram_associations WHERE due_at > 0`).Scan(&a); err != nil {
		return time.Time{}, err
	}
	if err := t.queryRow(`SELECT COALESCE(MIN(due_at), 0) FROM ram_replace_work WHERE due_at > 0`).Scan(&w); err != nil {
		return time.Time{}, err
	}
	switch {
	case a == 0:
		return fromUnix(w), nil
	case w == 0 || a < w:
		return fromUnix(a), nil
	}
	return fromUnix(w), nil
}

const ramInvitationColumns = `arn, share_arn, sender_account, receiver_account, receiver_arn, principal, status, created_at, updated_at`

func scanRAMInvitation(row interface{ Scan(...any) error }) (*store.RAMInvitation, error) {
	var i store.RAMInvitation
	var created, updated int64
	err := row.Scan(&i.ARN, &i.ShareARN, &i.SenderAccount, &i.ReceiverAccount, &i.ReceiverARN, &i.Principal, &i.Status, &created, &updated)
	if err != nil {
		return nil, notFound(err)
	}
	i.CreatedAt, i.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &i, nil
}

func (t *tx) RAMInvitation(arn string) (*store.RAMInvitation, error) {
	return scanRAMInvitation(t.queryRow(`SELECT `+ramInvitationColumns+` FROM ram_invitations WHERE arn = ?`, arn))
}

func (t *tx) PutRAMInvitation(i *store.RAMInvitation) error {
	t.changed(store.ChangeRAMInvitation, i.ARN)
	return t.exec(`INSERT INTO ram_invitations (`+ramInvitationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (arn) DO UPDATE SET share_arn = excluded.share_arn, sender_account = excluded.sender_account,
			receiver_account = excluded.receiver_account, receiver_arn = excluded.receiver_arn, principal = excluded.principal,
			status = excluded.status, created_at = excluded.created_at, updated_at = excluded.updated_at`,
		i.ARN, i.ShareARN, i.SenderAccount, i.ReceiverAccount, i.ReceiverARN, i.Principal, i.Status, unix(i.CreatedAt), unix(i.UpdatedAt))
}

func (t *tx) ListRAMInvitations(q store.RAMInvitationQuery) ([]*store.RAMInvitation, error) {
	var where []string
	var args []any
	in := func(column string, values []string) bool {
		if values == nil {
			return true
		}
		if len(values) == 0 {
			return false
		}
		where = append(where, column+" IN ("+placeholders(len(values))+")")
		for _, v := range values {
			args = append(args, v)
		}
		return true
	}
	if q.Receiver != "" {
		where, args = append(where, "receiver_account = ?"), append(args, q.Receiver)
	}
	if q.Principal != "" {
		where, args = append(where, "principal = ?"), append(args, q.Principal)
	}
	if !in("arn", q.ARNs) || !in("share_arn", q.ShareARNs) {
		return nil, nil
	}
	query := `SELECT ` + ramInvitationColumns + ` FROM ram_invitations`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := t.tx.QueryContext(t.ctx, query+` ORDER BY arn`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.RAMInvitation
	for rows.Next() {
		i, err := scanRAMInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

func (t *tx) DeleteRAMInvitations(shareARN, principal string) error {
	rows, err := t.query(`SELECT arn FROM ram_invitations WHERE share_arn = ? AND principal = ? ORDER BY arn`, shareARN, principal)
	if err != nil {
		return err
	}
	defer rows.Close()
	var arns []string
	for rows.Next() {
		var arn string
		if err := rows.Scan(&arn); err != nil {
			return err
		}
		arns = append(arns, arn)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for _, arn := range arns {
		t.changed(store.ChangeRAMInvitation, arn)
	}
	return t.exec(`DELETE FROM ram_invitations WHERE share_arn = ? AND principal = ?`, shareARN, principal)
}
