package jobs

import (
	"bufio"
	"bytes"
	"compress/gzip"
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
	"github.com/cairnhq/cairn/internal/store"
)

// driver is a kind whose job is a server the manager drives: drive runs once the job's
// process has started and returns when the work is done (or failed); the manager then
// stops the process. ctx is cancelled when the process ends on its own or is stopped.
type driver interface {
	drive(ctx context.Context, m *Manager, job *store.Job, dir string) (map[string]any, error)
}

// runDriven takes a started (or re-attached) job of a driver kind to its recorded end.
func (m *Manager) runDriven(ctx context.Context, job *store.Job, dir string, rj runner.Job, d driver) {
	id := runner.JobID(job.AccountID, job.Kind, job.Name)
	defer func() {
		m.mu.Lock()
		delete(m.running, id)
		m.mu.Unlock()
	}()
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
	var details map[string]any
	var err error
	if _, statErr := os.Stat(filepath.Join(dir, completeFile)); statErr == nil {
		// The work was done before a restart; only the server's stop went unrecorded.
	} else {
		details, err = d.drive(dctx, m, job, dir)
		if err == nil {
			// Recorded before the server is stopped, so a restart in between does not
			// mistake the stop for the end of an unfinished job.
			err = os.WriteFile(filepath.Join(dir, completeFile), nil, 0o644)
		}
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
	switch {
	case err == nil:
		m.completeWith(ctx, job, "Completed", "", "", details)
	case m.stopRequested(ctx, job):
		m.complete(ctx, job, "Stopped", "", "")
	case res.Err != "":
		m.complete(ctx, job, "Failed", "InternalServerError: "+res.Err, "")
	case early:
		tail := logTail(runner.LogPath(m.opts.DataDir, job.AccountID, job.Name))
		m.complete(ctx, job, "Failed", serverExited(res, tail), tail)
	default:
		m.complete(ctx, job, "Failed", failureReason(err), "")
	}
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

// stopRequested reports whether StopTransformJob (or the like) asked the job to stop.
func (m *Manager) stopRequested(ctx context.Context, job *store.Job) bool {
	stopping := false
	m.opts.Store.View(ctx, func(tx store.Tx) error {
		current, err := tx.Job(job.AccountID, job.Kind, job.Name)
		stopping = err == nil && current.Status == "Stopping"
		return nil
	})
	return stopping
}

// transformRun is one pass of a transform job over its input.
type transformRun struct {
	m           *Manager
	req         transformRequest
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

func (transform) drive(ctx context.Context, m *Manager, job *store.Job, dir string) (map[string]any, error) {
	var req transformRequest
	if err := json.Unmarshal([]byte(job.Request), &req); err != nil {
		return nil, fmt.Errorf("InternalServerError: the stored request is unreadable: %v", err)
	}
	var state transformState
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil || json.Unmarshal(b, &state) != nil || state.Port == 0 {
		return nil, fmt.Errorf("InternalServerError: the model server's port is not recorded in the job directory")
	}
	r := &transformRun{m: m, req: req, base: "http://127.0.0.1:" + strconv.Itoa(state.Port),
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
		return nil, err
	}
	if err := os.MkdirAll(r.scratch, 0o755); err != nil {
		return nil, err
	}
	defer os.RemoveAll(r.scratch)
	if err := r.ping(ctx); err != nil {
		return nil, err
	}
	r.settings(ctx)
	roleCtx, err := m.asRole(ctx, job)
	if err != nil {
		return nil, err
	}
	objects, err := r.inputs(roleCtx)
	if err != nil {
		return nil, err
	}
	for _, o := range objects {
		if err := r.object(roleCtx, o); err != nil {
			return nil, err
		}
	}
	return nil, nil
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
	if !strings.EqualFold(r.strategy, "MultiRecord") {
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

// object transforms one input object: its records, batched, go to the model server in
// order (up to concurrency requests at a time), and the answers, assembled in input
// order, are written to its output object.
func (r *transformRun) object(ctx context.Context, o transformObject) error {
	outBucket, outKey, err := r.outputKey(o)
	if err != nil {
		return err
	}
	body, err := r.m.opts.Objects.GetObject(ctx, o.bucket, o.key, "")
	if err != nil {
		return err
	}
	defer body.Close()
	var in io.Reader = body
	if r.req.TransformInput.CompressionType == "Gzip" {
		gz, err := gzip.NewReader(body)
		if err != nil {
			return fmt.Errorf("ClientError: s3://%s/%s is not gzip-compressed (CompressionType Gzip): %v", o.bucket, o.key, err)
		}
		defer gz.Close()
		in = gz
	}
	out, err := os.CreateTemp(r.scratch, "out-*")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	defer out.Close()

	where := fmt.Sprintf("s3://%s/%s", o.bucket, o.key)
	if r.payload == 0 {
		// One request per object, its body streamed as it is read.
		if err := r.invoke(ctx, in, where, out); err != nil {
			return err
		}
		if err := r.terminate(out); err != nil {
			return err
		}
	} else if err := r.batches(ctx, in, where, out); err != nil {
		return err
	}
	size, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := out.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := r.m.opts.Objects.PutObject(ctx, outBucket, outKey, out, size); err != nil {
		return err
	}
	return nil
}

// pendingBatch is a request in flight; done is closed when its answer is in file.
type pendingBatch struct {
	done chan struct{}
	file *os.File
	err  error
}

// batches cuts in into requests, sends up to r.concurrency at a time and appends the
// answers to out in input order.
func (r *transformRun) batches(ctx context.Context, in io.Reader, where string, out *os.File) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan *pendingBatch, r.concurrency-1)
	writeErr := make(chan error, 1)
	go func() {
		var first error
		for p := range queue {
			<-p.done
			if first == nil {
				first = p.err
				if first == nil {
					first = r.appendAnswer(out, p.file)
				}
				if first != nil {
					cancel()
				}
			}
			if p.file != nil {
				p.file.Close()
				os.Remove(p.file.Name())
			}
		}
		writeErr <- first
	}()
	send := func(batch []byte) {
		p := &pendingBatch{done: make(chan struct{})}
		queue <- p
		go func() {
			defer close(p.done)
			f, err := os.CreateTemp(r.scratch, "answer-*")
			if err != nil {
				p.err = err
				return
			}
			p.file = f
			p.err = r.invoke(ctx, bytes.NewReader(batch), where, f)
		}()
	}
	splitErr := r.split(ctx, in, where, send)
	close(queue)
	err := <-writeErr
	if err == nil {
		err = splitErr
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// split reads records from in and calls send with each request's payload: the whole
// object (SplitType None), or lines, one per request (SingleRecord) or as many as fit in
// the payload bound (MultiRecord). A record larger than the bound fails the job.
func (r *transformRun) split(ctx context.Context, in io.Reader, where string, send func([]byte)) error {
	tooLarge := func() error {
		return fmt.Errorf("ClientError: a record of %s is larger than MaxPayloadInMB (%d MB)", where, r.payload>>20)
	}
	if !r.lineSplit {
		b, err := io.ReadAll(io.LimitReader(in, r.payload+1))
		if err != nil {
			return fmt.Errorf("read %s: %w", where, err)
		}
		if int64(len(b)) > r.payload {
			return tooLarge()
		}
		send(b)
		return nil
	}
	br := bufio.NewReaderSize(in, 64<<10)
	var batch []byte
	for ctx.Err() == nil {
		line, err := readLine(br, r.payload)
		if errors.Is(err, errLineTooLong) {
			return tooLarge()
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("read %s: %w", where, err)
		}
		if len(bytes.TrimRight(line, "\r\n")) > 0 {
			if len(line) > 0 && line[len(line)-1] != '\n' {
				line = append(line, '\n')
			}
			switch {
			case r.strategy != "MultiRecord":
				send(line)
			case int64(len(batch)+len(line)) > r.payload:
				send(batch)
				batch = line
			default:
				batch = append(batch, line...)
			}
		}
		if err == io.EOF {
			break
		}
	}
	if len(batch) > 0 {
		send(batch)
	}
	return nil
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line with its newline; it reads at most limit bytes of it.
func readLine(br *bufio.Reader, limit int64) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if int64(len(line)+len(chunk)) > limit {
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, err
	}
}

// invoke POSTs one payload to /invocations and writes the answer to w. Failures to reach
// the server are retried (ModelClientConfig.InvocationsMaxRetries); an answer other than
// 2xx fails the job with its body.
func (r *transformRun) invoke(ctx context.Context, payload io.Reader, where string, w io.WriteSeeker) error {
	seeker, replayable := payload.(io.Seeker)
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if _, err := w.Seek(0, io.SeekStart); err != nil {
				return err
			}
			if _, err := seeker.Seek(0, io.SeekStart); err != nil {
				return err
			}
		}
		err := r.post(ctx, payload, where, w)
		var te *transportError
		if !errors.As(err, &te) || !replayable || attempt >= r.retries || ctx.Err() != nil {
			if f, ok := w.(*os.File); ok && err == nil {
				// Drop what a failed earlier attempt may have left beyond this answer.
				if off, serr := f.Seek(0, io.SeekCurrent); serr == nil {
					f.Truncate(off)
				}
			}
			if te != nil && ctx.Err() == nil {
				return fmt.Errorf("ClientError: the model server did not answer POST /invocations for %s: %v", where, te.err)
			}
			return err
		}
	}
}

// transportError is a failure to get any answer from the model server.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }

func (r *transformRun) post(ctx context.Context, payload io.Reader, where string, w io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+"/invocations", io.NopCloser(payload))
	if err != nil {
		return err
	}
	if b, ok := payload.(*bytes.Reader); ok {
		req.ContentLength = int64(b.Len())
	}
	if ct := r.req.TransformInput.ContentType; ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if a := r.req.TransformOutput.Accept; a != "" {
		req.Header.Set("Accept", a)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return &transportError{fmt.Errorf("no answer within %s (ModelClientConfig.InvocationsTimeoutInSeconds)", r.timeout)}
		}
		return &transportError{err}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("ClientError: the model answered POST /invocations for %s with HTTP %d: %s", where, resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return &transportError{fmt.Errorf("no complete answer within %s (ModelClientConfig.InvocationsTimeoutInSeconds)", r.timeout)}
		}
		return &transportError{err}
	}
	return nil
}

// appendAnswer adds one answer to the output: as it is (AssembleWith None), or ending in
// a newline (AssembleWith Line).
func (r *transformRun) appendAnswer(out, answer *os.File) error {
	if _, err := answer.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(out, answer); err != nil {
		return err
	}
	return r.terminateAnswer(out, answer)
}

// terminate ends the single streamed answer written into out with a newline when
// AssembleWith is Line.
func (r *transformRun) terminate(out *os.File) error { return r.terminateAnswer(out, out) }

func (r *transformRun) terminateAnswer(out, answer *os.File) error {
	if r.req.TransformOutput.AssembleWith != "Line" {
		return nil
	}
	size, err := answer.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if size > 0 {
		last := make([]byte, 1)
		if _, err := answer.ReadAt(last, size-1); err != nil {
			return err
		}
		if last[0] == '\n' {
			return nil
		}
	}
	_, err = out.Write([]byte{'\n'})
	return err
}
