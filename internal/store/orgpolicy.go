package store

// OrgPolicyTx reads and writes organizational units, organization policies (SCPs, RCPs) and their attachments.
type OrgPolicyTx interface{}
