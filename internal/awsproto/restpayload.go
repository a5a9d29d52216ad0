package awsproto

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/cairnhq/cairn/internal/operation"
)

// MaxDocumentBytes bounds a request document (an XML or JSON body that is decoded
// rather than streamed) read from a streaming service's body: S3's largest, a
// CompleteMultipartUpload of 10,000 parts, is well below it.
const MaxDocumentBytes = 8 << 20

// Body is a streamed payload member of a REST input (`payload:"true"` on a *Body field):
// the verified request body, never buffered whole. A handler reads it to io.EOF; only a
// read that ends in io.EOF proves the body authentic, and an error from Read is already
// an *Error of the service's protocol when it is an authentication failure.
type Body struct {
	io.Reader
	// Length is the payload's length in bytes (the X-Amz-Decoded-Content-Length of an
	// aws-chunked body), or -1 when the request does not say.
	Length int64
	// Chunked reports an aws-chunked body (its Content-Encoding names aws-chunked).
	Chunked bool

	trailer func() http.Header
}

// NewBody returns a Body reading r, of length n (-1 if unknown), with no trailer.
func NewBody(r io.Reader, n int64) *Body { return &Body{Reader: r, Length: n} }

// Trailer returns the trailing headers of an aws-chunked body (x-amz-checksum-crc32, …)
// once Read has returned io.EOF; nil before that and for other bodies.
func (b *Body) Trailer() http.Header {
	if b.trailer == nil {
		return nil
	}
	return b.trailer()
}

var (
	bodyType   = reflect.TypeOf((*Body)(nil))
	readerType = reflect.TypeOf((*io.Reader)(nil)).Elem()
)

// restField is a member of a REST input or output with where it travels, read once from
// its tags.
type restField struct {
	reflect.StructField
	uri, query, header, headerPrefix string
	payload, status, inBody          bool
}

// restFields lists the members of a REST input or output, with those of embedded
// structures promoted (an operation's inputs may share a block of headers).
func restFields(t reflect.Type) []restField {
	if f, ok := restFieldsOf.Load(t); ok {
		return f.([]restField)
	}
	var out []restField
	for _, sf := range reflect.VisibleFields(t) {
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			continue
		}
		f := restField{StructField: sf, uri: sf.Tag.Get("uri"), query: sf.Tag.Get("querystring"),
			header: sf.Tag.Get("header"), headerPrefix: sf.Tag.Get("headerPrefix"),
			payload: sf.Tag.Get("payload") != "", status: sf.Tag.Get("status") != ""}
		f.inBody = sf.IsExported() && sf.Name != "XMLName" && sf.Tag.Get("xml") != "-" &&
			f.uri == "" && f.query == "" && f.header == "" && f.headerPrefix == "" && !f.payload && !f.status
		out = append(out, f)
	}
	restFieldsOf.Store(t, out)
	return out
}

// restFieldsOf caches restFields per type.
var restFieldsOf sync.Map // reflect.Type → []restField

// payloadField returns t's `payload:"true"` member.
func payloadField(t reflect.Type) (restField, bool) {
	for _, f := range restFields(t) {
		if f.payload {
			return f, true
		}
	}
	return restField{}, false
}

// requestBody returns the request's payload: the buffered body, or a Body over the
// verified stream of a streaming service.
func requestBody(call *Call) *Body {
	r := call.Request
	if call.Stream == nil {
		return &Body{Reader: bytes.NewReader(call.Body), Length: int64(len(call.Body))}
	}
	b := &Body{Reader: call.Stream, Length: r.ContentLength, trailer: call.Trailer}
	if s := r.Header.Get("X-Amz-Decoded-Content-Length"); s != "" {
		b.Length = -1
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
			b.Length = n
		}
	}
	for _, enc := range strings.Split(r.Header.Get("Content-Encoding"), ",") {
		if strings.TrimSpace(enc) == "aws-chunked" {
			b.Chunked = true
		}
	}
	return b
}

// decodeBody fills the members of v that the body carries: a streamed *Body payload, a
// payload document or string, or (without a payload member) the document's members.
func (c restCodec) decodeBody(s *Service, call *Call, v reflect.Value) error {
	t := v.Type()
	p, hasPayload := payloadField(t)
	if hasPayload && p.Type == bodyType {
		v.FieldByIndex(p.Index).Set(reflect.ValueOf(requestBody(call)))
		return nil
	}
	if !hasPayload && !hasBodyMembers(t) {
		return nil
	}
	body := call.Body
	if body == nil && call.Stream != nil {
		var err error
		if body, err = readDocument(call.Stream); err != nil {
			return err
		}
		if s.CheckBody != nil {
			if err := s.CheckBody(call.Request, body, requestBody(call).Trailer()); err != nil {
				return err
			}
		}
	}
	if !hasPayload {
		if len(bytes.Trim(body, " \t\r\n")) == 0 { // JSON's and XML's whitespace only
			return nil
		}
		return c.unmarshal(body, v.Addr().Interface())
	}
	f := v.FieldByIndex(p.Index)
	switch {
	case f.Kind() == reflect.String:
		f.SetString(string(body))
	case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Uint8:
		f.SetBytes(body)
	default:
		if len(bytes.Trim(body, " \t\r\n")) == 0 { // JSON's and XML's whitespace only
			return nil
		}
		if f.Kind() == reflect.Pointer {
			f.Set(reflect.New(f.Type().Elem()))
			f = f.Elem()
		}
		return c.unmarshal(body, f.Addr().Interface())
	}
	return nil
}

func (c restCodec) unmarshal(body []byte, dst any) error {
	if c.json {
		return operation.DecodeJSON(body, dst)
	}
	if err := xml.Unmarshal(body, dst); err != nil {
		return operation.Errorf(http.StatusBadRequest, "MalformedXML",
			"The XML you provided was not well-formed or did not validate against our published schema.")
	}
	return nil
}

// readDocument reads a whole request document from a streamed body, bounded by
// MaxDocumentBytes.
func readDocument(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxDocumentBytes+1))
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, e
		}
		return nil, operation.Errorf(http.StatusBadRequest, "IncompleteBody", "The request body could not be read: %v.", err)
	}
	if len(body) > MaxDocumentBytes {
		return nil, operation.Errorf(http.StatusBadRequest, "MaxMessageLengthExceeded",
			"Your request was too big: request documents are limited to %d bytes.", MaxDocumentBytes)
	}
	return body, nil
}

// encodePayload writes a response whose body is one payload member: a stream (any
// io.Reader, closed afterwards if it is an io.Closer), a string or []byte, or a document.
func (c restCodec) encodePayload(s *Service, op *Operation, w http.ResponseWriter, status int, f reflect.Value, sf restField) error {
	if f.Type().Implements(readerType) {
		if (f.Kind() == reflect.Pointer || f.Kind() == reflect.Interface) && f.IsNil() {
			return writeBody(w, op, status, nil)
		}
		r := f.Interface().(io.Reader)
		if cl, ok := r.(io.Closer); ok {
			defer cl.Close()
		}
		if op.Route.Method == http.MethodHead {
			return writeBody(w, op, status, nil)
		}
		w.WriteHeader(status)
		_, err := io.Copy(w, r)
		return err
	}
	switch {
	case f.Kind() == reflect.String:
		return writeBody(w, op, status, []byte(f.String()))
	case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Uint8:
		return writeBody(w, op, status, f.Bytes())
	case f.Kind() == reflect.Pointer && f.IsNil():
		return writeBody(w, op, status, nil)
	}
	var body []byte
	var err error
	if c.json {
		body, err = json.Marshal(f.Interface())
	} else {
		name, _, _ := strings.Cut(sf.Tag.Get("xml"), ",")
		if name == "" {
			name = sf.Name
		}
		body, err = marshalXML(s, f, name)
	}
	if err != nil {
		return err
	}
	return writeBody(w, op, status, body)
}

// marshalXML renders v as a restXml document: its root element is named by v's XMLName
// member (else fallback, else the type's name) and carries the service's namespace.
func marshalXML(s *Service, v reflect.Value, fallback string) ([]byte, error) {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	name := fallback
	if f, ok := v.Type().FieldByName("XMLName"); ok {
		tag, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if i := strings.LastIndexByte(tag, ' '); i >= 0 {
			tag = tag[i+1:]
		}
		if tag != "" {
			name = tag
		}
	}
	if name == "" {
		name = v.Type().Name()
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	start := xml.StartElement{Name: xml.Name{Local: name}}
	if s.XMLNamespace != "" {
		start.Attr = []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: s.XMLNamespace}}
	}
	if err := enc.EncodeElement(v.Interface(), start); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeHeaderMap fills a map[string]string member from the headers that start with
// prefix (S3's x-amz-meta-*), keyed by the rest of the name in lower case.
func decodeHeaderMap(f reflect.Value, h http.Header, prefix string) {
	if f.Kind() != reflect.Map || f.Type().Key().Kind() != reflect.String || f.Type().Elem().Kind() != reflect.String {
		return
	}
	prefix = strings.ToLower(prefix)
	for k, vals := range h {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, prefix) || len(lk) == len(prefix) || len(vals) == 0 {
			continue
		}
		if f.IsNil() {
			f.Set(reflect.MakeMap(f.Type()))
		}
		f.SetMapIndex(reflect.ValueOf(lk[len(prefix):]), reflect.ValueOf(strings.Join(vals, ",")))
	}
}

// encodeHeaderMap writes a map[string]string member as headers named prefix+key, in
// lower case as AWS sends them (clients take the key from the header name as written).
func encodeHeaderMap(h http.Header, f reflect.Value, prefix string) {
	if f.Kind() != reflect.Map || f.Type().Key().Kind() != reflect.String || f.Type().Elem().Kind() != reflect.String {
		return
	}
	iter := f.MapRange()
	for iter.Next() {
		h[strings.ToLower(prefix+iter.Key().String())] = []string{iter.Value().String()}
	}
}
