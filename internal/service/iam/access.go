package iam

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/store"
)

// An operation's Access names the IAM entity it acts on, with the entity's tags (for
// aws:ResourceTag) and, where the Service Authorization Reference lists them, the
// condition keys iam:PermissionsBoundary, iam:PolicyARN, aws:RequestTag/… and
// aws:TagKeys. Everything is in the caller's account.

// accessOpt adds condition keys to an Access.
type accessOpt func(a *operation.Access, ent *entityInfo)

// entityInfo is what authorization needs of an existing entity.
type entityInfo struct {
	arn      string
	tags     []store.Tag
	boundary string
}

// withBoundary sets iam:PermissionsBoundary to the entity's current boundary.
func withBoundary() accessOpt {
	return func(a *operation.Access, ent *entityInfo) {
		if ent.boundary != "" {
			setKey(a, "iam:PermissionsBoundary", ent.boundary)
		}
	}
}

// withNewBoundary sets iam:PermissionsBoundary to the boundary a request sets.
func withNewBoundary(arn string) accessOpt {
	return func(a *operation.Access, _ *entityInfo) {
		if arn != "" {
			setKey(a, "iam:PermissionsBoundary", arn)
		}
	}
}

// withPolicyARN sets iam:PolicyARN.
func withPolicyARN(arn string) accessOpt {
	return func(a *operation.Access, _ *entityInfo) { setKey(a, "iam:PolicyARN", arn) }
}

// withRequestTags sets aws:RequestTag/<key> for each tag and aws:TagKeys.
func withRequestTags(tags []Tag) accessOpt {
	return func(a *operation.Access, _ *entityInfo) {
		if len(tags) == 0 {
			return
		}
		keys := make([]string, len(tags))
		for i, t := range tags {
			setKey(a, "aws:RequestTag/"+t.Key, t.Value)
			keys[i] = t.Key
		}
		a.Context["aws:TagKeys"] = keys
	}
}

// withTagKeys sets aws:TagKeys.
func withTagKeys(keys []string) accessOpt {
	return func(a *operation.Access, _ *entityInfo) {
		if len(keys) > 0 {
			a.Context["aws:TagKeys"] = append([]string(nil), keys...)
		}
	}
}

func setKey(a *operation.Access, key, value string) {
	a.Context[key] = []string{value}
}

// newAccess builds an Access on one resource.
func newAccess(ctx context.Context, ent *entityInfo, opts ...accessOpt) *operation.Access {
	a := &operation.Access{Context: map[string][]string{}}
	r := operation.Resource{ARN: ent.arn, Account: callerAccount(ctx)}
	if len(ent.tags) > 0 {
		r.Tags = make(map[string]string, len(ent.tags))
		for _, t := range ent.tags {
			r.Tags[t.Key] = t.Value
		}
	}
	a.Resources = []operation.Resource{r}
	for _, o := range opts {
		o(a, ent)
	}
	return a
}

// entityAccess is the Access of an operation on an existing user, group or role. When
// the entity does not exist its ARN has the default path and the handler answers
// NoSuchEntity.
func (s *Service) entityAccess(ctx context.Context, kind store.EntityKind, name string, opts ...accessOpt) (*operation.Access, error) {
	account := callerAccount(ctx)
	key := entityKey{account: account, kind: kind, name: strings.ToLower(name)}
	if ent := s.entities.get(key); ent != nil {
		return newAccess(ctx, ent, opts...), nil
	}
	ent := &entityInfo{arn: entityARN(account, kind, "/", name)}
	found := false
	err := s.view(ctx, func(tx txn) error {
		switch kind {
		case store.EntityUser:
			u, err := tx.User(account, name)
			if err != nil {
				return err
			}
			ent.arn, ent.tags, ent.boundary = u.ARN(), u.Tags, u.PermissionsBoundaryARN
		case store.EntityRole:
			r, err := tx.Role(account, name)
			if err != nil {
				return err
			}
			ent.arn, ent.tags, ent.boundary = r.ARN(), r.Tags, r.PermissionsBoundaryARN
		case store.EntityGroup:
			g, err := tx.Group(account, name)
			if err != nil {
				return err
			}
			ent.arn = g.ARN()
		}
		found = true
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if found {
		s.entities.put(key, ent)
	}
	return newAccess(ctx, ent, opts...), nil
}

// entityKey names a user, group or role; names are unique regardless of case.
type entityKey struct {
	account string
	kind    store.EntityKind
	name    string
}

// maxCachedEntities bounds the entity cache; past it the cache starts over.
const maxCachedEntities = 10_000

// entityCache keeps what authorization needs of users, groups and roles, so that an
// operation's Access does not read the store on every request. It forgets everything
// whenever a committed change touches users, groups or roles.
type entityCache struct {
	mu sync.Mutex
	m  map[entityKey]*entityInfo
}

func newEntityCache() *entityCache { return &entityCache{m: map[entityKey]*entityInfo{}} }

func (c *entityCache) get(k entityKey) *entityInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

func (c *entityCache) put(k entityKey, ent *entityInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedEntities {
		clear(c.m)
	}
	c.m[k] = ent
}

func (c *entityCache) invalidate(changes []store.Change) {
	for _, ch := range changes {
		switch ch.Kind {
		case store.ChangeUser, store.ChangeGroup, store.ChangeRole, store.ChangeAccount:
			c.mu.Lock()
			clear(c.m)
			c.mu.Unlock()
			return
		}
	}
}

// policyAccess is the Access of an operation on a managed policy.
func (s *Service) policyAccess(ctx context.Context, arn string, opts ...accessOpt) (*operation.Access, error) {
	ent := &entityInfo{arn: arn}
	err := s.view(ctx, func(tx txn) error {
		p, err := tx.ManagedPolicy(arn)
		if err != nil {
			return err
		}
		ent.tags = p.Tags
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return newAccess(ctx, ent, opts...), nil
}

// selfUserAccess is the Access of an operation whose UserName defaults to the caller
// (GetUser, CreateAccessKey, ListAccessKeys, …).
func (s *Service) selfUserAccess(ctx context.Context, name string, opts ...accessOpt) (*operation.Access, error) {
	if name != "" {
		return s.entityAccess(ctx, store.EntityUser, name, opts...)
	}
	p := auth.PrincipalFrom(ctx)
	if p != nil && p.Kind == auth.User && p.Name != "" {
		return s.entityAccess(ctx, store.EntityUser, p.Name, opts...)
	}
	ent := &entityInfo{arn: "*"}
	if p != nil {
		ent.arn = p.ARN
	}
	return newAccess(ctx, ent, opts...), nil
}

// anyResource is the Access of an operation with no resource ("*").
func anyResource(ctx context.Context) *operation.Access {
	return newAccess(ctx, &entityInfo{arn: "*"})
}

// newEntityAccess is the Access of an operation creating an entity at path.
func newEntityAccess(ctx context.Context, kind store.EntityKind, path, name string, opts ...accessOpt) *operation.Access {
	return newAccess(ctx, &entityInfo{arn: entityARN(callerAccount(ctx), kind, path, name)}, opts...)
}

// onEntity returns an Access function for operations on the user, group or role that
// name picks from the input.
func onEntity[In any](s *Service, kind store.EntityKind, name func(*In) string, opts ...func(*In) accessOpt) func(context.Context, *In) (*operation.Access, error) {
	return func(ctx context.Context, in *In) (*operation.Access, error) {
		o := make([]accessOpt, len(opts))
		for i, f := range opts {
			o[i] = f(in)
		}
		return s.entityAccess(ctx, kind, name(in), o...)
	}
}

// onPolicy returns an Access function for operations on the managed policy whose ARN
// arn picks from the input.
func onPolicy[In any](s *Service, arn func(*In) string, opts ...func(*In) accessOpt) func(context.Context, *In) (*operation.Access, error) {
	return func(ctx context.Context, in *In) (*operation.Access, error) {
		o := make([]accessOpt, len(opts))
		for i, f := range opts {
			o[i] = f(in)
		}
		return s.policyAccess(ctx, arn(in), o...)
	}
}

// anywhere is the Access function of operations with no resource.
func anywhere[In any](ctx context.Context, _ *In) (*operation.Access, error) {
	return anyResource(ctx), nil
}

// boundaryKey is an Access option setting iam:PermissionsBoundary to the entity's own.
func boundaryKey[In any](*In) accessOpt { return withBoundary() }

// entityKindOf maps the wire entity kinds onto store kinds.
func entityKindOf(s string) store.EntityKind {
	switch strings.ToLower(s) {
	case "user":
		return store.EntityUser
	case "group":
		return store.EntityGroup
	case "role":
		return store.EntityRole
	}
	return 0
}
