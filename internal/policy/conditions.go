package policy

import (
	"net/netip"
	"strings"
)

// opBase is a condition operator without its negation, IfExists suffix
// and set prefix.
type opBase uint8

const (
	opStringEquals opBase = iota + 1
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArnLike
	opNull
)

// setOp is the set prefix of an operator.
type setOp uint8

const (
	setNone   setOp = iota
	setForAll       // ForAllValues:
	setForAny       // ForAnyValue:
)

// operator is a decoded condition operator name.
type operator struct {
	base     opBase
	negated  bool
	ifExists bool
	set      setOp
}

// parseOperator decodes an operator name such as
// "ForAnyValue:StringNotLikeIfExists". Names compare without case.
func parseOperator(name string) (operator, bool) {
	var op operator
	s := strings.ToLower(name)
	if rest, ok := strings.CutPrefix(s, "forallvalues:"); ok {
		op.set, s = setForAll, rest
	} else if rest, ok := strings.CutPrefix(s, "foranyvalue:"); ok {
		op.set, s = setForAny, rest
	}
	if rest, ok := strings.CutSuffix(s, "ifexists"); ok {
		op.ifExists, s = true, rest
	}
	switch s {
	case "stringequals":
		op.base = opStringEquals
	case "stringnotequals":
		op.base, op.negated = opStringEquals, true
	case "stringequalsignorecase":
		op.base = opStringEqualsIgnoreCase
	case "stringnotequalsignorecase":
		op.base, op.negated = opStringEqualsIgnoreCase, true
	case "stringlike":
		op.base = opStringLike
	case "stringnotlike":
		op.base, op.negated = opStringLike, true
	case "numericequals":
		op.base = opNumericEquals
	case "numericnotequals":
		op.base, op.negated = opNumericEquals, true
	case "numericlessthan":
		op.base = opNumericLessThan
	case "numericlessthanequals":
		op.base = opNumericLessThanEquals
	case "numericgreaterthan":
		op.base = opNumericGreaterThan
	case "numericgreaterthanequals":
		op.base = opNumericGreaterThanEquals
	case "dateequals":
		op.base = opDateEquals
	case "datenotequals":
		op.base, op.negated = opDateEquals, true
	case "datelessthan":
		op.base = opDateLessThan
	case "datelessthanequals":
		op.base = opDateLessThanEquals
	case "dategreaterthan":
		op.base = opDateGreaterThan
	case "dategreaterthanequals":
		op.base = opDateGreaterThanEquals
	case "bool":
		op.base = opBool
	case "binaryequals":
		op.base = opBinaryEquals
	case "ipaddress":
		op.base = opIPAddress
	case "notipaddress":
		op.base, op.negated = opIPAddress, true
	case "arnequals", "arnlike":
		op.base = opArnLike
	case "arnnotequals", "arnnotlike":
		op.base, op.negated = opArnLike, true
	case "null":
		if op.ifExists {
			return operator{}, false
		}
		op.base = opNull
	default:
		return operator{}, false
	}
	return op, true
}

// condition is one compiled operator and key of a Condition element.
type condition struct {
	operator
	key    string // lower case
	values []condValue
}

// condValue is one compiled condition value. Which field is used depends
// on the operator; ok is false when a typed value does not parse, and such
// a value matches nothing.
type condValue struct {
	pat  pattern     // String*, Bool, BinaryEquals
	arn  *arnPattern // Arn*
	num  float64     // Numeric*
	when instant     // Date*
	ip   netip.Prefix
	null bool // Null: true means "the key must be absent"
	ok   bool
}

// compileCondition compiles the values of one operator and key. vars says
// whether policy variables are resolved (Version 2012-10-17); AWS
// resolves them only for the String, Arn and Bool operators.
func compileCondition(op operator, key string, values []string, vars bool) condition {
	c := condition{operator: op, key: strings.ToLower(key), values: make([]condValue, len(values))}
	for i, raw := range values {
		v := &c.values[i]
		switch op.base {
		case opStringEquals, opStringEqualsIgnoreCase:
			v.pat, v.ok = compilePattern(raw, vars, false, false), true
		case opStringLike:
			v.pat, v.ok = compilePattern(raw, vars, true, false), true
		case opBool:
			v.pat, v.ok = compilePattern(raw, vars, false, false), true
		case opBinaryEquals:
			v.pat, v.ok = pattern{kind: patExact, lit: raw}, true
		case opArnLike:
			ap := compileARNPattern(raw, vars)
			v.arn, v.ok = &ap, true
		case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
			v.num, v.ok = parseNumber(raw)
		case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
			v.when, v.ok = parseDate(raw)
		case opIPAddress:
			v.ip, v.ok = parseCIDR(raw)
		case opNull:
			v.null, v.ok = parseBool(raw)
		}
	}
	return c
}

// parseCIDR parses "203.0.113.0/24", "2001:db8::/32" or a bare address
// (a /32 or /128).
func parseCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// eval evaluates the condition against ctx.
//
// A key absent from the request (or multi-valued with no values) makes
// the condition false, except: ...IfExists is true; ForAllValues is true;
// ForAnyValue is false; a negated operator is true; Null tests presence.
// A single-valued operator on a multi-valued key does not match. The
// values of the condition are ORed: a positive operator needs one value to
// match, a negated operator needs none to.
func (c *condition) eval(ctx *Context) bool {
	v, present := ctx.get(c.key)
	if c.base == opNull {
		for i := range c.values {
			if cv := &c.values[i]; cv.ok && cv.null == !present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.ifExists, c.set == setForAll:
			return true
		case c.set == setForAny:
			return false
		}
		return c.negated
	}
	switch c.set {
	case setForAll:
		for i := 0; i < v.Len(); i++ {
			if !c.test(v.At(i), ctx) {
				return false
			}
		}
		return true
	case setForAny:
		for i := 0; i < v.Len(); i++ {
			if c.test(v.At(i), ctx) {
				return true
			}
		}
		return false
	}
	if v.multi {
		return false
	}
	return c.test(v.one, ctx)
}

// test applies the operator, negation included, to one request value. A
// request value of the wrong type (not a number, date, address or
// boolean) or a value whose policy variable does not resolve makes the
// test false whether or not the operator is negated.
func (c *condition) test(x string, ctx *Context) bool {
	r := c.anyMatch(x, ctx)
	if c.negated {
		return r == noMatch
	}
	return r == matched
}

// anyMatch reports whether x matches at least one value of the condition.
func (c *condition) anyMatch(x string, ctx *Context) result {
	res := noMatch
	switch c.base {
	case opStringEquals, opStringLike, opBinaryEquals:
		for i := range c.values {
			switch c.values[i].pat.match(x, false, ctx) {
			case matched:
				return matched
			case unresolved:
				res = unresolved
			}
		}
	case opStringEqualsIgnoreCase:
		for i := range c.values {
			p := &c.values[i].pat
			if p.kind == patExact {
				if strings.EqualFold(x, p.lit) {
					return matched
				}
				continue
			}
			switch p.match(x, true, ctx) {
			case matched:
				return matched
			case unresolved:
				res = unresolved
			}
		}
	case opBool:
		if _, ok := parseBool(x); !ok {
			return unresolved
		}
		for i := range c.values {
			switch c.values[i].pat.match(x, true, ctx) {
			case matched:
				return matched
			case unresolved:
				res = unresolved
			}
		}
	case opArnLike:
		for i := range c.values {
			switch c.values[i].arn.match(x, ctx) {
			case matched:
				return matched
			case unresolved:
				res = unresolved
			}
		}
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		n, ok := parseNumber(x)
		if !ok {
			return unresolved
		}
		for i := range c.values {
			cv := &c.values[i]
			if cv.ok && compare(c.base-opNumericEquals, cmpFloat(n, cv.num)) {
				return matched
			}
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(x)
		if !ok {
			return unresolved
		}
		for i := range c.values {
			cv := &c.values[i]
			if cv.ok && compare(c.base-opDateEquals, t.cmp(cv.when)) {
				return matched
			}
		}
	case opIPAddress:
		a, err := netip.ParseAddr(strings.TrimSpace(x))
		if err != nil {
			return unresolved
		}
		a = a.Unmap()
		for i := range c.values {
			cv := &c.values[i]
			if cv.ok && cv.ip.Contains(a) {
				return matched
			}
		}
	}
	return res
}

// compare applies a comparison, given as an offset from the Equals
// operator of its family (Equals, LessThan, LessThanEquals, GreaterThan,
// GreaterThanEquals), to the result of comparing the request value with
// the policy value.
func compare(rel opBase, cmp int) bool {
	switch rel {
	case 0:
		return cmp == 0
	case 1:
		return cmp < 0
	case 2:
		return cmp <= 0
	case 3:
		return cmp > 0
	case 4:
		return cmp >= 0
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
