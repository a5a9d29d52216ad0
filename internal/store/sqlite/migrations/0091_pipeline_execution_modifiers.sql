-- Who last changed a pipeline execution (stopped, retried or updated it): with a shared
-- pipeline, a principal of another account than the execution's.
CREATE TABLE pipeline_execution_modifiers (
	execution_arn TEXT PRIMARY KEY,
	modified_by   TEXT NOT NULL
);
