// Package sqlite implements store.Store on an embedded SQLite database (modernc.org/sqlite,
// pure Go): WAL journaling, one writer connection, a pool of readers, versioned migrations
// applied at open.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cairnhq/cairn/internal/store"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a store.Store on one SQLite file.
type DB struct {
	write *sql.DB // one connection: SQLite has one writer at a time
	read  *sql.DB

	// commitMu is held from an Update's commit to the end of its publication, so that
	// subscribers see the changes of Updates in the order they committed.
	commitMu sync.Mutex

	mu          sync.Mutex
	subscribers map[int]func([]store.Change)
	nextSub     int

	// Prepared statements of hot queries, by query, for each pool (see tx.prepared).
	readStmts, writeStmts stmtCache

	// sealer seals secrets at rest once SealSecrets has set it.
	sealer Sealer
}

// stmtCache keeps statements prepared on a pool. A query first asked for inside a
// transaction is prepared on the pool before the next transaction begins: preparing on
// the pool needs a connection, which the transaction holds.
type stmtCache struct {
	stmts  sync.Map // string → *sql.Stmt
	mu     sync.Mutex
	wanted []string
}

// prepareWanted prepares on pool the queries asked for since the last call.
func (c *stmtCache) prepareWanted(ctx context.Context, pool *sql.DB) {
	c.mu.Lock()
	wanted := c.wanted
	c.wanted = nil
	c.mu.Unlock()
	for _, q := range wanted {
		if _, ok := c.stmts.Load(q); ok {
			continue
		}
		if st, err := pool.PrepareContext(ctx, q); err == nil {
			if _, loaded := c.stmts.LoadOrStore(q, st); loaded {
				st.Close()
			}
		}
	}
}

var _ store.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and migrates it to the newest
// schema.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, 0)
}

// open opens the database at path and applies the migrations up to and including version
// upTo (0: every migration).
func open(ctx context.Context, path string, upTo int) (*DB, error) {
	dsn := func(txlock string) string {
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", txlock)
		return "file:" + path + "?" + q.Encode()
	}
	write, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", dsn("deferred"))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	db := &DB{write: write, read: read, subscribers: map[int]func([]store.Change){}}
	if err := db.migrate(ctx, upTo); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	return errors.Join(db.read.Close(), db.write.Close())
}

// migrate applies, in order, the embedded migrations not yet applied, up to and
// including version upTo (0: all). A migration is known by its version, the number its
// file name starts with (0011 of 0011_ram.sql), and schema_migrations records the versions
// applied; the rest of the name is only for people. Each runs in its own transaction on
// one connection with foreign key enforcement off, as SQLite's way of changing a table
// (create the new table, copy, drop the old one, rename) requires, and commits only if
// foreign_key_check finds no row whose parent is missing. A database that records a
// version this build has no migration for was written by another build, whose schema this
// one does not know: it is refused before anything is applied.
func (db *DB) migrate(ctx context.Context, upTo int) (err error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer func() {
		if _, onErr := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`); onErr != nil && err == nil {
			err = fmt.Errorf("migrate: enable foreign keys: %w", onErr)
		}
	}()
	list, err := migrationList()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied, err := appliedVersions(ctx, conn)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	known := map[int]bool{}
	for _, m := range list {
		known[m.version] = true
	}
	for _, v := range applied {
		if !known[v] {
			return fmt.Errorf("migrate: the database records migration %04d, which this build does not have: it was written by another build of Cairn", v)
		}
	}
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
	}
	for _, m := range list {
		if upTo > 0 && m.version > upTo {
			break
		}
		if done[m.version] {
			continue
		}
		text, err := migrations.ReadFile("migrations/" + m.name)
		if err != nil {
			return err
		}
		if err := applyMigration(ctx, conn, m.version, string(text)); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// migration is one embedded migration file.
type migration struct {
	version int
	name    string // the file name, 0011_ram.sql
}

// migrationList returns the embedded migrations in version order, and an error when a
// file name does not start with a version or two files have the same version.
func migrationList() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var list []migration
	seen := map[int]string{}
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || version <= 0 {
			return nil, fmt.Errorf("bad migration name %s: it must start with a version number", base)
		}
		if other, ok := seen[version]; ok {
			return nil, fmt.Errorf("migrations %s and %s have the same version", other, base)
		}
		seen[version] = base
		list = append(list, migration{version: version, name: base})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	return list, nil
}

// appliedVersions returns the versions schema_migrations records.
func appliedVersions(ctx context.Context, conn *sql.Conn) ([]int, error) {
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// applyMigration runs one migration's SQL and records its version, in one transaction.
// It fails if the migration leaves more rows referring to missing parent rows than there
// were before it.
func applyMigration(ctx context.Context, conn *sql.Conn, version int, text string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	before, err := foreignKeyViolations(ctx, tx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, text); err != nil {
		return err
	}
	after, err := foreignKeyViolations(ctx, tx)
	if err != nil {
		return err
	}
	if after > before {
		return fmt.Errorf("%d rows refer to missing parent rows after the migration, %d before", after, before)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, time.Now().Unix()); err != nil {
		return err
	}
	return tx.Commit()
}

// foreignKeyViolations counts the rows that refer to a parent row that does not exist.
func foreignKeyViolations(ctx context.Context, tx *sql.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return 0, fmt.Errorf("foreign key check: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("foreign key check: %w", err)
	}
	return n, nil
}

// View runs fn in a read transaction.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	db.readStmts.prepareWanted(ctx, db.read)
	sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer sqlTx.Rollback()
	return fn(&tx{ctx: ctx, tx: sqlTx, stmts: &db.readStmts, sealer: db.sealer})
}

// Update runs fn in a write transaction and publishes its changes after commit.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	db.writeStmts.prepareWanted(ctx, db.write)
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer sqlTx.Rollback() // when fn fails or panics; after Commit, a no-op
	t := &tx{ctx: ctx, tx: sqlTx, stmts: &db.writeStmts, sealer: db.sealer}
	if err := fn(t); err != nil {
		return err
	}
	db.commitMu.Lock()
	defer db.commitMu.Unlock()
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if len(t.changes) > 0 {
		db.publish(t.changes)
	}
	return nil
}

// Subscribe registers fn for the changes of every committed Update.
func (db *DB) Subscribe(fn func([]store.Change)) func() {
	db.mu.Lock()
	defer db.mu.Unlock()
	id := db.nextSub
	db.nextSub++
	db.subscribers[id] = fn
	return func() {
		db.mu.Lock()
		defer db.mu.Unlock()
		delete(db.subscribers, id)
	}
}

func (db *DB) publish(changes []store.Change) {
	db.mu.Lock()
	subs := make([]func([]store.Change), 0, len(db.subscribers))
	for _, fn := range db.subscribers {
		subs = append(subs, fn)
	}
	db.mu.Unlock()
	for _, fn := range subs {
		fn(changes)
	}
}

// tx is one transaction; the entity files add its methods.
type tx struct {
	ctx     context.Context
	tx      *sql.Tx
	changes []store.Change

	stmts  *stmtCache
	sealer Sealer
	// local holds the statements this transaction has used, by query: a query asked for
	// again in the same transaction reuses its statement, even one the pool has not
	// prepared yet (which the transaction would otherwise prepare anew on every call and
	// keep until it ends).
	local map[string]*sql.Stmt
}

// prepared returns query as a statement of the transaction, so that its SQL is parsed once
// per connection rather than on every call (queryRow, query and exec go through it).
func (t *tx) prepared(query string) (*sql.Stmt, error) {
	if st, ok := t.local[query]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if cached, ok := t.stmts.stmts.Load(query); ok {
		st = t.tx.StmtContext(t.ctx, cached.(*sql.Stmt))
	} else {
		t.stmts.mu.Lock()
		t.stmts.wanted = append(t.stmts.wanted, query)
		t.stmts.mu.Unlock()
		var err error
		if st, err = t.tx.PrepareContext(t.ctx, query); err != nil {
			return nil, err
		}
	}
	if t.local == nil {
		t.local = map[string]*sql.Stmt{}
	}
	t.local[query] = st
	return st, nil
}

func (t *tx) changed(kind store.ChangeKind, key string) {
	t.changes = append(t.changes, store.Change{Kind: kind, Key: key})
}

func (t *tx) exec(query string, args ...any) error {
	_, err := t.execResult(query, args...)
	return err
}

// execResult runs a statement through the prepared-statement cache.
func (t *tx) execResult(query string, args ...any) (sql.Result, error) {
	st, err := t.prepared(query)
	if err != nil {
		return nil, mapError(err)
	}
	res, err := st.ExecContext(t.ctx, args...)
	return res, mapError(err)
}

// queryRow runs a one-row query through the prepared-statement cache.
func (t *tx) queryRow(query string, args ...any) *sql.Row {
	st, err := t.prepared(query)
	if err != nil {
		// The plain query reports the same error through Row.Scan.
		return t.tx.QueryRowContext(t.ctx, query, args...)
	}
	return st.QueryRowContext(t.ctx, args...)
}

// query runs a query through the prepared-statement cache.
func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	st, err := t.prepared(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(t.ctx, args...)
}

// mapError turns constraint violations into store.ErrExists.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			return fmt.Errorf("%w: %v", store.ErrExists, err)
		}
	}
	return err
}

// noLimit is the LIMIT of a query without one: the largest value SQLite and PostgreSQL
// both accept (SQLite's -1 for "no limit" is an error in PostgreSQL, and NULL one in
// SQLite).
const noLimit = math.MaxInt64

// pageLimit turns a page's limit into SQL's LIMIT.
func pageLimit(limit int) int64 {
	if limit <= 0 {
		return noLimit
	}
	return int64(limit)
}

// prefixEnd returns the least string above, in byte order, every string that starts
// with prefix, so that key >= prefix AND key < end selects the keys that start with
// prefix; ok is false when there is no such bound (prefix is empty or made of the
// greatest rune only). It raises the last rune, so that the bound stays valid UTF-8, as
// PostgreSQL's text must be; a prefix that is not valid UTF-8 (which no key starts with)
// gets prefix+"\xff".
func prefixEnd(prefix string) (end string, ok bool) {
	if !utf8.ValidString(prefix) {
		return prefix + "\xff", true
	}
	runes := []rune(prefix)
	for len(runes) > 0 {
		last := runes[len(runes)-1]
		switch last {
		case utf8.MaxRune:
			runes = runes[:len(runes)-1]
			continue
		case 0xD7FF:
			last = 0xE000 // past the surrogates, which UTF-8 cannot hold
		default:
			last++
		}
		runes[len(runes)-1] = last
		return string(runes), true
	}
	return "", false
}

// likeEscape escapes LIKE's wildcards (and the escape character \) in s, for a pattern
// with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// boolInt stores a bool as the 0 or 1 of an INTEGER column, as every SQL dialect takes it.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
