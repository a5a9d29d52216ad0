-- Who last changed a pipeline execution (stopped, retried or updated it): with a shared
-- pipeline, a principal of another account than the execution's. Empty when none has, the
-- creator then being the last.
ALTER TABLE pipeline_executions ADD COLUMN last_modified_by TEXT NOT NULL DEFAULT '';
