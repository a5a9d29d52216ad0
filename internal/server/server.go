// Package server wires Cairn together: the data dir, the store, the services, and the HTTP
// server that runs every request through authentication, authorization and the protocol
// layer.
package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/authz"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/console"
	"github.com/cairnhq/cairn/internal/engine"
	"github.com/cairnhq/cairn/internal/jobs"
	"github.com/cairnhq/cairn/internal/masterkey"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/profiles"
	"github.com/cairnhq/cairn/internal/service/organizations"
	"github.com/cairnhq/cairn/internal/service/ram"
	"github.com/cairnhq/cairn/internal/service/sagemaker"
	"github.com/cairnhq/cairn/internal/sigv4"
	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// Options configures a server. Zero values take the defaults of `cairn serve`.
type Options struct {
	Listen     string // 127.0.0.1:7766
	DataDir    string // ./.cairn
	Region     string // us-east-1
	ConfigFile string // optional bootstrap YAML
	Logger     *slog.Logger
	Now        func() time.Time
	Random     io.Reader
	// MaxBodyBytes bounds the buffered body of non-streaming requests.
	MaxBodyBytes int64
	// MinBodyRate is the slowest average rate (bytes/s) at which a request body may arrive
	// after BodyGrace; BodyGrace is also the longest pause in a body. Zero means
	// DefaultMinBodyRate and DefaultBodyGrace.
	MinBodyRate int64
	BodyGrace   time.Duration
	// MaxUnauthenticated caps the requests not yet authenticated; past it a request is
	// answered 503 at once. Zero means DefaultMaxUnauthenticated.
	MaxUnauthenticated int
	// ShutdownTimeout bounds how long Shutdown waits for in-flight requests.
	ShutdownTimeout time.Duration
	// Supervisor is the command that supervises a job (the cairn binary and its hidden
	// supervise subcommand); nil means this binary.
	Supervisor []string
	// Limits bounds concurrent pipeline executions and jobs per account.
	Limits sagemaker.Limits
	// S3Domains are the host names under which S3 requests name a bucket in the Host
	// header (virtual-hosted style, <bucket>.<domain>); localhost when empty.
	S3Domains []string
	// Images maps training and model image URIs to the local commands that stand in for
	// them; the config file's images: come after these.
	Images []jobs.Image
	// TrainingInterpreter runs script-mode training programs; python3 when empty (the
	// config file's training.interpreter when set).
	TrainingInterpreter []string
	// RAMAssociationDelay is how long RAM associations take to complete; nil means
	// ram.DefaultAssociationDelay, zero completes them within the request.
	RAMAssociationDelay *time.Duration
}

// DefaultMaxBodyBytes bounds request bodies of the JSON and query protocols.
const DefaultMaxBodyBytes = 16 << 20

func (o *Options) defaults() {
	if o.Listen == "" {
		o.Listen = "127.0.0.1:7766"
	}
	if o.DataDir == "" {
		o.DataDir = ".cairn"
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Random == nil {
		o.Random = rand.Reader
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MinBodyRate <= 0 {
		o.MinBodyRate = DefaultMinBodyRate
	}
	if o.BodyGrace <= 0 {
		o.BodyGrace = DefaultBodyGrace
	}
	if o.MaxUnauthenticated <= 0 {
		o.MaxUnauthenticated = DefaultMaxUnauthenticated
	}
	if o.ShutdownTimeout == 0 {
		o.ShutdownTimeout = 20 * time.Second
	}
}

// Server is a running Cairn.
type Server struct {
	opts     Options
	log      *slog.Logger
	lock     *os.File
	store    store.Store
	blobs    *blob.Store // S3 object bytes, under <data-dir>/objects
	master   *masterkey.Key
	jobs     *jobs.Manager
	engine   *engine.Engine
	ram      *ram.Service
	listener net.Listener
	http     *http.Server

	authn      *auth.Authenticator
	authorizer operation.Authorizer
	bySigning  map[string]*awsproto.Service
	byTarget   map[string]*awsproto.Service
	ids        *requestIDs
	console    *console.Console
	unauth     unauthenticated
	denials    *recentDenials

	unsubscribe func()
	profilesMu  sync.Mutex

	// feed wakes the long polls of Cairn's endpoints; closing ends them at shutdown.
	feed            *changeFeed
	unsubscribeFeed func()
	closing         chan struct{}
	closeOnce       sync.Once
}

// Open prepares a server: it locks the data dir, opens and migrates the store, applies the
// bootstrap config, binds the listener and writes the profile files. Serve starts serving.
func Open(ctx context.Context, opts Options) (_ *Server, err error) {
	opts.defaults()
	s := &Server{opts: opts, log: opts.Logger}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	// Jobs and their supervisors run in other directories: every path must be absolute.
	if opts.DataDir, err = filepath.Abs(opts.DataDir); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	s.opts.DataDir = opts.DataDir
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	if err := private(opts.DataDir); err != nil {
		return nil, err
	}
	if s.lock, err = lockDataDir(opts.DataDir); err != nil {
		return nil, err
	}
	var bootstrap []organizations.NewAccount
	if opts.ConfigFile != "" {
		fc, err := LoadConfigFile(opts.ConfigFile)
		if err != nil {
			return nil, err
		}
		if fc.Limits.ConcurrentPipelineExecutions > 0 {
			s.opts.Limits.ConcurrentExecutions = fc.Limits.ConcurrentPipelineExecutions
		}
		if fc.Limits.ConcurrentJobs > 0 {
			s.opts.Limits.ConcurrentJobs = fc.Limits.ConcurrentJobs
		}
		for _, a := range fc.Accounts {
			bootstrap = append(bootstrap, organizations.NewAccount{ID: a.ID, Name: a.Name, Email: a.Email})
		}
		s.opts.Images = append(s.opts.Images, fc.JobImages()...)
		if fc.RAM.AssociationDelay != nil {
			s.opts.RAMAssociationDelay = fc.RAM.AssociationDelay
		}
		if len(fc.Training.Interpreter) > 0 {
			s.opts.TrainingInterpreter = fc.Training.Interpreter
		}
	}
	if s.master, err = masterkey.Load(opts.DataDir); err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, filepath.Join(opts.DataDir, "cairn.db"))
	if err != nil {
		return nil, err
	}
	s.store = db
	key, err := masterkey.Load(opts.DataDir)
	if err != nil {
		return nil, err
	}
	if err := db.SealSecrets(ctx, key); err != nil {
		return nil, err
	}
	if s.blobs, err = blob.Open(filepath.Join(opts.DataDir, "objects"), blob.Options{Random: opts.Random}); err != nil {
		return nil, err
	}

	orgs := organizations.New(organizations.Options{Store: db, Now: opts.Now, Random: opts.Random})
	if err := orgs.Bootstrap(ctx, bootstrap); err != nil {
		return nil, fmt.Errorf("bootstrap accounts: %w", err)
	}
	s.authn = auth.NewAuthenticator(db, sigv4.NewVerifier(sigv4.Options{Now: opts.Now}), opts.Now)
	s.authorizer = loggedAuthorizer{authz.New(authz.Options{Store: db, Now: opts.Now, Region: opts.Region}), opts.Logger}
	s.denials = newRecentDenials(db, opts.Logger)
	s.authorizer = recordedAuthorizer{s.authorizer, s.denials, s}
	s.ids = newRequestIDs(opts.Random)
	s.unauth = make(unauthenticated, opts.MaxUnauthenticated)
	services, err := s.services(orgs)
	if err != nil {
		return nil, err
	}
	s.register(services...)
	if err := s.openConsole(services); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}

	if s.listener, err = net.Listen("tcp", opts.Listen); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", opts.Listen, err)
	}
	if err := s.writeProfiles(ctx); err != nil {
		return nil, err
	}
	s.unsubscribe = db.Subscribe(func(changes []store.Change) {
		for _, c := range changes {
			if c.Kind == store.ChangeAccount || c.Kind == store.ChangeAccessKey {
				if err := s.writeProfiles(context.Background()); err != nil {
					s.log.Error("rewrite profiles", "err", err)
				}
				return
			}
		}
	})
	s.feed, s.closing = newChangeFeed(), make(chan struct{})
	s.unsubscribeFeed = db.Subscribe(s.feed.publish)
	if err := s.startWork(ctx); err != nil {
		return nil, err
	}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: headerTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.http.RegisterOnShutdown(s.endPolls)
	s.http.RegisterOnShutdown(s.console.Close)
	return s, nil
}

func (s *Server) register(services ...*awsproto.Service) {
	s.bySigning = map[string]*awsproto.Service{}
	s.byTarget = map[string]*awsproto.Service{}
	for _, svc := range services {
		s.bySigning[svc.Name] = svc
		if svc.TargetPrefix != "" {
			s.byTarget[svc.TargetPrefix] = svc
		}
	}
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Endpoint is the URL clients use.
func (s *Server) Endpoint() string { return "http://" + s.Addr() }

// DataDir is the server's data dir, made absolute: where its profile files are.
func (s *Server) DataDir() string { return s.opts.DataDir }

// Store returns the server's store (for tests and tools in this process).
func (s *Server) Store() store.Store { return s.store }

// Serve answers requests until Shutdown; it returns nil after a clean shutdown.
func (s *Server) Serve() error {
	// The profile files are what a client needs: every AWS client works with only
	// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE set to them.
	s.log.Info("cairn serving", "endpoint", s.Endpoint(), "region", s.opts.Region, "data_dir", s.opts.DataDir,
		"aws_config_file", filepath.Join(s.opts.DataDir, "config"),
		"aws_shared_credentials_file", filepath.Join(s.opts.DataDir, "credentials"))
	if err := s.http.Serve(s.listener); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting connections, waits (bounded by ShutdownTimeout) for in-flight
// requests, and closes the store and the data dir lock.
func (s *Server) Shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.ShutdownTimeout)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("shutdown: in-flight requests did not finish in time; closing them")
		err = s.http.Close()
	}
	return errors.Join(err, s.close())
}

// endPolls ends the long polls of Cairn's endpoints, so that shutdown need not wait for
// them.
func (s *Server) endPolls() {
	s.closeOnce.Do(func() {
		if s.closing != nil {
			close(s.closing)
		}
	})
}

func (s *Server) close() error {
	s.endPolls()
	var errs []error
	if s.engine != nil {
		s.engine.Close()
	}
	if s.ram != nil {
		s.ram.Close()
	}
	if s.jobs != nil {
		errs = append(errs, s.jobs.Close())
	}
	if s.unsubscribe != nil {
		s.unsubscribe()
	}
	if s.unsubscribeFeed != nil {
		s.unsubscribeFeed()
	}
	if s.listener != nil && s.http == nil {
		errs = append(errs, s.listener.Close())
	}
	if s.denials != nil {
		s.denials.close() // its last batch, while the store is open
	}
	if s.store != nil {
		errs = append(errs, s.store.Close())
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Close())
	}
	return errors.Join(errs...)
}

// writeProfiles writes <data-dir>/credentials and <data-dir>/config from the accounts in the
// store.
func (s *Server) writeProfiles(ctx context.Context) error {
	s.profilesMu.Lock()
	defer s.profilesMu.Unlock()
	var list []profiles.Profile
	err := s.store.View(ctx, func(tx store.Tx) error {
		accounts, err := tx.ListAccounts(store.Page{})
		if err != nil {
			return err
		}
		for _, a := range accounts {
			keys, err := tx.ListAccessKeys(a.ID, "")
			if err != nil {
				return err
			}
			if len(keys) == 0 {
				continue
			}
			list = append(list, profiles.Profile{Name: a.Name, AccessKeyID: keys[0].ID, SecretAccessKey: keys[0].Secret})
		}
		return s.adminProfiles(tx, accounts, &list)
	})
	if err != nil {
		return fmt.Errorf("read accounts: %w", err)
	}
	files := profiles.Files{Dir: s.opts.DataDir, Endpoint: s.Endpoint(), Region: s.opts.Region, Default: "management"}
	return files.Write(list)
}

// adminProfiles adds to list a profile "<name>-admin" per member account that assumes the
// account's OrganizationAccountAccessRole from the management profile.
func (s *Server) adminProfiles(tx store.Tx, accounts []*store.Account, list *[]profiles.Profile) error {
	org, err := tx.Organization()
	if err != nil {
		return err
	}
	taken := make(map[string]bool, len(accounts))
	for _, a := range accounts {
		taken[a.Name] = true
	}
	for _, a := range accounts {
		name := a.Name + "-admin"
		if a.ID == org.ManagementAccountID || taken[name] {
			continue
		}
		role, err := tx.Role(a.ID, organizations.DefaultAccessRole)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		*list = append(*list, profiles.Profile{Name: name, RoleARN: role.ARN(), SourceProfile: "management"})
	}
	return nil
}

// databaseFiles hold every account's secrets (sealed, but with their metadata).
var databaseFiles = []string{"cairn.db", "cairn.db-wal", "cairn.db-shm"}

// private makes the data dir 0700 and its database files 0600 whatever existed before: a
// dir or database made by another tool, or by an older Cairn, keeps no wider mode. The
// database file is created 0600 before SQLite opens it, and SQLite gives its -wal and -shm
// files the database's mode.
func private(dataDir string) error {
	if err := os.Chmod(dataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	for _, name := range databaseFiles {
		path := filepath.Join(dataDir, name)
		if name == "cairn.db" {
			f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
			if err != nil {
				return fmt.Errorf("data dir: %w", err)
			}
			f.Close()
		}
		if err := os.Chmod(path, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("data dir: %w", err)
		}
	}
	return nil
}
