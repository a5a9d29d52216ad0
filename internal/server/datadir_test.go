package server

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
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
