package kms

import (
	"context"
	"errors"
	"sort"

	"github.com/cairnhq/cairn/internal/operation"
)

// access is how an operation on a key is authorized.
type access struct {
	// crossAccount marks operations KMS lets another account's principals call, with the
	// key's ARN (or alias ARN): the cryptographic operations, DescribeKey, the grants.
	crossAccount bool
	// context is the request's encryption context, for kms:EncryptionContext:*.
	context map[string]string
	// extra are further condition keys of the operation.
	extra map[string][]string
}

// keyAccess computes the Access of action on the key keyID names. The key's policy, with
// its grants, is the resource's policy, evaluated as a key policy. Another account's key
// that does not exist is authorized as one without a policy, so the answer is the same
// AccessDenied an existing key gives to a caller it does not allow: no existence oracle.
func (s *Service) keyAccess(ctx context.Context, keyID, action string, a access) (*operation.Access, error) {
	p := caller(ctx)
	n, err := s.parseKeyID(p.Account, keyID)
	if err != nil {
		return nil, err
	}
	res, err := s.keyResource(ctx, n, a.crossAccount)
	if err != nil {
		return nil, err
	}
	return &operation.Access{Action: action, Resources: []operation.Resource{res}, Context: s.conditionKeys(ctx, n, a)}, nil
}

// keyResource is a key as authorization sees it.
func (s *Service) keyResource(ctx context.Context, n keyName, crossAccount bool) (operation.Resource, error) {
	own := n.account == caller(ctx).Account
	if !own && !crossAccount {
		// Operations KMS does not offer across accounts: no policy lets them.
		return operation.Resource{ARN: s.arnOf(n), Account: n.account, PolicyType: operation.KeyPolicy}, nil
	}
	k, err := s.load(ctx, n)
	switch {
	case errors.Is(err, errNoKey) && own:
		if n.alias != "" {
			return operation.Resource{}, notFound("Alias %s is not found.", s.arnOf(n))
		}
		return operation.Resource{}, keyNotFound(s.arnOf(n))
	case errors.Is(err, errNoKey):
		return operation.Resource{ARN: s.arnOf(n), Account: n.account, PolicyType: operation.KeyPolicy}, nil
	case err != nil:
		return operation.Resource{}, err
	}
	return operation.Resource{ARN: k.key.ARN(), Account: k.key.Account, Policy: k.policy, PolicyType: operation.KeyPolicy,
		Tags: k.tags}, nil
}

// conditionKeys are the KMS condition keys of a request.
func (s *Service) conditionKeys(ctx context.Context, n keyName, a access) map[string][]string {
	keys := map[string][]string{"kms:CallerAccount": {caller(ctx).Account}}
	if via := viaService(ctx); via != "" {
		keys["kms:ViaService"] = []string{via}
	}
	if n.alias != "" {
		keys["kms:RequestAlias"] = []string{n.alias}
	}
	if a.context != nil {
		names := make([]string, 0, len(a.context))
		for k, v := range a.context {
			keys["kms:EncryptionContext:"+k] = []string{v}
			names = append(names, k)
		}
		sort.Strings(names)
		keys["kms:EncryptionContextKeys"] = names
	}
	for k, v := range a.extra {
		keys[k] = v
	}
	return keys
}

// key resolves keyID in a handler, after authorization: a missing key is
// NotFoundException (authorization has already refused another account's).
func (s *Service) key(ctx context.Context, keyID string) (*loadedKey, error) {
	n, err := s.parseKeyID(caller(ctx).Account, keyID)
	if err != nil {
		return nil, err
	}
	k, err := s.load(ctx, n)
	if errors.Is(err, errNoKey) {
		if n.alias != "" {
			return nil, notFound("Alias %s is not found.", s.arnOf(n))
		}
		return nil, keyNotFound(s.arnOf(n))
	}
	return k, err
}

// usable checks that a key may be used in cryptographic operations now.
func usable(k *loadedKey) error {
	switch k.key.State {
	case "Disabled":
		return kmsError("DisabledException", "%s is disabled.", k.key.ARN())
	case "PendingDeletion":
		return invalidState("%s is pending deletion.", k.key.ARN())
	}
	return nil
}

// notPending refuses a change to a key pending deletion.
func notPending(k *loadedKey) error {
	if k.key.State == "PendingDeletion" {
		return invalidState("%s is pending deletion.", k.key.ARN())
	}
	return nil
}
