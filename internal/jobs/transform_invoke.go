package jobs

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

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
	if err := r.m.opts.Objects.PutObject(WithOutputKMSKey(ctx, r.req.TransformOutput.KmsKeyId), outBucket, outKey, out, size); err != nil {
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
