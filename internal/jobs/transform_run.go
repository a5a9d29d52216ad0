package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// driver is a kind whose job is a server the manager drives: drive runs once the job's
// process has started and returns when the work is done (or failed); the manager then
// stops the process. ctx is cancelled when the process ends on its own or is stopped.
type driver interface {
	drive(ctx context.Context, m *Manager, job *store.Job, dir string) (sm.JobDetails, error)
}

// runDriven takes a started (or re-attached) job of a driver kind to its recorded end.
func (m *Manager) runDriven(ctx context.Context, job *store.Job, dir string, rj runner.Job, d driver) {
	dctx, cancel := context.WithCancel(ctx)
	exited := make(chan struct{})
	go func() {
		select {
		case <-rj.Done():
			close(exited)
			cancel()
		case <-dctx.Done():
		}
	}()
	var details sm.JobDetails
	var err error
	if _, statErr := os.Stat(filepath.Join(dir, completeFile)); statErr == nil {
		// The work was done before a restart; only the server's stop went unrecorded.
	} else if m.stopRequested(ctx, job) {
		// Stopped before a restart, the server not yet gone: no work is redone.
		err = errStopRequested
	} else {
		details, err = d.drive(dctx, m, job, dir)
		if err == nil {
			// Recorded before the server is stopped, so a restart in between does not
			// mistake the stop for the end of an unfinished job.
			err = os.WriteFile(filepath.Join(dir, completeFile), nil, 0o644)
		}
	}
	if m.ctx.Err() != nil {
		cancel()
		return // shutting down: the job and its work are taken up again at the next start
	}
	early := false
	select {
	case <-exited:
		early = true
	default:
	}
	cancel()
	rj.Stop(ctx, 10*time.Second)
	<-rj.Done()
	res := rj.Result()
	var e ending
	switch {
	case err == nil:
		e = endAs(sm.JobCompleted, "")
		e.details = details
	case m.stopRequested(ctx, job):
		e = endAs(sm.JobStopped, "")
	case res.Err != "":
		e = endAs(sm.JobFailed, "InternalServerError: "+res.Err)
	case early:
		tail := logTail(runner.LogPath(m.opts.DataDir, job.AccountID, job.Name))
		e = endAs(sm.JobFailed, serverExited(res, tail))
		e.exitMessage = tail
	default:
		e = endAs(sm.JobFailed, failureReason(err))
	}
	m.record(ctx, job, e)
}

// serverExited explains a model server that ended before the transform was done, with
// the last line it logged.
func serverExited(res runner.Result, logTail string) string {
	how := fmt.Sprintf("exited with status %d", res.ExitCode)
	if res.Signal != "" {
		how = "was killed by " + res.Signal
	}
	reason := "AlgorithmError: the model server " + how + " before the transform finished"
	lines := strings.Split(strings.TrimSpace(logTail), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
		reason += ": " + last
	}
	return reason + ". See the job log for more information."
}

// errStopRequested ends the work of a job asked to stop.
var errStopRequested = errors.New("the job was asked to stop")

// stopRequested reports whether StopTransformJob (or the like) asked the job to stop.
func (m *Manager) stopRequested(ctx context.Context, job *store.Job) bool {
	stopping := false
	m.store.View(ctx, func(tx txn) error {
		current, err := tx.Job(job.AccountID, job.Kind, job.Name)
		stopping = err == nil && current.Status == string(sm.JobStopping)
		return nil
	})
	return stopping
}

// transformRun is one pass of a transform job over its input.
type transformRun struct {
	m           *Manager
	req         sm.CreateTransformJobInput
	base        string // the model server's URL
	client      *http.Client
	scratch     string // host directory for responses and outputs in the making
	payload     int64  // bytes per request; 0: a whole object, streamed
	concurrency int
	strategy    string
	timeout     time.Duration
	retries     int
	lineSplit   bool
}

func (transform) drive(ctx context.Context, m *Manager, job *store.Job, dir string) (sm.JobDetails, error) {
	req, err := readRequest[sm.CreateTransformJobInput](job)
	if err != nil {
		return sm.JobDetails{}, err
	}
	if req.TransformInput == nil || req.TransformInput.DataSource == nil || req.TransformInput.DataSource.S3DataSource == nil || req.TransformOutput == nil {
		return sm.JobDetails{}, unreadable(errors.New("it has no TransformInput.DataSource.S3DataSource or TransformOutput"))
	}
	var state transformState
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil || json.Unmarshal(b, &state) != nil || state.Port == 0 {
		return sm.JobDetails{}, fmt.Errorf("InternalServerError: the model server's port is not recorded in the job directory")
	}
	r := &transformRun{m: m, req: *req, base: "http://127.0.0.1:" + strconv.Itoa(state.Port),
		client:  &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: maxConcurrentRequests, DisableCompression: true}},
		scratch: filepath.Join(dir, scratchDir), timeout: defaultInvocationTimeout, retries: defaultInvocationRetries,
		lineSplit: req.TransformInput.SplitType == "Line"}
	defer r.client.CloseIdleConnections()
	if c := req.ModelClientConfig; c != nil {
		if c.InvocationsTimeoutInSeconds != nil {
			r.timeout = time.Duration(*c.InvocationsTimeoutInSeconds) * time.Second
		}
		if c.InvocationsMaxRetries != nil {
			r.retries = *c.InvocationsMaxRetries
		}
	}
	if err := os.RemoveAll(r.scratch); err != nil {
		return sm.JobDetails{}, err
	}
	if err := os.MkdirAll(r.scratch, 0o755); err != nil {
		return sm.JobDetails{}, err
	}
	defer os.RemoveAll(r.scratch)
	if err := r.ping(ctx); err != nil {
		return sm.JobDetails{}, err
	}
	r.settings(ctx)
	roleCtx, err := m.asRole(ctx, job)
	if err != nil {
		return sm.JobDetails{}, err
	}
	objects, err := r.inputs(roleCtx)
	if err != nil {
		return sm.JobDetails{}, err
	}
	for _, o := range objects {
		if err := r.object(roleCtx, o); err != nil {
			return sm.JobDetails{}, err
		}
	}
	return sm.JobDetails{}, nil
}

// maxConcurrentRequests bounds MaxConcurrentTransforms, as SageMaker's validation does.
const maxConcurrentRequests = 100

// ping waits until the model server answers GET /ping with 200.
func (r *transformRun) ping(ctx context.Context) error {
	deadline := time.Now().Add(pingTimeout)
	delay := 20 * time.Millisecond
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		req, _ := http.NewRequestWithContext(pctx, http.MethodGet, r.base+"/ping", nil)
		resp, err := r.client.Do(req)
		if err == nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		cancel()
		if err == nil && resp.StatusCode == http.StatusOK {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("ClientError: the model server did not answer GET /ping with 200 within %s (it serves on %s)", pingTimeout, r.base)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, 500*time.Millisecond)
	}
}

// settings fills what the request leaves unset from the container's GET
// /execution-parameters, as SageMaker does, then from the defaults.
func (r *transformRun) settings(ctx context.Context) {
	req := r.req
	var params struct {
		MaxConcurrentTransforms int
		BatchStrategy           string
		MaxPayloadInMB          *int
	}
	if req.BatchStrategy == "" || req.MaxPayloadInMB == nil || req.MaxConcurrentTransforms == nil || *req.MaxConcurrentTransforms == 0 {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		hr, _ := http.NewRequestWithContext(pctx, http.MethodGet, r.base+"/execution-parameters", nil)
		if resp, err := r.client.Do(hr); err == nil {
			if resp.StatusCode == http.StatusOK {
				json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&params)
			}
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		cancel()
	}
	r.strategy = req.BatchStrategy
	if r.strategy == "" {
		r.strategy = params.BatchStrategy
	}
	// Containers answer MULTI_RECORD as well as MultiRecord.
	if strings.EqualFold(strings.ReplaceAll(r.strategy, "_", ""), "MultiRecord") {
		r.strategy = "MultiRecord"
	} else {
		r.strategy = "SingleRecord"
	}
	mb := defaultPayloadMB
	switch {
	case req.MaxPayloadInMB != nil:
		mb = *req.MaxPayloadInMB
	case params.MaxPayloadInMB != nil && *params.MaxPayloadInMB > 0 && *params.MaxPayloadInMB <= 100:
		mb = *params.MaxPayloadInMB
	}
	r.payload = int64(mb) << 20
	r.concurrency = 1
	switch {
	case req.MaxConcurrentTransforms != nil && *req.MaxConcurrentTransforms > 0:
		r.concurrency = *req.MaxConcurrentTransforms
	case params.MaxConcurrentTransforms > 0:
		r.concurrency = params.MaxConcurrentTransforms
	}
	r.concurrency = min(r.concurrency, maxConcurrentRequests)
	if r.payload > 0 {
		r.concurrency = max(1, min(r.concurrency, int((100<<20)/r.payload)))
	}
}

// transformObject is one input object and the key of its output.
type transformObject struct {
	bucket, key string
	rel         string // the key below the input prefix
}

// inputs lists the objects a transform reads: those under its S3Prefix, or those its
// manifest lists.
func (r *transformRun) inputs(ctx context.Context) ([]transformObject, error) {
	src := r.req.TransformInput.DataSource.S3DataSource
	bucket, prefix, err := splitS3URI(src.S3Uri)
	if err != nil {
		return nil, err
	}
	if src.S3DataType == "ManifestFile" {
		return r.manifest(ctx, bucket, prefix)
	}
	listed, err := r.m.opts.Objects.ListObjects(ctx, bucket, prefix)
	if err != nil {
		return nil, err
	}
	base := prefix
	if base != "" && !strings.HasSuffix(base, "/") {
		base = base[:strings.LastIndex(base, "/")+1]
		for _, o := range listed {
			if strings.HasPrefix(o.Key, prefix+"/") {
				base = prefix + "/"
				break
			}
		}
	}
	var out []transformObject
	for _, o := range listed {
		if strings.HasSuffix(o.Key, "/") {
			continue
		}
		out = append(out, transformObject{bucket: bucket, key: o.Key, rel: strings.TrimPrefix(o.Key, base)})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("ClientError: no objects found under %s", src.S3Uri)
	}
	return out, nil
}

// manifest reads a manifest file: [{"prefix": "s3://b/p/"}, "rel1", "rel2", …].
func (r *transformRun) manifest(ctx context.Context, bucket, key string) ([]transformObject, error) {
	body, err := r.m.opts.Objects.GetObject(ctx, bucket, key, "")
	if err != nil {
		return nil, err
	}
	defer body.Close()
	var entries []json.RawMessage
	if err := json.NewDecoder(io.LimitReader(body, 64<<20)).Decode(&entries); err != nil || len(entries) == 0 {
		return nil, fmt.Errorf("ClientError: the manifest s3://%s/%s is not a JSON list starting with {\"prefix\": …}", bucket, key)
	}
	var head struct{ Prefix string }
	if err := json.Unmarshal(entries[0], &head); err != nil || head.Prefix == "" {
		return nil, fmt.Errorf("ClientError: the manifest s3://%s/%s does not start with {\"prefix\": …}", bucket, key)
	}
	pb, pk, err := splitS3URI(head.Prefix)
	if err != nil {
		return nil, err
	}
	var out []transformObject
	for _, raw := range entries[1:] {
		var rel string
		if err := json.Unmarshal(raw, &rel); err != nil || rel == "" {
			return nil, fmt.Errorf("ClientError: the manifest s3://%s/%s lists an entry that is not a non-empty string", bucket, key)
		}
		out = append(out, transformObject{bucket: pb, key: pk + rel, rel: rel})
	}
	return out, nil
}

// outputKey is where the results of an input object go: <S3OutputPath>/<rel>.out.
func (r *transformRun) outputKey(o transformObject) (bucket, key string, err error) {
	bucket, prefix, err := splitS3URI(r.req.TransformOutput.S3OutputPath)
	if err != nil {
		return "", "", err
	}
	key = o.rel + ".out"
	if prefix = strings.TrimSuffix(prefix, "/"); prefix != "" {
		key = prefix + "/" + key
	}
	return bucket, key, nil
}
