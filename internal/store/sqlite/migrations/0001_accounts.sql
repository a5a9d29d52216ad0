CREATE TABLE organization (
	id                    TEXT PRIMARY KEY,
	management_account_id TEXT NOT NULL,
	root_id               TEXT NOT NULL,
	feature_set           TEXT NOT NULL,
	created_at            INTEGER NOT NULL
);

CREATE TABLE accounts (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	state         TEXT NOT NULL,
	joined_method TEXT NOT NULL,
	joined_at     INTEGER NOT NULL,
	parent_id     TEXT NOT NULL
);

CREATE TABLE access_keys (
	id         TEXT PRIMARY KEY,
	secret     TEXT NOT NULL,
	account_id TEXT NOT NULL REFERENCES accounts(id),
	user_name  TEXT NOT NULL,
	status     TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX access_keys_owner ON access_keys(account_id, user_name);

CREATE TABLE create_account_status (
	id             TEXT PRIMARY KEY,
	account_name   TEXT NOT NULL,
	state          TEXT NOT NULL,
	account_id     TEXT NOT NULL,
	failure_reason TEXT NOT NULL,
	requested_at   INTEGER NOT NULL,
	completed_at   INTEGER NOT NULL
);
