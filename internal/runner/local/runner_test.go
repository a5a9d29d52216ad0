package local_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
)

func TestJobSeesDirAtOptML(t *testing.T) {
	requireSandbox(t)
	r := newRunner(t)
	s := spec(t, "111111111111/processing-job/see-dir",
		`cat /opt/ml/input/x > /opt/ml/output/y && echo "pwd=$(pwd) foo=$FOO args=$0,$1" > /opt/ml/output/z`,
		map[string]string{"input/x": "hello from the host\n"})
	s.Command = append(s.Command, "arg0", "arg 1")
	s.Env = append(s.Env, "FOO=bar baz")
	res := run(t, r, s)
	wantClean(t, res)
	if got := readFile(t, filepath.Join(s.Dir, "output/y")); got != "hello from the host\n" {
		t.Errorf("output/y = %q", got)
	}
	if got, want := readFile(t, filepath.Join(s.Dir, "output/z")), "pwd=/opt/ml foo=bar baz args=arg0,arg 1\n"; got != want {
		t.Errorf("output/z = %q, want %q", got, want)
	}
	if res.StartedAt.IsZero() || res.EndedAt.Before(res.StartedAt) {
		t.Errorf("times %v → %v", res.StartedAt, res.EndedAt)
	}
}

func TestWorkDirAndEnvironment(t *testing.T) {
	requireSandbox(t)
	r := newRunner(t)
	s := spec(t, "workdir", `pwd; env | sort`, map[string]string{"code/keep": ""})
	s.WorkDir = "/opt/ml/code"
	s.Env = []string{"PATH=/usr/bin:/bin", "ONLY=this"}
	wantClean(t, run(t, r, s))
	got := strings.Fields(readFile(t, s.LogPath))
	// sh adds PWD (and may add SHLVL or _); the runner adds PYTHONUNBUFFERED.
	for _, want := range []string{"/opt/ml/code", "ONLY=this", "PATH=/usr/bin:/bin", "PYTHONUNBUFFERED=1"} {
		if !slices.Contains(got, want) {
			t.Errorf("log %q lacks %q", got, want)
		}
	}
	for _, line := range got {
		if strings.HasPrefix(line, "HOME=") || strings.HasPrefix(line, "GO") {
			t.Errorf("environment leaked into the job: %q", line)
		}
	}
}

func TestExitCodesAndSignals(t *testing.T) {
	requireSandbox(t)
	r := newRunner(t)
	for _, tc := range []struct {
		script string
		code   int
		signal string
	}{
		{"exit 0", 0, ""},
		{"exit 3", 3, ""},
		{"kill -KILL $$", 137, "SIGKILL"},
		{"kill -TERM $$", 143, "SIGTERM"},
		{"kill -SEGV $$", 139, "SIGSEGV"},
	} {
		res := run(t, r, spec(t, "exit-"+strings.ReplaceAll(tc.script, " ", "_"), tc.script, nil))
		if res.ExitCode != tc.code || res.Signal != tc.signal || res.Err != "" || res.Stopped || res.TimedOut {
			t.Errorf("%s: %+v, want exit code %d, signal %q", tc.script, res, tc.code, tc.signal)
		}
	}
}

func TestLogsCaptured(t *testing.T) {
	requireSandbox(t)
	r := newRunner(t)
	s := spec(t, "logs", `echo to stdout; echo to stderr >&2; echo again`, nil)
	if err := os.WriteFile(s.LogPath, []byte("before\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantClean(t, run(t, r, s))
	if got, want := readFile(t, s.LogPath), "before\nto stdout\nto stderr\nagain\n"; got != want {
		t.Errorf("log = %q, want %q", got, want)
	}
}

func TestMaxRuntime(t *testing.T) {
	requireSandbox(t)
	r := newRunner(t) // 1 s grace
	t.Run("ends on SIGTERM", func(t *testing.T) {
		s := spec(t, "timeout-term", `sleep 30`, nil)
		s.MaxRuntime = 200 * time.Millisecond
		res := run(t, r, s)
		if !res.TimedOut || res.Stopped || res.Signal != "SIGTERM" || res.ExitCode != 143 {
			t.Errorf("result %+v, want TimedOut by SIGTERM", res)
		}
		// Times measured by the supervisor, free of process start-up and exit.
		if d := res.EndedAt.Sub(res.StartedAt); d < 200*time.Millisecond || d > 900*time.Millisecond {
			t.Errorf("ran %v, want about MaxRuntime", d)
		}
	})
	t.Run("killed after grace", func(t *testing.T) {
		s := spec(t, "timeout-kill", `trap "" TERM; echo trapped; sleep 30`, nil)
		s.MaxRuntime = 200 * time.Millisecond
		res := run(t, r, s)
		if !res.TimedOut || res.Signal != "SIGKILL" || res.ExitCode != 137 {
			t.Errorf("result %+v, want TimedOut by SIGKILL", res)
		}
		if d := res.EndedAt.Sub(res.StartedAt); d < 1200*time.Millisecond || d > 3*time.Second {
			t.Errorf("ran %v, want about MaxRuntime + 1 s grace", d)
		}
	})
}

func TestStop(t *testing.T) {
	requireSandbox(t)
	r := newRunner(t)
	ctx := context.Background()
	t.Run("SIGTERM", func(t *testing.T) {
		j, err := r.Start(ctx, spec(t, "stop-term", `sleep 30`, nil))
		if err != nil {
			t.Fatal(err)
		}
		if err := j.Stop(ctx, 0); err != nil {
			t.Fatal(err)
		}
		res := wait(t, j)
		if !res.Stopped || res.TimedOut || res.Signal != "SIGTERM" {
			t.Errorf("result %+v, want Stopped by SIGTERM", res)
		}
		if err := j.Stop(ctx, 0); err != nil {
			t.Errorf("Stop after the end: %v", err)
		}
	})
	t.Run("SIGKILL after the given grace", func(t *testing.T) {
		s := spec(t, "stop-kill", `trap "" TERM; echo ready; sleep 30`, nil)
		j, err := r.Start(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		waitForLog(t, s.LogPath, "ready")
		start := time.Now()
		if err := j.Stop(ctx, 300*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		res := wait(t, j)
		if !res.Stopped || res.Signal != "SIGKILL" {
			t.Errorf("result %+v, want Stopped by SIGKILL", res)
		}
		if d := res.EndedAt.Sub(start); d < 300*time.Millisecond || d > 900*time.Millisecond {
			t.Errorf("ended %v after Stop, want about the 300ms grace", d)
		}
	})
}

// waitForLog waits (bounded) until the log holds want.
func waitForLog(t testing.TB, path, want string) {
	t.Helper()
	for range 500 {
		if data, _ := os.ReadFile(path); strings.Contains(string(data), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("log %s never held %q", path, want)
}

func TestStartRefusesExistingID(t *testing.T) {
	requireSandbox(t)
	r := newRunner(t)
	s := spec(t, "111111111111/training-job/once", `echo ran >> /opt/ml/output/ran`, nil)
	wantClean(t, run(t, r, s))
	if _, err := r.Start(context.Background(), s); !isErr(err, runner.ErrExists) {
		t.Fatalf("second Start: %v, want ErrExists", err)
	}
	if got := readFile(t, filepath.Join(s.Dir, "output/ran")); got != "ran\n" {
		t.Errorf("the job ran %d times", strings.Count(got, "ran"))
	}
}

func TestInvalidSpec(t *testing.T) {
	r := newRunner(t)
	dir := t.TempDir()
	good := runner.Spec{ID: "x", Dir: dir, Command: []string{"true"}, LogPath: filepath.Join(dir, "log")}
	for name, mut := range map[string]func(*runner.Spec){
		"no ID":        func(s *runner.Spec) { s.ID = "" },
		"long ID":      func(s *runner.Spec) { s.ID = strings.Repeat("x", 201) },
		"relative dir": func(s *runner.Spec) { s.Dir = "rel" },
		"missing dir":  func(s *runner.Spec) { s.Dir = filepath.Join(dir, "nope") },
		"no command":   func(s *runner.Spec) { s.Command = nil },
		"relative log": func(s *runner.Spec) { s.LogPath = "log" },
		"bad env":      func(s *runner.Spec) { s.Env = []string{"NOEQUALS"} },
		"NUL":          func(s *runner.Spec) { s.Command = []string{"a\x00b"} },
		"negative":     func(s *runner.Spec) { s.MaxRuntime = -1 },
		"workdir":      func(s *runner.Spec) { s.WorkDir = "x" },
	} {
		s := good
		mut(&s)
		if _, err := r.Start(context.Background(), s); !isErr(err, runner.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if ids, _ := r.List(); len(ids) != 0 {
		t.Errorf("refused specs left state: %v", ids)
	}
}

func TestCommandNotFound(t *testing.T) {
	requireSandbox(t)
	state := t.TempDir()
	r := newRunnerAt(t, state)
	s := spec(t, "not-found", "", nil)
	s.Command = []string{"no-such-command-here"}
	res := run(t, r, s)
	if !strings.Contains(res.Err, "no-such-command-here") || res.Succeeded() {
		t.Errorf("result %+v, want Err naming the command", res)
	}
	if log := readFile(t, s.LogPath); !strings.Contains(log, "could not start") {
		t.Errorf("log %q does not say why", log)
	}
	// A later Attach reports the same.
	j, err := newRunnerAt(t, state).Attach(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := wait(t, j); got.Err != res.Err {
		t.Errorf("Attach: %+v, want %+v", got, res)
	}
}

func TestAttachFinishedJob(t *testing.T) {
	requireSandbox(t)
	state := t.TempDir()
	a := newRunnerAt(t, state)
	s := spec(t, "111111111111/processing-job/finished", `exit 7`, nil)
	first := run(t, a, s)
	if first.ExitCode != 7 {
		t.Fatalf("result %+v", first)
	}
	b := newRunnerAt(t, state) // as a restarted server
	j, err := b.Attach(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-j.Done():
	default:
		t.Fatal("attached to a finished job, Done not closed")
	}
	if got := j.Result(); !got.StartedAt.Equal(first.StartedAt) || got.ExitCode != 7 {
		t.Errorf("Attach result %+v, want %+v", got, first)
	}
	if _, err := b.Attach(context.Background(), "111111111111/processing-job/never"); !isErr(err, runner.ErrNotFound) {
		t.Errorf("Attach unknown: %v, want ErrNotFound", err)
	}
	ids, err := b.List()
	if err != nil || !slices.Equal(ids, []string{s.ID}) {
		t.Errorf("List = %v, %v", ids, err)
	}
}

// startInHelper starts s from a helper process standing in for the server, and kills that
// process with SIGKILL once Start has returned.
func startInHelper(t *testing.T, state string, s runner.Spec) {
	t.Helper()
	data, _ := json.Marshal(s)
	helper := exec.Command(mustExecutable(), helperCommand, "start", state, string(data))
	helper.Stderr = os.Stderr
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()
	if err != nil || line != "started\n" {
		t.Fatalf("helper said %q, %v", line, err)
	}
}

// TestJobOutlivesKilledServer starts a job from a helper process standing in for the server,
// kills that process with SIGKILL, and attaches from here: the job keeps running, ends
// normally and its result is collected; it ran exactly once.
func TestJobOutlivesKilledServer(t *testing.T) {
	requireSandbox(t)
	state := t.TempDir()
	s := spec(t, "111111111111/processing-job/outlive", `sleep 1; echo ran >> /opt/ml/output/ran; exit 5`, nil)
	startInHelper(t, state, s)

	r := newRunnerAt(t, state)
	j, err := r.Attach(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-j.Done():
		t.Fatalf("job ended with its server: %+v", j.Result())
	default:
	}
	again, err := r.Attach(context.Background(), s.ID)
	if err != nil || again != j {
		t.Errorf("second Attach = %v, %v; want the same job", again, err)
	}
	res := wait(t, j)
	if res.ExitCode != 5 || res.Err != "" {
		t.Fatalf("result %+v, want exit code 5", res)
	}
	if got := readFile(t, filepath.Join(s.Dir, "output/ran")); got != "ran\n" {
		t.Errorf("the job ran %d times", strings.Count(got, "ran"))
	}
	// A third server sees the recorded result.
	j3, err := newRunnerAt(t, state).Attach(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := wait(t, j3); got != res {
		t.Errorf("later Attach %+v, want %+v", got, res)
	}
}

// TestStopAttachedJob stops a job started by a server that has died since.
func TestStopAttachedJob(t *testing.T) {
	requireSandbox(t)
	state := t.TempDir()
	s := spec(t, "stop-attached", `sleep 30`, nil)
	startInHelper(t, state, s)
	j, err := newRunnerAt(t, state).Attach(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := j.Stop(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	res := wait(t, j)
	if !res.Stopped || res.Signal != "SIGTERM" {
		t.Errorf("result %+v, want Stopped by SIGTERM", res)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopping took %v", d)
	}
}

// TestSupervisorKilled: a supervisor that dies without a result (as on a reboot) leaves a job
// that reports so, now and on every later Attach; the job itself is gone with it.
func TestSupervisorKilled(t *testing.T) {
	requireSandbox(t)
	state := t.TempDir()
	r := newRunnerAt(t, state)
	s := spec(t, "supervisor-killed", `echo started; sleep 30; echo survived >> /opt/ml/output/survived`, nil)
	j, err := r.Start(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct{ PID int }
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(state, "supervisor-killed", "supervisor.json"))), &rec); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(rec.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	res := wait(t, j)
	if !strings.HasPrefix(res.Err, "the job's supervisor ended without a result") {
		t.Fatalf("result %+v", res)
	}
	j2, err := newRunnerAt(t, state).Attach(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := wait(t, j2); got.Err != res.Err {
		t.Errorf("Attach %+v, want %+v", got, res)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "output/survived")); err == nil {
		t.Error("the job outlived its supervisor")
	}
}

// TestHostUnchanged: the sandbox leaves no mount on the host and does not touch /opt.
func TestHostUnchanged(t *testing.T) {
	requireSandbox(t)
	before, _ := os.ReadDir("/opt")
	mounts := mountsUnder(t, "/opt")
	r := newRunner(t)
	s := spec(t, "host-unchanged", `ls /opt > /opt/ml/output/opt; grep " /opt" /proc/self/mountinfo | wc -l > /opt/ml/output/mounts`, nil)
	wantClean(t, run(t, r, s))
	after, _ := os.ReadDir("/opt")
	if names(before) != names(after) {
		t.Errorf("host /opt changed: %s → %s", names(before), names(after))
	}
	if got := mountsUnder(t, "/opt"); !slices.Equal(got, mounts) {
		t.Errorf("host mounts under /opt: %v, before %v", got, mounts)
	}
	// Inside, /opt had its entries and ml.
	want := names(before)
	if _, err := os.Stat("/opt/ml"); err != nil {
		want = strings.TrimSpace(strings.Join(slices.Sorted(slices.Values(append(strings.Fields(want), "ml"))), " "))
	}
	if got := strings.Join(strings.Fields(readFile(t, filepath.Join(s.Dir, "output/opt"))), " "); got != want {
		t.Errorf("/opt in the sandbox: %q, want %q", got, want)
	}
}

func names(entries []os.DirEntry) string {
	var n []string
	for _, e := range entries {
		n = append(n, e.Name())
	}
	slices.Sort(n)
	return strings.Join(n, " ")
}

// TestExistingOptML: a host /opt/ml is bound over, and left as it was.
func TestExistingOptML(t *testing.T) {
	requireSandbox(t)
	if os.Geteuid() != 0 {
		t.Skip("needs root to create /opt/ml")
	}
	if _, err := os.Stat("/opt/ml"); err == nil {
		t.Skip("/opt/ml exists on this host")
	}
	if err := os.MkdirAll("/opt/ml", 0o755); err != nil {
		t.Skipf("cannot create /opt/ml: %v", err)
	}
	defer os.Remove("/opt/ml")
	r := newRunner(t)
	s := spec(t, "existing-opt-ml", `cat /opt/ml/input/x > /opt/ml/output/y`, map[string]string{"input/x": "x"})
	wantClean(t, run(t, r, s))
	if got := readFile(t, filepath.Join(s.Dir, "output/y")); got != "x" {
		t.Errorf("output/y = %q", got)
	}
	if entries, _ := os.ReadDir("/opt/ml"); len(entries) != 0 {
		t.Errorf("host /opt/ml now holds %s", names(entries))
	}
}

// TestJobIsolation: the job cannot see or signal the server, cannot read hidden directories
// or the runner's state, and cannot uncover them.
func TestJobIsolation(t *testing.T) {
	requireSandbox(t)
	state := t.TempDir()
	r := newRunnerAt(t, state)
	secret := t.TempDir()
	if err := os.WriteFile(filepath.Join(secret, "key"), []byte("s3cr3t"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`
		exec 2>&1
		kill -0 %d && echo "signal server: yes" || echo "signal server: no"
		echo "pids: $(ls /proc | grep -c '^[0-9]')"
		cat %s/key || echo "read secret: no"
		ls %s | wc -l | sed 's/^/state entries: /'
		command -v python3 >/dev/null || echo "umount: no (python3 missing, not tried)"
		python3 -c 'import ctypes,os,sys; libc=ctypes.CDLL(None, use_errno=True); r=libc.umount2(sys.argv[1].encode(), 2); print("umount:", "yes" if r == 0 else "no", os.strerror(ctypes.get_errno()))' %s
		cat %s/key 2>/dev/null || true
		echo "uid: $(id -u)"
	`, os.Getpid(), secret, state, secret, secret)
	s := spec(t, "isolation", script, nil)
	s.Hide = []string{secret}
	wantClean(t, run(t, r, s))
	log := readFile(t, s.LogPath)
	for _, want := range []string{"signal server: no", "read secret: no", "state entries: 0", "umount: no ", "uid: 0"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "s3cr3t") {
		t.Errorf("the job read a hidden file:\n%s", log)
	}
	// sh, ls, grep and the supervisor: a handful, not the host's.
	if strings.Contains(log, "pids: ") {
		var n int
		fmt.Sscanf(log[strings.Index(log, "pids: ")+6:], "%d", &n)
		if n > 8 {
			t.Errorf("the job sees %d processes", n)
		}
	}
}

// TestAttachUnstartedJob: a server killed after taking a job's ID but before handing the job
// to a supervisor leaves a state dir with no supervisor record. Nothing ran, so after the
// restart Attach reports the job as not found and Start runs it, once.
func TestAttachUnstartedJob(t *testing.T) {
	requireSandbox(t)
	state := t.TempDir()
	s := spec(t, "unstarted", `echo ran >> /opt/ml/output/runs`, nil)
	if err := os.Mkdir(filepath.Join(state, "unstarted"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(state, "unstarted", "spec.json"), []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := newRunnerAt(t, state) // as a restarted server
	if _, err := r.Attach(context.Background(), s.ID); !errors.Is(err, runner.ErrNotFound) {
		t.Fatalf("Attach: %v, want ErrNotFound", err)
	}
	if res := run(t, r, s); !res.Succeeded() {
		t.Fatalf("result %+v", res)
	}
	if got := readFile(t, filepath.Join(s.Dir, "output/runs")); got != "ran\n" {
		t.Errorf("runs %q", got)
	}
}
