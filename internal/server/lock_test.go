package server

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// holdLock takes dir's lock through a descriptor of its own and writes owner as its pid.
func holdLock(t *testing.T, dir string, owner int) *os.File {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "cairn.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(owner)), 0)
	return f
}

func TestLockRefusesALiveServer(t *testing.T) {
	dir := t.TempDir()
	held := holdLock(t, dir, os.Getpid())
	defer held.Close()
	start := time.Now()
	if _, err := lockDataDir(dir); err == nil || !strings.Contains(err.Error(), "in use by another cairn serve") {
		t.Fatalf("a lock held by a live server: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("refusing a live server's lock took %s", time.Since(start))
	}
}

// A server killed while a child it forked had not yet exec'd leaves the lock with that
// child for a moment: the next start waits for it rather than refuse.
func TestLockWaitsForAnOrphanedDescriptor(t *testing.T) {
	dir := t.TempDir()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip("no true:", err)
	}
	held := holdLock(t, dir, gone.Process.Pid)
	time.AfterFunc(200*time.Millisecond, func() { held.Close() })
	f, err := lockDataDir(dir)
	if err != nil {
		t.Fatalf("a lock whose server is gone, released soon after: %v", err)
	}
	f.Close()
}
