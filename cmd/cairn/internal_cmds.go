package main

import (
	"io"

	"github.com/cairnhq/cairn/internal/runner/local"
)

// Hidden subcommands: the cairn binary re-executes itself with these; people never type them.
//
//	cairn __job-supervise -notify-fd N -assign-fd M   one job's supervisor (internal/runner/local)

// runJobSupervise runs the supervisor of one job started by the local runner.
func runJobSupervise(args []string, stderr io.Writer) int {
	return local.Supervise(args, stderr)
}
