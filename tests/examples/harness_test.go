package examples

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/runner/local"
	"github.com/cairnhq/cairn/internal/server"
)

// repoRoot is the repository, two levels up from this package.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// startServer runs Cairn on a random loopback port, with the accounts of config (YAML,
// may be empty), until the test ends.
func startServer(t testing.TB, config string) *server.Server {
	t.Helper()
	opts := server.Options{Listen: "127.0.0.1:0", DataDir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if config != "" {
		opts.ConfigFile = filepath.Join(t.TempDir(), "cairn.yaml")
		if err := os.WriteFile(opts.ConfigFile, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := server.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		srv.Shutdown(context.Background())
		<-done
	})
	return srv
}

var (
	cairnOnce sync.Once
	cairnBin  string
	cairnErr  error
)

// cairnBinary builds the cairn command once for the package's tests and returns the
// directory that holds it, to put on PATH as a user does after go build.
func cairnBinary(t testing.TB) string {
	t.Helper()
	cairnOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cairn-examples-bin-")
		if err != nil {
			cairnErr = err
			return
		}
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		cmd := exec.Command(goTool, "build", "-o", filepath.Join(dir, "cairn"), "./cmd/cairn")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			cairnErr = &buildError{out: string(out), err: err}
			return
		}
		cairnBin = dir
	})
	if cairnErr != nil {
		t.Fatalf("build cairn: %v", cairnErr)
	}
	return cairnBin
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

// requireAWSCLI skips the test unless the AWS CLI on PATH reads endpoint_url from the
// profile (v1 from 1.29, v2 from 2.13): an older one would send Cairn's keys to AWS.
func requireAWSCLI(t testing.TB) {
	t.Helper()
	path, err := exec.LookPath("aws")
	if err != nil {
		missing(t, "the AWS CLI (aws) is not on PATH: this test runs the example's AWS CLI commands")
	}
	out, err := exec.Command(path, "--version").CombinedOutput()
	if err != nil {
		missing(t, fmt.Sprintf("aws --version failed: %v: %s", err, out))
	}
	m := regexp.MustCompile(`aws-cli/(\d+)\.(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		missing(t, fmt.Sprintf("aws --version printed %q: not a version this test knows", out))
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major == 1 && minor < 29 || major == 2 && minor < 13 || major < 1 {
		missing(t, fmt.Sprintf("the AWS CLI %s.%s ignores endpoint_url in profiles (it needs v1 ≥ 1.29 or v2 ≥ 2.13): skipped rather than talk to AWS", m[1], m[2]))
	}
}

// missing skips the test for want of what reason says, except in CI (CI=true, as .ci/run
// is run), where the examples' AWS CLI and boto3 variants must run: there it fails.
func missing(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(reason + " (in CI, where the examples must run)")
	}
	t.Skip(reason)
}

var (
	sandboxOnce    sync.Once
	sandboxProblem string
)

// requireJobs skips the test where jobs cannot run: no python3, or no job sandbox.
func requireJobs(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		missing(t, "python3 is not on PATH: the example's jobs run Python scripts")
	}
	sandboxOnce.Do(func() { sandboxProblem = local.Probe() })
	if sandboxProblem != "" {
		missing(t, "the job sandbox is not available on this host: "+sandboxProblem)
	}
}

// copyDir copies the example at examples/<name> into a fresh directory, so that what it
// writes stays out of the repository.
func copyDir(t testing.TB, name string) string {
	t.Helper()
	src := filepath.Join(repoRoot(t), "examples", name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == "build" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// clientEnv is the environment a user's shell has after README's exports: the profile
// files of srv, cairn on PATH, nothing of the user's own AWS setup.
func clientEnv(t testing.TB, srv *server.Server, extra ...string) []string {
	t.Helper()
	home := t.TempDir() // no ~/.aws of the machine's
	dir := srv.DataDir()
	env := []string{
		"PATH=" + cairnBinary(t) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
		"LANG=C.UTF-8",
	}
	for _, k := range []string{"TMPDIR", "PYENV_ROOT", "PYENV_VERSION"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return append(env, extra...)
}

// runScript runs a shell script with env, in dir, and returns what it printed; the test
// fails with the output if it fails.
func runScript(t testing.TB, dir string, env []string, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out.String())
	}
	return out.String()
}

// commandsOf returns the command lines of a script: what is not a comment, a blank line
// or the script's own set-up (set, cd to its directory).
func commandsOf(t testing.TB, script string) []string {
	t.Helper()
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(script))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "set -") || strings.HasPrefix(line, `cd "$(dirname`) {
			continue
		}
		lines = append(lines, line)
	}
	return lines
}
