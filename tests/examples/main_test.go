// Package examples runs the projects under examples/ the way their READMEs tell a user to,
// against a real Cairn, so that they never rot: the AWS CLI commands of each README (from
// its run.sh), and the SageMaker Python SDK programs where the SDK is installed. Tests skip,
// saying why, where a tool they need is missing.
package examples

import (
	"os"
	"testing"

	"github.com/cairnhq/cairn/internal/runner/local"
)

// TestMain lets the test binary stand in for the cairn binary as a job's supervisor.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == local.SuperviseCommand {
		os.Exit(local.Supervise(os.Args[2:], os.Stderr))
	}
	os.Exit(m.Run())
}
