package sqlite

import "github.com/cairnhq/cairn/internal/store"

const modelColumns = `account_id, name, arn, request, role_arn, created_at`

func scanModel(row interface{ Scan(...any) error }) (*store.Model, error) {
	var m store.Model
	var created int64
	if err := row.Scan(&m.AccountID, &m.Name, &m.ARN, &m.Request, &m.RoleARN, &created); err != nil {
		return nil, notFound(err)
	}
	m.CreatedAt = fromUnix(created)
	return &m, nil
}

func (t *tx) Model(accountID, name string) (*store.Model, error) {
	return scanModel(t.tx.QueryRowContext(t.ctx, `SELECT `+modelColumns+` FROM sagemaker_models WHERE account_id = ? AND lower(name) = lower(?)`, accountID, name))
}

func (t *tx) ListModels(accountID string) ([]*store.Model, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+modelColumns+` FROM sagemaker_models WHERE account_id = ? ORDER BY created_at, name`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Model
	for rows.Next() {
		m, err := scanModel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (t *tx) CreateModel(m *store.Model) error {
	t.changed(store.ChangeModel, m.ARN)
	return t.exec(`INSERT INTO sagemaker_models (`+modelColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		m.AccountID, m.Name, m.ARN, m.Request, m.RoleARN, unix(m.CreatedAt))
}

func (t *tx) DeleteModel(accountID, name string) error {
	m, err := t.Model(accountID, name)
	if err != nil {
		return err
	}
	t.changed(store.ChangeModel, m.ARN)
	if err := t.deleteTags(m.ARN); err != nil {
		return err
	}
	return t.exec(`DELETE FROM sagemaker_models WHERE account_id = ? AND lower(name) = lower(?)`, accountID, name)
}
