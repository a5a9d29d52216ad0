package e2e

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/runner/local"
)

var (
	sandboxOnce    sync.Once
	sandboxProblem string
)

// requireSandbox skips a test that runs jobs on a host where the local runner's sandbox
// cannot be built (not root, and unprivileged user namespaces disabled): docs/runner.md
// says what the host needs.
func requireSandbox(t testing.TB) {
	t.Helper()
	sandboxOnce.Do(func() { sandboxProblem = probeSandbox() })
	if sandboxProblem != "" {
		t.Skip("the job sandbox is not available on this host: " + sandboxProblem)
	}
}

// probeSandbox runs `true` through the local runner and returns why it could not, or "".
func probeSandbox() string {
	dir, err := os.MkdirTemp("", "cairn-sandbox-probe-")
	if err != nil {
		return err.Error()
	}
	defer os.RemoveAll(dir)
	exe, err := os.Executable()
	if err != nil {
		return err.Error()
	}
	r, err := local.New(local.Options{StateDir: filepath.Join(dir, "state"), Supervisor: []string{exe, local.SuperviseCommand}})
	if err != nil {
		return err.Error()
	}
	defer r.Close()
	ml := filepath.Join(dir, "ml")
	if err := os.MkdirAll(ml, 0o755); err != nil {
		return err.Error()
	}
	job, err := r.Start(context.Background(), runner.Spec{ID: runner.JobID("000000000000", "probe", "probe"), Dir: ml,
		Command: []string{"true"}, Env: []string{"PATH=" + os.Getenv("PATH")}, LogPath: filepath.Join(dir, "output.log")})
	if err != nil {
		return err.Error()
	}
	select {
	case <-job.Done():
	case <-time.After(time.Minute):
		return "a probe job did not end within a minute"
	}
	return job.Result().Err
}
