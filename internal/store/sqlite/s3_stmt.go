package sqlite

import "database/sql"

// The S3 object paths run once per request at thousands of requests a second; their
// queries go through prepared statements.

// hotExec runs a write through a prepared statement.
func (t *tx) hotExec(query string, args ...any) (sql.Result, error) {
	st, err := t.prepared(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(t.ctx, args...)
}

// hotRow runs a one-row query through a prepared statement.
func (t *tx) hotRow(query string, args ...any) interface{ Scan(...any) error } {
	st, err := t.prepared(query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(t.ctx, args...)
}

// hotRows runs a query through a prepared statement.
func (t *tx) hotRows(query string, args ...any) (*sql.Rows, error) {
	st, err := t.prepared(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(t.ctx, args...)
}

// errRow is a row whose query failed.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
