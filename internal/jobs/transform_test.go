package jobs

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sm "github.com/cairnhq/cairn/internal/sagemaker"
)

// memObjects is an in-memory S3 for the transform loop; big objects are generated as
// they are read.
type memObjects struct {
	mu      sync.Mutex
	objects map[string][]byte
	big     map[string]func() io.Reader
}

func (o *memObjects) GetObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if gen, ok := o.big[bucket+"/"+key]; ok {
		return io.NopCloser(gen()), nil
	}
	b, ok := o.objects[bucket+"/"+key]
	if !ok {
		return nil, fmt.Errorf("no object %s/%s", bucket, key)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (o *memObjects) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if int64(len(b)) != size {
		return fmt.Errorf("put %s: %d bytes, size says %d", key, len(b), size)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.objects[bucket+"/"+key] = b
	return nil
}

func (o *memObjects) ListObjects(ctx context.Context, bucket, prefix string) ([]ObjectInfo, error) {
	return nil, nil
}

// newRun is a transform of s3://in/data into s3://out/results against a model server.
func newRun(t *testing.T, objects *memObjects, handler http.HandlerFunc, configure func(*transformRun)) *transformRun {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	r := &transformRun{m: &Manager{opts: Options{Objects: objects}}, base: srv.URL, client: srv.Client(),
		scratch: t.TempDir(), payload: 6 << 20, concurrency: 1, strategy: "SingleRecord", timeout: 5 * time.Second,
		retries: 1, lineSplit: true,
		req: sm.CreateTransformJobInput{TransformInput: &sm.TransformInput{}, TransformOutput: &sm.TransformOutput{}}}
	r.req.TransformOutput.S3OutputPath = "s3://out/results"
	r.req.TransformOutput.AssembleWith = "Line"
	r.req.TransformInput.ContentType = "text/csv"
	if configure != nil {
		configure(r)
	}
	return r
}

func (o *memObjects) get(t *testing.T, key string) string {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	b, ok := o.objects[key]
	if !ok {
		t.Fatalf("no object %s", key)
	}
	return string(b)
}

// countLines answers "n=<records>" (no newline) for each request.
func countLines(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	fmt.Fprintf(w, "n=%d", bytes.Count(b, []byte("\n")))
}

func TestTransformBatching(t *testing.T) {
	input := strings.Repeat("aaaa\n", 10)
	for _, tc := range []struct {
		name      string
		configure func(*transformRun)
		input     string
		want      string
	}{
		{"single record", nil, "1\n2\r\n\n3", "n=1\nn=1\nn=1\n"},
		{"multi record fills the payload", func(r *transformRun) { r.strategy, r.payload = "MultiRecord", 16 }, input, "n=3\nn=3\nn=3\nn=1\n"},
		{"assemble none", func(r *transformRun) { r.req.TransformOutput.AssembleWith = "None" }, "x\ny\n", "n=1n=1"},
		{"split none", func(r *transformRun) { r.lineSplit = false }, input, "n=10\n"},
		{"split none streamed", func(r *transformRun) { r.lineSplit, r.payload = false, 0 }, input, "n=10\n"},
		{"gzip", func(r *transformRun) { r.req.TransformInput.CompressionType = "Gzip" }, "gz:" + input, strings.Repeat("n=1\n", 10)},
		{"empty object", nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.input)
			if rest, ok := strings.CutPrefix(tc.input, "gz:"); ok {
				var buf bytes.Buffer
				zw := gzip.NewWriter(&buf)
				zw.Write([]byte(rest))
				zw.Close()
				data = buf.Bytes()
			}
			objects := &memObjects{objects: map[string][]byte{"in/data/part.csv": data}}
			r := newRun(t, objects, countLines, tc.configure)
			if err := r.object(context.Background(), transformObject{bucket: "in", key: "data/part.csv", rel: "part.csv"}); err != nil {
				t.Fatal(err)
			}
			if got := objects.get(t, "out/results/part.csv.out"); got != tc.want {
				t.Errorf("output %q, want %q", got, tc.want)
			}
		})
	}
}

// Answers that arrive out of order are assembled in input order.
func TestTransformConcurrentOrder(t *testing.T) {
	var inFlight, most atomic.Int32
	slowFirst := func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		b, _ := io.ReadAll(r.Body)
		var i int
		fmt.Sscanf(string(b), "%d", &i)
		time.Sleep(time.Duration(20-i) * 2 * time.Millisecond)
		fmt.Fprintf(w, "%d\n", i*i)
	}
	var in, want strings.Builder
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&in, "%d\n", i)
		fmt.Fprintf(&want, "%d\n", i*i)
	}
	objects := &memObjects{objects: map[string][]byte{"in/p.csv": []byte(in.String())}}
	r := newRun(t, objects, slowFirst, func(r *transformRun) { r.concurrency = 4 })
	if err := r.object(context.Background(), transformObject{bucket: "in", key: "p.csv", rel: "p.csv"}); err != nil {
		t.Fatal(err)
	}
	if got := objects.get(t, "out/results/p.csv.out"); got != want.String() {
		t.Errorf("output %q, want %q", got, want.String())
	}
	if m := most.Load(); m < 2 || m > 4 {
		t.Errorf("at most %d requests in flight, want 2 to 4", m)
	}
}

func TestTransformErrors(t *testing.T) {
	ctx := context.Background()
	objects := &memObjects{objects: map[string][]byte{"in/p.csv": []byte("short\n" + strings.Repeat("x", 40) + "\n")}}
	r := newRun(t, objects, countLines, func(r *transformRun) { r.payload = 16 })
	err := r.object(ctx, transformObject{bucket: "in", key: "p.csv", rel: "p.csv"})
	if err == nil || !strings.Contains(err.Error(), "a record of s3://in/p.csv is larger than MaxPayloadInMB") {
		t.Errorf("long record: %v", err)
	}

	failing := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "ValueError: could not convert string to float: 'short'")
	}
	r = newRun(t, objects, failing, nil)
	err = r.object(ctx, transformObject{bucket: "in", key: "p.csv", rel: "p.csv"})
	if err == nil || !strings.Contains(err.Error(), "HTTP 400: ValueError: could not convert string to float") {
		t.Errorf("HTTP 400: %v", err)
	}
	if _, ok := objects.objects["out/results/p.csv.out"]; ok {
		t.Errorf("a failed object was written")
	}

	// A connection dropped without an answer is retried.
	var calls atomic.Int32
	flaky := func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		countLines(w, r)
	}
	objects = &memObjects{objects: map[string][]byte{"in/p.csv": []byte("a\n")}}
	r = newRun(t, objects, flaky, nil)
	if err := r.object(ctx, transformObject{bucket: "in", key: "p.csv", rel: "p.csv"}); err != nil {
		t.Fatalf("after a dropped connection: %v", err)
	}
	if got := objects.get(t, "out/results/p.csv.out"); got != "n=1\n" || calls.Load() != 2 {
		t.Errorf("output %q after %d calls", got, calls.Load())
	}
}

// A large object goes through in bounded memory: it is never held whole.
func TestTransformLargeObjectStreams(t *testing.T) {
	const size = 960_000 * 100 // whole lines of 100 bytes
	line := []byte(strings.Repeat("7", 99) + "\n")
	gen := func() io.Reader {
		off := 0
		return io.LimitReader(readerFunc(func(p []byte) (int, error) {
			for i := range p {
				p[i] = line[off%len(line)]
				off++
			}
			return len(p), nil
		}), size)
	}
	var peak atomic.Uint64
	ok := func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		for {
			p := peak.Load()
			if ms.HeapInuse <= p || peak.CompareAndSwap(p, ms.HeapInuse) {
				break
			}
		}
		fmt.Fprintf(w, "%d", n)
	}
	objects := &memObjects{objects: map[string][]byte{}, big: map[string]func() io.Reader{"in/big.csv": gen}}
	runtime.GC()
	r := newRun(t, objects, ok, func(r *transformRun) { r.strategy, r.payload, r.concurrency = "MultiRecord", 1<<20, 4 })
	if err := r.object(context.Background(), transformObject{bucket: "in", key: "big.csv", rel: "big.csv"}); err != nil {
		t.Fatal(err)
	}
	out := objects.get(t, "out/results/big.csv.out")
	var total int
	for _, f := range strings.Fields(out) {
		var n int
		fmt.Sscanf(f, "%d", &n)
		total += n
	}
	if total != size {
		t.Errorf("the model received %d bytes, want %d", total, size)
	}
	t.Logf("heap in use peaked at %d MiB", peak.Load()>>20)
	if p := peak.Load(); p > 48<<20 {
		t.Errorf("heap in use peaked at %d MiB while streaming a %d MiB object", p>>20, size>>20)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
