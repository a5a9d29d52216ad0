package blob

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Sweep deletes what a crash left of blobs in their own files, last modified before
// cutoff: files being written, and committed blobs that inUse does not claim (a crash
// between the blob's commit and its record's, or between a record's deletion and its
// blob's). inUse is asked about batches of IDs. It returns how many files it removed.
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
			name := e.Name()
			tmp := strings.HasPrefix(name, tmpPrefix) && validFileID(name[len(tmpPrefix):])
			if !tmp && !validFileID(name) {
				continue
			}
			info, err := e.Info()
			if err != nil || !info.ModTime().Before(cutoff) {
				continue
			}
			if tmp {
				if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return removed, fmt.Errorf("blob: sweep: %w", err)
				}
				removed++
				continue
			}
			candidates = append(candidates, name)
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

// Compactor is what Compact needs to know of the records that refer to blobs.
type Compactor interface {
	// Live returns the IDs of the blobs of a segment that records refer to: those that
	// start with prefix.
	Live(prefix string) ([]string, error)
	// Relocate points the records that refer to blob from at blob to instead, and
	// reports whether any did.
	Relocate(from, to string) (bool, error)
}

// Compact reclaims the space of sealed segments: a segment no record refers to is
// deleted; one whose live blobs fill less than half of it has them copied to the active
// segment, its records pointed at the copies, and is then deleted. It returns how many
// segments it deleted.
func (s *Store) Compact(c Compactor) (int, error) {
	seqs, err := s.segments()
	if err != nil {
		return 0, err
	}
	deleted := 0
	for _, seq := range seqs {
		if s.isActive(seq) {
			continue
		}
		done, err := s.compactSegment(c, seq)
		if err != nil {
			return deleted, fmt.Errorf("blob: compact segment %s: %w", segmentName(seq), err)
		}
		if done {
			deleted++
		}
	}
	return deleted, nil
}

func (s *Store) compactSegment(c Compactor, seq uint64) (bool, error) {
	path := s.segmentPath(seq)
	info, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	prefix := "s" + segmentName(seq)
	live, err := c.Live(prefix)
	if err != nil {
		return false, err
	}
	var liveBytes int64
	for _, id := range live {
		if _, _, n, ok := parsePackedID(id); ok {
			liveBytes += n
		}
	}
	if len(live) > 0 && liveBytes*2 >= info.Size() {
		return false, nil
	}
	for _, id := range live {
		if err := s.relocate(c, id); err != nil {
			return false, err
		}
	}
	// A record written meanwhile cannot name this segment (new blobs go to the active
	// one), but check before deleting.
	if live, err = c.Live(prefix); err != nil || len(live) > 0 {
		return false, err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return true, nil
}

// relocate copies one packed blob to the active segment and points its records there.
func (s *Store) relocate(c Compactor, id string) error {
	r, err := s.Open(id)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := s.Create(r.Size())
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, io.NewSectionReader(r, 0, r.Size())); err != nil {
		w.Abort()
		return err
	}
	to, err := w.Commit()
	if err != nil {
		return err
	}
	_, err = c.Relocate(id, to)
	return err
}
