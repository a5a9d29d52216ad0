package jobs

import "github.com/cairnhq/cairn/internal/store"

// txn is what the job manager reads and writes of the store: the jobs whose outcomes it
// records, and the models and model packages a transform job serves. Everything else a job
// needs (its inputs, its role) it reaches through S3's and STS's operations.
type txn interface {
	store.SageMakerTx
	store.SageMakerModelTx
	store.ModelRegistryTx
}
