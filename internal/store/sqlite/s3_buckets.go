package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/cairnhq/cairn/internal/store"
)

const bucketColumns = `name, account_id, region, created_at, policy, encryption`

func scanBucket(row interface{ Scan(...any) error }) (*store.Bucket, error) {
	var b store.Bucket
	var created int64
	var enc string
	if err := row.Scan(&b.Name, &b.AccountID, &b.Region, &created, &b.Policy, &enc); err != nil {
		return nil, notFound(err)
	}
	if enc != "" {
		b.Encryption = &store.BucketEncryption{}
		if err := json.Unmarshal([]byte(enc), b.Encryption); err != nil {
			return nil, fmt.Errorf("bucket %s: encryption: %w", b.Name, err)
		}
	}
	b.CreatedAt = fromUnix(created)
	return &b, nil
}

// bucketTags reads the tags of bucket b into it.
func (t *tx) bucketTags(b *store.Bucket) error {
	tags, err := t.tags(store.S3BucketResource(b.Name))
	if err != nil {
		return fmt.Errorf("bucket %s: %w", b.Name, err)
	}
	b.Tags = store.TagMap(tags)
	return nil
}

func (t *tx) Bucket(name string) (*store.Bucket, error) {
	b, err := scanBucket(t.hotRow(`SELECT `+bucketColumns+` FROM s3_buckets WHERE name = ?`, name))
	if err != nil {
		return nil, err
	}
	if err := t.bucketTags(b); err != nil {
		return nil, err
	}
	return b, nil
}

func (t *tx) ListBuckets(account string, p store.Page) ([]*store.Bucket, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+bucketColumns+` FROM s3_buckets WHERE account_id = ? AND name > ? ORDER BY name LIMIT ?`,
		account, p.After, pageLimit(p.Limit))
	if err != nil {
		return nil, err
	}
	var out []*store.Bucket
	for rows.Next() {
		b, err := scanBucket(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, b := range out {
		if err := t.bucketTags(b); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *tx) CreateBucket(b *store.Bucket) error {
	t.changed(store.ChangeBucket, b.Name)
	if err := t.exec(`INSERT INTO s3_buckets (`+bucketColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		b.Name, b.AccountID, b.Region, unix(b.CreatedAt), nullBytes(b.Policy), encodeBucketEncryption(b.Encryption)); err != nil {
		return err
	}
	return t.insertTags(store.S3BucketResource(b.Name), store.TagsFromMap(b.Tags))
}

func (t *tx) DeleteBucket(name string) ([]string, error) {
	var orphans []string
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id FROM s3_uploads WHERE bucket = ?`, name)
	if err != nil {
		return nil, err
	}
	var uploads []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		uploads = append(uploads, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range uploads {
		o, err := t.DeleteUpload(id)
		if err != nil {
			return nil, err
		}
		orphans = append(orphans, o...)
	}
	res, err := t.tx.ExecContext(t.ctx, `DELETE FROM s3_buckets WHERE name = ?`, name)
	if err != nil {
		return nil, mapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, store.ErrNotFound
	}
	if err := t.deleteTags(store.S3BucketResource(name)); err != nil {
		return nil, err
	}
	t.changed(store.ChangeBucket, name)
	return orphans, nil
}

func (t *tx) BucketIsEmpty(name string) (bool, error) {
	var one int
	err := t.tx.QueryRowContext(t.ctx, `SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1`, name).Scan(&one)
	if err == sql.ErrNoRows {
		return true, nil
	}
	return false, err
}

func (t *tx) PutBucketPolicy(name string, policy []byte) error {
	return t.updateBucket(name, `UPDATE s3_buckets SET policy = ? WHERE name = ?`, nullBytes(policy), name)
}

func (t *tx) PutBucketEncryption(name string, enc *store.BucketEncryption) error {
	return t.updateBucket(name, `UPDATE s3_buckets SET encryption = ? WHERE name = ?`, encodeBucketEncryption(enc), name)
}

// encodeBucketEncryption stores a bucket's default encryption: "" for S3's default.
func encodeBucketEncryption(e *store.BucketEncryption) string {
	if e == nil {
		return ""
	}
	b, _ := json.Marshal(e)
	return string(b)
}

func (t *tx) PutBucketTags(name string, tags map[string]string) error {
	var one int
	if err := t.queryRow(`SELECT 1 FROM s3_buckets WHERE name = ?`, name).Scan(&one); err != nil {
		return notFound(err)
	}
	if err := t.setTags(store.S3BucketResource(name), store.TagsFromMap(tags)); err != nil {
		return err
	}
	t.changed(store.ChangeBucket, name)
	return nil
}

func (t *tx) updateBucket(name, query string, args ...any) error {
	res, err := t.tx.ExecContext(t.ctx, query, args...)
	if err != nil {
		return mapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	t.changed(store.ChangeBucket, name)
	return nil
}

// nullBytes stores a nil slice as NULL.
func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}
