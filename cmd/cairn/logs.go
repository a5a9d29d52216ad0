package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/runner/local"
	"golang.org/x/sys/unix"
)

const logsUsage = "usage: cairn logs [--data-dir DIR] [--account ID] [-f] JOB-NAME\n"

// followPoll is how often a followed log is read again when inotify is unavailable.
const followPoll = 250 * time.Millisecond

// runLogs prints the log of a job; with -f it follows the log until the job ends.
func runLogs(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return logs(ctx, args, stdout, stderr)
}

func logs(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("logs", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, logsUsage); flags.PrintDefaults() }
	dataDir := flags.String("data-dir", ".cairn", "the server's data directory")
	account := flags.String("account", "", "the account of the job (needed when several accounts have a job of that name)")
	follow := flags.Bool("f", false, "follow the log until the job ends")
	flags.BoolVar(follow, "follow", false, "same as -f")
	// Flags may come before or after the job name.
	var names []string
	for {
		if err := flags.Parse(args); err != nil {
			return 2
		}
		if flags.NArg() == 0 {
			break
		}
		names = append(names, flags.Arg(0))
		args = flags.Args()[1:]
	}
	if len(names) != 1 {
		fmt.Fprint(stderr, logsUsage)
		return 2
	}
	name := names[0]
	acct, err := findJob(*dataDir, *account, name)
	if err != nil {
		fmt.Fprintf(stderr, "cairn logs: %v\n", err)
		return 1
	}
	logPath := runner.LogPath(*dataDir, acct, name)
	if !*follow {
		f, err := os.Open(logPath)
		if errors.Is(err, fs.ErrNotExist) {
			return 0 // the job has not written anything yet
		}
		if err != nil {
			fmt.Fprintf(stderr, "cairn logs: %v\n", err)
			return 1
		}
		defer f.Close()
		if _, err := io.Copy(stdout, f); err != nil {
			fmt.Fprintf(stderr, "cairn logs: %v\n", err)
			return 1
		}
		return 0
	}
	done, err := jobEnded(ctx, *dataDir, acct, name)
	if err != nil {
		fmt.Fprintf(stderr, "cairn logs: %v\n", err)
		return 1
	}
	if done == nil {
		fmt.Fprintf(stderr, "cairn logs: job %s has not been started by this data dir's runner; following until interrupted\n", name)
	}
	if err := followLog(ctx, logPath, done, stdout); err != nil {
		fmt.Fprintf(stderr, "cairn logs: %v\n", err)
		return 1
	}
	return 0
}

// findJob returns the account holding a job named name: account itself if given, else the
// only account under dataDir that has one.
func findJob(dataDir, account, name string) (string, error) {
	if err := runner.CheckName(name); err != nil {
		return "", fmt.Errorf("job name: %w", err)
	}
	if account != "" {
		if err := runner.CheckName(account); err != nil {
			return "", fmt.Errorf("account: %w", err)
		}
		if _, err := os.Stat(runner.JobDir(dataDir, account, name)); err != nil {
			return "", fmt.Errorf("account %s has no job named %s (under %s)", account, name, dataDir)
		}
		return account, nil
	}
	entries, err := os.ReadDir(filepath.Join(dataDir, "jobs"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	var found []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(runner.JobDir(dataDir, e.Name(), name)); err == nil {
			found = append(found, e.Name())
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("no job named %s (under %s)", name, dataDir)
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("accounts %s each have a job named %s; choose one with --account", strings.Join(found, ", "), name)
}

// jobEnded returns a channel closed when every runner job of that account and name has ended,
// or nil when the runner has none.
func jobEnded(ctx context.Context, dataDir, account, name string) (<-chan struct{}, error) {
	stateDir := runner.StateDir(dataDir)
	if _, err := os.Stat(stateDir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	sup, err := local.DefaultSupervisor()
	if err != nil {
		return nil, err
	}
	r, err := local.New(local.Options{StateDir: stateDir, Supervisor: sup})
	if err != nil {
		return nil, err
	}
	ids, err := r.List()
	if err != nil {
		return nil, err
	}
	var jobs []runner.Job
	for _, id := range ids {
		if a, _, n, ok := runner.ParseJobID(id); ok && a == account && n == name {
			j, err := r.Attach(ctx, id)
			if err != nil {
				return nil, err
			}
			jobs = append(jobs, j)
		}
	}
	if len(jobs) == 0 {
		return nil, nil
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, j := range jobs {
			select {
			case <-j.Done():
			case <-ctx.Done():
				return
			}
		}
	}()
	return done, nil
}

// followLog copies the log at path to w as it grows, until done is closed (then what is left
// is copied) or ctx ends. A log not yet created is waited for. Growth is noticed through
// inotify on the log's directory, or every followPoll without it.
func followLog(ctx context.Context, path string, done <-chan struct{}, w io.Writer) error {
	changed, stop, err := watchDir(filepath.Dir(path))
	if err != nil {
		changed, stop = pollEvery(followPoll)
	}
	defer stop()
	var f *os.File
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	drain := func() error {
		if f == nil {
			var err error
			if f, err = os.Open(path); errors.Is(err, fs.ErrNotExist) {
				return nil
			} else if err != nil {
				return err
			}
		}
		_, err := io.Copy(w, f)
		return err
	}
	for {
		if err := drain(); err != nil {
			return err
		}
		select {
		case <-changed:
		case <-done:
			return drain()
		case <-ctx.Done():
			return nil
		}
	}
}

// watchDir reports changes to the entries of dir (creations, writes, renames) on changed,
// coalesced: one pending notice at most.
func watchDir(dir string) (changed <-chan struct{}, stop func(), err error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, nil, err
	}
	mask := uint32(unix.IN_CREATE | unix.IN_MODIFY | unix.IN_MOVED_TO | unix.IN_CLOSE_WRITE)
	if _, err := unix.InotifyAddWatch(fd, dir, mask); err != nil {
		unix.Close(fd)
		return nil, nil, err
	}
	f := os.NewFile(uintptr(fd), "inotify")
	c := make(chan struct{}, 1)
	go func() {
		buf := make([]byte, 64*(unix.SizeofInotifyEvent+unix.NAME_MAX+1))
		for {
			if _, err := f.Read(buf); err != nil {
				return // closed by stop
			}
			select {
			case c <- struct{}{}:
			default:
			}
		}
	}()
	return c, func() { f.Close() }, nil
}

// pollEvery is watchDir's stand-in without inotify.
func pollEvery(d time.Duration) (<-chan struct{}, func()) {
	c := make(chan struct{}, 1)
	t := time.NewTicker(d)
	quit := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				select {
				case c <- struct{}{}:
				default:
				}
			case <-quit:
				return
			}
		}
	}()
	return c, func() { t.Stop(); close(quit) }
}
