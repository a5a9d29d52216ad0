package awsproto

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
)

// restCodec implements restJson1 and restXml: the operation is chosen by method and path
// (and sometimes a query sub-resource); members travel in the URI (`uri:"Name"`), the
// query string (`querystring:"name"`), headers (`header:"Name"`) and the body.
type restCodec struct{ json bool }

// route is a compiled Route: literal and parameter segments, required query keys (and
// values), and a required header.
type route struct {
	op       *Operation
	method   string
	segments []segment
	query    []queryKey // "tagging" in "?tagging", list-type=2 in "?list-type=2"
	header   string
}

type segment struct {
	literal string
	param   string
	greedy  bool // {Key+}
}

// queryKey is a query parameter a route requires; value is checked when set.
type queryKey struct {
	key, value string
}

func compileRoute(op *Operation) *route {
	path, query, _ := strings.Cut(op.Route.Path, "?")
	r := &route{op: op, method: op.Route.Method, header: op.Route.Header}
	for _, part := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		switch {
		case strings.HasPrefix(part, "{") && strings.HasSuffix(part, "+}"):
			r.segments = append(r.segments, segment{param: part[1 : len(part)-2], greedy: true})
		case strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}"):
			r.segments = append(r.segments, segment{param: part[1 : len(part)-1]})
		default:
			r.segments = append(r.segments, segment{literal: part})
		}
	}
	if query != "" {
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			r.query = append(r.query, queryKey{key: k, value: v})
		}
	}
	return r
}

// more orders routes so the most specific is tried first: more query keys, then a
// required header, then more literal segments.
func (r *route) more(o *route) bool {
	if len(r.query) != len(o.query) {
		return len(r.query) > len(o.query)
	}
	if (r.header != "") != (o.header != "") {
		return r.header != ""
	}
	return r.literals() > o.literals()
}

func (r *route) literals() int {
	n := 0
	for _, s := range r.segments {
		if s.param == "" {
			n++
		}
	}
	return n
}

// names reports whether the route requires query key k.
func (r *route) names(k string) bool {
	for _, q := range r.query {
		if q.key == k {
			return true
		}
	}
	return false
}

// match returns the URI parameters when r serves the request's method and path.
// subresources are the service's query keys that select an operation: a request
// carrying one matches only a route that names it.
func (r *route) match(req *http.Request, parts []string, query url.Values, subresources []string) (map[string]string, bool) {
	if req.Method != r.method {
		return nil, false
	}
	return r.matchPath(req, parts, query, subresources)
}

func (r *route) matchPath(req *http.Request, parts []string, query url.Values, subresources []string) (map[string]string, bool) {
	for _, q := range r.query {
		vals, ok := query[q.key]
		if !ok || q.value != "" && (len(vals) == 0 || vals[0] != q.value) {
			return nil, false
		}
	}
	for _, k := range subresources {
		if _, ok := query[k]; ok && !r.names(k) {
			return nil, false
		}
	}
	if r.header != "" && req.Header.Get(r.header) == "" {
		return nil, false
	}
	// A trailing slash after the last non-greedy segment ("PUT /bucket/") is allowed.
	if n := len(r.segments); n > 0 && !r.segments[n-1].greedy && len(parts) == n+1 && parts[n] == "" {
		parts = parts[:n]
	}
	params := map[string]string{}
	for i, s := range r.segments {
		if s.greedy {
			if i >= len(parts) {
				return nil, false
			}
			params[s.param] = strings.Join(parts[i:], "/")
			return params, params[s.param] != ""
		}
		if i >= len(parts) {
			return nil, false
		}
		if s.param != "" {
			if parts[i] == "" {
				return nil, false
			}
			params[s.param] = parts[i]
		} else if s.literal != parts[i] {
			return nil, false
		}
	}
	return params, len(parts) == len(r.segments)
}

// pathParts splits the request path into unescaped segments, with the segment the
// service's VirtualHost finds in the Host header first.
func pathParts(s *Service, r *http.Request) []string {
	raw := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	parts := strings.Split(raw, "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	if s.VirtualHost != nil {
		if first := s.VirtualHost(r); first != "" {
			if len(parts) == 1 && parts[0] == "" {
				return []string{first}
			}
			parts = append([]string{first}, parts...)
		}
	}
	return parts
}

func (c restCodec) operation(s *Service, call *Call) (*Operation, map[string]string, error) {
	r := call.Request
	parts := pathParts(s, r)
	query := r.URL.Query()
	for _, rt := range s.routes {
		if params, ok := rt.match(r, parts, query, s.Subresources); ok {
			return rt.op, params, nil
		}
	}
	if c.json {
		return nil, nil, operation.Errorf(http.StatusNotFound, "UnknownOperationException", "No operation of %s serves %s %s.", s.Name, r.Method, r.URL.Path)
	}
	for _, rt := range s.routes {
		if _, ok := rt.matchPath(r, parts, query, s.Subresources); ok {
			return nil, nil, operation.Errorf(http.StatusMethodNotAllowed, "MethodNotAllowed",
				"The specified method is not allowed against this resource.").With("Method", r.Method)
		}
	}
	return nil, nil, operation.Errorf(http.StatusNotImplemented, "NotImplemented",
		"A header or query parameter you provided implies functionality that is not implemented.")
}

func (c restCodec) decode(s *Service, params map[string]string, call *Call, in any) error {
	r := call.Request
	v := reflect.ValueOf(in).Elem()
	if err := c.decodeBody(s, call, v); err != nil {
		return err
	}
	query := r.URL.Query()
	for _, sf := range restFields(v.Type()) {
		f := v.FieldByIndex(sf.Index)
		var raw string
		var ok bool
		switch {
		case sf.uri != "":
			raw, ok = params[sf.uri]
		case sf.query != "":
			if vals, present := query[sf.query]; present {
				if isList(f) {
					if err := setList(s, f, vals, operation.WireName(sf.StructField)); err != nil {
						return err
					}
					continue
				}
				raw, ok = vals[0], true
			}
		case sf.header != "":
			if vals := r.Header.Values(sf.header); len(vals) > 0 {
				if isList(f) {
					if err := setList(s, f, splitHeaderList(vals), operation.WireName(sf.StructField)); err != nil {
						return err
					}
					continue
				}
				raw, ok = vals[0], true
			}
		case sf.headerPrefix != "":
			decodeHeaderMap(f, r.Header, sf.headerPrefix)
			continue
		default:
			continue
		}
		if !ok {
			continue
		}
		if err := setScalar(s, f, raw, operation.WireName(sf.StructField)); err != nil {
			return err
		}
	}
	return nil
}

// hasBodyMembers reports whether any member of t travels in the body as part of the
// document (not as a payload member, which decodeBody and encodePayload handle).
func hasBodyMembers(t reflect.Type) bool {
	for _, f := range restFields(t) {
		if f.inBody {
			return true
		}
	}
	return false
}

func (c restCodec) encode(s *Service, op *Operation, w http.ResponseWriter, requestID string, out any) error {
	h := w.Header()
	if c.json {
		h.Set("Content-Type", "application/json")
		h.Set("X-Amzn-Requestid", requestID)
	} else {
		h.Set("Content-Type", "application/xml")
		h.Set("X-Amz-Request-Id", requestID)
		h.Set("X-Amz-Id-2", requestID)
	}
	v := reflect.ValueOf(out)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	status := op.Route.SuccessStatus()
	var payload *restField
	if v.Kind() == reflect.Struct {
		for _, sf := range restFields(v.Type()) {
			f := v.FieldByIndex(sf.Index)
			switch {
			case sf.header != "":
				// A pointer member is sent when set, even to its zero value (a
				// DeleteMarker of false); any other member only when not zero.
				if f.Kind() == reflect.Pointer {
					if f.IsNil() {
						continue
					}
					f = f.Elem()
				} else if f.IsZero() {
					continue
				}
				h.Set(sf.header, headerValue(f, sf.Tag.Get("timestampFormat")))
			case sf.headerPrefix != "":
				encodeHeaderMap(h, f, sf.headerPrefix)
			case sf.status:
				if n := f.Int(); n != 0 {
					status = int(n)
				}
			case sf.payload:
				payload = &sf
			}
		}
	}
	if payload != nil {
		return c.encodePayload(s, op, w, status, v.FieldByIndex(payload.Index), *payload)
	}
	var body []byte
	var err error
	switch {
	case c.json:
		// As the awsJson codec: the document is built in a pooled buffer, written, and the
		// buffer kept for the next answer.
		buf := outputBuffers.Get().(*bytes.Buffer)
		defer putOutputBuffer(buf)
		buf.Reset()
		if err := marshalOutputTo(buf, out); err != nil {
			return err
		}
		body = buf.Bytes()
	case v.Kind() == reflect.Struct && hasBodyMembers(v.Type()):
		body, err = marshalXML(s, v, "")
	}
	if err != nil {
		return err
	}
	return writeBody(w, op, status, body)
}

// writeBody writes a buffered response body; HEAD responses keep the Content-Length
// their headers announce and carry no body, and statuses that allow no body (204 No
// Content, 304 Not Modified) get neither a body nor a Content-Length, whatever the
// output's document would have been.
func writeBody(w http.ResponseWriter, op *Operation, status int, body []byte) error {
	if op.Route.Method == http.MethodHead {
		if w.Header().Get("Content-Length") == "" {
			w.Header().Set("Content-Length", "0")
		}
		w.WriteHeader(status)
		return nil
	}
	if status == http.StatusNoContent || status == http.StatusNotModified {
		w.WriteHeader(status)
		return nil
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if len(body) == 0 {
		return nil
	}
	_, err := w.Write(body)
	return err
}

func (c restCodec) encodeError(s *Service, w http.ResponseWriter, requestID string, e *Error) {
	if c.json {
		writeJSONError(w, "application/json", requestID, e, s.quirks.errorCodeMembers)
		return
	}
	WriteXMLError(w, requestID, e)
}

// WriteXMLError writes an error in restXml's (S3's) shape.
func WriteXMLError(w http.ResponseWriter, requestID string, e *Error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header + `<Error><Code>`)
	xml.EscapeText(&buf, []byte(e.Code))
	buf.WriteString(`</Code><Message>`)
	xml.EscapeText(&buf, []byte(e.Message))
	buf.WriteString(`</Message>`)
	for k, v := range e.Fields {
		buf.WriteString("<" + k + ">")
		xml.EscapeText(&buf, []byte(v))
		buf.WriteString("</" + k + ">")
	}
	buf.WriteString(`<RequestId>` + requestID + `</RequestId><HostId>` + requestID + `</HostId></Error>`)
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("X-Amz-Request-Id", requestID)
	h.Set("X-Amz-Id-2", requestID)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	for k, v := range e.Header {
		h.Set(k, v)
	}
	w.WriteHeader(e.Status)
	w.Write(buf.Bytes())
}
