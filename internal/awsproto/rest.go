package awsproto

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// restCodec implements restJson1 and restXml: the operation is chosen by method and path
// (and sometimes a query sub-resource); members travel in the URI (`uri:"Name"`), the
// query string (`querystring:"name"`), headers (`header:"Name"`) and the body.
type restCodec struct{ json bool }

// route is a compiled Route: literal and parameter segments, and required query keys.
type route struct {
	op       *Operation
	method   string
	segments []segment
	query    []string // keys that must be present ("tagging" in "?tagging")
}

type segment struct {
	literal string
	param   string
	greedy  bool // {Key+}
}

func compileRoute(op *Operation) *route {
	path, query, _ := strings.Cut(op.Route.Path, "?")
	r := &route{op: op, method: op.Route.Method}
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
			k, _, _ := strings.Cut(kv, "=")
			r.query = append(r.query, k)
		}
	}
	return r
}

// more orders routes so the most specific is tried first: more query keys, then more
// literal segments.
func (r *route) more(o *route) bool {
	if len(r.query) != len(o.query) {
		return len(r.query) > len(o.query)
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

// match returns the URI parameters when r serves method and path.
func (r *route) match(method string, parts []string, query url.Values) (map[string]string, bool) {
	if method != r.method {
		return nil, false
	}
	for _, k := range r.query {
		if _, ok := query[k]; !ok {
			return nil, false
		}
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

func (c restCodec) operation(s *Service, call *Call) (*Operation, map[string]string, error) {
	r := call.Request
	raw := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	parts := strings.Split(raw, "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	query := r.URL.Query()
	for _, rt := range s.routes {
		if params, ok := rt.match(r.Method, parts, query); ok {
			return rt.op, params, nil
		}
	}
	code := "UnknownOperationException"
	if !c.json {
		code = "MethodNotAllowed"
	}
	return nil, nil, Errorf(http.StatusNotFound, code, "No operation of %s serves %s %s.", s.Name, r.Method, r.URL.Path)
}

func (c restCodec) decode(s *Service, params map[string]string, call *Call, in any) error {
	r, body := call.Request, call.Body
	v := reflect.ValueOf(in).Elem()
	if len(bytes.TrimSpace(body)) > 0 && hasBodyMembers(v.Type()) {
		if c.json {
			if err := decodeJSON(body, in); err != nil {
				return err
			}
		} else if err := xml.Unmarshal(body, in); err != nil {
			return Errorf(http.StatusBadRequest, "MalformedXML",
				"The XML you provided was not well-formed or did not validate against our published schema.")
		}
	}
	query := r.URL.Query()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		var raw string
		var ok bool
		switch {
		case sf.Tag.Get("uri") != "":
			raw, ok = params[sf.Tag.Get("uri")]
		case sf.Tag.Get("querystring") != "":
			name := sf.Tag.Get("querystring")
			if vals, present := query[name]; present {
				if v.Field(i).Kind() == reflect.Slice {
					v.Field(i).Set(reflect.ValueOf(vals))
					continue
				}
				raw, ok = vals[0], true
			}
		case sf.Tag.Get("header") != "":
			if vals := r.Header.Values(sf.Tag.Get("header")); len(vals) > 0 {
				raw, ok = vals[0], true
			}
		default:
			continue
		}
		if !ok {
			continue
		}
		if err := setScalar(s, v.Field(i), raw, wireName(sf)); err != nil {
			return err
		}
	}
	return nil
}

// hasBodyMembers reports whether any member of t travels in the body.
func hasBodyMembers(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.IsExported() && sf.Tag.Get("uri") == "" && sf.Tag.Get("querystring") == "" && sf.Tag.Get("header") == "" {
			return true
		}
	}
	return false
}

func setScalar(s *Service, v reflect.Value, raw, name string) error {
	if v.Kind() == reflect.Pointer {
		v.Set(reflect.New(v.Type().Elem()))
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return s.validationf("Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean.", raw, lowerFirst(name))
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return s.validationf("Value '%s' at '%s' failed to satisfy constraint: Member must be an integer.", raw, lowerFirst(name))
		}
		v.SetInt(n)
	}
	return nil
}

func (c restCodec) encode(s *Service, op *Operation, w http.ResponseWriter, requestID string, out any) error {
	h := w.Header()
	v := reflect.ValueOf(out)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if name := t.Field(i).Tag.Get("header"); name != "" {
				f := v.Field(i)
				if f.Kind() == reflect.Pointer {
					if f.IsNil() {
						continue
					}
					f = f.Elem()
				}
				if !f.IsZero() {
					h.Set(name, stringOf(f))
				}
			}
		}
	}
	var body []byte
	var err error
	if c.json {
		h.Set("Content-Type", "application/json")
		h.Set("X-Amzn-Requestid", requestID)
		body, err = json.Marshal(out)
	} else {
		h.Set("Content-Type", "application/xml")
		h.Set("X-Amz-Request-Id", requestID)
		if v.Kind() == reflect.Struct && hasBodyMembers(v.Type()) {
			body, err = xml.Marshal(out)
			body = append([]byte(xml.Header), body...)
		}
	}
	if err != nil {
		return err
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(op.Route.status())
	_, err = w.Write(body)
	return err
}

func stringOf(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	}
	return ""
}

func (c restCodec) encodeError(s *Service, w http.ResponseWriter, requestID string, e *Error) {
	if c.json {
		writeJSONError(w, "application/json", requestID, e)
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
