package e2e

import (
	"sync"
	"testing"

	"github.com/cairnhq/cairn/internal/runner/local"
)

var (
	sandboxOnce    sync.Once
	sandboxProblem string
)

// requireSandbox skips a test that runs jobs on a host where the local runner's sandbox
// cannot be built (not root, and unprivileged user namespaces disabled): docs/runner.md
// says what the host needs.
func requireSandbox(t testing.TB) {
	t.Helper()
	sandboxOnce.Do(func() { sandboxProblem = local.Probe() })
	if sandboxProblem != "" {
		t.Skip("the job sandbox is not available on this host: " + sandboxProblem)
	}
}
