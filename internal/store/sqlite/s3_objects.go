package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/store"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

const objectColumns = `bucket, key, size, etag, blob_id, modified_at, headers, tags, checksum_algorithm, checksum_type, checksum, parts_count`

func scanObject(row interface{ Scan(...any) error }) (*store.Object, error) {
	var o store.Object
	var modified int64
	var headers, tags string
	err := row.Scan(&o.Bucket, &o.Key, &o.Size, &o.ETag, &o.BlobID, &modified, &headers, &tags,
		&o.Checksum.Algorithm, &o.Checksum.Type, &o.Checksum.Value, &o.PartsCount)
	if err != nil {
		return nil, notFound(err)
	}
	o.LastModified = fromUnix(modified)
	if o.Headers, err = decodeHeaders(headers); err != nil {
		return nil, fmt.Errorf("object %s/%s: %w", o.Bucket, o.Key, err)
	}
	if o.Tags, err = decodeStringMap(tags); err != nil {
		return nil, fmt.Errorf("object %s/%s: %w", o.Bucket, o.Key, err)
	}
	return &o, nil
}

func (t *tx) Object(bucket, key string) (*store.Object, error) {
	return scanObject(t.hotRow(`SELECT `+objectColumns+` FROM s3_objects WHERE bucket = ? AND key = ?`, bucket, key))
}

func (t *tx) PutObject(o *store.Object) ([]string, error) {
	var old string
	err := t.hotRow(`SELECT blob_id FROM s3_objects WHERE bucket = ? AND key = ?`, o.Bucket, o.Key).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	_, err = t.hotExec(`INSERT INTO s3_objects (`+objectColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (bucket, key) DO UPDATE SET size = excluded.size, etag = excluded.etag, blob_id = excluded.blob_id,
			modified_at = excluded.modified_at, headers = excluded.headers, tags = excluded.tags,
			checksum_algorithm = excluded.checksum_algorithm, checksum_type = excluded.checksum_type,
			checksum = excluded.checksum, parts_count = excluded.parts_count`,
		o.Bucket, o.Key, o.Size, o.ETag, o.BlobID, unix(o.LastModified), encodeHeaders(o.Headers), encodeStringMap(o.Tags),
		o.Checksum.Algorithm, o.Checksum.Type, o.Checksum.Value, o.PartsCount)
	if isForeignKeyError(err) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, mapError(err)
	}
	t.changed(store.ChangeObject, o.Bucket+"/"+o.Key)
	if old != "" && old != o.BlobID {
		return []string{old}, nil
	}
	return nil, nil
}

func (t *tx) DeleteObject(bucket, key string) ([]string, error) {
	var blob string
	err := t.hotRow(`DELETE FROM s3_objects WHERE bucket = ? AND key = ? RETURNING blob_id`, bucket, key).Scan(&blob)
	if err != nil {
		return nil, notFound(err)
	}
	t.changed(store.ChangeObject, bucket+"/"+key)
	return []string{blob}, nil
}

func (t *tx) PutObjectTags(bucket, key string, tags map[string]string) error {
	res, err := t.tx.ExecContext(t.ctx, `UPDATE s3_objects SET tags = ? WHERE bucket = ? AND key = ?`, encodeStringMap(tags), bucket, key)
	if err != nil {
		return mapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	t.changed(store.ChangeObject, bucket+"/"+key)
	return nil
}

func (t *tx) ListObjects(bucket string, q store.ObjectQuery) ([]*store.Object, error) {
	query := `SELECT ` + objectColumns + ` FROM s3_objects WHERE bucket = ? AND key > ?`
	args := []any{bucket, q.After}
	query, args = keyPrefixCond(query, args, q.Prefix)
	query += ` ORDER BY key LIMIT ?`
	args = append(args, pageLimit(q.Limit))
	rows, err := t.hotRows(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Object
	for rows.Next() {
		o, err := scanObject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (t *tx) BlobsInUse(ids []string) (map[string]bool, error) {
	used := map[string]bool{}
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		marks := strings.TrimSuffix(strings.Repeat("?,", len(batch)), ",")
		args := make([]any, 0, 2*len(batch))
		for _, id := range batch {
			args = append(args, id)
		}
		args = append(args, args...)
		rows, err := t.tx.QueryContext(t.ctx, `SELECT blob_id FROM s3_objects WHERE blob_id IN (`+marks+`)
			UNION SELECT blob_id FROM s3_parts WHERE blob_id IN (`+marks+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			used[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return used, nil
}

func (t *tx) BlobsWithPrefix(prefix string) ([]string, error) {
	cond, args := `blob_id >= ?`, []any{prefix}
	if end, ok := prefixEnd(prefix); ok {
		cond, args = cond+` AND blob_id < ?`, append(args, end)
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT blob_id FROM s3_objects WHERE `+cond+`
		UNION SELECT blob_id FROM s3_parts WHERE `+cond, append(args, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (t *tx) ReplaceBlob(from, to string) (bool, error) {
	n := int64(0)
	for _, q := range []string{`UPDATE s3_objects SET blob_id = ? WHERE blob_id = ?`, `UPDATE s3_parts SET blob_id = ? WHERE blob_id = ?`} {
		res, err := t.tx.ExecContext(t.ctx, q, to, from)
		if err != nil {
			return false, mapError(err)
		}
		m, _ := res.RowsAffected()
		n += m
	}
	return n > 0, nil
}

// isForeignKeyError reports a write that names a missing parent record (an object of a
// bucket that does not exist).
func isForeignKeyError(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// encodeHeaders stores object headers as a JSON object, or "" when there are none.
func encodeHeaders(h store.ObjectHeaders) string {
	if h.ContentType == "" && h.ContentEncoding == "" && h.ContentDisposition == "" && h.ContentLanguage == "" &&
		h.CacheControl == "" && h.Expires == "" && len(h.Metadata) == 0 {
		return ""
	}
	b, _ := json.Marshal(storedHeaders{h.ContentType, h.ContentEncoding, h.ContentDisposition, h.ContentLanguage,
		h.CacheControl, h.Expires, h.Metadata})
	return string(b)
}

func decodeHeaders(s string) (store.ObjectHeaders, error) {
	if s == "" {
		return store.ObjectHeaders{}, nil
	}
	var h storedHeaders
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return store.ObjectHeaders{}, fmt.Errorf("decode headers: %w", err)
	}
	return store.ObjectHeaders{ContentType: h.Type, ContentEncoding: h.Encoding, ContentDisposition: h.Disposition,
		ContentLanguage: h.Language, CacheControl: h.CacheControl, Expires: h.Expires, Metadata: h.Metadata}, nil
}

// storedHeaders is the stored form of store.ObjectHeaders.
type storedHeaders struct {
	Type         string            `json:"ct,omitempty"`
	Encoding     string            `json:"ce,omitempty"`
	Disposition  string            `json:"cd,omitempty"`
	Language     string            `json:"cl,omitempty"`
	CacheControl string            `json:"cc,omitempty"`
	Expires      string            `json:"ex,omitempty"`
	Metadata     map[string]string `json:"meta,omitempty"`
}
