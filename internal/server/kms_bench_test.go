package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
)

// kmsCall runs one KMS operation as the management account's root and returns its answer.
func kmsCall(b *testing.B, s *Server, dir, op string, in any) []byte {
	b.Helper()
	body, _ := json.Marshal(in)
	req := signedRequest(b, managementKeys(b, filepath.Join(dir, "credentials")), s.Endpoint(), "kms", string(body),
		map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService." + op})
	w := &recordingWriter{header: http.Header{}}
	s.ServeHTTP(w, req)
	if w.status != http.StatusOK {
		b.Fatalf("%s: status %d: %s", op, w.status, w.body.Bytes())
	}
	return w.body.Bytes()
}

type recordingWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recordingWriter) Header() http.Header         { return w.header }
func (w *recordingWriter) Write(b []byte) (int, error) { return w.body.Write(b) }
func (w *recordingWriter) WriteHeader(status int)      { w.status = status }

// benchKMS runs Encrypt or Decrypt of 4 KiB through ServeHTTP, without the network: the
// server's own cost of the body's JSON and base64, SigV4 over it, the key policy and
// AES-GCM, to compare with BenchmarkServeGetCallerIdentity.
func benchKMS(b *testing.B, decrypt bool) {
	s, dir := benchServer(b)
	var key struct{ KeyMetadata struct{ KeyId string } }
	json.Unmarshal(kmsCall(b, s, dir, "CreateKey", map[string]any{}), &key)
	plain := make([]byte, 4096)
	op, in := "Encrypt", map[string]any{"KeyId": key.KeyMetadata.KeyId, "Plaintext": plain}
	if decrypt {
		var enc struct{ CiphertextBlob []byte }
		json.Unmarshal(kmsCall(b, s, dir, "Encrypt", in), &enc)
		op, in = "Decrypt", map[string]any{"CiphertextBlob": enc.CiphertextBlob}
	}
	body, _ := json.Marshal(in)
	benchServeOn(b, s, dir, "kms", string(body), map[string]string{
		"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService." + op})
}

func BenchmarkServeEncrypt4KiB(b *testing.B) { benchKMS(b, false) }
func BenchmarkServeDecrypt4KiB(b *testing.B) { benchKMS(b, true) }
