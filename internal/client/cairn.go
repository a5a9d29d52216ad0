package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"
)

// Cairn's own endpoints (see internal/server/cairnapi.go): long polls that tell a
// command when to read again, and a job's log.

// ExecutionChanges waits up to wait for the execution arn (or one of its steps) to change
// after sequence number since, and returns the newest sequence number and whether it
// changed. Since 0 answers at once, with the sequence number to wait from.
func (c *Client) ExecutionChanges(ctx context.Context, arn string, since uint64, wait time.Duration) (uint64, bool, error) {
	q := url.Values{"PipelineExecutionArn": {arn}, "Since": {strconv.FormatUint(since, 10)},
		"WaitSeconds": {strconv.Itoa(int(wait / time.Second))}}
	resp, err := c.Get(ctx, "sagemaker", "/_cairn/execution-changes", q)
	if err != nil {
		return 0, false, fmt.Errorf("wait for changes: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Sequence uint64
		Changed  bool
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return 0, false, fmt.Errorf("wait for changes: %w", err)
	}
	return out.Sequence, out.Changed, nil
}

// LogChunk is one read of a job's log.
type LogChunk struct {
	Data      []byte
	Next      int64  // the offset of the next read
	JobStatus string // InProgress, Stopping, Completed, Failed, Stopped
	JobName   string // as created
}

// JobLog reads the log of job jobARN from offset, waiting up to wait for more while the
// job runs.
func (c *Client) JobLog(ctx context.Context, jobARN string, offset int64, wait time.Duration) (*LogChunk, error) {
	q := url.Values{"JobArn": {jobARN}, "Offset": {strconv.FormatInt(offset, 10)},
		"WaitSeconds": {strconv.Itoa(int(wait / time.Second))}}
	resp, err := c.Get(ctx, "sagemaker", "/_cairn/job-log", q)
	if err != nil {
		return nil, fmt.Errorf("read the job's log: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read the job's log: %w", err)
	}
	next, err := strconv.ParseInt(resp.Header.Get("X-Cairn-Log-Offset"), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("read the job's log: the answer has no valid X-Cairn-Log-Offset")
	}
	return &LogChunk{Data: data, Next: next, JobStatus: resp.Header.Get("X-Cairn-Job-Status"), JobName: resp.Header.Get("X-Cairn-Job-Name")}, nil
}
