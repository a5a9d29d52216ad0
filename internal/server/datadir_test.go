package server

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A relative --data-dir (the default is ./.cairn) becomes absolute: jobs run elsewhere.
func TestRelativeDataDirBecomesAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s, err := Open(context.Background(), Options{Listen: "127.0.0.1:0", DataDir: ".cairn",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		s.listener.Close()
		s.close()
	}()
	if want := filepath.Join(dir, ".cairn"); s.opts.DataDir != want {
		t.Errorf("data dir %q, want %q", s.opts.DataDir, want)
	}
}

// A data dir made before Cairn kept its secrets sealed, or by hand with wide modes: on the
// next start the dir is 0700, the database files 0600, and every secret in the database is
// sealed — no byte of the database files shows one — while the keys go on working.
func TestDataDirSecretsAtRest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	open := func() *Server {
		s, err := Open(context.Background(), Options{Listen: "127.0.0.1:0", DataDir: dir, Logger: logger})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	s.listener.Close()
	s.close()

	// As an older Cairn left it: the root key's secret in clear, modes wide open.
	const plain = "PLAINTEXTSECRETplaintextsecret0123456789"
	db, err := sql.Open("sqlite", filepath.Join(dir, "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE access_keys SET secret = ? WHERE user_name = ''`, plain); err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.Chmod(dir, 0o755)
	for _, name := range databaseFiles {
		os.Chmod(filepath.Join(dir, name), 0o644)
	}

	s = open()
	defer func() {
		s.listener.Close()
		s.close()
	}()
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir: %v %v, want 0700", fi.Mode(), err)
	}
	creds, err := os.ReadFile(filepath.Join(dir, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(creds), plain) {
		t.Fatalf("the credentials file lacks the root key's secret:\n%s", creds)
	}
	secrets := regexp.MustCompile(`aws_secret_access_key = (\S+)`).FindAllStringSubmatch(string(creds), -1)
	for _, name := range databaseFiles {
		path := filepath.Join(dir, name)
		fi, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want 0600", name, fi.Mode(), err)
		}
		b, _ := os.ReadFile(path)
		for _, m := range secrets {
			if bytes.Contains(b, []byte(m[1])) {
				t.Errorf("%s holds the secret %s in clear", name, m[1])
			}
		}
	}
}
