package local

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// slowPoll is how often a supervisor that is not our child is checked on when the kernel has
// no pidfd (Linux before 5.3).
const slowPoll = time.Second

// procWatch watches a supervisor that is not a child of this process (started by an earlier
// server process).
type procWatch struct {
	rec   procRecord
	pidfd *os.File // nil without pidfd support
	stop  chan struct{}
}

// errGone says the recorded process no longer exists.
var errGone = errors.New("process is gone")

// watchProcess finds the process rec describes; errGone when it has ended (or its pid now
// names another process).
func watchProcess(rec procRecord) (*procWatch, error) {
	if rec.PID <= 0 || rec.BootID != bootID() {
		return nil, errGone
	}
	w := &procWatch{rec: rec, stop: make(chan struct{})}
	fd, err := unix.PidfdOpen(rec.PID, unix.PIDFD_NONBLOCK)
	if errors.Is(err, unix.EINVAL) {
		// Linux 5.3 to 5.9: no PIDFD_NONBLOCK; the runtime poller needs O_NONBLOCK to take it.
		if fd, err = unix.PidfdOpen(rec.PID, 0); err == nil {
			err = unix.SetNonblock(fd, true)
		}
	}
	switch {
	case err == nil:
		w.pidfd = os.NewFile(uintptr(fd), fmt.Sprintf("pidfd %d", rec.PID))
	case errors.Is(err, unix.ESRCH):
		return nil, errGone
	case errors.Is(err, unix.ENOSYS):
		// No pidfd: the slow poll below.
	default:
		return nil, fmt.Errorf("pidfd_open %d: %w", rec.PID, err)
	}
	// Checked after pidfd_open, so a pidfd that passes names the recorded process.
	if !w.alive() {
		w.close()
		return nil, errGone
	}
	return w, nil
}

// alive reports whether the recorded process still exists.
func (w *procWatch) alive() bool {
	ticks, err := procStartTicks("/proc", w.rec.PID)
	return err == nil && ticks == w.rec.StartTicks && !w.zombie()
}

func (w *procWatch) zombie() bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", w.rec.PID))
	if err != nil {
		return true
	}
	for i := len(data) - 1; i > 0; i-- {
		if data[i] == ')' {
			return i+2 < len(data) && (data[i+2] == 'Z' || data[i+2] == 'X')
		}
	}
	return false
}

// wait returns once the process has ended. With a pidfd it sleeps in the runtime's poller
// until the kernel reports the exit; without, it checks every slowPoll.
func (w *procWatch) wait() {
	if w.pidfd == nil {
		t := time.NewTicker(slowPoll)
		defer t.Stop()
		for w.alive() {
			select {
			case <-t.C:
			case <-w.stop:
				return
			}
		}
		return
	}
	rc, err := w.pidfd.SyscallConn()
	if err != nil {
		return
	}
	rc.Read(func(fd uintptr) bool {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, 0)
		return err != nil || n > 0
	})
	// If it was our child after all (we are its subreaper), collect it.
	rc.Control(func(fd uintptr) {
		unix.Waitid(unix.P_PIDFD, int(fd), nil, unix.WEXITED|unix.WNOHANG, nil)
	})
}

// signal sends sig to the process, never to another that reused its pid.
func (w *procWatch) signal(sig syscall.Signal) error {
	if w.pidfd == nil {
		if !w.alive() {
			return syscall.ESRCH
		}
		return unix.Kill(w.rec.PID, sig)
	}
	rc, err := w.pidfd.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = unix.PidfdSendSignal(int(fd), sig, nil, 0) }); err != nil {
		return err
	}
	return serr
}

func (w *procWatch) close() {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	if w.pidfd != nil {
		w.pidfd.Close()
	}
}
