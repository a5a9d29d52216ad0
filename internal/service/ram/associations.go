package ram

import (
	"context"
	"time"

	"github.com/cairnhq/cairn/internal/arn"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Associations are asynchronous, as in AWS: a new one is ASSOCIATING until the
// configured delay passes (then ASSOCIATED, and a principal that must accept gets its
// invitation), a removed one DISASSOCIATING until it is DISASSOCIATED. Removal takes
// effect on the share's policies at once.

// associate adds members to a share and returns their associations. A member already
// associated (or being associated) is left as it is.
func (s *Service) associate(tx txn, share *store.RAMShare, members []member, now time.Time, e *effects) ([]*store.RAMAssociation, error) {
	var out []*store.RAMAssociation
	for _, m := range members {
		a, err := tx.RAMAssociation(share.ARN, m.typ, m.entity)
		if err == nil && (a.Status == store.RAMAssociated || a.Status == store.RAMAssociating) {
			out = append(out, a)
			continue
		}
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		if m.resType != nil {
			if err := s.ensurePermission(tx, share.ARN, m.resType, now); err != nil {
				return nil, err
			}
		}
		a = &store.RAMAssociation{ShareARN: share.ARN, Type: m.typ, Entity: m.entity, Kind: m.kind, Account: m.account,
			OwnerAccount: share.OwnerAccount, Status: store.RAMAssociating, External: m.external, Invite: m.invite,
			CreatedAt: now, UpdatedAt: now}
		if err := s.pend(tx, a, now, e); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// ensurePermission gives a share the default permission of a type it has none for.
func (s *Service) ensurePermission(tx txn, shareARN string, typ *ResourceType, now time.Time) error {
	sps, err := tx.RAMSharePermissions(shareARN)
	if err != nil {
		return err
	}
	for _, sp := range sps {
		if sp.ResourceType == typ.Name {
			return nil
		}
	}
	return tx.PutRAMSharePermission(&store.RAMSharePermission{ShareARN: shareARN, ResourceType: typ.Name,
		PermissionARN: typ.defaultPermission().ARN(), PermissionVersion: 1, Status: store.RAMAssociated, CreatedAt: now, UpdatedAt: now})
}

// disassociate removes an association from a share: it stops granting at once and is
// DISASSOCIATED after the delay.
func (s *Service) disassociate(tx txn, a *store.RAMAssociation, now time.Time, e *effects) error {
	a.Status, a.StatusMessage, a.UpdatedAt = store.RAMDisassociating, "", now
	if a.Type == store.RAMPrincipal {
		if err := tx.DeleteRAMInvitations(a.ShareARN, a.Entity); err != nil {
			return err
		}
		if err := e.share(tx, a.ShareARN); err != nil {
			return err
		}
	}
	if a.Type == store.RAMResource {
		e.resource(a.Entity)
	}
	return s.pend(tx, a, now, e)
}

func (s *Service) associationsAccess(ctx context.Context, shareARN string, principals, resources []string) (*operation.Access, error) {
	a, err := s.ownShareAccess(ctx, shareARN, nil)
	if err != nil {
		return nil, err
	}
	s.itemAccess(a, principals, resources)
	return a, nil
}

func (s *Service) associateResourceShare(ctx context.Context, in *AssociateResourceShareInput) (*AssociateResourceShareOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	if len(in.ResourceArns) == 0 && len(in.Principals) == 0 && len(in.Sources) == 0 {
		return nil, invalidParameter("Give resourceArns, principals or sources to associate.")
	}
	account := caller(ctx).Account
	out := &AssociateResourceShareOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "AssociateResourceShare", in.ClientToken, in, out, func() error {
			share, err := s.ownShare(tx, account, in.ResourceShareArn)
			if err != nil {
				return err
			}
			if share.Status != "ACTIVE" {
				return invalidStateTransition("The resource share %s is %s.", share.ARN, share.Status)
			}
			members, err := s.members(tx, share, in.ResourceArns, in.Principals, in.Sources)
			if err != nil {
				return err
			}
			now := s.now()
			e := newEffects()
			assocs, err := s.associate(tx, share, members, now, e)
			if err != nil {
				return err
			}
			if err := s.apply(tx, e); err != nil {
				return err
			}
			out.ResourceShareAssociations = make([]ResourceShareAssociation, len(assocs))
			for i, a := range assocs {
				out.ResourceShareAssociations[i] = wireAssociation(a, share.Name)
			}
			out.ClientToken = token
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// members resolves what a request asks a share to hold.
func (s *Service) members(tx txn, share *store.RAMShare, resources, principals, sources []string) ([]member, error) {
	org, err := s.organization(tx)
	if err != nil {
		return nil, err
	}
	res, err := s.resolveResources(tx, share.OwnerAccount, resources)
	if err != nil {
		return nil, err
	}
	ps, err := s.resolvePrincipals(tx, org, share, principals)
	if err != nil {
		return nil, err
	}
	srcs, err := resolveSources(sources)
	if err != nil {
		return nil, err
	}
	return append(append(res, ps...), srcs...), nil
}

func (s *Service) disassociateResourceShare(ctx context.Context, in *AssociateResourceShareInput) (*AssociateResourceShareOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	if len(in.ResourceArns) == 0 && len(in.Principals) == 0 && len(in.Sources) == 0 {
		return nil, invalidParameter("Give resourceArns, principals or sources to disassociate.")
	}
	account := caller(ctx).Account
	out := &AssociateResourceShareOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "DisassociateResourceShare", in.ClientToken, in, out, func() error {
			share, err := s.ownShare(tx, account, in.ResourceShareArn)
			if err != nil {
				return err
			}
			if share.Status != "ACTIVE" {
				return invalidStateTransition("The resource share %s is %s.", share.ARN, share.Status)
			}
			var keys []struct{ typ, entity string }
			for _, r := range in.ResourceArns {
				entity := r
				if _, ref, ok := s.types.resolve(r); ok {
					entity = ref.ARN
				}
				keys = append(keys, struct{ typ, entity string }{store.RAMResource, entity})
			}
			for _, p := range in.Principals {
				pp, perr := parsePrincipal(p)
				if perr != nil {
					return perr
				}
				keys = append(keys, struct{ typ, entity string }{store.RAMPrincipal, pp.ID})
			}
			for _, src := range in.Sources {
				keys = append(keys, struct{ typ, entity string }{store.RAMSource, src})
			}
			now := s.now()
			e := newEffects()
			for _, k := range keys {
				a, err := tx.RAMAssociation(share.ARN, k.typ, k.entity)
				if isNotFound(err) || err == nil && a.Status != store.RAMAssociated && a.Status != store.RAMAssociating {
					return unknownResource("%s is not associated with the resource share %s.", k.entity, share.ARN)
				}
				if err != nil {
					return err
				}
				if err := s.disassociate(tx, a, now, e); err != nil {
					return err
				}
				out.ResourceShareAssociations = append(out.ResourceShareAssociations, wireAssociation(a, share.Name))
			}
			if err := s.apply(tx, e); err != nil {
				return err
			}
			out.ClientToken = token
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// getResourceShareAssociations lists the associations of the caller's shares, in pages
// read from the store in key order.
func (s *Service) getResourceShareAssociations(ctx context.Context, in *GetResourceShareAssociationsInput) (*GetResourceShareAssociationsOutput, error) {
	if in.ResourceArn != "" && in.AssociationType != store.RAMResource {
		return nil, invalidParameter("resourceArn filters RESOURCE associations only.")
	}
	if in.Principal != "" && in.AssociationType != store.RAMPrincipal {
		return nil, invalidParameter("principal filters PRINCIPAL associations only.")
	}
	after := ""
	if in.NextToken != nil {
		var err error
		if after, err = operation.AfterKey(*in.NextToken); err != nil {
			return nil, invalidNextToken("The nextToken is not one this operation returned.")
		}
	}
	for _, a := range in.ResourceShareArns {
		if err := s.checkShareARN(a); err != nil {
			return nil, err
		}
	}
	q := store.RAMAssociationQuery{Type: in.AssociationType, Owner: caller(ctx).Account, ShareARNs: in.ResourceShareArns,
		Status: in.AssociationStatus}
	switch {
	case in.ResourceArn != "":
		q.Entity = in.ResourceArn
		if _, ref, ok := s.types.resolve(in.ResourceArn); ok {
			q.Entity = ref.ARN
		}
	case in.Principal != "" && !orgIDRE.MatchString(in.Principal) && !ouIDRE.MatchString(in.Principal):
		p, perr := parsePrincipal(in.Principal)
		if perr != nil {
			return nil, perr
		}
		q.Entity = p.ID
	}
	limit := pageSize(in.MaxResults)
	out := &GetResourceShareAssociationsOutput{ResourceShareAssociations: []ResourceShareAssociation{}}
	err := s.store.View(ctx, func(tx txn) error {
		if q.Entity == "" && in.Principal != "" {
			// An organization or OU given by its ID, as the model allows.
			org, err := s.organization(tx)
			if err != nil {
				return err
			}
			switch {
			case org.org == nil:
				return nil
			case orgIDRE.MatchString(in.Principal):
				q.Entity = arn.Organization(org.org.ManagementAccountID, in.Principal)
			default:
				q.Entity = org.ouARN(in.Principal)
			}
		}
		list, err := tx.ListRAMAssociationsNamed(q, store.Page{After: after, Limit: limit + 1})
		if err != nil {
			return err
		}
		list, next := operation.Keyed(list, limit, func(a store.RAMNamedAssociation) string { return a.ShareARN + " " + a.Entity })
		for _, a := range list {
			out.ResourceShareAssociations = append(out.ResourceShareAssociations, wireAssociation(a.RAMAssociation, a.ShareName))
		}
		if next != "" {
			out.NextToken = &next
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
