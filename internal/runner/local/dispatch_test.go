package local_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/runner/local"
)

// dispatchProbe is set in the environment of the probe, so that a binary that runs its tests
// instead of supervising does not probe again.
const dispatchProbe = "CAIRN_TEST_DISPATCH_PROBE"

// TestSuperviseDispatchedBeforeMain runs this test binary, whose TestMain knows nothing of
// SuperviseCommand, as a supervisor: the runner's package must take the command before the
// tests run. Outside a PID namespace of its own the supervisor refuses (status 2) — and no
// test runs.
func TestSuperviseDispatchedBeforeMain(t *testing.T) {
	if os.Getenv(dispatchProbe) != "" {
		t.Skip("running as the probe of a failed dispatch")
	}
	cmd := exec.Command(mustExecutable(), local.SuperviseCommand, "-notify-fd=1", "-assign-fd=0")
	cmd.Env = append(os.Environ(), dispatchProbe+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("supervisor outside a PID namespace: %v, want exit status 2; output:\n%s", err, &out)
	}
	if got := out.String(); strings.Contains(got, "PASS") || !strings.Contains(got, "not the init process") {
		t.Fatalf("the test binary ran as itself instead of as the supervisor:\n%s", got)
	}
}
