package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// hostNeeds is appended to every error that comes from the host lacking namespace support.
const hostNeeds = "the host needs Linux 5.3 or later and either root or unprivileged user namespaces " +
	"(sysctl kernel.unprivileged_userns_clone=1 where that setting exists, user.max_user_namespaces > 0, " +
	"and kernel.apparmor_restrict_unprivileged_userns=0 where AppArmor restricts them); see docs/runner.md"

// optML is where the job sees its directory.
const optML = "/opt/ml"

// sandboxError marks a failure to build the sandbox, as opposed to a failure of the job.
type sandboxError struct{ err error }

func (e *sandboxError) Error() string {
	return fmt.Sprintf("cannot build the job's /opt/ml sandbox: %v; %s", e.err, hostNeeds)
}

func (e *sandboxError) Unwrap() error { return e.err }

// setupSandbox builds the job's view of the file system. It runs in the supervisor, which
// was started in a mount namespace of its own (and a user namespace when not root): nothing
// mounted here is visible to the host. The host's file system stays as it is, except that
// dir appears at /opt/ml, each of hide is covered by an empty read-only directory, and /proc
// shows only the job's PID namespace.
//
// privileged says the supervisor is root in the host's user namespace; only then may it
// create /opt/ml on the host when it is missing.
//
// ownProc reports whether the sandbox got a /proc of its own PID namespace.
func setupSandbox(dir string, hide []string, privileged bool, logf func(format string, args ...any)) (ownProc bool, err error) {
	// Nothing mounted from here on propagates back to the host.
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return false, &sandboxError{fmt.Errorf("make mounts private: %w", err)}
	}
	dirFD, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false, fmt.Errorf("job directory %s: %w", dir, err)
	}
	defer unix.Close(dirFD)
	if err := prepareMountPoint(privileged); err != nil {
		return false, err
	}
	if err := unix.Mount(fdPath(dirFD, ""), optML, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return false, &sandboxError{fmt.Errorf("bind %s on %s: %w", dir, optML, err)}
	}
	for _, h := range hide {
		if err := hidePath(h); err != nil {
			return false, &sandboxError{err}
		}
	}
	// A /proc of the job's own PID namespace: the job cannot list the host's processes. If
	// the kernel refuses (a /proc partly masked by a container runtime), the job keeps the
	// host's /proc; it still cannot signal processes outside its PID namespace.
	if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		logf("cannot mount a private /proc (the job sees the host's): %v", err)
		return false, nil
	}
	return true, nil
}

// prepareMountPoint makes /opt/ml exist as a directory in the sandbox's view, changing the
// host as little as it can: an existing /opt/ml is used as it is; else /opt is overlaid in
// the sandbox only (see overlayOpt); only a host without /opt at all gets /opt/ml created,
// and only by root.
func prepareMountPoint(privileged bool) error {
	fi, err := os.Lstat(optML)
	switch {
	case err == nil && fi.IsDir():
		return nil
	case err == nil:
		return fmt.Errorf("%s on the host is not a directory", optML)
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s: %w", optML, err)
	}
	if _, err := os.Stat("/opt"); err == nil {
		return overlayOpt()
	}
	if !privileged {
		return fmt.Errorf("the host has no /opt and only root can create it; create %s once (mkdir -p %s as root) or run Cairn as root", optML, optML)
	}
	if err := os.MkdirAll(optML, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", optML, err)
	}
	return nil
}

// overlayOpt replaces /opt, in the sandbox only, by a tmpfs that holds the original entries of
// /opt (each bound back from the host) and an empty ml/.
func overlayOpt() error {
	optFD, err := unix.Open("/opt", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open /opt: %w", err)
	}
	defer unix.Close(optFD)
	entries, err := os.ReadDir("/opt")
	if err != nil {
		return fmt.Errorf("read /opt: %w", err)
	}
	if err := unix.Mount("tmpfs", "/opt", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
		return &sandboxError{fmt.Errorf("mount a tmpfs on /opt: %w", err)}
	}
	for _, e := range entries {
		name := e.Name()
		src, dst := fdPath(optFD, name), filepath.Join("/opt", name)
		switch {
		case e.Type()&os.ModeSymlink != 0:
			target, err := os.Readlink(src)
			if err != nil {
				return fmt.Errorf("read link /opt/%s: %w", name, err)
			}
			if err := os.Symlink(target, dst); err != nil {
				return fmt.Errorf("recreate link /opt/%s: %w", name, err)
			}
			continue
		case e.IsDir():
			err = os.Mkdir(dst, 0o755)
		default:
			var f *os.File
			if f, err = os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
				f.Close()
			}
		}
		if err != nil {
			return fmt.Errorf("mount point for /opt/%s: %w", name, err)
		}
		if err := unix.Mount(src, dst, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return &sandboxError{fmt.Errorf("bind /opt/%s back: %w", name, err)}
		}
	}
	if err := os.Mkdir(optML, 0o755); err != nil {
		return fmt.Errorf("create %s in the sandbox: %w", optML, err)
	}
	return nil
}

// hidePath covers the host directory p with an empty read-only tmpfs. A missing path or one
// that is not a directory is left alone.
func hidePath(p string) error {
	fi, err := os.Stat(p)
	if err != nil || !fi.IsDir() {
		return nil
	}
	flags := uintptr(unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
	if err := unix.Mount("tmpfs", p, "tmpfs", flags, "mode=0555,size=4k"); err != nil {
		return fmt.Errorf("hide %s: %w", p, err)
	}
	return nil
}

// fdPath names the file opened as fd (or the entry name under it) through /proc/self/fd, a
// path that still reaches it once its own path has been covered by a mount.
func fdPath(fd int, name string) string {
	p := fmt.Sprintf("/proc/self/fd/%d", fd)
	if name != "" {
		p += "/" + name
	}
	return p
}

// jobSysProcAttr puts the job in a user and mount namespace nested in the supervisor's. The
// job is root there (SageMaker containers run as root) but holds no privilege over the
// sandbox's mounts: mounts made by the supervisor become locked in the nested namespace, so
// the job cannot unmount /opt/ml or the hidden directories to look underneath.
//
// Without a /proc of its own PID namespace the nested user namespace cannot be set up (its id
// maps are written through /proc/<pid>); the job then gets a plain process group.
func jobSysProcAttr(privileged, ownProc bool) *syscall.SysProcAttr {
	if !ownProc {
		return &syscall.SysProcAttr{Setpgid: true}
	}
	// Every id the supervisor has is mapped to itself: all of them when it is root on the host,
	// only root (standing for the user running Cairn) otherwise.
	size := 1
	if privileged {
		size = 1<<32 - 1
	}
	return &syscall.SysProcAttr{
		Setpgid:                    true,
		Cloneflags:                 unix.CLONE_NEWUSER | unix.CLONE_NEWNS,
		UidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: size}},
		GidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: size}},
		GidMappingsEnableSetgroups: privileged,
	}
}
