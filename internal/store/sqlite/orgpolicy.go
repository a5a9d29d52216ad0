package sqlite

import (
	"fmt"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

const ouColumns = `id, name, parent_id, created_at`

func scanOU(row interface{ Scan(...any) error }) (*store.OrganizationalUnit, error) {
	var ou store.OrganizationalUnit
	var created int64
	if err := row.Scan(&ou.ID, &ou.Name, &ou.ParentID, &created); err != nil {
		return nil, notFound(err)
	}
	ou.CreatedAt = fromUnix(created)
	return &ou, nil
}

func (t *tx) OrganizationalUnit(id string) (*store.OrganizationalUnit, error) {
	return scanOU(t.queryRow(`SELECT `+ouColumns+` FROM organizational_units WHERE id = ?`, id))
}

func (t *tx) OrganizationalUnitByName(parentID, name string) (*store.OrganizationalUnit, error) {
	return scanOU(t.queryRow(`SELECT `+ouColumns+` FROM organizational_units WHERE parent_id = ? AND name = ?`, parentID, name))
}

func (t *tx) ListOrganizationalUnits(parentID string, p store.Page) ([]*store.OrganizationalUnit, error) {
	rows, err := t.query(`SELECT `+ouColumns+` FROM organizational_units WHERE parent_id = ? AND id > ? ORDER BY id LIMIT ?`,
		parentID, p.After, orgLimit(p))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.OrganizationalUnit
	for rows.Next() {
		ou, err := scanOU(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ou)
	}
	return out, rows.Err()
}

func (t *tx) CountOrganizationalUnits() (int, error) {
	return t.orgCount(`SELECT COUNT(*) FROM organizational_units`)
}

func (t *tx) CreateOrganizationalUnit(ou *store.OrganizationalUnit) error {
	t.changed(store.ChangeOrganizationalUnit, ou.ID)
	return t.exec(`INSERT INTO organizational_units (`+ouColumns+`) VALUES (?, ?, ?, ?)`,
		ou.ID, ou.Name, ou.ParentID, unix(ou.CreatedAt))
}

func (t *tx) RenameOrganizationalUnit(id, name string) error {
	t.changed(store.ChangeOrganizationalUnit, id)
	return t.orgExecOne(`UPDATE organizational_units SET name = ? WHERE id = ?`, name, id)
}

func (t *tx) DeleteOrganizationalUnit(id string) error {
	t.changed(store.ChangeOrganizationalUnit, id)
	if err := t.detachAll(id); err != nil {
		return err
	}
	if err := t.deleteTags(id); err != nil {
		return err
	}
	return t.orgExecOne(`DELETE FROM organizational_units WHERE id = ?`, id)
}

func (t *tx) ListAccountsForParent(parentID string, p store.Page) ([]*store.Account, error) {
	rows, err := t.query(`SELECT `+accountColumns+` FROM accounts WHERE parent_id = ? AND id > ? ORDER BY id LIMIT ?`,
		parentID, p.After, orgLimit(p))
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

func (t *tx) MoveAccount(accountID, parentID string) error {
	t.changed(store.ChangeAccount, accountID)
	return t.orgExecOne(`UPDATE accounts SET parent_id = ? WHERE id = ?`, parentID, accountID)
}

func (t *tx) EnabledPolicyTypes() ([]string, error) {
	return t.orgStrings(`SELECT type FROM org_policy_types ORDER BY type`)
}

func (t *tx) EnablePolicyType(policyType string, at time.Time) error {
	t.changed(store.ChangeOrgPolicy, "type/"+policyType)
	return t.exec(`INSERT INTO org_policy_types (type, enabled_at) VALUES (?, ?)`, policyType, unix(at))
}

func (t *tx) DisablePolicyType(policyType string) error {
	t.changed(store.ChangeOrgPolicy, "type/"+policyType)
	ids, err := t.orgStrings(`SELECT DISTINCT a.policy_id FROM org_policy_attachments a JOIN org_policies p ON p.id = a.policy_id WHERE p.type = ?`, policyType)
	if err != nil {
		return err
	}
	for _, id := range ids {
		t.changed(store.ChangeOrgPolicy, id)
	}
	if err := t.exec(`DELETE FROM org_policy_attachments WHERE policy_id IN (SELECT id FROM org_policies WHERE type = ?)`, policyType); err != nil {
		return err
	}
	return t.orgExecOne(`DELETE FROM org_policy_types WHERE type = ?`, policyType)
}

const orgPolicyColumns = `id, type, name, description, content, aws_managed, created_at, updated_at`

func scanOrgPolicy(row interface{ Scan(...any) error }) (*store.OrgPolicy, error) {
	var p store.OrgPolicy
	var created, updated int64
	if err := row.Scan(&p.ID, &p.Type, &p.Name, &p.Description, &p.Content, &p.AWSManaged, &created, &updated); err != nil {
		return nil, notFound(err)
	}
	p.CreatedAt, p.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &p, nil
}

func (t *tx) OrgPolicy(id string) (*store.OrgPolicy, error) {
	return scanOrgPolicy(t.queryRow(`SELECT `+orgPolicyColumns+` FROM org_policies WHERE id = ?`, id))
}

func (t *tx) OrgPolicyByName(policyType, name string) (*store.OrgPolicy, error) {
	return scanOrgPolicy(t.queryRow(`SELECT `+orgPolicyColumns+` FROM org_policies WHERE type = ? AND name = ?`, policyType, name))
}

func (t *tx) ListOrgPolicies(policyType string, p store.Page) ([]*store.OrgPolicy, error) {
	return t.orgPolicies(`SELECT `+orgPolicyColumns+` FROM org_policies WHERE type = ? AND id > ? ORDER BY id LIMIT ?`,
		policyType, p.After, orgLimit(p))
}

func (t *tx) CountOrgPolicies(policyType string) (int, error) {
	return t.orgCount(`SELECT COUNT(*) FROM org_policies WHERE type = ? AND aws_managed = 0`, policyType)
}

func (t *tx) CreateOrgPolicy(p *store.OrgPolicy) error {
	t.changed(store.ChangeOrgPolicy, p.ID)
	return t.exec(`INSERT INTO org_policies (`+orgPolicyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Type, p.Name, p.Description, p.Content, boolInt(p.AWSManaged), unix(p.CreatedAt), unix(p.UpdatedAt))
}

func (t *tx) UpdateOrgPolicy(p *store.OrgPolicy) error {
	t.changed(store.ChangeOrgPolicy, p.ID)
	return t.orgExecOne(`UPDATE org_policies SET name = ?, description = ?, content = ?, updated_at = ? WHERE id = ?`,
		p.Name, p.Description, p.Content, unix(p.UpdatedAt), p.ID)
}

func (t *tx) DeleteOrgPolicy(id string) error {
	t.changed(store.ChangeOrgPolicy, id)
	if err := t.deleteTags(id); err != nil {
		return err
	}
	return t.orgExecOne(`DELETE FROM org_policies WHERE id = ?`, id)
}

func (t *tx) AttachOrgPolicy(policyID, targetID string, at time.Time) error {
	t.changed(store.ChangeOrgPolicy, policyID)
	return t.exec(`INSERT INTO org_policy_attachments (policy_id, target_id, attached_at) VALUES (?, ?, ?)`, policyID, targetID, unix(at))
}

func (t *tx) DetachOrgPolicy(policyID, targetID string) error {
	t.changed(store.ChangeOrgPolicy, policyID)
	return t.orgExecOne(`DELETE FROM org_policy_attachments WHERE policy_id = ? AND target_id = ?`, policyID, targetID)
}

// detachAll removes every attachment of target.
func (t *tx) detachAll(targetID string) error {
	ids, err := t.orgStrings(`SELECT policy_id FROM org_policy_attachments WHERE target_id = ?`, targetID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		t.changed(store.ChangeOrgPolicy, id)
	}
	return t.exec(`DELETE FROM org_policy_attachments WHERE target_id = ?`, targetID)
}

func (t *tx) ListOrgPoliciesForTarget(targetID, policyType string, p store.Page) ([]*store.OrgPolicy, error) {
	return t.orgPolicies(`SELECT p.id, p.type, p.name, p.description, p.content, p.aws_managed, p.created_at, p.updated_at
		FROM org_policy_attachments a JOIN org_policies p ON p.id = a.policy_id
		WHERE a.target_id = ? AND p.type = ? AND p.id > ? ORDER BY p.id LIMIT ?`,
		targetID, policyType, p.After, orgLimit(p))
}

func (t *tx) ListOrgPolicyTargets(policyID string, p store.Page) ([]string, error) {
	return t.orgStrings(`SELECT target_id FROM org_policy_attachments WHERE policy_id = ? AND target_id > ? ORDER BY target_id LIMIT ?`,
		policyID, p.After, orgLimit(p))
}

func (t *tx) CountOrgPolicyTargets(policyID string) (int, error) {
	return t.orgCount(`SELECT COUNT(*) FROM org_policy_attachments WHERE policy_id = ?`, policyID)
}

// maxOrgWalk bounds the walk from an account to the root, so that a corrupt parent
// cycle is an error rather than a hang.
const maxOrgWalk = 16

// ancestry returns the OUs from the root down to the account's parent.
func (t *tx) ancestry(a *store.Account, rootID string) ([]string, error) {
	var ous []string
	for parent := a.ParentID; parent != rootID; {
		if len(ous) == maxOrgWalk {
			return nil, fmt.Errorf("account %s: parent chain deeper than %d", a.ID, maxOrgWalk)
		}
		ou, err := t.OrganizationalUnit(parent)
		if err != nil {
			return nil, fmt.Errorf("account %s: parent %s: %w", a.ID, parent, err)
		}
		ous = append(ous, ou.ID)
		parent = ou.ParentID
	}
	for i, j := 0, len(ous)-1; i < j; i, j = i+1, j-1 {
		ous[i], ous[j] = ous[j], ous[i]
	}
	return ous, nil
}

func (t *tx) PolicyChain(accountID, policyType string) ([][]store.PolicyDocument, error) {
	var enabled int
	if err := t.queryRow(`SELECT COUNT(*) FROM org_policy_types WHERE type = ?`, policyType).Scan(&enabled); err != nil {
		return nil, err
	}
	if enabled == 0 {
		return nil, nil
	}
	org, err := t.Organization()
	if err != nil {
		return nil, err
	}
	a, err := t.Account(accountID)
	if err != nil {
		return nil, err
	}
	ous, err := t.ancestry(a, org.RootID)
	if err != nil {
		return nil, err
	}
	levels := append(append([]string{org.RootID}, ous...), a.ID)
	chain := make([][]store.PolicyDocument, 0, len(levels))
	for _, target := range levels {
		docs, err := t.documents(target, policyType)
		if err != nil {
			return nil, err
		}
		chain = append(chain, docs)
	}
	return chain, nil
}

func (t *tx) documents(targetID, policyType string) ([]store.PolicyDocument, error) {
	rows, err := t.query(`SELECT p.id, p.content FROM org_policy_attachments a JOIN org_policies p ON p.id = a.policy_id
		WHERE a.target_id = ? AND p.type = ? ORDER BY p.id`, targetID, policyType)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	docs := []store.PolicyDocument{}
	for rows.Next() {
		var d store.PolicyDocument
		if err := rows.Scan(&d.ID, &d.Document); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

func (t *tx) OrgPath(accountID string) (string, error) {
	org, err := t.Organization()
	if err != nil {
		return "", err
	}
	a, err := t.Account(accountID)
	if err != nil {
		return "", err
	}
	ous, err := t.ancestry(a, org.RootID)
	if err != nil {
		return "", err
	}
	path := org.ID + "/" + org.RootID + "/"
	for _, ou := range ous {
		path += ou + "/"
	}
	return path, nil
}

func (t *tx) orgPolicies(query string, args ...any) ([]*store.OrgPolicy, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.OrgPolicy
	for rows.Next() {
		p, err := scanOrgPolicy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *tx) orgStrings(query string, args ...any) ([]string, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (t *tx) orgCount(query string, args ...any) (int, error) {
	var n int
	err := t.queryRow(query, args...).Scan(&n)
	return n, err
}

// orgExecOne runs a statement that must change exactly one row; none is store.ErrNotFound.
func (t *tx) orgExecOne(query string, args ...any) error {
	res, err := t.execResult(query, args...)
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

// orgLimit turns a page's limit into SQL's LIMIT.
func orgLimit(p store.Page) int64 { return pageLimit(p.Limit) }
