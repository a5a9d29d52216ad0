// Command cairn runs Cairn, a self-hosted control plane for SageMaker-style pipelines across
// many AWS-style accounts, and its tools.
//
//	cairn serve [--listen ADDR] [--data-dir DIR] [--region REGION] [--config FILE] [--log-format text|json]
//	cairn logs [--data-dir DIR] [--account ID] [-f] JOB-NAME
//	cairn iam simulate --input FILE
//	cairn version
//
// The hidden `cairn __job-supervise` (a job's supervisor, which the binary runs of itself) is
// dispatched by internal/runner/local before main runs.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: cairn <command> [flags]

commands:
  serve          run the Cairn server
  logs           print (or follow, -f) the log of a job
  iam simulate   evaluate one request against a set of IAM policies
  version        print the version
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return runServe(args[1:], stderr)
	case "logs":
		return runLogs(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "cairn %s\n", version)
		return 0
	case "iam":
		if len(args) > 1 && args[1] == "simulate" {
			return runIAMSimulate(args[2:], stdout, stderr)
		}
		fmt.Fprint(stderr, "usage: cairn iam simulate --input FILE\n")
		return 2
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "cairn: unknown command %q\n%s", args[0], usage)
	return 2
}
