package sigv4_test

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/cairnhq/cairn/internal/sigv4"
)

// This handler authenticates requests of a JSON or query protocol service,
// which reads the whole body, and of S3, which streams it.
func ExampleVerifier_Verify() {
	secrets := map[string]string{"AKIDEXAMPLE": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	v := sigv4.NewVerifier(sigv4.Options{Now: time.Now})

	handler := func(w http.ResponseWriter, r *http.Request) {
		sig, err := sigv4.Parse(r)
		if err != nil {
			fail(w, err)
			return
		}
		secret, ok := secrets[sig.AccessKeyID]
		if !ok {
			http.Error(w, "InvalidAccessKeyId", http.StatusForbidden)
			return
		}
		var payload []byte
		if sig.Scope.Service != "s3" {
			if payload, err = io.ReadAll(r.Body); err != nil {
				return
			}
		}
		res, err := v.Verify(r, sig, secret, payload)
		if err != nil {
			fail(w, err)
			return
		}
		if res.Body != nil {
			// Stream res.Body to storage; commit only if it reads to io.EOF.
			if _, err := io.Copy(io.Discard, res.Body); err != nil {
				fail(w, err)
				return
			}
			_ = res.Trailer().Get("X-Amz-Checksum-Crc32")
		}
		w.WriteHeader(http.StatusOK)
	}
	_ = handler
}

func fail(w http.ResponseWriter, err error) {
	var e *sigv4.Error
	if errors.As(err, &e) {
		http.Error(w, string(e.Code)+": "+e.Message, http.StatusForbidden)
		return
	}
	http.Error(w, "InternalError", http.StatusInternalServerError)
}
