package policy

import "strings"

// Policy variables (Version 2012-10-17 only):
//
//	${aws:username}              the value of a condition key
//	${aws:PrincipalTag/team}     key names are case-insensitive
//	${aws:username, 'anon'}      a default when the key is absent
//	${*} ${?} ${$}               a literal '*', '?' or '$'
//
// A substituted value is literal text: a '*' in it is not a wildcard. A
// variable whose key is absent (or multi-valued) and has no default is
// unresolved; see [pattern.match] for what that does.

// segKind is the kind of a segment of a compiled pattern.
type segKind uint8

const (
	segLit   segKind = iota // literal text
	segStar                 // '*': any run of characters
	segQuest                // '?': any one character
	segVar                  // a policy variable
)

// seg is one segment of a compiled pattern.
type seg struct {
	kind   segKind
	text   string // segLit: the text; segVar: the key in lower case ("" never resolves)
	def    string // segVar: the default value
	hasDef bool
}

// tokenize splits s into segments. With vars, "${...}" becomes a variable
// or an escaped character; with wild, '*' and '?' outside variables become
// wildcards. Literal runs are merged.
func tokenize(s string, vars, wild bool) []seg {
	var segs []seg
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, seg{kind: segLit, text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if vars && c == '$' && i+1 < len(s) && s[i+1] == '{' {
			v, n, ok := parseVariable(s[i:])
			if ok {
				if v.kind == segLit {
					lit.WriteString(v.text)
				} else {
					flush()
					segs = append(segs, v)
				}
				i += n
				continue
			}
		}
		if wild && (c == '*' || c == '?') {
			flush()
			k := segStar
			if c == '?' {
				k = segQuest
			}
			// Consecutive stars are one star.
			if k == segStar && len(segs) > 0 && segs[len(segs)-1].kind == segStar {
				i++
				continue
			}
			segs = append(segs, seg{kind: k})
			i++
			continue
		}
		lit.WriteByte(c)
		i++
	}
	flush()
	return segs
}

// parseVariable parses the variable at the start of s, which begins with
// "${". It returns the segment (a segLit for the escapes ${*}, ${?} and
// ${$}), the number of bytes it spans and whether s starts with a complete
// variable; an unterminated "${" is literal text.
func parseVariable(s string) (seg, int, bool) {
	body := s[2:]
	// The key runs to ',' or '}'.
	end := strings.IndexAny(body, ",}")
	if end < 0 {
		return seg{}, 0, false
	}
	key := strings.TrimSpace(body[:end])
	if body[end] == '}' {
		n := 2 + end + 1
		switch key {
		case "*", "?", "$":
			if body[:end] == key {
				return seg{kind: segLit, text: key}, n, true
			}
		}
		if strings.ContainsAny(key, " \t") {
			key = "" // never resolves
		}
		return seg{kind: segVar, text: strings.ToLower(key)}, n, true
	}
	// A default: ", 'text'" with '' standing for one quote.
	rest := body[end+1:]
	off := 2 + end + 1
	i := 0
	for i < len(rest) && rest[i] == ' ' {
		i++
	}
	if i >= len(rest) || rest[i] != '\'' {
		return malformedVariable(s)
	}
	i++
	var def strings.Builder
	for {
		if i >= len(rest) {
			return malformedVariable(s)
		}
		if rest[i] == '\'' {
			if i+1 < len(rest) && rest[i+1] == '\'' {
				def.WriteByte('\'')
				i += 2
				continue
			}
			i++
			break
		}
		def.WriteByte(rest[i])
		i++
	}
	for i < len(rest) && rest[i] == ' ' {
		i++
	}
	if i >= len(rest) || rest[i] != '}' {
		return malformedVariable(s)
	}
	if strings.ContainsAny(key, " \t") || key == "" {
		key = ""
	}
	return seg{kind: segVar, text: strings.ToLower(key), def: def.String(), hasDef: true}, off + i + 1, true
}

// malformedVariable makes "${...}" with a malformed default a variable that
// never resolves, running to the next '}'; with no '}' the text is literal.
func malformedVariable(s string) (seg, int, bool) {
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return seg{}, 0, false
	}
	return seg{kind: segVar}, end + 1, true
}

// resolveVar returns the value of a variable in ctx: the key's single
// value, else the default. A multi-valued key does not resolve.
func resolveVar(sg *seg, ctx *Context) (string, bool) {
	if sg.text != "" {
		if v, ok := ctx.get(sg.text); ok && !v.multi {
			return v.one, true
		}
	}
	if sg.hasDef {
		return sg.def, true
	}
	return "", false
}
