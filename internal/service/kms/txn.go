package kms

import "github.com/cairnhq/cairn/internal/store"

// txn is the part of the store KMS reads and writes: its own records and the tags of keys.
type txn interface {
	store.KMSTx
	store.TagTx
}
