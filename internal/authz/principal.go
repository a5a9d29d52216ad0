package authz

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// principalPolicies is everything about a principal that authorization needs and that
// changes only when the store does: its policies and its place in the organization.
type principalPolicies struct {
	principal policy.Principal
	inputs    policy.Inputs // Identity, Boundary, Session, SCPs
	orgID     string
	orgPath   string
	// keys are the condition keys that follow from the principal alone.
	keys *policy.Context
}

// chain is the policies of one type attached from the organization root to an account.
type chain struct {
	levels [][]policy.NamedPolicy
}

func cacheKey(p *auth.Principal) string {
	if p.AccessKeyID != "" {
		return p.AccessKeyID
	}
	return p.ARN
}

func (a *Authorizer) principalPolicies(ctx context.Context, p *auth.Principal) (*principalPolicies, error) {
	key := cacheKey(p)
	a.mu.Lock()
	pp := a.principals[key]
	a.mu.Unlock()
	if pp != nil {
		return pp, nil
	}
	pp = &principalPolicies{principal: policyPrincipal(p)}
	err := a.store.View(ctx, func(tx store.Tx) error {
		var set *store.IdentityPolicySet
		var err error
		switch p.Kind {
		case auth.User:
			set, err = tx.IdentityPolicies(p.Account, store.PrincipalUser, p.Name)
		case auth.AssumedRole:
			set, err = tx.IdentityPolicies(p.Account, store.PrincipalRole, p.Name)
			if err == nil {
				err = a.sessionPolicies(tx, p, &pp.inputs)
			}
		}
		if errors.Is(err, store.ErrNotFound) {
			// The user or role is gone: its credentials grant nothing.
			set, err = &store.IdentityPolicySet{}, nil
		}
		if err != nil {
			return err
		}
		if set != nil {
			for _, d := range set.Policies {
				parsed, err := a.parse([]byte(d.Document), policy.IdentityBased)
				if err != nil {
					return fmt.Errorf("policy %s: %w", d.ID, err)
				}
				pp.inputs.Identity = append(pp.inputs.Identity, policy.NamedPolicy{ID: d.ID, Policy: parsed})
			}
			if set.Boundary != nil {
				parsed, err := a.parse([]byte(set.Boundary.Document), policy.PermissionsBoundary)
				if err != nil {
					return fmt.Errorf("boundary %s: %w", set.Boundary.ID, err)
				}
				pp.inputs.Boundary = []policy.NamedPolicy{{ID: set.Boundary.ID, Policy: parsed}}
			}
		}
		if p.Kind == auth.Service || p.Account == "" {
			return nil
		}
		return a.organizationOf(tx, p.Account, pp)
	})
	if err != nil {
		return nil, err
	}
	pp.keys = principalContext(p, pp)
	a.mu.Lock()
	a.principals[key] = pp
	a.mu.Unlock()
	return pp, nil
}

// sessionPolicies adds a role session's inline and managed session policies.
func (a *Authorizer) sessionPolicies(tx store.Tx, p *auth.Principal, in *policy.Inputs) error {
	if p.SessionPolicy != "" {
		parsed, err := a.parse([]byte(p.SessionPolicy), policy.SessionPolicy)
		if err != nil {
			return fmt.Errorf("session policy: %w", err)
		}
		in.Session = append(in.Session, policy.NamedPolicy{ID: "session-policy", Policy: parsed})
	}
	for _, policyARN := range p.SessionPolicyARNs {
		mp, err := tx.ManagedPolicy(policyARN)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		v, err := tx.PolicyVersion(policyARN, mp.DefaultVersionID)
		if err != nil {
			return err
		}
		parsed, err := a.parse([]byte(v.Document), policy.SessionPolicy)
		if err != nil {
			return fmt.Errorf("session policy %s: %w", policyARN, err)
		}
		in.Session = append(in.Session, policy.NamedPolicy{ID: policyARN, Policy: parsed})
	}
	if len(in.Session) == 0 && (p.SessionPolicy != "" || len(p.SessionPolicyARNs) > 0) {
		// Session policies were given but none exists any more: nothing is allowed.
		in.Session = []policy.NamedPolicy{{ID: "session-policy", Policy: denyAll}}
	}
	return nil
}

var denyAll, _ = policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`))

// organizationOf fills the organization ID, path and SCP chain of an account. The
// management account is not restricted by SCPs.
func (a *Authorizer) organizationOf(tx store.Tx, account string, pp *principalPolicies) error {
	org, err := tx.Organization()
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.Account(account); errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	pp.orgID = org.ID
	if pp.orgPath, err = tx.OrgPath(account); err != nil {
		return err
	}
	if account == org.ManagementAccountID {
		return nil
	}
	c, err := a.loadChain(tx, account, "SERVICE_CONTROL_POLICY", policy.ServiceControlPolicy)
	if err != nil {
		return err
	}
	pp.inputs.SCPs = c.levels
	return nil
}

func (a *Authorizer) loadChain(tx store.Tx, account, policyType string, typ policy.PolicyType) (*chain, error) {
	levels, err := tx.PolicyChain(account, policyType)
	if err != nil {
		return nil, fmt.Errorf("%s chain of %s: %w", policyType, account, err)
	}
	c := &chain{}
	for _, level := range levels {
		named := make([]policy.NamedPolicy, 0, len(level))
		for _, d := range level {
			parsed, err := a.parse([]byte(d.Document), typ)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", policyType, d.ID, err)
			}
			named = append(named, policy.NamedPolicy{ID: d.ID, Policy: parsed})
		}
		c.levels = append(c.levels, named)
	}
	return c, nil
}

// resourceControlPolicies returns the RCP chain of a resource's account (empty for the
// management account and accounts outside the organization).
func (a *Authorizer) resourceControlPolicies(ctx context.Context, account string) (*chain, error) {
	a.mu.Lock()
	c := a.rcps[account]
	a.mu.Unlock()
	if c != nil {
		return c, nil
	}
	c = &chain{}
	err := a.store.View(ctx, func(tx store.Tx) error {
		org, err := tx.Organization()
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if account == org.ManagementAccountID {
			return nil
		}
		if _, err := tx.Account(account); errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		loaded, err := a.loadChain(tx, account, "RESOURCE_CONTROL_POLICY", policy.ResourceControlPolicy)
		if err != nil {
			return err
		}
		c = loaded
		return nil
	})
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.rcps[account] = c
	a.mu.Unlock()
	return c, nil
}

// policyPrincipal maps an authenticated principal to the policy engine's view of it.
func policyPrincipal(p *auth.Principal) policy.Principal {
	out := policy.Principal{ARN: p.ARN, Account: p.Account, RoleARN: p.RoleARN}
	switch p.Kind {
	case auth.Root:
		out.Type = policy.PrincipalRoot
	case auth.User:
		out.Type = policy.PrincipalUser
	case auth.AssumedRole:
		out.Type = policy.PrincipalAssumedRole
	case auth.Service:
		out.Type = policy.PrincipalService
	default:
		out.Type = policy.PrincipalAnonymous
	}
	return out
}
