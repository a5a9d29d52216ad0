// Package blob keeps the bytes of S3 objects and multipart parts as files on the local
// file system. A blob is written to a temporary file, synced and renamed into place, so a
// crash never leaves a torn blob under its name; it is immutable once committed and is
// read back as a file, never loaded whole into memory.
package blob

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Store is a directory of blobs:
//
//	<dir>/tmp/       blobs being written
//	<dir>/data/xx/   committed blobs, fanned out by the first two hex digits of their ID
type Store struct {
	dir    string
	random io.Reader
}

// Open opens (creating if needed) the blob store in dir and removes the temporary files
// that writes interrupted by a crash left behind.
func Open(dir string, random io.Reader) (*Store, error) {
	s := &Store{dir: dir, random: random}
	if err := os.RemoveAll(s.tmpDir()); err != nil {
		return nil, fmt.Errorf("blob: clear %s: %w", s.tmpDir(), err)
	}
	if err := os.MkdirAll(s.tmpDir(), 0o700); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	for i := 0; i < 256; i++ {
		if err := os.MkdirAll(filepath.Join(dir, "data", fmt.Sprintf("%02x", i)), 0o700); err != nil {
			return nil, fmt.Errorf("blob: %w", err)
		}
	}
	return s, nil
}

func (s *Store) tmpDir() string { return filepath.Join(s.dir, "tmp") }

// path returns where the blob id lives, or "" for a malformed ID.
func (s *Store) path(id string) string {
	if !validID(id) {
		return ""
	}
	return filepath.Join(s.dir, "data", id[:2], id)
}

// idLen is the length of a blob ID: 128 random bits in hex.
const idLen = 32

func validID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// ErrNotFound is returned by Open for a blob that does not exist.
var ErrNotFound = errors.New("blob: not found")

// Create starts a new blob.
func (s *Store) Create() (*Writer, error) {
	var raw [idLen / 2]byte
	if _, err := io.ReadFull(s.random, raw[:]); err != nil {
		return nil, fmt.Errorf("blob: new id: %w", err)
	}
	id := hex.EncodeToString(raw[:])
	f, err := os.OpenFile(filepath.Join(s.tmpDir(), id), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("blob: create: %w", err)
	}
	return &Writer{s: s, f: f, id: id}, nil
}

// Writer writes one blob. Exactly one of Commit or Abort must be called.
type Writer struct {
	s    *Store
	f    *os.File
	id   string
	size int64
	done bool
}

// Write appends p to the blob.
func (w *Writer) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.size += int64(n)
	return n, err
}

// ReadFrom appends everything r yields; between files it lets the kernel copy.
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	n, err := w.f.ReadFrom(r)
	w.size += n
	return n, err
}

// Size is the number of bytes written so far.
func (w *Writer) Size() int64 { return w.size }

// ID is the ID the blob will have once committed.
func (w *Writer) ID() string { return w.id }

// Commit makes the blob durable and visible under its ID: it syncs the file, closes it
// and renames it into place. It returns the blob's ID.
func (w *Writer) Commit() (string, error) {
	if w.done {
		return "", errors.New("blob: writer already finished")
	}
	w.done = true
	tmp := w.f.Name()
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		os.Remove(tmp)
		return "", fmt.Errorf("blob: sync: %w", err)
	}
	if err := w.f.Close(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("blob: close: %w", err)
	}
	if err := os.Rename(tmp, w.s.path(w.id)); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("blob: commit: %w", err)
	}
	return w.id, nil
}

// Abort discards the blob. It is a no-op after Commit.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	w.f.Close()
	os.Remove(w.f.Name())
}

// Open opens a committed blob for reading.
func (s *Store) Open(id string) (*os.File, error) {
	p := s.path(id)
	if p == "" {
		return nil, ErrNotFound
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open: %w", err)
	}
	return f, nil
}

// Remove deletes blobs; a blob already gone is not an error.
func (s *Store) Remove(ids ...string) error {
	var errs []error
	for _, id := range ids {
		p := s.path(id)
		if p == "" {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("blob: remove: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Sweep deletes committed blobs last modified before cutoff that inUse does not claim:
// those a crash left between the blob's commit and its record's (or between a record's
// deletion and its blob's). inUse is asked about batches of IDs. It returns how many
// blobs it removed.
func (s *Store) Sweep(cutoff time.Time, inUse func(ids []string) (map[string]bool, error)) (int, error) {
	removed := 0
	for i := 0; i < 256; i++ {
		dir := filepath.Join(s.dir, "data", fmt.Sprintf("%02x", i))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return removed, fmt.Errorf("blob: sweep: %w", err)
		}
		var candidates []string
		for _, e := range entries {
			if !validID(e.Name()) {
				continue
			}
			info, err := e.Info()
			if err != nil || !info.ModTime().Before(cutoff) {
				continue
			}
			candidates = append(candidates, e.Name())
		}
		if len(candidates) == 0 {
			continue
		}
		used, err := inUse(candidates)
		if err != nil {
			return removed, err
		}
		for _, id := range candidates {
			if used[id] {
				continue
			}
			if err := s.Remove(id); err != nil {
				return removed, err
			}
			removed++
		}
	}
	return removed, nil
}
