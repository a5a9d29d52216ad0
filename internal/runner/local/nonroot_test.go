package local_test

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/cairnhq/cairn/internal/runner"
)

// nobody is the user the unprivileged test runs as.
const nobody = 65534

// TestUnprivileged runs a job from a runner whose process is not root (uid 65534): the
// supervisor then needs a user namespace, and /opt/ml is made in the sandbox only.
func TestUnprivileged(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to switch to uid 65534 (the whole suite already runs unprivileged)")
	}
	base, err := os.MkdirTemp("", "runner-unprivileged")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	// The test binary, where uid 65534 can run it.
	exe := filepath.Join(base, "runner.test")
	copyFile(t, mustExecutable(), exe)
	jobDir := filepath.Join(base, "job")
	for _, d := range []string{"state", "logs", "job/input", "job/output"} {
		if err := os.MkdirAll(filepath.Join(base, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(jobDir, "input/x"), []byte("unprivileged input\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"state", "logs", "job", "job/input", "job/input/x", "job/output"} {
		if err := os.Chown(filepath.Join(base, p), nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	spec := runner.Spec{
		ID:      "222222222222/processing-job/unprivileged",
		Dir:     jobDir,
		Command: []string{"sh", "-c", `cat /opt/ml/input/x > /opt/ml/output/y; id -u > /opt/ml/output/uid; ls /opt > /opt/ml/output/opt`},
		Env:     env,
		LogPath: filepath.Join(base, "logs/output.log"),
	}
	data, _ := json.Marshal(spec)
	cmd := exec.Command(exe, helperCommand, "run", filepath.Join(base, "state"), string(data))
	cmd.Dir = base
	cmd.Env = []string{}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody, Groups: []uint32{}}}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper: %v; stderr: %s", err, stderrOf(err))
	}
	var res runner.Result
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("helper printed %q: %v", out, err)
	}
	if strings.Contains(res.Err, "namespaces") {
		t.Skipf("this kernel does not let uid %d build the sandbox: %s", nobody, res.Err)
	}
	wantClean(t, res)
	if got := readFile(t, filepath.Join(jobDir, "output/y")); got != "unprivileged input\n" {
		t.Errorf("output/y = %q", got)
	}
	fi, err := os.Stat(filepath.Join(jobDir, "output/y"))
	if err != nil {
		t.Fatal(err)
	}
	if uid := fi.Sys().(*syscall.Stat_t).Uid; uid != nobody {
		t.Errorf("output owned by uid %d on the host, want %d", uid, nobody)
	}
	if got := readFile(t, filepath.Join(jobDir, "output/uid")); got != "0\n" {
		t.Errorf("uid in the sandbox %q, want 0", got)
	}
	if got := strings.Fields(readFile(t, filepath.Join(jobDir, "output/opt"))); !slices.Contains(got, "ml") {
		t.Errorf("/opt in the sandbox holds %q, want ml among them", got)
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
