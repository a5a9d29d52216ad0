package ram

import "github.com/cairnhq/cairn/internal/operation"

// The shapes of managed permissions and their associations.

// ResourceSharePermissionSummary summarizes a permission.
type ResourceSharePermissionSummary struct {
	Arn                   string               `json:"arn,omitempty"`
	Version               string               `json:"version,omitempty"`
	DefaultVersion        *bool                `json:"defaultVersion,omitempty"`
	Name                  string               `json:"name,omitempty"`
	ResourceType          string               `json:"resourceType,omitempty"`
	Status                string               `json:"status,omitempty"`
	CreationTime          *operation.Timestamp `json:"creationTime,omitempty"`
	LastUpdatedTime       *operation.Timestamp `json:"lastUpdatedTime,omitempty"`
	IsResourceTypeDefault *bool                `json:"isResourceTypeDefault,omitempty"`
	PermissionType        string               `json:"permissionType,omitempty"`
	FeatureSet            string               `json:"featureSet,omitempty"`
	Tags                  []Tag                `json:"tags,omitempty"`
}

// ResourceSharePermissionDetail is one version of a permission with its policy template.
type ResourceSharePermissionDetail struct {
	Arn                   string               `json:"arn,omitempty"`
	Version               string               `json:"version,omitempty"`
	DefaultVersion        *bool                `json:"defaultVersion,omitempty"`
	Name                  string               `json:"name,omitempty"`
	ResourceType          string               `json:"resourceType,omitempty"`
	Permission            string               `json:"permission,omitempty"`
	CreationTime          *operation.Timestamp `json:"creationTime,omitempty"`
	LastUpdatedTime       *operation.Timestamp `json:"lastUpdatedTime,omitempty"`
	IsResourceTypeDefault *bool                `json:"isResourceTypeDefault,omitempty"`
	PermissionType        string               `json:"permissionType,omitempty"`
	FeatureSet            string               `json:"featureSet,omitempty"`
	Status                string               `json:"status,omitempty"`
	Tags                  []Tag                `json:"tags,omitempty"`
}

// AssociatedPermission is a permission's association with one share.
type AssociatedPermission struct {
	Arn               string               `json:"arn,omitempty"`
	PermissionVersion string               `json:"permissionVersion,omitempty"`
	DefaultVersion    *bool                `json:"defaultVersion,omitempty"`
	ResourceType      string               `json:"resourceType,omitempty"`
	Status            string               `json:"status,omitempty"`
	FeatureSet        string               `json:"featureSet,omitempty"`
	LastUpdatedTime   *operation.Timestamp `json:"lastUpdatedTime,omitempty"`
	ResourceShareArn  string               `json:"resourceShareArn,omitempty"`
}

// AssociatedSource is a source constraint of a share.
type AssociatedSource struct {
	ResourceShareArn string               `json:"resourceShareArn,omitempty"`
	SourceId         string               `json:"sourceId,omitempty"`
	SourceType       string               `json:"sourceType,omitempty"`
	Status           string               `json:"status,omitempty"`
	LastUpdatedTime  *operation.Timestamp `json:"lastUpdatedTime,omitempty"`
	CreationTime     *operation.Timestamp `json:"creationTime,omitempty"`
	StatusMessage    string               `json:"statusMessage,omitempty"`
}

// ReplacePermissionAssociationsWork is one replacement request and how it went.
type ReplacePermissionAssociationsWork struct {
	Id                    string               `json:"id,omitempty"`
	FromPermissionArn     string               `json:"fromPermissionArn,omitempty"`
	FromPermissionVersion string               `json:"fromPermissionVersion,omitempty"`
	ToPermissionArn       string               `json:"toPermissionArn,omitempty"`
	ToPermissionVersion   string               `json:"toPermissionVersion,omitempty"`
	Status                string               `json:"status,omitempty"`
	StatusMessage         string               `json:"statusMessage,omitempty"`
	CreationTime          *operation.Timestamp `json:"creationTime,omitempty"`
	LastUpdatedTime       *operation.Timestamp `json:"lastUpdatedTime,omitempty"`
}

// ListPermissionsInput lists the permissions the caller can attach.
type ListPermissionsInput struct {
	ResourceType   string  `json:"resourceType,omitempty"`
	NextToken      *string `json:"nextToken,omitempty"`
	MaxResults     *int32  `json:"maxResults,omitempty" min:"1" max:"500"`
	PermissionType string  `json:"permissionType,omitempty" enum:"ALL,AWS_MANAGED,CUSTOMER_MANAGED"`
}

// PermissionsOutput is one page of permission summaries.
type PermissionsOutput struct {
	Permissions []ResourceSharePermissionSummary `json:"permissions"`
	NextToken   *string                          `json:"nextToken,omitempty"`
}

// GetPermissionInput reads a version of a permission.
type GetPermissionInput struct {
	PermissionArn     string `json:"permissionArn" required:"true"`
	PermissionVersion *int32 `json:"permissionVersion,omitempty"`
}

// GetPermissionOutput is the permission with its policy template.
type GetPermissionOutput struct {
	Permission *ResourceSharePermissionDetail `json:"permission,omitempty"`
}

// ListPermissionVersionsInput lists a permission's versions.
type ListPermissionVersionsInput struct {
	PermissionArn string  `json:"permissionArn" required:"true"`
	NextToken     *string `json:"nextToken,omitempty"`
	MaxResults    *int32  `json:"maxResults,omitempty" min:"1" max:"500"`
}

// ListResourceSharePermissionsInput lists the permissions of a share.
type ListResourceSharePermissionsInput struct {
	ResourceShareArn string  `json:"resourceShareArn" required:"true"`
	NextToken        *string `json:"nextToken,omitempty"`
	MaxResults       *int32  `json:"maxResults,omitempty" min:"1" max:"500"`
}

// AssociateResourceSharePermissionInput attaches a permission to a share, replacing the
// one it has for the permission's type when Replace is true.
type AssociateResourceSharePermissionInput struct {
	ResourceShareArn  string  `json:"resourceShareArn" required:"true"`
	PermissionArn     string  `json:"permissionArn" required:"true"`
	Replace           *bool   `json:"replace,omitempty"`
	ClientToken       *string `json:"clientToken,omitempty"`
	PermissionVersion *int32  `json:"permissionVersion,omitempty"`
}

// DisassociateResourceSharePermissionInput removes a permission from a share.
type DisassociateResourceSharePermissionInput struct {
	ResourceShareArn string  `json:"resourceShareArn" required:"true"`
	PermissionArn    string  `json:"permissionArn" required:"true"`
	ClientToken      *string `json:"clientToken,omitempty"`
}

// CreatePermissionInput creates a customer managed permission.
type CreatePermissionInput struct {
	Name           string  `json:"name" required:"true" min:"1" max:"36" pattern:"[\\w.-]*"`
	ResourceType   string  `json:"resourceType" required:"true"`
	PolicyTemplate string  `json:"policyTemplate" required:"true"`
	ClientToken    *string `json:"clientToken,omitempty"`
	Tags           []Tag   `json:"tags,omitempty"`
}

// CreatePermissionOutput summarizes the new permission.
type CreatePermissionOutput struct {
	Permission  *ResourceSharePermissionSummary `json:"permission,omitempty"`
	ClientToken string                          `json:"clientToken,omitempty"`
}

// CreatePermissionVersionInput adds a version to a customer managed permission.
type CreatePermissionVersionInput struct {
	PermissionArn  string  `json:"permissionArn" required:"true"`
	PolicyTemplate string  `json:"policyTemplate" required:"true"`
	ClientToken    *string `json:"clientToken,omitempty"`
}

// CreatePermissionVersionOutput is the new version.
type CreatePermissionVersionOutput struct {
	Permission  *ResourceSharePermissionDetail `json:"permission,omitempty"`
	ClientToken string                         `json:"clientToken,omitempty"`
}

// DeletePermissionInput deletes a customer managed permission (DELETE with query
// parameters).
type DeletePermissionInput struct {
	PermissionArn string  `json:"permissionArn" querystring:"permissionArn" required:"true"`
	ClientToken   *string `json:"clientToken,omitempty" querystring:"clientToken"`
}

// DeletePermissionVersionInput deletes one version (DELETE with query parameters).
type DeletePermissionVersionInput struct {
	PermissionArn     string  `json:"permissionArn" querystring:"permissionArn" required:"true"`
	PermissionVersion *int32  `json:"permissionVersion" querystring:"permissionVersion" required:"true"`
	ClientToken       *string `json:"clientToken,omitempty" querystring:"clientToken"`
}

// DeletePermissionOutput reports the deletion and the permission's status after it.
type DeletePermissionOutput struct {
	ReturnValue      bool   `json:"returnValue"`
	ClientToken      string `json:"clientToken,omitempty"`
	PermissionStatus string `json:"permissionStatus,omitempty"`
}

// SetDefaultPermissionVersionInput chooses the version new shares get.
type SetDefaultPermissionVersionInput struct {
	PermissionArn     string  `json:"permissionArn" required:"true"`
	PermissionVersion *int32  `json:"permissionVersion" required:"true"`
	ClientToken       *string `json:"clientToken,omitempty"`
}

// ListPermissionAssociationsInput lists which of the caller's shares use a permission.
type ListPermissionAssociationsInput struct {
	PermissionArn     string  `json:"permissionArn,omitempty"`
	PermissionVersion *int32  `json:"permissionVersion,omitempty"`
	AssociationStatus string  `json:"associationStatus,omitempty" enum:"ASSOCIATING,ASSOCIATED,FAILED,DISASSOCIATING,DISASSOCIATED,SUSPENDED,SUSPENDING,RESTORING"`
	ResourceType      string  `json:"resourceType,omitempty"`
	FeatureSet        string  `json:"featureSet,omitempty" enum:"CREATED_FROM_POLICY,PROMOTING_TO_STANDARD,STANDARD"`
	DefaultVersion    *bool   `json:"defaultVersion,omitempty"`
	NextToken         *string `json:"nextToken,omitempty"`
	MaxResults        *int32  `json:"maxResults,omitempty" min:"1" max:"500"`
}

// ListPermissionAssociationsOutput is one page of associations.
type ListPermissionAssociationsOutput struct {
	Permissions []AssociatedPermission `json:"permissions"`
	NextToken   *string                `json:"nextToken,omitempty"`
}

// ReplacePermissionAssociationsInput moves every share of the caller from one permission
// to another.
type ReplacePermissionAssociationsInput struct {
	FromPermissionArn     string  `json:"fromPermissionArn" required:"true"`
	FromPermissionVersion *int32  `json:"fromPermissionVersion,omitempty"`
	ToPermissionArn       string  `json:"toPermissionArn" required:"true"`
	ClientToken           *string `json:"clientToken,omitempty"`
}

// ReplacePermissionAssociationsOutput is the work started.
type ReplacePermissionAssociationsOutput struct {
	ReplacePermissionAssociationsWork *ReplacePermissionAssociationsWork `json:"replacePermissionAssociationsWork,omitempty"`
	ClientToken                       string                             `json:"clientToken,omitempty"`
}

// ListReplacePermissionAssociationsWorkInput lists replacement requests.
type ListReplacePermissionAssociationsWorkInput struct {
	WorkIds    []string `json:"workIds,omitempty"`
	Status     string   `json:"status,omitempty" enum:"IN_PROGRESS,COMPLETED,FAILED"`
	NextToken  *string  `json:"nextToken,omitempty"`
	MaxResults *int32   `json:"maxResults,omitempty" min:"1" max:"500"`
}

// ListReplacePermissionAssociationsWorkOutput is one page of requests.
type ListReplacePermissionAssociationsWorkOutput struct {
	ReplacePermissionAssociationsWorks []ReplacePermissionAssociationsWork `json:"replacePermissionAssociationsWorks"`
	NextToken                          *string                             `json:"nextToken,omitempty"`
}

// PromotePermissionCreatedFromPolicyInput promotes a permission made from a policy.
type PromotePermissionCreatedFromPolicyInput struct {
	PermissionArn string  `json:"permissionArn" required:"true"`
	Name          string  `json:"name" required:"true"`
	ClientToken   *string `json:"clientToken,omitempty"`
}

// PromotePermissionCreatedFromPolicyOutput summarizes the promoted permission.
type PromotePermissionCreatedFromPolicyOutput struct {
	Permission  *ResourceSharePermissionSummary `json:"permission,omitempty"`
	ClientToken string                          `json:"clientToken,omitempty"`
}

// PromoteResourceShareCreatedFromPolicyInput promotes a share made from a policy (POST
// with a query parameter).
type PromoteResourceShareCreatedFromPolicyInput struct {
	ResourceShareArn string `json:"resourceShareArn" querystring:"resourceShareArn" required:"true"`
}

// PromoteResourceShareCreatedFromPolicyOutput reports the promotion.
type PromoteResourceShareCreatedFromPolicyOutput struct {
	ReturnValue bool `json:"returnValue"`
}

// ListSourceAssociationsInput lists the source constraints of the caller's shares.
type ListSourceAssociationsInput struct {
	ResourceShareArns []string `json:"resourceShareArns,omitempty"`
	SourceId          string   `json:"sourceId,omitempty"`
	SourceType        string   `json:"sourceType,omitempty"`
	AssociationStatus string   `json:"associationStatus,omitempty" enum:"ASSOCIATING,ASSOCIATED,FAILED,DISASSOCIATING,DISASSOCIATED,SUSPENDED,SUSPENDING,RESTORING"`
	NextToken         *string  `json:"nextToken,omitempty"`
	MaxResults        *int32   `json:"maxResults,omitempty" min:"1" max:"500"`
}

// ListSourceAssociationsOutput is one page of source associations.
type ListSourceAssociationsOutput struct {
	SourceAssociations []AssociatedSource `json:"sourceAssociations"`
	NextToken          *string            `json:"nextToken,omitempty"`
}
