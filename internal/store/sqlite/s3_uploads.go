package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/store"
)

const uploadColumns = `id, bucket, key, initiated_at, initiator, headers, checksum_algorithm, checksum_type, encryption`

// uploadTagColumns are uploadColumns of an upload u followed by the key and value of one of
// its tags t, which a LEFT JOIN leaves NULL for an upload without tags.
const uploadTagColumns = `u.id, u.bucket, u.key, u.initiated_at, u.initiator, u.headers, u.checksum_algorithm,
	u.checksum_type, u.encryption, t.key, t.value`

// scanUploads reads rows of uploadTagColumns, one per upload and tag, the rows of an
// upload together in tag order.
func scanUploads(rows *sql.Rows) ([]*store.Upload, error) {
	defer rows.Close()
	var out []*store.Upload
	for rows.Next() {
		var u store.Upload
		var initiated int64
		var headers, enc string
		var tagKey, tagValue sql.NullString
		err := rows.Scan(&u.ID, &u.Bucket, &u.Key, &initiated, &u.Initiator, &headers, &u.ChecksumAlgorithm, &u.ChecksumType,
			&enc, &tagKey, &tagValue)
		if err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ID == u.ID {
			if tagKey.Valid {
				out[n-1].Tags[tagKey.String] = tagValue.String
			}
			continue
		}
		u.Initiated = fromUnix(initiated)
		if u.Headers, err = decodeHeaders(headers); err != nil {
			return nil, fmt.Errorf("upload %s: %w", u.ID, err)
		}
		if u.Encryption, err = decodeEncryption(enc); err != nil {
			return nil, fmt.Errorf("upload %s: %w", u.ID, err)
		}
		if tagKey.Valid {
			u.Tags = map[string]string{tagKey.String: tagValue.String}
		}
		out = append(out, &u)
	}
	return out, rows.Err()
}

func (t *tx) CreateUpload(u *store.Upload) error {
	t.changed(store.ChangeUpload, u.ID)
	if err := t.exec(`INSERT INTO s3_uploads (`+uploadColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Bucket, u.Key, unix(u.Initiated), u.Initiator, encodeHeaders(u.Headers),
		u.ChecksumAlgorithm, u.ChecksumType, encodeEncryption(u.Encryption)); err != nil {
		return err
	}
	return t.insertTags(store.S3UploadResource(u.ID), store.TagsFromMap(u.Tags))
}

func (t *tx) Upload(id string) (*store.Upload, error) {
	rows, err := t.hotRows(`SELECT `+uploadTagColumns+` FROM s3_uploads u LEFT JOIN tags t ON t.resource = ?
		WHERE u.id = ? ORDER BY t.position`, store.S3UploadResource(id), id)
	if err != nil {
		return nil, err
	}
	uploads, err := scanUploads(rows)
	if err != nil {
		return nil, err
	}
	if len(uploads) == 0 {
		return nil, store.ErrNotFound
	}
	return uploads[0], nil
}

func (t *tx) ListUploads(bucket string, q store.UploadQuery) ([]*store.Upload, error) {
	query := `SELECT ` + uploadColumns + ` FROM s3_uploads WHERE bucket = ?`
	args := []any{bucket}
	switch {
	case q.UploadIDMarker != "":
		query += ` AND (key > ? OR key = ? AND id > ?)`
		args = append(args, q.KeyMarker, q.KeyMarker, q.UploadIDMarker)
	case q.KeyMarker != "":
		query += ` AND key > ?`
		args = append(args, q.KeyMarker)
	}
	query, args = keyPrefixCond(query, args, q.Prefix)
	query += ` ORDER BY key, id LIMIT ?`
	args = append(args, pageLimit(q.Limit))
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+uploadTagColumns+` FROM (`+query+`) u
		LEFT JOIN tags t ON t.resource = 's3-upload:' || u.id ORDER BY u.key, u.id, t.position`, args...)
	if err != nil {
		return nil, err
	}
	return scanUploads(rows)
}

func (t *tx) DeleteUpload(id string) ([]string, error) {
	rows, err := t.tx.QueryContext(t.ctx, `DELETE FROM s3_parts WHERE upload_id = ? RETURNING blob_id`, id)
	if err != nil {
		return nil, err
	}
	var orphans []string
	for rows.Next() {
		var blob string
		if err := rows.Scan(&blob); err != nil {
			rows.Close()
			return nil, err
		}
		orphans = append(orphans, blob)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	res, err := t.tx.ExecContext(t.ctx, `DELETE FROM s3_uploads WHERE id = ?`, id)
	if err != nil {
		return nil, mapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, store.ErrNotFound
	}
	if err := t.deleteTags(store.S3UploadResource(id)); err != nil {
		return nil, err
	}
	t.changed(store.ChangeUpload, id)
	return orphans, nil
}

func (t *tx) PutPart(p *store.Part) ([]string, error) {
	var old string
	err := t.hotRow(`SELECT blob_id FROM s3_parts WHERE upload_id = ? AND number = ?`, p.UploadID, p.Number).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	_, err = t.hotExec(`INSERT INTO s3_parts (upload_id, number, size, etag, blob_id, modified_at, checksum_algorithm, checksum)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (upload_id, number) DO UPDATE SET size = excluded.size, etag = excluded.etag, blob_id = excluded.blob_id,
			modified_at = excluded.modified_at, checksum_algorithm = excluded.checksum_algorithm, checksum = excluded.checksum`,
		p.UploadID, p.Number, p.Size, p.ETag, p.BlobID, unix(p.LastModified), p.Checksum.Algorithm, p.Checksum.Value)
	if err != nil {
		return nil, mapError(err)
	}
	if old != "" && old != p.BlobID {
		return []string{old}, nil
	}
	return nil, nil
}

func (t *tx) ListParts(uploadID string, after, limit int) ([]*store.Part, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT upload_id, number, size, etag, blob_id, modified_at, checksum_algorithm, checksum
		FROM s3_parts WHERE upload_id = ? AND number > ? ORDER BY number LIMIT ?`, uploadID, after, pageLimit(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Part
	for rows.Next() {
		var p store.Part
		var modified int64
		if err := rows.Scan(&p.UploadID, &p.Number, &p.Size, &p.ETag, &p.BlobID, &modified, &p.Checksum.Algorithm, &p.Checksum.Value); err != nil {
			return nil, err
		}
		p.LastModified = fromUnix(modified)
		out = append(out, &p)
	}
	return out, rows.Err()
}
