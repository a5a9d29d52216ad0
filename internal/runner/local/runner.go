// Package local runs jobs as processes on this host. Each job sees its directory at /opt/ml
// through Linux mount namespaces (no container runtime, no images: the command runs with the
// host's tools), is watched by a small supervisor process that outlives the server, and leaves
// its state in a directory of its own so a restarted server can attach to it again.
// docs/runner.md says what the host needs.
package local

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
	"golang.org/x/sys/unix"
)

// DefaultKillGrace is how long a job has between SIGTERM and SIGKILL, as SageMaker gives.
const DefaultKillGrace = 30 * time.Second

// Options configure a Runner.
type Options struct {
	// StateDir holds one directory of state per job (runner.StateDir of the data dir). The
	// job cannot read it: it is hidden in every sandbox.
	StateDir string
	// Supervisor is the argv prefix that runs Supervise: the cairn binary and
	// SuperviseCommand (see DefaultSupervisor); the runner appends its own arguments.
	Supervisor []string
	// KillGrace is the time between SIGTERM and SIGKILL when MaxRuntime is exceeded, and for
	// Stop with no grace of its own; 0 means DefaultKillGrace.
	KillGrace time.Duration
	// Logger receives the runner's diagnostics; nil discards them.
	Logger *slog.Logger
}

// DefaultSupervisor is Options.Supervisor for the running cairn binary.
func DefaultSupervisor() ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the cairn binary: %w", err)
	}
	return []string{exe, SuperviseCommand}, nil
}

// Runner is the local runner.
type Runner struct {
	opts Options
	log  *slog.Logger

	mu   sync.Mutex
	jobs map[string]*job // running jobs this process watches
}

var _ runner.Runner = (*Runner)(nil)

// New returns a Runner keeping its state in opts.StateDir, which it creates.
func New(opts Options) (*Runner, error) {
	if opts.StateDir == "" {
		return nil, errors.New("local runner: no state dir")
	}
	if len(opts.Supervisor) == 0 {
		return nil, errors.New("local runner: no supervisor command")
	}
	dir, err := filepath.Abs(opts.StateDir)
	if err != nil {
		return nil, fmt.Errorf("local runner: %w", err)
	}
	opts.StateDir = dir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("local runner: %w", err)
	}
	if opts.KillGrace <= 0 {
		opts.KillGrace = DefaultKillGrace
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{opts: opts, log: log, jobs: make(map[string]*job)}, nil
}

// check validates spec and turns it into the record the supervisor reads.
func (r *Runner) check(spec runner.Spec) (specRecord, error) {
	bad := func(format string, args ...any) (specRecord, error) {
		return specRecord{}, fmt.Errorf("%w: %s", runner.ErrInvalid, fmt.Sprintf(format, args...))
	}
	switch {
	case spec.ID == "":
		return bad("empty ID")
	case len(spec.ID) > maxIDLen:
		return bad("ID of %d bytes is longer than %d", len(spec.ID), maxIDLen)
	case !filepath.IsAbs(spec.Dir):
		return bad("Dir %q is not an absolute path", spec.Dir)
	case len(spec.Command) == 0 || spec.Command[0] == "":
		return bad("no command")
	case !filepath.IsAbs(spec.LogPath):
		return bad("LogPath %q is not an absolute path", spec.LogPath)
	case spec.WorkDir != "" && !filepath.IsAbs(spec.WorkDir):
		return bad("WorkDir %q is not an absolute path", spec.WorkDir)
	case spec.MaxRuntime < 0:
		return bad("negative MaxRuntime")
	}
	strs := append(append(append([]string{spec.ID, spec.Dir, spec.LogPath, spec.WorkDir}, spec.Command...), spec.Env...), spec.Hide...)
	if slices.ContainsFunc(strs, func(s string) bool { return strings.IndexByte(s, 0) >= 0 }) {
		return bad("a NUL byte in the spec")
	}
	for _, kv := range spec.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return bad("environment entry %q is not KEY=VALUE", kv)
		}
	}
	for _, h := range spec.Hide {
		if !filepath.IsAbs(h) {
			return bad("Hide path %q is not absolute", h)
		}
	}
	if fi, err := os.Stat(spec.Dir); err != nil || !fi.IsDir() {
		return bad("Dir %q is not a directory", spec.Dir)
	}
	return specRecord{
		ID: spec.ID, Dir: filepath.Clean(spec.Dir), Command: spec.Command, Env: spec.Env,
		WorkDir: spec.WorkDir, MaxRuntime: spec.MaxRuntime, LogPath: filepath.Clean(spec.LogPath),
		Hide:      append(slices.Clone(spec.Hide), r.opts.StateDir),
		KillGrace: r.opts.KillGrace,
	}, nil
}

// Start implements runner.Runner. It creates the job's state directory (refusing an ID that
// has one: runner.ErrExists), starts the supervisor and returns once the supervisor has
// started the job's process or recorded why it could not.
func (r *Runner) Start(ctx context.Context, spec runner.Spec) (runner.Job, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rec, err := r.check(spec)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(r.opts.StateDir, stateKey(spec.ID))
	if err := os.Mkdir(dir, 0o700); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("job %s: %w", spec.ID, runner.ErrExists)
		}
		return nil, fmt.Errorf("job %s: %w", spec.ID, err)
	}
	// The ID is taken for good, even across a crash of the machine: no job runs twice.
	if err := syncDir(r.opts.StateDir); err != nil {
		return nil, fmt.Errorf("job %s: %w", spec.ID, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", spec.ID, err)
	}
	j := newJob(spec.ID, root, r.opts.KillGrace)
	r.mu.Lock()
	r.jobs[spec.ID] = j
	r.mu.Unlock()
	go func() { <-j.done; r.forget(j) }()

	cmd, err := r.spawn(dir, root, &rec)
	if err != nil {
		// The ID is taken from here on: the job has failed, and says why.
		r.log.Warn("job could not start", "job", spec.ID, "err", err)
		j.fail(err.Error())
		return j, nil
	}
	j.setSignal(func(sig syscall.Signal) error { return cmd.Process.Signal(sig) })
	go func() {
		cmd.Wait()
		j.finish()
	}()
	return j, nil
}

// spawn writes the spec and starts the supervisor in its namespaces, and waits until it says
// the job is running (or has failed: result.json then says why).
func (r *Runner) spawn(dir string, root *os.Root, rec *specRecord) (*exec.Cmd, error) {
	attempts := supervisorAttrs()
	var cmd *exec.Cmd
	var notify *os.File
	var err error
	for i, a := range attempts {
		rec.Privileged = a.privileged
		if err = writeJSON(root, specFile, rec); err != nil {
			return nil, err
		}
		cmd, notify, err = r.startSupervisor(dir, root, a.attr)
		if err == nil {
			break
		}
		if i == len(attempts)-1 || !errors.Is(err, unix.EPERM) {
			return nil, supervisorStartError(err)
		}
		r.log.Debug("namespaces refused; trying with a user namespace", "job", rec.ID, "err", err)
	}
	// The supervisor writes "ok" then closes the descriptor once the job runs, or just exits
	// if it cannot start it; either way the read returns.
	bufio.NewReader(notify).ReadString('\n')
	notify.Close()
	return cmd, nil
}

func (r *Runner) startSupervisor(dir string, root *os.Root, attr *syscall.SysProcAttr) (*exec.Cmd, *os.File, error) {
	logFile, err := root.OpenFile(supervisorLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, err
	}
	defer logFile.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	defer pw.Close()
	sup := r.opts.Supervisor
	cmd := exec.Command(sup[0], append(slices.Clone(sup[1:]), "-notify-fd=3", dir)...)
	cmd.Env = []string{}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.ExtraFiles = []*os.File{pw}
	cmd.SysProcAttr = attr
	if err := cmd.Start(); err != nil {
		pr.Close()
		return nil, nil, err
	}
	return cmd, pr, nil
}

type supervisorAttr struct {
	attr       *syscall.SysProcAttr
	privileged bool
}

// supervisorAttrs lists the ways to start a supervisor, best first: in a new session, as the
// init of new mount and PID namespaces; root needs no user namespace for that, unless it
// lacks CAP_SYS_ADMIN (a container), when it gets one like any other user.
func supervisorAttrs() []supervisorAttr {
	base := func() *syscall.SysProcAttr {
		return &syscall.SysProcAttr{Setsid: true, Cloneflags: unix.CLONE_NEWNS | unix.CLONE_NEWPID}
	}
	userNS := base()
	userNS.Cloneflags |= unix.CLONE_NEWUSER
	userNS.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Geteuid(), Size: 1}}
	userNS.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}}
	if os.Geteuid() == 0 {
		return []supervisorAttr{{attr: base(), privileged: true}, {attr: userNS}}
	}
	return []supervisorAttr{{attr: userNS}}
}

// supervisorStartError explains a supervisor that could not be started.
func supervisorStartError(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case unix.EPERM, unix.EINVAL, unix.ENOSPC, unix.EUSERS:
			return fmt.Errorf("cannot create the job's sandbox (Linux mount, PID and user namespaces): %w; %s", err, hostNeeds)
		}
	}
	return fmt.Errorf("cannot start the job's supervisor: %w", err)
}

// Attach implements runner.Runner.
func (r *Runner) Attach(ctx context.Context, id string) (runner.Job, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if id == "" || len(id) > maxIDLen {
		return nil, fmt.Errorf("job %q: %w", id, runner.ErrNotFound)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if j, ok := r.jobs[id]; ok {
		return j, nil
	}
	root, err := os.OpenRoot(filepath.Join(r.opts.StateDir, stateKey(id)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("job %s: %w", id, runner.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", id, err)
	}
	j := newJob(id, root, r.opts.KillGrace)
	if j.loadResult() {
		return j, nil
	}
	var rec procRecord
	if err := readJSON(root, supervisorFile, &rec); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.log.Warn("unreadable supervisor record", "job", id, "err", err)
		}
		j.finish()
		return j, nil
	}
	w, err := watchProcess(rec)
	if err != nil {
		j.finish()
		return j, nil
	}
	j.setSignal(w.signal)
	r.jobs[id] = j
	go func() {
		w.wait()
		j.finish()
		w.close()
		r.forget(j)
	}()
	return j, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// forget drops a finished job from the jobs watched.
func (r *Runner) forget(j *job) {
	r.mu.Lock()
	if r.jobs[j.id] == j {
		delete(r.jobs, j.id)
	}
	r.mu.Unlock()
}

// List returns the IDs of every job with state in the state dir, running or not, sorted.
func (r *Runner) List() ([]string, error) {
	entries, err := os.ReadDir(r.opts.StateDir)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if id, ok := idOfKey(e.Name()); ok && e.IsDir() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}
