package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/client"
	"golang.org/x/sys/unix"
)

// Exit codes of cairn watch, after the execution's outcome.
const (
	exitSucceeded = 0
	exitFailed    = 1
	exitUsage     = 2
	exitStopped   = 3
	exitError     = 4 // Cairn could not be asked, or refused
)

func watchCommand() *command {
	return &command{
		name:    "watch",
		summary: "follow a pipeline execution live: its steps, their status, attempts, durations and failures",
		usage:   "watch [flags] EXECUTION",
		details: `EXECUTION is an execution's ARN, a pipeline's name (its most recent execution), or
"latest" (the most recent execution of any of the profile's pipelines).

The view updates when the execution changes: Cairn tells the command when to read again
(a long poll), so nothing polls. On a terminal the view is redrawn in place; otherwise
(or with --plain) it prints one line per change. It exits when the execution ends:
0 Succeeded, 1 Failed, 3 Stopped; 2 on bad usage, 4 when Cairn cannot be asked.

` + clientDetails,
		example: `cairn watch latest
cairn watch --profile data-science demo
cairn watch arn:aws:sagemaker:us-east-1:111111111111:pipeline/demo/execution/0a1b2c3d4e5f | tee run.log`,
		run: runWatch,
	}
}

func runWatch(ctx context.Context, c *command, args []string, s streams) int {
	fs := c.flags()
	var cf clientFlags
	cf.register(fs)
	plain := fs.Bool("plain", false, "print one line per change, even on a terminal")
	pos, code, done := c.parse(fs, args, s)
	if done {
		return code
	}
	if len(pos) != 1 {
		return c.usageError(s, "name one execution: an execution ARN, a pipeline name or \"latest\"")
	}
	cl, p, err := cf.client(fs)
	if err != nil {
		fmt.Fprintf(s.err, "cairn watch: %v\n", err)
		return exitError
	}
	arn, err := resolveExecution(ctx, cl, pos[0])
	if err != nil {
		fmt.Fprintf(s.err, "cairn watch: %v (profile %s)\n", err, p.Name)
		return exitError
	}
	w := &watcher{client: cl, arn: arn, out: s.out, errOut: s.err, terminal: !*plain && isTerminal(s.out),
		jobNames: map[string]string{}, now: time.Now}
	return w.run(ctx)
}

// resolveExecution turns what the user named into an execution ARN.
func resolveExecution(ctx context.Context, cl *client.Client, target string) (string, error) {
	if strings.HasPrefix(target, "arn:") {
		return target, nil
	}
	pipelines := []string{target}
	if target == "latest" {
		var err error
		if pipelines, err = cl.Pipelines(ctx); err != nil {
			return "", err
		}
		if len(pipelines) == 0 {
			return "", errors.New("no pipelines, so no latest execution")
		}
	}
	var latest *client.ExecutionSummary
	for _, name := range pipelines {
		e, err := cl.LatestExecution(ctx, name)
		if err != nil {
			return "", err
		}
		if e != nil && (latest == nil || e.StartTime.After(latest.StartTime.Time)) {
			latest = e
		}
	}
	if latest == nil {
		if target == "latest" {
			return "", errors.New("no pipeline has an execution yet")
		}
		return "", fmt.Errorf("pipeline %s has no execution yet", target)
	}
	return latest.PipelineExecutionArn, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// watcher follows one execution.
type watcher struct {
	client   *client.Client
	arn      string
	out      io.Writer
	errOut   io.Writer
	terminal bool
	now      func() time.Time

	names    []string          // the definition's steps, in order
	jobNames map[string]string // job ARN → the job's name as created
	state    *execState        // what was last shown
	drawn    int               // lines of the terminal view last drawn
}

// How long a watch waits for a change before it redraws (a terminal's durations tick)
// or asks again, and how long it keeps trying a Cairn it lost (restarting).
const (
	terminalTick = time.Second
	plainWait    = 20 * time.Second
	reconnectFor = time.Minute
)

func (w *watcher) run(ctx context.Context) int {
	var seq uint64
	var lostSince time.Time
	for {
		wait := plainWait
		if w.terminal {
			wait = terminalTick
		}
		if w.state == nil {
			wait = 0
		}
		next, changed, err := w.client.ExecutionChanges(ctx, w.arn, seq, wait)
		if err == nil && (changed || w.state == nil) {
			err = w.read(ctx)
		}
		switch {
		case ctx.Err() != nil:
			return exitError
		case err != nil && !isAPIError(err) && (lostSince.IsZero() || w.now().Sub(lostSince) < reconnectFor):
			// Cairn went away (a restart): ask again shortly; nothing is lost.
			seq = 0 // a restarted Cairn counts changes afresh
			if lostSince.IsZero() {
				lostSince = w.now()
				fmt.Fprintf(w.errOut, "cairn watch: %v; trying again for %s\n", err, reconnectFor)
			}
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
				return exitError
			}
			continue
		case err != nil:
			fmt.Fprintf(w.errOut, "cairn watch: %v\n", err)
			return exitError
		}
		lostSince = time.Time{}
		seq = next
		if w.terminal {
			w.draw()
		}
		if st := w.state; st != nil && !executionRunning(st.exec.PipelineExecutionStatus) {
			return outcomeCode(st.exec.PipelineExecutionStatus)
		}
	}
}

func isAPIError(err error) bool {
	var ae *client.APIError
	return errors.As(err, &ae)
}

func executionRunning(status string) bool { return status == "Executing" || status == "Stopping" }

func outcomeCode(status string) int {
	switch status {
	case "Succeeded":
		return exitSucceeded
	case "Stopped":
		return exitStopped
	}
	return exitFailed
}

// execState is what one read of the execution found.
type execState struct {
	exec  *client.Execution
	steps map[string]client.Step
	order []string // the listed steps, in the order they started
}

// read reads the execution and its steps, and reports what changed since the last read
// (in plain mode).
func (w *watcher) read(ctx context.Context) error {
	exec, err := w.client.DescribePipelineExecution(ctx, w.arn)
	if err != nil {
		return err
	}
	if w.names == nil {
		if w.names, err = w.client.StepNames(ctx, w.arn); err != nil {
			return err
		}
	}
	list, err := w.client.ListPipelineExecutionSteps(ctx, w.arn)
	if err != nil {
		return err
	}
	st := &execState{exec: exec, steps: map[string]client.Step{}}
	for _, step := range list {
		st.steps[step.StepName] = step
		st.order = append(st.order, step.StepName)
		if arn := step.Metadata.JobARN(); arn != "" && w.jobNames[arn] == "" {
			w.describeJob(ctx, arn)
		}
	}
	prev := w.state
	w.state = st
	if !w.terminal {
		w.printChanges(prev, st)
	}
	return nil
}

// describeJob learns the name a job was created with (its ARN has it lowercased); a job
// not created yet is described at a later read.
func (w *watcher) describeJob(ctx context.Context, jobARN string) {
	kind, name := splitJobARN(jobARN)
	if job, err := w.client.DescribeJob(ctx, kind, name); err == nil && job.Name != "" {
		w.jobNames[jobARN] = job.Name
	}
}

// jobName is the name of the job jobARN as created, or as its ARN has it until it is
// known; "" for no job.
func (w *watcher) jobName(jobARN string) string {
	if name := w.jobNames[jobARN]; name != "" || jobARN == "" {
		return name
	}
	_, name := splitJobARN(jobARN)
	return name
}

// splitJobARN returns the kind and name of a job ARN.
func splitJobARN(jobARN string) (client.JobKind, string) {
	resource := jobARN[strings.LastIndexByte(jobARN, ':')+1:]
	kind, name, _ := strings.Cut(resource, "/")
	return client.JobKind(kind), name
}
