-- AWS RAM: resource shares, their associations and invitations, customer managed
-- permissions, and the resource policies shares attach to what they share. The tags of
-- shares and permissions live in the one tag table (0010), by the share's or permission's
-- ARN.

CREATE TABLE ram_shares (
	arn             TEXT PRIMARY KEY,
	owner_account   TEXT NOT NULL,
	name            TEXT NOT NULL,
	allow_external  INTEGER NOT NULL,
	status          TEXT NOT NULL,
	status_message  TEXT NOT NULL,
	feature_set     TEXT NOT NULL,
	retain_on_leave INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE INDEX ram_shares_owner ON ram_shares(owner_account, arn);

-- due_at is when a pending transition completes (0: none pending).
CREATE TABLE ram_associations (
	share_arn      TEXT NOT NULL,
	type           TEXT NOT NULL,
	entity         TEXT NOT NULL,
	kind           TEXT NOT NULL,
	account        TEXT NOT NULL,
	owner_account  TEXT NOT NULL,
	status         TEXT NOT NULL,
	status_message TEXT NOT NULL,
	external       INTEGER NOT NULL,
	invite         INTEGER NOT NULL,
	due_at         INTEGER NOT NULL,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	PRIMARY KEY (share_arn, type, entity)
);
CREATE INDEX ram_associations_entity ON ram_associations(entity, type);
CREATE INDEX ram_associations_account ON ram_associations(account, type);
CREATE INDEX ram_associations_owner ON ram_associations(owner_account, type, share_arn, entity);
CREATE INDEX ram_associations_due ON ram_associations(due_at);

CREATE TABLE ram_invitations (
	arn              TEXT PRIMARY KEY,
	share_arn        TEXT NOT NULL,
	sender_account   TEXT NOT NULL,
	receiver_account TEXT NOT NULL,
	receiver_arn     TEXT NOT NULL,
	principal        TEXT NOT NULL,
	status           TEXT NOT NULL,
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX ram_invitations_receiver ON ram_invitations(receiver_account, arn);
CREATE INDEX ram_invitations_share ON ram_invitations(share_arn, principal);

CREATE TABLE ram_permissions (
	arn             TEXT PRIMARY KEY,
	owner_account   TEXT NOT NULL,
	name            TEXT NOT NULL,
	resource_type   TEXT NOT NULL,
	feature_set     TEXT NOT NULL,
	status          TEXT NOT NULL,
	default_version INTEGER NOT NULL,
	last_version    INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ram_permissions_name ON ram_permissions(owner_account, lower(name));

CREATE TABLE ram_permission_versions (
	permission_arn TEXT NOT NULL,
	version        INTEGER NOT NULL,
	template       TEXT NOT NULL,
	status         TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	PRIMARY KEY (permission_arn, version)
);

CREATE TABLE ram_share_permissions (
	share_arn          TEXT NOT NULL,
	resource_type      TEXT NOT NULL,
	permission_arn     TEXT NOT NULL,
	permission_version INTEGER NOT NULL,
	status             TEXT NOT NULL,
	created_at         INTEGER NOT NULL,
	updated_at         INTEGER NOT NULL,
	PRIMARY KEY (share_arn, resource_type)
);
CREATE INDEX ram_share_permissions_permission ON ram_share_permissions(permission_arn, share_arn);

CREATE TABLE ram_replace_work (
	id             TEXT PRIMARY KEY,
	owner_account  TEXT NOT NULL,
	from_arn       TEXT NOT NULL,
	from_version   INTEGER NOT NULL,
	to_arn         TEXT NOT NULL,
	to_version     INTEGER NOT NULL,
	status         TEXT NOT NULL,
	status_message TEXT NOT NULL,
	due_at         INTEGER NOT NULL,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
);
CREATE INDEX ram_replace_work_owner ON ram_replace_work(owner_account, created_at);
CREATE INDEX ram_replace_work_due ON ram_replace_work(due_at);

CREATE TABLE ram_client_tokens (
	account      TEXT NOT NULL,
	operation    TEXT NOT NULL,
	token        TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	response     TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (account, operation, token)
);

CREATE TABLE ram_org_sharing (
	organization_id TEXT PRIMARY KEY,
	enabled_at      INTEGER NOT NULL
);

-- The policy RAM attaches to a shared resource: what every active share of it grants,
-- rewritten in the transaction of each change that affects it.
CREATE TABLE ram_resource_policies (
	resource_arn  TEXT PRIMARY KEY,
	owner_account TEXT NOT NULL,
	policy        TEXT NOT NULL,
	updated_at    INTEGER NOT NULL
);
