CREATE TABLE pipelines (
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
	last_run_at          INTEGER NOT NULL,
	PRIMARY KEY (account_id, name COLLATE NOCASE)
);

CREATE TABLE pipeline_executions (
	arn                  TEXT PRIMARY KEY,
	id                   TEXT NOT NULL,
	account_id           TEXT NOT NULL,
	pipeline_name        TEXT NOT NULL,
	pipeline_arn         TEXT NOT NULL,
	pipeline_version     INTEGER NOT NULL,
	display_name         TEXT NOT NULL,
	description          TEXT NOT NULL,
	status               TEXT NOT NULL,
	failure_reason       TEXT NOT NULL,
	definition           TEXT NOT NULL,
	parameters           TEXT NOT NULL,
	role_arn             TEXT NOT NULL,
	max_parallel_steps   INTEGER NOT NULL,
	client_request_token TEXT NOT NULL,
	experiment_name      TEXT NOT NULL,
	trial_name           TEXT NOT NULL,
	created_by           TEXT NOT NULL,
	created_at           INTEGER NOT NULL,
	last_modified_at     INTEGER NOT NULL
);
CREATE INDEX pipeline_executions_pipeline ON pipeline_executions(pipeline_arn, created_at);
CREATE INDEX pipeline_executions_status ON pipeline_executions(status);

CREATE TABLE execution_steps (
	execution_arn  TEXT NOT NULL,
	name           TEXT NOT NULL,
	type           TEXT NOT NULL,
	display_name   TEXT NOT NULL,
	description    TEXT NOT NULL,
	status         TEXT NOT NULL,
	failure_reason TEXT NOT NULL,
	metadata       TEXT NOT NULL,
	properties     TEXT NOT NULL,
	attempt_count  INTEGER NOT NULL,
	job_name       TEXT NOT NULL,
	job_arn        TEXT NOT NULL,
	started_at     INTEGER NOT NULL,
	ended_at       INTEGER NOT NULL,
	step_order     INTEGER NOT NULL,
	PRIMARY KEY (execution_arn, name)
);
CREATE INDEX execution_steps_job ON execution_steps(job_arn);

CREATE TABLE jobs (
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
	last_modified_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, kind, name COLLATE NOCASE)
);
CREATE INDEX jobs_status ON jobs(status);

CREATE TABLE sagemaker_tags (
	resource_arn TEXT NOT NULL,
	position     INTEGER NOT NULL,
	key          TEXT NOT NULL,
	value        TEXT NOT NULL,
	PRIMARY KEY (resource_arn, key)
);
