package organizations

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/store"
)

// MoveAccountInput moves an account from its parent to another.
type MoveAccountInput struct {
	AccountId           string `required:"true"`
	SourceParentId      string `required:"true"`
	DestinationParentId string `required:"true"`
}

// Validate checks the IDs' patterns.
func (in *MoveAccountInput) Validate() error {
	if err := validateAccountID(in.AccountId); err != nil {
		return err
	}
	if err := validateParentID("SourceParentId", in.SourceParentId); err != nil {
		return err
	}
	return validateParentID("DestinationParentId", in.DestinationParentId)
}

// MoveAccountOutput is empty.
type MoveAccountOutput struct{}

func (s *Service) moveAccountAccess(ctx context.Context, in *MoveAccountInput) (*operation.Access, error) {
	return s.access(ctx, func(tx txn, org *store.Organization) ([]operation.Resource, error) {
		var res []operation.Resource
		for _, id := range []string{in.AccountId, in.SourceParentId, in.DestinationParentId} {
			r, err := nodeResource(tx, org, id)
			if err != nil {
				return nil, err
			}
			res = append(res, r)
		}
		return res, nil
	})
}

func (s *Service) moveAccount(ctx context.Context, in *MoveAccountInput) (*MoveAccountOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		a, err := tx.Account(in.AccountId)
		if errors.Is(err, store.ErrNotFound) {
			return errAccountNotFound
		} else if err != nil {
			return err
		}
		if ok, err := parentExists(tx, org, in.SourceParentId); err != nil {
			return err
		} else if !ok {
			return errSourceParentNotFound
		}
		if ok, err := parentExists(tx, org, in.DestinationParentId); err != nil {
			return err
		} else if !ok {
			return errDestinationParentNotFound
		}
		if a.ParentID != in.SourceParentId {
			return &operation.Error{Code: "AccountNotFoundException", Status: http.StatusBadRequest,
				Message: fmt.Sprintf("You specified an account that doesn't exist in the source parent %s.", in.SourceParentId)}
		}
		if in.DestinationParentId == a.ParentID {
			return errDuplicateAccount
		}
		return tx.MoveAccount(a.ID, in.DestinationParentId)
	})
	if err != nil {
		return nil, err
	}
	return &MoveAccountOutput{}, nil
}

// ListParentsInput names an account or OU.
type ListParentsInput struct {
	ChildId    string `required:"true"`
	NextToken  *string
	MaxResults *int
}

// Validate checks the child ID's pattern.
func (in *ListParentsInput) Validate() error {
	if k := kindOf(in.ChildId); k != kindOU && k != kindAccount {
		return invalidInput("INVALID_PATTERN", "You specified a value with an invalid pattern: ChildId %q must be a 12-digit account ID or an organizational unit ID (ou-…).", in.ChildId)
	}
	return nil
}

// Parent is a root or OU that holds a child.
type Parent struct {
	Id   string
	Type string
}

// ListParentsOutput holds the child's one parent.
type ListParentsOutput struct {
	Parents   []Parent
	NextToken *string `json:",omitempty"`
}

func (s *Service) childAccess(ctx context.Context, in *ListParentsInput) (*operation.Access, error) {
	return s.nodeAccess(ctx, in.ChildId)
}

func (s *Service) listParents(ctx context.Context, in *ListParentsInput) (*ListParentsOutput, error) {
	pg, err := newPager(in.MaxResults, in.NextToken, func(k string) bool { return kindOf(k) != "" })
	if err != nil {
		return nil, err
	}
	out := ListParentsOutput{Parents: []Parent{}}
	err = s.store.View(ctx, func(tx txn) error {
		if _, err := s.organization(ctx, tx, true); err != nil {
			return err
		}
		var parent string
		if kindOf(in.ChildId) == kindOU {
			ou, err := tx.OrganizationalUnit(in.ChildId)
			if errors.Is(err, store.ErrNotFound) {
				return errChildNotFound
			} else if err != nil {
				return err
			}
			parent = ou.ParentID
		} else {
			a, err := tx.Account(in.ChildId)
			if errors.Is(err, store.ErrNotFound) {
				return errChildNotFound
			} else if err != nil {
				return err
			}
			parent = a.ParentID
		}
		if pg.after == "" {
			typ := kindOU
			if kindOf(parent) == kindRoot {
				typ = kindRoot
			}
			out.Parents = append(out.Parents, Parent{Id: parent, Type: typ})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListChildrenInput pages through the accounts or the OUs of a parent.
type ListChildrenInput struct {
	ParentId   string `required:"true"`
	ChildType  string `required:"true"`
	NextToken  *string
	MaxResults *int
}

// Validate checks the parent ID's pattern and the child type.
func (in *ListChildrenInput) Validate() error {
	if err := validateParentID("ParentId", in.ParentId); err != nil {
		return err
	}
	if in.ChildType != kindAccount && in.ChildType != kindOU {
		return invalidInput("INVALID_ENUM", "ChildType must be ACCOUNT or ORGANIZATIONAL_UNIT; you gave %q.", in.ChildType)
	}
	return nil
}

// Child is an account or OU under a parent.
type Child struct {
	Id   string
	Type string
}

// ListChildrenOutput is one page of children.
type ListChildrenOutput struct {
	Children  []Child
	NextToken *string `json:",omitempty"`
}

func (s *Service) listChildren(ctx context.Context, in *ListChildrenInput) (*ListChildrenOutput, error) {
	valid := arn.IsAccountID
	if in.ChildType == kindOU {
		valid = ouIDPattern.MatchString
	}
	pg, err := newPager(in.MaxResults, in.NextToken, valid)
	if err != nil {
		return nil, err
	}
	out := ListChildrenOutput{Children: []Child{}}
	err = s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if ok, err := parentExists(tx, org, in.ParentId); err != nil {
			return err
		} else if !ok {
			return errParentNotFound
		}
		var ids []string
		if in.ChildType == kindOU {
			ous, err := tx.ListOrganizationalUnits(in.ParentId, pg.page())
			if err != nil {
				return err
			}
			for _, ou := range ous {
				ids = append(ids, ou.ID)
			}
		} else {
			accounts, err := tx.ListAccountsForParent(in.ParentId, pg.page())
			if err != nil {
				return err
			}
			for _, a := range accounts {
				ids = append(ids, a.ID)
			}
		}
		ids, out.NextToken = nextPage(pg, ids, func(v string) string { return v })
		for _, id := range ids {
			out.Children = append(out.Children, Child{Id: id, Type: in.ChildType})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListAccountsForParentInput pages through the accounts of a parent.
type ListAccountsForParentInput struct {
	ParentId   string `required:"true"`
	NextToken  *string
	MaxResults *int
}

// Validate checks the parent ID's pattern.
func (in *ListAccountsForParentInput) Validate() error {
	return validateParentID("ParentId", in.ParentId)
}

// ListAccountsForParentOutput is one page of accounts.
type ListAccountsForParentOutput struct {
	Accounts  []Account
	NextToken *string `json:",omitempty"`
}

func (s *Service) listAccountsForParent(ctx context.Context, in *ListAccountsForParentInput) (*ListAccountsForParentOutput, error) {
	pg, err := newPager(in.MaxResults, in.NextToken, arn.IsAccountID)
	if err != nil {
		return nil, err
	}
	out := ListAccountsForParentOutput{Accounts: []Account{}}
	err = s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if ok, err := parentExists(tx, org, in.ParentId); err != nil {
			return err
		} else if !ok {
			return errParentNotFound
		}
		accounts, err := tx.ListAccountsForParent(in.ParentId, pg.page())
		if err != nil {
			return err
		}
		accounts, out.NextToken = nextPage(pg, accounts, func(v *store.Account) string { return v.ID })
		for _, a := range accounts {
			out.Accounts = append(out.Accounts, wireAccount(org, a))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
