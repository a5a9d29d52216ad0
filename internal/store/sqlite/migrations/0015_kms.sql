-- AWS KMS: keys, the versions of their material (sealed under the data dir's master key,
-- never in the clear), aliases and grants. The tags of keys live in the one tag table
-- (0010), by the key's ARN. S3 records how each object and upload is encrypted, and each
-- bucket's default encryption.

CREATE TABLE kms_keys (
	account              TEXT NOT NULL,
	id                   TEXT NOT NULL,
	region               TEXT NOT NULL,
	description          TEXT NOT NULL,
	key_usage            TEXT NOT NULL,
	key_spec             TEXT NOT NULL,
	origin               TEXT NOT NULL,
	key_manager          TEXT NOT NULL,
	state                TEXT NOT NULL,
	created_at           INTEGER NOT NULL,
	deletion_date        INTEGER NOT NULL,
	pending_window_days  INTEGER NOT NULL,
	policy               TEXT NOT NULL,
	rotation_enabled     INTEGER NOT NULL,
	rotation_period_days INTEGER NOT NULL,
	next_rotation        INTEGER NOT NULL,
	current_version      INTEGER NOT NULL,
	PRIMARY KEY (account, id)
);
-- deletion_date is 0 unless a deletion is pending.
CREATE INDEX kms_keys_deletion ON kms_keys(deletion_date);

CREATE TABLE kms_key_materials (
	account       TEXT NOT NULL,
	key_id        TEXT NOT NULL,
	version       INTEGER NOT NULL,
	material_id   TEXT NOT NULL,
	sealed        BLOB NOT NULL,
	created_at    INTEGER NOT NULL,
	rotation_type TEXT NOT NULL,
	PRIMARY KEY (account, key_id, version),
	FOREIGN KEY (account, key_id) REFERENCES kms_keys(account, id)
);

CREATE TABLE kms_aliases (
	account       TEXT NOT NULL,
	name          TEXT NOT NULL,
	region        TEXT NOT NULL,
	target_key_id TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	PRIMARY KEY (account, name),
	FOREIGN KEY (account, target_key_id) REFERENCES kms_keys(account, id)
);
CREATE INDEX kms_aliases_key ON kms_aliases(account, target_key_id, name);

-- constraints holds the grant's encryption context constraints as JSON
-- ({"equals": {...}, "subset": {...}}), operations its operations as a JSON list.
CREATE TABLE kms_grants (
	id                 TEXT PRIMARY KEY,
	account            TEXT NOT NULL,
	key_id             TEXT NOT NULL,
	name               TEXT NOT NULL,
	grantee_principal  TEXT NOT NULL,
	retiring_principal TEXT NOT NULL,
	issuing_account    TEXT NOT NULL,
	operations         TEXT NOT NULL,
	constraints        TEXT NOT NULL,
	token_hash         BLOB NOT NULL,
	created_at         INTEGER NOT NULL,
	FOREIGN KEY (account, key_id) REFERENCES kms_keys(account, id)
);
CREATE INDEX kms_grants_key ON kms_grants(account, key_id, id);
CREATE INDEX kms_grants_retiring ON kms_grants(retiring_principal, id);

-- S3: how an object's or an upload's bytes are encrypted (JSON of store.Encryption; ''
-- for objects stored as they came), and a bucket's default encryption ('' for S3's
-- default).
ALTER TABLE s3_objects ADD COLUMN encryption TEXT NOT NULL DEFAULT '';
ALTER TABLE s3_uploads ADD COLUMN encryption TEXT NOT NULL DEFAULT '';
ALTER TABLE s3_buckets ADD COLUMN encryption TEXT NOT NULL DEFAULT '';
