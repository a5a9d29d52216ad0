package sagemaker

// Settings several requests share, which Cairn keeps and describes without acting on them.

// VpcConfig is the VPC a job's or a model's containers would run in.
type VpcConfig struct {
	SecurityGroupIds []string `required:"true" min:"1" max:"5" memberMax:"32" memberPattern:"[-0-9a-zA-Z]+"`
	Subnets          []string `required:"true" min:"1" max:"16" memberMax:"32" memberPattern:"[-0-9a-zA-Z]+"`
}

// ExperimentConfig names the experiment, trial and run a job is recorded in.
type ExperimentConfig struct {
	ExperimentName            string `json:",omitempty" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	TrialName                 string `json:",omitempty" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	TrialComponentDisplayName string `json:",omitempty" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
	RunName                   string `json:",omitempty" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
}

// ModelAccessConfig accepts the end-user license agreement of a model's data.
type ModelAccessConfig struct {
	AcceptEula *bool `required:"true"`
}

// HubAccessConfig names the SageMaker hub content data comes from.
type HubAccessConfig struct {
	HubContentArn string `required:"true" max:"255" pattern:".*"`
}
