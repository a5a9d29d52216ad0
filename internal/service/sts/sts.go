// Package sts serves the AWS Security Token Service (awsQuery).
package sts

import (
	"context"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
)

// Service is STS.
type Service struct{}

// New returns the STS service.
func New() *Service { return &Service{} }

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
		awsproto.Declare(awsproto.Op[GetCallerIdentityInput, GetCallerIdentityOutput]{
			Name:         "GetCallerIdentity",
			Unauthorized: true, // AWS answers it for every valid credential, whatever the policies
			Handler:      s.getCallerIdentity,
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
