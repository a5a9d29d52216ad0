package organizations

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/store"
)

// Limits of the organization tree, as AWS sets them.
const (
	// maxOUDepth is how deep OUs nest under the root.
	maxOUDepth = 5
	// maxOUs is how many OUs an organization holds.
	maxOUs = 1000
)

// Errors of the organization tree.
var (
	errRootNotFound = &operation.Error{Code: "RootNotFoundException", Status: http.StatusBadRequest,
		Message: "We can't find a root with the RootId that you specified."}
	errParentNotFound = &operation.Error{Code: "ParentNotFoundException", Status: http.StatusBadRequest,
		Message: "We can't find a root or OU with the ParentId that you specified."}
	errOUNotFound = &operation.Error{Code: "OrganizationalUnitNotFoundException", Status: http.StatusBadRequest,
		Message: "We can't find an OU with the OrganizationalUnitId that you specified."}
	errOUNotEmpty = &operation.Error{Code: "OrganizationalUnitNotEmptyException", Status: http.StatusBadRequest,
		Message: "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again."}
	errDuplicateOU = &operation.Error{Code: "DuplicateOrganizationalUnitException", Status: http.StatusBadRequest,
		Message: "An OU with the same name already exists."}
	errSourceParentNotFound = &operation.Error{Code: "SourceParentNotFoundException", Status: http.StatusBadRequest,
		Message: "We can't find a source root or OU with the ParentId that you specified."}
	errDestinationParentNotFound = &operation.Error{Code: "DestinationParentNotFoundException", Status: http.StatusBadRequest,
		Message: "We can't find a destination root or OU with the ParentId that you specified."}
	errDuplicateAccount = &operation.Error{Code: "DuplicateAccountException", Status: http.StatusBadRequest,
		Message: "That account is already present in the specified destination."}
	errChildNotFound = &operation.Error{Code: "ChildNotFoundException", Status: http.StatusBadRequest,
		Message: "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified."}
)

// Root is the organization's root on the wire.
type Root struct {
	Id          string
	Arn         string
	Name        string
	PolicyTypes []PolicyTypeSummary
}

func wireRoot(tx txn, org *store.Organization) (Root, error) {
	types, err := tx.EnabledPolicyTypes()
	if err != nil {
		return Root{}, err
	}
	r := Root{Id: org.RootID, Arn: rootARN(org), Name: "Root", PolicyTypes: []PolicyTypeSummary{}}
	for _, t := range types {
		r.PolicyTypes = append(r.PolicyTypes, PolicyTypeSummary{Type: t, Status: "ENABLED"})
	}
	return r, nil
}

// OrganizationalUnit is an OU on the wire.
type OrganizationalUnit struct {
	Id   string
	Arn  string
	Name string
	Path string `json:",omitempty"`
}

func wireOU(tx txn, org *store.Organization, ou *store.OrganizationalUnit) (OrganizationalUnit, error) {
	chain, err := ouChain(tx, org, ou.ID)
	if err != nil {
		return OrganizationalUnit{}, err
	}
	path := org.ID + "/" + org.RootID + "/"
	for _, id := range chain {
		path += id + "/"
	}
	return OrganizationalUnit{Id: ou.ID, Arn: ouARN(org, ou.ID), Name: ou.Name, Path: path}, nil
}

// ouChain returns the OUs from the root down to id (included); nil for the root.
func ouChain(tx txn, org *store.Organization, id string) ([]string, error) {
	var chain []string
	for id != org.RootID {
		if len(chain) > maxOUDepth {
			return nil, fmt.Errorf("organizational unit %s: nested deeper than %d", id, maxOUDepth)
		}
		ou, err := tx.OrganizationalUnit(id)
		if err != nil {
			return nil, fmt.Errorf("read organizational unit %s: %w", id, err)
		}
		chain = append([]string{ou.ID}, chain...)
		id = ou.ParentID
	}
	return chain, nil
}

// parentExists tells whether id is the root or an existing OU.
func parentExists(tx txn, org *store.Organization, id string) (bool, error) {
	if kindOf(id) == kindRoot {
		return id == org.RootID, nil
	}
	_, err := tx.OrganizationalUnit(id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// ListRootsInput pages through the roots.
type ListRootsInput struct {
	NextToken  *string
	MaxResults *int
}

// ListRootsOutput holds the one root.
type ListRootsOutput struct {
	Roots     []Root
	NextToken *string `json:",omitempty"`
}

func (s *Service) listRoots(ctx context.Context, in *ListRootsInput) (*ListRootsOutput, error) {
	pg, err := newPager(in.MaxResults, in.NextToken, rootIDPattern.MatchString)
	if err != nil {
		return nil, err
	}
	out := ListRootsOutput{Roots: []Root{}}
	err = s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if pg.after >= org.RootID {
			return nil
		}
		root, err := wireRoot(tx, org)
		out.Roots = append(out.Roots, root)
		return err
	})
	return &out, err
}

// CreateOrganizationalUnitInput asks for an OU under a parent.
type CreateOrganizationalUnitInput struct {
	ParentId string `required:"true"`
	Name     string `required:"true"`
	Tags     []Tag
}

// Validate checks the input's patterns and lengths.
func (in *CreateOrganizationalUnitInput) Validate() error {
	if err := validateParentID("ParentId", in.ParentId); err != nil {
		return err
	}
	if err := validateLength("Name", in.Name, 1, 128); err != nil {
		return err
	}
	_, err := validateTags(in.Tags)
	return err
}

// CreateOrganizationalUnitOutput holds the new OU.
type CreateOrganizationalUnitOutput struct {
	OrganizationalUnit OrganizationalUnit
}

func (s *Service) createOUAccess(ctx context.Context, in *CreateOrganizationalUnitInput) (*operation.Access, error) {
	a, err := s.access(ctx, func(tx txn, org *store.Organization) ([]operation.Resource, error) {
		r, err := nodeResource(tx, org, in.ParentId)
		return []operation.Resource{r}, err
	})
	if a != nil {
		a.Context = requestTags(in.Tags)
	}
	return a, err
}

func (s *Service) createOrganizationalUnit(ctx context.Context, in *CreateOrganizationalUnitInput) (*CreateOrganizationalUnitOutput, error) {
	tags, err := validateTags(in.Tags)
	if err != nil {
		return nil, err
	}
	var out CreateOrganizationalUnitOutput
	err = s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		if ok, err := parentExists(tx, org, in.ParentId); err != nil {
			return err
		} else if !ok {
			return errParentNotFound
		}
		chain, err := ouChain(tx, org, in.ParentId)
		if err != nil {
			return err
		}
		if len(chain) >= maxOUDepth {
			return constraint("OU_DEPTH_LIMIT_EXCEEDED", "You can't nest OUs more than %d levels deep under the root.", maxOUDepth)
		}
		if n, err := tx.CountOrganizationalUnits(); err != nil {
			return err
		} else if n >= maxOUs {
			return constraint("OU_NUMBER_LIMIT_EXCEEDED", "The organization already has the maximum of %d OUs.", maxOUs)
		}
		if _, err := tx.OrganizationalUnitByName(in.ParentId, in.Name); err == nil {
			return errDuplicateOU
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		ou := &store.OrganizationalUnit{Name: in.Name, ParentID: in.ParentId, CreatedAt: s.now()}
		for {
			suffix, err := auth.RandomString(s.random, idAlphabet, 8)
			if err != nil {
				return err
			}
			ou.ID = "ou-" + org.RootID[len("r-"):] + "-" + suffix
			if _, err := tx.OrganizationalUnit(ou.ID); errors.Is(err, store.ErrNotFound) {
				break
			} else if err != nil {
				return err
			}
		}
		if err := tx.CreateOrganizationalUnit(ou); err != nil {
			return fmt.Errorf("create organizational unit: %w", err)
		}
		if err := tx.SetTags(ou.ID, tags); err != nil {
			return err
		}
		if err := s.attachDefaults(tx, ou.ID); err != nil {
			return err
		}
		out.OrganizationalUnit, err = wireOU(tx, org, ou)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DescribeOrganizationalUnitInput names an OU.
type DescribeOrganizationalUnitInput struct {
	OrganizationalUnitId string `required:"true"`
}

// Validate checks the OU ID's pattern.
func (in *DescribeOrganizationalUnitInput) Validate() error {
	return validateOUID(in.OrganizationalUnitId)
}

// DescribeOrganizationalUnitOutput holds the OU.
type DescribeOrganizationalUnitOutput struct {
	OrganizationalUnit OrganizationalUnit
}

// nodeAccess authorizes an operation on one root, OU or account.
func (s *Service) nodeAccess(ctx context.Context, id string) (*operation.Access, error) {
	return s.access(ctx, func(tx txn, org *store.Organization) ([]operation.Resource, error) {
		r, err := nodeResource(tx, org, id)
		return []operation.Resource{r}, err
	})
}

func (s *Service) describeOrganizationalUnit(ctx context.Context, in *DescribeOrganizationalUnitInput) (*DescribeOrganizationalUnitOutput, error) {
	var out DescribeOrganizationalUnitOutput
	err := s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		ou, err := readOU(tx, in.OrganizationalUnitId)
		if err != nil {
			return err
		}
		out.OrganizationalUnit, err = wireOU(tx, org, ou)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func readOU(tx txn, id string) (*store.OrganizationalUnit, error) {
	ou, err := tx.OrganizationalUnit(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errOUNotFound
	}
	return ou, err
}

// UpdateOrganizationalUnitInput renames an OU.
type UpdateOrganizationalUnitInput struct {
	OrganizationalUnitId string `required:"true"`
	Name                 *string
}

// Validate checks the OU ID's pattern and the name's length.
func (in *UpdateOrganizationalUnitInput) Validate() error {
	if err := validateOUID(in.OrganizationalUnitId); err != nil {
		return err
	}
	if in.Name != nil {
		return validateLength("Name", *in.Name, 1, 128)
	}
	return nil
}

// UpdateOrganizationalUnitOutput holds the OU as it now is.
type UpdateOrganizationalUnitOutput struct {
	OrganizationalUnit OrganizationalUnit
}

func (s *Service) updateOrganizationalUnit(ctx context.Context, in *UpdateOrganizationalUnitInput) (*UpdateOrganizationalUnitOutput, error) {
	var out UpdateOrganizationalUnitOutput
	err := s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		ou, err := readOU(tx, in.OrganizationalUnitId)
		if err != nil {
			return err
		}
		if in.Name != nil && *in.Name != ou.Name {
			if _, err := tx.OrganizationalUnitByName(ou.ParentID, *in.Name); err == nil {
				return errDuplicateOU
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err := tx.RenameOrganizationalUnit(ou.ID, *in.Name); err != nil {
				return fmt.Errorf("rename organizational unit: %w", err)
			}
			ou.Name = *in.Name
		}
		out.OrganizationalUnit, err = wireOU(tx, org, ou)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteOrganizationalUnitInput names an empty OU to delete.
type DeleteOrganizationalUnitInput struct {
	OrganizationalUnitId string `required:"true"`
}

// Validate checks the OU ID's pattern.
func (in *DeleteOrganizationalUnitInput) Validate() error {
	return validateOUID(in.OrganizationalUnitId)
}

// DeleteOrganizationalUnitOutput is empty.
type DeleteOrganizationalUnitOutput struct{}

func (s *Service) deleteOrganizationalUnit(ctx context.Context, in *DeleteOrganizationalUnitInput) (*DeleteOrganizationalUnitOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		if _, err := s.organization(ctx, tx, true); err != nil {
			return err
		}
		ou, err := readOU(tx, in.OrganizationalUnitId)
		if err != nil {
			return err
		}
		children, err := tx.ListOrganizationalUnits(ou.ID, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		accounts, err := tx.ListAccountsForParent(ou.ID, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		if len(children) > 0 || len(accounts) > 0 {
			return errOUNotEmpty
		}
		return tx.DeleteOrganizationalUnit(ou.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteOrganizationalUnitOutput{}, nil
}

// ListOrganizationalUnitsForParentInput pages through the OUs of a parent.
type ListOrganizationalUnitsForParentInput struct {
	ParentId   string `required:"true"`
	NextToken  *string
	MaxResults *int
}

// Validate checks the parent ID's pattern.
func (in *ListOrganizationalUnitsForParentInput) Validate() error {
	return validateParentID("ParentId", in.ParentId)
}

// ListOrganizationalUnitsForParentOutput is one page of OUs.
type ListOrganizationalUnitsForParentOutput struct {
	OrganizationalUnits []OrganizationalUnit
	NextToken           *string `json:",omitempty"`
}

func (s *Service) listOrganizationalUnitsForParent(ctx context.Context, in *ListOrganizationalUnitsForParentInput) (*ListOrganizationalUnitsForParentOutput, error) {
	pg, err := newPager(in.MaxResults, in.NextToken, ouIDPattern.MatchString)
	if err != nil {
		return nil, err
	}
	out := ListOrganizationalUnitsForParentOutput{OrganizationalUnits: []OrganizationalUnit{}}
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
		ous, err := tx.ListOrganizationalUnits(in.ParentId, pg.page())
		if err != nil {
			return err
		}
		ous, out.NextToken = nextPage(pg, ous, func(v *store.OrganizationalUnit) string { return v.ID })
		for _, ou := range ous {
			w, err := wireOU(tx, org, ou)
			if err != nil {
				return err
			}
			out.OrganizationalUnits = append(out.OrganizationalUnits, w)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func constraint(reason, format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "ConstraintViolationException", format, args...).With("Reason", reason)
}
