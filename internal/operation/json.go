package operation

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// DecodeJSON reads a JSON document into in, as awsJson and restJson1 bodies and a step's
// Arguments carry an input; an empty document is an empty structure. A document that does
// not fit the shape is a SerializationException naming what did not fit.
func DecodeJSON(body []byte, in any) error { return decodeJSON(body, in, nil) }

// DecodeJSON is DecodeJSON for an input of s: a timestamp member outside the years 1 to
// 9999, which no client means, is the service's validation error naming the member.
func (s *Service) DecodeJSON(body []byte, in any) error { return decodeJSON(body, in, s) }

func decodeJSON(body []byte, in any, s *Service) error {
	// JSON's own whitespace only: a form feed or a no-break space is no part of a document,
	// and encoding/json refuses it.
	body = bytes.Trim(body, jsonSpace)
	if len(body) == 0 {
		return nil
	}
	// A document that fits the shape, the common case, is read by json/v2 with
	// encoding/json's semantics (names matched without case, duplicates and invalid UTF-8
	// let through, Unmarshalers called): it reads a long string, a base64 blob of KMS or
	// SageMaker, in one tight loop, where encoding/json's scanner steps through it byte by
	// byte before decoding it. A document it refuses is read again, from zero, by
	// encoding/json, whose errors name what did not fit.
	if err := jsonv2.Unmarshal(body, in, v1Semantics); err == nil {
		return nil
	}
	if v := reflect.ValueOf(in); v.Kind() == reflect.Pointer && !v.IsNil() {
		v.Elem().SetZero()
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(in); err != nil {
		var te *json.UnmarshalTypeError
		if s != nil && errors.As(err, &te) && te.Type == timestampType {
			return s.Validation("%s", ValidationMessage(Violation{Path: memberPath(te.Field),
				Value: strings.TrimPrefix(te.Value, "number "), Constraint: TimestampRange}))
		}
		return serializationError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Errorf(http.StatusBadRequest, "SerializationException", "Unexpected content after the JSON document.")
	}
	return nil
}

// jsonSpace is the whitespace JSON allows around a value.
const jsonSpace = " \t\r\n"

// v1Semantics are encoding/json's decoding rules, for json/v2, except that the document is
// not checked whole before it is read: what reads it reports any syntax error as well, and
// a document json/v2 refuses is read again by encoding/json, whose errors are the ones
// answered. (The check read a 5 KiB KMS blob twice.)
var v1Semantics = jsonv2.JoinOptions(jsonv1.DefaultOptionsV1(), jsonv1.ReportErrorsWithLegacySemantics(false))

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

// memberPath spells a member's path from encoding/json ("Config.CreatedAfter") as
// validation messages do ("config.createdAfter").
func memberPath(field string) string {
	parts := strings.Split(field, ".")
	for i, p := range parts {
		parts[i] = LowerFirst(p)
	}
	return strings.Join(parts, ".")
}

// Timestamp is a timestamp member of a shape. In JSON (awsJson, restJson1) it is seconds
// since the epoch, with fractions; the XML protocols write it as ISO 8601. It holds an
// instant of the years 1 to 9999, as ISO 8601 writes them.
type Timestamp struct{ time.Time }

// TimestampRange is the constraint of a timestamp member.
const TimestampRange = "Member must be a timestamp from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"

// The instants a Timestamp holds, in epoch seconds.
var (
	minTimestamp  = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxTimestamp  = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	timestampType = reflect.TypeFor[Timestamp]()
)

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
		if parsed.Unix() < minTimestamp || parsed.Unix() > maxTimestamp {
			return outOfRange(b)
		}
		t.Time = parsed
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if errors.Is(err, strconv.ErrRange) {
		return outOfRange(b) // a number beyond float64, such as 1e400
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return errors.New("timestamp must be epoch seconds or an ISO 8601 string")
	}
	if f < float64(minTimestamp) || f >= float64(maxTimestamp+1) {
		return outOfRange(b)
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return nil
}

// outOfRange is the error of a number that is no instant a Timestamp holds. It is a type
// error, so that encoding/json names the member it was given for.
func outOfRange(number []byte) error {
	return &json.UnmarshalTypeError{Value: "number " + string(number), Type: timestampType}
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
