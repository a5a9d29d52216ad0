package ram

import (
	"context"
	"errors"
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// Customer managed permissions: created for one resource type from a policy template
// that narrows what the type allows, versioned (at most five versions, one of them the
// default that new shares get), deleted once no share uses them.

func (s *Service) createPermission(ctx context.Context, in *CreatePermissionInput) (*CreatePermissionOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	typ := s.types.byName(in.ResourceType)
	if typ == nil || typ.Name != in.ResourceType {
		return nil, invalidParameter("%s is not a resource type RAM shares here; the types are %s.", in.ResourceType, s.types.names())
	}
	if _, perr := parseTemplate(in.PolicyTemplate, typ); perr != nil {
		return nil, perr
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &CreatePermissionOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "CreatePermission", in.ClientToken, in, out, func() error {
			n, err := tx.CountRAMPermissions(account)
			if err != nil {
				return err
			}
			if n >= maxPermissionsPerAccount {
				return permissionLimitExceeded("The account has %d customer managed permissions, the most it can have.", n)
			}
			now := s.now()
			p := &store.RAMPermission{ARN: s.permissionARN(account, in.Name), OwnerAccount: account, Name: in.Name,
				ResourceType: typ.Name, FeatureSet: standard, Status: attachable, DefaultVersion: 1, LastVersion: 1,
				CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateRAMPermission(p); errors.Is(err, store.ErrExists) {
				return permissionAlreadyExists("A permission named %s exists in this account.", in.Name)
			} else if err != nil {
				return err
			}
			if err := tx.PutRAMPermissionVersion(&store.RAMPermissionVersion{PermissionARN: p.ARN, Version: 1,
				Template: in.PolicyTemplate, Status: attachable, CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
			if err := setNewTags(tx, p.ARN, in.Tags); err != nil {
				return err
			}
			sum, err := s.summary(tx, s.storedPerm(p), 0, true)
			out.Permission, out.ClientToken = &sum, token
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// customerPermission finds one of the caller's customer managed permissions.
func (s *Service) customerPermission(tx txn, account, permissionARN string) (*perm, error) {
	p, err := s.permission(tx, account, permissionARN)
	if err != nil {
		return nil, err
	}
	if p.stored == nil {
		return nil, operationNotPermitted("%s is an AWS managed permission; only customer managed permissions can be changed.", permissionARN)
	}
	if p.typ == nil {
		return nil, operationNotPermitted("The permission %s is for %s, which RAM no longer shares here.", permissionARN, p.ResourceType)
	}
	return p, nil
}

func (s *Service) createPermissionVersion(ctx context.Context, in *CreatePermissionVersionInput) (*CreatePermissionVersionOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &CreatePermissionVersionOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "CreatePermissionVersion", in.ClientToken, in, out, func() error {
			p, err := s.customerPermission(tx, account, in.PermissionArn)
			if err != nil {
				return err
			}
			if _, perr := parseTemplate(in.PolicyTemplate, p.typ); perr != nil {
				return perr
			}
			versions, err := tx.ListRAMPermissionVersions(p.ARN)
			if err != nil {
				return err
			}
			if len(versions) >= maxPermissionVersions {
				return permissionVersionsLimitExceeded("The permission %s has %d versions, the most it can have; delete one first.", p.ARN, len(versions))
			}
			now := s.now()
			sp := p.stored
			sp.LastVersion++
			sp.DefaultVersion, sp.UpdatedAt = sp.LastVersion, now
			if err := tx.PutRAMPermissionVersion(&store.RAMPermissionVersion{PermissionARN: p.ARN, Version: sp.LastVersion,
				Template: in.PolicyTemplate, Status: attachable, CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
			if err := tx.UpdateRAMPermission(sp); err != nil {
				return err
			}
			out.Permission, err = s.detail(tx, s.storedPerm(sp), 0)
			out.ClientToken = token
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) deletePermission(ctx context.Context, in *DeletePermissionInput) (*DeletePermissionOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &DeletePermissionOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "DeletePermission", in.ClientToken, in, out, func() error {
			p, err := s.customerPermission(tx, account, in.PermissionArn)
			if err != nil {
				return err
			}
			uses, err := tx.RAMPermissionUses(p.ARN)
			if err != nil {
				return err
			}
			if len(uses) > 0 {
				return operationNotPermitted("The permission %s is attached to %d resource shares (%s first); replace it there before deleting it.",
					p.ARN, len(uses), uses[0].ShareARN)
			}
			if err := tx.DeleteRAMPermission(p.ARN); err != nil {
				return err
			}
			*out = DeletePermissionOutput{ReturnValue: true, ClientToken: token, PermissionStatus: "DELETED"}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) deletePermissionVersion(ctx context.Context, in *DeletePermissionVersionInput) (*DeletePermissionOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &DeletePermissionOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "DeletePermissionVersion", in.ClientToken, in, out, func() error {
			p, err := s.customerPermission(tx, account, in.PermissionArn)
			if err != nil {
				return err
			}
			version := int(*in.PermissionVersion)
			if _, err := tx.RAMPermissionVersion(p.ARN, version); isNotFound(err) {
				return unknownResource("The permission %s has no version %d.", p.ARN, version)
			} else if err != nil {
				return err
			}
			if version == p.DefaultVersion {
				return invalidParameter("Version %d is the default version of %s; make another version the default first.", version, p.ARN)
			}
			uses, err := tx.RAMPermissionUses(p.ARN)
			if err != nil {
				return err
			}
			for _, u := range uses {
				if u.PermissionVersion == version {
					return operationNotPermitted("Version %d of %s is attached to the resource share %s; replace it there first.", version, p.ARN, u.ShareARN)
				}
			}
			if err := tx.DeleteRAMPermissionVersion(p.ARN, version); err != nil {
				return err
			}
			*out = DeletePermissionOutput{ReturnValue: true, ClientToken: token, PermissionStatus: p.Status}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) setDefaultPermissionVersion(ctx context.Context, in *SetDefaultPermissionVersionInput) (*ReturnValueOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &ReturnValueOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "SetDefaultPermissionVersion", in.ClientToken, in, out, func() error {
			p, err := s.customerPermission(tx, account, in.PermissionArn)
			if err != nil {
				return err
			}
			version := int(*in.PermissionVersion)
			if _, err := tx.RAMPermissionVersion(p.ARN, version); isNotFound(err) {
				return unknownResource("The permission %s has no version %d.", p.ARN, version)
			} else if err != nil {
				return err
			}
			p.stored.DefaultVersion, p.stored.UpdatedAt = version, s.now()
			if err := tx.UpdateRAMPermission(p.stored); err != nil {
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

// promotePermissionCreatedFromPolicy promotes a permission RAM made from a resource
// policy. Cairn's shareable resources take no resource policies of their own, so no such
// permission exists: every permission is STANDARD already.
func (s *Service) promotePermissionCreatedFromPolicy(ctx context.Context, in *PromotePermissionCreatedFromPolicyInput) (*PromotePermissionCreatedFromPolicyOutput, error) {
	if _, err := s.clientToken(in.ClientToken); err != nil {
		return nil, err
	}
	err := s.store.View(ctx, func(tx txn) error {
		p, err := s.permission(tx, caller(ctx).Account, in.PermissionArn)
		if err != nil {
			return err
		}
		return operationNotPermitted("The permission %s has featureSet %s; only a CREATED_FROM_POLICY permission can be promoted.", p.ARN, p.FeatureSet)
	})
	return nil, err
}

// checkTags checks tags given to a share or a permission.
func checkTags(tags []Tag) error {
	if len(tags) > maxTags {
		return tagLimitExceeded("A resource can have at most %d tags; the request gives %d.", maxTags, len(tags))
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.Key == "" || len(t.Key) > 128:
			return invalidParameter("A tag key must be 1 to 128 characters long.")
		case len(t.Value) > 256:
			return invalidParameter("The value of tag %s is longer than 256 characters.", t.Key)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return invalidParameter("The tag key %s uses the reserved prefix aws:.", t.Key)
		case seen[t.Key]:
			return invalidParameter("The tag key %s is given twice.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

func storeTags(tags []Tag) []store.Tag {
	out := make([]store.Tag, len(tags))
	for i, t := range tags {
		out[i] = store.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}
