package organizations

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// Limits of organization policies, as AWS sets them.
const (
	// maxPolicyContent is the largest document, in characters (whitespace included).
	maxPolicyContent = 5120
	// maxPoliciesPerType is how many policies of one type an organization holds.
	maxPoliciesPerType = 1000
	// maxAttachmentsPerType is how many policies of one type a target may have.
	maxAttachmentsPerType = 5
)

// Errors of organization policies.
var (
	errPolicyNotFound = &operation.Error{Code: "PolicyNotFoundException", Status: http.StatusBadRequest,
		Message: "We can't find a policy with the PolicyId that you specified."}
	errDuplicatePolicy = &operation.Error{Code: "DuplicatePolicyException", Status: http.StatusBadRequest,
		Message: "A policy with the same name already exists."}
	errPolicyInUse = &operation.Error{Code: "PolicyInUseException", Status: http.StatusBadRequest,
		Message: "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation."}
	errImmutablePolicy = invalidInput("IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified.")
	errTargetNotFound  = &operation.Error{Code: "TargetNotFoundException", Status: http.StatusBadRequest,
		Message: "We can't find a root, OU, account, or policy with the TargetId that you specified."}
	errDuplicateAttachment = &operation.Error{Code: "DuplicatePolicyAttachmentException", Status: http.StatusBadRequest,
		Message: "The selected policy is already attached to the specified target."}
	errPolicyNotAttached = &operation.Error{Code: "PolicyNotAttachedException", Status: http.StatusBadRequest,
		Message: "The policy isn't attached to the specified target in the specified root."}
)

// PolicySummary describes a policy on the wire.
type PolicySummary struct {
	Id          string
	Arn         string
	Name        string
	Description string
	Type        string
	AwsManaged  bool
}

// Policy is a policy and its document on the wire.
type Policy struct {
	PolicySummary PolicySummary
	Content       string
}

func wireSummary(org *store.Organization, p *store.OrgPolicy) PolicySummary {
	return PolicySummary{Id: p.ID, Arn: policyARN(org, p), Name: p.Name, Description: p.Description, Type: p.Type, AwsManaged: p.AWSManaged}
}

func wirePolicy(org *store.Organization, p *store.OrgPolicy) Policy {
	return Policy{PolicySummary: wireSummary(org, p), Content: p.Content}
}

// validateContent checks a policy document: its size, then its grammar as an SCP or RCP.
func validateContent(typ, content string) error {
	if n := utf8.RuneCountInString(content); n > maxPolicyContent {
		return constraint("POLICY_CONTENT_LIMIT_EXCEEDED", "The policy document has %d characters; the limit is %d.", n, maxPolicyContent)
	}
	opts := policy.Options{Type: policy.ServiceControlPolicy}
	if typ == store.ResourceControlPolicy {
		opts.Type = policy.ResourceControlPolicy
	}
	if _, err := policy.ParseWithOptions([]byte(content), opts); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return &operation.Error{Code: "MalformedPolicyDocumentException", Status: http.StatusBadRequest, Message: pe.Message}
		}
		return fmt.Errorf("parse policy: %w", err)
	}
	return nil
}

func readPolicy(tx txn, id string) (*store.OrgPolicy, error) {
	p, err := tx.OrgPolicy(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPolicyNotFound
	}
	return p, err
}

// policyTypeContext is the organizations:PolicyType condition key.
func policyTypeContext(typ string) map[string][]string {
	if typ == "" {
		return nil
	}
	return map[string][]string{"organizations:PolicyType": {typ}}
}

// policyAccess authorizes an operation on one policy and, when target is not empty, one
// root, OU or account.
func (s *Service) policyAccess(ctx context.Context, policyID, target string) (*operation.Access, error) {
	var typ string
	a, err := s.access(ctx, func(tx txn, org *store.Organization) ([]operation.Resource, error) {
		r, p, err := policyResource(tx, org, policyID)
		if err != nil {
			return nil, err
		}
		if p != nil {
			typ = p.Type
		}
		res := []operation.Resource{r}
		if target != "" {
			t, err := nodeResource(tx, org, target)
			if err != nil {
				return nil, err
			}
			res = append(res, t)
		}
		return res, nil
	})
	if a != nil {
		a.Context = policyTypeContext(typ)
	}
	return a, err
}

// CreatePolicyInput asks for a new policy.
type CreatePolicyInput struct {
	Content     string  `required:"true"`
	Description *string `required:"true"`
	Name        string  `required:"true"`
	Type        string  `required:"true"`
	Tags        []Tag
}

// Validate checks lengths, the type and the tags.
func (in *CreatePolicyInput) Validate() error {
	if err := validateLength("Name", in.Name, 1, 128); err != nil {
		return err
	}
	if err := validateLength("Description", *in.Description, 0, 512); err != nil {
		return err
	}
	if err := validatePolicyType("Type", in.Type, true); err != nil {
		return err
	}
	_, err := validateTags(in.Tags)
	return err
}

// PolicyOutput holds one policy.
type PolicyOutput struct {
	Policy Policy
}

func (s *Service) createPolicyAccess(ctx context.Context, in *CreatePolicyInput) (*operation.Access, error) {
	a, err := s.starAccess(ctx)
	if a != nil {
		a.Context = requestTags(in.Tags)
		if a.Context == nil {
			a.Context = map[string][]string{}
		}
		a.Context["organizations:PolicyType"] = []string{in.Type}
	}
	return a, err
}

func (s *Service) createPolicy(ctx context.Context, in *CreatePolicyInput) (*PolicyOutput, error) {
	tags, err := validateTags(in.Tags)
	if err != nil {
		return nil, err
	}
	if err := validateContent(in.Type, in.Content); err != nil {
		return nil, err
	}
	var out PolicyOutput
	err = s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if n, err := tx.CountOrgPolicies(in.Type); err != nil {
			return err
		} else if n >= maxPoliciesPerType {
			return constraint("POLICY_NUMBER_LIMIT_EXCEEDED", "The organization already has the maximum of %d policies of type %s.", maxPoliciesPerType, in.Type)
		}
		if _, err := tx.OrgPolicyByName(in.Type, in.Name); err == nil {
			return errDuplicatePolicy
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		now := s.now()
		p := &store.OrgPolicy{Type: in.Type, Name: in.Name, Description: *in.Description, Content: in.Content, CreatedAt: now, UpdatedAt: now}
		for {
			suffix, err := auth.RandomString(s.random, idAlphabet, 10)
			if err != nil {
				return err
			}
			p.ID = "p-" + suffix
			if _, err := tx.OrgPolicy(p.ID); errors.Is(err, store.ErrNotFound) {
				break
			} else if err != nil {
				return err
			}
		}
		if err := tx.CreateOrgPolicy(p); err != nil {
			return fmt.Errorf("create policy: %w", err)
		}
		if err := tx.SetTags(p.ID, tags); err != nil {
			return err
		}
		out.Policy = wirePolicy(org, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdatePolicyInput changes a policy's name, description or document.
type UpdatePolicyInput struct {
	PolicyId    string `required:"true"`
	Name        *string
	Description *string
	Content     *string
}

// Validate checks the policy ID's pattern and lengths.
func (in *UpdatePolicyInput) Validate() error {
	if err := validatePolicyID(in.PolicyId); err != nil {
		return err
	}
	if in.Name != nil {
		if err := validateLength("Name", *in.Name, 1, 128); err != nil {
			return err
		}
	}
	if in.Description != nil {
		if err := validateLength("Description", *in.Description, 0, 512); err != nil {
			return err
		}
	}
	if in.Content != nil && *in.Content == "" {
		return invalidInput("MIN_LENGTH_EXCEEDED", "Content must not be empty.")
	}
	return nil
}

func (s *Service) updatePolicy(ctx context.Context, in *UpdatePolicyInput) (*PolicyOutput, error) {
	var out PolicyOutput
	err := s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		p, err := readPolicy(tx, in.PolicyId)
		if err != nil {
			return err
		}
		if p.AWSManaged {
			return errImmutablePolicy
		}
		if in.Name != nil && *in.Name != p.Name {
			if _, err := tx.OrgPolicyByName(p.Type, *in.Name); err == nil {
				return errDuplicatePolicy
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			p.Name = *in.Name
		}
		if in.Description != nil {
			p.Description = *in.Description
		}
		if in.Content != nil {
			if err := validateContent(p.Type, *in.Content); err != nil {
				return err
			}
			p.Content = *in.Content
		}
		p.UpdatedAt = s.now()
		if err := tx.UpdateOrgPolicy(p); err != nil {
			return fmt.Errorf("update policy %s: %w", p.ID, err)
		}
		out.Policy = wirePolicy(org, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// PolicyIDInput names a policy.
type PolicyIDInput struct {
	PolicyId string `required:"true"`
}

// Validate checks the policy ID's pattern.
func (in *PolicyIDInput) Validate() error { return validatePolicyID(in.PolicyId) }

func (s *Service) describePolicy(ctx context.Context, in *PolicyIDInput) (*PolicyOutput, error) {
	var out PolicyOutput
	err := s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		p, err := readPolicy(tx, in.PolicyId)
		if err != nil {
			return err
		}
		out.Policy = wirePolicy(org, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeletePolicyOutput is empty.
type DeletePolicyOutput struct{}

func (s *Service) deletePolicy(ctx context.Context, in *PolicyIDInput) (*DeletePolicyOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		if _, err := s.organization(ctx, tx, true); err != nil {
			return err
		}
		p, err := readPolicy(tx, in.PolicyId)
		if err != nil {
			return err
		}
		if p.AWSManaged {
			return errImmutablePolicy
		}
		if n, err := tx.CountOrgPolicyTargets(p.ID); err != nil {
			return err
		} else if n > 0 {
			return errPolicyInUse
		}
		return tx.DeleteOrgPolicy(p.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeletePolicyOutput{}, nil
}

// ListPoliciesInput pages through the policies of one type.
type ListPoliciesInput struct {
	Filter     string `required:"true"`
	NextToken  *string
	MaxResults *int
}

// Validate checks the filter.
func (in *ListPoliciesInput) Validate() error { return validatePolicyType("Filter", in.Filter, false) }

// ListPoliciesOutput is one page of policy summaries.
type ListPoliciesOutput struct {
	Policies  []PolicySummary
	NextToken *string `json:",omitempty"`
}

func (s *Service) listPoliciesAccess(ctx context.Context, in *ListPoliciesInput) (*operation.Access, error) {
	a, err := s.starAccess(ctx)
	if a != nil {
		a.Context = policyTypeContext(in.Filter)
	}
	return a, err
}

func (s *Service) listPolicies(ctx context.Context, in *ListPoliciesInput) (*ListPoliciesOutput, error) {
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
		policies, err := tx.ListOrgPolicies(in.Filter, pg.page())
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

func (s *Service) policyIDAccess(ctx context.Context, in *PolicyIDInput) (*operation.Access, error) {
	return s.policyAccess(ctx, in.PolicyId, "")
}
