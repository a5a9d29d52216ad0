package e2e

import (
	"os"
	"testing"

	"github.com/cairnhq/cairn/internal/runner/local"
)

// TestMain lets the test binary stand in for the cairn binary as a job's supervisor: the
// servers these tests start run their jobs through it.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == local.SuperviseCommand {
		os.Exit(local.Supervise(os.Args[2:], os.Stderr))
	}
	os.Exit(m.Run())
}
