// Command cairn runs Cairn, a self-hosted control plane for SageMaker-style pipelines across
// many AWS-style accounts, and its tools.
//
//	cairn serve [flags]                     run the server
//	cairn watch [flags] EXECUTION           follow a pipeline execution live
//	cairn logs [flags] [-f] JOB             print (or follow) a job's log
//	cairn logs [flags] [-f] EXECUTION STEP  the log of an execution's step
//	cairn iam simulate --input FILE         evaluate a request against IAM policies
//	cairn console --profile NAME            a one-time sign-in URL of the web console
//	cairn version                           module version, commit and date
//
// Every command answers --help with its purpose, flags and an example.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/cairnhq/cairn/internal/runner/local"
)

func main() {
	// The job supervisor is the cairn binary run again with a hidden subcommand; it
	// handles its own signals.
	if len(os.Args) > 1 && os.Args[1] == local.SuperviseCommand {
		os.Exit(runJobSupervise(os.Args[2:], os.Stderr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], streams{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

// streams are where a command reads and writes.
type streams struct {
	in       io.Reader
	out, err io.Writer
}
