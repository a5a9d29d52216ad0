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

// keyPrefixCond adds to query (and args) the condition that column key starts with
// prefix, as a range of keys, which an index on key serves; an empty prefix adds none.
// Keys compare as bytes.
func keyPrefixCond(query string, args []any, prefix string) (string, []any) {
	if prefix == "" {
		return query, args
	}
	end, ok := prefixEnd(prefix)
	if !ok {
		return query + ` AND key >= ?`, append(args, prefix)
	}
	return query + ` AND key >= ? AND key < ?`, append(args, prefix, end)
}

// errRow is a row whose query failed.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
