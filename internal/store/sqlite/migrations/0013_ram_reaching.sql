-- RAM's lists read a page at a time, walking an index in the list's order, never sorting
-- or reading a whole list.

-- What reaches an account: the associations naming the account's principals, and those
-- naming its organization or an OU, each in (share, entity) order, with what decides whether
-- the share reaches the account (kind, invitation), so that only the share is read beside.
CREATE INDEX ram_associations_reaching_account ON ram_associations(account, type, status, share_arn, entity, kind, invite);
CREATE INDEX ram_associations_reaching_entity ON ram_associations(entity, type, status, share_arn, kind, invite);

-- A share's name by its ARN, without reading the share: what each association of a list
-- shows beside itself.
CREATE INDEX ram_shares_name ON ram_shares(arn, name);
