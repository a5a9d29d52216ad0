package sagemaker

import "github.com/cairnhq/cairn/internal/store"

// txn is the part of the store this service reads and writes: its own records and the few
// of other services' it needs. The service holds the store through it (store.Scoped), so
// what it may touch is written down here.
type txn interface {
	store.SageMakerTx
	store.ResourcePolicyTx
	store.SageMakerModelTx
	store.TagTx
	store.ModelRegistryTx
	store.LineageTx
	store.OrgMembershipTx
}
