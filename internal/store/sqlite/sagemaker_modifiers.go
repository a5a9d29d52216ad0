package sqlite

// Who last changed a pipeline execution, kept beside the execution's own row.

func (t *tx) SetPipelineExecutionModifiedBy(executionARN, principalARN string) error {
	return t.exec(`INSERT INTO pipeline_execution_modifiers (execution_arn, modified_by) VALUES (?, ?)
		ON CONFLICT (execution_arn) DO UPDATE SET modified_by = excluded.modified_by`, executionARN, principalARN)
}

func (t *tx) PipelineExecutionModifiedBy(executionARN string) (string, error) {
	var by string
	if err := t.queryRow(`SELECT modified_by FROM pipeline_execution_modifiers WHERE execution_arn = ?`, executionARN).Scan(&by); err != nil {
		return "", notFound(err)
	}
	return by, nil
}
