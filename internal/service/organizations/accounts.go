package organizations

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/store"
)

// Account is an account on the wire.
type Account struct {
	Id              string
	Arn             string
	Email           string
	Name            string
	Status          string
	State           string
	JoinedMethod    string
	JoinedTimestamp *operation.Timestamp
}

func wireAccount(org *store.Organization, a *store.Account) Account {
	return Account{
		Id:              a.ID,
		Arn:             accountARN(org, a.ID),
		Email:           a.Email,
		Name:            a.Name,
		Status:          a.State,
		State:           a.State,
		JoinedMethod:    a.JoinedMethod,
		JoinedTimestamp: operation.NewTimestamp(a.JoinedAt),
	}
}

// ListAccountsInput pages through accounts.
type ListAccountsInput struct {
	NextToken  *string
	MaxResults *int
}

// ListAccountsOutput is one page of accounts.
type ListAccountsOutput struct {
	Accounts  []Account
	NextToken *string `json:",omitempty"`
}

func (s *Service) listAccounts(ctx context.Context, in *ListAccountsInput) (*ListAccountsOutput, error) {
	pg, err := newPager(in.MaxResults, in.NextToken, arn.IsAccountID)
	if err != nil {
		return nil, err
	}
	out := ListAccountsOutput{Accounts: []Account{}}
	err = s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		accounts, err := tx.ListAccounts(pg.page())
		if err != nil {
			return err
		}
		accounts, out.NextToken = nextPage(pg, accounts, func(a *store.Account) string { return a.ID })
		for _, a := range accounts {
			out.Accounts = append(out.Accounts, wireAccount(org, a))
		}
		return nil
	})
	return &out, err
}

// DescribeAccountInput names an account.
type DescribeAccountInput struct {
	AccountId string `required:"true"`
}

// Validate checks the account ID's pattern.
func (in *DescribeAccountInput) Validate() error { return validateAccountID(in.AccountId) }

// DescribeAccountOutput holds the account.
type DescribeAccountOutput struct {
	Account Account
}

func (s *Service) accountAccess(ctx context.Context, in *DescribeAccountInput) (*operation.Access, error) {
	return s.nodeAccess(ctx, in.AccountId)
}

var errAccountNotFound = &operation.Error{Code: "AccountNotFoundException", Status: http.StatusBadRequest,
	Message: "You specified an account that doesn't exist."}

func (s *Service) describeAccount(ctx context.Context, in *DescribeAccountInput) (*DescribeAccountOutput, error) {
	var out DescribeAccountOutput
	err := s.store.View(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		a, err := tx.Account(in.AccountId)
		if errors.Is(err, store.ErrNotFound) {
			return errAccountNotFound
		}
		if err != nil {
			return err
		}
		out.Account = wireAccount(org, a)
		return nil
	})
	return &out, err
}

// CreateAccountInput asks for a new member account.
type CreateAccountInput struct {
	Email                  string `required:"true"`
	AccountName            string `required:"true"`
	RoleName               *string
	IamUserAccessToBilling *string
	Tags                   []Tag
}

// CreateAccountOutput reports the request's status.
type CreateAccountOutput struct {
	CreateAccountStatus CreateAccountStatus
}

// CreateAccountStatus is the state of a CreateAccount request on the wire.
type CreateAccountStatus struct {
	Id                 string
	AccountName        string
	State              string
	RequestedTimestamp *operation.Timestamp `json:",omitempty"`
	CompletedTimestamp *operation.Timestamp `json:",omitempty"`
	AccountId          string               `json:",omitempty"`
	FailureReason      string               `json:",omitempty"`
}

func wireStatus(st *store.CreateAccountStatus) CreateAccountStatus {
	return CreateAccountStatus{
		Id: st.ID, AccountName: st.AccountName, State: st.State,
		RequestedTimestamp: operation.NewTimestamp(st.RequestedAt),
		CompletedTimestamp: operation.NewTimestamp(st.CompletedAt),
		AccountId:          st.AccountID, FailureReason: st.FailureReason,
	}
}

var (
	emailPattern   = regexp.MustCompile(`^[^\s@"'()<>\[\]:;,\\|%&]+@[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9-]*[A-Za-z0-9]$`)
	roleNamePatten = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
)

// ValidateAccountName checks an account name as Organizations does: 1–50 printable ASCII
// characters.
func ValidateAccountName(name string) error {
	if len(name) < 1 || len(name) > 50 {
		return invalidInput("INVALID_INPUT", "AccountName must be 1 to 50 characters long; %q has %d.", name, len(name))
	}
	for _, c := range name {
		if c < 0x20 || c > 0x7e {
			return invalidInput("INVALID_PATTERN", "AccountName may contain only printable ASCII characters.")
		}
	}
	return nil
}

func (s *Service) createAccount(ctx context.Context, in *CreateAccountInput) (*CreateAccountOutput, error) {
	if len(in.Email) < 6 || len(in.Email) > 64 || !emailPattern.MatchString(in.Email) || strings.HasPrefix(in.Email, ".") {
		return nil, invalidInput("INVALID_EMAIL_ADDRESS_TARGET", "You specified an invalid email address: %q.", in.Email)
	}
	if err := ValidateAccountName(in.AccountName); err != nil {
		return nil, err
	}
	if in.RoleName != nil && !roleNamePatten.MatchString(*in.RoleName) {
		return nil, invalidInput("INVALID_PATTERN", "RoleName %q does not match the pattern [\\w+=,.@-]{1,64}.", *in.RoleName)
	}
	tags, err := validateTags(in.Tags)
	if err != nil {
		return nil, err
	}
	var out CreateAccountOutput
	err = s.store.Update(ctx, func(tx txn) error {
		org, err := s.organization(ctx, tx, true)
		if err != nil {
			return err
		}
		id, err := auth.RandomString(s.random, "abcdefghijklmnopqrstuvwxyz0123456789", 8)
		if err != nil {
			return err
		}
		now := s.now()
		st := &store.CreateAccountStatus{ID: "car-" + id, AccountName: in.AccountName, State: "IN_PROGRESS", RequestedAt: now}
		out.CreateAccountStatus = wireStatus(st)

		if _, err := tx.AccountByName(in.AccountName); err == nil {
			return operation.Errorf(http.StatusBadRequest, "ConstraintViolationException",
				"An account named %q already exists; account names are unique in Cairn because each names a profile in the credentials file.",
				in.AccountName).With("Reason", "ACCOUNT_NAME_ALREADY_EXISTS")
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		na := NewAccount{Name: in.AccountName, Email: in.Email}
		if in.RoleName != nil {
			na.RoleName = *in.RoleName
		}
		account, err := s.newAccount(tx, org, na)
		switch {
		case errors.Is(err, errEmailTaken):
			st.State, st.FailureReason = "FAILED", "EMAIL_ALREADY_EXISTS"
		case err != nil:
			return err
		default:
			st.State, st.AccountID = "SUCCEEDED", account.ID
			if err := tx.SetTags(account.ID, tags); err != nil {
				return err
			}
		}
		st.CompletedAt = now
		return tx.PutCreateAccountStatus(st)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DescribeCreateAccountStatusInput names a CreateAccount request.
type DescribeCreateAccountStatusInput struct {
	CreateAccountRequestId string `required:"true"`
}

// DescribeCreateAccountStatusOutput holds its status.
type DescribeCreateAccountStatusOutput struct {
	CreateAccountStatus CreateAccountStatus
}

var carPattern = regexp.MustCompile(`^car-[a-z0-9]{8,32}$`)

func (s *Service) describeCreateAccountStatus(ctx context.Context, in *DescribeCreateAccountStatusInput) (*DescribeCreateAccountStatusOutput, error) {
	if !carPattern.MatchString(in.CreateAccountRequestId) {
		return nil, invalidInput("INVALID_PATTERN", "You specified a value with an invalid pattern: CreateAccountRequestId must match ^car-[a-z0-9]{8,32}$.")
	}
	var out DescribeCreateAccountStatusOutput
	err := s.store.View(ctx, func(tx txn) error {
		if _, err := s.organization(ctx, tx, true); err != nil {
			return err
		}
		st, err := tx.CreateAccountStatus(in.CreateAccountRequestId)
		if errors.Is(err, store.ErrNotFound) {
			return &operation.Error{Code: "CreateAccountStatusNotFoundException", Status: http.StatusBadRequest,
				Message: "We can't find a create account request with the CreateAccountRequestId that you specified."}
		}
		if err != nil {
			return err
		}
		out.CreateAccountStatus = wireStatus(st)
		return nil
	})
	return &out, err
}

// NewAccount describes an account to create.
type NewAccount struct {
	ID    string // empty: a fresh random ID
	Name  string
	Email string // empty: <name>@example.com
	// RoleName is the role the management account assumes to administer a member
	// account; empty: OrganizationAccountAccessRole.
	RoleName string
}

var errEmailTaken = errors.New("email already in use")

// newAccount creates an account and its root access key in tx.
func (s *Service) newAccount(tx txn, org *store.Organization, na NewAccount) (*store.Account, error) {
	if na.Email == "" {
		na.Email = strings.ToLower(strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
				return r
			}
			return '-'
		}, na.Name)) + "@example.com"
	}
	if taken, err := emailInUse(tx, na.Email); err != nil {
		return nil, err
	} else if taken {
		return nil, errEmailTaken
	}
	if na.ID == "" {
		for {
			digits, err := auth.RandomString(s.random, "0123456789", 12)
			if err != nil {
				return nil, err
			}
			if _, err := tx.Account(digits); errors.Is(err, store.ErrNotFound) && digits != ManagementAccountID {
				na.ID = digits
				break
			}
		}
	}
	parent := ""
	if org != nil {
		parent = org.RootID
	}
	now := s.now()
	account := &store.Account{ID: na.ID, Name: na.Name, Email: na.Email, State: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: now, ParentID: parent}
	if err := tx.CreateAccount(account); err != nil {
		return nil, fmt.Errorf("create account %s: %w", na.ID, err)
	}
	if err := s.attachDefaults(tx, na.ID); err != nil {
		return nil, err
	}
	if org != nil && na.ID != org.ManagementAccountID {
		if err := s.ensureAccessRole(tx, org, na.ID, na.RoleName); err != nil {
			return nil, err
		}
	}
	keyID, err := auth.NewAccessKeyID(s.random, "AKIA")
	if err != nil {
		return nil, err
	}
	secret, err := auth.NewSecretAccessKey(s.random)
	if err != nil {
		return nil, err
	}
	if err := tx.CreateAccessKey(&store.AccessKey{ID: keyID, Secret: secret, AccountID: na.ID, Status: store.KeyActive, CreatedAt: now}); err != nil {
		return nil, fmt.Errorf("create root key of %s: %w", na.ID, err)
	}
	return account, nil
}

func emailInUse(tx txn, email string) (bool, error) {
	_, err := tx.AccountByEmail(email)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (s *Service) createAccountAccess(ctx context.Context, in *CreateAccountInput) (*operation.Access, error) {
	a, err := s.starAccess(ctx)
	if a != nil {
		a.Context = requestTags(in.Tags)
	}
	return a, err
}

// DefaultAccessRole is the role CreateAccount makes in a new member account for the
// management account to assume.
const DefaultAccessRole = "OrganizationAccountAccessRole"

var administratorAccessARN = arn.Policy(arn.AWSAccount, "/", "AdministratorAccess")

// ensureAccessRole creates in a member account, unless it exists, the role the
// management account assumes to administer it: trusting the management account, with
// AdministratorAccess attached.
func (s *Service) ensureAccessRole(tx txn, org *store.Organization, accountID, roleName string) error {
	if roleName == "" {
		roleName = DefaultAccessRole
	}
	if _, err := tx.Role(accountID, roleName); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("read role %s of %s: %w", roleName, accountID, err)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` +
		arn.Root(org.ManagementAccountID) + `"},"Action":"sts:AssumeRole"}]}`
	role := &store.Role{AccountID: accountID, Name: roleName, Path: "/", AssumeRolePolicyDocument: trust, CreatedAt: s.now()}
	if err := tx.CreateRole(role); err != nil {
		return fmt.Errorf("create role %s in %s: %w", roleName, accountID, err)
	}
	if err := tx.AttachRolePolicy(accountID, roleName, administratorAccessARN); err != nil {
		return fmt.Errorf("attach AdministratorAccess to %s in %s: %w", roleName, accountID, err)
	}
	return nil
}
