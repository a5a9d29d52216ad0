package local

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
)

// Probe runs `true` through a runner of its own, supervised by this executable, and returns
// why it could not, or "" when this host can build the job sandbox (root, or unprivileged
// user namespaces: docs/runner.md).
func Probe() string {
	dir, err := os.MkdirTemp("", "cairn-sandbox-probe-")
	if err != nil {
		return err.Error()
	}
	defer os.RemoveAll(dir)
	exe, err := os.Executable()
	if err != nil {
		return err.Error()
	}
	r, err := New(Options{StateDir: filepath.Join(dir, "state"), Supervisor: []string{exe, SuperviseCommand}})
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
