package server

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

// Budgets that a slow or hostile client cannot stretch. A request's headers must arrive
// within headerTimeout; an idle keep-alive connection is closed after idleTimeout. A body
// has no fixed deadline (multi-GiB uploads take what they take) but must keep up a minimum
// rate: see minRateBody. The headers are authenticated before the body is read, and the
// requests not yet authenticated are capped (Options.MaxUnauthenticated), so clients without
// credentials cannot hold more than that many bodies open.
const (
	headerTimeout = 10 * time.Second
	idleTimeout   = 60 * time.Second

	// DefaultMinBodyRate is the slowest average rate, in bytes per second, at which a
	// request body may arrive once its grace period is over.
	DefaultMinBodyRate = 16 << 10
	// DefaultBodyGrace is how long a body may take before the rate applies, and the longest
	// a body may pause at any point.
	DefaultBodyGrace = 10 * time.Second
	// DefaultMaxUnauthenticated caps the requests between their arrival and the end of
	// their authentication (for the JSON and query protocols, the end of their body).
	DefaultMaxUnauthenticated = 256
)

// minRateBody is a request body that must arrive at a minimum average rate: before each
// read it sets the connection's read deadline to the earlier of start + grace + read/rate
// (the average rate) and now + grace (the longest pause). A body that falls behind fails
// with a timeout, and the connection is closed after the answer.
type minRateBody struct {
	body  io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	rate  int64
	grace time.Duration
	read  int64
	// deadlineSet: a deadline was set, and is cleared when the body ends.
	deadlineSet bool
}

func newMinRateBody(body io.ReadCloser, rc *http.ResponseController, rate int64, grace time.Duration) *minRateBody {
	return &minRateBody{body: body, rc: rc, start: time.Now(), rate: rate, grace: grace}
}

func (b *minRateBody) Read(p []byte) (int, error) {
	now := time.Now()
	deadline := b.start.Add(b.grace + time.Duration(float64(b.read)/float64(b.rate)*float64(time.Second)))
	if pause := now.Add(b.grace); pause.Before(deadline) {
		deadline = pause
	}
	if err := b.rc.SetReadDeadline(deadline); err == nil {
		b.deadlineSet = true
	}
	n, err := b.body.Read(p)
	b.read += int64(n)
	switch {
	case err == io.EOF && b.deadlineSet:
		// The connection's next request starts without a deadline of this one's.
		b.rc.SetReadDeadline(time.Time{})
		b.deadlineSet = false
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The deadline stays, so that the server does not wait for the rest of the body.
		err = errBodyTimeout()
	}
	return n, err
}

func (b *minRateBody) Close() error { return b.body.Close() }

// unauthenticated is the cap on requests not yet authenticated: a counting semaphore that
// never waits.
type unauthenticated chan struct{}

// acquire takes a slot, or reports that none is free.
func (u unauthenticated) acquire() bool {
	select {
	case u <- struct{}{}:
		return true
	default:
		return false
	}
}

func (u unauthenticated) release() { <-u }

// errBusy answers a request that finds every unauthenticated slot taken; clients retry a 503.
func errBusy() *operation.Error {
	return operation.Errorf(http.StatusServiceUnavailable, "ServiceUnavailable", "The server is busy; retry the request.")
}

// closeAfter makes the connection close once the answer is written, and ends its reads
// now: net/http would otherwise drain the unread rest of the body after the handler, from a
// client that may never send it.
func closeAfter(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	http.NewResponseController(w).SetReadDeadline(time.Now())
}

// errBodyTimeout answers a request whose body fell below the minimum rate (S3's words).
func errBodyTimeout() *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "RequestTimeout",
		"Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.")
}
