package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/arn"

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

	now func() time.Time

	mu    sync.RWMutex
	cache map[string]*credential
}

// credential is a resolved access key: its secret and whom it belongs to.
type credential struct {
	secret    string
	tokenHash []byte // SHA-256 of the session token, for temporary credentials
	principal *Principal
}

// NewAuthenticator returns an Authenticator reading keys from st. It keeps resolved keys in
// memory and forgets them when a committed change touches them.
func NewAuthenticator(st store.Store, v *sigv4.Verifier, now func() time.Time) *Authenticator {
	a := &Authenticator{store: st, verifier: v, now: now, cache: map[string]*credential{}}
	st.Subscribe(a.invalidate)
	return a
}

func (a *Authenticator) invalidate(changes []store.Change) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range changes {
		switch c.Kind {
		case store.ChangeAccessKey:
			delete(a.cache, c.Key)
		case store.ChangeSession:
			delete(a.cache, c.Key)
		case store.ChangeAccount, store.ChangeUser, store.ChangeRole, store.ChangeGroup, store.ChangePolicy:
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
	switch {
	case cred.tokenHash == nil && sig.SessionToken != "":
		// Long-term keys carry no session token.
		return nil, nil, &Error{Code: InvalidToken, Message: "The security token included in the request is invalid."}
	case cred.tokenHash != nil:
		sum := sha256.Sum256([]byte(sig.SessionToken))
		if sig.SessionToken == "" || subtle.ConstantTimeCompare(sum[:], cred.tokenHash) != 1 {
			return nil, nil, &Error{Code: InvalidToken, Message: "The security token included in the request is invalid."}
		}
		if !a.now().Before(cred.principal.Expires) {
			return nil, nil, &Error{Code: ExpiredToken, Message: "The security token included in the request is expired"}
		}
		if cred.principal.UserSession && sig.Scope.Service == "iam" {
			// IAM refuses GetSessionToken's credentials unless MFA-authenticated, and
			// answers as AWS does: as if the token were not valid.
			return nil, nil, &Error{Code: InvalidToken, Message: "The security token included in the request is invalid."}
		}
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
	err := a.store.View(ctx, func(tx store.Tx) error {
		var err error
		if strings.HasPrefix(id, "ASIA") {
			c, err = sessionCredential(tx, id)
		} else {
			c, err = keyCredential(tx, id)
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Code: UnknownKey, Message: "The security token included in the request is invalid."}
	}
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	if len(a.cache) >= maxCachedKeys {
		clear(a.cache)
	}
	a.cache[id] = c
	a.mu.Unlock()
	return c, nil
}

// errInactive is answered as an unknown key, as AWS does.
var errInactive = &Error{Code: InactiveKey, Message: "The security token included in the request is invalid."}

func keyCredential(tx store.Tx, id string) (*credential, error) {
	key, err := tx.AccessKey(id)
	if err != nil {
		return nil, err
	}
	if key.Status != store.KeyActive {
		return nil, errInactive
	}
	if key.UserName == "" {
		return &credential{secret: key.Secret, principal: &Principal{Kind: Root, Account: key.AccountID,
			ARN: RootARN(key.AccountID), UserID: key.AccountID, AccessKeyID: key.ID}}, nil
	}
	user, err := tx.User(key.AccountID, key.UserName)
	if err != nil {
		return nil, fmt.Errorf("access key %s: user %s: %w", id, key.UserName, err)
	}
	return &credential{secret: key.Secret, principal: &Principal{Kind: User, Account: key.AccountID,
		ARN: arn.User(key.AccountID, user.Path, user.Name), UserID: user.ID,
		Name: user.Name, Path: user.Path, AccessKeyID: key.ID, Tags: tagMap(user.Tags)}}, nil
}

func sessionCredential(tx store.Tx, id string) (*credential, error) {
	s, err := tx.Session(id)
	if err != nil {
		return nil, err
	}
	if !s.ForRole() {
		return userSessionCredential(tx, s)
	}
	p := SessionPrincipal(s)
	// The role's tags are principal tags too; session tags win.
	if role, err := tx.Role(s.AccountID, s.RoleName); err == nil {
		tags := tagMap(role.Tags)
		for k, v := range p.Tags {
			tags[k] = v
		}
		p.Tags = tags
	}
	return &credential{secret: s.Secret, tokenHash: s.TokenHash, principal: p}, nil
}

// userSessionCredential resolves GetSessionToken's session to the user or root user it
// stands for, as they are now: a user since deleted, renamed or moved to another path
// has credentials that no longer work.
func userSessionCredential(tx store.Tx, s *store.Session) (*credential, error) {
	a, err := arn.Parse(s.CallerARN)
	if err != nil || a.Account != s.AccountID {
		return nil, fmt.Errorf("session %s: caller %q: %w", s.AccessKeyID, s.CallerARN, store.ErrNotFound)
	}
	var p *Principal
	if a.Resource == "root" {
		p = &Principal{Kind: Root, Account: s.AccountID, ARN: RootARN(s.AccountID), UserID: s.AccountID}
	} else {
		name := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
		user, err := tx.User(s.AccountID, name)
		if err != nil {
			return nil, err
		}
		if user.ARN() != s.CallerARN {
			return nil, fmt.Errorf("session %s: user %s changed: %w", s.AccessKeyID, s.CallerARN, store.ErrNotFound)
		}
		p = &Principal{Kind: User, Account: s.AccountID, ARN: s.CallerARN, UserID: user.ID, Name: user.Name,
			Path: user.Path, Tags: tagMap(user.Tags)}
	}
	p.AccessKeyID, p.Expires, p.UserSession = s.AccessKeyID, s.ExpiresAt, true
	return &credential{secret: s.Secret, tokenHash: s.TokenHash, principal: p}, nil
}

// SessionPrincipal is the principal of an STS session (role tags not included).
func SessionPrincipal(s *store.Session) *Principal {
	return &Principal{Kind: AssumedRole, Account: s.AccountID,
		ARN:    arn.AssumedRole(s.AccountID, s.RoleName, s.SessionName),
		UserID: s.RoleID + ":" + s.SessionName, Name: s.RoleName, AccessKeyID: s.AccessKeyID,
		RoleARN: s.RoleARN, SessionName: s.SessionName, Tags: tagMap(s.Tags), TransitiveTagKeys: s.TransitiveTagKeys,
		SessionPolicy: s.Policy, SessionPolicyARNs: s.PolicyARNs, SourceIdentity: s.SourceIdentity,
		Chained: s.Chained, Expires: s.ExpiresAt}
}

func tagMap(tags []store.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// Principal returns the principal an access key belongs to, for work Cairn does with
// credentials it issued itself (a role session a service assumed).
func (a *Authenticator) Principal(ctx context.Context, accessKeyID string) (*Principal, error) {
	c, err := a.lookup(ctx, accessKeyID)
	if err != nil {
		return nil, err
	}
	return c.principal, nil
}

// Check returns the principal of an access key pair given by a person rather than by a
// signature (the console's sign-in form): the secret, and for temporary credentials the
// session token, must match and the credentials must be in force. Every failure answers as
// an unknown key does.
func (a *Authenticator) Check(ctx context.Context, accessKeyID, secret, sessionToken string) (*Principal, error) {
	invalid := &Error{Code: UnknownKey, Message: "The security token included in the request is invalid."}
	c, err := a.lookup(ctx, accessKeyID)
	if err != nil {
		var ae *Error
		if errors.As(err, &ae) {
			return nil, invalid
		}
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(c.secret)) != 1 {
		return nil, invalid
	}
	switch {
	case c.tokenHash == nil && sessionToken != "":
		return nil, invalid
	case c.tokenHash != nil:
		sum := sha256.Sum256([]byte(sessionToken))
		if subtle.ConstantTimeCompare(sum[:], c.tokenHash) != 1 {
			return nil, invalid
		}
		if !a.now().Before(c.principal.Expires) {
			return nil, &Error{Code: ExpiredToken, Message: "The security token included in the request is expired"}
		}
	}
	return c.principal, nil
}
