package ram

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/arn"

	"github.com/cairnhq/cairn/internal/store"
)

// orgInfo is the organization as RAM needs it: its identity and whether its management
// account enabled sharing with it.
type orgInfo struct {
	org     *store.Organization // nil when there is none
	sharing bool
}

func (s *Service) organization(tx txn) (*orgInfo, error) {
	org, err := tx.Organization()
	if errors.Is(err, store.ErrNotFound) {
		return &orgInfo{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ram: organization: %w", err)
	}
	sharing, err := tx.RAMOrgSharing(org.ID)
	if err != nil {
		return nil, fmt.Errorf("ram: organization sharing: %w", err)
	}
	return &orgInfo{org: org, sharing: sharing}, nil
}

// arn is the organization's ARN, as a principal names it.
func (o *orgInfo) arn() string {
	return arn.Organization(o.org.ManagementAccountID, o.org.ID)
}

// ouARN is the ARN of one of its OUs.
func (o *orgInfo) ouARN(ou string) string {
	return arn.OrganizationalUnit(o.org.ManagementAccountID, o.org.ID, ou)
}

// member reports whether an account belongs to the organization.
func (o *orgInfo) member(tx txn, account string) (bool, error) {
	if o.org == nil || account == "" {
		return false, nil
	}
	_, err := tx.Account(account)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// ouPath returns the aws:PrincipalOrgPaths prefix of an OU, "o-…/r-…/ou-…/…/ou-x/".
func (o *orgInfo) ouPath(tx txn, ou string) (string, error) {
	var chain []string
	for id := ou; id != o.org.RootID; {
		node, err := tx.OrganizationalUnit(id)
		if err != nil {
			return "", fmt.Errorf("ram: OU %s: %w", id, err)
		}
		chain = append([]string{node.ID}, chain...)
		if len(chain) > 10 {
			return "", fmt.Errorf("ram: OU %s is nested too deep", ou)
		}
		id = node.ParentID
	}
	path := o.org.ID + "/" + o.org.RootID + "/"
	for _, id := range chain {
		path += id + "/"
	}
	return path, nil
}

// accountOUs returns the OUs an account sits under, from the root down.
func (o *orgInfo) accountOUs(tx txn, account string) ([]string, error) {
	a, err := tx.Account(account)
	if err != nil {
		return nil, err
	}
	var chain []string
	for id := a.ParentID; id != "" && id != o.org.RootID; {
		node, err := tx.OrganizationalUnit(id)
		if err != nil {
			return nil, fmt.Errorf("ram: OU %s: %w", id, err)
		}
		chain = append([]string{node.ID}, chain...)
		if len(chain) > 10 {
			break
		}
		id = node.ParentID
	}
	return chain, nil
}

// enableSharingWithAwsOrganization lets the management account share with the whole
// organization and its OUs, and with member accounts without invitations.
func (s *Service) enableSharingWithAwsOrganization(ctx context.Context, _ *EnableSharingWithAwsOrganizationInput) (*ReturnValueOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(tx)
		if err != nil {
			return err
		}
		if org.org == nil {
			return operationNotPermitted("There is no organization to enable sharing with.")
		}
		if caller(ctx).Account != org.org.ManagementAccountID {
			return operationNotPermitted("Only the organization's management account (%s) can enable sharing with the organization.", org.org.ManagementAccountID)
		}
		return tx.EnableRAMOrgSharing(org.org.ID, s.now())
	})
	if err != nil {
		return nil, err
	}
	return &ReturnValueOutput{ReturnValue: true}, nil
}
