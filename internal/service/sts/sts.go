// Package sts serves the AWS Security Token Service (awsQuery): who am I, and temporary
// credentials for roles and for users.
package sts

import (
	"context"
	"io"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/store"
)

// Options configures STS.
type Options struct {
	Store  store.Store
	Now    func() time.Time
	Random io.Reader
}

// Service is STS.
type Service struct {
	store  store.Scoped[txn, txn]
	now    func() time.Time
	random io.Reader
}

// New returns the STS service.
func New(o Options) *Service {
	return &Service{store: store.Scope[txn, txn](o.Store), now: o.Now, random: o.Random}
}

// API declares STS's operations.
func (s *Service) API() *awsproto.Service {
	return awsproto.NewService(awsproto.Service{
		Name:             "sts",
		Protocol:         awsproto.Query,
		Version:          "2011-06-15",
		XMLNamespace:     "https://sts.amazonaws.com/doc/2011-06-15/",
		ValidationCode:   "ValidationError",
		AccessDeniedCode: "AccessDenied",
	},
		operation.Declare(operation.Op[GetCallerIdentityInput, GetCallerIdentityOutput]{
			Name:         "GetCallerIdentity",
			Unauthorized: true, // AWS answers it for every valid credential, whatever the policies
			Handler:      s.getCallerIdentity,
		}),
		operation.Declare(operation.Op[GetSessionTokenInput, GetSessionTokenOutput]{
			Name:         "GetSessionToken",
			Unauthorized: true, // policies cannot control authentication operations
			Handler:      s.getSessionToken,
		}),
		operation.Declare(operation.Op[AssumeRoleInput, AssumeRoleOutput]{
			Name:    "AssumeRole",
			Access:  s.assumeRoleAccess,
			Handler: s.assumeRole,
		}),
	)
}

// GetCallerIdentityInput has no members.
type GetCallerIdentityInput struct{}

// GetCallerIdentityOutput names the caller.
type GetCallerIdentityOutput struct {
	UserId  string
	Account string
	Arn     string
}

func (s *Service) getCallerIdentity(ctx context.Context, _ *GetCallerIdentityInput) (*GetCallerIdentityOutput, error) {
	p := auth.PrincipalFrom(ctx)
	return &GetCallerIdentityOutput{UserId: p.UserID, Account: p.Account, Arn: p.ARN}, nil
}
