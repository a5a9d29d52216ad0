CREATE TABLE sessions (
	access_key_id       TEXT PRIMARY KEY,
	secret              TEXT NOT NULL,
	token_hash          BLOB NOT NULL,
	account_id          TEXT NOT NULL,
	role_name           TEXT NOT NULL,
	role_arn            TEXT NOT NULL,
	role_id             TEXT NOT NULL,
	session_name        TEXT NOT NULL,
	policy              TEXT NOT NULL,
	policy_arns         TEXT NOT NULL,
	tags                TEXT NOT NULL,
	transitive_tag_keys TEXT NOT NULL,
	source_identity     TEXT NOT NULL,
	chained             INTEGER NOT NULL,
	caller_arn          TEXT NOT NULL,
	created_at          INTEGER NOT NULL,
	expires_at          INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);
