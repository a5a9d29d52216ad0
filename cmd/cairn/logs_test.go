package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/runner/local"
)

// writeLog makes the log of a job in a data dir.
func writeLog(t *testing.T, dataDir, account, name, content string) {
	t.Helper()
	p := runner.LogPath(dataDir, account, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLogsPrint(t *testing.T) {
	dataDir := t.TempDir()
	writeLog(t, dataDir, "111111111111", "prep-job", "line one\nline two\n")
	writeLog(t, dataDir, "222222222222", "other-job", "other\n")
	var out, errOut bytes.Buffer
	if code := logs(context.Background(), []string{"--data-dir", dataDir, "prep-job"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if out.String() != "line one\nline two\n" {
		t.Errorf("printed %q", out.String())
	}
	// Flags after the name, and an explicit account.
	out.Reset()
	if code := logs(context.Background(), []string{"other-job", "--account", "222222222222", "--data-dir", dataDir}, &out, &errOut); code != 0 || out.String() != "other\n" {
		t.Errorf("exit %d, printed %q, %s", code, out.String(), errOut.String())
	}
}

func TestLogsErrors(t *testing.T) {
	dataDir := t.TempDir()
	writeLog(t, dataDir, "111111111111", "shared", "a\n")
	writeLog(t, dataDir, "222222222222", "shared", "b\n")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"shared"}, 1, "accounts 111111111111, 222222222222 each have a job named shared; choose one with --account"},
		{[]string{"missing"}, 1, "no job named missing"},
		{[]string{"--account", "111111111111", "missing"}, 1, "account 111111111111 has no job named missing"},
		{[]string{"../etc"}, 1, "job name"},
		{[]string{"--account", "..", "shared"}, 1, "account"},
		{[]string{}, 2, "usage"},
		{[]string{"a", "b"}, 2, "usage"},
		{[]string{"--bogus", "a"}, 2, "bogus"},
	} {
		var out, errOut bytes.Buffer
		args := append([]string{"--data-dir", dataDir}, tc.args...)
		code := logs(context.Background(), args, &out, &errOut)
		if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut.String(), tc.code, tc.want)
		}
	}
	var out, errOut bytes.Buffer
	if code := logs(context.Background(), []string{"--data-dir", dataDir, "--account", "222222222222", "shared"}, &out, &errOut); code != 0 || out.String() != "b\n" {
		t.Errorf("with --account: exit %d, %q, %s", code, out.String(), errOut.String())
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestLogsFollow follows the log of a job run by the local runner (this test binary is its
// supervisor) and returns once the job has ended, having printed all of it.
func TestLogsFollow(t *testing.T) {
	dataDir := t.TempDir()
	const account, name = "111111111111", "follow-job"
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r, err := local.New(local.Options{StateDir: runner.StateDir(dataDir), Supervisor: []string{exe, local.SuperviseCommand}})
	if err != nil {
		t.Fatal(err)
	}
	jobDir := runner.JobDir(dataDir, account, name)
	mlDir := filepath.Join(jobDir, "ml")
	if err := os.MkdirAll(mlDir, 0o755); err != nil {
		t.Fatal(err)
	}
	j, err := r.Start(context.Background(), runner.Spec{
		ID:      runner.JobID(account, "processing-job", name),
		Dir:     mlDir,
		Command: []string{"sh", "-c", "echo one; sleep 0.3; echo two; sleep 0.3; echo three; sleep 0.3"},
		Env:     []string{"PATH=/usr/bin:/bin"},
		LogPath: runner.LogPath(dataDir, account, name),
		Hide:    []string{dataDir},
	})
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	var errOut bytes.Buffer
	ended := make(chan int, 1)
	go func() {
		ended <- logs(context.Background(), []string{"-f", "--data-dir", dataDir, name}, &out, &errOut)
	}()

	var sawPartial bool
	var code int
	var returned time.Time
wait:
	for range 1000 {
		select {
		case code = <-ended:
			returned = time.Now()
			break wait
		case <-time.After(5 * time.Millisecond):
			if s := out.String(); strings.HasPrefix(s, "one\n") && !strings.Contains(s, "three") {
				sawPartial = true
			}
		}
	}
	select {
	case <-j.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the job did not end")
	}
	res := j.Result()
	if res.Err != "" || res.ExitCode != 0 {
		t.Fatalf("job: %+v", res)
	}
	if returned.Before(res.EndedAt) {
		t.Errorf("cairn logs -f returned at %v, before the job ended at %v", returned, res.EndedAt)
	}
	if code != 0 || out.String() != "one\ntwo\nthree\n" {
		t.Errorf("exit %d, printed %q, stderr %s", code, out.String(), errOut.String())
	}
	if !sawPartial {
		t.Error("the log was not printed while the job ran")
	}
}
