package blob

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
)

// segment is a file that packed blobs are appended to. Writers reserve regions with an
// atomic add, write them concurrently, and share syncs.
type segment struct {
	seq  uint64
	f    *os.File
	next atomic.Int64 // the end of the last region reserved

	// The file is closed once the segment is sealed and no writer holds it.
	writers   atomic.Int64
	sealed    atomic.Bool
	closeOnce sync.Once

	mu        sync.Mutex
	cond      *sync.Cond
	requested uint64 // syncs asked for
	completed uint64 // syncs asked for that a finished sync covered
	running   bool
	err       error // of the last sync
}

func (s *Store) segmentDir() string { return filepath.Join(s.dir, "segments") }
func (s *Store) segmentPath(seq uint64) string {
	return filepath.Join(s.segmentDir(), segmentName(seq))
}
func segmentName(seq uint64) string { return fmt.Sprintf("%016x", seq) }
func packedID(seq uint64, off, size int64) string {
	return fmt.Sprintf("s%016x%016x%016x", seq, off, size)
}

// packedIDLen is the length of a packed blob's ID: "s", then the segment, offset and
// length in 16 hex digits each.
const packedIDLen = 1 + 3*16

// parsePackedID reads a packed blob's ID.
func parsePackedID(id string) (seq uint64, off, size int64, ok bool) {
	if len(id) != packedIDLen || id[0] != 's' || !isHex(id[1:]) {
		return 0, 0, 0, false
	}
	seq, _ = strconv.ParseUint(id[1:17], 16, 64)
	o, _ := strconv.ParseUint(id[17:33], 16, 64)
	n, _ := strconv.ParseUint(id[33:49], 16, 64)
	if o > 1<<62 || n > PackLimit {
		return 0, 0, 0, false
	}
	return seq, int64(o), int64(n), true
}

// segments lists the segment numbers on disk.
func (s *Store) segments() ([]uint64, error) {
	entries, err := os.ReadDir(s.segmentDir())
	if err != nil {
		return nil, fmt.Errorf("blob: list segments: %w", err)
	}
	var seqs []uint64
	for _, e := range entries {
		if seq, err := strconv.ParseUint(e.Name(), 16, 64); err == nil && len(e.Name()) == 16 {
			seqs = append(seqs, seq)
		}
	}
	return seqs, nil
}

// createPacked reserves size bytes at the end of the active segment, starting a new
// segment when it is full.
func (s *Store) createPacked(size int64) (*Writer, error) {
	for {
		s.mu.Lock()
		seg := s.active
		s.mu.Unlock()
		if seg != nil {
			seg.writers.Add(1)
			off := seg.next.Add(size) - size
			if off+size <= s.segmentSize || off == 0 {
				return &Writer{s: s, seg: seg, off: off, size: size, id: packedID(seg.seq, off, size)}, nil
			}
			seg.release()
		}
		if err := s.rotate(seg); err != nil {
			return nil, err
		}
	}
}

// rotate starts a new active segment unless another writer already replaced full.
func (s *Store) rotate(full *segment) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active != full {
		return nil
	}
	seq := s.seq + 1
	f, err := os.OpenFile(s.segmentPath(seq), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("blob: new segment: %w", err)
	}
	seg := &segment{seq: seq, f: f}
	seg.cond = sync.NewCond(&seg.mu)
	s.seq, s.active = seq, seg
	if full != nil {
		// Writers still writing to the sealed segment sync through its file; the last
		// to finish closes it. Readers open segments themselves.
		full.sealed.Store(true)
		if full.writers.Load() == 0 {
			full.close()
		}
	}
	return nil
}

// release ends a writer's use of the segment.
func (g *segment) release() {
	if g.writers.Add(-1) == 0 && g.sealed.Load() {
		g.close()
	}
}

func (g *segment) close() { g.closeOnce.Do(func() { g.f.Close() }) }

// sync makes every write to the segment that completed before the call durable. Calls
// that arrive while a sync runs share the next one.
func (g *segment) sync() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requested++
	ticket := g.requested
	for g.completed < ticket {
		if g.running {
			g.cond.Wait()
			continue
		}
		g.running = true
		covers := g.requested
		g.mu.Unlock()
		err := g.f.Sync()
		g.mu.Lock()
		g.running = false
		g.completed, g.err = covers, err
		g.cond.Broadcast()
	}
	return g.err
}

// isActive reports whether seq is the segment new blobs go to.
func (s *Store) isActive(seq uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active != nil && s.active.seq == seq
}

// PackedSize returns the length of a packed blob, and false for a blob in its own file.
func PackedSize(id string) (int64, bool) {
	_, _, n, ok := parsePackedID(id)
	return n, ok
}
