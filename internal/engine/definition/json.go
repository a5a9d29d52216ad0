package definition

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

var errWrongType = errors.New("wrong type")

// decodeTree decodes one JSON value into a generic tree: map[string]any,
// []any, string, json.Number (numbers keep their text), bool or nil.
func decodeTree(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

// isNullRaw reports whether raw is absent or the JSON null.
func isNullRaw(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// The as* helpers read the members of a generic tree. Absent members and
// null read as the zero value; a value of another type is errWrongType.

func asString(v any, s *string) error {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		*s = x
		return nil
	}
	return errWrongType
}

func asObject(v any) (map[string]any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return x, nil
	}
	return nil, errWrongType
}

func asList(v any) ([]any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []any:
		return x, nil
	}
	return nil, errWrongType
}

func asStrings(v any) ([]string, error) {
	list, err := asList(v)
	if err != nil || list == nil {
		return nil, err
	}
	out := make([]string, len(list))
	for i, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, errWrongType
		}
		out[i] = s
	}
	return out, nil
}

// asFloat reads a number.
func asFloat(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	return f, err == nil && !math.IsInf(f, 0)
}

// asInt reads a number with an integral value.
func asInt(v any) (int64, bool) {
	f, ok := asFloat(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// rawJSON encodes a tree back to JSON, without HTML escapes; objects'
// members come out sorted.
func rawJSON(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// A tree decoded from JSON always encodes.
		return json.RawMessage("null")
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// isDecimal reports whether s is a decimal number as JSON and Python write
// them: an optional sign, digits with an optional fraction (or a fraction
// alone), and an optional exponent. It rejects what strconv.ParseFloat
// also accepts but a number in a definition never is: "NaN", "Inf", hex
// and underscores.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
