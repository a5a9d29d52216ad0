CREATE TABLE organizational_units (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	parent_id  TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (parent_id, name)
);

CREATE INDEX accounts_parent ON accounts(parent_id, id);

CREATE TABLE org_policy_types (
	type       TEXT PRIMARY KEY,
	enabled_at INTEGER NOT NULL
);

CREATE TABLE org_policies (
	id          TEXT PRIMARY KEY,
	type        TEXT NOT NULL,
	name        TEXT NOT NULL,
	description TEXT NOT NULL,
	content     TEXT NOT NULL,
	aws_managed INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	UNIQUE (type, name)
);

CREATE TABLE org_policy_attachments (
	policy_id   TEXT NOT NULL REFERENCES org_policies(id),
	target_id   TEXT NOT NULL,
	attached_at INTEGER NOT NULL,
	PRIMARY KEY (policy_id, target_id)
);
CREATE INDEX org_policy_attachments_target ON org_policy_attachments(target_id, policy_id);

CREATE TABLE org_tags (
	resource_id TEXT NOT NULL,
	key         TEXT NOT NULL,
	value       TEXT NOT NULL,
	PRIMARY KEY (resource_id, key)
);
