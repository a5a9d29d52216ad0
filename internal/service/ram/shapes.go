package ram

import "github.com/cairnhq/cairn/internal/operation"

// The shapes of resource shares, associations, invitations and listings, as the model
// names their members (restJson1 carries them in lowerCamelCase).

// Tag is a tag of a resource share or a permission.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// TagFilter selects shares by a tag key and, optionally, its values.
type TagFilter struct {
	TagKey    string   `json:"tagKey,omitempty"`
	TagValues []string `json:"tagValues,omitempty"`
}

// ResourceShareConfiguration configures a share.
type ResourceShareConfiguration struct {
	RetainSharingOnAccountLeaveOrganization *bool `json:"retainSharingOnAccountLeaveOrganization,omitempty"`
}

// ResourceShare describes a resource share.
type ResourceShare struct {
	ResourceShareArn           string                      `json:"resourceShareArn,omitempty"`
	Name                       string                      `json:"name,omitempty"`
	OwningAccountId            string                      `json:"owningAccountId,omitempty"`
	AllowExternalPrincipals    *bool                       `json:"allowExternalPrincipals,omitempty"`
	Status                     string                      `json:"status,omitempty"`
	StatusMessage              string                      `json:"statusMessage,omitempty"`
	Tags                       []Tag                       `json:"tags,omitempty"`
	CreationTime               *operation.Timestamp        `json:"creationTime,omitempty"`
	LastUpdatedTime            *operation.Timestamp        `json:"lastUpdatedTime,omitempty"`
	FeatureSet                 string                      `json:"featureSet,omitempty"`
	ResourceShareConfiguration *ResourceShareConfiguration `json:"resourceShareConfiguration,omitempty"`
}

// ResourceShareAssociation is the association of a share with a principal, a resource or
// a source.
type ResourceShareAssociation struct {
	ResourceShareArn  string               `json:"resourceShareArn,omitempty"`
	ResourceShareName string               `json:"resourceShareName,omitempty"`
	AssociatedEntity  string               `json:"associatedEntity,omitempty"`
	AssociationType   string               `json:"associationType,omitempty"`
	Status            string               `json:"status,omitempty"`
	StatusMessage     string               `json:"statusMessage,omitempty"`
	CreationTime      *operation.Timestamp `json:"creationTime,omitempty"`
	LastUpdatedTime   *operation.Timestamp `json:"lastUpdatedTime,omitempty"`
	External          *bool                `json:"external,omitempty"`
}

// ResourceShareInvitation invites an account to a share.
type ResourceShareInvitation struct {
	ResourceShareInvitationArn string               `json:"resourceShareInvitationArn,omitempty"`
	ResourceShareName          string               `json:"resourceShareName,omitempty"`
	ResourceShareArn           string               `json:"resourceShareArn,omitempty"`
	SenderAccountId            string               `json:"senderAccountId,omitempty"`
	ReceiverAccountId          string               `json:"receiverAccountId,omitempty"`
	InvitationTimestamp        *operation.Timestamp `json:"invitationTimestamp,omitempty"`
	Status                     string               `json:"status,omitempty"`
	ReceiverArn                string               `json:"receiverArn,omitempty"`
}

// Resource is a shared resource.
type Resource struct {
	Arn                 string               `json:"arn,omitempty"`
	Type                string               `json:"type,omitempty"`
	ResourceShareArn    string               `json:"resourceShareArn,omitempty"`
	ResourceGroupArn    string               `json:"resourceGroupArn,omitempty"`
	Status              string               `json:"status,omitempty"`
	StatusMessage       string               `json:"statusMessage,omitempty"`
	CreationTime        *operation.Timestamp `json:"creationTime,omitempty"`
	LastUpdatedTime     *operation.Timestamp `json:"lastUpdatedTime,omitempty"`
	ResourceRegionScope string               `json:"resourceRegionScope,omitempty"`
}

// Principal is a principal a share is shared with, or that shares with the caller.
type Principal struct {
	Id               string               `json:"id,omitempty"`
	ResourceShareArn string               `json:"resourceShareArn,omitempty"`
	CreationTime     *operation.Timestamp `json:"creationTime,omitempty"`
	LastUpdatedTime  *operation.Timestamp `json:"lastUpdatedTime,omitempty"`
	External         *bool                `json:"external,omitempty"`
}

// ServiceNameAndResourceType is a shareable type.
type ServiceNameAndResourceType struct {
	ResourceType        string `json:"resourceType,omitempty"`
	ServiceName         string `json:"serviceName,omitempty"`
	ResourceRegionScope string `json:"resourceRegionScope,omitempty"`
}

// CreateResourceShareInput creates a share.
type CreateResourceShareInput struct {
	Name                       string                      `json:"name" required:"true"`
	ResourceArns               []string                    `json:"resourceArns,omitempty"`
	Principals                 []string                    `json:"principals,omitempty"`
	Tags                       []Tag                       `json:"tags,omitempty"`
	AllowExternalPrincipals    *bool                       `json:"allowExternalPrincipals,omitempty"`
	ClientToken                *string                     `json:"clientToken,omitempty"`
	PermissionArns             []string                    `json:"permissionArns,omitempty"`
	Sources                    []string                    `json:"sources,omitempty"`
	ResourceShareConfiguration *ResourceShareConfiguration `json:"resourceShareConfiguration,omitempty"`
}

// CreateResourceShareOutput is the new share.
type CreateResourceShareOutput struct {
	ResourceShare *ResourceShare `json:"resourceShare,omitempty"`
	ClientToken   string         `json:"clientToken,omitempty"`
}

// UpdateResourceShareInput renames a share or changes whether it allows external
// principals.
type UpdateResourceShareInput struct {
	ResourceShareArn        string  `json:"resourceShareArn" required:"true"`
	Name                    *string `json:"name,omitempty"`
	AllowExternalPrincipals *bool   `json:"allowExternalPrincipals,omitempty"`
	ClientToken             *string `json:"clientToken,omitempty"`
}

// UpdateResourceShareOutput is the updated share.
type UpdateResourceShareOutput struct {
	ResourceShare *ResourceShare `json:"resourceShare,omitempty"`
	ClientToken   string         `json:"clientToken,omitempty"`
}

// DeleteResourceShareInput deletes a share (DELETE with query parameters).
type DeleteResourceShareInput struct {
	ResourceShareArn string  `json:"resourceShareArn" querystring:"resourceShareArn" required:"true"`
	ClientToken      *string `json:"clientToken,omitempty" querystring:"clientToken"`
}

// ReturnValueOutput is the answer of operations that report only success.
type ReturnValueOutput struct {
	ReturnValue bool   `json:"returnValue"`
	ClientToken string `json:"clientToken,omitempty"`
}

// GetResourceSharesInput lists the caller's shares or those shared with it.
type GetResourceSharesInput struct {
	ResourceShareArns   []string    `json:"resourceShareArns,omitempty"`
	ResourceShareStatus string      `json:"resourceShareStatus,omitempty" enum:"PENDING,ACTIVE,FAILED,DELETING,DELETED"`
	ResourceOwner       string      `json:"resourceOwner" required:"true" enum:"SELF,OTHER-ACCOUNTS"`
	Name                string      `json:"name,omitempty"`
	TagFilters          []TagFilter `json:"tagFilters,omitempty"`
	PermissionArn       string      `json:"permissionArn,omitempty"`
	PermissionVersion   *int32      `json:"permissionVersion,omitempty"`
	NextToken           *string     `json:"nextToken,omitempty"`
	MaxResults          *int32      `json:"maxResults,omitempty" min:"1" max:"500"`
}

// GetResourceSharesOutput is one page of shares.
type GetResourceSharesOutput struct {
	ResourceShares []ResourceShare `json:"resourceShares"`
	NextToken      *string         `json:"nextToken,omitempty"`
}

// AssociateResourceShareInput adds principals, resources or sources to a share.
type AssociateResourceShareInput struct {
	ResourceShareArn string   `json:"resourceShareArn" required:"true"`
	ResourceArns     []string `json:"resourceArns,omitempty"`
	Principals       []string `json:"principals,omitempty"`
	ClientToken      *string  `json:"clientToken,omitempty"`
	Sources          []string `json:"sources,omitempty"`
}

// AssociateResourceShareOutput lists the associations made.
type AssociateResourceShareOutput struct {
	ResourceShareAssociations []ResourceShareAssociation `json:"resourceShareAssociations"`
	ClientToken               string                     `json:"clientToken,omitempty"`
}

// GetResourceShareAssociationsInput lists the associations of the caller's shares.
type GetResourceShareAssociationsInput struct {
	AssociationType   string   `json:"associationType" required:"true" enum:"PRINCIPAL,RESOURCE,SOURCE"`
	ResourceShareArns []string `json:"resourceShareArns,omitempty"`
	ResourceArn       string   `json:"resourceArn,omitempty"`
	Principal         string   `json:"principal,omitempty"`
	AssociationStatus string   `json:"associationStatus,omitempty" enum:"ASSOCIATING,ASSOCIATED,FAILED,DISASSOCIATING,DISASSOCIATED,SUSPENDED,SUSPENDING,RESTORING"`
	NextToken         *string  `json:"nextToken,omitempty"`
	MaxResults        *int32   `json:"maxResults,omitempty" min:"1" max:"500"`
}

// GetResourceShareAssociationsOutput is one page of associations.
type GetResourceShareAssociationsOutput struct {
	ResourceShareAssociations []ResourceShareAssociation `json:"resourceShareAssociations"`
	NextToken                 *string                    `json:"nextToken,omitempty"`
}

// GetResourceShareInvitationsInput lists the invitations the caller received.
type GetResourceShareInvitationsInput struct {
	ResourceShareInvitationArns []string `json:"resourceShareInvitationArns,omitempty"`
	ResourceShareArns           []string `json:"resourceShareArns,omitempty"`
	NextToken                   *string  `json:"nextToken,omitempty"`
	// MaxResults is checked by the operation: the model answers a bad value with
	// InvalidMaxResultsException.
	MaxResults *int32 `json:"maxResults,omitempty"`
}

// GetResourceShareInvitationsOutput is one page of invitations.
type GetResourceShareInvitationsOutput struct {
	ResourceShareInvitations []ResourceShareInvitation `json:"resourceShareInvitations"`
	NextToken                *string                   `json:"nextToken,omitempty"`
}

// InvitationInput accepts or rejects an invitation.
type InvitationInput struct {
	ResourceShareInvitationArn string  `json:"resourceShareInvitationArn" required:"true"`
	ClientToken                *string `json:"clientToken,omitempty"`
}

// InvitationOutput is the invitation after the answer.
type InvitationOutput struct {
	ResourceShareInvitation *ResourceShareInvitation `json:"resourceShareInvitation,omitempty"`
	ClientToken             string                   `json:"clientToken,omitempty"`
}

// ListPendingInvitationResourcesInput lists the resources of a pending invitation's share.
type ListPendingInvitationResourcesInput struct {
	ResourceShareInvitationArn string  `json:"resourceShareInvitationArn" required:"true"`
	ResourceRegionScope        string  `json:"resourceRegionScope,omitempty" enum:"ALL,REGIONAL,GLOBAL"`
	NextToken                  *string `json:"nextToken,omitempty"`
	MaxResults                 *int32  `json:"maxResults,omitempty" min:"1" max:"500"`
}

// ResourcesOutput is one page of resources.
type ResourcesOutput struct {
	Resources []Resource `json:"resources"`
	NextToken *string    `json:"nextToken,omitempty"`
}

// ListResourcesInput lists shared resources.
type ListResourcesInput struct {
	ResourceOwner       string   `json:"resourceOwner" required:"true" enum:"SELF,OTHER-ACCOUNTS"`
	Principal           string   `json:"principal,omitempty"`
	ResourceType        string   `json:"resourceType,omitempty"`
	ResourceArns        []string `json:"resourceArns,omitempty"`
	ResourceShareArns   []string `json:"resourceShareArns,omitempty"`
	ResourceRegionScope string   `json:"resourceRegionScope,omitempty" enum:"ALL,REGIONAL,GLOBAL"`
	NextToken           *string  `json:"nextToken,omitempty"`
	MaxResults          *int32   `json:"maxResults,omitempty" min:"1" max:"500"`
}

// ListPrincipalsInput lists the principals of shares.
type ListPrincipalsInput struct {
	ResourceOwner     string   `json:"resourceOwner" required:"true" enum:"SELF,OTHER-ACCOUNTS"`
	ResourceArn       string   `json:"resourceArn,omitempty"`
	Principals        []string `json:"principals,omitempty"`
	ResourceType      string   `json:"resourceType,omitempty"`
	ResourceShareArns []string `json:"resourceShareArns,omitempty"`
	NextToken         *string  `json:"nextToken,omitempty"`
	MaxResults        *int32   `json:"maxResults,omitempty" min:"1" max:"500"`
}

// ListPrincipalsOutput is one page of principals.
type ListPrincipalsOutput struct {
	Principals []Principal `json:"principals"`
	NextToken  *string     `json:"nextToken,omitempty"`
}

// ListResourceTypesInput lists the shareable types.
type ListResourceTypesInput struct {
	ResourceRegionScope string  `json:"resourceRegionScope,omitempty" enum:"ALL,REGIONAL,GLOBAL"`
	NextToken           *string `json:"nextToken,omitempty"`
	MaxResults          *int32  `json:"maxResults,omitempty" min:"1" max:"500"`
}

// ListResourceTypesOutput is one page of types.
type ListResourceTypesOutput struct {
	ResourceTypes []ServiceNameAndResourceType `json:"resourceTypes"`
	NextToken     *string                      `json:"nextToken,omitempty"`
}

// GetResourcePoliciesInput reads the policies RAM attached to the caller's resources.
type GetResourcePoliciesInput struct {
	ResourceArns []string `json:"resourceArns" required:"true"`
	Principal    string   `json:"principal,omitempty"`
	NextToken    *string  `json:"nextToken,omitempty"`
	MaxResults   *int32   `json:"maxResults,omitempty" min:"1" max:"500"`
}

// GetResourcePoliciesOutput is one page of policies.
type GetResourcePoliciesOutput struct {
	Policies  []string `json:"policies"`
	NextToken *string  `json:"nextToken,omitempty"`
}

// EnableSharingWithAwsOrganizationInput enables sharing with the organization.
type EnableSharingWithAwsOrganizationInput struct{}

// TagResourceInput tags a share or a customer managed permission.
type TagResourceInput struct {
	ResourceShareArn string `json:"resourceShareArn,omitempty"`
	Tags             []Tag  `json:"tags" required:"true"`
	ResourceArn      string `json:"resourceArn,omitempty"`
}

// UntagResourceInput removes tags from a share or a customer managed permission.
type UntagResourceInput struct {
	ResourceShareArn string   `json:"resourceShareArn,omitempty"`
	TagKeys          []string `json:"tagKeys" required:"true"`
	ResourceArn      string   `json:"resourceArn,omitempty"`
}

// EmptyOutput is the answer of operations that return nothing.
type EmptyOutput struct{}
