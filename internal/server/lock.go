package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDataDir takes an exclusive advisory lock on <dir>/cairn.lock so that two servers never
// share one data dir. The lock ends with the process.
func lockDataDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, "cairn.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			owner, _ := os.ReadFile(path)
			return nil, fmt.Errorf("data dir %s is in use by another cairn serve (pid %s); stop it or choose another --data-dir", dir, bytesOr(owner, "unknown"))
		}
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	f.Truncate(0)
	fmt.Fprintf(f, "%d", os.Getpid())
	return f, nil
}

func bytesOr(b []byte, fallback string) string {
	if len(b) == 0 {
		return fallback
	}
	return string(b)
}
