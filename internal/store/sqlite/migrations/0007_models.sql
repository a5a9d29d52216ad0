CREATE TABLE sagemaker_models (
	account_id TEXT NOT NULL,
	name       TEXT NOT NULL,
	arn        TEXT NOT NULL,
	request    TEXT NOT NULL,
	role_arn   TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, name COLLATE NOCASE)
);
