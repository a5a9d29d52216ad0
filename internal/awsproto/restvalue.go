package awsproto

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

// Members of REST inputs and outputs that travel in the URI, the query string or headers
// are strings on the wire. Timestamps are written as HTTP dates in headers unless the
// member's `timestampFormat` tag says "date-time" (ISO 8601) or "epoch-seconds", as
// Smithy's @timestampFormat does; they are read in any of the three forms.

var timestampType = reflect.TypeOf(operation.Timestamp{})

// Timestamp formats a member's `timestampFormat` tag names besides the default,
// "http-date".
const (
	formatDateTime     = "date-time"
	formatEpochSeconds = "epoch-seconds"
)

// isList reports whether v is a list member (not a blob, which is a []byte).
func isList(v reflect.Value) bool {
	return v.Kind() == reflect.Slice && v.Type().Elem().Kind() != reflect.Uint8
}

// setList fills the list member v from its values, one element each.
func setList(s *Service, v reflect.Value, vals []string, name string) error {
	list := reflect.MakeSlice(v.Type(), len(vals), len(vals))
	for i, raw := range vals {
		if err := setScalar(s, list.Index(i), raw, name); err != nil {
			return err
		}
	}
	v.Set(list)
	return nil
}

// splitHeaderList splits the values of a list header: each value is a comma-separated
// list whose items are double-quoted (with backslash escapes) when they hold a comma or
// a quote.
func splitHeaderList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for v != "" {
			v = strings.TrimLeft(v, " \t")
			var item string
			if strings.HasPrefix(v, `"`) {
				end := 1
				for end < len(v) && v[end] != '"' {
					if v[end] == '\\' {
						end++
					}
					end++
				}
				if end < len(v) {
					end++
				}
				item = v[:end]
				if u, err := strconv.Unquote(item); err == nil {
					item = u
				}
				v = v[end:]
				_, v, _ = strings.Cut(v, ",")
			} else {
				item, v, _ = strings.Cut(v, ",")
				item = strings.TrimRight(item, " \t")
			}
			out = append(out, item)
		}
	}
	return out
}

// setScalar sets the member v (a string, bool, number or timestamp, or a pointer to one)
// from its wire form.
func setScalar(s *Service, v reflect.Value, raw, name string) error {
	if v.Kind() == reflect.Pointer {
		v.Set(reflect.New(v.Type().Elem()))
		v = v.Elem()
	}
	switch v.Type() {
	case timeType, timestampType:
		t, err := parseTimestamp(raw)
		if err != nil {
			return s.validationf("Value '%s' at '%s' failed to satisfy constraint: Member must be a timestamp.", raw, operation.LowerFirst(name))
		}
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(t))
		} else {
			v.Set(reflect.ValueOf(operation.Timestamp{Time: t}))
		}
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return s.validationf("Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean.", raw, operation.LowerFirst(name))
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return s.validationf("Value '%s' at '%s' failed to satisfy constraint: Member must be an integer.", raw, operation.LowerFirst(name))
		}
		v.SetInt(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return s.validationf("Value '%s' at '%s' failed to satisfy constraint: Member must be a number.", raw, operation.LowerFirst(name))
		}
		v.SetFloat(f)
	}
	return nil
}

// parseTimestamp reads a timestamp written as an HTTP date, as ISO 8601 or as epoch
// seconds.
func parseTimestamp(raw string) (time.Time, error) {
	if t, err := http.ParseTime(raw); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, raw); err == nil {
		return t.UTC(), nil
	}
	var ts operation.Timestamp
	if err := ts.UnmarshalJSON([]byte(raw)); err != nil {
		return time.Time{}, err
	}
	return ts.Time, nil
}

// headerValue renders the member v (not a pointer) as a header value; format is the
// member's `timestampFormat` tag.
func headerValue(v reflect.Value, format string) string {
	switch v.Type() {
	case timeType:
		return formatTimestamp(v.Interface().(time.Time), format)
	case timestampType:
		return formatTimestamp(v.Interface().(operation.Timestamp).Time, format)
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits())
	}
	return ""
}

// formatTimestamp writes t in format, an HTTP date by default.
func formatTimestamp(t time.Time, format string) string {
	switch format {
	case formatDateTime:
		return t.UTC().Format("2006-01-02T15:04:05.999Z07:00")
	case formatEpochSeconds:
		b, _ := operation.Timestamp{Time: t}.MarshalJSON()
		return string(b)
	default:
		return t.UTC().Format(http.TimeFormat)
	}
}
