package organizations

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// policyType tells whether typ is a policy type of the Organizations API and whether
// Cairn keeps it (the two that bear on authorization).
func policyType(typ string) (known, kept bool) {
	switch typ {
	case store.ServiceControlPolicy, store.ResourceControlPolicy:
		return true, true
	case "TAG_POLICY", "BACKUP_POLICY", "AISERVICES_OPT_OUT_POLICY", "CHATBOT_POLICY",
		"DECLARATIVE_POLICY_EC2", "SECURITYHUB_POLICY", "INSPECTOR_POLICY",
		"UPGRADE_ROLLOUT_POLICY", "BEDROCK_POLICY", "S3_POLICY", "NETWORK_SECURITY_DIRECTOR_POLICY":
		return true, false
	}
	return false, false
}

// validatePolicyType checks that typ is a policy type of the API; supported says it must
// also be one Cairn keeps.
func validatePolicyType(member, typ string, supported bool) error {
	known, keeps := policyType(typ)
	if !known {
		return invalidInput("INVALID_ENUM_POLICY_TYPE", "%s %q is not a policy type; use SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY.", member, typ)
	}
	if supported && !keeps {
		return invalidInput("INVALID_ENUM_POLICY_TYPE", "Cairn supports the policy types SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY, not %s.", typ)
	}
	return nil
}

// The AWS managed policies: each is attached to every root, OU and account while its type
// is enabled.
const (
	fullAWSAccessID     = "p-FullAWSAccess"
	rcpFullAWSAccessID  = "p-RCPFullAWSAccess"
	fullAWSAccessDoc    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	rcpFullAWSAccessDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
)

// managedPolicies returns the AWS managed policies.
func managedPolicies() []store.OrgPolicy {
	return []store.OrgPolicy{
		{ID: fullAWSAccessID, Type: store.ServiceControlPolicy, Name: "FullAWSAccess",
			Description: "Allows access to every operation", Content: fullAWSAccessDoc, AWSManaged: true},
		{ID: rcpFullAWSAccessID, Type: store.ResourceControlPolicy, Name: "RCPFullAWSAccess",
			Description: "Allows access to every operation", Content: rcpFullAWSAccessDoc, AWSManaged: true},
	}
}

// defaultPolicy is the managed policy attached to everything while typ is enabled.
func defaultPolicy(typ string) string {
	if typ == store.ResourceControlPolicy {
		return rcpFullAWSAccessID
	}
	return fullAWSAccessID
}

// ensureManagedPolicies creates the AWS managed policies if they are missing.
func (s *Service) ensureManagedPolicies(tx txn) error {
	for _, p := range managedPolicies() {
		if _, err := tx.OrgPolicy(p.ID); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		p.CreatedAt, p.UpdatedAt = s.now(), s.now()
		if err := tx.CreateOrgPolicy(&p); err != nil {
			return fmt.Errorf("create managed policy %s: %w", p.Name, err)
		}
	}
	return nil
}

// attachDefaults attaches to a new root, OU or account the managed policy of every
// enabled policy type.
func (s *Service) attachDefaults(tx txn, targetID string) error {
	types, err := tx.EnabledPolicyTypes()
	if err != nil {
		return err
	}
	for _, t := range types {
		if err := tx.AttachOrgPolicy(defaultPolicy(t), targetID, s.now()); err != nil && !errors.Is(err, store.ErrExists) {
			return fmt.Errorf("attach %s to %s: %w", defaultPolicy(t), targetID, err)
		}
	}
	return nil
}

// allNodes lists the root, every OU (parents before children) and every account.
func allNodes(tx txn, org *store.Organization) ([]string, error) {
	nodes := []string{org.RootID}
	for i := 0; i < len(nodes); i++ {
		ous, err := tx.ListOrganizationalUnits(nodes[i], store.Page{})
		if err != nil {
			return nil, err
		}
		for _, ou := range ous {
			nodes = append(nodes, ou.ID)
		}
	}
	accounts, err := tx.ListAccounts(store.Page{})
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		nodes = append(nodes, a.ID)
	}
	return nodes, nil
}

var (
	errPolicyTypeEnabled = &operation.Error{Code: "PolicyTypeAlreadyEnabledException", Status: http.StatusBadRequest,
		Message: "The specified policy type is already enabled."}
	errPolicyTypeNotEnabled = &operation.Error{Code: "PolicyTypeNotEnabledException", Status: http.StatusBadRequest,
		Message: "This operation can be performed only for enabled policy types."}
)

// PolicyTypeInput names a root and a policy type to enable or disable.
type PolicyTypeInput struct {
	RootId     string `required:"true"`
	PolicyType string `required:"true"`
}

// Validate checks the root ID's pattern and the policy type.
func (in *PolicyTypeInput) Validate() error {
	if !rootIDPattern.MatchString(in.RootId) {
		return invalidInput("INVALID_PATTERN", "You specified a value with an invalid pattern: RootId %q must match ^r-[0-9a-z]{4,32}$.", in.RootId)
	}
	return validatePolicyType("PolicyType", in.PolicyType, true)
}

// PolicyTypeOutput holds the root as it now is.
type PolicyTypeOutput struct {
	Root Root
}

func (s *Service) policyTypeAccess(ctx context.Context, in *PolicyTypeInput) (*operation.Access, error) {
	a, err := s.access(ctx, func(tx txn, org *store.Organization) ([]operation.Resource, error) {
		return []operation.Resource{{ARN: nodeARN(org, in.RootId)}}, nil
	})
	if a != nil {
		a.Context = map[string][]string{"organizations:PolicyType": {in.PolicyType}}
	}
	return a, err
}

func (s *Service) enablePolicyType(ctx context.Context, in *PolicyTypeInput) (*PolicyTypeOutput, error) {
	var out PolicyTypeOutput
	err := s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if in.RootId != org.RootID {
			return errRootNotFound
		}
		if enabled, err := typeEnabled(tx, in.PolicyType); err != nil {
			return err
		} else if enabled {
			return errPolicyTypeEnabled
		}
		if err := s.ensureManagedPolicies(tx); err != nil {
			return err
		}
		if err := tx.EnablePolicyType(in.PolicyType, s.now()); err != nil {
			return fmt.Errorf("enable %s: %w", in.PolicyType, err)
		}
		nodes, err := allNodes(tx, org)
		if err != nil {
			return err
		}
		for _, id := range nodes {
			if err := tx.AttachOrgPolicy(defaultPolicy(in.PolicyType), id, s.now()); err != nil && !errors.Is(err, store.ErrExists) {
				return fmt.Errorf("attach %s to %s: %w", defaultPolicy(in.PolicyType), id, err)
			}
		}
		out.Root, err = wireRoot(tx, org)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *Service) disablePolicyType(ctx context.Context, in *PolicyTypeInput) (*PolicyTypeOutput, error) {
	var out PolicyTypeOutput
	err := s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if in.RootId != org.RootID {
			return errRootNotFound
		}
		if enabled, err := typeEnabled(tx, in.PolicyType); err != nil {
			return err
		} else if !enabled {
			return errPolicyTypeNotEnabled
		}
		if err := tx.DisablePolicyType(in.PolicyType); err != nil {
			return fmt.Errorf("disable %s: %w", in.PolicyType, err)
		}
		out.Root, err = wireRoot(tx, org)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func typeEnabled(tx txn, typ string) (bool, error) {
	types, err := tx.EnabledPolicyTypes()
	if err != nil {
		return false, err
	}
	for _, t := range types {
		if t == typ {
			return true, nil
		}
	}
	return false, nil
}
