package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
)

// Each job has a state directory under Options.StateDir, named by stateKey(Spec.ID):
//
//	spec.json        the job as Start received it (written before the supervisor starts)
//	supervisor.json  the supervisor's pid, its start time and the boot it ran in (written by
//	                 the runner before the supervisor learns of the job)
//	stop.json        a stop request: the grace period (written by Stop before SIGTERM)
//	result.json      how the job ended (written once, by the supervisor or by Start)
//	supervisor.log   the supervisor's own diagnostics
//
// Files are replaced atomically (temporary file, rename), so a reader sees a whole record or
// none. Only result.json is made durable (fsync of the file and of the directory): the other
// records mean nothing after the machine restarts, when no supervisor survives.
const (
	specFile       = "spec.json"
	supervisorFile = "supervisor.json"
	stopFile       = "stop.json"
	resultFile     = "result.json"
	supervisorLog  = "supervisor.log"
)

// maxIDLen bounds Spec.ID so its state directory name stays under the 255-byte limit.
const maxIDLen = 200

// stateKey maps an ID to one file-name-safe path element: bytes outside [A-Za-z0-9._-] and a
// leading dot become %XX, so distinct IDs get distinct keys.
func stateKey(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		safe := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' && i > 0
		if safe {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// idOfKey reverses stateKey; ok is false for a name stateKey cannot produce.
func idOfKey(key string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		if key[i] != '%' {
			b.WriteByte(key[i])
			continue
		}
		if i+2 >= len(key) {
			return "", false
		}
		n, err := strconv.ParseUint(key[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(n))
		i += 2
	}
	id := b.String()
	return id, stateKey(id) == key
}

// specRecord is spec.json.
type specRecord struct {
	ID         string        `json:"id"`
	Dir        string        `json:"dir"`
	Command    []string      `json:"command"`
	Env        []string      `json:"env"`
	WorkDir    string        `json:"work_dir"`
	MaxRuntime time.Duration `json:"max_runtime_ns"`
	LogPath    string        `json:"log_path"`
	Hide       []string      `json:"hide,omitempty"`
	KillGrace  time.Duration `json:"kill_grace_ns"`
	// Privileged says the supervisor runs as root in the host's user namespace.
	Privileged bool `json:"privileged"`
}

// procRecord is supervisor.json: enough to recognise the supervisor process after a restart
// even if its pid has been reused since.
type procRecord struct {
	PID        int    `json:"pid"`
	StartTicks uint64 `json:"start_ticks"` // field 22 of /proc/<pid>/stat
	BootID     string `json:"boot_id"`
}

// stopRecord is stop.json.
type stopRecord struct {
	Grace time.Duration `json:"grace_ns"`
}

// resultRecord is result.json.
type resultRecord struct {
	ExitCode  int       `json:"exit_code"`
	Signal    string    `json:"signal,omitempty"`
	Stopped   bool      `json:"stopped,omitempty"`
	TimedOut  bool      `json:"timed_out,omitempty"`
	StartedAt time.Time `json:"started_at"`
	EndedAt   time.Time `json:"ended_at"`
	Err       string    `json:"err,omitempty"`
}

func (r resultRecord) result() runner.Result {
	return runner.Result{
		ExitCode: r.ExitCode, Signal: r.Signal, Stopped: r.Stopped, TimedOut: r.TimedOut,
		StartedAt: r.StartedAt, EndedAt: r.EndedAt, Err: r.Err,
	}
}

// writeFileAtomic replaces dir/name with data: a reader sees the old content or the new,
// never a part. With durable, the new content survives a crash of the machine once this
// returns.
func writeFileAtomic(root *os.Root, name string, data []byte, durable bool) error {
	tmp := fmt.Sprintf(".%s.%d.tmp", name, os.Getpid())
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && durable {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, err)
	}
	if !durable {
		return nil
	}
	d, err := root.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// writeJSON writes v to dir/name with writeFileAtomic; only result.json is durable.
func writeJSON(root *os.Root, name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeFileAtomic(root, name, append(data, '\n'), name == resultFile)
}

// readJSON reads dir/name into v; a missing file gives an error satisfying
// errors.Is(err, os.ErrNotExist).
func readJSON(root *os.Root, name string, v any) error {
	data, err := root.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// tail returns the last max bytes of dir/name, trimmed, or "".
func tail(root *os.Root, name string, max int) string {
	data, err := root.ReadFile(name)
	if err != nil {
		return ""
	}
	if len(data) > max {
		data = data[len(data)-max:]
	}
	return string(bytes.TrimSpace(data))
}

// procStartTicks returns the start time of process pid in clock ticks since boot, read from
// procDir (normally /proc).
func procStartTicks(procDir string, pid int) (uint64, error) {
	data, err := os.ReadFile(filepath.Join(procDir, strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, err
	}
	return parseStartTicks(data)
}

// parseStartTicks reads field 22 (starttime) of a /proc/<pid>/stat line. The command name in
// field 2 may hold spaces and parentheses, so fields are counted after its last ')'.
func parseStartTicks(stat []byte) (uint64, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("malformed /proc stat")
	}
	fields := strings.Fields(string(stat[i+1:]))
	// fields[0] is field 3 (state); starttime is field 22.
	if len(fields) < 20 {
		return 0, errors.New("malformed /proc stat")
	}
	return strconv.ParseUint(fields[19], 10, 64)
}

// bootID identifies the running boot of the kernel; a pid recorded under another boot names
// no process of this one.
func bootID() string {
	data, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

// recordOf describes process pid (as this process's /proc numbers it) for a later Attach.
func recordOf(pid int) (procRecord, error) {
	ticks, err := procStartTicks("/proc", pid)
	if err != nil {
		return procRecord{}, err
	}
	return procRecord{PID: pid, StartTicks: ticks, BootID: bootID()}, nil
}
