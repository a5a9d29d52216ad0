package ram

import (
	"context"
	"encoding/json"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/store"
)

// Listings of what is shared: the resources and principals of the caller's shares
// (SELF) or of the shares that reach the caller (OTHER-ACCOUNTS), the shareable types,
// the policies RAM attached, and source constraints.

// shareResources lists the resources associated with shares, of one type when typ is set,
// within a region scope.
func (s *Service) shareResources(tx txn, shares []string, typ, scope string) ([]Resource, error) {
	assocs, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMResource, ShareARNs: shares,
		Status: store.RAMAssociated}, store.Page{})
	if err != nil {
		return nil, err
	}
	out := []Resource{}
	for _, a := range assocs {
		t := s.types.byName(a.Kind)
		if t == nil || typ != "" && t.Name != typ || scope != "" && scope != "ALL" && scope != t.Scope {
			continue
		}
		out = append(out, Resource{Arn: a.Entity, Type: a.Kind, ResourceShareArn: a.ShareARN, Status: "AVAILABLE",
			CreationTime: ts(a.CreatedAt), LastUpdatedTime: ts(a.UpdatedAt), ResourceRegionScope: t.Scope})
	}
	return out, nil
}

// checkType checks a resourceType filter.
func (s *Service) checkType(name string) (string, error) {
	if name == "" {
		return "", nil
	}
	t := s.types.byName(name)
	if t == nil {
		return "", invalidResourceType("%s is not a resource type RAM shares here; the types are %s.", name, s.types.names())
	}
	return t.Name, nil
}

// scopedShares returns the ARNs of the shares a listing covers: the caller's own (SELF) or
// those reaching it (OTHER-ACCOUNTS), narrowed to the ones asked for.
func (s *Service) scopedShares(tx txn, account, owner string, asked []string) ([]string, error) {
	for _, a := range asked {
		if err := s.checkShareARN(a); err != nil {
			return nil, err
		}
	}
	var all []string
	if owner == "SELF" {
		shares, err := tx.ListRAMShares(store.RAMShareQuery{Owner: account, ARNs: asked, Status: "ACTIVE"}, store.Page{})
		if err != nil {
			return nil, err
		}
		for _, sh := range shares {
			all = append(all, sh.ARN)
		}
	} else {
		got, err := s.receivedShares(tx, account)
		if err != nil {
			return nil, err
		}
		for _, r := range got {
			if asked == nil || contains(asked, r.share.ARN) {
				all = append(all, r.share.ARN)
			}
		}
	}
	if all == nil {
		all = []string{}
	}
	return all, nil
}

func (s *Service) listResources(ctx context.Context, in *ListResourcesInput) (*ResourcesOutput, error) {
	typ, err := s.checkType(in.ResourceType)
	if err != nil {
		return nil, err
	}
	var principal string
	if in.Principal != "" {
		if in.ResourceOwner != "SELF" {
			return nil, invalidParameter("principal filters the resources you share (resourceOwner SELF).")
		}
		p, perr := parsePrincipal(in.Principal)
		if perr != nil {
			return nil, perr
		}
		principal = p.ID
	}
	wanted := map[string]bool{}
	for _, r := range in.ResourceArns {
		if _, err := arn.Parse(r); err != nil {
			return nil, malformedARN("%s is not an ARN.", r)
		}
		wanted[r] = true
		if _, ref, ok := s.types.resolve(r); ok {
			wanted[ref.ARN] = true
		}
	}
	account := caller(ctx).Account
	out := &ResourcesOutput{}
	err = s.store.View(ctx, func(tx txn) error {
		shares, err := s.scopedShares(tx, account, in.ResourceOwner, in.ResourceShareArns)
		if err != nil {
			return err
		}
		if principal != "" {
			var withPrincipal []string
			for _, sh := range shares {
				if a, err := tx.RAMAssociation(sh, store.RAMPrincipal, principal); err == nil && a.Status == store.RAMAssociated {
					withPrincipal = append(withPrincipal, sh)
				} else if err != nil && !isNotFound(err) {
					return err
				}
			}
			shares = append([]string{}, withPrincipal...)
		}
		list, err := s.shareResources(tx, shares, typ, in.ResourceRegionScope)
		if err != nil {
			return err
		}
		if len(wanted) > 0 {
			var kept []Resource
			for _, r := range list {
				if wanted[r.Arn] {
					kept = append(kept, r)
				}
			}
			list = kept
		}
		out.Resources, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) listPrincipals(ctx context.Context, in *ListPrincipalsInput) (*ListPrincipalsOutput, error) {
	typ, err := s.checkType(in.ResourceType)
	if err != nil {
		return nil, err
	}
	var filter []string
	for _, p := range in.Principals {
		pp, perr := parsePrincipal(p)
		if perr != nil {
			return nil, perr
		}
		filter = append(filter, pp.ID)
	}
	resourceARN := in.ResourceArn
	if resourceARN != "" {
		if _, err := arn.Parse(resourceARN); err != nil {
			return nil, malformedARN("%s is not an ARN.", resourceARN)
		}
		if _, ref, ok := s.types.resolve(resourceARN); ok {
			resourceARN = ref.ARN
		}
	}
	account := caller(ctx).Account
	out := &ListPrincipalsOutput{}
	err = s.store.View(ctx, func(tx txn) error {
		shares, err := s.scopedShares(tx, account, in.ResourceOwner, in.ResourceShareArns)
		if err != nil {
			return err
		}
		if typ != "" || resourceARN != "" {
			resources, err := s.shareResources(tx, shares, typ, "")
			if err != nil {
				return err
			}
			keep := map[string]bool{}
			for _, r := range resources {
				if resourceARN == "" || r.Arn == resourceARN {
					keep[r.ResourceShareArn] = true
				}
			}
			var kept []string
			for _, sh := range shares {
				if keep[sh] {
					kept = append(kept, sh)
				}
			}
			shares = append([]string{}, kept...)
		}
		list := []Principal{}
		if in.ResourceOwner == "SELF" {
			assocs, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMPrincipal, ShareARNs: shares,
				Status: store.RAMAssociated}, store.Page{})
			if err != nil {
				return err
			}
			for _, a := range assocs {
				if filter == nil || contains(filter, a.Entity) {
					list = append(list, Principal{Id: a.Entity, ResourceShareArn: a.ShareARN, CreationTime: ts(a.CreatedAt),
						LastUpdatedTime: ts(a.UpdatedAt), External: boolp(a.External)})
				}
			}
		} else {
			for _, sh := range shares {
				share, err := tx.RAMShare(sh)
				if err != nil {
					return err
				}
				if filter == nil || contains(filter, share.OwnerAccount) {
					list = append(list, Principal{Id: share.OwnerAccount, ResourceShareArn: sh, CreationTime: ts(share.CreatedAt),
						LastUpdatedTime: ts(share.UpdatedAt), External: boolp(false)})
				}
			}
		}
		out.Principals, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) listResourceTypes(ctx context.Context, in *ListResourceTypesInput) (*ListResourceTypesOutput, error) {
	list := []ServiceNameAndResourceType{}
	for _, t := range s.types.list {
		if in.ResourceRegionScope == "" || in.ResourceRegionScope == "ALL" || in.ResourceRegionScope == t.Scope {
			list = append(list, ServiceNameAndResourceType{ResourceType: t.Name, ServiceName: t.Service, ResourceRegionScope: t.Scope})
		}
	}
	out := &ListResourceTypesOutput{}
	var err error
	out.ResourceTypes, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// getResourcePolicies returns the policies RAM attached to the caller's resources; with a
// principal, only those of resources shared with it.
func (s *Service) getResourcePolicies(ctx context.Context, in *GetResourcePoliciesInput) (*GetResourcePoliciesOutput, error) {
	var principal string
	if in.Principal != "" {
		p, perr := parsePrincipal(in.Principal)
		if perr != nil {
			return nil, perr
		}
		principal = p.ID
	}
	account := caller(ctx).Account
	out := &GetResourcePoliciesOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		list := []string{}
		for _, r := range in.ResourceArns {
			if _, err := arn.Parse(r); err != nil {
				return malformedARN("%s is not an ARN.", r)
			}
			typ, ref, ok := s.types.resolve(r)
			if !ok || ref.Account != account {
				return resourceARNNotFound("The resource %s is not a resource of this account that RAM can share.", r)
			}
			exists, err := typ.Exists(tx.(store.Tx), ref)
			if err != nil {
				return err
			}
			if !exists {
				return resourceARNNotFound("The resource %s does not exist.", r)
			}
			doc, err := tx.ResourcePolicy(ref.ARN)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if principal != "" && !namesPrincipal(doc, principal) {
				continue
			}
			list = append(list, string(doc))
		}
		var err error
		out.Policies, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// namesPrincipal reports whether a policy RAM wrote names principal.
func namesPrincipal(doc []byte, principal string) bool {
	var p policyDocument
	if json.Unmarshal(doc, &p) != nil {
		return false
	}
	for _, st := range p.Statement {
		switch v := st.Principal["AWS"].(type) {
		case string:
			if v == principal {
				return true
			}
		case []any:
			for _, x := range v {
				if x == principal {
					return true
				}
			}
		}
	}
	return false
}

func (s *Service) listSourceAssociations(ctx context.Context, in *ListSourceAssociationsInput) (*ListSourceAssociationsOutput, error) {
	for _, a := range in.ResourceShareArns {
		if err := s.checkShareARN(a); err != nil {
			return nil, err
		}
	}
	account := caller(ctx).Account
	out := &ListSourceAssociationsOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		assocs, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMSource, Owner: account,
			ShareARNs: in.ResourceShareArns, Entity: in.SourceId, Status: in.AssociationStatus}, store.Page{})
		if err != nil {
			return err
		}
		list := []AssociatedSource{}
		for _, a := range assocs {
			if in.SourceType != "" && a.Kind != in.SourceType {
				continue
			}
			list = append(list, AssociatedSource{ResourceShareArn: a.ShareARN, SourceId: a.Entity, SourceType: a.Kind,
				Status: a.Status, StatusMessage: a.StatusMessage, CreationTime: ts(a.CreatedAt), LastUpdatedTime: ts(a.UpdatedAt)})
		}
		out.SourceAssociations, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
