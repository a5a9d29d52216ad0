package definition

import (
	"fmt"
	"strconv"
	"strings"
)

// A segment is one step of a property or JSON path: a name (".Name" or
// "['Name']") or a list index ("[0]").
type segment struct {
	name    string
	index   int
	isIndex bool
	// quoted is true for the "['key']" and `["key"]` forms.
	quoted bool
	// end is the offset in the path text just after this segment, so
	// that path[:end] names everything up to and including it.
	end int
}

// parsePath parses a path of the SDK's JsonPath subset: names separated by
// dots, list indexes "[n]" and quoted keys "['key']" or `["key"]`, as in
// `ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri` or
// "a.b[0]['k']". A name runs up to the next '.' or '['. Quoted keys end at
// the first matching quote followed by ']' and may hold any other
// character. When dollar is true a leading "$" (JsonPath's root) is
// accepted and ignored.
func parsePath(p string, dollar bool) ([]segment, error) {
	if p == "" {
		return nil, fmt.Errorf("the path is empty")
	}
	i := 0
	if dollar && strings.HasPrefix(p, "$") {
		i = 1
		if i == len(p) {
			return nil, nil
		}
		if p[i] == '.' {
			i++
		}
	}
	var segs []segment
	needName := true // at the start or after a '.'
	afterDot := false
	for i < len(p) {
		switch c := p[i]; {
		case c == '[':
			if afterDot {
				return nil, fmt.Errorf("a name is missing before %q at offset %d", "[", i)
			}
			seg, n, err := parseBracket(p, i)
			if err != nil {
				return nil, err
			}
			segs = append(segs, seg)
			i = n
			needName = false
		case c == '.':
			if needName {
				return nil, fmt.Errorf("a name is missing before %q at offset %d", ".", i)
			}
			i++
			needName, afterDot = true, true
			if i == len(p) {
				return nil, fmt.Errorf("the path ends with %q", ".")
			}
		case c == ']':
			return nil, fmt.Errorf("unexpected %q at offset %d", "]", i)
		default:
			if !needName {
				return nil, fmt.Errorf("expected %q or %q at offset %d", ".", "[", i)
			}
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' && p[j] != ']' {
				j++
			}
			segs = append(segs, segment{name: p[i:j], end: j})
			i = j
			needName, afterDot = false, false
		}
	}
	return segs, nil
}

// parseBracket parses "[n]", "['key']" or `["key"]` starting at p[i] ==
// '[' and returns the segment and the offset after it.
func parseBracket(p string, i int) (segment, int, error) {
	start := i
	i++
	if i >= len(p) {
		return segment{}, 0, fmt.Errorf("unclosed %q at offset %d", "[", start)
	}
	if q := p[i]; q == '\'' || q == '"' {
		closing := string(q) + "]"
		k := strings.Index(p[i+1:], closing)
		if k < 0 {
			return segment{}, 0, fmt.Errorf("unclosed %s at offset %d", p[start:i+1], start)
		}
		key := p[i+1 : i+1+k]
		end := i + 1 + k + 2
		return segment{name: key, quoted: true, end: end}, end, nil
	}
	k := strings.IndexByte(p[i:], ']')
	if k < 0 {
		return segment{}, 0, fmt.Errorf("unclosed %q at offset %d", "[", start)
	}
	digits := p[i : i+k]
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return segment{}, 0, fmt.Errorf("index %q at offset %d is neither a number nor a quoted key", digits, start)
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return segment{}, 0, fmt.Errorf("index %q at offset %d is too large", digits, start)
	}
	end := i + k + 1
	return segment{index: n, isIndex: true, end: end}, end, nil
}
