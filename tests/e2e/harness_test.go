// Package e2e drives a real Cairn server over loopback with the official AWS SDK for Go v2
// clients, signed with the credentials Cairn writes to its data dir.
package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/cairnhq/cairn/internal/server"
)

// cairn is one server under test.
type cairn struct {
	t    testing.TB
	srv  *server.Server
	dir  string
	done chan error
}

// startOptions tune a test server.
type startOptions struct {
	Config  string // bootstrap YAML text
	DataDir string // reuse a data dir (restart tests)
	Clock   *clock // the server's clock; the real time when nil
	// Log, when set, receives the server's log as JSON lines at INFO.
	Log io.Writer
}

// clock is a server clock that tests move forward.
type clock struct{ offset atomic.Int64 }

// Now is the real time plus the offset.
func (c *clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock forward by d.
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// shiftedSigner signs requests as if the client's clock were the test clock, so requests
// stay within the server's allowed skew after the clock moves.
type shiftedSigner struct {
	clock  *clock
	signer *v4.Signer
}

func (s shiftedSigner) SignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, t time.Time, opts ...func(*v4.SignerOptions)) error {
	return s.signer.SignHTTP(ctx, creds, r, payloadHash, service, region, t.Add(time.Duration(s.clock.offset.Load())), opts...)
}

// start runs a server on a random loopback port with a fresh data dir, stopped when the
// test ends.
func start(t testing.TB, o startOptions) *cairn {
	t.Helper()
	dir := o.DataDir
	if dir == "" {
		dir = t.TempDir()
	}
	opts := server.Options{Listen: "127.0.0.1:0", DataDir: dir,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if o.Clock != nil {
		opts.Now = o.Clock.Now
	}
	if testing.Verbose() {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if o.Log != nil {
		opts.Logger = slog.New(slog.NewJSONHandler(o.Log, nil))
	}
	if o.Config != "" {
		path := filepath.Join(t.TempDir(), "cairn.yaml")
		if err := os.WriteFile(path, []byte(o.Config), 0o600); err != nil {
			t.Fatal(err)
		}
		opts.ConfigFile = path
	}
	srv, err := server.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open server: %v", err)
	}
	c := &cairn{t: t, srv: srv, dir: dir, done: make(chan error, 1)}
	go func() { c.done <- srv.Serve() }()
	t.Cleanup(c.stop)
	return c
}

// stop shuts the server down (idempotent).
func (c *cairn) stop() {
	if c.srv == nil {
		return
	}
	if err := c.srv.Shutdown(context.Background()); err != nil {
		c.t.Errorf("shutdown: %v", err)
	}
	if err := <-c.done; err != nil {
		c.t.Errorf("serve: %v", err)
	}
	c.srv = nil
}

// config loads an SDK config for profile from the files Cairn wrote, exactly as a user's
// client would with AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE.
func (c *cairn) config(profile string) aws.Config {
	c.t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedConfigFiles([]string{filepath.Join(c.dir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(c.dir, "credentials")}),
		config.WithSharedConfigProfile(profile),
	)
	if err != nil {
		c.t.Fatalf("load config for profile %s: %v", profile, err)
	}
	return cfg
}

// withKeys returns cfg signing with the given credentials instead of a profile's.
func withKeys(cfg aws.Config, id, secret, token string) aws.Config {
	cfg = cfg.Copy()
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, token))
	return cfg
}
