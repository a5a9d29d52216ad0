package e2e

import (
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/cairnhq/cairn/internal/server"
)

// openOnce starts (and at once stops) a server on dir with the bootstrap config text and returns
// the error Open gave.
func openOnce(t *testing.T, dir, config string) error {
	t.Helper()
	opts := server.Options{Listen: "127.0.0.1:0", DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if config != "" {
		opts.ConfigFile = filepath.Join(t.TempDir(), "cairn.yaml")
		if err := os.WriteFile(opts.ConfigFile, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := server.Open(context.Background(), opts)
	if err != nil {
		return err
	}
	go srv.Serve()
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	return nil
}

func TestPlatformSecondServerRefused(t *testing.T) {
	c := start(t, startOptions{})
	err := openOnce(t, c.dir, "")
	if err == nil {
		t.Fatal("a second server opened the same data dir")
	}
	for _, want := range []string{c.dir, "in use by another cairn serve", "pid"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	// The first server still answers.
	if _, err := sts.NewFromConfig(c.config("management")).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("first server after the refusal: %v", err)
	}
	// Once the first stops, the dir is free.
	c.stop()
	if err := openOnce(t, c.dir, ""); err != nil {
		t.Errorf("open after the first server stopped: %v", err)
	}
}

// TestPlatformGracefulShutdown starts a request whose body is still arriving, shuts the
// server down, and checks that the request is answered before Shutdown returns.
func TestPlatformGracefulShutdown(t *testing.T) {
	c := start(t, startOptions{})
	endpoint := c.endpoint()
	good := c.credentials("management")
	body := []byte(queryProto.okBody)
	rr := queryProto.request("GetCallerIdentity", body)
	rr.Creds = &good
	req := rr.build(t, endpoint)
	pr, pw := io.Pipe()
	req.Body, req.GetBody, req.ContentLength = pr, nil, int64(len(body))

	type result struct {
		r   rawAnswer
		err error
	}
	answered := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answered <- result{r: rawAnswer{Status: resp.StatusCode, Header: resp.Header, Body: b}, err: err}
	}()
	if _, err := pw.Write(body[:10]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // let the server start reading the body

	stopped := make(chan struct{})
	go func() { c.stop(); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("Shutdown returned while a request was in flight")
	case res := <-answered:
		t.Fatalf("request answered before its body was sent: %+v", res)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := pw.Write(body[10:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()

	res := <-answered
	if res.err != nil {
		t.Fatalf("in-flight request: %v", res.err)
	}
	if res.r.Status != http.StatusOK {
		t.Fatalf("in-flight request: status %d; body %s", res.r.Status, res.r.Body)
	}
	var out struct {
		Account string `xml:"GetCallerIdentityResult>Account"`
	}
	if err := xml.Unmarshal(res.r.Body, &out); err != nil || out.Account != wireManagementID {
		t.Errorf("in-flight answer %s (%v)", res.r.Body, err)
	}
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Shutdown did not return after the in-flight request finished")
	}
	if _, err := http.Get(endpoint + "/_cairn/health"); err == nil {
		t.Error("the server still accepts connections after Shutdown")
	}
}

func TestPlatformBootstrapIdempotent(t *testing.T) {
	dir := t.TempDir()
	c := start(t, startOptions{Config: accountsYAML, DataDir: dir})
	first, err := os.ReadFile(filepath.Join(dir, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	c.stop()

	for _, config := range []string{accountsYAML, ""} {
		c = start(t, startOptions{Config: config, DataDir: dir})
		again, err := os.ReadFile(filepath.Join(dir, "credentials"))
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(first) {
			t.Errorf("restart with config %q changed the credentials:\n%s\nthen:\n%s", config, first, again)
		}
		for profile, account := range map[string]string{"management": wireManagementID, "data-science": "111111111111", "platform": "222222222222"} {
			out, err := sts.NewFromConfig(c.config(profile)).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatalf("%s after restart: %v", profile, err)
			}
			if aws.ToString(out.Account) != account {
				t.Errorf("%s after restart: account %s", profile, aws.ToString(out.Account))
			}
		}
		c.stop()
	}
}

func TestPlatformConfigClash(t *testing.T) {
	cases := []struct {
		name     string
		existing string // config of a first start on the same dir
		config   string
		mention  []string
	}{{
		name:    "same id twice in the file",
		config:  "accounts:\n  - {name: alpha, id: \"111111111111\"}\n  - {name: beta, id: \"111111111111\"}\n",
		mention: []string{"alpha", "beta", "111111111111"},
	}, {
		name:    "same name twice in the file",
		config:  "accounts:\n  - {name: alpha, id: \"111111111111\"}\n  - {name: alpha, id: \"222222222222\"}\n",
		mention: []string{"alpha", "111111111111", "222222222222"},
	}, {
		name:     "id of an existing account under another name",
		existing: accountsYAML,
		config:   "accounts:\n  - {name: research, id: \"111111111111\"}\n",
		mention:  []string{"research", "data-science", "111111111111"},
	}, {
		name:     "name of an existing account with another id",
		existing: accountsYAML,
		config:   "accounts:\n  - {name: data-science, id: \"333333333333\"}\n",
		mention:  []string{"data-science", "111111111111", "333333333333"},
	}, {
		name:    "the management account's id",
		config:  "accounts:\n  - {name: research, id: \"000000000000\"}\n",
		mention: []string{"research", "management", "000000000000"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.existing != "" {
				if err := openOnce(t, dir, tc.existing); err != nil {
					t.Fatalf("first start: %v", err)
				}
			}
			err := openOnce(t, dir, tc.config)
			if err == nil {
				t.Fatal("server started with a clashing config")
			}
			for _, want := range tc.mention {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestPlatformProfileFileModes(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	for _, name := range []string{"credentials", "config"} {
		fi, err := os.Stat(filepath.Join(c.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
	creds, _ := os.ReadFile(filepath.Join(c.dir, "credentials"))
	for _, profile := range []string{"[default]", "[management]", "[data-science]", "[platform]"} {
		if !strings.Contains(string(creds), profile) {
			t.Errorf("credentials lack %s", profile)
		}
	}
	config, _ := os.ReadFile(filepath.Join(c.dir, "config"))
	if !strings.Contains(string(config), "endpoint_url = "+c.endpoint()) {
		t.Errorf("config does not point at %s:\n%s", c.endpoint(), config)
	}
}
