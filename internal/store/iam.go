package store

// IAMTx reads and writes IAM users, groups, roles, managed and inline policies, attachments and tags.
type IAMTx interface{}
