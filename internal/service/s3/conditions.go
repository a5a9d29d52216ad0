package s3

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// Conditions are the preconditions of a read (GetObject, HeadObject) or of a copy's
// source.
type Conditions struct {
	IfMatch           string
	IfNoneMatch       string
	IfModifiedSince   string
	IfUnmodifiedSince string
}

// check applies the conditions to o in S3's order. A failed If-None-Match or
// If-Modified-Since answers 304 Not Modified on reads (notModified) and 412 on copies.
func (c Conditions) check(o *store.Object, copySource bool) error {
	modified := o.LastModified.Truncate(time.Second)
	ifMatchHeld := false
	if c.IfMatch != "" {
		if !etagMatches(c.IfMatch, o.ETag) {
			return errPreconditionFailed(c.name("If-Match", copySource))
		}
		ifMatchHeld = true
	}
	if c.IfUnmodifiedSince != "" && !ifMatchHeld {
		if t, ok := parseHTTPTime(c.IfUnmodifiedSince); ok && modified.After(t) {
			return errPreconditionFailed(c.name("If-Unmodified-Since", copySource))
		}
	}
	ifNoneMatchFailed := false
	if c.IfNoneMatch != "" {
		if etagMatches(c.IfNoneMatch, o.ETag) {
			return notModified(o, copySource, c.name("If-None-Match", copySource))
		}
		ifNoneMatchFailed = true
	}
	if c.IfModifiedSince != "" && !ifNoneMatchFailed {
		if t, ok := parseHTTPTime(c.IfModifiedSince); ok && !modified.After(t) {
			return notModified(o, copySource, c.name("If-Modified-Since", copySource))
		}
	}
	return nil
}

func (c Conditions) name(header string, copySource bool) string {
	if copySource {
		return "x-amz-copy-source-" + strings.ToLower(header)
	}
	return header
}

// notModified is the answer to a read whose object did not change: 304 with the
// object's validators and no body. A copy answers 412 instead.
func notModified(o *store.Object, copySource bool, condition string) error {
	if copySource {
		return errPreconditionFailed(condition)
	}
	return &operation.Error{Code: "NotModified", Status: http.StatusNotModified, Message: "Not Modified",
		Header: map[string]string{"ETag": o.ETag, "Last-Modified": o.LastModified.UTC().Format(http.TimeFormat)}}
}

// etagMatches reports whether an If-Match/If-None-Match list names etag ("*" names any).
func etagMatches(list, etag string) bool {
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimSpace(e)
		e = strings.TrimPrefix(e, "W/")
		if e == "*" || e == etag || `"`+e+`"` == etag {
			return true
		}
	}
	return false
}

// parseHTTPTime reads an HTTP date; S3 ignores a condition whose date it cannot read.
func parseHTTPTime(s string) (time.Time, bool) {
	t, err := http.ParseTime(s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return time.Time{}, false
		}
	}
	return t, true
}

// byteRange is a satisfiable range of an object: [start, start+length).
type byteRange struct {
	start, length int64
}

// parseRange reads a Range header ("bytes=0-99", "bytes=100-", "bytes=-100") against an
// object of size bytes. ok is false when the header is absent or not one range S3 honours
// (then the whole object is served); an unsatisfiable range is InvalidRange.
func parseRange(h string, size int64) (r byteRange, ok bool, err error) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return r, false, nil
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return r, false, nil
	}
	invalid := func() error {
		e := s3Error(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable").
			With("RangeRequested", h).With("ActualObjectSize", strconv.FormatInt(size, 10))
		e.Header = map[string]string{"Content-Range": "bytes */" + strconv.FormatInt(size, 10)}
		return e
	}
	switch {
	case first == "" && last == "":
		return r, false, nil
	case first == "":
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return r, false, nil
		}
		if n == 0 || size == 0 {
			return r, false, invalid()
		}
		n = min(n, size)
		return byteRange{start: size - n, length: n}, true, nil
	default:
		start, err := strconv.ParseInt(first, 10, 64)
		if err != nil || start < 0 {
			return r, false, nil
		}
		end := size - 1
		if last != "" {
			if end, err = strconv.ParseInt(last, 10, 64); err != nil || end < start {
				return r, false, nil
			}
			end = min(end, size-1)
		}
		if start >= size {
			return r, false, invalid()
		}
		return byteRange{start: start, length: end - start + 1}, true, nil
	}
}
