package organizations

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/store"
)

// Bootstrap makes sure the organization, its management account, the AWS managed
// organization policies and every account in accounts exist, each member account with
// its OrganizationAccountAccessRole. It is idempotent: an account already there with the
// same ID and name is left alone (its role is recreated if missing); an ID or a name that
// clashes with a different account is an error naming both.
func (s *Service) Bootstrap(ctx context.Context, accounts []NewAccount) error {
	return s.store.Update(ctx, func(tx txn) error {
		org, err := tx.Organization()
		if errors.Is(err, store.ErrNotFound) {
			org, err = s.createOrganization(tx)
		}
		if err != nil {
			return err
		}
		if err := s.ensureManagedPolicies(tx); err != nil {
			return err
		}
		want := append([]NewAccount{{ID: org.ManagementAccountID, Name: "management"}}, accounts...)
		for _, na := range want {
			if !arn.IsAccountID(na.ID) {
				return fmt.Errorf("account %q: id %q is not 12 digits", na.Name, na.ID)
			}
			if err := ValidateAccountName(na.Name); err != nil {
				return fmt.Errorf("account %q: %w", na.Name, err)
			}
			byID, err := tx.Account(na.ID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			byName, err := tx.AccountByName(na.Name)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			switch {
			case byID != nil && byID.Name == na.Name:
				if na.ID != org.ManagementAccountID {
					if err := s.ensureAccessRole(tx, org, na.ID, na.RoleName); err != nil {
						return err
					}
				}
				continue
			case byID != nil:
				return fmt.Errorf("account %q (%s) clashes with existing account %q (%s): same id", na.Name, na.ID, byID.Name, byID.ID)
			case byName != nil:
				return fmt.Errorf("account %q (%s) clashes with existing account %q (%s): same name", na.Name, na.ID, byName.Name, byName.ID)
			}
			if _, err := s.newAccount(tx, org, na); err != nil {
				if errors.Is(err, errEmailTaken) {
					return fmt.Errorf("account %q (%s): email %s is used by another account", na.Name, na.ID, na.Email)
				}
				return err
			}
		}
		return nil
	})
}

func (s *Service) createOrganization(tx txn) (*store.Organization, error) {
	const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	id, err := auth.RandomString(s.random, alnum, 10)
	if err != nil {
		return nil, err
	}
	root, err := auth.RandomString(s.random, alnum, 4)
	if err != nil {
		return nil, err
	}
	org := &store.Organization{ID: "o-" + id, ManagementAccountID: ManagementAccountID, RootID: "r-" + root, FeatureSet: "ALL", CreatedAt: s.now()}
	if err := tx.CreateOrganization(org); err != nil {
		return nil, fmt.Errorf("create organization: %w", err)
	}
	return org, nil
}
