// Package masterkey holds the data directory's master key: 32 random bytes in a file readable
// only by the server's user, created on first use. Everything Cairn keeps secret at rest (KMS key
// material, secret access keys, session secrets) is sealed under it with AES-256-GCM, so a copied
// database leaks nothing by itself.
//
// Sealed values are bound to a purpose string (the associated data): a value sealed for one use
// does not open for another.
package masterkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// FileName is the key's file inside the data directory.
const FileName = "master.key"

const (
	keySize = 32
	version = 1 // first byte of every sealed value
)

// ErrOpen is returned when a sealed value does not open: tampered, truncated, sealed under
// another key or for another purpose.
var ErrOpen = errors.New("masterkey: sealed value does not open")

// Key seals and opens values. The zero value is not usable; use Load or New.
type Key struct {
	aead cipher.AEAD
}

// Load reads the master key of dataDir, creating it (mode 0600) when it does not exist. A key
// file of the wrong size is an error, never silently replaced: replacing it would make every
// sealed value unreadable.
func Load(dataDir string) (*Key, error) {
	path := filepath.Join(dataDir, FileName)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		raw = make([]byte, keySize)
		if _, err := io.ReadFull(rand.Reader, raw); err != nil {
			return nil, fmt.Errorf("masterkey: generate: %w", err)
		}
		if err := writeNew(path, raw); err != nil {
			if !errors.Is(err, os.ErrExist) {
				return nil, err
			}
			// Another process created it first: use theirs.
			if raw, err = os.ReadFile(path); err != nil {
				return nil, fmt.Errorf("masterkey: %w", err)
			}
		}
	} else if err != nil {
		return nil, fmt.Errorf("masterkey: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("masterkey: %w", err)
	}
	return New(raw)
}

func writeNew(path string, raw []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("masterkey: write: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("masterkey: sync: %w", err)
	}
	return f.Close()
}

// New makes a Key from 32 bytes (tests use it with fixed bytes).
func New(raw []byte) (*Key, error) {
	if len(raw) != keySize {
		return nil, fmt.Errorf("masterkey: key is %d bytes, want %d", len(raw), keySize)
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Key{aead: aead}, nil
}

// Seal encrypts plaintext for purpose: version byte, random nonce, ciphertext and tag.
func (k *Key) Seal(purpose string, plaintext []byte) []byte {
	out := make([]byte, 1+k.aead.NonceSize(), 1+k.aead.NonceSize()+len(plaintext)+k.aead.Overhead())
	out[0] = version
	if _, err := io.ReadFull(rand.Reader, out[1:]); err != nil {
		panic("masterkey: crypto/rand failed: " + err.Error())
	}
	return k.aead.Seal(out, out[1:], plaintext, []byte(purpose))
}

// Open decrypts a value Seal made for the same purpose.
func (k *Key) Open(purpose string, sealed []byte) ([]byte, error) {
	n := k.aead.NonceSize()
	if len(sealed) < 1+n+k.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	plain, err := k.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(purpose))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
