package sqlite

import (
	"encoding/json"
	"fmt"

	"github.com/cairnhq/cairn/internal/store"
)

const kmsGrantColumns = `id, account, key_id, name, grantee_principal, retiring_principal, issuing_account, operations,
	constraints, token_hash, created_at`

type grantConstraints struct {
	Equals map[string]string `json:"equals,omitempty"`
	Subset map[string]string `json:"subset,omitempty"`
}

func scanKMSGrant(row interface{ Scan(...any) error }) (*store.KMSGrant, error) {
	var g store.KMSGrant
	var ops, cons string
	var created int64
	if err := row.Scan(&g.ID, &g.Account, &g.KeyID, &g.Name, &g.GranteePrincipal, &g.RetiringPrincipal, &g.IssuingAccount,
		&ops, &cons, &g.TokenHash, &created); err != nil {
		return nil, notFound(err)
	}
	if err := json.Unmarshal([]byte(ops), &g.Operations); err != nil {
		return nil, fmt.Errorf("kms grant %s: operations: %w", g.ID, err)
	}
	var c grantConstraints
	if err := json.Unmarshal([]byte(cons), &c); err != nil {
		return nil, fmt.Errorf("kms grant %s: constraints: %w", g.ID, err)
	}
	g.ContextEquals, g.ContextSubset = c.Equals, c.Subset
	g.CreatedAt = fromUnix(created)
	return &g, nil
}

func (t *tx) CreateKMSGrant(g *store.KMSGrant) error {
	if _, err := t.KMSKey(g.Account, g.KeyID); err != nil {
		return err
	}
	ops, err := json.Marshal(g.Operations)
	if err != nil {
		return err
	}
	cons, err := json.Marshal(grantConstraints{Equals: g.ContextEquals, Subset: g.ContextSubset})
	if err != nil {
		return err
	}
	hash := g.TokenHash
	if hash == nil {
		hash = []byte{}
	}
	if err := t.exec(`INSERT INTO kms_grants (`+kmsGrantColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ID, g.Account, g.KeyID, g.Name, g.GranteePrincipal, g.RetiringPrincipal, g.IssuingAccount, string(ops),
		string(cons), hash, unix(g.CreatedAt)); err != nil {
		return err
	}
	t.changed(store.ChangeKMSGrant, g.ID)
	return nil
}

func (t *tx) KMSGrant(id string) (*store.KMSGrant, error) {
	return scanKMSGrant(t.queryRow(`SELECT `+kmsGrantColumns+` FROM kms_grants WHERE id = ?`, id))
}

func (t *tx) DeleteKMSGrant(id string) error {
	res, err := t.execResult(`DELETE FROM kms_grants WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	t.changed(store.ChangeKMSGrant, id)
	return nil
}

func (t *tx) ListKMSGrants(q store.KMSGrantQuery, p store.Page) ([]*store.KMSGrant, error) {
	where := `id > ?`
	args := []any{p.After}
	for _, f := range []struct{ col, v string }{
		{"account", q.Account}, {"key_id", q.KeyID},
		{"grantee_principal", q.GranteePrincipal}, {"retiring_principal", q.RetiringPrincipal},
	} {
		if f.v != "" {
			where += ` AND ` + f.col + ` = ?`
			args = append(args, f.v)
		}
	}
	args = append(args, pageLimit(p.Limit))
	rows, err := t.query(`SELECT `+kmsGrantColumns+` FROM kms_grants WHERE `+where+` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.KMSGrant
	for rows.Next() {
		g, err := scanKMSGrant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
