package organizations

import (
	"context"
	"errors"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// access builds the authorization request of an operation on Organizations resources:
// fn returns the resources given the organization; each is owned by the management
// account. Without an organization the resources are left to "*" and the handler
// answers AWSOrganizationsNotInUseException.
func (s *Service) access(ctx context.Context, fn func(tx txn, org *store.Organization) ([]operation.Resource, error)) (*operation.Access, error) {
	var out operation.Access
	err := s.store.View(ctx, func(tx txn) error {
		org, err := tx.Organization()
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		res, err := fn(tx, org)
		if err != nil {
			return err
		}
		for i := range res {
			res[i].Account = org.ManagementAccountID
		}
		out.Resources = res
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// starAccess authorizes an operation on resource "*" in the management account.
func (s *Service) starAccess(ctx context.Context) (*operation.Access, error) {
	return s.access(ctx, func(txn, *store.Organization) ([]operation.Resource, error) {
		return []operation.Resource{{ARN: "*"}}, nil
	})
}

// starAccessOf authorizes an operation whose resource is "*" in the management account.
func starAccessOf[In any](s *Service) func(context.Context, *In) (*operation.Access, error) {
	return func(ctx context.Context, _ *In) (*operation.Access, error) { return s.starAccess(ctx) }
}

// resourceTags reads the tags of an OU, policy or account for aws:ResourceTag/….
func resourceTags(tx txn, id string) (map[string]string, error) {
	tags, err := tx.Tags(id)
	if err != nil || len(tags) == 0 {
		return nil, err
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m, nil
}

// nodeResource is the authorization resource of a root, OU or account ID.
func nodeResource(tx txn, org *store.Organization, id string) (operation.Resource, error) {
	r := operation.Resource{ARN: nodeARN(org, id)}
	if kindOf(id) == kindRoot {
		return r, nil
	}
	tags, err := resourceTags(tx, id)
	r.Tags = tags
	return r, err
}

// policyResource is the authorization resource of a policy ID; a policy that does not
// exist gets a wildcard type and the handler answers PolicyNotFoundException.
func policyResource(tx txn, org *store.Organization, id string) (operation.Resource, *store.OrgPolicy, error) {
	p, err := tx.OrgPolicy(id)
	if errors.Is(err, store.ErrNotFound) {
		return operation.Resource{ARN: arn.OrganizationPolicy(org.ManagementAccountID, org.ID, "*", id)}, nil, nil
	}
	if err != nil {
		return operation.Resource{}, nil, err
	}
	tags, err := resourceTags(tx, id)
	return operation.Resource{ARN: policyARN(org, p), Tags: tags}, p, err
}

func rootARN(org *store.Organization) string {
	return arn.OrganizationRoot(org.ManagementAccountID, org.ID, org.RootID)
}

func ouARN(org *store.Organization, id string) string {
	return arn.OrganizationalUnit(org.ManagementAccountID, org.ID, id)
}

// nodeARN is the ARN of a root, OU or account ID.
func nodeARN(org *store.Organization, id string) string {
	switch kindOf(id) {
	case kindRoot:
		return arn.OrganizationRoot(org.ManagementAccountID, org.ID, id)
	case kindOU:
		return ouARN(org, id)
	}
	return accountARN(org, id)
}

func policyARN(org *store.Organization, p *store.OrgPolicy) string {
	typ := strings.ToLower(p.Type)
	if p.AWSManaged {
		return arn.OrganizationPolicy(arn.AWSAccount, "", typ, p.ID)
	}
	return arn.OrganizationPolicy(org.ManagementAccountID, org.ID, typ, p.ID)
}
