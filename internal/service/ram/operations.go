package ram

import (
	"context"

	"github.com/cairnhq/cairn/internal/operation"
)

// operations declares the 35 operations of the model.
func (s *Service) operations() []*operation.Operation {
	return []*operation.Operation{
		// Resource shares.
		operation.Declare(operation.Op[CreateResourceShareInput, CreateResourceShareOutput]{
			Name: "CreateResourceShare", Route: post("CreateResourceShare"),
			Access: s.createResourceShareAccess, Handler: handle(s, s.createResourceShare),
		}),
		operation.Declare(operation.Op[UpdateResourceShareInput, UpdateResourceShareOutput]{
			Name: "UpdateResourceShare", Route: post("UpdateResourceShare"),
			Access: s.updateResourceShareAccess, Handler: handle(s, s.updateResourceShare),
		}),
		operation.Declare(operation.Op[DeleteResourceShareInput, ReturnValueOutput]{
			Name: "DeleteResourceShare", Route: del("DeleteResourceShare"),
			Access: func(ctx context.Context, in *DeleteResourceShareInput) (*operation.Access, error) {
				return s.ownShareAccess(ctx, in.ResourceShareArn, nil)
			},
			Handler: handle(s, s.deleteResourceShare),
		}),
		operation.Declare(operation.Op[GetResourceSharesInput, GetResourceSharesOutput]{
			Name: "GetResourceShares", Route: post("GetResourceShares"), Handler: handle(s, s.getResourceShares),
		}),

		// Associations.
		operation.Declare(operation.Op[AssociateResourceShareInput, AssociateResourceShareOutput]{
			Name: "AssociateResourceShare", Route: post("AssociateResourceShare"),
			Access: func(ctx context.Context, in *AssociateResourceShareInput) (*operation.Access, error) {
				return s.associationsAccess(ctx, in.ResourceShareArn, in.Principals, in.ResourceArns)
			},
			Handler: handle(s, s.associateResourceShare),
		}),
		operation.Declare(operation.Op[AssociateResourceShareInput, AssociateResourceShareOutput]{
			Name: "DisassociateResourceShare", Route: post("DisassociateResourceShare"),
			Access: func(ctx context.Context, in *AssociateResourceShareInput) (*operation.Access, error) {
				return s.associationsAccess(ctx, in.ResourceShareArn, in.Principals, in.ResourceArns)
			},
			Handler: handle(s, s.disassociateResourceShare),
		}),
		operation.Declare(operation.Op[GetResourceShareAssociationsInput, GetResourceShareAssociationsOutput]{
			Name: "GetResourceShareAssociations", Route: post("GetResourceShareAssociations"),
			Handler: handle(s, s.getResourceShareAssociations),
		}),

		// Invitations.
		operation.Declare(operation.Op[GetResourceShareInvitationsInput, GetResourceShareInvitationsOutput]{
			Name: "GetResourceShareInvitations", Route: post("GetResourceShareInvitations"),
			Handler: handle(s, s.getResourceShareInvitations),
		}),
		operation.Declare(operation.Op[InvitationInput, InvitationOutput]{
			Name: "AcceptResourceShareInvitation", Route: post("AcceptResourceShareInvitation"),
			Access: func(ctx context.Context, in *InvitationInput) (*operation.Access, error) {
				return s.invitationAccess(ctx, in.ResourceShareInvitationArn)
			},
			Handler: handle(s, s.acceptResourceShareInvitation),
		}),
		operation.Declare(operation.Op[InvitationInput, InvitationOutput]{
			Name: "RejectResourceShareInvitation", Route: post("RejectResourceShareInvitation"),
			Access: func(ctx context.Context, in *InvitationInput) (*operation.Access, error) {
				return s.invitationAccess(ctx, in.ResourceShareInvitationArn)
			},
			Handler: handle(s, s.rejectResourceShareInvitation),
		}),
		operation.Declare(operation.Op[ListPendingInvitationResourcesInput, ResourcesOutput]{
			Name: "ListPendingInvitationResources", Route: post("ListPendingInvitationResources"),
			Access: func(ctx context.Context, in *ListPendingInvitationResourcesInput) (*operation.Access, error) {
				return s.invitationAccess(ctx, in.ResourceShareInvitationArn)
			},
			Handler: handle(s, s.listPendingInvitationResources),
		}),

		// What is shared.
		operation.Declare(operation.Op[ListResourcesInput, ResourcesOutput]{
			Name: "ListResources", Route: post("ListResources"), Handler: handle(s, s.listResources),
		}),
		operation.Declare(operation.Op[ListPrincipalsInput, ListPrincipalsOutput]{
			Name: "ListPrincipals", Route: post("ListPrincipals"), Handler: handle(s, s.listPrincipals),
		}),
		operation.Declare(operation.Op[ListResourceTypesInput, ListResourceTypesOutput]{
			Name: "ListResourceTypes", Route: post("ListResourceTypes"), Handler: handle(s, s.listResourceTypes),
		}),
		operation.Declare(operation.Op[GetResourcePoliciesInput, GetResourcePoliciesOutput]{
			Name: "GetResourcePolicies", Route: post("GetResourcePolicies"), Handler: handle(s, s.getResourcePolicies),
		}),
		operation.Declare(operation.Op[ListSourceAssociationsInput, ListSourceAssociationsOutput]{
			Name: "ListSourceAssociations", Route: post("ListSourceAssociations"), Handler: handle(s, s.listSourceAssociations),
		}),

		// Permissions.
		operation.Declare(operation.Op[ListPermissionsInput, PermissionsOutput]{
			Name: "ListPermissions", Route: post("ListPermissions"), Handler: handle(s, s.listPermissions),
		}),
		operation.Declare(operation.Op[GetPermissionInput, GetPermissionOutput]{
			Name: "GetPermission", Route: post("GetPermission"),
			Access: func(ctx context.Context, in *GetPermissionInput) (*operation.Access, error) {
				return s.permissionAccess(ctx, "", false, in.PermissionArn)
			},
			Handler: handle(s, s.getPermission),
		}),
		operation.Declare(operation.Op[ListPermissionVersionsInput, PermissionsOutput]{
			Name: "ListPermissionVersions", Route: post("ListPermissionVersions"), Handler: handle(s, s.listPermissionVersions),
		}),
		operation.Declare(operation.Op[CreatePermissionInput, CreatePermissionOutput]{
			Name: "CreatePermission", Route: post("CreatePermission"),
			Access: func(ctx context.Context, in *CreatePermissionInput) (*operation.Access, error) {
				keys := tagKeys(in.Tags, map[string][]string{"ram:PermissionResourceType": {in.ResourceType}})
				a := &operation.Access{Context: keys}
				if len(in.Tags) > 0 {
					a.Implied = append(a.Implied, operation.Access{Action: "ram:TagResource", Context: tagKeys(in.Tags, nil)})
				}
				return a, nil
			},
			Handler: handle(s, s.createPermission),
		}),
		operation.Declare(operation.Op[CreatePermissionVersionInput, CreatePermissionVersionOutput]{
			Name: "CreatePermissionVersion", Route: post("CreatePermissionVersion"),
			Access: func(ctx context.Context, in *CreatePermissionVersionInput) (*operation.Access, error) {
				return s.permissionAccess(ctx, "", true, in.PermissionArn)
			},
			Handler: handle(s, s.createPermissionVersion),
		}),
		operation.Declare(operation.Op[DeletePermissionInput, DeletePermissionOutput]{
			Name: "DeletePermission", Route: del("DeletePermission"),
			Access: func(ctx context.Context, in *DeletePermissionInput) (*operation.Access, error) {
				return s.permissionAccess(ctx, "", true, in.PermissionArn)
			},
			Handler: handle(s, s.deletePermission),
		}),
		operation.Declare(operation.Op[DeletePermissionVersionInput, DeletePermissionOutput]{
			Name: "DeletePermissionVersion", Route: del("DeletePermissionVersion"),
			Access: func(ctx context.Context, in *DeletePermissionVersionInput) (*operation.Access, error) {
				return s.permissionAccess(ctx, "", true, in.PermissionArn)
			},
			Handler: handle(s, s.deletePermissionVersion),
		}),
		operation.Declare(operation.Op[SetDefaultPermissionVersionInput, ReturnValueOutput]{
			Name: "SetDefaultPermissionVersion", Route: post("SetDefaultPermissionVersion"),
			Access: func(ctx context.Context, in *SetDefaultPermissionVersionInput) (*operation.Access, error) {
				return s.permissionAccess(ctx, "", true, in.PermissionArn)
			},
			Handler: handle(s, s.setDefaultPermissionVersion),
		}),
		operation.Declare(operation.Op[PromotePermissionCreatedFromPolicyInput, PromotePermissionCreatedFromPolicyOutput]{
			Name: "PromotePermissionCreatedFromPolicy", Route: post("PromotePermissionCreatedFromPolicy"),
			Access: func(ctx context.Context, in *PromotePermissionCreatedFromPolicyInput) (*operation.Access, error) {
				return s.permissionAccess(ctx, "", false, in.PermissionArn)
			},
			Handler: handle(s, s.promotePermissionCreatedFromPolicy),
		}),

		// The permissions of shares.
		operation.Declare(operation.Op[ListResourceSharePermissionsInput, PermissionsOutput]{
			Name: "ListResourceSharePermissions", Route: post("ListResourceSharePermissions"),
			Access: s.listResourceSharePermissionsAccess, Handler: handle(s, s.listResourceSharePermissions),
		}),
		operation.Declare(operation.Op[AssociateResourceSharePermissionInput, ReturnValueOutput]{
			Name: "AssociateResourceSharePermission", Route: post("AssociateResourceSharePermission"),
			Access: func(ctx context.Context, in *AssociateResourceSharePermissionInput) (*operation.Access, error) {
				return s.permissionAccess(ctx, in.ResourceShareArn, false, in.PermissionArn)
			},
			Handler: handle(s, s.associateResourceSharePermission),
		}),
		operation.Declare(operation.Op[DisassociateResourceSharePermissionInput, ReturnValueOutput]{
			Name: "DisassociateResourceSharePermission", Route: post("DisassociateResourceSharePermission"),
			Access: func(ctx context.Context, in *DisassociateResourceSharePermissionInput) (*operation.Access, error) {
				return s.permissionAccess(ctx, in.ResourceShareArn, false, in.PermissionArn)
			},
			Handler: handle(s, s.disassociateResourceSharePermission),
		}),
		operation.Declare(operation.Op[ListPermissionAssociationsInput, ListPermissionAssociationsOutput]{
			Name: "ListPermissionAssociations", Route: post("ListPermissionAssociations"),
			Access: func(ctx context.Context, in *ListPermissionAssociationsInput) (*operation.Access, error) {
				if in.PermissionArn == "" {
					return &operation.Access{}, nil
				}
				return s.permissionAccess(ctx, "", false, in.PermissionArn)
			},
			Handler: handle(s, s.listPermissionAssociations),
		}),
		operation.Declare(operation.Op[ReplacePermissionAssociationsInput, ReplacePermissionAssociationsOutput]{
			Name: "ReplacePermissionAssociations", Route: post("ReplacePermissionAssociations"),
			Access: s.replacePermissionAssociationsAccess, Handler: handle(s, s.replacePermissionAssociations),
		}),
		operation.Declare(operation.Op[ListReplacePermissionAssociationsWorkInput, ListReplacePermissionAssociationsWorkOutput]{
			Name: "ListReplacePermissionAssociationsWork", Route: post("ListReplacePermissionAssociationsWork"),
			Handler: handle(s, s.listReplacePermissionAssociationsWork),
		}),
		operation.Declare(operation.Op[PromoteResourceShareCreatedFromPolicyInput, PromoteResourceShareCreatedFromPolicyOutput]{
			Name: "PromoteResourceShareCreatedFromPolicy", Route: post("PromoteResourceShareCreatedFromPolicy"),
			Access: func(ctx context.Context, in *PromoteResourceShareCreatedFromPolicyInput) (*operation.Access, error) {
				return s.ownShareAccess(ctx, in.ResourceShareArn, nil)
			},
			Handler: handle(s, s.promoteResourceShareCreatedFromPolicy),
		}),

		// The organization and tags.
		operation.Declare(operation.Op[EnableSharingWithAwsOrganizationInput, ReturnValueOutput]{
			Name: "EnableSharingWithAwsOrganization", Route: post("EnableSharingWithAwsOrganization"),
			Handler: handle(s, s.enableSharingWithAwsOrganization),
		}),
		operation.Declare(operation.Op[TagResourceInput, EmptyOutput]{
			Name: "TagResource", Route: post("TagResource"),
			Access: func(ctx context.Context, in *TagResourceInput) (*operation.Access, error) {
				return s.tagAccess(ctx, in.ResourceShareArn, in.ResourceArn, tagKeys(in.Tags, nil))
			},
			Handler: handle(s, s.tagResource),
		}),
		operation.Declare(operation.Op[UntagResourceInput, EmptyOutput]{
			Name: "UntagResource", Route: post("UntagResource"),
			Access: func(ctx context.Context, in *UntagResourceInput) (*operation.Access, error) {
				return s.tagAccess(ctx, in.ResourceShareArn, in.ResourceArn, map[string][]string{"aws:TagKeys": in.TagKeys})
			},
			Handler: handle(s, s.untagResource),
		}),
	}
}
