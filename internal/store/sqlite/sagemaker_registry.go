package sqlite

import (
	"github.com/cairnhq/cairn/internal/store"
)

const modelPackageGroupColumns = `account_id, name, arn, description, status, created_by, created_at, latest_version`

func scanModelPackageGroup(row interface{ Scan(...any) error }) (*store.ModelPackageGroup, error) {
	var g store.ModelPackageGroup
	var created int64
	err := row.Scan(&g.AccountID, &g.Name, &g.ARN, &g.Description, &g.Status, &g.CreatedBy, &created, &g.LatestVersion)
	if err != nil {
		return nil, notFound(err)
	}
	g.CreatedAt = fromUnix(created)
	return &g, nil
}

func (t *tx) ModelPackageGroup(accountID, name string) (*store.ModelPackageGroup, error) {
	return scanModelPackageGroup(t.tx.QueryRowContext(t.ctx, `SELECT `+modelPackageGroupColumns+` FROM model_package_groups
		WHERE account_id = ? AND lower(name) = lower(?)`, accountID, name))
}

func (t *tx) ListModelPackageGroups(accountID string) ([]*store.ModelPackageGroup, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+modelPackageGroupColumns+` FROM model_package_groups
		WHERE account_id = ? ORDER BY created_at, name`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.ModelPackageGroup
	for rows.Next() {
		g, err := scanModelPackageGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func (t *tx) CreateModelPackageGroup(g *store.ModelPackageGroup) error {
	t.changed(store.ChangeModelPackageGroup, g.ARN)
	return t.exec(`INSERT INTO model_package_groups (`+modelPackageGroupColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		g.AccountID, g.Name, g.ARN, g.Description, g.Status, g.CreatedBy, unix(g.CreatedAt), g.LatestVersion)
}

func (t *tx) UpdateModelPackageGroup(g *store.ModelPackageGroup) error {
	t.changed(store.ChangeModelPackageGroup, g.ARN)
	return t.execRegistryRow(`UPDATE model_package_groups SET description = ?, status = ?, latest_version = ?
		WHERE account_id = ? AND lower(name) = lower(?)`, g.Description, g.Status, g.LatestVersion, g.AccountID, g.Name)
}

func (t *tx) DeleteModelPackageGroup(accountID, name string) error {
	g, err := t.ModelPackageGroup(accountID, name)
	if err != nil {
		return err
	}
	t.changed(store.ChangeModelPackageGroup, g.ARN)
	if err := t.deleteTags(g.ARN); err != nil {
		return err
	}
	if err := t.exec(`DELETE FROM model_package_group_policies WHERE account_id = ? AND group_key = lower(?)`, accountID, name); err != nil {
		return err
	}
	return t.execRegistryRow(`DELETE FROM model_package_groups WHERE account_id = ? AND lower(name) = lower(?)`, accountID, name)
}

func (t *tx) ModelPackageGroupPolicy(accountID, name string) (string, error) {
	var policy string
	err := t.tx.QueryRowContext(t.ctx, `SELECT policy FROM model_package_group_policies WHERE account_id = ? AND group_key = lower(?)`,
		accountID, name).Scan(&policy)
	if err != nil {
		return "", notFound(err)
	}
	return policy, nil
}

func (t *tx) PutModelPackageGroupPolicy(accountID, name, policy string) error {
	g, err := t.ModelPackageGroup(accountID, name)
	if err != nil {
		return err
	}
	t.changed(store.ChangeModelPackageGroup, g.ARN)
	return t.exec(`INSERT INTO model_package_group_policies (account_id, group_key, policy) VALUES (?, lower(?), ?)
		ON CONFLICT (account_id, group_key) DO UPDATE SET policy = excluded.policy`, accountID, name, policy)
}

func (t *tx) DeleteModelPackageGroupPolicy(accountID, name string) error {
	g, err := t.ModelPackageGroup(accountID, name)
	if err != nil {
		return err
	}
	t.changed(store.ChangeModelPackageGroup, g.ARN)
	return t.execRegistryRow(`DELETE FROM model_package_group_policies WHERE account_id = ? AND group_key = lower(?)`, accountID, name)
}

const modelPackageColumns = `account_id, name, version, arn, request, status, approval_status, approval_description,
	client_token, created_by, last_modified_by, created_at, last_modified_at`

func scanModelPackage(row interface{ Scan(...any) error }) (*store.ModelPackage, error) {
	var p store.ModelPackage
	var created, modified int64
	err := row.Scan(&p.AccountID, &p.Name, &p.Version, &p.ARN, &p.Request, &p.Status, &p.ApprovalStatus, &p.ApprovalDescription,
		&p.ClientToken, &p.CreatedBy, &p.LastModifiedBy, &created, &modified)
	if err != nil {
		return nil, notFound(err)
	}
	p.CreatedAt, p.LastModifiedAt = fromUnix(created), fromUnix(modified)
	return &p, nil
}

func (t *tx) ModelPackage(accountID, name string, version int) (*store.ModelPackage, error) {
	return scanModelPackage(t.tx.QueryRowContext(t.ctx, `SELECT `+modelPackageColumns+` FROM model_packages
		WHERE account_id = ? AND lower(name) = lower(?) AND version = ?`, accountID, name, version))
}

func (t *tx) ModelPackageByToken(accountID, clientToken string) (*store.ModelPackage, error) {
	if clientToken == "" {
		return nil, store.ErrNotFound
	}
	return scanModelPackage(t.tx.QueryRowContext(t.ctx, `SELECT `+modelPackageColumns+` FROM model_packages
		WHERE account_id = ? AND client_token = ?`, accountID, clientToken))
}

func (t *tx) ListModelPackages(accountID, group string) ([]*store.ModelPackage, error) {
	q := `SELECT ` + modelPackageColumns + ` FROM model_packages WHERE account_id = ?`
	args := []any{accountID}
	if group != "" {
		q += ` AND lower(name) = lower(?) AND version > 0`
		args = append(args, group)
	}
	rows, err := t.tx.QueryContext(t.ctx, q+` ORDER BY created_at, name, version`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.ModelPackage
	for rows.Next() {
		p, err := scanModelPackage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *tx) CreateModelPackage(p *store.ModelPackage) error {
	t.changed(store.ChangeModelPackage, p.ARN)
	return t.exec(`INSERT INTO model_packages (`+modelPackageColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.AccountID, p.Name, p.Version, p.ARN, p.Request, p.Status, p.ApprovalStatus, p.ApprovalDescription,
		p.ClientToken, p.CreatedBy, p.LastModifiedBy, unix(p.CreatedAt), unix(p.LastModifiedAt))
}

func (t *tx) UpdateModelPackage(p *store.ModelPackage) error {
	t.changed(store.ChangeModelPackage, p.ARN)
	return t.execRegistryRow(`UPDATE model_packages SET request = ?, status = ?, approval_status = ?, approval_description = ?,
		last_modified_by = ?, last_modified_at = ? WHERE account_id = ? AND lower(name) = lower(?) AND version = ?`,
		p.Request, p.Status, p.ApprovalStatus, p.ApprovalDescription, p.LastModifiedBy, unix(p.LastModifiedAt),
		p.AccountID, p.Name, p.Version)
}

func (t *tx) DeleteModelPackage(accountID, name string, version int) error {
	p, err := t.ModelPackage(accountID, name, version)
	if err != nil {
		return err
	}
	t.changed(store.ChangeModelPackage, p.ARN)
	if err := t.deleteTags(p.ARN); err != nil {
		return err
	}
	return t.execRegistryRow(`DELETE FROM model_packages WHERE account_id = ? AND lower(name) = lower(?) AND version = ?`, accountID, name, version)
}

// execRegistryRow runs a statement that must change exactly one row; none is store.ErrNotFound.
func (t *tx) execRegistryRow(query string, args ...any) error {
	res, err := t.tx.ExecContext(t.ctx, query, args...)
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
