// Package organizations serves AWS Organizations (awsJson1.1): the organization, its
// accounts and their creation.
package organizations

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/store"
)

// ManagementAccountID is the organization's management account in a fresh data dir.
const ManagementAccountID = "000000000000"

// Options configures the service.
type Options struct {
	Store  store.Store
	Now    func() time.Time
	Random io.Reader
}

// Service is Organizations.
type Service struct {
	store  store.Store
	now    func() time.Time
	random io.Reader
}

// New returns the Organizations service.
func New(o Options) *Service {
	return &Service{store: o.Store, now: o.Now, random: o.Random}
}

// API declares the operations of Organizations.
func (s *Service) API() *awsproto.Service {
	return awsproto.NewService(awsproto.Service{
		Name:           "organizations",
		Protocol:       awsproto.JSON11,
		TargetPrefix:   "AWSOrganizationsV20161128",
		Global:         true,
		ValidationCode: "InvalidInputException",
	},
		awsproto.Declare(awsproto.Op[DescribeOrganizationInput, DescribeOrganizationOutput]{
			Name: "DescribeOrganization", Handler: s.describeOrganization,
		}),
		awsproto.Declare(awsproto.Op[ListAccountsInput, ListAccountsOutput]{
			Name: "ListAccounts", Handler: s.listAccounts,
		}),
		awsproto.Declare(awsproto.Op[DescribeAccountInput, DescribeAccountOutput]{
			Name: "DescribeAccount", Handler: s.describeAccount, Access: s.accountAccess,
		}),
		awsproto.Declare(awsproto.Op[CreateAccountInput, CreateAccountOutput]{
			Name: "CreateAccount", Handler: s.createAccount,
		}),
		awsproto.Declare(awsproto.Op[DescribeCreateAccountStatusInput, DescribeCreateAccountStatusOutput]{
			Name: "DescribeCreateAccountStatus", Handler: s.describeCreateAccountStatus,
		}),
	)
}

// Errors of Organizations.
var (
	errNotManagement = &awsproto.Error{Code: "AccessDeniedException", Status: http.StatusBadRequest,
		Message: "You don't have permissions to access this resource."}
	errNotInUse = &awsproto.Error{Code: "AWSOrganizationsNotInUseException", Status: http.StatusBadRequest,
		Message: "Your account is not a member of an organization."}
)

func invalidInput(reason, format string, args ...any) *awsproto.Error {
	return awsproto.Errorf(http.StatusBadRequest, "InvalidInputException", format, args...).With("Reason", reason)
}

// organization reads the organization and checks that the caller's account belongs to it;
// management says the caller must be the management account.
func (s *Service) organization(ctx context.Context, tx store.Tx, management bool) (*store.Organization, error) {
	org, err := tx.Organization()
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotInUse
	}
	if err != nil {
		return nil, err
	}
	p := auth.PrincipalFrom(ctx)
	if _, err := tx.Account(p.Account); errors.Is(err, store.ErrNotFound) {
		return nil, errNotInUse
	} else if err != nil {
		return nil, err
	}
	if management && p.Account != org.ManagementAccountID {
		return nil, errNotManagement
	}
	return org, nil
}

// Organization describes an organization on the wire.
type Organization struct {
	Id                   string
	Arn                  string
	FeatureSet           string
	MasterAccountArn     string
	MasterAccountId      string
	MasterAccountEmail   string
	AvailablePolicyTypes []PolicyTypeSummary
}

// PolicyTypeSummary is one policy type and whether it is enabled.
type PolicyTypeSummary struct {
	Type   string
	Status string
}

// DescribeOrganizationInput has no members.
type DescribeOrganizationInput struct{}

// DescribeOrganizationOutput holds the organization.
type DescribeOrganizationOutput struct {
	Organization Organization
}

func (s *Service) describeOrganization(ctx context.Context, _ *DescribeOrganizationInput) (*DescribeOrganizationOutput, error) {
	var out DescribeOrganizationOutput
	err := s.store.View(ctx, func(tx store.Tx) error {
		org, err := s.organization(ctx, tx, false)
		if err != nil {
			return err
		}
		mgmt, err := tx.Account(org.ManagementAccountID)
		if err != nil {
			return fmt.Errorf("read management account: %w", err)
		}
		out.Organization = Organization{
			Id:                   org.ID,
			Arn:                  organizationARN(org),
			FeatureSet:           org.FeatureSet,
			MasterAccountArn:     accountARN(org, mgmt.ID),
			MasterAccountId:      mgmt.ID,
			MasterAccountEmail:   mgmt.Email,
			AvailablePolicyTypes: []PolicyTypeSummary{},
		}
		return nil
	})
	return &out, err
}

func organizationARN(org *store.Organization) string {
	return "arn:aws:organizations::" + org.ManagementAccountID + ":organization/" + org.ID
}

func accountARN(org *store.Organization, account string) string {
	return "arn:aws:organizations::" + org.ManagementAccountID + ":account/" + org.ID + "/" + account
}
