// Package ram serves AWS Resource Access Manager (restJson1): resource shares, their
// principals, resources and invitations, AWS and customer managed permissions, and the
// resource policies shares attach to what they share. What a share grants is an ordinary
// resource-based policy, kept in the store beside the share (store.RAMTx.ResourcePolicy)
// for the service that owns the resource to hand to the authorizer; RAM knows the
// services whose resources it shares only through the ResourceType each declares.
package ram

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/cairnhq/cairn/internal/arn"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// DefaultAssociationDelay is how long associations take to complete unless configured.
const DefaultAssociationDelay = 2 * time.Second

// InvitationLifetime is how long an invitation waits for an answer.
const InvitationLifetime = 7 * 24 * time.Hour

// Limits of an account, as AWS's default quotas.
const (
	maxSharesPerAccount      = 5000
	maxPermissionsPerAccount = 50
	maxPermissionVersions    = 5
	maxTags                  = 50
	// defaultPageSize is a list's page when maxResults is absent; RAM's model leaves it to
	// each operation. 100, not the 500 maxResults allows: a page of 500 shares reaching an
	// account takes about 5 ms (docs/benchmarks.md, "RAM's lists over 10,000 shares").
	defaultPageSize = 100
)

// Options configures the service.
type Options struct {
	Store  store.Store
	Now    func() time.Time
	Random io.Reader
	Region string
	Logger *slog.Logger
	// Types are the resource types RAM can share.
	Types []ResourceType
	// AssociationDelay is how long an association stays ASSOCIATING (or DISASSOCIATING)
	// before it completes; zero completes it within the request that makes it.
	AssociationDelay time.Duration
	// AfterFunc runs f after d; time.AfterFunc when nil. Tests replace it.
	AfterFunc func(d time.Duration, f func()) Timer
}

// Timer is a pending call of AfterFunc.
type Timer interface{ Stop() bool }

// Service is AWS RAM.
type Service struct {
	store  store.Scoped[txn, txn]
	now    func() time.Time
	random io.Reader
	region string
	log    *slog.Logger
	types  *types
	delay  time.Duration
	worker *worker
}

// New returns the RAM service sharing the given types.
func New(o Options) (*Service, error) {
	reg, err := newTypes(o.Types)
	if err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.AfterFunc == nil {
		o.AfterFunc = func(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
	}
	if o.AssociationDelay < 0 {
		return nil, fmt.Errorf("ram: association delay %s is negative", o.AssociationDelay)
	}
	s := &Service{store: store.Scope[txn, txn](o.Store), now: o.Now, random: o.Random, region: o.Region, log: o.Logger, types: reg, delay: o.AssociationDelay}
	s.worker = &worker{s: s, afterFunc: o.AfterFunc}
	return s, nil
}

// API declares the operations of RAM: every operation of the ram/2018-01-04 model, each
// at POST /<operation name in lower case> but for the three DELETEs.
func (s *Service) API() *awsproto.Service {
	return awsproto.NewService(awsproto.Service{
		Name:           "ram",
		Protocol:       awsproto.RestJSON,
		ValidationCode: "InvalidParameterException",
	}, s.operations()...)
}

func post(name string) operation.Route {
	return operation.Route{Method: http.MethodPost, Path: "/" + lower(name)}
}

func del(name string) operation.Route {
	return operation.Route{Method: http.MethodDelete, Path: "/" + lower(name)}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// handle wraps a handler so that a failure of Cairn's own (a store error) reaches the
// client as the model's ServerInternalException, logged with the request id.
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
		s.log.Error("ram: request failed", "request_id", id, "err", err)
		return nil, serverInternal(id)
	}
}

// caller is the principal of the request.
func caller(ctx context.Context) *auth.Principal {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return p
	}
	return &auth.Principal{}
}

// newID returns a random UUID (version 4) from the service's randomness.
func (s *Service) newID() (string, error) {
	id, err := uuid.NewRandomFromReader(s.random)
	if err != nil {
		return "", fmt.Errorf("ram: random id: %w", err)
	}
	return id.String(), nil
}

func (s *Service) shareARN(account, id string) string {
	return arn.RAM(s.region, account, "resource-share/"+id)
}

func (s *Service) invitationARN(account, id string) string {
	return arn.RAM(s.region, account, "resource-share-invitation/"+id)
}

func (s *Service) permissionARN(account, name string) string {
	return arn.RAM(s.region, account, "permission/"+name)
}

// pageSize is a request's maxResults, or the default.
func pageSize(max *int32) int {
	if max == nil {
		return defaultPageSize
	}
	return int(*max)
}

// page returns one page of a list built in memory.
func page[T any](items []T, token *string, max *int32) ([]T, *string, error) {
	tok := ""
	if token != nil {
		tok = *token
	}
	out, next, err := operation.Slice(items, tok, pageSize(max))
	if err != nil {
		return nil, nil, invalidNextToken("The nextToken is not one this operation returned.")
	}
	if out == nil {
		out = []T{}
	}
	if next == "" {
		return out, nil, nil
	}
	return out, &next, nil
}

// clientToken checks a request's clientToken and returns the one the answer carries: the
// caller's, or a new one.
func (s *Service) clientToken(token *string) (string, error) {
	if token == nil {
		return s.newID()
	}
	t := *token
	if t == "" || len(t) > 64 {
		return "", invalidClientToken("The clientToken must be 1 to 64 characters long.")
	}
	for _, c := range t {
		if c < 0x21 || c > 0x7e {
			return "", invalidClientToken("The clientToken must be printable ASCII without spaces.")
		}
	}
	return t, nil
}

// idempotent runs fn, which fills out, once per clientToken: a request repeating a token
// gets the answer the first one got, or IdempotentParameterMismatchException when its
// other parameters differ. It runs inside the request's transaction.
func (s *Service) idempotent(ctx context.Context, tx txn, op string, token *string, in, out any, fn func() error) error {
	if token == nil {
		return fn()
	}
	hash, err := requestHash(in)
	if err != nil {
		return err
	}
	account := caller(ctx).Account
	prev, err := tx.RAMClientToken(account, op, *token)
	switch {
	case err == nil:
		if prev.RequestHash != hash {
			return idempotentParameterMismatch("The clientToken %s was used before with other parameters.", *token)
		}
		if err := json.Unmarshal([]byte(prev.Response), out); err != nil {
			return fmt.Errorf("ram: stored answer of %s: %w", op, err)
		}
		return nil
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	if err := fn(); err != nil {
		return err
	}
	answer, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return tx.PutRAMClientToken(&store.RAMClientToken{Account: account, Operation: op, Token: *token,
		RequestHash: hash, Response: string(answer), CreatedAt: s.now()})
}

// requestHash digests a request's parameters but its clientToken.
func requestHash(in any) (string, error) {
	raw, err := json.Marshal(in)
	if err != nil {
		return "", err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", err
	}
	delete(m, "clientToken")
	canon, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:]), nil
}

func ts(t time.Time) *operation.Timestamp { return operation.NewTimestamp(t) }

func boolp(b bool) *bool { return &b }
