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

const objectColumns = `bucket, key, size, etag, blob_id, modified_at, headers, checksum_algorithm, checksum_type, checksum, parts_count, encryption`

// objectTagColumns are objectColumns of an object o followed by the key and value of one of
// its tags t, which a LEFT JOIN leaves NULL for an object without tags.
const objectTagColumns = `o.bucket, o.key, o.size, o.etag, o.blob_id, o.modified_at, o.headers, o.checksum_algorithm,
	o.checksum_type, o.checksum, o.parts_count, o.encryption, t.key, t.value`

// objectTagsJoin joins the tags of each object o of a query, as store.S3ObjectResource
// names them.
const objectTagsJoin = ` LEFT JOIN tags t ON t.resource = 'arn:aws:s3:::' || o.bucket || '/' || o.key`

// scanObjects reads rows of objectTagColumns, one per object and tag, the rows of an
// object together in tag order.
func scanObjects(rows *sql.Rows) ([]*store.Object, error) {
	defer rows.Close()
	var out []*store.Object
	for rows.Next() {
		var o store.Object
		var modified int64
		var headers, enc string
		var tagKey, tagValue sql.NullString
		err := rows.Scan(&o.Bucket, &o.Key, &o.Size, &o.ETag, &o.BlobID, &modified, &headers,
			&o.Checksum.Algorithm, &o.Checksum.Type, &o.Checksum.Value, &o.PartsCount, &enc, &tagKey, &tagValue)
		if err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].Bucket == o.Bucket && out[n-1].Key == o.Key {
			if tagKey.Valid {
				out[n-1].Tags[tagKey.String] = tagValue.String
			}
			continue
		}
		o.LastModified = fromUnix(modified)
		if o.Headers, err = decodeHeaders(headers); err != nil {
			return nil, fmt.Errorf("object %s/%s: %w", o.Bucket, o.Key, err)
		}
		if o.Encryption, err = decodeEncryption(enc); err != nil {
			return nil, fmt.Errorf("object %s/%s: %w", o.Bucket, o.Key, err)
		}
		if tagKey.Valid {
			o.Tags = map[string]string{tagKey.String: tagValue.String}
		}
		out = append(out, &o)
	}
	return out, rows.Err()
}

func (t *tx) Object(bucket, key string) (*store.Object, error) {
	rows, err := t.hotRows(`SELECT `+objectTagColumns+` FROM s3_objects o LEFT JOIN tags t ON t.resource = ?
		WHERE o.bucket = ? AND o.key = ? ORDER BY t.position`, store.S3ObjectResource(bucket, key), bucket, key)
	if err != nil {
		return nil, err
	}
	objects, err := scanObjects(rows)
	if err != nil {
		return nil, err
	}
	if len(objects) == 0 {
		return nil, store.ErrNotFound
	}
	return objects[0], nil
}

func (t *tx) PutObject(o *store.Object) ([]string, error) {
	resource := store.S3ObjectResource(o.Bucket, o.Key)
	var old sql.NullString
	var tagged bool
	err := t.hotRow(`SELECT (SELECT blob_id FROM s3_objects WHERE bucket = ? AND key = ?),
		EXISTS (SELECT 1 FROM tags WHERE resource = ?)`, o.Bucket, o.Key, resource).Scan(&old, &tagged)
	if err != nil {
		return nil, err
	}
	_, err = t.hotExec(`INSERT INTO s3_objects (`+objectColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (bucket, key) DO UPDATE SET size = excluded.size, etag = excluded.etag, blob_id = excluded.blob_id,
			modified_at = excluded.modified_at, headers = excluded.headers,
			checksum_algorithm = excluded.checksum_algorithm, checksum_type = excluded.checksum_type,
			checksum = excluded.checksum, parts_count = excluded.parts_count,
			encryption = excluded.encryption`,
		o.Bucket, o.Key, o.Size, o.ETag, o.BlobID, unix(o.LastModified), encodeHeaders(o.Headers),
		o.Checksum.Algorithm, o.Checksum.Type, o.Checksum.Value, o.PartsCount, encodeEncryption(o.Encryption))
	if isForeignKeyError(err) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, mapError(err)
	}
	// The new object has the tags it was put with, and no others.
	if tagged {
		if err := t.deleteTags(resource); err != nil {
			return nil, err
		}
	}
	if err := t.insertTags(resource, store.TagsFromMap(o.Tags)); err != nil {
		return nil, err
	}
	t.changed(store.ChangeObject, o.Bucket+"/"+o.Key)
	if old.String != "" && old.String != o.BlobID {
		return []string{old.String}, nil
	}
	return nil, nil
}

func (t *tx) DeleteObject(bucket, key string) ([]string, error) {
	var blob string
	err := t.hotRow(`DELETE FROM s3_objects WHERE bucket = ? AND key = ? RETURNING blob_id`, bucket, key).Scan(&blob)
	if err != nil {
		return nil, notFound(err)
	}
	if err := t.deleteTags(store.S3ObjectResource(bucket, key)); err != nil {
		return nil, err
	}
	t.changed(store.ChangeObject, bucket+"/"+key)
	return []string{blob}, nil
}

func (t *tx) PutObjectTags(bucket, key string, tags map[string]string) error {
	var one int
	if err := t.queryRow(`SELECT 1 FROM s3_objects WHERE bucket = ? AND key = ?`, bucket, key).Scan(&one); err != nil {
		return notFound(err)
	}
	if err := t.setTags(store.S3ObjectResource(bucket, key), store.TagsFromMap(tags)); err != nil {
		return err
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
	rows, err := t.hotRows(`SELECT `+objectTagColumns+` FROM (`+query+`) o`+objectTagsJoin+` ORDER BY o.key, t.position`, args...)
	if err != nil {
		return nil, err
	}
	return scanObjects(rows)
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

// encodeEncryption stores how an object's bytes are kept: "" for stored as they came.
func encodeEncryption(e store.Encryption) string {
	if e.Algorithm == "" && e.KeyARN == "" && e.Context == "" && !e.BucketKeyEnabled && len(e.DataKey) == 0 {
		return ""
	}
	b, _ := json.Marshal(e)
	return string(b)
}

func decodeEncryption(s string) (store.Encryption, error) {
	var e store.Encryption
	if s == "" {
		return e, nil
	}
	if err := json.Unmarshal([]byte(s), &e); err != nil {
		return e, fmt.Errorf("encryption: %w", err)
	}
	return e, nil
}
