package masterkey

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadCreatesPrivateKeyAndReusesIt(t *testing.T) {
	dir := t.TempDir()
	k1, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	sealed := k1.Seal("p", []byte("secret"))
	k2, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := k2.Open("p", sealed)
	if err != nil || string(got) != "secret" {
		t.Fatalf("reloaded key: %q, %v", got, err)
	}
}

func TestLoadTightensAnExistingKeysMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, bytes.Repeat([]byte{7}, keySize), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
}

func TestLoadRefusesAKeyOfTheWrongSize(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil {
		t.Fatal("a 5-byte key loaded")
	}
}

func TestSealedValuesAreBoundToKeyPurposeAndBytes(t *testing.T) {
	a, _ := New(bytes.Repeat([]byte{1}, keySize))
	b, _ := New(bytes.Repeat([]byte{2}, keySize))
	sealed := a.Seal("kms-key-material", []byte("material"))
	if bytes.Contains(sealed, []byte("material")) {
		t.Fatal("plaintext visible in sealed value")
	}
	if again := a.Seal("kms-key-material", []byte("material")); bytes.Equal(again, sealed) {
		t.Fatal("two seals of one value are identical: nonce reused")
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	for name, try := range map[string]func() ([]byte, error){
		"other key":     func() ([]byte, error) { return b.Open("kms-key-material", sealed) },
		"other purpose": func() ([]byte, error) { return a.Open("secret-access-key", sealed) },
		"tampered":      func() ([]byte, error) { return a.Open("kms-key-material", tampered) },
		"truncated":     func() ([]byte, error) { return a.Open("kms-key-material", sealed[:10]) },
		"empty":         func() ([]byte, error) { return a.Open("kms-key-material", nil) },
	} {
		if _, err := try(); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: err %v, want ErrOpen", name, err)
		}
	}
	if got, err := a.Open("kms-key-material", sealed); err != nil || string(got) != "material" {
		t.Fatalf("open: %q %v", got, err)
	}
}
