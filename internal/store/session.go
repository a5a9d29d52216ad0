package store

// SessionTx reads and writes STS sessions (temporary credentials).
type SessionTx interface{}
