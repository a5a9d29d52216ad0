// Package blob keeps the bytes of S3 objects and multipart parts on the local file system,
// written so that a crash never leaves a torn blob under a name anyone refers to, and read
// back as files, never loaded whole into memory.
//
// A blob larger than PackLimit (or of unknown size) gets a file of its own: it is written
// to a temporary file beside where it will live, synced, and renamed into place. Smaller
// blobs are packed into shared segment files: each is written into a region reserved for
// it at the end of the active segment, and the segment is synced (once for all the blobs
// written meanwhile) before Commit returns. Either way a blob is durable when Commit
// returns, and the record that names it is written only after that; a crash before then
// leaves bytes nobody refers to, which Sweep and Compact reclaim.
//
// The layout of the directory:
//
//	data/xx/<id>          a blob in its own file, fanned out by the first two hex digits
//	data/xx/.tmp-<id>     such a blob being written
//	segments/<seq>        a segment file of packed blobs
package blob

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// PackLimit is the largest blob packed into a segment.
const PackLimit = 1 << 20

// DefaultSegmentSize is the size past which a segment is sealed and another started.
const DefaultSegmentSize = 256 << 20

// Options configures a Store.
type Options struct {
	// Random supplies blob IDs.
	Random io.Reader
	// SegmentSize is the size past which a segment is sealed; DefaultSegmentSize when 0.
	SegmentSize int64
}

// Store is a directory of blobs. It is safe for concurrent use.
type Store struct {
	dir         string
	random      io.Reader
	segmentSize int64

	mu     sync.Mutex
	active *segment // the segment new packed blobs go to; nil until the first
	seq    uint64   // the highest segment number in use
}

// tmpPrefix starts the names of blobs being written to their own file.
const tmpPrefix = ".tmp-"

// Open opens (creating if needed) the blob store in dir. Temporary files that writes
// interrupted by a crash left behind are removed by Sweep; segments are only ever
// appended to by the process that created them.
func Open(dir string, o Options) (*Store, error) {
	s := &Store{dir: dir, random: o.Random, segmentSize: o.SegmentSize}
	if s.segmentSize <= 0 {
		s.segmentSize = DefaultSegmentSize
	}
	for i := 0; i < 256; i++ {
		if err := os.MkdirAll(filepath.Join(dir, "data", fmt.Sprintf("%02x", i)), 0o700); err != nil {
			return nil, fmt.Errorf("blob: %w", err)
		}
	}
	if err := os.MkdirAll(s.segmentDir(), 0o700); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	seqs, err := s.segments()
	if err != nil {
		return nil, err
	}
	for _, seq := range seqs {
		s.seq = max(s.seq, seq)
	}
	return s, nil
}

// fileIDLen is the length of the ID of a blob in its own file: 128 random bits in hex.
const fileIDLen = 32

func validFileID(id string) bool { return len(id) == fileIDLen && isHex(id) }

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// path returns where the file blob id lives, or "" for a malformed ID.
func (s *Store) path(id string) string {
	if !validFileID(id) {
		return ""
	}
	return filepath.Join(s.dir, "data", id[:2], id)
}

// ErrNotFound is returned by Open for a blob that does not exist.
var ErrNotFound = errors.New("blob: not found")

// Create starts a new blob of size bytes; -1 means the size is not known in advance.
func (s *Store) Create(size int64) (*Writer, error) {
	if size >= 0 && size <= PackLimit {
		return s.createPacked(size)
	}
	var raw [fileIDLen / 2]byte
	if _, err := io.ReadFull(s.random, raw[:]); err != nil {
		return nil, fmt.Errorf("blob: new id: %w", err)
	}
	id := hex.EncodeToString(raw[:])
	f, err := os.OpenFile(filepath.Join(s.dir, "data", id[:2], tmpPrefix+id), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("blob: create: %w", err)
	}
	return &Writer{s: s, f: f, id: id, size: -1}, nil
}

// Writer writes one blob. Exactly one of Commit or Abort must be called.
type Writer struct {
	s       *Store
	f       *os.File
	id      string
	written int64
	flushed int64 // written bytes whose writeback has been started
	done    bool

	// A packed blob is written at off in seg and must be size bytes long.
	seg  *segment
	off  int64
	size int64
}

func (w *Writer) packed() bool { return w.seg != nil }

// Write appends p to the blob.
func (w *Writer) Write(p []byte) (int, error) {
	if w.packed() {
		if w.written+int64(len(p)) > w.size {
			return 0, fmt.Errorf("blob: write beyond the declared size of %d bytes", w.size)
		}
		n, err := w.seg.f.WriteAt(p, w.off+w.written)
		w.written += int64(n)
		return n, err
	}
	n, err := w.f.Write(p)
	w.written += int64(n)
	if w.written-w.flushed >= writebackChunk {
		startWriteback(w.f, w.flushed, w.written-w.flushed)
		w.flushed = w.written
	}
	return n, err
}

// writebackChunk is how much of a blob in its own file is written before the kernel is
// asked to start writing it to disk.
const writebackChunk = 8 << 20

// ReadFrom appends everything r yields; from a file into a blob of its own, the kernel
// copies the bytes.
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	if w.packed() {
		return io.Copy(struct{ io.Writer }{w}, r)
	}
	n, err := w.f.ReadFrom(r)
	w.written += n
	return n, err
}

// Size is the number of bytes written so far.
func (w *Writer) Size() int64 { return w.written }

// Commit makes the blob durable and readable under the ID it returns. A packed blob must
// have been written to its declared size.
func (w *Writer) Commit() (string, error) {
	if w.done {
		return "", errors.New("blob: writer already finished")
	}
	w.done = true
	if w.packed() {
		if w.written != w.size {
			w.seg.release()
			return "", fmt.Errorf("blob: %d bytes written of the %d declared", w.written, w.size)
		}
		err := w.seg.sync()
		w.seg.release()
		if err != nil {
			return "", fmt.Errorf("blob: sync segment: %w", err)
		}
		return w.id, nil
	}
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

// Abort discards the blob. It is a no-op after Commit. The region of an aborted packed
// blob stays in its segment until Compact reclaims it.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	if w.packed() {
		w.seg.release()
		return
	}
	w.f.Close()
	os.Remove(w.f.Name())
}

// Reader reads one blob. It holds a file of its own, so a blob removed while it is read
// stays readable until Close.
type Reader struct {
	f    *os.File
	off  int64 // where the blob starts in f
	size int64
	pos  int64
}

// Open opens a committed blob for reading.
func (s *Store) Open(id string) (*Reader, error) {
	if seq, off, size, ok := parsePackedID(id); ok {
		f, err := os.Open(s.segmentPath(seq))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNotFound
		}
		if err != nil {
			return nil, fmt.Errorf("blob: open: %w", err)
		}
		return &Reader{f: f, off: off, size: size}, nil
	}
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
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: open: %w", err)
	}
	return &Reader{f: f, size: info.Size()}, nil
}

// Size is the blob's length.
func (r *Reader) Size() int64 { return r.size }

// Read reads the blob from where the last Read stopped.
func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.ReadAt(p, r.pos)
	r.pos += int64(n)
	return n, err
}

// ReadAt reads len(p) bytes from offset off of the blob.
func (r *Reader) ReadAt(p []byte, off int64) (int, error) {
	if off >= r.size {
		return 0, io.EOF
	}
	short := int64(len(p)) > r.size-off
	if short {
		p = p[:r.size-off]
	}
	n, err := r.f.ReadAt(p, r.off+off)
	if err == nil && short {
		err = io.EOF
	}
	return n, err
}

// Section returns the blob's file positioned at offset off of the blob, and a reader of
// the n bytes from there that the kernel can send from the file (sendfile,
// copy_file_range). It moves the reader's file offset, so one section at a time.
func (r *Reader) Section(off, n int64) (io.Reader, error) {
	if off < 0 || n < 0 || off+n > r.size {
		return nil, fmt.Errorf("blob: section [%d, %d) outside a blob of %d bytes", off, off+n, r.size)
	}
	if _, err := r.f.Seek(r.off+off, io.SeekStart); err != nil {
		return nil, err
	}
	return &io.LimitedReader{R: r.f, N: n}, nil
}

// Close releases the blob's file.
func (r *Reader) Close() error { return r.f.Close() }

// Remove deletes blobs; a blob already gone is not an error. The regions of packed blobs
// are reclaimed by Compact.
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
