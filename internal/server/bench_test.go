package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
)

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// benchServer opens a server on a temporary data dir (not serving on its listener) and
// returns it with the management account's keys.
func benchServer(b *testing.B) (*Server, string) {
	b.Helper()
	dir := b.TempDir()
	s, err := Open(context.Background(), Options{Listen: "127.0.0.1:0", DataDir: dir,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		s.listener.Close()
		s.close()
	})
	return s, dir
}

// benchServe runs one signed request through ServeHTTP b.N times, without the network:
// the server's own cost per request.
func benchServe(b *testing.B, service, body string, header map[string]string) {
	s, dir := benchServer(b)
	req := signedRequest(b, managementKeys(b, filepath.Join(dir, "credentials")), s.Endpoint(), service, body, header)
	payload := []byte(body)
	w := &discardWriter{header: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := req.Clone(req.Context())
		r.Body = io.NopCloser(bytes.NewReader(payload))
		clear(w.header)
		w.status = 0
		s.ServeHTTP(w, r)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkServeGetCallerIdentity is the awsQuery path: SigV4, key lookup (cached), the
// form decoder and the XML encoder.
func BenchmarkServeGetCallerIdentity(b *testing.B) {
	benchServe(b, "sts", "Action=GetCallerIdentity&Version=2011-06-15",
		map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
}

// BenchmarkServeDescribeOrganization is the awsJson path with authorization and a store
// read.
func BenchmarkServeDescribeOrganization(b *testing.B) {
	benchServe(b, "organizations", "{}", map[string]string{
		"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSOrganizationsV20161128.DescribeOrganization"})
}
