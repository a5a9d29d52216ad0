-- A page of an account's pipelines is read in the order of this index (creation time,
-- ties by name, either way), so a page costs its own rows and not the account's count.
CREATE INDEX pipelines_page ON pipelines(account_id, created_at, name);
