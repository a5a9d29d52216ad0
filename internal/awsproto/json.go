package awsproto

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
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
		return nil, nil, Errorf(http.StatusBadRequest, "UnknownOperationException",
			"The X-Amz-Target header %q does not name an operation of %s.", target, s.TargetPrefix)
	}
	if r.Method != http.MethodPost {
		return nil, nil, Errorf(http.StatusBadRequest, "UnknownOperationException",
			"%s requests must use POST, not %s.", s.TargetPrefix, r.Method)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/x-amz-json-1.0" && mt != "application/x-amz-json-1.1" && mt != "application/json") {
			return nil, nil, Errorf(http.StatusBadRequest, "UnknownOperationException",
				"The content type %q is not supported; send %s.", ct, c.contentType(s))
		}
	}
	op := s.ops[name]
	if op == nil {
		return nil, nil, Errorf(http.StatusBadRequest, "UnknownOperationException",
			"%s is not an operation of %s that Cairn serves.", name, s.TargetPrefix)
	}
	return op, nil, nil
}

func (jsonCodec) decode(s *Service, _ map[string]string, c *Call, in any) error {
	return decodeJSON(c.Body, in)
}

// decodeJSON reads a JSON document into in; an empty body is an empty structure.
func decodeJSON(body []byte, in any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(in); err != nil {
		return serializationError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Errorf(http.StatusBadRequest, "SerializationException", "Unexpected content after the JSON document.")
	}
	return nil
}

func serializationError(err error) *Error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "the request body"
		}
		return Errorf(http.StatusBadRequest, "SerializationException",
			"Unexpected JSON %s for %s: expected %s.", te.Value, field, te.Type)
	case errors.As(err, &se):
		return Errorf(http.StatusBadRequest, "SerializationException",
			"The request body is not valid JSON: %v (at byte %d).", se, se.Offset)
	default:
		return Errorf(http.StatusBadRequest, "SerializationException", "The request body could not be read as JSON: %v.", err)
	}
}

func (c jsonCodec) encode(s *Service, _ *Operation, w http.ResponseWriter, requestID string, out any) error {
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", c.contentType(s))
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(body)
	return err
}

func (c jsonCodec) encodeError(s *Service, w http.ResponseWriter, requestID string, e *Error) {
	writeJSONError(w, c.contentType(s), requestID, e)
}

// WriteJSONError writes an error in awsJson1.1's shape, for requests whose service is not
// known.
func WriteJSONError(w http.ResponseWriter, requestID string, e *Error) {
	writeJSONError(w, "application/x-amz-json-1.1", requestID, e)
}

func writeJSONError(w http.ResponseWriter, contentType, requestID string, e *Error) {
	doc := map[string]string{"__type": e.Code, "message": e.Message}
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

// Timestamp is a point in time as awsJson and restJson1 carry it: seconds since the
// epoch, with fractions.
type Timestamp struct{ time.Time }

// NewTimestamp returns t as a *Timestamp, or nil for the zero time.
func NewTimestamp(t time.Time) *Timestamp {
	if t.IsZero() {
		return nil
	}
	return &Timestamp{t}
}

// MarshalJSON writes epoch seconds with millisecond precision.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON reads epoch seconds or an ISO 8601 string.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		parsed, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return err
		}
		t.Time = parsed
		return nil
	}
	if parsed, ok := parseEpochDecimal(string(b)); ok {
		t.Time = parsed
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return errors.New("timestamp must be epoch seconds or an ISO 8601 string")
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return nil
}

// parseEpochDecimal reads epoch seconds written as a plain decimal ("1700000000.123")
// exactly, to the nanosecond: through a float64 the fraction would lose its last digits
// (.123 becoming .122999906). Forms with an exponent are left to the caller.
func parseEpochDecimal(s string) (time.Time, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || len(frac) > 0 && strings.TrimLeft(frac, "0123456789") != "" {
		return time.Time{}, false
	}
	var nsec int64
	for i := 0; i < 9; i++ {
		nsec *= 10
		if i < len(frac) {
			nsec += int64(frac[i] - '0')
		}
	}
	if neg {
		nsec = -nsec
	}
	return time.Unix(sec, nsec).UTC(), true
}
