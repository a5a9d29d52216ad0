package sqlite

import (
	"github.com/cairnhq/cairn/internal/store"
)

const denialColumns = `account_id, at, principal, action, resource, decision, policy_type, policy_id, statement, message, request_id`

func (t *tx) AddDenials(ds []*store.Denial, keep int) error {
	accounts := map[string]bool{}
	for _, d := range ds {
		if err := t.exec(`INSERT INTO recent_denials (`+denialColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Account, unix(d.Time), d.Principal, d.Action, d.Resource, d.Decision, d.PolicyType, d.PolicyID, d.Statement,
			d.Message, d.RequestID); err != nil {
			return err
		}
		accounts[d.Account] = true
	}
	for account := range accounts {
		// Everything older than the account's keep-th newest goes.
		if err := t.exec(`DELETE FROM recent_denials WHERE account_id = ? AND id <= (
			SELECT id FROM recent_denials WHERE account_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
			account, account, keep); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) RecentDenials(account string, limit int) ([]*store.Denial, error) {
	rows, err := t.query(`SELECT `+denialColumns+` FROM recent_denials WHERE account_id = ? ORDER BY id DESC LIMIT ?`, account, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Denial
	for rows.Next() {
		var d store.Denial
		var at int64
		if err := rows.Scan(&d.Account, &at, &d.Principal, &d.Action, &d.Resource, &d.Decision, &d.PolicyType, &d.PolicyID,
			&d.Statement, &d.Message, &d.RequestID); err != nil {
			return nil, err
		}
		d.Time = fromUnix(at)
		out = append(out, &d)
	}
	return out, rows.Err()
}
