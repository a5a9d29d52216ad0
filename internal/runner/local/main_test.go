package local_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/runner/local"
	"golang.org/x/sys/unix"
)

// helperCommand makes the test binary act as a small server process for tests that need one
// to die, or to run as another user: `test-binary __runner-test-helper MODE STATE-DIR SPEC-JSON`.
const helperCommand = "__runner-test-helper"

// TestMain lets the test binary act as a helper process. (It is a job's supervisor without
// help: the runner's package dispatches SuperviseCommand itself, before any main.)
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == helperCommand {
		os.Exit(runHelper(os.Args[2:]))
	}
	if os.Getenv(dispatchProbe) != "" {
		// The probe of TestSuperviseDispatchedBeforeMain got here: the supervisor was not
		// dispatched. Say so at once rather than run every test as a "supervisor".
		fmt.Fprintln(os.Stderr, "probe: the test binary reached TestMain as itself")
		os.Exit(3)
	}
	// Supervisors orphaned by a killed helper come back to this process, which reaps them
	// (this machine's init may not).
	unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
	os.Exit(m.Run())
}

// runHelper runs one job with a runner of its own. Mode "start" prints "started" once Start
// returns and then waits to be killed; mode "run" waits for the job and prints its Result as
// JSON.
func runHelper(args []string) int {
	if len(args) != 3 {
		fmt.Fprintln(os.Stderr, "helper: want MODE STATE-DIR SPEC-JSON")
		return 2
	}
	var spec runner.Spec
	if err := json.Unmarshal([]byte(args[2]), &spec); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 2
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	r, err := local.New(local.Options{StateDir: args[1], Supervisor: []string{exe, local.SuperviseCommand}, KillGrace: time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	j, err := r.Start(context.Background(), spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	switch args[0] {
	case "start":
		fmt.Println("started")
		select {} // until killed
	case "run":
		select {
		case <-j.Done():
		case <-time.After(time.Minute):
			fmt.Fprintln(os.Stderr, "helper: job did not end")
			return 1
		}
		json.NewEncoder(os.Stdout).Encode(j.Result())
		return 0
	}
	fmt.Fprintln(os.Stderr, "helper: unknown mode", args[0])
	return 2
}

// env is a small environment for test jobs.
var env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp"}

// newRunner returns a runner with its state in a temporary dir and a 1 s kill grace.
func newRunner(t testing.TB) *local.Runner {
	t.Helper()
	return newRunnerAt(t, t.TempDir())
}

func newRunnerAt(t testing.TB, stateDir string) *local.Runner {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r, err := local.New(local.Options{StateDir: stateDir, Supervisor: []string{exe, local.SuperviseCommand}, KillGrace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// jobDir makes a job directory with the given files (path → content) and an output/ dir.
func jobDir(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "output"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var (
	sandboxOnce sync.Once
	sandboxErr  string
)

// requireSandbox skips the test when this host cannot build the sandbox.
func requireSandbox(t testing.TB) {
	t.Helper()
	sandboxOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sandbox-probe")
		if err != nil {
			sandboxErr = err.Error()
			return
		}
		defer os.RemoveAll(dir)
		r, err := local.New(local.Options{StateDir: filepath.Join(dir, "state"), Supervisor: []string{mustExecutable(), local.SuperviseCommand}})
		if err != nil {
			sandboxErr = err.Error()
			return
		}
		j, err := r.Start(context.Background(), runner.Spec{ID: "probe", Dir: dir, Command: []string{"true"}, Env: env, LogPath: filepath.Join(dir, "log")})
		if err != nil {
			sandboxErr = err.Error()
			return
		}
		<-j.Done()
		sandboxErr = j.Result().Err
	})
	if sandboxErr != "" {
		t.Skipf("this host cannot run sandboxed jobs: %s", sandboxErr)
	}
}

func mustExecutable() string {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	return exe
}

// run starts spec and waits for its end (bounded).
func run(t testing.TB, r runner.Runner, spec runner.Spec) runner.Result {
	t.Helper()
	j, err := r.Start(context.Background(), spec)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return wait(t, j)
}

func wait(t testing.TB, j runner.Job) runner.Result {
	t.Helper()
	select {
	case <-j.Done():
	case <-time.After(30 * time.Second):
		t.Fatalf("job %s did not end within 30s", j.ID())
	}
	return j.Result()
}

// spec is a job running the shell script script in a fresh job dir.
func spec(t testing.TB, id, script string, files map[string]string) runner.Spec {
	t.Helper()
	dir := jobDir(t, files)
	return runner.Spec{
		ID:      id,
		Dir:     dir,
		Command: []string{"sh", "-c", script},
		Env:     env,
		LogPath: filepath.Join(t.TempDir(), "output.log"),
	}
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func wantClean(t testing.TB, res runner.Result) {
	t.Helper()
	if !res.Succeeded() {
		t.Fatalf("result %+v, want success", res)
	}
}

// mountsUnder lists the host mount points at or under prefix.
func mountsUnder(t testing.TB, prefix string) []string {
	t.Helper()
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 4 && (f[4] == prefix || strings.HasPrefix(f[4], prefix+"/")) {
			out = append(out, f[4])
		}
	}
	return out
}

func isErr(err, target error) bool { return errors.Is(err, target) }
