// Package iam serves AWS Identity and Access Management (awsQuery, 2010-05-08): users,
// groups, roles, access keys, managed and inline policies, permissions boundaries, tags,
// the account authorization snapshot and the policy simulator. Everything a caller sees
// or changes lives in its own account.
package iam

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/arn"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/store"
)

// Options configures the service.
type Options struct {
	Store  store.Store
	Now    func() time.Time
	Random io.Reader
}

// Service is IAM.
type Service struct {
	store    store.Scoped[txn, txn]
	now      func() time.Time
	random   io.Reader
	entities *entityCache
}

// New returns the IAM service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	s := &Service{store: store.Scope[txn, txn](o.Store), now: now, random: o.Random, entities: newEntityCache()}
	if o.Store != nil {
		o.Store.Subscribe(s.entities.invalidate)
	}
	return s
}

// Namespace is the xmlns of IAM's documents.
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

// API declares IAM's operations.
func (s *Service) API() *awsproto.Service {
	ops := s.userOps()
	ops = append(ops, s.groupOps()...)
	ops = append(ops, s.roleOps()...)
	ops = append(ops, s.accessKeyOps()...)
	ops = append(ops, s.policyOps()...)
	ops = append(ops, s.attachmentOps()...)
	ops = append(ops, s.inlineOps()...)
	ops = append(ops, s.boundaryOps()...)
	ops = append(ops, s.tagOps()...)
	ops = append(ops, s.detailOps()...)
	ops = append(ops, s.simulateOps()...)
	return awsproto.NewService(awsproto.Service{
		Name:             "iam",
		Protocol:         awsproto.Query,
		Version:          "2010-05-08",
		XMLNamespace:     Namespace,
		Global:           true,
		ValidationCode:   "ValidationError",
		AccessDeniedCode: "AccessDenied",
	}, ops...)
}

// caller returns the principal of the request.
func caller(ctx context.Context) (*auth.Principal, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.Account == "" {
		return nil, operation.Errorf(http.StatusForbidden, "AccessDenied", "The request is not authenticated.")
	}
	return p, nil
}

// callerAccount returns the caller's account, "" when unauthenticated.
func callerAccount(ctx context.Context) string {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return p.Account
	}
	return ""
}

// idAlphabet is what unique IDs are made of after their prefix.
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newID returns a unique ID: prefix ("AIDA", "AROA", "ANPA", "AGPA") and 17 characters.
func (s *Service) newID(prefix string) (string, error) {
	rest, err := auth.RandomString(s.random, idAlphabet, 17)
	if err != nil {
		return "", err
	}
	return prefix + rest, nil
}

// timestamp is the time of a change, to the second as IAM keeps it.
func (s *Service) timestamp() time.Time {
	return s.now().UTC().Truncate(time.Second)
}

// view and update run fn in a store transaction.
func (s *Service) view(ctx context.Context, fn func(txn) error) error {
	return s.store.View(ctx, fn)
}

func (s *Service) update(ctx context.Context, fn func(txn) error) error {
	return s.store.Update(ctx, fn)
}

// Messages of NoSuchEntity for each kind of entity.
func noSuchUser(name string) error {
	return noSuchEntity("The user with name %s cannot be found.", name)
}
func noSuchGroup(name string) error {
	return noSuchEntity("The group with name %s cannot be found.", name)
}
func noSuchRole(name string) error {
	return noSuchEntity("The role with name %s cannot be found.", name)
}
func noSuchPolicy(arn string) error { return noSuchEntity("Policy %s was not found.", arn) }

func noSuchEntityOf(kind store.EntityKind, name string) error {
	switch kind {
	case store.EntityUser:
		return noSuchUser(name)
	case store.EntityGroup:
		return noSuchGroup(name)
	case store.EntityRole:
		return noSuchRole(name)
	}
	return noSuchPolicy(name)
}

// orNoSuch maps store.ErrNotFound to the entity's NoSuchEntity.
func orNoSuch(err error, kind store.EntityKind, name string) error {
	if errors.Is(err, store.ErrNotFound) {
		return noSuchEntityOf(kind, name)
	}
	return err
}

// entityARN is the ARN of an entity in account.
func entityARN(account string, kind store.EntityKind, path, name string) string {
	if path == "" {
		path = "/"
	}
	return arn.New("iam", "", account, kind.String()+path+name)
}

// policyARN is the ARN of a customer managed policy.
func policyARN(account, path, name string) string {
	return arn.Policy(account, path, name)
}

// checkPolicyARN rejects a string that is not a managed policy ARN, as IAM does.
func checkPolicyARN(s string) error {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "policy/") {
		return invalidInput("ARN %s is not valid.", s)
	}
	return nil
}

// readPolicy reads a managed policy visible from account: the account's own or AWS's.
func readPolicy(tx txn, account, arn string) (*store.ManagedPolicy, error) {
	if err := checkPolicyARN(arn); err != nil {
		return nil, err
	}
	p, err := tx.ManagedPolicy(arn)
	if errors.Is(err, store.ErrNotFound) || err == nil && p.AccountID != account && p.AccountID != store.AWSManagedAccount {
		return nil, noSuchPolicy(arn)
	}
	if err != nil {
		return nil, fmt.Errorf("read policy %s: %w", arn, err)
	}
	return p, nil
}

// attachablePolicy reads a policy to attach or to use as a boundary.
func attachablePolicy(tx txn, account, arn string) (*store.ManagedPolicy, error) {
	if err := checkPolicyARN(arn); err != nil {
		return nil, err
	}
	p, err := readPolicy(tx, account, arn)
	var ae *operation.Error
	if errors.As(err, &ae) && ae.Code == "NoSuchEntity" {
		return nil, noSuchEntity("Policy %s does not exist or is not attachable.", arn)
	}
	return p, err
}

// boundaryPolicy checks a permissions boundary ARN given to CreateUser, CreateRole or
// Put*PermissionsBoundary.
func boundaryPolicy(tx txn, account, arn string) error {
	if err := checkPolicyARN(arn); err != nil {
		return invalidInput("ARN %s is not valid.", arn)
	}
	if _, err := readPolicy(tx, account, arn); err != nil {
		var ae *operation.Error
		if errors.As(err, &ae) && ae.Code == "NoSuchEntity" {
			return noSuchEntity("Scope ARN: %s does not exist or is not attachable.", arn)
		}
		return err
	}
	return nil
}
