package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/client"
)

// How cairn watch shows an execution: a table redrawn in place on a terminal, one line per
// change otherwise.

// printChanges prints a line for each change from prev to cur (prev nil: the first read).
func (w *watcher) printChanges(prev, cur *execState) {
	exec := cur.exec
	if prev == nil {
		fmt.Fprintf(w.out, "%s  execution %s of pipeline %s: %s\n", clock(exec.CreationTime.Time), exec.PipelineExecutionArn,
			pipelineName(exec.PipelineArn), exec.PipelineExecutionStatus)
	}
	for _, name := range cur.order {
		step := cur.steps[name]
		if prev != nil {
			if old, ok := prev.steps[name]; ok && old.StepStatus == step.StepStatus && old.AttemptCount == step.AttemptCount {
				continue
			}
		}
		w.printStep(step)
	}
	if prev != nil && prev.exec.PipelineExecutionStatus == exec.PipelineExecutionStatus {
		return
	}
	if executionRunning(exec.PipelineExecutionStatus) {
		if prev != nil {
			fmt.Fprintf(w.out, "%s  execution %s\n", clock(exec.LastModifiedTime.Time), exec.PipelineExecutionStatus)
		}
		return
	}
	line := fmt.Sprintf("%s  execution %s after %s: %s", clock(exec.LastModifiedTime.Time), exec.PipelineExecutionStatus,
		duration(exec.LastModifiedTime.Sub(exec.CreationTime.Time)), w.summary(cur))
	if exec.FailureReason != "" {
		line += ": " + exec.FailureReason
	}
	fmt.Fprintln(w.out, line)
}

// printStep prints a step's current status as a line.
func (w *watcher) printStep(step client.Step) {
	width := w.nameWidth()
	at := step.StartTime.Time
	line := fmt.Sprintf("%-*s  %-9s", width, step.StepName, step.StepStatus)
	switch step.StepStatus {
	case "Starting", "Executing":
		line += fmt.Sprintf("  attempt %d", max(step.AttemptCount, 1))
		if job := w.jobName(step.Metadata.JobARN()); job != "" {
			line += "  job " + job
		}
	default:
		if !step.EndTime.IsZero() {
			at = step.EndTime.Time
			line += "  after " + duration(step.EndTime.Sub(step.StartTime.Time))
		}
		if step.AttemptCount > 1 {
			line += fmt.Sprintf(" (attempt %d)", step.AttemptCount)
		}
		if step.FailureReason != "" {
			line += "  " + oneLine(step.FailureReason)
		}
	}
	if at.IsZero() {
		at = w.now()
	}
	fmt.Fprintf(w.out, "%s  %s\n", clock(at), strings.TrimRight(line, " "))
}

// summary counts the steps by how far they got: "3 of 5 steps succeeded, 1 executing, 1
// not started".
func (w *watcher) summary(st *execState) string {
	counts := map[string]int{}
	for _, step := range st.steps {
		counts[step.StepStatus]++
	}
	total := max(len(w.names), len(st.steps))
	parts := []string{fmt.Sprintf("%d of %d steps succeeded", counts["Succeeded"], total)}
	for _, status := range []string{"Failed", "Stopped", "Starting", "Executing", "Stopping"} {
		if n := counts[status]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ToLower(status)))
		}
	}
	if n := total - len(st.steps); n > 0 {
		if executionRunning(st.exec.PipelineExecutionStatus) {
			parts = append(parts, fmt.Sprintf("%d not started", n))
		} else {
			parts = append(parts, fmt.Sprintf("%d not run", n))
		}
	}
	return strings.Join(parts, ", ")
}

// nameWidth is the width of the step name column.
func (w *watcher) nameWidth() int {
	n := 4
	for _, name := range w.names {
		n = max(n, len(name))
	}
	if w.state != nil {
		for name := range w.state.steps {
			n = max(n, len(name))
		}
	}
	return n
}

// draw redraws the terminal view in place.
func (w *watcher) draw() {
	st := w.state
	if st == nil {
		return
	}
	exec := st.exec
	now := w.now()
	var b strings.Builder
	end := now
	if !executionRunning(exec.PipelineExecutionStatus) {
		end = exec.LastModifiedTime.Time
	}
	fmt.Fprintf(&b, "Pipeline   %s\n", pipelineName(exec.PipelineArn))
	fmt.Fprintf(&b, "Execution  %s\n", exec.PipelineExecutionArn)
	fmt.Fprintf(&b, "Status     %s · %s\n", exec.PipelineExecutionStatus, duration(end.Sub(exec.CreationTime.Time)))
	fmt.Fprintf(&b, "Progress   %s\n", w.summary(st))
	if exec.FailureReason != "" {
		fmt.Fprintf(&b, "Reason     %s\n", oneLine(exec.FailureReason))
	}
	width := w.nameWidth()
	fmt.Fprintf(&b, "\n%-*s  %-9s  %-7s  %-8s  %s\n", width, "STEP", "STATUS", "ATTEMPT", "DURATION", "JOB / FAILURE")
	shown := map[string]bool{}
	row := func(name string) {
		shown[name] = true
		step, ok := st.steps[name]
		if !ok {
			status := "·"
			if !executionRunning(exec.PipelineExecutionStatus) {
				status = "not run"
			}
			fmt.Fprintf(&b, "%-*s  %s\n", width, name, status)
			return
		}
		stepEnd := step.EndTime.Time
		if stepEnd.IsZero() {
			stepEnd = now
		}
		detail := w.jobName(step.Metadata.JobARN())
		if step.FailureReason != "" {
			detail = oneLine(step.FailureReason)
		}
		fmt.Fprintf(&b, "%-*s  %-9s  %-7d  %-8s  %s\n", width, name, step.StepStatus, max(step.AttemptCount, 1),
			duration(stepEnd.Sub(step.StartTime.Time)), detail)
	}
	for _, name := range w.names {
		row(name)
	}
	for _, name := range st.order {
		if !shown[name] {
			row(name)
		}
	}
	fmt.Fprintf(&b, "\nA step's log: cairn logs %s STEP\n", exec.PipelineExecutionArn)

	text := b.String()
	if w.drawn > 0 {
		fmt.Fprintf(w.out, "\x1b[%dA\x1b[J", w.drawn) // back to the top of the last view, and clear it
	}
	fmt.Fprint(w.out, text)
	w.drawn = strings.Count(text, "\n")
}

// pipelineName is the name in a pipeline ARN.
func pipelineName(pipelineARN string) string {
	return pipelineARN[strings.LastIndexByte(pipelineARN, '/')+1:]
}

// clock formats t as the local time of day.
func clock(t time.Time) string { return t.Local().Format("15:04:05") }

// duration formats d to a tenth of a second under a minute, to the second above.
func duration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// oneLine flattens a message to one line, at most 200 characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}
