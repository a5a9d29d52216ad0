package store

// RAMBatchTx reads RAM's records a page at a time rather than one by one: what a list over
// thousands of shares needs to answer in a few queries.
type RAMBatchTx interface {
	// ListRAMSharesReaching returns the shares of the ASSOCIATED principal associations
	// that name one of an account's own principals (the account, its roles and users) or
	// one of entities (its organization and OUs), with how each association reaches it, in
	// (share, entity) order after p.After, a "<share ARN> <entity>" key; at most p.Limit
	// when it is positive.
	ListRAMSharesReaching(account string, entities []string, p Page) ([]RAMReach, error)
	// ListRAMAssociationsNamed is ListRAMAssociations with the name of each association's
	// share.
	ListRAMAssociationsNamed(q RAMAssociationQuery, p Page) ([]RAMNamedAssociation, error)
}

// RAMNamedAssociation is an association with the name of its share.
type RAMNamedAssociation struct {
	*RAMAssociation
	ShareName string
}

// RAMReach is a share that reaches an account through one of its principal associations.
type RAMReach struct {
	Share *RAMShare
	// Entity, Kind and Invite are the association's.
	Entity string
	Kind   string
	Invite bool
}
