package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/cairnhq/cairn/internal/sigv4"
	"github.com/cairnhq/cairn/internal/store"
)

// Code says why authentication failed; the protocol layer spells it per protocol.
type Code int

// Authentication failure codes beyond those of sigv4.
const (
	// UnknownKey: no such access key.
	UnknownKey Code = iota + 1
	// InactiveKey: the key exists but is deactivated (AWS answers as for an unknown key).
	InactiveKey
	// ExpiredToken: temporary credentials past their expiry.
	ExpiredToken
	// InvalidToken: a session token that does not belong to the key.
	InvalidToken
)

// Error is an authentication failure that is not a signature problem.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// maxCachedKeys bounds the key cache; past it the cache starts over.
const maxCachedKeys = 100_000

// Authenticator resolves signed requests to principals.
type Authenticator struct {
	store    store.Store
	verifier *sigv4.Verifier

	mu    sync.RWMutex
	cache map[string]*credential
}

// credential is a resolved access key: its secret and whom it belongs to.
type credential struct {
	secret    string
	principal *Principal
}

// NewAuthenticator returns an Authenticator reading keys from st. It keeps resolved keys in
// memory and forgets them when a committed change touches them.
func NewAuthenticator(st store.Store, v *sigv4.Verifier) *Authenticator {
	a := &Authenticator{store: st, verifier: v, cache: map[string]*credential{}}
	st.Subscribe(a.invalidate)
	return a
}

func (a *Authenticator) invalidate(changes []store.Change) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range changes {
		switch c.Kind {
		case "access_key":
			delete(a.cache, c.Key)
		case "account", "user", "role", "session":
			clear(a.cache)
			return
		}
	}
}

// Authenticate verifies the signature sig of r (body is the buffered body, or nil for a
// streamed one) and returns the principal who signed it.
func (a *Authenticator) Authenticate(ctx context.Context, r *http.Request, sig *sigv4.Signature, body []byte) (*Principal, *sigv4.Result, error) {
	cred, err := a.lookup(ctx, sig.AccessKeyID)
	if err != nil {
		return nil, nil, err
	}
	res, err := a.verifier.Verify(r, sig, cred.secret, body)
	if err != nil {
		return nil, nil, err
	}
	if sig.SessionToken != "" {
		// Long-term keys carry no session token; a token with one is an error.
		return nil, nil, &Error{Code: InvalidToken, Message: "The security token included in the request is invalid."}
	}
	return cred.principal, res, nil
}

func (a *Authenticator) lookup(ctx context.Context, id string) (*credential, error) {
	a.mu.RLock()
	c := a.cache[id]
	a.mu.RUnlock()
	if c != nil {
		return c, nil
	}
	var key *store.AccessKey
	err := a.store.View(ctx, func(tx store.Tx) error {
		var err error
		key, err = tx.AccessKey(id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Code: UnknownKey, Message: "The security token included in the request is invalid."}
	}
	if err != nil {
		return nil, fmt.Errorf("look up access key: %w", err)
	}
	if key.Status != store.KeyActive {
		return nil, &Error{Code: InactiveKey, Message: "The security token included in the request is invalid."}
	}
	c = &credential{secret: key.Secret, principal: principalOf(key)}
	a.mu.Lock()
	if len(a.cache) >= maxCachedKeys {
		clear(a.cache)
	}
	a.cache[id] = c
	a.mu.Unlock()
	return c, nil
}

func principalOf(k *store.AccessKey) *Principal {
	if k.UserName == "" {
		return &Principal{Kind: Root, Account: k.AccountID, ARN: RootARN(k.AccountID), UserID: k.AccountID, AccessKeyID: k.ID}
	}
	return &Principal{Kind: User, Account: k.AccountID, Name: k.UserName,
		ARN: "arn:aws:iam::" + k.AccountID + ":user/" + k.UserName, AccessKeyID: k.ID}
}
