package sqlite

import (
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

func (t *tx) Organization() (*store.Organization, error) {
	var o store.Organization
	var created int64
	err := t.queryRow(`SELECT id, management_account_id, root_id, feature_set, created_at FROM organization LIMIT 1`).
		Scan(&o.ID, &o.ManagementAccountID, &o.RootID, &o.FeatureSet, &created)
	if err != nil {
		return nil, notFound(err)
	}
	o.CreatedAt = fromUnix(created)
	return &o, nil
}

func (t *tx) CreateOrganization(o *store.Organization) error {
	if _, err := t.Organization(); err == nil {
		return store.ErrExists
	}
	t.changed(store.ChangeOrganization, o.ID)
	return t.exec(`INSERT INTO organization (id, management_account_id, root_id, feature_set, created_at) VALUES (?, ?, ?, ?, ?)`,
		o.ID, o.ManagementAccountID, o.RootID, o.FeatureSet, unix(o.CreatedAt))
}

func (t *tx) CreateAccountStatus(id string) (*store.CreateAccountStatus, error) {
	var s store.CreateAccountStatus
	var requested, completed int64
	err := t.queryRow(`SELECT id, account_name, state, account_id, failure_reason, requested_at, completed_at FROM create_account_status WHERE id = ?`, id).
		Scan(&s.ID, &s.AccountName, &s.State, &s.AccountID, &s.FailureReason, &requested, &completed)
	if err != nil {
		return nil, notFound(err)
	}
	s.RequestedAt, s.CompletedAt = fromUnix(requested), fromUnix(completed)
	return &s, nil
}

func (t *tx) ListCreateAccountStatuses(states []string, p store.Page) ([]*store.CreateAccountStatus, error) {
	query := `SELECT id, account_name, state, account_id, failure_reason, requested_at, completed_at FROM create_account_status WHERE id > ?`
	args := []any{p.After}
	if len(states) > 0 {
		query += ` AND state IN (?` + strings.Repeat(`, ?`, len(states)-1) + `)`
		for _, st := range states {
			args = append(args, st)
		}
	}
	rows, err := t.query(query+` ORDER BY id LIMIT ?`, append(args, pageLimit(p.Limit))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.CreateAccountStatus
	for rows.Next() {
		var s store.CreateAccountStatus
		var requested, completed int64
		if err := rows.Scan(&s.ID, &s.AccountName, &s.State, &s.AccountID, &s.FailureReason, &requested, &completed); err != nil {
			return nil, err
		}
		s.RequestedAt, s.CompletedAt = fromUnix(requested), fromUnix(completed)
		out = append(out, &s)
	}
	return out, rows.Err()
}

func (t *tx) PutCreateAccountStatus(s *store.CreateAccountStatus) error {
	t.changed(store.ChangeCreateAccountStatus, s.ID)
	return t.exec(`INSERT INTO create_account_status (id, account_name, state, account_id, failure_reason, requested_at, completed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, account_id = excluded.account_id,
			failure_reason = excluded.failure_reason, completed_at = excluded.completed_at`,
		s.ID, s.AccountName, s.State, s.AccountID, s.FailureReason, unix(s.RequestedAt), unix(s.CompletedAt))
}

const accountColumns = `id, name, email, state, joined_method, joined_at, parent_id`

func scanAccount(row interface{ Scan(...any) error }) (*store.Account, error) {
	var a store.Account
	var joined int64
	if err := row.Scan(&a.ID, &a.Name, &a.Email, &a.State, &a.JoinedMethod, &joined, &a.ParentID); err != nil {
		return nil, notFound(err)
	}
	a.JoinedAt = fromUnix(joined)
	return &a, nil
}

func (t *tx) Account(id string) (*store.Account, error) {
	return scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
}

func (t *tx) AccountByName(name string) (*store.Account, error) {
	return scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE name = ?`, name))
}

func (t *tx) AccountByEmail(email string) (*store.Account, error) {
	return scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE lower(email) = lower(?)`, email))
}

func (t *tx) ListAccounts(p store.Page) ([]*store.Account, error) {
	rows, err := t.query(`SELECT `+accountColumns+` FROM accounts WHERE id > ? ORDER BY id LIMIT ?`, p.After, pageLimit(p.Limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *tx) CreateAccount(a *store.Account) error {
	t.changed(store.ChangeAccount, a.ID)
	return t.exec(`INSERT INTO accounts (`+accountColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Name, a.Email, a.State, a.JoinedMethod, unix(a.JoinedAt), a.ParentID)
}
