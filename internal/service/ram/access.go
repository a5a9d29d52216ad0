package ram

import (
	"context"
	"errors"
	"strconv"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// RAM's actions are authorized on the resources and with the condition keys of the
// service authorization reference: resource shares (aws:ResourceTag/…,
// ram:ResourceShareName, ram:AllowsExternalPrincipals), invitations
// (ram:ShareOwnerAccountId), permissions (ram:PermissionArn, ram:PermissionResourceType),
// and per principal and resource of a request ram:Principal, ram:ResourceArn and
// ram:RequestedResourceType.

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// tagKeys are the request-tag condition keys of tags.
func tagKeys(tags []Tag, ctx map[string][]string) map[string][]string {
	if ctx == nil {
		ctx = map[string][]string{}
	}
	if len(tags) == 0 {
		return ctx
	}
	var keys []string
	for _, t := range tags {
		ctx["aws:RequestTag/"+t.Key] = []string{t.Value}
		keys = append(keys, t.Key)
	}
	ctx["aws:TagKeys"] = keys
	return ctx
}

// shareResource is a share as the authorizer sees it, with its condition keys added to
// keys. The share belongs to account as far as authorization goes: RAM's actions on a
// share are the caller's own.
func shareResource(tx txn, sh *store.RAMShare, account string, keys map[string][]string) (operation.Resource, error) {
	tags, err := tx.Tags(sh.ARN)
	if err != nil {
		return operation.Resource{}, err
	}
	r := operation.Resource{ARN: sh.ARN, Account: account, Tags: map[string]string{}}
	for _, t := range tags {
		r.Tags[t.Key] = t.Value
		keys["ram:ResourceTag/"+t.Key] = []string{t.Value}
	}
	keys["ram:ResourceShareName"] = []string{sh.Name}
	keys["ram:AllowsExternalPrincipals"] = []string{strconv.FormatBool(sh.AllowExternalPrincipals)}
	keys["ram:RetainSharingOnAccountLeaveOrganization"] = []string{strconv.FormatBool(sh.RetainOnLeave)}
	return r, nil
}

// ownShareAccess authorizes an action on a share of the caller's account.
func (s *Service) ownShareAccess(ctx context.Context, shareARN string, keys map[string][]string) (*operation.Access, error) {
	if keys == nil {
		keys = map[string][]string{}
	}
	a := &operation.Access{Context: keys}
	account := caller(ctx).Account
	err := s.store.View(ctx, func(tx txn) error {
		sh, err := s.ownShare(tx, account, shareARN)
		if err != nil {
			return err
		}
		r, err := shareResource(tx, sh, account, keys)
		a.Resources = []operation.Resource{r}
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// itemAccess spreads a request's principals and resources over one authorization each,
// with ram:Principal, ram:ResourceArn and ram:RequestedResourceType set, as AWS checks a
// condition on them for every principal and resource of the request.
func (s *Service) itemAccess(a *operation.Access, principals, resources []string) {
	var contexts []map[string][]string
	ps := principals
	if len(ps) == 0 {
		ps = []string{""}
	}
	rs := resources
	if len(rs) == 0 {
		rs = []string{""}
	}
	for _, p := range ps {
		for _, r := range rs {
			c := make(map[string][]string, len(a.Context)+3)
			for k, v := range a.Context {
				c[k] = v
			}
			if p != "" {
				c["ram:Principal"] = []string{p}
			}
			if r != "" {
				c["ram:ResourceArn"] = []string{r}
				if typ, _, ok := s.types.resolve(r); ok {
					c["ram:RequestedResourceType"] = []string{typ.Name}
				}
			}
			contexts = append(contexts, c)
		}
	}
	a.Context = contexts[0]
	for _, c := range contexts[1:] {
		a.Implied = append(a.Implied, operation.Access{Action: a.Action, Resources: a.Resources, Context: c})
	}
}

// permissionResource is a permission as the authorizer sees it. AWS managed permissions
// belong to no account; any permission is the caller's own as far as authorization goes.
func (s *Service) permissionResource(tx txn, p *perm, account string, keys map[string][]string) (operation.Resource, error) {
	r := operation.Resource{ARN: p.ARN, Account: account}
	keys["ram:PermissionArn"] = []string{p.ARN}
	keys["ram:PermissionResourceType"] = []string{p.ResourceType}
	if p.Type == customerManaged {
		tags, err := tx.Tags(p.ARN)
		if err != nil {
			return r, err
		}
		r.Tags = map[string]string{}
		for _, t := range tags {
			r.Tags[t.Key] = t.Value
		}
	}
	return r, nil
}

// permissionAccess authorizes an action on permissions (and, when shareARN is set, on a
// share of the caller's account).
func (s *Service) permissionAccess(ctx context.Context, shareARN string, customerOnly bool, permissionARNs ...string) (*operation.Access, error) {
	keys := map[string][]string{}
	a := &operation.Access{Context: keys}
	account := caller(ctx).Account
	err := s.store.View(ctx, func(tx txn) error {
		if shareARN != "" {
			sh, err := s.ownShare(tx, account, shareARN)
			if err != nil {
				return err
			}
			r, err := shareResource(tx, sh, account, keys)
			if err != nil {
				return err
			}
			a.Resources = append(a.Resources, r)
		}
		for _, arn := range permissionARNs {
			p, err := s.permission(tx, account, arn)
			if err != nil {
				return err
			}
			if customerOnly && p.Type != customerManaged {
				return operationNotPermitted("%s is an AWS managed permission; only customer managed permissions can be changed.", arn)
			}
			r, err := s.permissionResource(tx, p, account, keys)
			if err != nil {
				return err
			}
			a.Resources = append(a.Resources, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
