CREATE TABLE model_package_groups (
	account_id     TEXT NOT NULL,
	name           TEXT NOT NULL,
	arn            TEXT NOT NULL,
	description    TEXT NOT NULL,
	status         TEXT NOT NULL,
	created_by     TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	latest_version INTEGER NOT NULL,
	PRIMARY KEY (account_id, name COLLATE NOCASE)
);

-- A versioned package carries its group's name and a version >= 1; an unversioned one
-- its own name and version 0.
CREATE TABLE model_packages (
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
	last_modified_at     INTEGER NOT NULL,
	PRIMARY KEY (account_id, name COLLATE NOCASE, version)
);
CREATE UNIQUE INDEX model_packages_token ON model_packages(account_id, client_token) WHERE client_token != '';
