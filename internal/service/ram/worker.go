package ram

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

// worker completes pending associations and permission replacements when they fall due.
// The store is the queue: what is pending and when is in its rows, so work survives a
// restart and resumes when Start reads the earliest due time. One timer is armed for the
// earliest due time; commits that add earlier work (ChangeRAMPending) re-arm it. Nothing
// polls.
type worker struct {
	s         *Service
	afterFunc func(time.Duration, func()) Timer

	mu          sync.Mutex
	timer       Timer
	next        time.Time // when the armed timer fires; zero when none is
	closed      bool
	unsubscribe func()
	running     sync.WaitGroup
}

// retryDelay is how long the worker waits after a failed run before trying again.
const retryDelay = time.Second

// Start resumes the work pending in the store (associations a killed server left
// ASSOCIATING) and follows the work later requests add.
func (s *Service) Start(ctx context.Context) error {
	w := s.worker
	w.mu.Lock()
	w.unsubscribe = s.store.Subscribe(w.changed)
	w.mu.Unlock()
	return w.runOnce(ctx)
}

// Close stops the worker; work still pending stays in the store for the next start.
func (s *Service) Close() {
	w := s.worker
	w.mu.Lock()
	w.closed = true
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	if w.unsubscribe != nil {
		w.unsubscribe()
		w.unsubscribe = nil
	}
	w.mu.Unlock()
	w.running.Wait()
}

// changed arms the timer for work committed to fall due.
func (w *worker) changed(changes []store.Change) {
	for _, c := range changes {
		if c.Kind != store.ChangeRAMPending {
			continue
		}
		n, err := strconv.ParseInt(c.Key, 10, 64)
		if err == nil {
			w.arm(time.Unix(0, n))
		}
	}
}

// arm makes sure the worker runs at t (or earlier).
func (w *worker) arm(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || !w.next.IsZero() && !t.Before(w.next) {
		return
	}
	if w.timer != nil {
		w.timer.Stop()
	}
	w.next = t
	w.timer = w.afterFunc(max(t.Sub(w.s.now()), 0), w.fire)
}

func (w *worker) fire() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.next, w.timer = time.Time{}, nil
	w.running.Add(1)
	w.mu.Unlock()
	defer w.running.Done()
	if err := w.runOnce(context.Background()); err != nil {
		w.s.log.Error("ram: completing pending associations", "err", err)
		w.arm(w.s.now().Add(retryDelay))
	}
}

// runOnce completes what is due and arms the timer for what comes next.
func (w *worker) runOnce(ctx context.Context) error {
	if err := w.s.store.Update(ctx, func(tx txn) error { return w.s.completeDue(tx, w.s.now()) }); err != nil {
		return err
	}
	var next time.Time
	if err := w.s.store.View(ctx, func(tx txn) error {
		var err error
		next, err = tx.NextRAMDue()
		return err
	}); err != nil {
		return err
	}
	if !next.IsZero() {
		w.arm(next)
	}
	return nil
}
