package awsproto

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/cairnhq/cairn/internal/operation"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// jsonCodec implements awsJson1.0 and awsJson1.1: POST / with X-Amz-Target
// "<TargetPrefix>.<Operation>" and a JSON body.
type jsonCodec struct{}

func (jsonCodec) contentType(s *Service) string {
	if s.Protocol == JSON10 {
		return "application/x-amz-json-1.0"
	}
	return "application/x-amz-json-1.1"
}

func (c jsonCodec) operation(s *Service, call *Call) (*Operation, map[string]string, error) {
	r := call.Request
	target := r.Header.Get("X-Amz-Target")
	prefix, name, ok := strings.Cut(target, ".")
	if !ok || prefix != s.TargetPrefix {
		return nil, nil, operation.Errorf(http.StatusBadRequest, "UnknownOperationException",
			"The X-Amz-Target header %q does not name an operation of %s.", target, s.TargetPrefix)
	}
	if r.Method != http.MethodPost {
		return nil, nil, operation.Errorf(http.StatusBadRequest, "UnknownOperationException",
			"%s requests must use POST, not %s.", s.TargetPrefix, r.Method)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/x-amz-json-1.0" && mt != "application/x-amz-json-1.1" && mt != "application/json") {
			return nil, nil, operation.Errorf(http.StatusBadRequest, "UnknownOperationException",
				"The content type %q is not supported; send %s.", ct, c.contentType(s))
		}
	}
	op := s.model.Operation(name)
	if op == nil {
		return nil, nil, operation.Errorf(http.StatusBadRequest, "UnknownOperationException",
			"%s is not an operation of %s that Cairn serves.", name, s.TargetPrefix)
	}
	return op, nil, nil
}

func (jsonCodec) decode(s *Service, _ map[string]string, c *Call, in any) error {
	return s.model.DecodeJSON(c.Body, in)
}

func (c jsonCodec) encode(s *Service, _ *Operation, w http.ResponseWriter, requestID string, out any) error {
	buf := outputBuffers.Get().(*bytes.Buffer)
	defer putOutputBuffer(buf)
	buf.Reset()
	if err := marshalOutputTo(buf, out); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", c.contentType(s))
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

// outputBuffers hold answers while they are written, so that a large answer (a KMS
// ciphertext in base64) is not allocated anew for every request.
var outputBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putOutputBuffer returns buf to the pool unless it grew past what a pool should keep.
func putOutputBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 64<<10 {
		outputBuffers.Put(buf)
	}
}

func (c jsonCodec) encodeError(s *Service, w http.ResponseWriter, requestID string, e *Error) {
	writeJSONError(w, c.contentType(s), requestID, e, s.quirks.errorCodeMembers)
}

// marshalOutputTo writes an output as a JSON document to buf; a handler's nil output is
// the empty structure, which clients read where they could not read null. The document is
// encoding/json's, written by json/v2: fewer copies of a large base64 member.
func marshalOutputTo(buf *bytes.Buffer, out any) error {
	if isNil(out) {
		buf.WriteString("{}")
		return nil
	}
	return jsonv2.MarshalWrite(buf, out, jsonv1.DefaultOptionsV1())
}

// isNil reports whether an output is nil or a nil pointer.
func isNil(out any) bool {
	if out == nil {
		return true
	}
	v := reflect.ValueOf(out)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// WriteJSONError writes an error in awsJson1.1's shape, for requests whose service is not
// known.
func WriteJSONError(w http.ResponseWriter, requestID string, e *Error) {
	writeJSONError(w, "application/x-amz-json-1.1", requestID, e, protocolQuirks[JSON11].errorCodeMembers)
}

// writeJSONError writes e as the JSON protocols do: the code in the X-Amzn-Errortype
// header and in each of codeMembers, the message in "message", and the error's extra
// members.
func writeJSONError(w http.ResponseWriter, contentType, requestID string, e *Error, codeMembers []string) {
	doc := map[string]string{"message": e.Message}
	for _, k := range codeMembers {
		doc[k] = e.Code
	}
	for k, v := range e.Fields {
		doc[k] = v
	}
	body, _ := json.Marshal(doc)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("X-Amzn-Errortype", e.Code)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	for k, v := range e.Header {
		h.Set(k, v)
	}
	w.WriteHeader(e.Status)
	w.Write(body)
}
