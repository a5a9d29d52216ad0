package arn

import "strings"

// The partition Cairn serves.
const Partition = "aws"

// New formats an ARN of the aws partition.
func New(service, region, account, resource string) string {
	return ARN{Partition: Partition, Service: service, Region: region, Account: account, Resource: resource}.String()
}

// AWSAccount is the account field of resources AWS itself owns (managed policies and
// permissions).
const AWSAccount = "aws"

// IAM resources. Paths start and end with "/".

// Root is an account's root user: arn:aws:iam::<account>:root.
func Root(account string) string { return New("iam", "", account, "root") }

// User is arn:aws:iam::<account>:user<path><name>.
func User(account, path, name string) string { return New("iam", "", account, "user"+path+name) }

// Group is arn:aws:iam::<account>:group<path><name>.
func Group(account, path, name string) string { return New("iam", "", account, "group"+path+name) }

// Role is arn:aws:iam::<account>:role<path><name>.
func Role(account, path, name string) string { return New("iam", "", account, "role"+path+name) }

// Policy is a managed policy, arn:aws:iam::<account>:policy<path><name>; account "aws" for
// an AWS managed policy.
func Policy(account, path, name string) string { return New("iam", "", account, "policy"+path+name) }

// AssumedRole is an STS role session: arn:aws:sts::<account>:assumed-role/<role>/<session>.
func AssumedRole(account, role, session string) string {
	return New("sts", "", account, "assumed-role/"+role+"/"+session)
}

// S3 resources (S3 ARNs carry neither region nor account).

// Bucket is arn:aws:s3:::<bucket>.
func Bucket(bucket string) string { return New("s3", "", "", bucket) }

// Object is arn:aws:s3:::<bucket>/<key>.
func Object(bucket, key string) string { return New("s3", "", "", bucket+"/"+key) }

// Organizations resources, all in the management account.

// Organization is arn:aws:organizations::<management>:organization/<org>.
func Organization(management, org string) string {
	return New("organizations", "", management, "organization/"+org)
}

// OrganizationAccount is arn:aws:organizations::<management>:account/<org>/<account>.
func OrganizationAccount(management, org, account string) string {
	return New("organizations", "", management, "account/"+org+"/"+account)
}

// OrganizationRoot is arn:aws:organizations::<management>:root/<org>/<root>.
func OrganizationRoot(management, org, root string) string {
	return New("organizations", "", management, "root/"+org+"/"+root)
}

// OrganizationalUnit is arn:aws:organizations::<management>:ou/<org>/<ou>.
func OrganizationalUnit(management, org, ou string) string {
	return New("organizations", "", management, "ou/"+org+"/"+ou)
}

// OrganizationPolicy is a policy of an organization,
// arn:aws:organizations::<management>:policy/<org>/<type>/<id>; management "aws" (and org
// "") for an AWS managed policy such as FullAWSAccess.
func OrganizationPolicy(management, org, policyType, id string) string {
	if management == AWSAccount {
		return New("organizations", "", AWSAccount, "policy/"+policyType+"/"+id)
	}
	return New("organizations", "", management, "policy/"+org+"/"+policyType+"/"+id)
}

// SageMaker resources.

// SageMaker is arn:aws:sagemaker:<region>:<account>:<type>/<name> with the name lowercased,
// as SageMaker returns its ARNs (pipeline, training-job, model-package-group…).
func SageMaker(region, account, resourceType, name string) string {
	return New("sagemaker", region, account, resourceType+"/"+strings.ToLower(name))
}

// SageMakerAsGiven is SageMaker's ARN with the name as the caller gave it, the resource IAM
// policies are matched against.
func SageMakerAsGiven(region, account, resourceType, name string) string {
	return New("sagemaker", region, account, resourceType+"/"+name)
}

// TypeAndName returns the type and name of a "type/name" resource field ("pipeline",
// "my-pipeline/execution/abc"); ok is false for a resource with no "/".
func (a ARN) TypeAndName() (typ, name string, ok bool) {
	return strings.Cut(a.Resource, "/")
}

// RAM resources.

// RAM is arn:aws:ram:<region>:<account>:<resource> (resource-share/<id>,
// resource-share-invitation/<id>, permission/<name>).
func RAM(region, account, resource string) string { return New("ram", region, account, resource) }

// ManagedPermission is an AWS managed RAM permission: arn:aws:ram::aws:permission/<name>.
func ManagedPermission(name string) string { return New("ram", "", AWSAccount, "permission/"+name) }
