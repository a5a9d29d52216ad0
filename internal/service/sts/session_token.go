package sts

import (
	"context"
	"crypto/sha256"
	"net/http"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// GetSessionTokenInput asks for temporary credentials of the caller, an IAM user or an
// account's root user. SerialNumber and TokenCode are checked against their constraints;
// Cairn keeps no MFA devices to check a code against, so a session is never
// MFA-authenticated (aws:MultiFactorAuthPresent is false, and IAM refuses it).
type GetSessionTokenInput struct {
	DurationSeconds *int    `min:"900" max:"129600"`
	SerialNumber    *string `min:"9" max:"256" pattern:"[\\w+=/:,.@-]*"`
	TokenCode       *string `min:"6" max:"6" pattern:"[\\d]*"`
}

// GetSessionTokenOutput holds the credentials.
type GetSessionTokenOutput struct {
	Credentials Credentials
}

// Durations of GetSessionToken's sessions, in seconds.
const (
	userSessionDefault = 43200
	rootSessionMax     = 3600
)

// getSessionToken issues a user's or root user's session. It needs no permission: in AWS
// policies cannot control it. A session of any kind may not ask for another.
func (s *Service) getSessionToken(ctx context.Context, in *GetSessionTokenInput) (*GetSessionTokenOutput, error) {
	caller := auth.PrincipalFrom(ctx)
	if caller.Kind != auth.User && caller.Kind != auth.Root || !caller.Expires.IsZero() {
		return nil, operation.Errorf(http.StatusForbidden, "AccessDenied", "Cannot call GetSessionToken with session credentials")
	}
	duration := userSessionDefault
	if in.DurationSeconds != nil {
		duration = *in.DurationSeconds
	}
	if caller.Kind == auth.Root && (in.DurationSeconds == nil || duration > rootSessionMax) {
		duration = rootSessionMax // a root user's session lasts at most an hour, and that by default
	}
	keys, err := s.newKeys()
	if err != nil {
		return nil, err
	}
	hash := sha256.Sum256([]byte(keys.SessionToken))
	now := s.now().UTC()
	session := &store.Session{AccessKeyID: keys.AccessKeyId, Secret: keys.SecretAccessKey, TokenHash: hash[:],
		AccountID: caller.Account, CallerARN: caller.ARN,
		CreatedAt: now, ExpiresAt: now.Add(time.Duration(duration) * time.Second)}
	err = s.store.Update(ctx, func(tx txn) error {
		if _, err := tx.DeleteExpiredSessions(now); err != nil {
			return err
		}
		return tx.CreateSession(session)
	})
	if err != nil {
		return nil, err
	}
	keys.Expiration = session.ExpiresAt.Truncate(time.Second)
	return &GetSessionTokenOutput{Credentials: keys}, nil
}
