package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/sigv4"
	"github.com/cairnhq/cairn/internal/store"
)

// Cairn's own endpoints, for its commands: what no AWS API says — wait until an
// execution changes, read a job's log. They are signed with SigV4 for the sagemaker
// service like any SageMaker request, and each is authorized by running, as the
// caller, the SageMaker operation that reads what it serves (DescribePipelineExecution,
// Describe…Job): a principal learns through them nothing those operations would not
// tell it. Errors come in SageMaker's shape (awsJson).
const (
	cairnPrefix = "/_cairn/"
	// executionChangesPath answers {"Sequence": N, "Changed": bool}: whether the
	// execution PipelineExecutionArn or one of its steps changed after Sequence Since,
	// waiting up to WaitSeconds for it.
	executionChangesPath = "/_cairn/execution-changes"
	// jobLogPath answers the log of job JobArn from byte Offset (at most maxLogChunk
	// bytes), waiting up to WaitSeconds for more while the job runs. Headers:
	// X-Cairn-Log-Offset (where the next read starts), X-Cairn-Job-Status, X-Cairn-Job-Name
	// (the name as created).
	jobLogPath = "/_cairn/job-log"
)

const (
	maxWait     = 60 * time.Second
	maxLogChunk = 1 << 20
	// logPoll is how often a waiting log read looks at the file again: a log grows
	// without a store change.
	logPoll = 200 * time.Millisecond
)

// serveCairn authenticates a request to one of Cairn's endpoints and serves it; it
// returns the principal for the access log.
func (s *Server) serveCairn(ctx context.Context, w http.ResponseWriter, r *http.Request, info *operation.RequestInfo) *auth.Principal {
	svc := s.bySigning["sagemaker"]
	info.Service = svc.Name
	fail := func(err error) { svc.WriteError(w, info.ID, err, s.log) }
	if r.Method != http.MethodGet {
		fail(operation.Errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "Cairn's endpoints answer GET only."))
		return nil
	}
	sig, err := sigv4.Parse(r)
	if err != nil {
		fail(authError(svc, err))
		return nil
	}
	if sig.Scope.Service != svc.Name || sig.Scope.Region != s.opts.Region {
		fail(authError(svc, &sigv4.Error{Code: sigv4.SignatureDoesNotMatch,
			Message: "Sign Cairn's endpoints for the service 'sagemaker' in region '" + s.opts.Region + "'."}))
		return nil
	}
	body, err := s.readBody(r)
	if err != nil {
		fail(err)
		return nil
	}
	principal, _, err := s.authn.Authenticate(ctx, r, sig, body)
	if err != nil {
		fail(authError(svc, err))
		return nil
	}
	ctx = auth.WithPrincipal(ctx, principal)
	switch r.URL.Path {
	case executionChangesPath:
		info.Operation = "cairn:ExecutionChanges"
		err = s.executionChanges(ctx, svc, w, r)
	case jobLogPath:
		info.Operation = "cairn:JobLog"
		err = s.jobLog(ctx, svc, w, r)
	default:
		err = operation.Errorf(http.StatusNotFound, "UnknownOperationException", "Cairn has no endpoint %s.", r.URL.Path)
	}
	if err != nil {
		fail(err)
	}
	return principal
}

// waitParam reads WaitSeconds (0 to 60).
func waitParam(svc *awsproto.Service, r *http.Request) (time.Duration, error) {
	v := r.URL.Query().Get("WaitSeconds")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || time.Duration(n)*time.Second > maxWait {
		return 0, svc.Operations().Validation("WaitSeconds must be a whole number of seconds from 0 to %d, not %q.", int(maxWait.Seconds()), v)
	}
	return time.Duration(n) * time.Second, nil
}

// uintParam reads a non-negative integer parameter, 0 when absent.
func uintParam(svc *awsproto.Service, r *http.Request, name string) (uint64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, svc.Operations().Validation("%s must be a non-negative whole number, not %q.", name, v)
	}
	return n, nil
}

func (s *Server) executionChanges(ctx context.Context, svc *awsproto.Service, w http.ResponseWriter, r *http.Request) error {
	execARN := r.URL.Query().Get("PipelineExecutionArn")
	since, err := uintParam(svc, r, "Since")
	if err != nil {
		return err
	}
	wait, err := waitParam(svc, r)
	if err != nil {
		return err
	}
	in, _ := json.Marshal(map[string]string{"PipelineExecutionArn": execARN})
	if _, err := svc.Operations().InvokeJSON(ctx, s.authorizer, "DescribePipelineExecution", in); err != nil {
		return err
	}
	seq, changed := s.feed.wait(ctx, s.closing, execARN, since, wait, 0)
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(struct {
		Sequence uint64
		Changed  bool
	}{seq, changed})
}

// jobKinds maps the resource types of job ARNs to the word of their operations.
var jobKinds = map[string]string{"processing-job": "Processing", "training-job": "Training", "transform-job": "Transform"}

func (s *Server) jobLog(ctx context.Context, svc *awsproto.Service, w http.ResponseWriter, r *http.Request) error {
	jobARN := r.URL.Query().Get("JobArn")
	a, err := arn.Parse(jobARN)
	resource, name, ok := a.TypeAndName()
	noun := jobKinds[resource]
	if err != nil || !ok || noun == "" || a.Service != "sagemaker" {
		return svc.Operations().Validation("JobArn %q is not the ARN of a processing, training or transform job.", jobARN)
	}
	offset, err := uintParam(svc, r, "Offset")
	if err != nil {
		return err
	}
	wait, err := waitParam(svc, r)
	if err != nil {
		return err
	}
	in, _ := json.Marshal(map[string]string{noun + "JobName": name})
	out, err := svc.Operations().InvokeJSON(ctx, s.authorizer, "Describe"+noun+"Job", in)
	if err != nil {
		return err
	}
	var described map[string]any
	if err := json.Unmarshal(out, &described); err != nil {
		return fmt.Errorf("describe %s: %w", jobARN, err)
	}
	if got, _ := described[noun+"JobArn"].(string); !strings.EqualFold(got, jobARN) {
		// The caller's own job of that name, not the one asked for.
		return svc.Operations().Validation("Could not find requested job with ARN %s", jobARN)
	}
	created, _ := described[noun+"JobName"].(string)
	path := runner.LogPath(s.opts.DataDir, a.Account, created)
	since := s.feed.current()
	for {
		// The status is read before the log: a job read as ended has written all of it.
		job, err := s.jobRecord(ctx, a.Account, resource, created)
		if err != nil {
			return err
		}
		chunk, err := readChunk(path, int64(offset))
		if err != nil {
			return err
		}
		ended := sm.JobStatus(job.Status).Finished()
		if len(chunk) > 0 || ended || wait <= 0 {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("X-Cairn-Log-Offset", strconv.FormatUint(offset+uint64(len(chunk)), 10))
			w.Header().Set("X-Cairn-Job-Status", job.Status)
			w.Header().Set("X-Cairn-Job-Name", created)
			_, err := w.Write(chunk)
			return err
		}
		start := time.Now()
		since, _ = s.feed.wait(ctx, s.closing, jobARN, since, wait, logPoll)
		wait -= time.Since(start)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		select {
		case <-s.closing:
			wait = 0
		default:
		}
	}
}

// jobRecord reads a job's record (the caller was authorized to describe it).
func (s *Server) jobRecord(ctx context.Context, account, kind, name string) (*store.Job, error) {
	var job *store.Job
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		job, err = tx.Job(account, kind, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read job %s: %w", name, err)
	}
	return job, nil
}

// readChunk reads at most maxLogChunk bytes of the file at path from offset; a file not
// yet written reads as empty.
func readChunk(path string, offset int64) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read job log: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read job log: %w", err)
	}
	if info.Size() <= offset {
		return nil, nil
	}
	buf := make([]byte, min(info.Size()-offset, maxLogChunk))
	n, err := f.ReadAt(buf, offset)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read job log: %w", err)
	}
	return buf[:n], nil
}
