// Package kms serves AWS Key Management Service (awsJson1.1, target prefix TrentService):
// symmetric encryption, HMAC, RSA and ECC keys whose material is generated here and kept
// sealed under the data dir's master key, aliases, key policies, grants, rotation, tags,
// and the cryptographic operations: AES-256-GCM ciphertexts bound to their key and
// encryption context, RSAES-OAEP, signatures, MACs, data keys and data key pairs, ECDH. A key's policy is the primary policy of every request on it (authorized as
// operation.KeyPolicy), with the key's grants added to it as statements.
package kms

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/masterkey"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Options configures the service.
type Options struct {
	Store store.Store
	// MasterKey seals key material at rest.
	MasterKey *masterkey.Key
	Now       func() time.Time
	Random    io.Reader
	Region    string
	Logger    *slog.Logger
}

// Service is AWS KMS.
type Service struct {
	store  store.Scoped[txn, txn]
	master *masterkey.Key
	now    func() time.Time
	random io.Reader
	region string
	log    *slog.Logger
	cache  *keyCache
}

// New returns the KMS service.
func New(o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{store: store.Scope[txn, txn](o.Store), master: o.MasterKey, now: o.Now, random: o.Random,
		region: o.Region, log: o.Logger, cache: newKeyCache()}
	if o.Store != nil { // nil only where the operations' declarations alone are read
		o.Store.Subscribe(s.cache.invalidate)
	}
	return s
}

// API declares the operations of KMS.
func (s *Service) API() *awsproto.Service {
	var ops []*operation.Operation
	ops = append(ops, s.keyOps()...)
	ops = append(ops, s.aliasOps()...)
	ops = append(ops, s.policyOps()...)
	ops = append(ops, s.cryptoOps()...)
	ops = append(ops, s.grantOps()...)
	ops = append(ops, s.rotationOps()...)
	ops = append(ops, s.tagOps()...)
	ops = append(ops, s.asymmetricOps()...)
	ops = append(ops, s.dataKeyPairOps()...)
	ops = append(ops, s.agreementOps()...)
	ops = append(ops, s.refusedOps()...)
	return awsproto.NewService(awsproto.Service{
		Name:           "kms",
		Protocol:       awsproto.JSON11,
		TargetPrefix:   "TrentService",
		ValidationCode: "ValidationException",
	}, ops...)
}

// Errors of KMS: each carries only a message, as AWS sends them.
func kmsError(code, format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, code, format, args...)
}

func notFound(format string, args ...any) *operation.Error {
	return kmsError("NotFoundException", format, args...)
}

func keyNotFound(keyARN string) *operation.Error {
	return notFound("Key '%s' does not exist", keyARN)
}

func invalidState(format string, args ...any) *operation.Error {
	return kmsError("KMSInvalidStateException", format, args...)
}

func invalidCiphertext() *operation.Error {
	return kmsError("InvalidCiphertextException",
		"The ciphertext is invalid: it was not made by KMS for this key, it was altered, or the encryption context does not match the one it was encrypted with.")
}

func validation(format string, args ...any) *operation.Error {
	return kmsError("ValidationException", format, args...)
}

func unsupported(format string, args ...any) *operation.Error {
	return kmsError("UnsupportedOperationException", format, args...)
}

// handle wraps a handler so that a failure of Cairn's own reaches the client as
// KMSInternalException, logged with the request id.
func handle[In, Out any](s *Service, fn func(context.Context, *In) (*Out, error)) func(context.Context, *In) (*Out, error) {
	return func(ctx context.Context, in *In) (*Out, error) {
		out, err := fn(ctx, in)
		if err == nil {
			return out, nil
		}
		var e *operation.Error
		if errors.As(err, &e) {
			return nil, e
		}
		id := ""
		if info := operation.RequestInfoFrom(ctx); info != nil {
			id = info.ID
		}
		s.log.Error("kms: request failed", "request_id", id, "err", err)
		return nil, operation.Errorf(http.StatusInternalServerError, "KMSInternalException", "An internal error occurred (request %s).", id)
	}
}

// caller is the principal of the request.
func caller(ctx context.Context) *auth.Principal {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return p
	}
	return &auth.Principal{}
}

// newID returns a random UUID (version 4).
func (s *Service) newID() (string, error) {
	id, err := uuid.NewRandomFromReader(s.random)
	if err != nil {
		return "", fmt.Errorf("kms: random id: %w", err)
	}
	return id.String(), nil
}

// randomHex returns n random bytes in hexadecimal.
func (s *Service) randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.random, b); err != nil {
		return "", fmt.Errorf("kms: random: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// viaServiceKey carries, in a context, the service that calls KMS on a principal's behalf.
type viaServiceKey struct{}

// WithViaService marks ctx as a request another AWS service makes to KMS on behalf of the
// principal in ctx ("s3.us-east-1.amazonaws.com"): kms:ViaService is that service, and
// kms:GrantIsForAWSResource holds.
func WithViaService(ctx context.Context, service string) context.Context {
	return context.WithValue(ctx, viaServiceKey{}, service)
}

func viaService(ctx context.Context) string {
	v, _ := ctx.Value(viaServiceKey{}).(string)
	return v
}

// keyName is what a KeyId member names: a key (ID or key ARN) or an alias (name or
// alias ARN), of an account.
type keyName struct {
	account string
	id      string // a key ID, or "" for an alias
	alias   string // "alias/…", or "" for a key
	byARN   bool
}

// parseKeyID reads a KeyId member for a caller of account.
func (s *Service) parseKeyID(account, keyID string) (keyName, error) {
	if strings.HasPrefix(keyID, "arn:") {
		a, err := arn.Parse(keyID)
		if err != nil || a.Service != "kms" || len(a.Account) != 12 {
			return keyName{}, kmsError("InvalidArnException", "The ARN %s is not a valid KMS key or alias ARN.", keyID)
		}
		if a.Region != s.region {
			return keyName{}, notFound("Invalid arn %s: it names the Region %s; this KMS serves %s.", keyID, a.Region, s.region)
		}
		switch {
		case strings.HasPrefix(a.Resource, "key/") && len(a.Resource) > 4:
			return keyName{account: a.Account, id: a.Resource[4:], byARN: true}, nil
		case strings.HasPrefix(a.Resource, "alias/") && len(a.Resource) > 6:
			return keyName{account: a.Account, alias: a.Resource, byARN: true}, nil
		}
		return keyName{}, kmsError("InvalidArnException", "The ARN %s is not a valid KMS key or alias ARN.", keyID)
	}
	if strings.HasPrefix(keyID, "alias/") {
		return keyName{account: account, alias: keyID}, nil
	}
	return keyName{account: account, id: keyID}, nil
}

// arnOf is the ARN a name shows in messages.
func (s *Service) arnOf(n keyName) string {
	if n.alias != "" {
		return arn.KMSAlias(s.region, n.account, n.alias)
	}
	return arn.KMSKey(s.region, n.account, n.id)
}
