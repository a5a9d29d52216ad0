-- The resource policy of a model package group (PutModelPackageGroupPolicy): what lets
-- other accounts' principals use the group and its versions. One row per group that has a
-- policy, keyed by the group's account and its name lowercased (names compare regardless
-- of case); deleted with the group.

CREATE TABLE model_package_group_policies (
	account_id TEXT NOT NULL,
	group_key  TEXT NOT NULL,
	policy     TEXT NOT NULL,
	PRIMARY KEY (account_id, group_key)
);
