package console

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
)

// Sessions live in a cookie sealed with the data dir's master key (AES-256-GCM bound to the
// purpose below): its tag authenticates the cookie as an HMAC would, and the sealing also
// hides what it holds (the access key ID and the CSRF token) from anyone who copies it. The
// master key is the server's own secret, so a session outlives a restart and no second key
// has to be kept.
const (
	sessionCookie  = "cairn_console"
	preCookie      = "cairn_console_pre" // the sign-in form's CSRF token, before a session exists
	sessionPurpose = "cairn console session v1"
	prePurpose     = "cairn console sign-in form v1"
	// signinTokenLifetime is how long a one-time sign-in URL works.
	signinTokenLifetime = 5 * time.Minute
)

// session is a signed-in browser: the access key it signed in with, resolved to the
// key's principal on every request (a deleted or deactivated key ends the session).
type session struct {
	ID      string `json:"i"`
	KeyID   string `json:"k"`
	Expires int64  `json:"e"`
	CSRF    string `json:"c"`

	principal *auth.Principal
}

// Principal is the signed-in principal.
func (s *session) Principal() *auth.Principal { return s.principal }

func (s *session) validCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}

var errNoSession = errors.New("console: no session")

// session returns the request's session, or errNoSession.
func (c *Console) session(r *http.Request) (*session, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, errNoSession
	}
	raw, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return nil, errNoSession
	}
	plain, err := c.opts.Key.Open(sessionPurpose, raw)
	if err != nil {
		return nil, errNoSession
	}
	s := &session{}
	if err := json.Unmarshal(plain, s); err != nil {
		return nil, errNoSession
	}
	now := c.opts.Now()
	if s.ID == "" || s.CSRF == "" || !now.Before(time.Unix(s.Expires, 0)) || c.revoke.has(s.ID) {
		return nil, errNoSession
	}
	p, err := c.opts.Credentials.Principal(r.Context(), s.KeyID)
	if err != nil {
		return nil, errNoSession
	}
	if !p.Expires.IsZero() && !now.Before(p.Expires) {
		return nil, errNoSession
	}
	s.principal = p
	return s, nil
}

// startSession sets the session cookie of p and sends the browser to next.
func (c *Console) startSession(w http.ResponseWriter, r *http.Request, p *auth.Principal, next string) {
	expires := c.opts.Now().Add(c.opts.SessionLifetime)
	if !p.Expires.IsZero() && p.Expires.Before(expires) {
		expires = p.Expires
	}
	s := session{ID: requestID(), KeyID: p.AccessKeyID, Expires: expires.Unix(), CSRF: requestID()}
	plain, _ := json.Marshal(s)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: base64.RawURLEncoding.EncodeToString(c.opts.Key.Seal(sessionPurpose, plain)),
		Path: Prefix, Expires: expires, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.SetCookie(w, &http.Cookie{Name: preCookie, Path: Prefix, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

// safeNext keeps a redirect inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix) || strings.ContainsAny(next, "\\\r\n") {
		return Prefix + "pipelines"
	}
	return next
}

type signinView struct {
	Next, Error, CSRF string
}

// signinForm shows the access key form, with a CSRF token of its own in a sealed cookie.
func (c *Console) signinForm(w http.ResponseWriter, r *http.Request) {
	c.showSignin(w, r, http.StatusOK, r.URL.Query().Get("next"), "")
}

func (c *Console) showSignin(w http.ResponseWriter, r *http.Request, status int, next, msg string) {
	token := requestID()
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: base64.RawURLEncoding.EncodeToString(c.opts.Key.Seal(prePurpose, []byte(token))),
		Path: Prefix, MaxAge: 3600, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	c.render(w, status, "signin", nil, signinView{Next: next, Error: msg, CSRF: token})
}

// signin checks a typed key pair and starts a session.
func (c *Console) signin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	next := r.PostFormValue("next")
	if !c.validPreCSRF(r) {
		http.Error(w, "The form's security token is missing or stale: reload the page and try again.", http.StatusForbidden)
		return
	}
	id := strings.TrimSpace(r.PostFormValue("access_key_id"))
	secret := strings.TrimSpace(r.PostFormValue("secret_access_key"))
	token := strings.TrimSpace(r.PostFormValue("session_token"))
	p, err := c.opts.Credentials.Check(r.Context(), id, secret, token)
	if err != nil {
		msg := "These credentials are not valid: check the access key ID, the secret and, for temporary credentials, the session token."
		var ae *auth.Error
		if errors.As(err, &ae) && ae.Code == auth.ExpiredToken {
			msg = "These temporary credentials have expired."
		} else if !errors.As(err, &ae) {
			c.log.Error("console: sign in", "err", err)
		}
		c.showSignin(w, r, http.StatusUnauthorized, next, msg)
		return
	}
	c.startSession(w, r, p, next)
}

func (c *Console) validPreCSRF(r *http.Request) bool {
	ck, err := r.Cookie(preCookie)
	if err != nil {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return false
	}
	want, err := c.opts.Key.Open(prePurpose, raw)
	got := r.PostFormValue("csrf")
	return err == nil && got != "" && subtle.ConstantTimeCompare(want, []byte(got)) == 1
}

// signinWithToken redeems a one-time sign-in token.
func (c *Console) signinWithToken(w http.ResponseWriter, r *http.Request) {
	keyID, ok := c.tokens.redeem(r.URL.Query().Get("token"))
	if !ok {
		c.showSignin(w, r, http.StatusUnauthorized, "", "This sign-in link has expired or was already used: run `cairn console` again.")
		return
	}
	p, err := c.opts.Credentials.Principal(r.Context(), keyID)
	if err != nil || (!p.Expires.IsZero() && !c.opts.Now().Before(p.Expires)) {
		c.showSignin(w, r, http.StatusUnauthorized, "", "The credentials of this sign-in link are no longer valid.")
		return
	}
	c.startSession(w, r, p, r.URL.Query().Get("next"))
}

// federationOutput answers a sign-in token request.
type federationOutput struct {
	SigninToken string
	SigninURL   string
	Expiration  time.Time
}

// federation mints a one-time sign-in token for the principal that signed the request, as
// AWS's federation endpoint does for getSigninToken.
func (c *Console) federation(w http.ResponseWriter, r *http.Request) {
	if c.opts.Signed == nil {
		http.Error(w, "sign-in tokens are not available", http.StatusNotFound)
		return
	}
	p, err := c.opts.Signed(r)
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]string{"Code": "AccessDenied", "Message": err.Error()})
		return
	}
	token, expires := c.tokens.mint(p.AccessKeyID)
	u := url.URL{Scheme: "http", Host: r.Host, Path: Prefix + "signin/token", RawQuery: "token=" + url.QueryEscape(token)}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(federationOutput{SigninToken: token, SigninURL: u.String(), Expiration: expires.UTC()})
}

// signout ends the session: the cookie is cleared and its ID refused until it would have
// expired anyway.
func (c *Console) signout(w http.ResponseWriter, r *http.Request, s *session) error {
	c.revoke.add(s.ID, time.Unix(s.Expires, 0))
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: Prefix, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, Prefix+"signin", http.StatusSeeOther)
	return nil
}

// signinTokens are one-time sign-in tokens: random, in memory, single use, short-lived.
type signinTokens struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]signinToken
}

type signinToken struct {
	keyID   string
	expires time.Time
}

func newSigninTokens(now func() time.Time) *signinTokens {
	return &signinTokens{now: now, m: map[string]signinToken{}}
}

func (t *signinTokens) mint(keyID string) (string, time.Time) {
	token := requestID() + requestID()
	expires := t.now().Add(signinTokenLifetime)
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for k, v := range t.m {
		if !now.Before(v.expires) {
			delete(t.m, k)
		}
	}
	t.m[token] = signinToken{keyID: keyID, expires: expires}
	return token, expires
}

func (t *signinTokens) redeem(token string) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[token]
	if !ok {
		return "", false
	}
	delete(t.m, token)
	if !t.now().Before(v.expires) {
		return "", false
	}
	return v.keyID, true
}

// revoked holds the IDs of sessions signed out before they expired. It is kept in memory:
// after a restart a signed-out cookie that was copied before sign-out works again until it
// expires (documented in docs/console.md).
type revoked struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]time.Time
}

func newRevoked(now func() time.Time) *revoked { return &revoked{now: now, m: map[string]time.Time{}} }

func (v *revoked) add(id string, until time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	for k, t := range v.m {
		if !now.Before(t) {
			delete(v.m, k)
		}
	}
	v.m[id] = until
}

func (v *revoked) has(id string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	_, ok := v.m[id]
	return ok
}

func urlQuery(s string) string { return url.QueryEscape(s) }
