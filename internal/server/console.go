package server

import (
	"errors"
	"net"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/console"
	"github.com/cairnhq/cairn/internal/masterkey"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/sigv4"
)

// openConsole builds the web console over the services' operations. Its session cookies
// are sealed with the data dir's master key, so sessions outlive a restart.
func (s *Server) openConsole(services []*awsproto.Service) error {
	key, err := masterkey.Load(s.opts.DataDir)
	if err != nil {
		return err
	}
	ops := make(map[string]*operation.Service, len(services))
	for _, svc := range services {
		ops[svc.Name] = svc.Operations()
	}
	dataDir := s.opts.DataDir
	s.console, err = console.New(console.Options{Services: ops, Authorizer: s.authorizer, Credentials: s.authn,
		Signed: s.signedPrincipal, Key: key, Changes: s.store, Region: s.opts.Region, Now: s.opts.Now, Logger: s.log,
		JobLog:  func(account, job string) string { return runner.LogPath(dataDir, account, job) },
		Denials: s.denials.Recent})
	return err
}

// isConsole says whether r is for the console: a path under console.Prefix on a host that
// does not name an S3 bucket (virtual-hosted style). Path-style S3 requests cannot reach
// it: bucket names never contain "_".
func (s *Server) isConsole(r *http.Request) bool {
	if s.console == nil || !strings.HasPrefix(r.URL.Path, strings.TrimSuffix(console.Prefix, "/")) {
		return false
	}
	if rest := strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(console.Prefix, "/")); rest != "" && rest[0] != '/' {
		return false
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	domains := s.opts.S3Domains
	if len(domains) == 0 {
		domains = []string{"localhost"}
	}
	for _, d := range domains {
		if strings.HasSuffix(strings.ToLower(host), "."+strings.ToLower(d)) {
			return false
		}
	}
	return true
}

// serveConsole answers a console request; the bare prefix without its slash redirects.
func (s *Server) serveConsole(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("console panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			http.Error(w, "The console failed to answer; the server log has the detail.", http.StatusInternalServerError)
		}
	}()
	if r.URL.Path == strings.TrimSuffix(console.Prefix, "/") {
		http.Redirect(w, r, console.Prefix, http.StatusSeeOther)
		return
	}
	s.console.ServeHTTP(w, r)
}

// signedPrincipal authenticates a SigV4-signed request as the API does: the console's
// sign-in token request.
func (s *Server) signedPrincipal(r *http.Request) (*auth.Principal, error) {
	sig, err := sigv4.Parse(r)
	if err != nil {
		return nil, err
	}
	if sig == nil {
		return nil, errors.New("the request is not signed")
	}
	body, err := s.readBody(r)
	if err != nil {
		return nil, err
	}
	p, _, err := s.authn.Authenticate(r.Context(), r, sig, body)
	return p, err
}
