package kms

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// testKey is a loaded symmetric key with two material versions.
func testKey(t testing.TB) *loadedKey {
	k := &loadedKey{key: &store.KMSKey{Account: "111111111111", ID: "1234abcd-12ab-34cd-56ef-1234567890ab", KeySpec: specSymmetric,
		KeyUsage: usageEncrypt, State: store.KMSKeyEnabled, CurrentVersion: 2}, materials: map[int]material{}}
	for v := 1; v <= 2; v++ {
		raw := make([]byte, 32)
		rand.Read(raw)
		block, _ := aes.NewCipher(raw)
		aead, err := cipher.NewGCM(block)
		if err != nil {
			t.Fatal(err)
		}
		k.materials[v] = material{aead: aead, id: "m"}
	}
	return k
}

// TestCiphertextBinding: a blob opens only with its key, its material version and its
// encryption context; any altered byte fails as InvalidCiphertextException.
func TestCiphertextBinding(t *testing.T) {
	s := &Service{random: rand.Reader}
	k := testKey(t)
	ec := map[string]string{"a": "1", "b": "2"}
	blob, err := s.seal(k, []byte("secret"), ec)
	if err != nil {
		t.Fatal(err)
	}
	bk, ok := parseBlob(blob)
	if !ok || bk.account != "111111111111" || bk.id != k.key.ID || bk.version != 2 {
		t.Fatalf("parseBlob: %+v %v", bk, ok)
	}
	if plain, _, err := open(k, bk, map[string]string{"b": "2", "a": "1"}); err != nil || string(plain) != "secret" {
		t.Fatalf("open: %q %v", plain, err)
	}
	invalid := func(what string, k *loadedKey, b []byte, ec map[string]string) {
		t.Helper()
		bk, ok := parseBlob(b)
		if !ok {
			return // refused before any key is tried
		}
		_, _, err := open(k, bk, ec)
		var e *operation.Error
		if !errors.As(err, &e) || e.Code != "InvalidCiphertextException" {
			t.Errorf("%s: %v", what, err)
		}
	}
	invalid("another context", k, blob, map[string]string{"a": "1"})
	invalid("no context", k, blob, nil)
	invalid("another key", testKey(t), blob, ec)
	for i := range blob {
		b := bytes.Clone(blob)
		b[i] ^= 0x40
		invalid("byte altered", k, b, ec)
	}
	invalid("truncated", k, blob[:len(blob)-1], ec)
}

// FuzzParseBlob: no input makes parsing or opening a ciphertext panic.
func FuzzParseBlob(f *testing.F) {
	s := &Service{random: rand.Reader}
	k := testKey(f)
	blob, _ := s.seal(k, []byte("x"), nil)
	f.Add(blob)
	f.Add([]byte{1, 0})
	f.Add([]byte{1, 255, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		if bk, ok := parseBlob(b); ok {
			open(k, bk, nil)
		}
	})
}
