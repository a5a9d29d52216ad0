package local

import "os"

// The supervisor of a job is this package's own entry point, and it is reached before the
// program's main runs: every program that links the runner — cairn, a test binary, a
// benchmark serving Cairn in process — re-executes itself (os.Executable, see
// DefaultSupervisor) with SuperviseCommand as its first argument, and is the supervisor.
//
// An init function is the one place that runs in every such program whatever its main does.
// Leaving the dispatch to each main has failed already: a program that forgot it ran its whole
// self again as each "supervisor" (bench/loadgen re-ran its load in a chain of processes). The
// runner's packages are initialized before any package that imports them, so by the time this
// runs, everything Supervise needs is ready; it never returns to the program.
func init() {
	if len(os.Args) > 1 && os.Args[1] == SuperviseCommand {
		os.Exit(Supervise(os.Args[2:], os.Stderr))
	}
}
