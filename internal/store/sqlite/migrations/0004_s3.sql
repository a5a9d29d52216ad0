CREATE TABLE s3_buckets (
	name       TEXT PRIMARY KEY,
	account_id TEXT NOT NULL,
	region     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	policy     BLOB,
	tags       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX s3_buckets_account ON s3_buckets(account_id, name);

-- Keys compare as bytes (BINARY), which is S3's UTF-8 binary order.
CREATE TABLE s3_objects (
	bucket             TEXT NOT NULL REFERENCES s3_buckets(name),
	key                TEXT NOT NULL,
	size               INTEGER NOT NULL,
	etag               TEXT NOT NULL,
	blob_id            TEXT NOT NULL,
	modified_at        INTEGER NOT NULL,
	headers            TEXT NOT NULL DEFAULT '',
	tags               TEXT NOT NULL DEFAULT '',
	checksum_algorithm TEXT NOT NULL DEFAULT '',
	checksum_type      TEXT NOT NULL DEFAULT '',
	checksum           TEXT NOT NULL DEFAULT '',
	parts_count        INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (bucket, key)
) WITHOUT ROWID;
CREATE INDEX s3_objects_blob ON s3_objects(blob_id);

CREATE TABLE s3_uploads (
	id                 TEXT PRIMARY KEY,
	bucket             TEXT NOT NULL REFERENCES s3_buckets(name),
	key                TEXT NOT NULL,
	initiated_at       INTEGER NOT NULL,
	initiator          TEXT NOT NULL,
	headers            TEXT NOT NULL DEFAULT '',
	tags               TEXT NOT NULL DEFAULT '',
	checksum_algorithm TEXT NOT NULL DEFAULT '',
	checksum_type      TEXT NOT NULL DEFAULT ''
);
-- Upload IDs sort in creation order, so (key, id) is S3's listing order.
CREATE INDEX s3_uploads_bucket ON s3_uploads(bucket, key, id);

CREATE TABLE s3_parts (
	upload_id          TEXT NOT NULL REFERENCES s3_uploads(id),
	number             INTEGER NOT NULL,
	size               INTEGER NOT NULL,
	etag               TEXT NOT NULL,
	blob_id            TEXT NOT NULL,
	modified_at        INTEGER NOT NULL,
	checksum_algorithm TEXT NOT NULL DEFAULT '',
	checksum           TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (upload_id, number)
) WITHOUT ROWID;
CREATE INDEX s3_parts_blob ON s3_parts(blob_id);
