package store

// ChangeKind names the kind of record a Change is about; its Key says which one.
type ChangeKind string

// The kinds of Change an Update records, and the Key each carries.
const (
	// ChangeOrganization: the organization was created; key: its ID.
	ChangeOrganization ChangeKind = "organization"
	// ChangeCreateAccountStatus: a CreateAccount request's status; key: its ID.
	ChangeCreateAccountStatus ChangeKind = "create_account_status"
	// ChangeAccount: an account was created or moved; key: its ID.
	ChangeAccount ChangeKind = "account"
	// ChangeAccessKey: an access key was created, changed or deleted; key: its ID.
	ChangeAccessKey ChangeKind = "access_key"
	// ChangeSession: an STS session was created; key: its access key ID.
	ChangeSession ChangeKind = "session"

	// ChangeUser, ChangeGroup, ChangeRole: an IAM entity, or what applies to it, changed;
	// key: "<account>/<name>".
	ChangeUser  ChangeKind = "user"
	ChangeGroup ChangeKind = "group"
	ChangeRole  ChangeKind = "role"
	// ChangePolicy: a managed policy or one of its versions changed; key: its ARN.
	ChangePolicy ChangeKind = "policy"

	// ChangeOrganizationalUnit: an OU was created, renamed or deleted; key: its ID.
	ChangeOrganizationalUnit ChangeKind = "organizational_unit"
	// ChangeOrgPolicy: what an organization policy applies to may have changed; key: the
	// policy ID, or "type/<TYPE>" when a policy type is enabled or disabled.
	ChangeOrgPolicy ChangeKind = "org_policy"

	// ChangeTags: SetTags replaced a resource's tags; key: the resource (see TagTx).
	ChangeTags ChangeKind = "tags"

	// ChangeBucket: an S3 bucket, its policy or its tags changed; key: its name.
	ChangeBucket ChangeKind = "s3_bucket"
	// ChangeObject: an S3 object was written or deleted; key: "<bucket>/<key>".
	ChangeObject ChangeKind = "s3_object"
	// ChangeUpload: a multipart upload was created or ended; key: its upload ID.
	ChangeUpload ChangeKind = "s3_upload"

	// ChangeKMSKey: a KMS key, its policy, state, rotation or material changed, or it was
	// deleted; key: its ARN.
	ChangeKMSKey ChangeKind = "kms_key"
	// ChangeKMSAlias: a KMS alias was created, repointed or deleted; key:
	// "<account>/<alias name>".
	ChangeKMSAlias ChangeKind = "kms_alias"
	// ChangeKMSGrant: a KMS grant was created, retired or revoked; key: its ID.
	ChangeKMSGrant ChangeKind = "kms_grant"

	// ChangePipeline: a SageMaker pipeline changed; key: its ARN.
	ChangePipeline ChangeKind = "pipeline"
	// ChangePipelineExecution: an execution changed; key: its ARN.
	ChangePipelineExecution ChangeKind = "pipeline_execution"
	// ChangeExecutionStep: a step of an execution changed; key: the execution's ARN.
	ChangeExecutionStep ChangeKind = "execution_step"
	// ChangeJob: a SageMaker job changed; key: its ARN.
	ChangeJob ChangeKind = "job"
	// ChangeModel: a SageMaker model was created or deleted; key: its ARN.
	ChangeModel ChangeKind = "model"
	// ChangeModelPackageGroup: a model package group changed; key: its ARN.
	ChangeModelPackageGroup ChangeKind = "model_package_group"
	// ChangeModelPackage: a model package changed; key: its ARN.
	ChangeModelPackage ChangeKind = "model_package"
	// ChangeLineageEntity: a lineage entity, experiment or trial, or a trial's members,
	// changed; key: its ARN.
	ChangeLineageEntity ChangeKind = "lineage_entity"
	// ChangeLineageAssociation: a lineage association was written or deleted; key:
	// "<source ARN> <destination ARN>".
	ChangeLineageAssociation ChangeKind = "lineage_association"
	// ChangeLineageGroup: an account's lineage group was created; key: its ARN.
	ChangeLineageGroup ChangeKind = "lineage_group"

	// ChangeRAMShare: a RAM resource share was created or changed; key: its ARN.
	ChangeRAMShare ChangeKind = "ram_share"
	// ChangeRAMAssociation: an association of a resource share was written; key:
	// "<share ARN> <entity>", the key ListRAMAssociations pages by.
	ChangeRAMAssociation ChangeKind = "ram_association"
	// ChangeRAMInvitation: a resource share invitation was written or deleted; key: its
	// ARN.
	ChangeRAMInvitation ChangeKind = "ram_invitation"
	// ChangeRAMPermission: a customer managed permission or one of its versions was
	// written or deleted; key: the permission's ARN.
	ChangeRAMPermission ChangeKind = "ram_permission"
	// ChangeRAMSharePermission: the permission a share grants for a resource type was
	// written or removed; key: the share's ARN.
	ChangeRAMSharePermission ChangeKind = "ram_share_permission"
	// ChangeRAMReplaceWork: a ReplacePermissionAssociations request was written; key: its
	// ID.
	ChangeRAMReplaceWork ChangeKind = "ram_replace_work"
	// ChangeRAMOrgSharing: sharing with an organization was enabled; key: the
	// organization's ID.
	ChangeRAMOrgSharing ChangeKind = "ram_org_sharing"
	// ChangeRAMPending: RAM work (an association's transition, a permission replacement)
	// falls due at a time; key: that time in Unix nanoseconds. RAM's worker arms its
	// timer by it.
	ChangeRAMPending ChangeKind = "ram_pending"
	// ChangeResourcePolicy: the resource policy RAM attached to a shared resource was
	// written or removed; key: the resource's ARN. Services read resource policies in the
	// request that needs them and cache none.
	ChangeResourcePolicy ChangeKind = "resource_policy"
)
