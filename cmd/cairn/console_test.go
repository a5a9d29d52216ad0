package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/server"
)

// `cairn console --profile NAME` prints a URL that signs a browser in once, for an
// account's root keys and for a role profile's session alike.
func TestConsoleSigninURL(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "cairn.yaml")
	if err := os.WriteFile(cfg, []byte("accounts:\n  - {name: alpha, id: \"111111111111\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := server.Open(context.Background(), server.Options{Listen: "127.0.0.1:0", DataDir: dir, ConfigFile: cfg,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	defer srv.Shutdown(context.Background())
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, profile := range []string{"management", "alpha-admin"} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"console", "--profile", profile, "--data-dir", dir}, streams{out: &stdout, err: &stderr}); code != 0 {
			t.Fatalf("%s: exit %d: %s", profile, code, stderr.String())
		}
		url := strings.TrimSpace(stdout.String())
		if !strings.HasPrefix(url, srv.Endpoint()+"/_cairn/console/signin/token?token=") {
			t.Fatalf("%s: URL %q", profile, url)
		}
		for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
			res, err := client.Get(url)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != want {
				t.Errorf("%s: use %d: %d, want %d", profile, i+1, res.StatusCode, want)
			}
		}
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"console", "--profile", "nobody", "--data-dir", dir}, streams{out: io.Discard, err: &stderr}); code != 1 {
		t.Errorf("unknown profile: exit %d", code)
	}
	if code := run(context.Background(), []string{"console"}, streams{out: io.Discard, err: io.Discard}); code != 2 {
		t.Errorf("no profile: exit %d", code)
	}
}
