-- Portable SQL: the schema stops relying on what only SQLite understands, so that the
-- store's queries mean the same on PostgreSQL.
--
--   * Names that compare without case (IAM user, group, role and policy names, account
--     emails, SageMaker pipeline, job, model and model registry names) lose COLLATE NOCASE.
--     A unique index on lower(name) keeps them unique without regard to case, queries
--     compare lower(name) = lower(?) and list IAM names in lower(name) order, and names
--     keep the case they were created with. (SQLite's lower() folds ASCII letters only,
--     exactly as NOCASE did.)
--   * Group memberships and policy attachments were listed in rowid order; a seq column,
--     carried over from the rowid, holds that order now.
--   * s3_objects and s3_parts become ordinary tables (no WITHOUT ROWID).
--
-- SQLite cannot change a column's collation or a table's constraints in place, so each
-- affected table is rebuilt: create the new table, copy the rows, drop the old table,
-- rename the new one, recreate its indexes. The runner applies migrations with foreign key
-- enforcement off (dropping a parent table would otherwise cascade into its children) and
-- checks the foreign keys before it commits. iam_tags keeps its collation here: the next
-- migration folds it into the one tag table.

-- Accounts: emails unique without regard to case.
CREATE TABLE accounts_new (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	email         TEXT NOT NULL,
	state         TEXT NOT NULL,
	joined_method TEXT NOT NULL,
	joined_at     INTEGER NOT NULL,
	parent_id     TEXT NOT NULL
);
INSERT INTO accounts_new (id, name, email, state, joined_method, joined_at, parent_id)
	SELECT id, name, email, state, joined_method, joined_at, parent_id FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE UNIQUE INDEX accounts_email ON accounts(lower(email));
CREATE INDEX accounts_parent ON accounts(parent_id, id);

-- IAM users, groups, roles and managed policies: names unique per account without
-- regard to case.
CREATE TABLE iam_users_new (
	id           TEXT PRIMARY KEY,
	account_id   TEXT NOT NULL,
	name         TEXT NOT NULL,
	path         TEXT NOT NULL,
	boundary_arn TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL
);
INSERT INTO iam_users_new (id, account_id, name, path, boundary_arn, created_at)
	SELECT id, account_id, name, path, boundary_arn, created_at FROM iam_users;
DROP TABLE iam_users;
ALTER TABLE iam_users_new RENAME TO iam_users;
CREATE UNIQUE INDEX iam_users_name ON iam_users(account_id, lower(name));
CREATE INDEX iam_users_boundary ON iam_users(boundary_arn) WHERE boundary_arn != '';

CREATE TABLE iam_groups_new (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL,
	name       TEXT NOT NULL,
	path       TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
INSERT INTO iam_groups_new (id, account_id, name, path, created_at)
	SELECT id, account_id, name, path, created_at FROM iam_groups;
DROP TABLE iam_groups;
ALTER TABLE iam_groups_new RENAME TO iam_groups;
CREATE UNIQUE INDEX iam_groups_name ON iam_groups(account_id, lower(name));

-- seq orders a user's groups and a group's members by when the user joined.
CREATE TABLE iam_group_members_new (
	group_id TEXT NOT NULL REFERENCES iam_groups(id) ON DELETE CASCADE,
	user_id  TEXT NOT NULL REFERENCES iam_users(id) ON DELETE CASCADE,
	seq      INTEGER NOT NULL,
	PRIMARY KEY (group_id, user_id)
);
INSERT INTO iam_group_members_new (group_id, user_id, seq)
	SELECT group_id, user_id, rowid FROM iam_group_members;
DROP TABLE iam_group_members;
ALTER TABLE iam_group_members_new RENAME TO iam_group_members;
CREATE INDEX iam_group_members_user ON iam_group_members(user_id, seq);
CREATE INDEX iam_group_members_seq ON iam_group_members(seq);

CREATE TABLE iam_roles_new (
	id                   TEXT PRIMARY KEY,
	account_id           TEXT NOT NULL,
	name                 TEXT NOT NULL,
	path                 TEXT NOT NULL,
	description          TEXT NOT NULL DEFAULT '',
	trust_policy         TEXT NOT NULL,
	max_session_duration INTEGER NOT NULL,
	boundary_arn         TEXT NOT NULL DEFAULT '',
	created_at           INTEGER NOT NULL,
	last_used_at         INTEGER NOT NULL DEFAULT 0,
	last_used_region     TEXT NOT NULL DEFAULT ''
);
INSERT INTO iam_roles_new (id, account_id, name, path, description, trust_policy, max_session_duration,
		boundary_arn, created_at, last_used_at, last_used_region)
	SELECT id, account_id, name, path, description, trust_policy, max_session_duration,
		boundary_arn, created_at, last_used_at, last_used_region FROM iam_roles;
DROP TABLE iam_roles;
ALTER TABLE iam_roles_new RENAME TO iam_roles;
CREATE UNIQUE INDEX iam_roles_name ON iam_roles(account_id, lower(name));
CREATE INDEX iam_roles_boundary ON iam_roles(boundary_arn) WHERE boundary_arn != '';

CREATE TABLE iam_policies_new (
	arn             TEXT PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,
	account_id      TEXT NOT NULL,
	name            TEXT NOT NULL,
	path            TEXT NOT NULL,
	description     TEXT NOT NULL DEFAULT '',
	default_version TEXT NOT NULL,
	last_version    INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
INSERT INTO iam_policies_new (arn, id, account_id, name, path, description, default_version, last_version,
		created_at, updated_at)
	SELECT arn, id, account_id, name, path, description, default_version, last_version,
		created_at, updated_at FROM iam_policies;
DROP TABLE iam_policies;
ALTER TABLE iam_policies_new RENAME TO iam_policies;
CREATE UNIQUE INDEX iam_policies_name ON iam_policies(account_id, lower(name));

-- seq orders an entity's attached policies by when they were attached.
CREATE TABLE iam_attachments_new (
	entity_kind TEXT NOT NULL,
	entity_id   TEXT NOT NULL,
	account_id  TEXT NOT NULL,
	policy_arn  TEXT NOT NULL REFERENCES iam_policies(arn),
	seq         INTEGER NOT NULL,
	PRIMARY KEY (entity_kind, entity_id, policy_arn)
);
INSERT INTO iam_attachments_new (entity_kind, entity_id, account_id, policy_arn, seq)
	SELECT entity_kind, entity_id, account_id, policy_arn, rowid FROM iam_attachments;
DROP TABLE iam_attachments;
ALTER TABLE iam_attachments_new RENAME TO iam_attachments;
CREATE INDEX iam_attachments_policy ON iam_attachments(policy_arn, account_id);
CREATE INDEX iam_attachments_seq ON iam_attachments(seq);

-- S3 objects and parts: ordinary tables. Keys still compare as bytes (BINARY), which is
-- S3's UTF-8 binary order.
CREATE TABLE s3_objects_new (
	bucket             TEXT NOT NULL REFERENCES s3_buckets(name),
	key                TEXT NOT NULL,
	size               INTEGER NOT NULL,
	etag               TEXT NOT NULL,
	blob_id            TEXT NOT NULL,
	modified_at        INTEGER NOT NULL,
	headers            TEXT NOT NULL DEFAULT '',
	tags               TEXT NOT NULL DEFAULT '',
	checksum_algorithm TEXT NOT NULL DEFAULT '',
	checksum_type      TEXT NOT NULL DEFAULT '',
	checksum           TEXT NOT NULL DEFAULT '',
	parts_count        INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (bucket, key)
);
INSERT INTO s3_objects_new (bucket, key, size, etag, blob_id, modified_at, headers, tags, checksum_algorithm,
		checksum_type, checksum, parts_count)
	SELECT bucket, key, size, etag, blob_id, modified_at, headers, tags, checksum_algorithm,
		checksum_type, checksum, parts_count FROM s3_objects;
DROP TABLE s3_objects;
ALTER TABLE s3_objects_new RENAME TO s3_objects;
CREATE INDEX s3_objects_blob ON s3_objects(blob_id);

CREATE TABLE s3_parts_new (
	upload_id          TEXT NOT NULL REFERENCES s3_uploads(id),
	number             INTEGER NOT NULL,
	size               INTEGER NOT NULL,
	etag               TEXT NOT NULL,
	blob_id            TEXT NOT NULL,
	modified_at        INTEGER NOT NULL,
	checksum_algorithm TEXT NOT NULL DEFAULT '',
	checksum           TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (upload_id, number)
);
INSERT INTO s3_parts_new (upload_id, number, size, etag, blob_id, modified_at, checksum_algorithm, checksum)
	SELECT upload_id, number, size, etag, blob_id, modified_at, checksum_algorithm, checksum FROM s3_parts;
DROP TABLE s3_parts;
ALTER TABLE s3_parts_new RENAME TO s3_parts;
CREATE INDEX s3_parts_blob ON s3_parts(blob_id);

-- SageMaker: names unique per account (and job kind, and package version) without regard
-- to case, as the lower-cased names in their ARNs are.
CREATE TABLE pipelines_new (
	account_id           TEXT NOT NULL,
	name                 TEXT NOT NULL,
	arn                  TEXT NOT NULL,
	display_name         TEXT NOT NULL,
	description          TEXT NOT NULL,
	role_arn             TEXT NOT NULL,
	definition           TEXT NOT NULL,
	status               TEXT NOT NULL,
	max_parallel_steps   INTEGER NOT NULL,
	version              INTEGER NOT NULL,
	client_request_token TEXT NOT NULL,
	created_by           TEXT NOT NULL,
	last_modified_by     TEXT NOT NULL,
	created_at           INTEGER NOT NULL,
	last_modified_at     INTEGER NOT NULL,
	last_run_at          INTEGER NOT NULL
);
INSERT INTO pipelines_new (account_id, name, arn, display_name, description, role_arn, definition, status,
		max_parallel_steps, version, client_request_token, created_by, last_modified_by, created_at,
		last_modified_at, last_run_at)
	SELECT account_id, name, arn, display_name, description, role_arn, definition, status,
		max_parallel_steps, version, client_request_token, created_by, last_modified_by, created_at,
		last_modified_at, last_run_at FROM pipelines;
DROP TABLE pipelines;
ALTER TABLE pipelines_new RENAME TO pipelines;
CREATE UNIQUE INDEX pipelines_name ON pipelines(account_id, lower(name));

CREATE TABLE jobs_new (
	account_id       TEXT NOT NULL,
	kind             TEXT NOT NULL,
	name             TEXT NOT NULL,
	arn              TEXT NOT NULL,
	request          TEXT NOT NULL,
	status           TEXT NOT NULL,
	failure_reason   TEXT NOT NULL,
	exit_message     TEXT NOT NULL,
	secondary        TEXT NOT NULL,
	details          TEXT NOT NULL,
	role_arn         TEXT NOT NULL,
	created_at       INTEGER NOT NULL,
	started_at       INTEGER NOT NULL,
	ended_at         INTEGER NOT NULL,
	last_modified_at INTEGER NOT NULL
);
INSERT INTO jobs_new (account_id, kind, name, arn, request, status, failure_reason, exit_message, secondary,
		details, role_arn, created_at, started_at, ended_at, last_modified_at)
	SELECT account_id, kind, name, arn, request, status, failure_reason, exit_message, secondary,
		details, role_arn, created_at, started_at, ended_at, last_modified_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE UNIQUE INDEX jobs_name ON jobs(account_id, kind, lower(name));
CREATE INDEX jobs_status ON jobs(status);

CREATE TABLE sagemaker_models_new (
	account_id TEXT NOT NULL,
	name       TEXT NOT NULL,
	arn        TEXT NOT NULL,
	request    TEXT NOT NULL,
	role_arn   TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
INSERT INTO sagemaker_models_new (account_id, name, arn, request, role_arn, created_at)
	SELECT account_id, name, arn, request, role_arn, created_at FROM sagemaker_models;
DROP TABLE sagemaker_models;
ALTER TABLE sagemaker_models_new RENAME TO sagemaker_models;
CREATE UNIQUE INDEX sagemaker_models_name ON sagemaker_models(account_id, lower(name));

CREATE TABLE model_package_groups_new (
	account_id     TEXT NOT NULL,
	name           TEXT NOT NULL,
	arn            TEXT NOT NULL,
	description    TEXT NOT NULL,
	status         TEXT NOT NULL,
	created_by     TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	latest_version INTEGER NOT NULL
);
INSERT INTO model_package_groups_new (account_id, name, arn, description, status, created_by, created_at, latest_version)
	SELECT account_id, name, arn, description, status, created_by, created_at, latest_version FROM model_package_groups;
DROP TABLE model_package_groups;
ALTER TABLE model_package_groups_new RENAME TO model_package_groups;
CREATE UNIQUE INDEX model_package_groups_name ON model_package_groups(account_id, lower(name));

-- A versioned package carries its group's name and a version >= 1; an unversioned one
-- its own name and version 0.
CREATE TABLE model_packages_new (
	account_id           TEXT NOT NULL,
	name                 TEXT NOT NULL,
	version              INTEGER NOT NULL,
	arn                  TEXT NOT NULL,
	request              TEXT NOT NULL,
	status               TEXT NOT NULL,
	approval_status      TEXT NOT NULL,
	approval_description TEXT NOT NULL,
	client_token         TEXT NOT NULL,
	created_by           TEXT NOT NULL,
	last_modified_by     TEXT NOT NULL,
	created_at           INTEGER NOT NULL,
	last_modified_at     INTEGER NOT NULL
);
INSERT INTO model_packages_new (account_id, name, version, arn, request, status, approval_status,
		approval_description, client_token, created_by, last_modified_by, created_at, last_modified_at)
	SELECT account_id, name, version, arn, request, status, approval_status,
		approval_description, client_token, created_by, last_modified_by, created_at, last_modified_at
	FROM model_packages;
DROP TABLE model_packages;
ALTER TABLE model_packages_new RENAME TO model_packages;
CREATE UNIQUE INDEX model_packages_name ON model_packages(account_id, lower(name), version);
CREATE UNIQUE INDEX model_packages_token ON model_packages(account_id, client_token) WHERE client_token != '';
