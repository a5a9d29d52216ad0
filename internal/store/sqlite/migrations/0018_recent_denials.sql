-- The most recent authorization denials of each account, for the console's access page:
-- the server writes them in batches and keeps a bounded number per account, so that they
-- outlive a restart and replicas sharing a database see the same ones.
CREATE TABLE recent_denials (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id  TEXT NOT NULL,
	at          INTEGER NOT NULL,
	principal   TEXT NOT NULL,
	action      TEXT NOT NULL,
	resource    TEXT NOT NULL,
	decision    TEXT NOT NULL,
	policy_type TEXT NOT NULL,
	policy_id   TEXT NOT NULL,
	statement   TEXT NOT NULL,
	message     TEXT NOT NULL,
	request_id  TEXT NOT NULL
);
CREATE INDEX recent_denials_account ON recent_denials(account_id, id);
