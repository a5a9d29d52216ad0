-- A page of a pipeline's executions is read in the order of this index (creation time,
-- ties by ARN, either way), so a page costs its own rows and not the pipeline's count.
CREATE INDEX pipeline_executions_page ON pipeline_executions(pipeline_arn, created_at, arn);
DROP INDEX pipeline_executions_pipeline;
