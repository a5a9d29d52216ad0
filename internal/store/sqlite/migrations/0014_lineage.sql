-- SageMaker lineage: the entities (artifacts, actions, contexts, trial components, and the
-- experiments and trials that group trial components), the associations between them, each
-- account's default lineage group and the trials' members.

-- Every entity is keyed by its ARN. Actions, contexts, trial components, experiments and
-- trials are unique per account and kind by name regardless of case (lineage_entities_name);
-- an artifact's name is optional and not unique, and an artifact is unique per account by
-- its source (source_key: its URI and source types), which lineage_entities_source finds.
CREATE TABLE lineage_entities (
	arn              TEXT NOT NULL PRIMARY KEY,
	account_id       TEXT NOT NULL,
	kind             TEXT NOT NULL,
	name             TEXT NOT NULL,
	type             TEXT NOT NULL,
	source_uri       TEXT NOT NULL,
	source_key       TEXT NOT NULL,
	parent           TEXT NOT NULL,
	status           TEXT NOT NULL,
	properties       TEXT NOT NULL,
	body             TEXT NOT NULL,
	created_by       TEXT NOT NULL,
	last_modified_by TEXT NOT NULL,
	created_at       INTEGER NOT NULL,
	last_modified_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX lineage_entities_name ON lineage_entities(account_id, kind, lower(name)) WHERE kind != 'Artifact';
CREATE INDEX lineage_entities_source ON lineage_entities(account_id, kind, source_key);
CREATE INDEX lineage_entities_list ON lineage_entities(account_id, kind, created_at);

-- Associations are edges, unique by (source, destination). Traversal reads the edges of a
-- vertex in either direction by index: out of a source by the primary key, into a
-- destination by lineage_associations_into. Each end's account is kept so that an
-- account's associations are listed by index.
CREATE TABLE lineage_associations (
	source_arn          TEXT NOT NULL,
	destination_arn     TEXT NOT NULL,
	type                TEXT NOT NULL,
	source_account      TEXT NOT NULL,
	destination_account TEXT NOT NULL,
	created_by          TEXT NOT NULL,
	created_at          INTEGER NOT NULL,
	PRIMARY KEY (source_arn, destination_arn)
);
CREATE INDEX lineage_associations_into ON lineage_associations(destination_arn, source_arn);
CREATE INDEX lineage_associations_source_account ON lineage_associations(source_account, created_at);
CREATE INDEX lineage_associations_destination_account ON lineage_associations(destination_account, created_at);

-- One default lineage group per account.
CREATE TABLE lineage_groups (
	account_id TEXT NOT NULL PRIMARY KEY,
	name       TEXT NOT NULL,
	arn        TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

-- The trial components of a trial, both ways.
CREATE TABLE lineage_trial_members (
	trial_arn     TEXT NOT NULL,
	component_arn TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	PRIMARY KEY (trial_arn, component_arn)
);
CREATE INDEX lineage_trial_members_component ON lineage_trial_members(component_arn, trial_arn);
