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
	"io"
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
	// Warm is how many supervisors are kept started and waiting for a job, so a job's start
	// does not wait for the cairn binary to start; 0 keeps none. Close lets them go.
	Warm int
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

	mu      sync.Mutex
	jobs    map[string]*job   // running jobs this process watches
	idle    []*supervisorProc // warm supervisors
	filling bool              // refill is running
	closed  bool
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
	r := &Runner{opts: opts, log: log, jobs: make(map[string]*job)}
	if opts.Warm > 0 {
		go r.refill()
	}
	return r, nil
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
	j, dir, err := r.take(spec.ID)
	if err != nil {
		return nil, err
	}
	go func() { <-j.done; r.forget(j) }()

	cmd, err := r.spawn(dir, j.root, &rec)
	if err != nil {
		// The ID is taken from here on: the job has failed, and says why.
		r.log.Warn("job could not start", "job", spec.ID, "err", err)
		j.fail(err.Error())
		return j, nil
	}
	j.setSignal(func(sig syscall.Signal) error { return cmd.Process.Signal(sig) })
	go func() {
		cmd.Wait()
		j.finish(true)
	}()
	return j, nil
}

// take claims a job's ID: its state dir, created and synced so that the ID is taken for
// good, even across a crash of the machine (no job runs twice), and the job registered in
// r.jobs in the same critical section, so that Attach never mistakes a start under way for
// one a dead process left.
func (r *Runner) take(id string) (*job, string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	dir := filepath.Join(r.opts.StateDir, stateKey(id))
	if err := os.Mkdir(dir, 0o700); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, "", fmt.Errorf("job %s: %w", id, runner.ErrExists)
		}
		return nil, "", fmt.Errorf("job %s: %w", id, err)
	}
	if err := syncDir(r.opts.StateDir); err != nil {
		return nil, "", fmt.Errorf("job %s: %w", id, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", fmt.Errorf("job %s: %w", id, err)
	}
	j := newJob(id, root, r.opts.KillGrace)
	r.jobs[id] = j
	return j, dir, nil
}

// spawn writes the spec and hands the job to a supervisor, a warm one when there is one
// ready, and waits until it says the job is running (or has failed: result.json then says
// why).
func (r *Runner) spawn(dir string, root *os.Root, rec *specRecord) (*exec.Cmd, error) {
	for attempt := 0; ; attempt++ {
		p := r.takeWarm()
		if p == nil {
			var err error
			if p, err = r.newSupervisor(); err != nil {
				return nil, supervisorStartError(err)
			}
		}
		rec.Privileged = p.privileged
		if err := writeJSON(root, specFile, rec); err != nil {
			p.discard()
			return nil, err
		}
		// Recorded before the supervisor learns of the job, so a job never runs unrecorded.
		sup, err := recordOf(p.cmd.Process.Pid)
		if err == nil {
			err = writeJSON(root, supervisorFile, sup)
		}
		if err != nil {
			p.discard()
			return nil, fmt.Errorf("record the supervisor: %w", err)
		}
		_, err = io.WriteString(p.assign, dir+"\n")
		p.assign.Close()
		if err != nil {
			// It died while it waited; another one will do.
			p.discard()
			if attempt == 0 {
				continue
			}
			return nil, fmt.Errorf("hand the job to its supervisor: %w", err)
		}
		// The supervisor writes "ok" then closes the descriptor once the job runs, or just
		// exits if it cannot start it; either way the read returns.
		bufio.NewReader(p.notify).ReadString('\n')
		p.notify.Close()
		return p.cmd, nil
	}
}

// supervisorProc is a started supervisor waiting to be told its job's state directory.
type supervisorProc struct {
	cmd        *exec.Cmd
	assign     *os.File // write end: the state dir, one line
	notify     *os.File // read end: "ok" once the job runs
	privileged bool     // root in the host's user namespace
}

// discard lets an unassigned supervisor go: it exits when it reads end of file.
func (p *supervisorProc) discard() {
	p.assign.Close()
	p.notify.Close()
	go p.cmd.Wait()
}

// newSupervisor starts a supervisor in its namespaces; it waits on its assign descriptor.
func (r *Runner) newSupervisor() (*supervisorProc, error) {
	attempts := supervisorAttrs()
	for i, a := range attempts {
		p, err := r.startSupervisor(a.attr)
		if err == nil {
			p.privileged = a.privileged
			return p, nil
		}
		if i == len(attempts)-1 || !errors.Is(err, unix.EPERM) {
			return nil, err
		}
		r.log.Debug("namespaces refused; trying with a user namespace", "err", err)
	}
	panic("unreachable")
}

func (r *Runner) startSupervisor(attr *syscall.SysProcAttr) (*supervisorProc, error) {
	notifyR, notifyW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer notifyW.Close()
	assignR, assignW, err := os.Pipe()
	if err != nil {
		notifyR.Close()
		return nil, err
	}
	defer assignR.Close()
	sup := r.opts.Supervisor
	// The supervisor's output goes to /dev/null until it knows its job, then to the job's
	// supervisor.log.
	cmd := exec.Command(sup[0], append(slices.Clone(sup[1:]), "-notify-fd=3", "-assign-fd=4")...)
	cmd.Env = []string{}
	cmd.ExtraFiles = []*os.File{notifyW, assignR}
	cmd.SysProcAttr = attr
	if err := cmd.Start(); err != nil {
		notifyR.Close()
		assignW.Close()
		return nil, err
	}
	return &supervisorProc{cmd: cmd, assign: assignW, notify: notifyR}, nil
}

// takeWarm returns a warm supervisor, if one is ready, and has another made.
func (r *Runner) takeWarm() *supervisorProc {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.idle) == 0 {
		if r.opts.Warm > 0 && !r.closed {
			go r.refill()
		}
		return nil
	}
	p := r.idle[0]
	r.idle = r.idle[1:]
	go r.refill()
	return p
}

// refill starts supervisors until Options.Warm of them wait.
func (r *Runner) refill() {
	r.mu.Lock()
	if r.closed || r.filling || len(r.idle) >= r.opts.Warm {
		r.mu.Unlock()
		return
	}
	r.filling = true
	r.mu.Unlock()
	for {
		p, err := r.newSupervisor()
		r.mu.Lock()
		if err != nil || r.closed {
			r.filling = false
			r.mu.Unlock()
			if err != nil {
				r.log.Warn("cannot start a warm job supervisor", "err", err)
			} else {
				p.discard()
			}
			return
		}
		r.idle = append(r.idle, p)
		if len(r.idle) >= r.opts.Warm {
			r.filling = false
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
	}
}

// Close lets the warm supervisors go. Jobs keep running; the Runner can still Attach, and
// Start starts supervisors as needed, without keeping any warm.
func (r *Runner) Close() error {
	r.mu.Lock()
	idle := r.idle
	r.idle, r.closed = nil, true
	r.mu.Unlock()
	for _, p := range idle {
		p.discard()
	}
	return nil
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
			root.Close()
			return nil, fmt.Errorf("job %s: %w", id, err)
		}
		// No supervisor was ever given the job (the record is written before one learns of
		// it): the process that took the ID died while starting it. Nothing ran, so the ID
		// is free again for the job to be started now. Within this process Start holds mu
		// until the job is in r.jobs, so this is never a start under way.
		root.Close()
		if err := os.RemoveAll(filepath.Join(r.opts.StateDir, stateKey(id))); err != nil {
			return nil, fmt.Errorf("job %s: reclaim an unstarted job: %w", id, err)
		}
		return nil, fmt.Errorf("job %s was never handed to a supervisor: %w", id, runner.ErrNotFound)
	}
	w, err := watchProcess(rec)
	if errors.Is(err, errGone) {
		j.finish(true)
		return j, nil
	}
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("job %s: %w", id, err)
	}
	j.setSignal(w.signal)
	r.jobs[id] = j
	go func() {
		w.wait()
		j.finish(true)
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
