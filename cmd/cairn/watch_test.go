package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/client"
)

// cairn watch follows a running execution from its start to its end, printing a line per
// change, and exits 0 when it succeeds; by pipeline name or "latest" it finds the
// execution.
func TestWatchSucceeded(t *testing.T) {
	s := startServer(t)
	role := s.role(t)
	arn := s.startPipeline(t, role, "demo",
		processingStep("Prep", role, "echo preparing; sleep 1"),
		processingStep("Train", role, "echo training", "Prep"))
	code, out, errOut := cairn(t, "watch", "--data-dir", s.dir, "--profile", "data-science", arn)
	if done := s.waitExecution(t, arn); code != 0 {
		t.Fatalf("exit %d (execution %s), stderr %s, output:\n%s", code, done.PipelineExecutionStatus, errOut, out)
	}
	for _, want := range []string{
		"execution " + arn + " of pipeline demo: Executing",
		`Prep +(Starting|Executing) +attempt 1 +job pipelines-[a-z0-9]+-Prep-`,
		`Prep +Succeeded +after [0-9.]+s`,
		`Train +Succeeded`,
		`execution Succeeded after [0-9.]+s: 2 of 2 steps succeeded`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Each change is told once.
	if n := len(regexp.MustCompile(`Prep +Succeeded`).FindAllString(out, -1)); n != 1 {
		t.Errorf("Prep's success told %d times:\n%s", n, out)
	}
	for _, target := range []string{"demo", "latest"} {
		code, out, errOut := cairn(t, "watch", "--data-dir", s.dir, "--profile", "data-science", target)
		if code != 0 || !strings.Contains(out, arn) || !strings.Contains(out, "execution Succeeded") {
			t.Errorf("watch %s: exit %d, stderr %s, output:\n%s", target, code, errOut, out)
		}
	}
}

// An execution that fails ends the watch with exit code 1, the step's failure and the
// summary.
func TestWatchFailed(t *testing.T) {
	s := startServer(t)
	role := s.role(t)
	arn := s.startPipeline(t, role, "broken",
		processingStep("Prep", role, "echo ok"),
		processingStep("Broken", role, "echo failing; exit 3", "Prep"),
		processingStep("Never", role, "echo never", "Broken"))
	code, out, errOut := cairn(t, "watch", "--data-dir", s.dir, "--profile", "data-science", arn)
	s.waitExecution(t, arn)
	if code != exitFailed {
		t.Fatalf("exit %d, stderr %s, output:\n%s", code, errOut, out)
	}
	for _, want := range []string{
		`Broken +Failed +after [0-9.]+s  AlgorithmError: the job's process exited with status 3`,
		`execution Failed after [0-9.]+s: 1 of 3 steps succeeded, 1 failed, 1 not run: Step Broken failed`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// What cannot be watched says why, with exit code 4 (2 for bad usage).
func TestWatchErrors(t *testing.T) {
	s := startServer(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"missing"}, exitError, "Pipeline 'arn:aws:sagemaker:us-east-1:111111111111:pipeline/missing' does not exist"},
		{[]string{"latest"}, exitError, "no pipelines"},
		{[]string{"not-an-arn:x"}, exitError, "ValidationException"},
		{[]string{"arn:aws:sagemaker:us-east-1:111111111111:pipeline/x"}, exitError, "ValidationException"},
		{[]string{"--profile", "nobody", "latest"}, exitError, `no profile "nobody"`},
		{[]string{}, exitUsage, "name one execution"},
		{[]string{"a", "b"}, exitUsage, "name one execution"},
	} {
		args := append([]string{"watch", "--data-dir", s.dir, "--profile", "data-science"}, tc.args...)
		code, _, errOut := cairn(t, args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("watch %v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

// On a terminal the view is a table of every step of the definition, redrawn in place.
func TestWatchTerminalView(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var out strings.Builder
	w := &watcher{out: &out, terminal: true, names: []string{"Prep", "Train", "Evaluate"},
		jobNames: map[string]string{"arn:aws:sagemaker:us-east-1:111111111111:processing-job/pipelines-x-prep-abc": "pipelines-x-Prep-AbC"},
		now:      func() time.Time { return start.Add(75 * time.Second) }}
	w.state = &execState{
		exec: &client.Execution{PipelineArn: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/demo", PipelineExecutionArn: "arn:x",
			PipelineExecutionStatus: "Executing", CreationTime: client.Time{Time: start}},
		steps: map[string]client.Step{
			"Prep": {StepName: "Prep", StepStatus: "Succeeded", AttemptCount: 1, StartTime: client.Time{Time: start},
				EndTime:  client.Time{Time: start.Add(4200 * time.Millisecond)},
				Metadata: client.StepMetadata{ProcessingJob: &struct{ Arn string }{"arn:aws:sagemaker:us-east-1:111111111111:processing-job/pipelines-x-prep-abc"}}},
			"Train": {StepName: "Train", StepStatus: "Executing", AttemptCount: 2, StartTime: client.Time{Time: start.Add(5 * time.Second)}},
		},
		order: []string{"Prep", "Train"},
	}
	w.draw()
	first := out.String()
	for _, want := range []string{
		"Pipeline   demo\n",
		"Status     Executing · 1m15s\n",
		"Progress   1 of 3 steps succeeded, 1 executing, 1 not started\n",
		"Prep      Succeeded  1        4.2s      pipelines-x-Prep-AbC\n",
		"Train     Executing  2        1m10s     \n",
		"Evaluate  ·\n",
		"A step's log: cairn logs arn:x STEP\n",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("view lacks %q:\n%s", want, first)
		}
	}
	w.draw()
	lines := strings.Count(first, "\n")
	if again := out.String()[len(first):]; !strings.HasPrefix(again, "\x1b["+strconv.Itoa(lines)+"A\x1b[J") {
		t.Errorf("the second view does not start by going back %d lines: %q", lines, again[:min(len(again), 20)])
	}
}
