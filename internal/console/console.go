// Package console is Cairn's web console: server-rendered pages, pipeline graphs laid out
// and drawn as SVG on the server, and live execution pages fed by server-sent events from
// the store's change feed.
//
// The console is a client of the operations: every page reads and every action acts
// through operation.Service.InvokeJSON with the signed-in principal in the context, so a
// person sees and does exactly what IAM lets their credentials see and do through the API,
// and a denial is the API's denial. It never reads the store; the change feed only tells it
// when to ask again.
package console

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/masterkey"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Prefix is the path under which the console answers. S3 bucket names cannot contain "_",
// so no path-style bucket request starts with it; the server also leaves virtual-hosted
// bucket hosts to S3.
const Prefix = "/_cairn/console/"

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Credentials resolves access keys to principals, as the API's authenticator does.
type Credentials interface {
	// Check returns the principal of a key pair a person typed in.
	Check(ctx context.Context, accessKeyID, secret, sessionToken string) (*auth.Principal, error)
	// Principal returns the principal an access key belongs to now (an error once the key
	// is deleted or deactivated).
	Principal(ctx context.Context, accessKeyID string) (*auth.Principal, error)
}

// Feed is the store's change feed: committed changes in commit order.
type Feed interface {
	Subscribe(fn func([]store.Change)) (cancel func())
}

// Options wires a console.
type Options struct {
	// Services are the operations by signing name: "sagemaker", "ram", "iam", "sts".
	Services   map[string]*operation.Service
	Authorizer operation.Authorizer
	// Credentials checks key pairs and resolves a session's key on every request.
	Credentials Credentials
	// Signed authenticates a SigV4-signed request (the sign-in token request of
	// `cairn console`) and returns who signed it.
	Signed func(r *http.Request) (*auth.Principal, error)
	// Key seals session cookies (the data dir's master key).
	Key     *masterkey.Key
	Changes Feed
	Region  string
	Now     func() time.Time
	Logger  *slog.Logger
	// JobLog returns the path of a job's log file (runner.LogPath), read only after the
	// job's Describe operation allowed the signed-in principal to see the job.
	JobLog func(account, job string) string
	// Denials returns the recent denials of an account's principals, newest first.
	Denials func(account string) []Denial
	// SessionLifetime bounds a session; 12 hours when zero.
	SessionLifetime time.Duration
}

// Denial is a request the authorizer denied, with the policy engine's explanation.
type Denial struct {
	Time                        time.Time
	Principal, Action, Resource string
	// Decision is ImplicitlyDenied or ExplicitlyDenied; PolicyType the kind of policy
	// that decided ("identity-based policy", "service control policy", …).
	Decision, PolicyType string
	// PolicyID and Statement name the Deny statement of an explicit deny (its Sid, or
	// "#N"); "" for an implicit deny.
	PolicyID, Statement string
	// Message is the AccessDenied message the caller got.
	Message   string
	RequestID string
}

// Console is the web console's HTTP handler, mounted at Prefix.
type Console struct {
	opts   Options
	log    *slog.Logger
	mux    *http.ServeMux
	pages  map[string]*template.Template
	tokens *signinTokens
	revoke *revoked
	// closing is closed by Close: open event streams end so that a shutdown need not wait
	// for them.
	closing   chan struct{}
	closeOnce sync.Once
}

// Close ends every open event stream; pages are still served.
func (c *Console) Close() { c.closeOnce.Do(func() { close(c.closing) }) }

// New returns the console.
func New(opts Options) (*Console, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.SessionLifetime == 0 {
		opts.SessionLifetime = 12 * time.Hour
	}
	if opts.Key == nil {
		return nil, errors.New("console: no key to seal sessions with")
	}
	c := &Console{opts: opts, log: opts.Logger, mux: http.NewServeMux(),
		tokens: newSigninTokens(opts.Now), revoke: newRevoked(opts.Now),
		closing: make(chan struct{})}
	var err error
	if c.pages, err = parsePages(); err != nil {
		return nil, err
	}
	c.routes()
	return c, nil
}

func (c *Console) routes() {
	static, _ := fs.Sub(staticFiles, "static")
	c.mux.Handle("GET "+Prefix+"static/", http.StripPrefix(Prefix+"static/", http.FileServerFS(static)))
	c.mux.HandleFunc("GET "+Prefix+"signin", c.signinForm)
	c.mux.HandleFunc("POST "+Prefix+"signin", c.signin)
	c.mux.HandleFunc("GET "+Prefix+"signin/token", c.signinWithToken)
	c.mux.HandleFunc("POST "+Prefix+"federation", c.federation)
	c.mux.HandleFunc("POST "+Prefix+"signout", c.action(c.signout))
	c.mux.HandleFunc("GET "+Prefix+"{$}", c.page(func(w http.ResponseWriter, r *http.Request, s *session) error {
		http.Redirect(w, r, Prefix+"pipelines", http.StatusSeeOther)
		return nil
	}))
	c.mux.HandleFunc("GET "+Prefix+"pipelines", c.page(c.pipelines))
	c.mux.HandleFunc("GET "+Prefix+"pipeline", c.page(c.pipeline))
	c.mux.HandleFunc("POST "+Prefix+"pipeline/start", c.action(c.startExecution))
	c.mux.HandleFunc("GET "+Prefix+"execution", c.page(c.execution))
	c.mux.HandleFunc("GET "+Prefix+"execution/events", c.page(c.executionEvents))
	c.mux.HandleFunc("POST "+Prefix+"execution/stop", c.action(c.stopExecution))
	c.mux.HandleFunc("POST "+Prefix+"execution/retry", c.action(c.retryExecution))
	c.mux.HandleFunc("GET "+Prefix+"job", c.page(c.job))
	c.mux.HandleFunc("GET "+Prefix+"job/log", c.page(c.jobLog))
	c.mux.HandleFunc("GET "+Prefix+"lineage", c.page(c.lineage))
	c.mux.HandleFunc("GET "+Prefix+"sharing", c.page(c.sharing))
	c.mux.HandleFunc("POST "+Prefix+"sharing/invitation", c.action(c.invitation))
	c.mux.HandleFunc("GET "+Prefix+"access", c.page(c.access))
	c.mux.HandleFunc("POST "+Prefix+"access/simulate", c.action(c.simulate))
}

// ServeHTTP answers one console request.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Nothing leaves the origin: scripts, styles and images are the console's own, and no
	// page may be framed.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "+
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if !strings.HasPrefix(r.URL.Path, Prefix+"static/") {
		h.Set("Cache-Control", "no-store")
	}
	c.mux.ServeHTTP(w, r)
}

// handlerFunc is a page or action of a signed-in session.
type handlerFunc func(w http.ResponseWriter, r *http.Request, s *session) error

// page serves a GET of a signed-in session; without one it sends the browser to sign in
// and back.
func (c *Console) page(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := c.session(r)
		if err != nil {
			if r.Header.Get("Accept") == "text/event-stream" {
				http.Error(w, "sign in first", http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, Prefix+"signin?next="+urlQuery(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		c.finish(w, r, s, h(w, r, s))
	}
}

// action serves a POST of a signed-in session carrying the session's CSRF token.
func (c *Console) action(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		s, err := c.session(r)
		if err != nil {
			http.Error(w, "Your console session has ended: sign in again.", http.StatusUnauthorized)
			return
		}
		if !s.validCSRF(r.PostFormValue("csrf")) {
			http.Error(w, "The form's security token is missing or stale: reload the page and try again.", http.StatusForbidden)
			return
		}
		c.finish(w, r, s, h(w, r, s))
	}
}

// finish renders the error a handler returned: an AWS error as the API gave it, anything
// else as an internal failure with the detail in the log only.
func (c *Console) finish(w http.ResponseWriter, r *http.Request, s *session, err error) {
	if err == nil {
		return
	}
	var ae *operation.Error
	status, view := http.StatusInternalServerError, errorView{Code: "InternalFailure",
		Message: "The console could not complete the request; the server log has the detail."}
	if errors.As(err, &ae) {
		status, view = ae.Status, errorView{Code: ae.Code, Message: ae.Message}
		if status == 0 {
			status = http.StatusBadRequest
		}
	} else {
		c.log.Error("console", "path", r.URL.Path, "err", err)
	}
	c.render(w, status, "error", s, view)
}

type errorView struct{ Code, Message string }

// call runs a service's operation as the session's principal, with the JSON forms of in
// and out, through the API's validation and authorization.
func (c *Console) call(ctx context.Context, r *http.Request, s *session, service, op string, in, out any) error {
	svc := c.opts.Services[service]
	if svc == nil {
		return fmt.Errorf("console: no service %s", service)
	}
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	info := &operation.RequestInfo{ID: requestID(), Service: service, Operation: op, Region: c.opts.Region,
		Received: c.opts.Now(), SourceIP: sourceIP(r), Secure: r.TLS != nil, UserAgent: r.UserAgent()}
	ctx = operation.WithRequestInfo(auth.WithPrincipal(ctx, s.principal), info)
	res, err := svc.InvokeJSON(ctx, c.opts.Authorizer, op, body)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(res, out); err != nil {
		return fmt.Errorf("console: decode %s output: %w", op, err)
	}
	return nil
}

// render writes a page: the named template inside the layout.
func (c *Console) render(w http.ResponseWriter, status int, name string, s *session, data any) {
	t := c.pages[name]
	if t == nil {
		panic("console: no page " + name)
	}
	view := layoutView{Page: name, Data: data}
	if s != nil {
		view.Session = s
		view.CSRF = s.CSRF
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout", view); err != nil {
		c.log.Error("console: render", "page", name, "err", err)
		http.Error(w, "The page could not be rendered.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(buf.String()))
}

// layoutView is what every page's layout sees.
type layoutView struct {
	Page    string
	Session *session
	CSRF    string
	Data    any
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// clientToken is an idempotency token for a Start/Stop/Retry request.
func clientToken() string { return requestID() + requestID()[:8] }

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
