package blob_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/blob"
)

func open(t *testing.T, o blob.Options) (*blob.Store, string) {
	t.Helper()
	dir := t.TempDir()
	if o.Random == nil {
		o.Random = rand.Reader
	}
	s, err := blob.Open(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func write(t *testing.T, s *blob.Store, data []byte, size int64) string {
	t.Helper()
	w, err := s.Create(size)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	id, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func read(t *testing.T, s *blob.Store, id string) []byte {
	t.Helper()
	r, err := s.Open(id)
	if err != nil {
		t.Fatalf("Open %s: %v", id, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(b)) != r.Size() {
		t.Errorf("read %d bytes of a %d-byte blob", len(b), r.Size())
	}
	return b
}

func TestPackedAndFileBlobs(t *testing.T) {
	s, dir := open(t, blob.Options{})
	small := bytes.Repeat([]byte("small"), 100)
	large := bytes.Repeat([]byte("large!"), blob.PackLimit/5)
	ids := map[string][]byte{
		write(t, s, small, int64(len(small))): small,
		write(t, s, nil, 0):                   nil,
		write(t, s, large, int64(len(large))): large,
		write(t, s, small, -1):                small, // unknown size: its own file
	}
	packed, files := 0, 0
	for id, want := range ids {
		if _, ok := blob.PackedSize(id); ok {
			packed++
		} else {
			files++
		}
		if got := read(t, s, id); !bytes.Equal(got, want) {
			t.Errorf("blob %s: %d bytes, want %d", id, len(got), len(want))
		}
	}
	if packed != 2 || files != 2 {
		t.Errorf("%d packed and %d file blobs, want 2 and 2", packed, files)
	}
	segs, _ := os.ReadDir(filepath.Join(dir, "segments"))
	if len(segs) != 1 {
		t.Errorf("%d segments, want 1", len(segs))
	}
	for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("g", 32), "s" + strings.Repeat("0", 10)} {
		if _, err := s.Open(bad); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", bad, err)
		}
	}
}

func TestPackedWriterChecksSize(t *testing.T) {
	s, _ := open(t, blob.Options{})
	w, err := s.Create(4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("12345")); err == nil {
		t.Error("writing past the declared size succeeded")
	}
	w.Write([]byte("12"))
	if _, err := w.Commit(); err == nil {
		t.Error("committing a short packed blob succeeded")
	}
}

func TestConcurrentPackedWritesAndRotation(t *testing.T) {
	s, dir := open(t, blob.Options{SegmentSize: 64 << 10})
	var mu sync.Mutex
	ids := map[string][]byte{}
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				data := bytes.Repeat([]byte{byte(g), byte(i)}, 500+g*10+i)
				w, err := s.Create(int64(len(data)))
				if err != nil {
					t.Error(err)
					return
				}
				w.Write(data)
				id, err := w.Commit()
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ids[id] = data
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
	for id, want := range ids {
		if got := read(t, s, id); !bytes.Equal(got, want) {
			t.Fatalf("blob %s differs", id)
		}
	}
	segs, _ := os.ReadDir(filepath.Join(dir, "segments"))
	if len(segs) < 10 {
		t.Errorf("%d segments for ~900 KiB in 64 KiB segments", len(segs))
	}
}

// records is a Compactor over an in-memory map of record → blob ID.
type records struct {
	mu   sync.Mutex
	refs map[string]string
}

func (r *records) Live(prefix string) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, id := range r.refs {
		if strings.HasPrefix(id, prefix) {
			out = append(out, id)
		}
	}
	return out, nil
}

func (r *records) Relocate(from, to string) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	moved := false
	for k, id := range r.refs {
		if id == from {
			r.refs[k], moved = to, true
		}
	}
	return moved, nil
}

func TestCompact(t *testing.T) {
	s, dir := open(t, blob.Options{SegmentSize: 8 << 10})
	recs := &records{refs: map[string]string{}}
	data := map[string][]byte{}
	for i := 0; i < 40; i++ {
		b := bytes.Repeat([]byte{byte(i)}, 1000)
		key := string(rune('a' + i))
		recs.refs[key], data[key] = write(t, s, b, int64(len(b))), b
	}
	// Drop most records: their segments are mostly or wholly dead.
	for i := 0; i < 40; i++ {
		if i%5 != 0 {
			delete(recs.refs, string(rune('a'+i)))
		}
	}
	before, _ := os.ReadDir(filepath.Join(dir, "segments"))
	n, err := s.Compact(recs)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadDir(filepath.Join(dir, "segments"))
	if n == 0 || len(after) >= len(before) {
		t.Errorf("Compact deleted %d segments: %d before, %d after", n, len(before), len(after))
	}
	for key, id := range recs.refs {
		if got := read(t, s, id); !bytes.Equal(got, data[key]) {
			t.Errorf("record %s after compaction: blob differs", key)
		}
	}
}

func TestSweep(t *testing.T) {
	s, dir := open(t, blob.Options{})
	big := make([]byte, blob.PackLimit+1)
	keep := write(t, s, big, -1)
	orphan := write(t, s, big, -1)
	w, err := s.Create(-1)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(big) // left unfinished, as by a crash
	n, err := s.Sweep(time.Now().Add(time.Minute), func(ids []string) (map[string]bool, error) {
		return map[string]bool{keep: true}, nil
	})
	if err != nil || n != 2 {
		t.Errorf("Sweep removed %d (%v), want 2", n, err)
	}
	if _, err := s.Open(orphan); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("orphan still readable: %v", err)
	}
	read(t, s, keep)
	var left []string
	filepath.WalkDir(filepath.Join(dir, "data"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, d.Name())
		}
		return nil
	})
	if len(left) != 1 || left[0] != keep {
		t.Errorf("files left: %v", left)
	}
}
