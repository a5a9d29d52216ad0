-- One tag table for every service. Tags were kept four ways: iam_tags (by IAM unique ID,
-- with position, keys compared without case), org_tags (by organization resource ID, listed
-- by key), sagemaker_tags (by ARN, with position) and JSON objects in the tags columns of
-- s3_buckets, s3_objects and s3_uploads. They move to tags(resource, position, key, value),
-- with resources named as store.TagTx says:
--
--   IAM users, roles, managed policies   their unique IDs (AIDA…, AROA…, ANPA…)
--   Organizations                        the root, OU, account or policy ID
--   S3 buckets, objects                  arn:aws:s3:::<bucket>, arn:aws:s3:::<bucket>/<key>
--   S3 multipart uploads                 s3-upload:<upload ID>
--   SageMaker                            the resource's ARN
--
-- IAM's tag keys keep their case; the store folds keys that differ only in case before it
-- writes them, as the NOCASE primary key of iam_tags did. Organizations tags, which had no
-- position, take the order of their keys, the order they were listed in. S3's JSON objects
-- (written by encoding/json, keys sorted) are read with SQLite's json_each: this
-- migration converts data only a SQLite database holds. The old tables and columns are
-- dropped.

CREATE TABLE tags (
	resource TEXT NOT NULL,
	position INTEGER NOT NULL,
	key      TEXT NOT NULL,
	value    TEXT NOT NULL,
	PRIMARY KEY (resource, key)
);
-- Reads list a resource's tags in position order, without sorting them.
CREATE INDEX tags_position ON tags(resource, position);

INSERT INTO tags (resource, position, key, value)
	SELECT resource_id, position, key, value FROM iam_tags;

INSERT INTO tags (resource, position, key, value)
	SELECT o.resource_id,
		(SELECT COUNT(*) FROM org_tags e WHERE e.resource_id = o.resource_id AND e.key < o.key),
		o.key, o.value
	FROM org_tags o;

INSERT INTO tags (resource, position, key, value)
	SELECT resource_arn, position, key, value FROM sagemaker_tags;

INSERT INTO tags (resource, position, key, value)
	SELECT 'arn:aws:s3:::' || b.name,
		(SELECT COUNT(*) FROM json_each(b.tags) e WHERE e.key < j.key),
		j.key, j.value
	FROM s3_buckets b, json_each(NULLIF(b.tags, '')) j;

INSERT INTO tags (resource, position, key, value)
	SELECT 'arn:aws:s3:::' || o.bucket || '/' || o.key,
		(SELECT COUNT(*) FROM json_each(o.tags) e WHERE e.key < j.key),
		j.key, j.value
	FROM s3_objects o, json_each(NULLIF(o.tags, '')) j;

INSERT INTO tags (resource, position, key, value)
	SELECT 's3-upload:' || u.id,
		(SELECT COUNT(*) FROM json_each(u.tags) e WHERE e.key < j.key),
		j.key, j.value
	FROM s3_uploads u, json_each(NULLIF(u.tags, '')) j;

DROP TABLE iam_tags;
DROP TABLE org_tags;
DROP TABLE sagemaker_tags;
ALTER TABLE s3_buckets DROP COLUMN tags;
ALTER TABLE s3_objects DROP COLUMN tags;
ALTER TABLE s3_uploads DROP COLUMN tags;
