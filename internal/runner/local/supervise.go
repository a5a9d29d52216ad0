package local

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// SuperviseCommand is the hidden subcommand of the cairn binary that runs one job's
// supervisor: `cairn __job-supervise -notify-fd N -assign-fd M`. It reads the job's state
// directory as one line from the assign descriptor (waiting as long as it takes: a warm
// supervisor), and writes "ok" to the notify descriptor once the job runs.
const SuperviseCommand = "__job-supervise"

// reapBound bounds the wait for the job's leftover processes once its main process is gone.
const reapBound = 5 * time.Second

// Supervise is the main function of a job's supervisor; args follow SuperviseCommand. The
// runner starts it in a session of its own and as the init process of new mount and PID
// namespaces (and a user namespace when not root), so it outlives the server. It builds the
// sandbox, starts the job, tells the runner through the notify descriptor, enforces
// MaxRuntime, handles stop requests (SIGTERM), and when the job's main process has exited it
// ends every process left in the namespace and writes result.json. It returns the process's
// exit status.
func Supervise(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet(SuperviseCommand, flag.ContinueOnError)
	fs.SetOutput(stderr)
	notifyFD := fs.Int("notify-fd", -1, "descriptor to write \"ok\" to once the job has started, then close")
	assignFD := fs.Int("assign-fd", -1, "descriptor to read the job's state directory from")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *notifyFD < 0 || *assignFD < 0 {
		fmt.Fprintf(stderr, "usage: cairn %s -notify-fd N -assign-fd M\n", SuperviseCommand)
		return 2
	}
	syscall.CloseOnExec(*notifyFD)
	syscall.CloseOnExec(*assignFD)
	notify := os.NewFile(uintptr(*notifyFD), "notify")
	assign := os.NewFile(uintptr(*assignFD), "assign")
	// Stop requests arrive as SIGTERM; terminal and job-control signals must not end the
	// supervisor, or the job would be left without a result.
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGTERM)
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE, syscall.SIGUSR1, syscall.SIGUSR2)

	if os.Getpid() != 1 {
		// Ending the job's leftovers with kill(-1) is only safe in a PID namespace of its own.
		fmt.Fprintf(stderr, "%s: not the init process of a PID namespace; refusing to run\n", SuperviseCommand)
		return 2
	}
	stateDir, ok := awaitJob(assign, sigc)
	if !ok {
		return 0 // let go before it had a job
	}
	root, err := os.OpenRoot(stateDir)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", SuperviseCommand, err)
		return 1
	}
	// From here on, diagnostics go to the job's supervisor.log.
	if f, err := root.OpenFile(supervisorLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err == nil {
		if unix.Dup3(int(f.Fd()), 1, 0) == nil && unix.Dup3(int(f.Fd()), 2, 0) == nil {
			stderr = os.Stderr
		}
		f.Close()
	}
	s := &supervisor{root: root, notify: notify, stderr: stderr, sigc: sigc}
	return s.run()
}

// awaitJob reads the job's state directory from assign; ok is false if the runner closes it
// or SIGTERM comes first.
func awaitJob(assign *os.File, sigc <-chan os.Signal) (dir string, ok bool) {
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(assign).ReadString('\n')
		assign.Close()
		line <- s
	}()
	select {
	case s := <-line:
		dir, ok = strings.CutSuffix(s, "\n")
		return dir, ok && dir != ""
	case <-sigc:
		return "", false
	}
}

type supervisor struct {
	root   *os.Root
	notify *os.File
	stderr io.Writer
	sigc   chan os.Signal
	spec   specRecord
	jobLog *os.File
}

func (s *supervisor) logf(format string, args ...any) {
	fmt.Fprintf(s.stderr, "%s %s\n", time.Now().UTC().Format(time.RFC3339Nano), fmt.Sprintf(format, args...))
}

// signalStarted tells the runner the job is running (or has failed to start: then result.json
// already says so).
func (s *supervisor) signalStarted() {
	if s.notify == nil {
		return
	}
	s.notify.Write([]byte("ok\n")) // the runner may be gone; nothing to do about it
	s.notify.Close()
	s.notify = nil
}

// fail records a job that could not start.
func (s *supervisor) fail(err error) int {
	now := time.Now()
	msg := err.Error()
	s.logf("the job could not start: %s", msg)
	if s.jobLog != nil {
		fmt.Fprintf(s.jobLog, "cairn: the job could not start: %s\n", msg)
	}
	if werr := writeJSON(s.root, resultFile, resultRecord{ExitCode: -1, StartedAt: now, EndedAt: now, Err: msg}); werr != nil {
		s.logf("%v", werr)
		s.signalStarted()
		return 1
	}
	s.signalStarted()
	return 0
}

func (s *supervisor) run() int {
	if err := readJSON(s.root, specFile, &s.spec); err != nil {
		return s.fail(fmt.Errorf("read the job spec: %w", err))
	}
	spec := &s.spec
	if err := os.MkdirAll(filepath.Dir(spec.LogPath), 0o755); err != nil {
		return s.fail(fmt.Errorf("log directory: %w", err))
	}
	var err error
	s.jobLog, err = os.OpenFile(spec.LogPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return s.fail(fmt.Errorf("open the log: %w", err))
	}
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		return s.fail(err)
	}
	ownProc, err := setupSandbox(spec.Dir, spec.Hide, spec.Privileged, s.logf)
	if err != nil {
		return s.fail(err)
	}
	workDir := spec.WorkDir
	if workDir == "" {
		workDir = optML
	}
	if err := os.Chdir(workDir); err != nil {
		return s.fail(fmt.Errorf("working directory: %w", err))
	}
	env := jobEnv(spec.Env)
	path, err := lookPath(spec.Command[0], env)
	if err != nil {
		return s.fail(err)
	}
	proc, err := os.StartProcess(path, spec.Command, &os.ProcAttr{
		Dir:   workDir,
		Env:   env,
		Files: []*os.File{devNull, s.jobLog, s.jobLog},
		Sys:   jobSysProcAttr(spec.Privileged, ownProc),
	})
	if err != nil {
		return s.fail(fmt.Errorf("start %s: %w", spec.Command[0], err))
	}
	startedAt := time.Now()
	devNull.Close()
	s.signalStarted()
	return s.watch(proc.Pid, startedAt)
}

// watch waits for the job's main process, enforcing MaxRuntime and stop requests, then ends
// what is left of the job and writes the result.
func (s *supervisor) watch(pid int, startedAt time.Time) int {
	exited := make(chan unix.WaitStatus, 1)
	allGone := make(chan struct{})
	go reapChildren(pid, exited, allGone)

	var deadline, killAt <-chan time.Time
	if s.spec.MaxRuntime > 0 {
		t := time.NewTimer(s.spec.MaxRuntime - time.Since(startedAt))
		defer t.Stop()
		deadline = t.C
	}
	var stopped, timedOut, terminating bool
	terminate := func(grace time.Duration) {
		terminating = true
		unix.Kill(-pid, unix.SIGTERM)
		t := time.NewTimer(grace)
		killAt = t.C
	}
	var ws unix.WaitStatus
loop:
	for {
		select {
		case ws = <-exited:
			break loop
		case <-s.sigc:
			if terminating {
				continue
			}
			grace := s.spec.KillGrace
			var req stopRecord
			if err := readJSON(s.root, stopFile, &req); err == nil {
				grace = req.Grace
			}
			stopped = true
			s.logf("stop requested; SIGTERM to the job, SIGKILL in %v", grace)
			terminate(grace)
		case <-deadline:
			if terminating {
				continue
			}
			timedOut = true
			s.logf("MaxRuntime %v exceeded; SIGTERM to the job, SIGKILL in %v", s.spec.MaxRuntime, s.spec.KillGrace)
			terminate(s.spec.KillGrace)
		case <-killAt:
			killAt = nil
			unix.Kill(-1, unix.SIGKILL)
		}
	}
	endedAt := time.Now()
	// The main process is gone: so is the job. Whatever it left behind goes too.
	unix.Kill(-1, unix.SIGKILL)
	select {
	case <-allGone:
	case <-time.After(reapBound):
		s.logf("processes of the job still present %v after its end", reapBound)
	}
	res := resultRecord{ExitCode: ws.ExitStatus(), Stopped: stopped, TimedOut: timedOut, StartedAt: startedAt, EndedAt: endedAt}
	if ws.Signaled() {
		res.ExitCode = 128 + int(ws.Signal())
		res.Signal = unix.SignalName(ws.Signal())
	}
	if err := writeJSON(s.root, resultFile, res); err != nil {
		s.logf("%v", err)
		return 1
	}
	return 0
}

// reapChildren waits for every child of the supervisor (the job, and processes orphaned in the
// namespace), sends the status of the job's main process on exited and closes allGone when no
// child is left.
func reapChildren(pid int, exited chan<- unix.WaitStatus, allGone chan<- struct{}) {
	defer close(allGone)
	for {
		var ws unix.WaitStatus
		got, err := unix.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return
		}
		if got == pid {
			exited <- ws
		}
	}
}

// defaultPath is searched for the command when the job's environment has no PATH.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// jobEnv is the job's environment: the spec's, plus PYTHONUNBUFFERED=1 unless it is set, so
// that Python's output reaches the log as it is printed.
func jobEnv(env []string) []string {
	if _, ok := lookupEnv(env, "PYTHONUNBUFFERED"); ok {
		return env
	}
	return append(env[:len(env):len(env)], "PYTHONUNBUFFERED=1")
}

func lookupEnv(env []string, key string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// lookPath finds the executable name: as given when it holds a slash, else in the PATH of env.
func lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		if err := executable(name); err != nil {
			return "", fmt.Errorf("command %s: %w", name, err)
		}
		return name, nil
	}
	path, ok := lookupEnv(env, "PATH")
	if !ok {
		path = defaultPath
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if executable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("command %s: not found in PATH %s", name, path)
}

func executable(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file", p)
	}
	return nil
}
