package organizations

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// AttachmentInput names a policy and a root, OU or account.
type AttachmentInput struct {
	PolicyId string `required:"true"`
	TargetId string `required:"true"`
}

// Validate checks the IDs' patterns.
func (in *AttachmentInput) Validate() error {
	if err := validatePolicyID(in.PolicyId); err != nil {
		return err
	}
	return validateTargetID(in.TargetId)
}

// AttachmentOutput is empty.
type AttachmentOutput struct{}

func (s *Service) attachmentAccess(ctx context.Context, in *AttachmentInput) (*operation.Access, error) {
	return s.policyAccess(ctx, in.PolicyId, in.TargetId)
}

// target is a root, OU or account a policy can be attached to.
type target struct {
	ID, Kind, Name string
}

// readTarget finds the root, OU or account id names; TargetNotFoundException when none.
func readTarget(tx txn, org *store.Organization, id string) (*target, error) {
	switch kindOf(id) {
	case kindRoot:
		if id == org.RootID {
			return &target{ID: id, Kind: kindRoot, Name: "Root"}, nil
		}
	case kindOU:
		ou, err := tx.OrganizationalUnit(id)
		if err == nil {
			return &target{ID: id, Kind: kindOU, Name: ou.Name}, nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	case kindAccount:
		a, err := tx.Account(id)
		if err == nil {
			return &target{ID: id, Kind: kindAccount, Name: a.Name}, nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return nil, errTargetNotFound
}

func (s *Service) attachPolicy(ctx context.Context, in *AttachmentInput) (*AttachmentOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		p, err := readPolicy(tx, in.PolicyId)
		if err != nil {
			return err
		}
		t, err := readTarget(tx, org, in.TargetId)
		if err != nil {
			return err
		}
		if enabled, err := typeEnabled(tx, p.Type); err != nil {
			return err
		} else if !enabled {
			return errPolicyTypeNotEnabled
		}
		attached, err := tx.ListOrgPoliciesForTarget(t.ID, p.Type, store.Page{})
		if err != nil {
			return err
		}
		for _, a := range attached {
			if a.ID == p.ID {
				return errDuplicateAttachment
			}
		}
		if len(attached) >= maxAttachmentsPerType {
			return constraint("MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "%s already has the maximum of %d policies of type %s attached.", t.ID, maxAttachmentsPerType, p.Type)
		}
		if err := tx.AttachOrgPolicy(p.ID, t.ID, s.now()); errors.Is(err, store.ErrExists) {
			return errDuplicateAttachment
		} else if err != nil {
			return fmt.Errorf("attach %s to %s: %w", p.ID, t.ID, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AttachmentOutput{}, nil
}

func (s *Service) detachPolicy(ctx context.Context, in *AttachmentInput) (*AttachmentOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		p, err := readPolicy(tx, in.PolicyId)
		if err != nil {
			return err
		}
		t, err := readTarget(tx, org, in.TargetId)
		if err != nil {
			return err
		}
		attached, err := tx.ListOrgPoliciesForTarget(t.ID, p.Type, store.Page{})
		if err != nil {
			return err
		}
		found := false
		for _, a := range attached {
			found = found || a.ID == p.ID
		}
		if !found {
			return errPolicyNotAttached
		}
		if p.ID == rcpFullAWSAccessID {
			return invalidInput("NON_DETACHABLE_POLICY", "The RCPFullAWSAccess policy can't be detached; it stays attached to every root, OU and account while resource control policies are enabled.")
		}
		if p.Type == store.ServiceControlPolicy && len(attached) == 1 {
			return constraint("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
				"%s must keep at least one service control policy attached; attach another before detaching %s.", t.ID, p.ID)
		}
		if err := tx.DetachOrgPolicy(p.ID, t.ID); err != nil {
			return fmt.Errorf("detach %s from %s: %w", p.ID, t.ID, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AttachmentOutput{}, nil
}

// ListPoliciesForTargetInput pages through the policies of one type attached to a target.
type ListPoliciesForTargetInput struct {
	TargetId   string `required:"true"`
	Filter     string `required:"true"`
	NextToken  *string
	MaxResults *int
}

// Validate checks the target ID's pattern and the filter.
func (in *ListPoliciesForTargetInput) Validate() error {
	if err := validateTargetID(in.TargetId); err != nil {
		return err
	}
	return validatePolicyType("Filter", in.Filter, false)
}

func (s *Service) listPoliciesForTargetAccess(ctx context.Context, in *ListPoliciesForTargetInput) (*operation.Access, error) {
	a, err := s.nodeAccess(ctx, in.TargetId)
	if a != nil {
		a.Context = policyTypeContext(in.Filter)
	}
	return a, err
}

func (s *Service) listPoliciesForTarget(ctx context.Context, in *ListPoliciesForTargetInput) (*ListPoliciesOutput, error) {
	pg, err := newPager(in.MaxResults, in.NextToken, policyIDPattern.MatchString)
	if err != nil {
		return nil, err
	}
	out := ListPoliciesOutput{Policies: []PolicySummary{}}
	err = s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		t, err := readTarget(tx, org, in.TargetId)
		if err != nil {
			return err
		}
		policies, err := tx.ListOrgPoliciesForTarget(t.ID, in.Filter, pg.page())
		if err != nil {
			return err
		}
		policies, out.NextToken = nextPage(pg, policies, func(v *store.OrgPolicy) string { return v.ID })
		for _, p := range policies {
			out.Policies = append(out.Policies, wireSummary(org, p))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListTargetsForPolicyInput pages through the targets a policy is attached to.
type ListTargetsForPolicyInput struct {
	PolicyId   string `required:"true"`
	NextToken  *string
	MaxResults *int
}

// Validate checks the policy ID's pattern.
func (in *ListTargetsForPolicyInput) Validate() error { return validatePolicyID(in.PolicyId) }

// PolicyTargetSummary is a root, OU or account a policy is attached to.
type PolicyTargetSummary struct {
	TargetId string
	Arn      string
	Name     string
	Type     string
}

// ListTargetsForPolicyOutput is one page of targets.
type ListTargetsForPolicyOutput struct {
	Targets   []PolicyTargetSummary
	NextToken *string `json:",omitempty"`
}

func (s *Service) listTargetsForPolicy(ctx context.Context, in *ListTargetsForPolicyInput) (*ListTargetsForPolicyOutput, error) {
	pg, err := newPager(in.MaxResults, in.NextToken, func(k string) bool { return kindOf(k) != "" })
	if err != nil {
		return nil, err
	}
	out := ListTargetsForPolicyOutput{Targets: []PolicyTargetSummary{}}
	err = s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		p, err := readPolicy(tx, in.PolicyId)
		if err != nil {
			return err
		}
		ids, err := tx.ListOrgPolicyTargets(p.ID, pg.page())
		if err != nil {
			return err
		}
		ids, out.NextToken = nextPage(pg, ids, func(v string) string { return v })
		for _, id := range ids {
			t, err := readTarget(tx, org, id)
			if err != nil {
				return fmt.Errorf("policy %s target %s: %w", p.ID, id, err)
			}
			out.Targets = append(out.Targets, PolicyTargetSummary{TargetId: t.ID, Arn: nodeARN(org, t.ID), Name: t.Name, Type: t.Kind})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
