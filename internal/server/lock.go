package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// orphanGrace is how long a start waits for a lock whose server is gone: a job supervisor
// forked by a server killed at that moment holds the lock's descriptor until it execs.
const orphanGrace = 3 * time.Second

// lockDataDir takes an exclusive advisory lock on <dir>/cairn.lock so that two servers never
// share one data dir. The lock ends with the process.
func lockDataDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, "cairn.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	deadline := time.Now().Add(orphanGrace)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock data dir: %w", err)
		}
		owner, _ := os.ReadFile(path)
		if !processGone(owner) || time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("data dir %s is in use by another cairn serve (pid %s); stop it or choose another --data-dir", dir, bytesOr(owner, "unknown"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.Truncate(0)
	fmt.Fprintf(f, "%d", os.Getpid())
	return f, nil
}

// processGone says whether the process whose ID the lock file holds no longer exists.
func processGone(owner []byte) bool {
	pid, err := strconv.Atoi(strings.TrimSpace(string(owner)))
	if err != nil || pid <= 0 {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

func bytesOr(b []byte, fallback string) string {
	if len(b) == 0 {
		return fallback
	}
	return string(b)
}
