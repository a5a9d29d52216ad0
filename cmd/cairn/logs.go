package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/client"
)

func logsCommand() *command {
	return &command{
		name:    "logs",
		summary: "print, or follow (-f), the log of a processing, training or transform job",
		usage:   "logs [flags] [-f] JOB\n  cairn logs [flags] [-f] EXECUTION-ARN STEP",
		details: `JOB is a job's name — in any case: list-pipeline-execution-steps shows job ARNs with the
name lowercased — or its ARN. EXECUTION-ARN STEP names the job a pipeline step ran. With
-f the log is followed until the job ends (and, for a step not started yet, until it
starts). Cairn serves the log to a principal allowed to describe the job
(sagemaker:DescribeProcessingJob, …), so the server must be running.

` + clientDetails,
		example: `cairn logs -f pipelines-0a1b2c3d4e5f-Prep-AbCdEfGhIj
cairn logs arn:aws:sagemaker:us-east-1:111111111111:processing-job/pipelines-0a1b2c3d4e5f-prep-abcdefghij
cairn logs --profile data-science -f arn:aws:sagemaker:us-east-1:111111111111:pipeline/demo/execution/0a1b2c3d4e5f Train`,
		run: runLogs,
	}
}

// followWait is how long one read of a followed log waits for more.
const followWait = 20 * time.Second

func runLogs(ctx context.Context, c *command, args []string, s streams) int {
	fs := c.flags()
	var cf clientFlags
	cf.register(fs)
	follow := fs.Bool("f", false, "follow the log until the job ends")
	fs.BoolVar(follow, "follow", false, "same as -f")
	pos, code, done := c.parse(fs, args, s)
	if done {
		return code
	}
	if len(pos) < 1 || len(pos) > 2 {
		return c.usageError(s, "name a job (its name or ARN), or an execution ARN and a step name")
	}
	cl, p, err := cf.client(fs)
	if err != nil {
		fmt.Fprintf(s.err, "cairn logs: %v\n", err)
		return 1
	}
	var jobARN string
	if len(pos) == 2 {
		jobARN, err = stepJob(ctx, cl, pos[0], pos[1], *follow)
	} else {
		jobARN, err = findJob(ctx, cl, pos[0])
	}
	fail := func(err error) int {
		fmt.Fprintf(s.err, "cairn logs: %v\n", err)
		if client.IsCode(err, "AccessDeniedException") {
			fmt.Fprintf(s.err, "(asked as profile %s)\n", p.Name)
		}
		return 1
	}
	if err != nil {
		return fail(err)
	}
	var offset int64
	for {
		wait := time.Duration(0)
		if *follow {
			wait = followWait
		}
		chunk, err := cl.JobLog(ctx, jobARN, offset, wait)
		if ctx.Err() != nil {
			return 0 // interrupted while following
		}
		if err != nil {
			return fail(err)
		}
		if _, err := s.out.Write(chunk.Data); err != nil {
			return 1
		}
		offset = chunk.Next
		ended := chunk.JobStatus == "Completed" || chunk.JobStatus == "Failed" || chunk.JobStatus == "Stopped"
		if len(chunk.Data) == 0 && (!*follow || ended) {
			return 0
		}
	}
}

// stepJob returns the ARN of the job step ran in execution execARN; with wait, it waits
// for a step not started yet.
func stepJob(ctx context.Context, cl *client.Client, execARN, step string, wait bool) (string, error) {
	if !strings.Contains(execARN, ":pipeline/") || !strings.Contains(execARN, "/execution/") {
		return "", fmt.Errorf("%q is not a pipeline execution ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>)", execARN)
	}
	var seq uint64
	for {
		next, _, err := cl.ExecutionChanges(ctx, execARN, seq, followWait)
		if err != nil {
			return "", err
		}
		seq = next
		steps, err := cl.ListPipelineExecutionSteps(ctx, execARN)
		if err != nil {
			return "", err
		}
		starting := false
		for _, st := range steps {
			if st.StepName != step && !strings.EqualFold(st.StepName, step) {
				continue
			}
			arn := st.Metadata.JobARN()
			if arn == "" {
				return "", fmt.Errorf("step %s is a %s step: it runs no job, so it has no log", st.StepName, stepKind(st.Metadata))
			}
			if st.StepStatus != "Starting" {
				return arn, nil
			}
			// A starting step names its job before creating it.
			kind, name := splitJobARN(arn)
			if _, err := cl.DescribeJob(ctx, kind, name); err == nil {
				return arn, nil
			}
			if !wait {
				return "", fmt.Errorf("step %s is starting: its job is not created yet", st.StepName)
			}
			starting = true
		}
		if starting {
			continue
		}
		names, err := cl.StepNames(ctx, execARN)
		if err != nil {
			return "", err
		}
		defined := false
		for _, n := range names {
			defined = defined || strings.EqualFold(n, step)
		}
		if !defined {
			return "", fmt.Errorf("the execution has no step named %q; its steps are %s", step, strings.Join(names, ", "))
		}
		exec, err := cl.DescribePipelineExecution(ctx, execARN)
		if err != nil {
			return "", err
		}
		if !wait || !executionRunning(exec.PipelineExecutionStatus) {
			return "", fmt.Errorf("step %s has not started (the execution is %s), so it has no log yet", step, exec.PipelineExecutionStatus)
		}
	}
}

// stepKind names the kind of a step without a job, from its metadata.
func stepKind(m client.StepMetadata) string {
	switch {
	case m.Condition != nil:
		return "Condition"
	case m.Fail != nil:
		return "Fail"
	case m.RegisterModel != nil:
		return "RegisterModel"
	case m.Model != nil:
		return "Model"
	}
	return "job-less"
}

// findJob returns the ARN of the job name names: a job ARN, or a job's name in any case.
func findJob(ctx context.Context, cl *client.Client, name string) (string, error) {
	if strings.HasPrefix(name, "arn:") {
		kind, jobName := splitJobARN(name)
		if kind != client.ProcessingJob && kind != client.TrainingJob && kind != client.TransformJob || jobName == "" {
			return "", fmt.Errorf("%q is not the ARN of a processing, training or transform job", name)
		}
		return name, nil
	}
	var denied error
	for _, kind := range client.JobKinds {
		job, err := cl.DescribeJob(ctx, kind, name)
		switch {
		case err == nil:
			return job.ARN, nil
		case client.IsCode(err, "AccessDeniedException"):
			denied = err
		case client.IsCode(err, "ValidationException", "ResourceNotFound"):
		default:
			return "", err
		}
	}
	if denied != nil {
		return "", denied
	}
	var known []string
	for _, kind := range client.JobKinds {
		names, err := cl.JobNames(ctx, kind, 500)
		if err != nil {
			return "", err
		}
		known = append(known, names...)
	}
	msg := fmt.Sprintf("no processing, training or transform job is named %q", name)
	if near := nearMatches(name, known, 5); len(near) > 0 {
		msg += "; did you mean:\n  " + strings.Join(near, "\n  ")
	}
	return "", errors.New(msg + "\n(name a job, in any case, or its ARN; or an execution ARN and a step name)")
}

// nearMatches returns up to n names like name: containing it or contained in it, or a few
// edits away (case aside), the closest first.
func nearMatches(name string, names []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	lower := strings.ToLower(name)
	limit := max(2, len(name)/4)
	var found []scored
	seen := map[string]bool{}
	for _, candidate := range names {
		if seen[candidate] {
			continue
		}
		seen[candidate] = true
		c := strings.ToLower(candidate)
		d := editDistance(lower, c)
		if strings.Contains(c, lower) || strings.Contains(lower, c) {
			d = min(d, 1)
		}
		if d <= limit {
			found = append(found, scored{candidate, d})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].d < found[j].d })
	var out []string
	for i := 0; i < len(found) && i < n; i++ {
		out = append(out, found[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
