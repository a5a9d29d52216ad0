package awsproto_test

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/operation"
)

type (
	memberKind  string
	membersEcho struct {
		Counts   []int32              `querystring:"count"`
		Kinds    []memberKind         `querystring:"kind"`
		Since    *time.Time           `querystring:"since"`
		Ratio    *float64             `querystring:"ratio"`
		Items    []string             `header:"X-Items"`
		Sizes    []int64              `header:"X-Sizes"`
		Modified *operation.Timestamp `header:"X-Modified"`
		Until    time.Time            `header:"X-Until"`
	}
	membersOut struct {
		Modified  *operation.Timestamp `header:"X-Modified"`
		Until     time.Time            `header:"X-Until" timestampFormat:"date-time"`
		Epoch     *time.Time           `header:"X-Epoch" timestampFormat:"epoch-seconds"`
		Zero      *int32               `header:"X-Zero"`
		Unset     *int32               `header:"X-Unset"`
		Empty     string               `header:"X-Empty"`
		Fraction  *float32             `header:"X-Fraction"`
		Body      string               `json:"body"`
		Forgotten bool                 `header:"X-Forgotten"`
	}
)

// TestRestMembers decodes query and header members of every kind the REST protocols carry
// outside the body — lists of numbers and of named strings, quoted header list items,
// timestamps in each of their three forms — and encodes header members back.
func TestRestMembers(t *testing.T) {
	var got *membersEcho
	until := time.Date(2031, 6, 7, 8, 9, 10, 0, time.UTC)
	modified := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	out := &membersOut{Modified: operation.NewTimestamp(modified), Until: until, Epoch: &until, Zero: new(int32),
		Fraction: func() *float32 { f := float32(0.25); return &f }(), Body: "b"}
	svc := awsproto.NewService(awsproto.Service{Name: "members", Protocol: awsproto.RestJSON},
		answering("Echo", operation.Route{Method: http.MethodGet, Path: "/echo"}, &got, out, nil))
	req := httptest.NewRequest(http.MethodGet, "/echo?count=1&count=-2&kind=a&kind=b&since=2024-05-06T07:08:09.5Z&ratio=0.5", nil)
	req.Header.Add("X-Items", `plain, "with,comma", "with \"quote\""`)
	req.Header.Add("X-Items", "last")
	req.Header.Set("X-Sizes", "1,2, 3")
	req.Header.Set("X-Modified", "1714979289")
	req.Header.Set("X-Until", "Sat, 07 Jun 2031 08:09:10 GMT")
	w := serve(t, svc, req, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	since := time.Date(2024, 5, 6, 7, 8, 9, 5e8, time.UTC)
	ratio := 0.5
	want := &membersEcho{Counts: []int32{1, -2}, Kinds: []memberKind{"a", "b"}, Since: &since, Ratio: &ratio,
		Items: []string{"plain", "with,comma", `with "quote"`, "last"}, Sizes: []int64{1, 2, 3},
		Modified: operation.NewTimestamp(modified), Until: until}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v", got, want)
	}
	for name, v := range map[string]string{
		"X-Modified": "Mon, 06 May 2024 07:08:09 GMT", "X-Until": "2031-06-07T08:09:10Z", "X-Epoch": "1938586150",
		"X-Zero": "0", "X-Fraction": "0.25",
	} {
		if g := w.Header().Get(name); g != v {
			t.Errorf("header %s: %q, want %q", name, g, v)
		}
	}
	for _, name := range []string{"X-Unset", "X-Empty", "X-Forgotten"} {
		if vals, ok := w.Header()[name]; ok {
			t.Errorf("header %s sent as %q", name, vals)
		}
	}

	for _, bad := range []string{"/echo?count=x", "/echo?count=99999999999", "/echo?since=yesterday"} {
		got = nil
		w := serve(t, svc, httptest.NewRequest(http.MethodGet, bad, nil), nil)
		if w.Code != http.StatusBadRequest || got != nil {
			t.Errorf("%s: status %d, handler ran: %v", bad, w.Code, got != nil)
		}
	}
}
