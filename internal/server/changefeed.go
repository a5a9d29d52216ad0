package server

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

// feedSize is how many recent changes the feed remembers. A long poll that asks about
// changes older than these is told something changed, and reads afresh.
const feedSize = 4096

// changeFeed lets long polls wait for committed changes to one execution (its record or
// its steps) or one job, without the client polling: each change the store publishes gets
// a sequence number, and a poll waits until a change to its key comes after the sequence
// number it last saw.
type changeFeed struct {
	mu     sync.Mutex
	seq    uint64              // the sequence number of the newest change
	recent [feedSize]feedEntry // a ring of the newest changes
	wake   chan struct{}       // closed, and replaced, when changes arrive
}

type feedEntry struct {
	seq uint64
	key string // lowercased: SageMaker's ARNs compare without case
}

// newChangeFeed returns a feed whose sequence starts at 1, so that 0 is never a sequence
// number a poll has seen.
func newChangeFeed() *changeFeed { return &changeFeed{seq: 1, wake: make(chan struct{})} }

// current returns the newest sequence number.
func (f *changeFeed) current() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}

// publish records the changes polls can wait for. It runs in the committing goroutine:
// it only records and wakes.
func (f *changeFeed) publish(changes []store.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	added := false
	for _, c := range changes {
		switch c.Kind {
		case store.ChangePipelineExecution, store.ChangeExecutionStep, store.ChangeJob:
			f.seq++
			f.recent[f.seq%feedSize] = feedEntry{seq: f.seq, key: strings.ToLower(c.Key)}
			added = true
		}
	}
	if added {
		close(f.wake)
		f.wake = make(chan struct{})
	}
}

// check reports the newest sequence number, whether key changed after sequence number
// since (true too when that cannot be known: since is 0, older than what the feed
// remembers, or from a server that has since restarted), and a channel closed at the next
// change.
func (f *changeFeed) check(key string, since uint64) (uint64, bool, <-chan struct{}) {
	key = strings.ToLower(key)
	f.mu.Lock()
	defer f.mu.Unlock()
	if since == 0 || since > f.seq || f.seq-since >= feedSize {
		return f.seq, true, f.wake
	}
	for s := since + 1; s <= f.seq; s++ {
		if f.recent[s%feedSize].key == key {
			return f.seq, true, f.wake
		}
	}
	return f.seq, false, f.wake
}

// wait waits, for at most d, until key changes after since; it returns the newest
// sequence number and whether key changed. poll, when not zero, also ends the wait after
// that long, for callers that watch something besides the store (a growing log).
func (f *changeFeed) wait(ctx context.Context, closing <-chan struct{}, key string, since uint64, d, poll time.Duration) (uint64, bool) {
	timeout := time.NewTimer(d)
	defer timeout.Stop()
	var tick <-chan time.Time
	if poll > 0 {
		t := time.NewTicker(poll)
		defer t.Stop()
		tick = t.C
	}
	for {
		seq, changed, wake := f.check(key, since)
		if changed || d <= 0 {
			return seq, changed
		}
		select {
		case <-wake:
		case <-tick:
			return seq, false
		case <-timeout.C:
			return seq, false
		case <-ctx.Done():
			return seq, false
		case <-closing:
			return seq, false
		}
	}
}
