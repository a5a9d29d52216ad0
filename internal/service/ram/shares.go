package ram

import (
	"context"
	"strconv"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

func (s *Service) createResourceShareAccess(ctx context.Context, in *CreateResourceShareInput) (*operation.Access, error) {
	allow := in.AllowExternalPrincipals == nil || *in.AllowExternalPrincipals
	keys := tagKeys(in.Tags, map[string][]string{"ram:AllowsExternalPrincipals": {strconv.FormatBool(allow)}})
	if in.AllowExternalPrincipals != nil {
		keys["ram:RequestedAllowsExternalPrincipals"] = []string{strconv.FormatBool(allow)}
	}
	retain := in.ResourceShareConfiguration != nil && in.ResourceShareConfiguration.RetainSharingOnAccountLeaveOrganization != nil &&
		*in.ResourceShareConfiguration.RetainSharingOnAccountLeaveOrganization
	keys["ram:RetainSharingOnAccountLeaveOrganization"] = []string{strconv.FormatBool(retain)}
	a := &operation.Access{Context: keys}
	s.itemAccess(a, in.Principals, in.ResourceArns)
	if len(in.Tags) > 0 {
		a.Implied = append(a.Implied, operation.Access{Action: "ram:TagResource", Context: tagKeys(in.Tags, nil)})
	}
	return a, nil
}

func (s *Service) createResourceShare(ctx context.Context, in *CreateResourceShareInput) (*CreateResourceShareOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	owner := caller(ctx).Account
	out := &CreateResourceShareOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "CreateResourceShare", in.ClientToken, in, out, func() error {
			n, err := tx.CountRAMShares(owner)
			if err != nil {
				return err
			}
			if n >= maxSharesPerAccount {
				return shareLimitExceeded("The account has %d resource shares, the most it can have.", n)
			}
			id, err := s.newID()
			if err != nil {
				return err
			}
			now := s.now()
			share := &store.RAMShare{ARN: s.shareARN(owner, id), OwnerAccount: owner, Name: in.Name,
				AllowExternalPrincipals: in.AllowExternalPrincipals == nil || *in.AllowExternalPrincipals,
				Status:                  "ACTIVE", FeatureSet: standard, CreatedAt: now, UpdatedAt: now}
			if c := in.ResourceShareConfiguration; c != nil && c.RetainSharingOnAccountLeaveOrganization != nil {
				share.RetainOnLeave = *c.RetainSharingOnAccountLeaveOrganization
			}
			members, err := s.members(tx, share, in.ResourceArns, in.Principals, in.Sources)
			if err != nil {
				return err
			}
			perms, err := s.resolvePermissions(tx, owner, in.PermissionArns)
			if err != nil {
				return err
			}
			if err := tx.CreateRAMShare(share); err != nil {
				return err
			}
			if err := setNewTags(tx, share.ARN, in.Tags); err != nil {
				return err
			}
			for _, t := range sortedTypes(perms) {
				p := perms[t]
				if err := tx.PutRAMSharePermission(&store.RAMSharePermission{ShareARN: share.ARN, ResourceType: t, PermissionARN: p.ARN,
					PermissionVersion: p.DefaultVersion, Status: store.RAMAssociated, CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
			}
			e := newEffects()
			if _, err := s.associate(tx, share, members, now, e); err != nil {
				return err
			}
			if err := s.apply(tx, e); err != nil {
				return err
			}
			rs, err := wireShare(tx, share)
			out.ResourceShare, out.ClientToken = &rs, token
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) updateResourceShareAccess(ctx context.Context, in *UpdateResourceShareInput) (*operation.Access, error) {
	keys := map[string][]string{}
	if in.AllowExternalPrincipals != nil {
		keys["ram:RequestedAllowsExternalPrincipals"] = []string{strconv.FormatBool(*in.AllowExternalPrincipals)}
	}
	return s.ownShareAccess(ctx, in.ResourceShareArn, keys)
}

func (s *Service) updateResourceShare(ctx context.Context, in *UpdateResourceShareInput) (*UpdateResourceShareOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	if in.Name == nil && in.AllowExternalPrincipals == nil {
		return nil, missingRequiredParameter("Give a new name or allowExternalPrincipals.")
	}
	if in.Name != nil && *in.Name == "" {
		return nil, invalidParameter("The name of a resource share can't be empty.")
	}
	account := caller(ctx).Account
	out := &UpdateResourceShareOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "UpdateResourceShare", in.ClientToken, in, out, func() error {
			share, err := s.ownShare(tx, account, in.ResourceShareArn)
			if err != nil {
				return err
			}
			if share.Status == "DELETED" {
				return unknownResource("The resource share %s was deleted.", share.ARN)
			}
			if in.AllowExternalPrincipals != nil && !*in.AllowExternalPrincipals && share.AllowExternalPrincipals {
				external, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMPrincipal, ShareARNs: []string{share.ARN}}, store.Page{})
				if err != nil {
					return err
				}
				for _, a := range external {
					if a.External && (a.Status == store.RAMAssociated || a.Status == store.RAMAssociating) {
						return operationNotPermitted("The resource share %s is shared with %s, outside your organization; disassociate it first.", share.Name, a.Entity)
					}
				}
			}
			if in.Name != nil {
				share.Name = *in.Name
			}
			if in.AllowExternalPrincipals != nil {
				share.AllowExternalPrincipals = *in.AllowExternalPrincipals
			}
			share.UpdatedAt = s.now()
			if err := tx.UpdateRAMShare(share); err != nil {
				return err
			}
			rs, err := wireShare(tx, share)
			out.ResourceShare, out.ClientToken = &rs, token
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) deleteResourceShare(ctx context.Context, in *DeleteResourceShareInput) (*ReturnValueOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &ReturnValueOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "DeleteResourceShare", in.ClientToken, in, out, func() error {
			share, err := s.ownShare(tx, account, in.ResourceShareArn)
			if err != nil {
				return err
			}
			if share.Status == "DELETED" {
				return invalidStateTransition("The resource share %s is already deleted.", share.ARN)
			}
			now := s.now()
			share.Status, share.UpdatedAt = "DELETED", now
			if err := tx.UpdateRAMShare(share); err != nil {
				return err
			}
			// The share stays, DELETED; its tags go with it.
			if err := tx.SetTags(share.ARN, nil); err != nil {
				return err
			}
			assocs, err := tx.ListRAMAssociations(store.RAMAssociationQuery{ShareARNs: []string{share.ARN}}, store.Page{})
			if err != nil {
				return err
			}
			e := newEffects()
			for _, a := range assocs {
				if a.Status == store.RAMAssociated || a.Status == store.RAMAssociating {
					if err := s.disassociate(tx, a, now, e); err != nil {
						return err
					}
				}
			}
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

// getResourceShares lists the caller's shares (SELF, in pages read in ARN order from
// the store) or the shares that reach the caller's account (OTHER-ACCOUNTS).
func (s *Service) getResourceShares(ctx context.Context, in *GetResourceSharesInput) (*GetResourceSharesOutput, error) {
	for _, a := range in.ResourceShareArns {
		if err := s.checkShareARN(a); err != nil {
			return nil, err
		}
	}
	q := store.RAMShareQuery{ARNs: in.ResourceShareArns, Status: in.ResourceShareStatus, Name: in.Name, PermissionARN: in.PermissionArn}
	if in.PermissionArn != "" {
		if err := checkPermissionARN(in.PermissionArn); err != nil {
			return nil, err
		}
		if in.PermissionVersion != nil {
			q.PermissionVersion = int(*in.PermissionVersion)
		}
	}
	for _, f := range in.TagFilters {
		if f.TagKey == "" {
			return nil, invalidParameter("Every tag filter needs a tagKey.")
		}
		q.TagFilters = append(q.TagFilters, store.RAMTagFilter{Key: f.TagKey, Values: f.TagValues})
	}
	after := ""
	if in.NextToken != nil {
		var err error
		if after, err = operation.AfterKey(*in.NextToken); err != nil {
			return nil, invalidNextToken("The nextToken is not one this operation returned.")
		}
	}
	limit := pageSize(in.MaxResults)
	account := caller(ctx).Account
	out := &GetResourceSharesOutput{ResourceShares: []ResourceShare{}}
	err := s.store.View(ctx, func(tx txn) error {
		var shares []*store.RAMShare
		if in.ResourceOwner == "SELF" {
			q.Owner = account
			list, err := tx.ListRAMShares(q, store.Page{After: after, Limit: limit + 1})
			if err != nil {
				return err
			}
			var next string
			shares, next = operation.Keyed(list, limit, func(sh *store.RAMShare) string { return sh.ARN })
			if next != "" {
				out.NextToken = &next
			}
		} else {
			// Shares other accounts share with the caller, in ARN order: read a page at a
			// time from what reaches the account, never the whole list.
			got, err := s.receivedPage(tx, account, after, limit, func(sh *store.RAMShare) (bool, error) { return matchShare(tx, sh, q) })
			if err != nil {
				return err
			}
			page, next := operation.Keyed(got, limit, func(r received) string { return r.share.ARN })
			if next != "" {
				out.NextToken = &next
			}
			for _, r := range page {
				shares = append(shares, r.share)
			}
		}
		wired, err := wireShares(tx, shares)
		if err != nil {
			return err
		}
		out.ResourceShares = append(out.ResourceShares, wired...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// matchShare applies GetResourceShares' filters to a share read apart from the store's
// query (one shared with the caller).
func matchShare(tx txn, sh *store.RAMShare, q store.RAMShareQuery) (bool, error) {
	if q.ARNs != nil && !contains(q.ARNs, sh.ARN) || q.Status != "" && sh.Status != q.Status || q.Name != "" && sh.Name != q.Name {
		return false, nil
	}
	if q.PermissionARN != "" {
		sps, err := tx.RAMSharePermissions(sh.ARN)
		if err != nil {
			return false, err
		}
		found := false
		for _, sp := range sps {
			if sp.PermissionARN == q.PermissionARN && (q.PermissionVersion == 0 || sp.PermissionVersion == q.PermissionVersion) {
				found = true
			}
		}
		if !found {
			return false, nil
		}
	}
	if len(q.TagFilters) > 0 {
		tags, err := tx.Tags(sh.ARN)
		if err != nil {
			return false, err
		}
		for _, f := range q.TagFilters {
			ok := false
			for _, t := range tags {
				if t.Key == f.Key && (len(f.Values) == 0 || contains(f.Values, t.Value)) {
					ok = true
				}
			}
			if !ok {
				return false, nil
			}
		}
	}
	return true, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
