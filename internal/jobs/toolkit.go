package jobs

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
)

// This file does what SageMaker's training toolkit (the framework containers' entry point)
// does with a job's hyperparameters: each value is decoded as JSON when it decodes and kept
// as the raw string otherwise; the values reach the program as `--key value` arguments
// rendered as Python's str() renders them, and as SM_* variables encoded as Python's
// json.dumps(sort_keys=True, separators=(",", ":")) encodes them.

// sagemakerPrefix marks the hyperparameters that configure the toolkit rather than the
// program (sagemaker_program, sagemaker_submit_directory, …).
const sagemakerPrefix = "sagemaker_"

// decodeHyperParameter decodes one value as the toolkit does: JSON when it parses (numbers
// keep their literal), else the raw string.
func decodeHyperParameter(raw string) any {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return raw
	}
	if dec.More() {
		return raw
	}
	if _, err := dec.Token(); err == nil {
		return raw
	}
	return v
}

// splitHyperParameters decodes every value and separates the toolkit's own (sagemaker_*)
// from the program's.
func splitHyperParameters(raw map[string]string) (user, sagemaker map[string]any) {
	user, sagemaker = map[string]any{}, map[string]any{}
	for k, v := range raw {
		if strings.HasPrefix(k, sagemakerPrefix) {
			sagemaker[k] = decodeHyperParameter(v)
		} else {
			user[k] = decodeHyperParameter(v)
		}
	}
	return user, sagemaker
}

// commandArgs renders hyperparameters as the program's arguments, sorted by name:
// "--name value" ("-n value" for a one-letter name); a JSON object becomes "k=v,k2=v2".
func commandArgs(hps map[string]any) []string {
	keys := make([]string, 0, len(hps))
	for k := range hps {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	args := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		name := ""
		switch {
		case len(k) > 1:
			name = "--" + k
		case k != "":
			name = "-" + k
		}
		var value string
		if m, ok := hps[k].(map[string]any); ok {
			items := make([]string, 0, len(m))
			for _, mk := range sortedKeys(m) {
				items = append(items, mk+"="+pyStr(m[mk]))
			}
			value = strings.Join(items, ",")
		} else {
			value = pyStr(hps[k])
		}
		args = append(args, name, value)
	}
	return args
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// envValue renders a value for an SM_* variable: strings as they are, null as "", anything
// else as compact JSON.
func envValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	return pyJSON(v)
}

// pyStr is Python's str() of a decoded JSON value (None gives "", as the toolkit renders it).
func pyStr(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	return pyRepr(v)
}

// pyRepr is Python's repr() of a decoded JSON value.
func pyRepr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case json.Number:
		return pyNumber(string(v))
	case string:
		return pyQuote(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(v))
		for _, k := range sortedKeys(v) {
			parts = append(parts, pyQuote(k)+": "+pyRepr(v[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// pyQuote is Python's repr() of a string: single quotes unless the string holds a single
// quote and no double quote.
func pyQuote(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\' || r == rune(q):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x` + strconv.FormatInt(int64(r)+0x100, 16)[1:])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// pyNumber renders a JSON number literal as Python does after json.loads: integers as
// they are, floats as float.__repr__ (shortest round-trip, exponent below 1e-4 or from
// 1e16, a ".0" on integral values).
func pyNumber(lit string) string {
	if !strings.ContainsAny(lit, ".eE") {
		if lit == "-0" {
			return "0"
		}
		return lit
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil && !math.IsInf(f, 0) {
		return lit
	}
	return pyFloat(f)
}

func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// pyJSON encodes v as the toolkit's json.dumps(v, sort_keys=True, separators=(",", ":"),
// ensure_ascii=True) does.
func pyJSON(v any) string {
	var b bytes.Buffer
	writePyJSON(&b, v)
	return b.String()
}

func writePyJSON(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case json.Number:
		s := pyNumber(string(v))
		switch s {
		case "inf":
			s = "Infinity"
		case "-inf":
			s = "-Infinity"
		}
		b.WriteString(s)
	case int:
		b.WriteString(strconv.Itoa(v))
	case string:
		writePyString(b, v)
	case []string:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writePyString(b, e)
		}
		b.WriteByte(']')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writePyJSON(b, e)
		}
		b.WriteByte(']')
	case map[string]string:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = e
		}
		writePyJSON(b, m)
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(v) {
			if i > 0 {
				b.WriteByte(',')
			}
			writePyString(b, k)
			b.WriteByte(':')
			writePyJSON(b, v[k])
		}
		b.WriteByte('}')
	default:
		raw, _ := json.Marshal(v)
		var generic any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if dec.Decode(&generic) == nil {
			writePyJSON(b, generic)
		} else {
			b.WriteString("null")
		}
	}
}

// writePyString writes s as a JSON string with every non-ASCII character escaped.
func writePyString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	u := func(r rune) {
		b.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			b.WriteByte(hex[(r>>shift)&0xf])
		}
	}
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r > 0x7f && r <= 0xffff):
			u(r)
		case r > 0xffff:
			r -= 0x10000
			u(0xd800 + (r>>10)&0x3ff)
			u(0xdc00 + r&0x3ff)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
