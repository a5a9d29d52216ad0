package ram

import (
	"context"
	"strconv"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// A share grants, for each resource type it holds, one permission (a version of it).
// Changing it rewrites the policies of the share's resources of that type in the same
// transaction: the change holds from the next request.

// listResourceSharePermissions lists the permissions of a share the caller owns or that
// reaches it.
func (s *Service) listResourceSharePermissions(ctx context.Context, in *ListResourceSharePermissionsInput) (*PermissionsOutput, error) {
	account := caller(ctx).Account
	out := &PermissionsOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		share, err := s.visibleShare(tx, account, in.ResourceShareArn)
		if err != nil {
			return err
		}
		sps, err := tx.RAMSharePermissions(share.ARN)
		if err != nil {
			return err
		}
		var list []ResourceSharePermissionSummary
		for _, sp := range sps {
			p, err := s.permissionOf(tx, share.OwnerAccount, sp.PermissionARN)
			if err != nil {
				return err
			}
			sum, err := s.summary(tx, p, sp.PermissionVersion, false)
			if err != nil {
				return err
			}
			sum.Status, sum.LastUpdatedTime = sp.Status, ts(sp.UpdatedAt)
			list = append(list, sum)
		}
		out.Permissions, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// visibleShare returns a share the account owns or that reaches it.
func (s *Service) visibleShare(tx txn, account, shareARN string) (*store.RAMShare, error) {
	if err := s.checkShareARN(shareARN); err != nil {
		return nil, err
	}
	share, err := tx.RAMShare(shareARN)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	if err == nil && share.OwnerAccount == account {
		return share, nil
	}
	r, err := s.receivedShare(tx, account, shareARN)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, unknownResource("The resource share %s does not exist or is not shared with this account.", shareARN)
	}
	return r.share, nil
}

// permissionOf finds a permission a share of owner uses.
func (s *Service) permissionOf(tx txn, owner, permissionARN string) (*perm, error) {
	return s.permission(tx, owner, permissionARN)
}

func (s *Service) listResourceSharePermissionsAccess(ctx context.Context, in *ListResourceSharePermissionsInput) (*operation.Access, error) {
	account := caller(ctx).Account
	keys := map[string][]string{}
	a := &operation.Access{Context: keys}
	err := s.store.View(ctx, func(tx txn) error {
		share, err := s.visibleShare(tx, account, in.ResourceShareArn)
		if err != nil {
			return err
		}
		r, err := shareResource(tx, share, account, keys)
		a.Resources = []operation.Resource{r}
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) associateResourceSharePermission(ctx context.Context, in *AssociateResourceSharePermissionInput) (*ReturnValueOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &ReturnValueOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "AssociateResourceSharePermission", in.ClientToken, in, out, func() error {
			share, err := s.ownShare(tx, account, in.ResourceShareArn)
			if err != nil {
				return err
			}
			if share.Status != "ACTIVE" {
				return invalidParameter("The resource share %s is %s.", share.ARN, share.Status)
			}
			p, err := s.permission(tx, account, in.PermissionArn)
			if err != nil {
				return err
			}
			if p.typ == nil || p.Status != attachable {
				return invalidParameter("The permission %s can't be attached.", p.ARN)
			}
			version := p.DefaultVersion
			if in.PermissionVersion != nil && int(*in.PermissionVersion) != version {
				return invalidParameter("Only the default version (%d) of %s can be attached; you gave %d.", version, p.ARN, *in.PermissionVersion)
			}
			sps, err := tx.RAMSharePermissions(share.ARN)
			if err != nil {
				return err
			}
			now := s.now()
			sp := &store.RAMSharePermission{ShareARN: share.ARN, ResourceType: p.ResourceType, PermissionARN: p.ARN,
				PermissionVersion: version, Status: store.RAMAssociated, CreatedAt: now, UpdatedAt: now}
			for _, cur := range sps {
				if cur.ResourceType != p.ResourceType {
					continue
				}
				if cur.PermissionARN == p.ARN && cur.PermissionVersion == version {
					*out = ReturnValueOutput{ReturnValue: true, ClientToken: token}
					return nil
				}
				if in.Replace == nil || !*in.Replace {
					return invalidParameter("The resource share %s already has the permission %s for %s; set replace to true to replace it.",
						share.ARN, cur.PermissionARN, p.ResourceType)
				}
				sp.CreatedAt = cur.CreatedAt
			}
			if err := tx.PutRAMSharePermission(sp); err != nil {
				return err
			}
			e := newEffects()
			if err := e.share(tx, share.ARN); err != nil {
				return err
			}
			if err := s.apply(tx, e); err != nil {
				return err
			}
			*out = ReturnValueOutput{ReturnValue: true, ClientToken: token}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) disassociateResourceSharePermission(ctx context.Context, in *DisassociateResourceSharePermissionInput) (*ReturnValueOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &ReturnValueOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "DisassociateResourceSharePermission", in.ClientToken, in, out, func() error {
			share, err := s.ownShare(tx, account, in.ResourceShareArn)
			if err != nil {
				return err
			}
			if share.Status != "ACTIVE" {
				return invalidStateTransition("The resource share %s is %s.", share.ARN, share.Status)
			}
			p, err := s.permission(tx, account, in.PermissionArn)
			if err != nil {
				return err
			}
			sps, err := tx.RAMSharePermissions(share.ARN)
			if err != nil {
				return err
			}
			found := false
			for _, sp := range sps {
				found = found || sp.PermissionARN == p.ARN
			}
			if !found {
				return unknownResource("The permission %s is not associated with the resource share %s.", p.ARN, share.ARN)
			}
			resources, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMResource, ShareARNs: []string{share.ARN}}, store.Page{})
			if err != nil {
				return err
			}
			for _, r := range resources {
				if r.Kind == p.ResourceType && (r.Status == store.RAMAssociated || r.Status == store.RAMAssociating) {
					return operationNotPermitted("The resource share %s holds %s resources (%s); a permission can be removed only when it holds none.",
						share.ARN, p.ResourceType, r.Entity)
				}
			}
			if err := tx.DeleteRAMSharePermission(share.ARN, p.ResourceType); err != nil {
				return err
			}
			*out = ReturnValueOutput{ReturnValue: true, ClientToken: token}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// listPermissionAssociations lists which of the caller's shares use which permission.
func (s *Service) listPermissionAssociations(ctx context.Context, in *ListPermissionAssociationsInput) (*ListPermissionAssociationsOutput, error) {
	typ, err := s.checkType(in.ResourceType)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &ListPermissionAssociationsOutput{}
	err = s.store.View(ctx, func(tx txn) error {
		var perms []*perm
		if in.PermissionArn != "" {
			p, err := s.permission(tx, account, in.PermissionArn)
			if err != nil {
				return err
			}
			perms = []*perm{p}
		} else if perms, err = s.permissions(tx, account); err != nil {
			return err
		}
		list := []AssociatedPermission{}
		for _, p := range perms {
			uses, err := tx.RAMPermissionUses(p.ARN)
			if err != nil {
				return err
			}
			for _, u := range uses {
				share, err := tx.RAMShare(u.ShareARN)
				if err != nil {
					return err
				}
				isDefault := u.PermissionVersion == p.DefaultVersion
				switch {
				case share.OwnerAccount != account,
					in.PermissionVersion != nil && int(*in.PermissionVersion) != u.PermissionVersion,
					in.AssociationStatus != "" && in.AssociationStatus != u.Status,
					typ != "" && typ != u.ResourceType,
					in.FeatureSet != "" && in.FeatureSet != share.FeatureSet,
					in.DefaultVersion != nil && *in.DefaultVersion && !isDefault:
					continue
				}
				list = append(list, AssociatedPermission{Arn: p.ARN, PermissionVersion: strconv.Itoa(u.PermissionVersion),
					DefaultVersion: boolp(isDefault), ResourceType: u.ResourceType, Status: u.Status, FeatureSet: share.FeatureSet,
					LastUpdatedTime: ts(u.UpdatedAt), ResourceShareArn: u.ShareARN})
			}
		}
		out.Permissions, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// promoteResourceShareCreatedFromPolicy promotes a share RAM made from a resource policy.
// Cairn's shareable resources take no resource policies of their own, so every share is
// STANDARD already.
func (s *Service) promoteResourceShareCreatedFromPolicy(ctx context.Context, in *PromoteResourceShareCreatedFromPolicyInput) (*PromoteResourceShareCreatedFromPolicyOutput, error) {
	err := s.store.View(ctx, func(tx txn) error {
		share, err := s.ownShare(tx, caller(ctx).Account, in.ResourceShareArn)
		if err != nil {
			return err
		}
		return operationNotPermitted("The resource share %s has featureSet %s; only a CREATED_FROM_POLICY share can be promoted.", share.ARN, share.FeatureSet)
	})
	return nil, err
}
