package jobs

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type entry struct {
	name, body, link string
	kind             byte
}

func archive(t *testing.T, entries ...entry) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.kind, Mode: 0o755, Linkname: e.link, Size: int64(len(e.body))}
		if e.kind == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	zw.Close()
	return &buf
}

func TestUnpackTarGz(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "code")
	err := unpackTarGz(archive(t,
		entry{name: "./train.py", body: "print(1)"},
		entry{name: "lib/", kind: tar.TypeDir},
		entry{name: "lib/util.py", body: "x = 1"},
		entry{name: "lib/alias.py", kind: tar.TypeSymlink, link: "util.py"},
		entry{name: "hard.py", kind: tar.TypeLink, link: "train.py"},
		entry{name: "fifo", kind: tar.TypeFifo},
	), dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"train.py": "print(1)", "lib/util.py": "x = 1", "lib/alias.py": "x = 1", "hard.py": "print(1)"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != want {
			t.Errorf("%s: %q %v", name, b, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "train.py")); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("the mode of train.py was lost: %v %v", fi, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "fifo")); err == nil {
		t.Error("a FIFO was created")
	}
}

func TestUnpackTarGzStaysInside(t *testing.T) {
	for name, entries := range map[string][]entry{
		"dot-dot":               {{name: "../evil", body: "x"}},
		"absolute":              {{name: "/etc/evil", body: "x"}},
		"nested dot-dot":        {{name: "a/../../evil", body: "x"}},
		"symlink out":           {{name: "out", kind: tar.TypeSymlink, link: "../.."}},
		"absolute symlink":      {{name: "etc", kind: tar.TypeSymlink, link: "/etc"}},
		"hard link out":         {{name: "passwd", kind: tar.TypeLink, link: "../../etc/passwd"}},
		"write through symlink": {{name: "d", kind: tar.TypeSymlink, link: "sub/../.."}, {name: "d/evil", body: "x"}},
	} {
		t.Run(name, func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "a", "code")
			err := unpackTarGz(archive(t, entries...), dir)
			if err == nil {
				t.Fatal("extracted")
			}
			filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
				if strings.HasSuffix(p, "evil") {
					t.Errorf("wrote %s", p)
				}
				return nil
			})
		})
	}
	if err := unpackTarGz(strings.NewReader("not gzip"), t.TempDir()); err == nil {
		t.Error("extracted a non-gzip stream")
	}
}

func TestWriteTarGz(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "model.json"), []byte(`{"a":1}`), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", "w.bin"), []byte("weights"), 0o644)
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("do not upload"), 0o600)
	os.Symlink(secret, filepath.Join(dir, "leak"))
	var buf bytes.Buffer
	n, err := writeTarGz(&buf, dir)
	if err != nil || n != 4 {
		t.Fatalf("%d entries, %v", n, err)
	}
	if strings.Contains(buf.String(), "do not upload") {
		t.Fatal("the archive followed a symlink")
	}
	out := t.TempDir()
	if err := unpackTarGz(&buf, out); err == nil {
		t.Error("the archive's absolute link was extracted")
	}
	os.Remove(filepath.Join(dir, "leak"))
	buf.Reset()
	if _, err := writeTarGz(&buf, dir); err != nil {
		t.Fatal(err)
	}
	if err := unpackTarGz(&buf, out); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "sub", "w.bin")); string(b) != "weights" {
		t.Errorf("round trip: %q", b)
	}
}
