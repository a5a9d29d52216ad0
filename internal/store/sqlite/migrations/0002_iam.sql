-- IAM: users, groups, roles, managed policies and their versions, attachments, inline
-- policies and tags. Entities reference each other by their unique IDs, so a rename
-- touches one row. Names compare without case, as IAM's do.

CREATE TABLE iam_users (
	id           TEXT PRIMARY KEY,
	account_id   TEXT NOT NULL,
	name         TEXT NOT NULL COLLATE NOCASE,
	path         TEXT NOT NULL,
	boundary_arn TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	UNIQUE (account_id, name)
);
CREATE INDEX iam_users_boundary ON iam_users(boundary_arn) WHERE boundary_arn != '';

CREATE TABLE iam_groups (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL,
	name       TEXT NOT NULL COLLATE NOCASE,
	path       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (account_id, name)
);

CREATE TABLE iam_group_members (
	group_id TEXT NOT NULL REFERENCES iam_groups(id) ON DELETE CASCADE,
	user_id  TEXT NOT NULL REFERENCES iam_users(id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, user_id)
);
CREATE INDEX iam_group_members_user ON iam_group_members(user_id);

CREATE TABLE iam_roles (
	id                   TEXT PRIMARY KEY,
	account_id           TEXT NOT NULL,
	name                 TEXT NOT NULL COLLATE NOCASE,
	path                 TEXT NOT NULL,
	description          TEXT NOT NULL DEFAULT '',
	trust_policy         TEXT NOT NULL,
	max_session_duration INTEGER NOT NULL,
	boundary_arn         TEXT NOT NULL DEFAULT '',
	created_at           INTEGER NOT NULL,
	last_used_at         INTEGER NOT NULL DEFAULT 0,
	last_used_region     TEXT NOT NULL DEFAULT '',
	UNIQUE (account_id, name)
);
CREATE INDEX iam_roles_boundary ON iam_roles(boundary_arn) WHERE boundary_arn != '';

CREATE TABLE iam_policies (
	arn             TEXT PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,
	account_id      TEXT NOT NULL,
	name            TEXT NOT NULL COLLATE NOCASE,
	path            TEXT NOT NULL,
	description     TEXT NOT NULL DEFAULT '',
	default_version TEXT NOT NULL,
	last_version    INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	UNIQUE (account_id, name)
);

CREATE TABLE iam_policy_versions (
	policy_arn TEXT NOT NULL REFERENCES iam_policies(arn) ON DELETE CASCADE,
	version_id TEXT NOT NULL,
	number     INTEGER NOT NULL,
	document   TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (policy_arn, version_id)
);

-- entity_kind is 'user', 'group' or 'role'; entity_id the entity's unique ID.
CREATE TABLE iam_attachments (
	entity_kind TEXT NOT NULL,
	entity_id   TEXT NOT NULL,
	account_id  TEXT NOT NULL,
	policy_arn  TEXT NOT NULL REFERENCES iam_policies(arn),
	PRIMARY KEY (entity_kind, entity_id, policy_arn)
);
CREATE INDEX iam_attachments_policy ON iam_attachments(policy_arn, account_id);

CREATE TABLE iam_inline_policies (
	entity_kind TEXT NOT NULL,
	entity_id   TEXT NOT NULL,
	name        TEXT NOT NULL,
	document    TEXT NOT NULL,
	PRIMARY KEY (entity_kind, entity_id, name)
);

-- resource_id is the unique ID of a user, role or managed policy.
CREATE TABLE iam_tags (
	resource_id TEXT NOT NULL,
	key         TEXT NOT NULL COLLATE NOCASE,
	value       TEXT NOT NULL,
	position    INTEGER NOT NULL,
	PRIMARY KEY (resource_id, key)
);

-- AWS managed policies, visible in every account. Their documents follow the intent of
-- the AWS policies of the same names for the services Cairn serves.
INSERT INTO iam_policies (arn, id, account_id, name, path, description, default_version, last_version, created_at, updated_at) VALUES
	('arn:aws:iam::aws:policy/AdministratorAccess', 'ANPACAIRN000000000001', 'aws', 'AdministratorAccess', '/',
	 'Allows every action on every resource.', 'v1', 1, 1704067200000000000, 1704067200000000000),
	('arn:aws:iam::aws:policy/ReadOnlyAccess', 'ANPACAIRN000000000002', 'aws', 'ReadOnlyAccess', '/',
	 'Allows reading, listing and describing resources of every service Cairn serves.', 'v1', 1, 1704067200000000000, 1704067200000000000),
	('arn:aws:iam::aws:policy/AmazonSageMakerFullAccess', 'ANPACAIRN000000000003', 'aws', 'AmazonSageMakerFullAccess', '/',
	 'Allows every SageMaker action, the use of S3 buckets whose names contain "sagemaker", and passing roles to SageMaker.', 'v1', 1, 1704067200000000000, 1704067200000000000),
	('arn:aws:iam::aws:policy/AmazonSageMakerReadOnly', 'ANPACAIRN000000000004', 'aws', 'AmazonSageMakerReadOnly', '/',
	 'Allows reading, listing, describing and searching SageMaker resources.', 'v1', 1, 1704067200000000000, 1704067200000000000),
	('arn:aws:iam::aws:policy/AmazonS3FullAccess', 'ANPACAIRN000000000005', 'aws', 'AmazonS3FullAccess', '/',
	 'Allows every S3 action on every bucket and object.', 'v1', 1, 1704067200000000000, 1704067200000000000),
	('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'ANPACAIRN000000000006', 'aws', 'AmazonS3ReadOnlyAccess', '/',
	 'Allows reading and listing every S3 bucket and object.', 'v1', 1, 1704067200000000000, 1704067200000000000);

INSERT INTO iam_policy_versions (policy_arn, version_id, number, document, created_at) VALUES
	('arn:aws:iam::aws:policy/AdministratorAccess', 'v1', 1, '{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowEverything",
            "Effect": "Allow",
            "Action": "*",
            "Resource": "*"
        }
    ]
}', 1704067200000000000),
	('arn:aws:iam::aws:policy/ReadOnlyAccess', 'v1', 1, '{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadEverything",
            "Effect": "Allow",
            "Action": [
                "iam:Get*",
                "iam:List*",
                "iam:Simulate*",
                "sts:GetCallerIdentity",
                "organizations:Describe*",
                "organizations:List*",
                "s3:Get*",
                "s3:List*",
                "sagemaker:Describe*",
                "sagemaker:List*",
                "sagemaker:Search",
                "sagemaker:QueryLineage",
                "ram:Get*",
                "ram:List*"
            ],
            "Resource": "*"
        }
    ]
}', 1704067200000000000),
	('arn:aws:iam::aws:policy/AmazonSageMakerFullAccess', 'v1', 1, '{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "SageMakerEverything",
            "Effect": "Allow",
            "Action": "sagemaker:*",
            "Resource": "*"
        },
        {
            "Sid": "SageMakerBuckets",
            "Effect": "Allow",
            "Action": [
                "s3:CreateBucket",
                "s3:GetBucketLocation",
                "s3:ListBucket",
                "s3:ListBucketMultipartUploads",
                "s3:GetBucketCors",
                "s3:PutBucketCors"
            ],
            "Resource": [
                "arn:aws:s3:::*sagemaker*",
                "arn:aws:s3:::*SageMaker*",
                "arn:aws:s3:::*Sagemaker*"
            ]
        },
        {
            "Sid": "SageMakerObjects",
            "Effect": "Allow",
            "Action": [
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject",
                "s3:AbortMultipartUpload",
                "s3:ListMultipartUploadParts"
            ],
            "Resource": [
                "arn:aws:s3:::*sagemaker*/*",
                "arn:aws:s3:::*SageMaker*/*",
                "arn:aws:s3:::*Sagemaker*/*"
            ]
        },
        {
            "Sid": "ListAllBuckets",
            "Effect": "Allow",
            "Action": "s3:ListAllMyBuckets",
            "Resource": "*"
        },
        {
            "Sid": "PassRolesToSageMaker",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "arn:aws:iam::*:role/*",
            "Condition": {
                "StringEquals": {
                    "iam:PassedToService": "sagemaker.amazonaws.com"
                }
            }
        },
        {
            "Sid": "ReadRoles",
            "Effect": "Allow",
            "Action": [
                "iam:GetRole",
                "iam:ListRoles"
            ],
            "Resource": "*"
        }
    ]
}', 1704067200000000000),
	('arn:aws:iam::aws:policy/AmazonSageMakerReadOnly', 'v1', 1, '{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadSageMaker",
            "Effect": "Allow",
            "Action": [
                "sagemaker:Describe*",
                "sagemaker:List*",
                "sagemaker:Get*",
                "sagemaker:Search",
                "sagemaker:QueryLineage"
            ],
            "Resource": "*"
        }
    ]
}', 1704067200000000000),
	('arn:aws:iam::aws:policy/AmazonS3FullAccess', 'v1', 1, '{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "S3Everything",
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": "*"
        }
    ]
}', 1704067200000000000),
	('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'v1', 1, '{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadS3",
            "Effect": "Allow",
            "Action": [
                "s3:Get*",
                "s3:List*"
            ],
            "Resource": "*"
        }
    ]
}', 1704067200000000000);
