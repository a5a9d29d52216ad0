package main

import (
	"os"
	"testing"

	"github.com/cairnhq/cairn/internal/runner/local"
)

// TestMain lets the test binary stand in for the cairn binary as a job supervisor, as main
// does for the real one.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == local.SuperviseCommand {
		os.Exit(runJobSupervise(os.Args[2:], os.Stderr))
	}
	os.Exit(m.Run())
}
