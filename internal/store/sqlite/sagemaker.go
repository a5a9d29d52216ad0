package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

const pipelineColumns = `account_id, name, arn, display_name, description, role_arn, definition, status,
	max_parallel_steps, version, client_request_token, created_by, last_modified_by, created_at, last_modified_at, last_run_at`

func scanPipeline(row interface{ Scan(...any) error }) (*store.Pipeline, error) {
	var p store.Pipeline
	var created, modified, run int64
	err := row.Scan(&p.AccountID, &p.Name, &p.ARN, &p.DisplayName, &p.Description, &p.RoleARN, &p.Definition, &p.Status,
		&p.MaxParallelSteps, &p.Version, &p.ClientRequestToken, &p.CreatedBy, &p.LastModifiedBy, &created, &modified, &run)
	if err != nil {
		return nil, notFound(err)
	}
	p.CreatedAt, p.LastModifiedAt, p.LastRunAt = fromUnix(created), fromUnix(modified), fromUnix(run)
	return &p, nil
}

func (t *tx) Pipeline(accountID, name string) (*store.Pipeline, error) {
	return scanPipeline(t.queryRow(`SELECT `+pipelineColumns+` FROM pipelines WHERE account_id = ? AND lower(name) = lower(?)`, accountID, name))
}

func (t *tx) PipelineSummary(accountID, name string) (*store.Pipeline, error) {
	return scanPipeline(t.queryRow(`SELECT `+pipelineSummaryColumns+` FROM pipelines WHERE account_id = ? AND lower(name) = lower(?)`, accountID, name))
}

func (t *tx) PipelineByToken(accountID, token string) (*store.Pipeline, error) {
	return scanPipeline(t.queryRow(`SELECT `+pipelineColumns+` FROM pipelines WHERE account_id = ? AND client_request_token = ?`, accountID, token))
}

func (t *tx) ListPipelines(accountID string) ([]*store.Pipeline, error) {
	rows, err := t.query(`SELECT `+pipelineSummaryColumns+` FROM pipelines WHERE account_id = ? ORDER BY created_at, name`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Pipeline
	for rows.Next() {
		p, err := scanPipeline(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// pipelineSummaryColumns are pipelineColumns without the definition.
var pipelineSummaryColumns = strings.Replace(pipelineColumns, "definition,", "'',", 1)

func (t *tx) ListPipelinePage(q store.PipelinePage) ([]*store.Pipeline, error) {
	p := timePage{scope: "account_id = ?", args: []any{q.AccountID}, after: q.CreatedAfter, before: q.CreatedBefore,
		key: "name", byKey: q.ByName, desc: q.Descending, offset: q.Offset, limit: q.Limit}
	if q.NamePrefix != "" {
		p.scope += " AND substr(name, 1, length(?)) = ?"
		p.args = append(p.args, q.NamePrefix, q.NamePrefix)
	}
	return readPage(t, `SELECT `+pipelineSummaryColumns+` FROM pipelines`, p, scanPipeline)
}

func pipelineArgs(p *store.Pipeline) []any {
	return []any{p.AccountID, p.Name, p.ARN, p.DisplayName, p.Description, p.RoleARN, p.Definition, p.Status,
		p.MaxParallelSteps, p.Version, p.ClientRequestToken, p.CreatedBy, p.LastModifiedBy, unix(p.CreatedAt), unix(p.LastModifiedAt), unix(p.LastRunAt)}
}

func (t *tx) CreatePipeline(p *store.Pipeline) error {
	t.changed(store.ChangePipeline, p.ARN)
	return t.exec(`INSERT INTO pipelines (`+pipelineColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, pipelineArgs(p)...)
}

func (t *tx) UpdatePipeline(p *store.Pipeline) error {
	t.changed(store.ChangePipeline, p.ARN)
	args := append(pipelineArgs(p)[2:], p.AccountID, p.Name)
	return t.exec(`UPDATE pipelines SET arn = ?, display_name = ?, description = ?, role_arn = ?, definition = ?, status = ?,
		max_parallel_steps = ?, version = ?, client_request_token = ?, created_by = ?, last_modified_by = ?, created_at = ?,
		last_modified_at = ?, last_run_at = ? WHERE account_id = ? AND lower(name) = lower(?)`, args...)
}

func (t *tx) DeletePipeline(accountID, name string) error {
	p, err := t.Pipeline(accountID, name)
	if err != nil {
		return err
	}
	t.changed(store.ChangePipeline, p.ARN)
	if err := t.deleteTags(p.ARN); err != nil {
		return err
	}
	return t.exec(`DELETE FROM pipelines WHERE account_id = ? AND lower(name) = lower(?)`, accountID, name)
}

const executionColumns = `arn, id, account_id, pipeline_name, pipeline_arn, pipeline_version, display_name, description,
	status, failure_reason, definition, parameters, role_arn, max_parallel_steps, client_request_token,
	experiment_name, trial_name, created_by, created_at, last_modified_at, last_modified_by`

func scanExecution(row interface{ Scan(...any) error }) (*store.PipelineExecution, error) {
	var e store.PipelineExecution
	var params string
	var created, modified int64
	err := row.Scan(&e.ARN, &e.ID, &e.AccountID, &e.PipelineName, &e.PipelineARN, &e.PipelineVersion, &e.DisplayName, &e.Description,
		&e.Status, &e.FailureReason, &e.Definition, &params, &e.RoleARN, &e.MaxParallelSteps, &e.ClientRequestToken,
		&e.ExperimentName, &e.TrialName, &e.CreatedBy, &created, &modified, &e.LastModifiedBy)
	if err != nil {
		return nil, notFound(err)
	}
	if err := json.Unmarshal([]byte(params), &e.Parameters); err != nil {
		return nil, fmt.Errorf("execution %s parameters: %w", e.ARN, err)
	}
	e.CreatedAt, e.LastModifiedAt = fromUnix(created), fromUnix(modified)
	return &e, nil
}

func (t *tx) PipelineExecution(arn string) (*store.PipelineExecution, error) {
	return scanExecution(t.queryRow(`SELECT `+executionColumns+` FROM pipeline_executions WHERE arn = ?`, arn))
}

func (t *tx) PipelineExecutionByToken(pipelineARN, token string) (*store.PipelineExecution, error) {
	return scanExecution(t.queryRow(`SELECT `+executionColumns+` FROM pipeline_executions WHERE pipeline_arn = ? AND client_request_token = ?`, pipelineARN, token))
}

// executionSummaryColumns are executionColumns without the definition and the parameters.
var executionSummaryColumns = strings.Replace(executionColumns, "definition, parameters,", "'', 'null',", 1)

func (t *tx) ListPipelineExecutionPage(q store.ExecutionPage) ([]*store.PipelineExecution, error) {
	return readPage(t, `SELECT `+executionSummaryColumns+` FROM pipeline_executions`, timePage{scope: "pipeline_arn = ?",
		args: []any{q.PipelineARN}, after: q.CreatedAfter, before: q.CreatedBefore, key: "arn", byKey: q.ByARN,
		desc: q.Descending, offset: q.Offset, limit: q.Limit}, scanExecution)
}

func (t *tx) ListPipelineExecutions(pipelineARN string, statuses ...string) ([]*store.PipelineExecution, error) {
	var where []string
	var args []any
	if pipelineARN != "" {
		where = append(where, "pipeline_arn = ?")
		args = append(args, pipelineARN)
	}
	if len(statuses) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(statuses)-1)+")")
		for _, s := range statuses {
			args = append(args, s)
		}
	}
	q := `SELECT ` + executionColumns + ` FROM pipeline_executions`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := t.query(q+` ORDER BY created_at, arn`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.PipelineExecution
	for rows.Next() {
		e, err := scanExecution(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func executionArgs(e *store.PipelineExecution) ([]any, error) {
	params, err := json.Marshal(e.Parameters)
	if err != nil {
		return nil, err
	}
	if e.Parameters == nil {
		params = []byte("[]")
	}
	return []any{e.ARN, e.ID, e.AccountID, e.PipelineName, e.PipelineARN, e.PipelineVersion, e.DisplayName, e.Description,
		e.Status, e.FailureReason, e.Definition, string(params), e.RoleARN, e.MaxParallelSteps, e.ClientRequestToken,
		e.ExperimentName, e.TrialName, e.CreatedBy, unix(e.CreatedAt), unix(e.LastModifiedAt), e.LastModifiedBy}, nil
}

func (t *tx) CreatePipelineExecution(e *store.PipelineExecution) error {
	args, err := executionArgs(e)
	if err != nil {
		return err
	}
	t.changed(store.ChangePipelineExecution, e.ARN)
	return t.exec(`INSERT INTO pipeline_executions (`+executionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
}

func (t *tx) UpdatePipelineExecution(e *store.PipelineExecution) error {
	args, err := executionArgs(e)
	if err != nil {
		return err
	}
	t.changed(store.ChangePipelineExecution, e.ARN)
	return t.exec(`UPDATE pipeline_executions SET display_name = ?, description = ?, status = ?, failure_reason = ?,
		max_parallel_steps = ?, experiment_name = ?, trial_name = ?, last_modified_at = ?, last_modified_by = ? WHERE arn = ?`,
		args[6], args[7], args[8], args[9], args[13], args[15], args[16], args[19], args[20], e.ARN)
}

const stepColumns = `execution_arn, name, type, display_name, description, status, failure_reason, metadata, properties,
	attempt_count, job_name, job_arn, started_at, ended_at, step_order`

func scanStep(row interface{ Scan(...any) error }) (*store.ExecutionStep, error) {
	var s store.ExecutionStep
	var started, ended int64
	err := row.Scan(&s.ExecutionARN, &s.Name, &s.Type, &s.DisplayName, &s.Description, &s.Status, &s.FailureReason,
		&s.Metadata, &s.Properties, &s.AttemptCount, &s.JobName, &s.JobARN, &started, &ended, &s.Order)
	if err != nil {
		return nil, notFound(err)
	}
	s.StartedAt, s.EndedAt = fromUnix(started), fromUnix(ended)
	return &s, nil
}

func (t *tx) ExecutionSteps(executionARN string) ([]*store.ExecutionStep, error) {
	rows, err := t.query(`SELECT `+stepColumns+` FROM execution_steps WHERE execution_arn = ? ORDER BY step_order`, executionARN)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.ExecutionStep
	for rows.Next() {
		s, err := scanStep(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (t *tx) ExecutionStepByJob(jobARN string) (*store.ExecutionStep, error) {
	return scanStep(t.queryRow(`SELECT `+stepColumns+` FROM execution_steps WHERE job_arn = ? ORDER BY started_at DESC LIMIT 1`, jobARN))
}

func (t *tx) PutExecutionStep(s *store.ExecutionStep) error {
	t.changed(store.ChangeExecutionStep, s.ExecutionARN)
	return t.exec(`INSERT INTO execution_steps (`+stepColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (execution_arn, name) DO UPDATE SET status = excluded.status, failure_reason = excluded.failure_reason,
			metadata = excluded.metadata, properties = excluded.properties, attempt_count = excluded.attempt_count,
			job_name = excluded.job_name, job_arn = excluded.job_arn, started_at = excluded.started_at, ended_at = excluded.ended_at`,
		s.ExecutionARN, s.Name, s.Type, s.DisplayName, s.Description, s.Status, s.FailureReason, s.Metadata, s.Properties,
		s.AttemptCount, s.JobName, s.JobARN, unix(s.StartedAt), unix(s.EndedAt), s.Order)
}

const jobColumns = `account_id, kind, name, arn, request, status, failure_reason, exit_message, secondary, details,
	role_arn, created_at, started_at, ended_at, last_modified_at`

func scanJob(row interface{ Scan(...any) error }) (*store.Job, error) {
	var j store.Job
	var created, started, ended, modified int64
	err := row.Scan(&j.AccountID, &j.Kind, &j.Name, &j.ARN, &j.Request, &j.Status, &j.FailureReason, &j.ExitMessage,
		&j.Secondary, &j.Details, &j.RoleARN, &created, &started, &ended, &modified)
	if err != nil {
		return nil, notFound(err)
	}
	j.CreatedAt, j.StartedAt, j.EndedAt, j.LastModifiedAt = fromUnix(created), fromUnix(started), fromUnix(ended), fromUnix(modified)
	return &j, nil
}

func (t *tx) Job(accountID, kind, name string) (*store.Job, error) {
	return scanJob(t.queryRow(`SELECT `+jobColumns+` FROM jobs WHERE account_id = ? AND kind = ? AND lower(name) = lower(?)`, accountID, kind, name))
}

func (t *tx) ListJobs(f store.JobFilter) ([]*store.Job, error) {
	var where []string
	var args []any
	if f.Unfinished {
		where = append(where, "status IN ('InProgress', 'Stopping')")
	}
	if f.AccountID != "" {
		where = append(where, "account_id = ?")
		args = append(args, f.AccountID)
	}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	if f.NameContains != "" {
		where = append(where, `lower(name) LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(strings.ToLower(f.NameContains))+"%")
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	q := `SELECT ` + jobColumns + ` FROM jobs`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := t.query(q+` ORDER BY created_at, name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

func jobArgs(j *store.Job) []any {
	return []any{j.AccountID, j.Kind, j.Name, j.ARN, j.Request, j.Status, j.FailureReason, j.ExitMessage, j.Secondary, j.Details,
		j.RoleARN, unix(j.CreatedAt), unix(j.StartedAt), unix(j.EndedAt), unix(j.LastModifiedAt)}
}

func (t *tx) CreateJob(j *store.Job) error {
	t.changed(store.ChangeJob, j.ARN)
	return t.exec(`INSERT INTO jobs (`+jobColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, jobArgs(j)...)
}

func (t *tx) UpdateJob(j *store.Job) error {
	t.changed(store.ChangeJob, j.ARN)
	return t.exec(`UPDATE jobs SET status = ?, failure_reason = ?, exit_message = ?, secondary = ?, details = ?,
		started_at = ?, ended_at = ?, last_modified_at = ? WHERE account_id = ? AND kind = ? AND lower(name) = lower(?)`,
		j.Status, j.FailureReason, j.ExitMessage, j.Secondary, j.Details, unix(j.StartedAt), unix(j.EndedAt), unix(j.LastModifiedAt),
		j.AccountID, j.Kind, j.Name)
}

// timePage is one page of records ordered by creation time (ties by a unique key) or by
// that key, either way, as the List operations of SageMaker ask for them.
type timePage struct {
	scope         string // the WHERE condition of the records listed, with args
	args          []any
	after, before time.Time // created_at bounds, each excluded; zero is no bound
	key           string
	byKey, desc   bool
	offset, limit int
}

// readPage reads p's rows of the query selectFrom (a SELECT … FROM without a WHERE).
func readPage[T any](t *tx, selectFrom string, p timePage, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	where, args := p.scope, p.args
	if !p.after.IsZero() {
		where += " AND created_at > ?"
		args = append(args, unix(p.after))
	}
	if !p.before.IsZero() {
		where += " AND created_at < ?"
		args = append(args, unix(p.before))
	}
	dir := " ASC"
	if p.desc {
		dir = " DESC"
	}
	order := "created_at" + dir + ", " + p.key + dir
	if p.byKey {
		order = p.key + dir
	}
	rows, err := t.query(selectFrom+` WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, p.limit, p.offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
