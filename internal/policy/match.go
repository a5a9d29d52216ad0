package policy

import (
	"strings"
	"unicode/utf8"
)

// patKind says how a compiled pattern matches.
type patKind uint8

const (
	patAll    patKind = iota // "*": everything
	patExact                 // lit, whole
	patPrefix                // lit, then anything
	patGlob                  // segs
)

// pattern is a compiled Action, Resource or condition value: a string with
// '*' and '?' wildcards (when wildcards apply) and policy variables (when
// the policy's Version allows them).
type pattern struct {
	kind patKind
	lit  string // patExact, patPrefix: the text; patGlob: the literal text before the first wildcard or variable
	segs []seg
	vars bool // segs holds variables
}

// result is the outcome of matching one pattern.
type result uint8

const (
	noMatch result = iota
	matched
	unresolved // a policy variable had no value
)

// compilePattern compiles s. With fold, literal text is lowered (the
// caller compares folded). vars enables policy variables, wild enables
// wildcards.
func compilePattern(s string, vars, wild, fold bool) pattern {
	if fold {
		s = lowerASCII(s)
	}
	segs := tokenize(s, vars, wild)
	if len(segs) == 1 && segs[0].kind == segStar {
		return pattern{kind: patAll}
	}
	if len(segs) == 0 {
		return pattern{kind: patExact}
	}
	literalUpTo := len(segs)
	if segs[len(segs)-1].kind == segStar {
		literalUpTo--
	}
	simple := true
	for _, sg := range segs[:literalUpTo] {
		if sg.kind != segLit {
			simple = false
			break
		}
	}
	if simple && literalUpTo <= 1 {
		lit := ""
		if literalUpTo == 1 {
			lit = segs[0].text
		}
		if literalUpTo == len(segs) {
			return pattern{kind: patExact, lit: lit}
		}
		return pattern{kind: patPrefix, lit: lit}
	}
	return globPattern(segs)
}

// globPattern makes a patGlob pattern of segs.
func globPattern(segs []seg) pattern {
	p := pattern{kind: patGlob, segs: segs}
	if segs[0].kind == segLit {
		p.lit = segs[0].text
	}
	for _, sg := range segs {
		if sg.kind == segVar {
			p.vars = true
		}
	}
	return p
}

// maxStackSegs bounds the segments resolved without allocating.
const maxStackSegs = 16

// match matches s against p. With fold, ASCII letters compare without
// case. ctx supplies the values of policy variables.
func (p *pattern) match(s string, fold bool, ctx *Context) result {
	switch p.kind {
	case patAll:
		return matched
	case patExact:
		if len(s) == len(p.lit) && hasPrefix(s, p.lit, fold) {
			return matched
		}
		return noMatch
	case patPrefix:
		if hasPrefix(s, p.lit, fold) {
			return matched
		}
		return noMatch
	}
	if !p.vars {
		if !hasPrefix(s, p.lit, fold) {
			return noMatch
		}
		// The literal prefix matched; match the rest.
		segs := p.segs
		if p.lit != "" {
			segs, s = segs[1:], s[len(p.lit):]
		}
		if globMatch(segs, nil, s, fold) {
			return matched
		}
		return noMatch
	}
	// Resolve every variable first: one that does not resolve makes the
	// value unresolved, whatever the rest would do.
	var buf [maxStackSegs]string
	var texts []string
	if len(p.segs) <= maxStackSegs {
		texts = buf[:len(p.segs)]
	} else {
		texts = make([]string, len(p.segs))
	}
	for i := range p.segs {
		sg := &p.segs[i]
		switch sg.kind {
		case segLit:
			texts[i] = sg.text
		case segVar:
			v, ok := resolveVar(sg, ctx)
			if !ok {
				return unresolved
			}
			texts[i] = v
		}
	}
	if !hasPrefix(s, p.lit, fold) {
		return noMatch
	}
	if globMatch(p.segs, texts, s, fold) {
		return matched
	}
	return noMatch
}

// hasPrefix reports whether s starts with prefix, ASCII case folded when
// fold is set.
func hasPrefix(s, prefix string, fold bool) bool {
	if len(s) < len(prefix) {
		return false
	}
	if !fold {
		return s[:len(prefix)] == prefix
	}
	for i := 0; i < len(prefix); i++ {
		if a, b := s[i], prefix[i]; a != b && lower(a) != lower(b) {
			return false
		}
	}
	return true
}

// serviceBit hashes a service prefix ("s3", without case) to one bit of a
// 64-bit filter: a statement whose actions name services none of whose
// bits the request's service has cannot match it.
func serviceBit(service string) uint64 {
	h := uint32(2166136261)
	for i := 0; i < len(service); i++ {
		h = (h ^ uint32(lower(service[i]))) * 16777619
	}
	return 1 << (h & 63)
}

// actionServiceBit returns the serviceBit of the service of an action, or
// every bit for an action without one.
func actionServiceBit(action string) uint64 {
	i := strings.IndexByte(action, ':')
	if i < 0 {
		return ^uint64(0)
	}
	return serviceBit(action[:i])
}

// lowerASCII lowers the ASCII letters of s, the folding matches use.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lower(b[j])
			}
			return string(b)
		}
	}
	return s
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// globMatch matches s against segs, whose literal and variable texts are
// in texts (or, when texts is nil, in the segments). '*' matches any run of characters (including '/' and ':'), '?'
// exactly one character.
func globMatch(segs []seg, texts []string, s string, fold bool) bool {
	si, off := 0, 0 // position in the pattern: segment and offset in its text
	ti := 0         // position in s
	starSi, starTi := -1, 0
	for {
		// Step over exhausted text segments.
		for si < len(segs) && (segs[si].kind == segLit || segs[si].kind == segVar) && off >= len(segText(segs, texts, si)) {
			si++
			off = 0
		}
		if ti == len(s) {
			break
		}
		if si < len(segs) {
			switch segs[si].kind {
			case segStar:
				si++
				off = 0
				if si == len(segs) {
					return true // a trailing star takes the rest
				}
				starSi, starTi = si, ti
				continue
			case segQuest:
				_, n := utf8.DecodeRuneInString(s[ti:])
				ti += n
				si++
				off = 0
				continue
			default:
				a, b := segText(segs, texts, si)[off], s[ti]
				if a == b || fold && lower(a) == lower(b) {
					off++
					ti++
					continue
				}
			}
		}
		if starSi < 0 {
			return false
		}
		// Let the last star take more characters and retry: up to the next
		// place the text after the star occurs, or one character.
		// (starTi <= ti < len(s) here.)
		if k := segs[starSi].kind; (k == segLit || k == segVar) && segText(segs, texts, starSi) != "" {
			next := segText(segs, texts, starSi)
			if !fold {
				i := strings.Index(s[starTi+1:], next)
				if i < 0 {
					return false
				}
				starTi += 1 + i
			} else {
				c := lower(next[0])
				j := starTi + 1
				for j < len(s) && lower(s[j]) != c {
					j++
				}
				if j == len(s) {
					return false
				}
				starTi = j
			}
		} else {
			_, n := utf8.DecodeRuneInString(s[starTi:])
			starTi += n
		}
		si, off, ti = starSi, 0, starTi
	}
	for ; si < len(segs); si++ {
		switch segs[si].kind {
		case segStar:
		case segQuest:
			return false
		default:
			if off < len(segText(segs, texts, si)) {
				return false
			}
		}
		off = 0
	}
	return true
}

func segText(segs []seg, texts []string, i int) string {
	if texts == nil {
		return segs[i].text
	}
	return texts[i]
}

// arnPattern is a compiled value of an ARN condition operator: the six
// colon-separated parts of an ARN, each matched on its own. A value with
// fewer than six parts is matched as a whole.
type arnPattern struct {
	parts [6]pattern
	whole pattern
	split bool
}

// compileARNPattern compiles an ArnEquals/ArnLike value.
func compileARNPattern(s string, vars bool) arnPattern {
	segs := tokenize(s, vars, true)
	// Split literal segments at the first five colons.
	var parts [6][]seg
	n := 0
	for _, sg := range segs {
		if sg.kind != segLit || n == 5 {
			parts[n] = append(parts[n], sg)
			continue
		}
		text := sg.text
		for n < 5 {
			i := strings.IndexByte(text, ':')
			if i < 0 {
				break
			}
			if i > 0 {
				parts[n] = append(parts[n], seg{kind: segLit, text: text[:i]})
			}
			text = text[i+1:]
			n++
		}
		if text != "" {
			parts[n] = append(parts[n], seg{kind: segLit, text: text})
		}
	}
	if n < 5 {
		return arnPattern{whole: compilePattern(s, vars, true, false)}
	}
	var ap arnPattern
	ap.split = true
	for i := range parts {
		ap.parts[i] = patternFromSegs(parts[i])
	}
	return ap
}

// patternFromSegs classifies already tokenized segments.
func patternFromSegs(segs []seg) pattern {
	switch {
	case len(segs) == 0:
		return pattern{kind: patExact}
	case len(segs) == 1 && segs[0].kind == segStar:
		return pattern{kind: patAll}
	case len(segs) == 1 && segs[0].kind == segLit:
		return pattern{kind: patExact, lit: segs[0].text}
	case len(segs) == 2 && segs[0].kind == segLit && segs[1].kind == segStar:
		return pattern{kind: patPrefix, lit: segs[0].text}
	}
	return globPattern(segs)
}

// match matches the ARN s part by part.
func (ap *arnPattern) match(s string, ctx *Context) result {
	if !ap.split {
		return ap.whole.match(s, false, ctx)
	}
	var part [6]string
	rest := s
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return noMatch
		}
		part[i], rest = rest[:j], rest[j+1:]
	}
	part[5] = rest
	res := matched
	for i := range part {
		switch ap.parts[i].match(part[i], false, ctx) {
		case unresolved:
			return unresolved
		case noMatch:
			res = noMatch
		}
	}
	return res
}
