package console

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/masterkey"
)

// keyPair is a Credentials of one access key, whose principal may carry an expiry.
type keyPair struct {
	id, secret string
	principal  auth.Principal
}

func (k *keyPair) Check(_ context.Context, id, secret, _ string) (*auth.Principal, error) {
	if id != k.id || secret != k.secret {
		return nil, errors.New("no such key")
	}
	p := k.principal
	return &p, nil
}

func (k *keyPair) Principal(_ context.Context, id string) (*auth.Principal, error) {
	if id != k.id {
		return nil, errors.New("no such key")
	}
	p := k.principal
	return &p, nil
}

// clock is a settable time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// sessionServer serves a console over TLS or not, with a settable clock.
func sessionServer(t *testing.T, tls bool, principal auth.Principal) (*httptest.Server, *http.Client, *clock) {
	t.Helper()
	key, err := masterkey.New(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Now().Truncate(time.Second)} // the cookie jar expires cookies by the real clock
	principal.AccessKeyID = "AKIAEXAMPLE"
	c, err := New(Options{Key: key, Now: clk.Now, Credentials: &keyPair{id: "AKIAEXAMPLE", secret: "secret", principal: principal},
		SessionLifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(c)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	client := srv.Client()
	client.Jar, _ = cookiejar.New(nil)
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return srv, client, clk
}

// signIn submits the sign-in form and returns the session cookie the server set.
func signIn(t *testing.T, srv *httptest.Server, client *http.Client) (pre, session *http.Cookie) {
	t.Helper()
	res, err := client.Get(srv.URL + Prefix + "signin")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	pre = cookieNamed(res, preCookie)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(body))
	if m == nil || pre == nil {
		t.Fatalf("sign-in form: %d", res.StatusCode)
	}
	res, err = client.PostForm(srv.URL+Prefix+"signin", url.Values{"csrf": {m[1]}, "access_key_id": {"AKIAEXAMPLE"}, "secret_access_key": {"secret"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	return pre, cookieNamed(res, sessionCookie)
}

func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, ck := range res.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

var root = auth.Principal{Kind: auth.Root, Account: "111111111111", ARN: "arn:aws:iam::111111111111:root"}

// Over TLS every cookie the console sets is Secure; over plain HTTP (loopback) it cannot
// be, or the browser would never send it back. Either way HttpOnly, SameSite=Strict, on
// the console's path, with an expiry.
func TestCookieFlagsUnderTLS(t *testing.T) {
	for _, tls := range []bool{true, false} {
		srv, client, clk := sessionServer(t, tls, root)
		pre, session := signIn(t, srv, client)
		for _, ck := range []*http.Cookie{pre, session} {
			if ck == nil {
				t.Fatalf("TLS %v: a cookie is missing", tls)
			}
			if ck.Secure != tls || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != Prefix {
				t.Errorf("TLS %v: %s flags: Secure %v HttpOnly %v SameSite %v Path %q", tls, ck.Name, ck.Secure, ck.HttpOnly, ck.SameSite, ck.Path)
			}
		}
		if want := clk.Now().Add(time.Hour); !session.Expires.Equal(want.Truncate(time.Second)) {
			t.Errorf("TLS %v: the session expires %v, want %v", tls, session.Expires, want)
		}
		res, err := client.Get(srv.URL + Prefix + "access")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("TLS %v: a page with the session: %v %v", tls, res.StatusCode, err)
		}
		res.Body.Close()
		// The sign-out form clears the cookie with the same flags.
		csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
		res, _ = client.Get(srv.URL + Prefix + "access")
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := csrf.FindStringSubmatch(string(body))
		if m == nil {
			t.Fatal("no sign-out form")
		}
		res, err = client.PostForm(srv.URL+Prefix+"signout", url.Values{"csrf": {m[1]}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if ck := cookieNamed(res, sessionCookie); ck == nil || ck.MaxAge >= 0 || ck.Secure != tls || !ck.HttpOnly {
			t.Errorf("TLS %v: sign-out cookie %+v", tls, ck)
		}
	}
}

// A session ends at its expiry on the server's clock, whatever the browser keeps; one of
// temporary credentials ends when they do.
func TestSessionExpiry(t *testing.T) {
	srv, client, clk := sessionServer(t, false, root)
	signIn(t, srv, client)
	get := func() int {
		res, err := client.Get(srv.URL + Prefix + "access")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(); code != http.StatusOK {
		t.Fatalf("a fresh session: %d", code)
	}
	clk.add(59 * time.Minute)
	if code := get(); code != http.StatusOK {
		t.Fatalf("a minute before expiry: %d", code)
	}
	// The browser would have dropped the cookie; a copy presented anyway is refused.
	clk.add(time.Minute)
	if code := get(); code != http.StatusSeeOther {
		t.Errorf("at expiry: %d", code)
	}

	temp := root
	temp.Kind, temp.ARN = auth.AssumedRole, "arn:aws:sts::111111111111:assumed-role/r/s"
	srv, client, clk = sessionServer(t, false, temp)
	temp.Expires = clk.Now().Add(10 * time.Minute)
	srv.Config.Handler.(*Console).opts.Credentials = &keyPair{id: "AKIAEXAMPLE", secret: "secret", principal: withKey(temp)}
	_, session := signIn(t, srv, client)
	if !session.Expires.Equal(temp.Expires) {
		t.Errorf("a session of credentials expiring at %v expires at %v", temp.Expires, session.Expires)
	}
	clk.add(10 * time.Minute)
	if code := get(); code != http.StatusSeeOther {
		t.Errorf("after the credentials expired: %d", code)
	}
	if !strings.HasPrefix(srv.URL, "http://") {
		t.Fatal("not plain HTTP")
	}
}

func withKey(p auth.Principal) auth.Principal { p.AccessKeyID = "AKIAEXAMPLE"; return p }
