package store

import "time"

// Model is a SageMaker model: the container (or containers) that serve predictions and the
// role they act as.
type Model struct {
	AccountID string
	Name      string
	ARN       string
	// Request is the CreateModel request as JSON, without Tags: what
	// DescribeModel returns besides the name, ARN and creation time.
	Request string
	// RoleARN is the model's ExecutionRoleArn ("" when none was given); transform jobs of
	// the model act as it.
	RoleARN   string
	CreatedAt time.Time
}

// SageMakerModelTx reads and writes SageMaker models. Names are unique per account
// regardless of case, as the lowercased names in their ARNs are. A model's tags are
// TagTx's, under its ARN; DeleteModel deletes them.
type SageMakerModelTx interface {
	Model(accountID, name string) (*Model, error)
	// ListModels returns an account's models, oldest first.
	ListModels(accountID string) ([]*Model, error)
	CreateModel(*Model) error
	DeleteModel(accountID, name string) error
}
