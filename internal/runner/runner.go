// Package runner says where SageMaker-style jobs run. A caller (the SageMaker service, the
// pipeline engine) prepares a job directory laid out as SageMaker's /opt/ml, hands it to a
// Runner with the command to run, and collects a Result when the job ends. Staging inputs in
// and uploading outputs is the caller's work, before Start and after Done.
//
// Implementations: runner/local runs each job as a host process that sees the job directory at
// /opt/ml; Kubernetes and Docker runners can implement the same interfaces.
package runner

import (
	"context"
	"errors"
	"time"
)

var (
	// ErrExists is returned by Start for an ID that was started before: no job ever runs twice.
	ErrExists = errors.New("runner: job already exists")
	// ErrNotFound is returned by Attach for an ID that was never started.
	ErrNotFound = errors.New("runner: no such job")
	// ErrInvalid is returned by Start for a Spec that cannot describe a job.
	ErrInvalid = errors.New("runner: invalid job spec")
)

// Spec describes one job to run.
type Spec struct {
	// ID is unique and stable across restarts, e.g.
	// "111111111111/processing-job/pipelines-abc-prep-x1y2z3" (see JobID).
	ID string
	// Dir is a host directory prepared by the caller; the job sees it at /opt/ml. It holds
	// processing/, config/, input/, model/, output/, code/ as the job kind needs.
	Dir string
	// Command is the argv inside the sandbox, e.g.
	// ["python3", "/opt/ml/processing/input/code/preprocess.py", "--x", "1"]. A name without a
	// slash is looked up in the PATH of Env.
	Command []string
	// Env is the whole environment of the job, as KEY=VALUE. Implementations document what
	// they add.
	Env []string
	// WorkDir is the working directory inside the sandbox; "" means /opt/ml.
	WorkDir string
	// MaxRuntime bounds the job's run time; 0 means no bound. When exceeded the job is stopped
	// and Result.TimedOut is set.
	MaxRuntime time.Duration
	// LogPath is the host file that receives the job's stdout and stderr (appended).
	LogPath string
	// Hide lists host directories the job must not read (for example the server's data dir):
	// inside the sandbox each is covered by an empty read-only directory. Dir and LogPath stay
	// reachable even when they lie under one of them.
	Hide []string
}

// Result is how a job ended.
type Result struct {
	// ExitCode is the job's exit status; when a signal ended it, 128 plus the signal number.
	ExitCode int
	// Signal names the signal that ended the job ("SIGKILL"), or is empty.
	Signal string
	// Stopped is set when the job ended because Stop asked it to.
	Stopped bool
	// TimedOut is set when the job ended because it exceeded MaxRuntime.
	TimedOut bool
	// StartedAt is when the job's process started; EndedAt when the job ended.
	StartedAt, EndedAt time.Time
	// Err says why the job could not be started or watched ("" when it ran). A Result with
	// Err set is a failure whatever ExitCode says.
	Err string
}

// Succeeded reports whether the job ran and exited with status 0 on its own.
func (r Result) Succeeded() bool {
	return r.Err == "" && r.ExitCode == 0 && r.Signal == "" && !r.Stopped && !r.TimedOut
}

// Runner starts jobs and finds them again.
type Runner interface {
	// Start launches the job; it returns once the process has started (or failed to). A job
	// that could not start is returned already done, with Result.Err saying why; the error
	// is for a Spec that was refused (ErrInvalid, ErrExists) or a runner that cannot record
	// the job at all.
	Start(ctx context.Context, spec Spec) (Job, error)
	// Attach re-attaches to a job started earlier, possibly by a previous server process that
	// has since exited or crashed. A job that finished meanwhile reports its Result. An ID
	// never started gives ErrNotFound.
	Attach(ctx context.Context, id string) (Job, error)
}

// Job is a started job.
type Job interface {
	// ID is the Spec.ID the job was started with.
	ID() string
	// Done is closed when the job has ended; then Result is final.
	Done() <-chan struct{}
	// Result is how the job ended; before Done is closed it is the zero Result.
	Result() Result
	// Stop asks the job to end: SIGTERM to its process group, SIGKILL after grace (0 means
	// the runner's default). It returns once the request is delivered; wait on Done for the
	// end. Stopping a job that has ended does nothing.
	Stop(ctx context.Context, grace time.Duration) error
}
