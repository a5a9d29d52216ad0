package awsproto_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/operation"
)

// TestRestNoContent checks that a route answering 204 sends neither a body nor a
// Content-Length, whatever document its output would make, in both REST protocols.
func TestRestNoContent(t *testing.T) {
	type deleted struct {
		Deleted bool   `json:"deleted"`
		Version string `header:"x-amz-version-id"`
	}
	for _, proto := range []awsproto.Protocol{awsproto.RestJSON, awsproto.RestXML} {
		var got *rtEmpty
		svc := awsproto.NewService(awsproto.Service{Name: "nocontent", Protocol: proto},
			answering("DeleteThing", operation.Route{Method: http.MethodDelete, Path: "/things/{Name}", Status: http.StatusNoContent},
				&got, &deleted{Deleted: true, Version: "v1"}, nil))
		w := serve(t, svc, httptest.NewRequest(http.MethodDelete, "/things/a", nil), nil)
		if w.Code != http.StatusNoContent || w.Body.Len() != 0 || w.Header().Get("Content-Length") != "" {
			t.Errorf("%s: %d with Content-Length %q and body %q, want 204 and nothing", proto, w.Code,
				w.Header().Get("Content-Length"), w.Body)
		}
		if v := w.Header().Get("X-Amz-Version-Id"); v != "v1" {
			t.Errorf("%s: header x-amz-version-id %q, want v1", proto, v)
		}
	}
}
