package sqlite

import (
	"database/sql"
	"errors"

	"github.com/cairnhq/cairn/internal/store"
)

func (t *tx) AttachPolicy(accountID string, kind store.EntityKind, name, policyARN string) error {
	id, err := t.iamEntityID(accountID, kind, name)
	if err != nil {
		return err
	}
	if _, err := t.ManagedPolicy(policyARN); err != nil {
		return err
	}
	seq, err := t.nextSeq("iam_attachments")
	if err != nil {
		return err
	}
	if err := t.exec(`INSERT INTO iam_attachments (entity_kind, entity_id, account_id, policy_arn, seq) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, kind.String(), id, accountID, policyARN, seq); err != nil {
		return err
	}
	t.iamChanged(kind, accountID, name)
	return nil
}

func (t *tx) AttachRolePolicy(accountID, roleName, policyARN string) error {
	return t.AttachPolicy(accountID, store.EntityRole, roleName, policyARN)
}

func (t *tx) DetachPolicy(accountID string, kind store.EntityKind, name, policyARN string) error {
	id, err := t.iamEntityID(accountID, kind, name)
	if err != nil {
		return err
	}
	res, err := t.execResult(`DELETE FROM iam_attachments WHERE entity_kind = ? AND entity_id = ? AND policy_arn = ?`,
		kind.String(), id, policyARN)
	if err := requireRow(res, err); err != nil {
		return err
	}
	t.iamChanged(kind, accountID, name)
	return nil
}

func (t *tx) AttachedPolicies(accountID string, kind store.EntityKind, name string) ([]*store.ManagedPolicy, error) {
	id, err := t.iamEntityID(accountID, kind, name)
	if err != nil {
		return nil, err
	}
	return t.attachedPolicies(kind, id)
}

func (t *tx) attachedPolicies(kind store.EntityKind, id string) ([]*store.ManagedPolicy, error) {
	return t.queryIAMPolicies(`SELECT p.arn, p.account_id, p.name, p.id, p.path, p.description, p.default_version,
		p.last_version, p.created_at, p.updated_at
		FROM iam_attachments a JOIN iam_policies p ON p.arn = a.policy_arn
		WHERE a.entity_kind = ? AND a.entity_id = ? ORDER BY a.seq`, kind.String(), id)
}

func (t *tx) InlinePolicy(accountID string, kind store.EntityKind, entity, name string) (*store.InlinePolicy, error) {
	id, err := t.iamEntityID(accountID, kind, entity)
	if err != nil {
		return nil, err
	}
	var p store.InlinePolicy
	err = t.queryRow(`SELECT name, document FROM iam_inline_policies WHERE entity_kind = ? AND entity_id = ? AND name = ?`,
		kind.String(), id, name).Scan(&p.Name, &p.Document)
	if err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

func (t *tx) InlinePolicies(accountID string, kind store.EntityKind, entity string) ([]*store.InlinePolicy, error) {
	id, err := t.iamEntityID(accountID, kind, entity)
	if err != nil {
		return nil, err
	}
	return t.inlinePolicies(kind, id)
}

func (t *tx) inlinePolicies(kind store.EntityKind, id string) ([]*store.InlinePolicy, error) {
	rows, err := t.query(`SELECT name, document FROM iam_inline_policies WHERE entity_kind = ? AND entity_id = ? ORDER BY name`,
		kind.String(), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.InlinePolicy
	for rows.Next() {
		var p store.InlinePolicy
		if err := rows.Scan(&p.Name, &p.Document); err != nil {
			return nil, err
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

func (t *tx) PutInlinePolicy(accountID string, kind store.EntityKind, entity string, p *store.InlinePolicy) error {
	id, err := t.iamEntityID(accountID, kind, entity)
	if err != nil {
		return err
	}
	if err := t.exec(`INSERT INTO iam_inline_policies (entity_kind, entity_id, name, document) VALUES (?, ?, ?, ?)
		ON CONFLICT (entity_kind, entity_id, name) DO UPDATE SET document = excluded.document`,
		kind.String(), id, p.Name, p.Document); err != nil {
		return err
	}
	t.iamChanged(kind, accountID, entity)
	return nil
}

func (t *tx) DeleteInlinePolicy(accountID string, kind store.EntityKind, entity, name string) error {
	id, err := t.iamEntityID(accountID, kind, entity)
	if err != nil {
		return err
	}
	res, err := t.execResult(`DELETE FROM iam_inline_policies WHERE entity_kind = ? AND entity_id = ? AND name = ?`,
		kind.String(), id, name)
	if err := requireRow(res, err); err != nil {
		return err
	}
	t.iamChanged(kind, accountID, entity)
	return nil
}

func (t *tx) IdentityPolicies(accountID string, kind store.PrincipalKind, name string) (*store.IdentityPolicySet, error) {
	var set store.IdentityPolicySet
	var entity store.EntityKind
	var id, canonical, boundary string
	switch kind {
	case store.PrincipalUser:
		u, err := scanIAMUser(t.queryRow(`SELECT `+iamUserColumns+` FROM iam_users WHERE `+iamByName, accountID, name))
		if err != nil {
			return nil, err
		}
		entity, id, canonical, boundary = store.EntityUser, u.ID, u.Name, u.PermissionsBoundaryARN
	case store.PrincipalRole:
		r, err := scanIAMRole(t.queryRow(`SELECT `+iamRoleColumns+` FROM iam_roles WHERE `+iamByName, accountID, name))
		if err != nil {
			return nil, err
		}
		entity, id, canonical, boundary = store.EntityRole, r.ID, r.Name, r.PermissionsBoundaryARN
	default:
		return nil, store.ErrNotFound
	}
	if err := t.addEntityPolicies(&set, entity, id, canonical); err != nil {
		return nil, err
	}
	if kind == store.PrincipalUser {
		groups, err := t.queryIAMGroups(`SELECT g.id, g.account_id, g.name, g.path, g.created_at
			FROM iam_group_members m JOIN iam_groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY m.seq`, id)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if err := t.addEntityPolicies(&set, store.EntityGroup, g.ID, g.Name); err != nil {
				return nil, err
			}
		}
	}
	if boundary != "" {
		doc, err := t.defaultDocument(boundary)
		if err != nil {
			return nil, err
		}
		if doc != nil {
			set.Boundary = doc
		}
	}
	return &set, nil
}

// addEntityPolicies appends the inline and attached policies of one entity.
func (t *tx) addEntityPolicies(set *store.IdentityPolicySet, kind store.EntityKind, id, name string) error {
	inline, err := t.inlinePolicies(kind, id)
	if err != nil {
		return err
	}
	for _, p := range inline {
		set.Policies = append(set.Policies, store.PolicyDocument{ID: kind.String() + "/" + name + "/" + p.Name, Document: p.Document})
	}
	rows, err := t.query(`SELECT p.arn, v.document
		FROM iam_attachments a
		JOIN iam_policies p ON p.arn = a.policy_arn
		JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version
		WHERE a.entity_kind = ? AND a.entity_id = ? ORDER BY a.seq`, kind.String(), id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d store.PolicyDocument
		if err := rows.Scan(&d.ID, &d.Document); err != nil {
			return err
		}
		set.Policies = append(set.Policies, d)
	}
	return rows.Err()
}

// defaultDocument returns the default version of a managed policy, or nil when the
// policy no longer exists.
func (t *tx) defaultDocument(arn string) (*store.PolicyDocument, error) {
	d := store.PolicyDocument{ID: arn}
	err := t.queryRow(`SELECT v.document FROM iam_policies p
		JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version
		WHERE p.arn = ?`, arn).Scan(&d.Document)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, err
	}
	return &d, nil
}
