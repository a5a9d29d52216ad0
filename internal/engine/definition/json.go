package definition

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// isNull reports whether raw is absent or the JSON null.
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// decodeString decodes a JSON string into *s; absent and null leave *s
// unchanged.
func decodeString(raw json.RawMessage, s *string) error {
	if isNull(raw) {
		return nil
	}
	if len(raw) == 0 || raw[0] != '"' {
		return errWrongType
	}
	return json.Unmarshal(raw, s)
}

// decodeObject decodes a JSON object into its members; absent and null
// give nil.
func decodeObject(raw json.RawMessage) (map[string]json.RawMessage, error) {
	if isNull(raw) {
		return nil, nil
	}
	if raw[0] != '{' {
		return nil, errWrongType
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeList decodes a JSON list into its items; absent and null give nil.
func decodeList(raw json.RawMessage) ([]json.RawMessage, error) {
	if isNull(raw) {
		return nil, nil
	}
	if raw[0] != '[' {
		return nil, errWrongType
	}
	var l []json.RawMessage
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, err
	}
	return l, nil
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
