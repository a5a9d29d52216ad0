package definition

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Condition is one condition of a Condition step:
//
//	{"Type": "Equals|GreaterThan|GreaterThanOrEqualTo|LessThan|LessThanOrEqualTo", "LeftValue", "RightValue"}
//	{"Type": "In", "QueryValue", "Values": [...]}
//	{"Type": "Not", "Condition": {...}}
//	{"Type": "Or", "Conditions": [...]}
//
// Operands are literals or expression trees.
type Condition struct {
	Type string
	// LeftValue and RightValue are the operands of a comparison.
	LeftValue, RightValue any
	// QueryValue and Values are the operands of In.
	QueryValue any
	Values     []any
	// Condition is the operand of Not.
	Condition *Condition
	// Conditions are the operands of Or.
	Conditions []*Condition
}

const conditionTypeList = "Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or"

// parseCondition decodes a condition from its generic tree; loc says where
// it is, for messages.
func parseCondition(v any, loc string) (*Condition, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the condition at %s must be an object with a Type", loc)
	}
	typ, ok := m["Type"].(string)
	if !ok || typ == "" {
		return nil, fmt.Errorf("the condition at %s needs a Type, one of: %s", loc, conditionTypeList)
	}
	c := &Condition{Type: typ}
	switch typ {
	case "Equals", "GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo":
		l, okl := m["LeftValue"]
		r, okr := m["RightValue"]
		if !okl || !okr {
			return nil, fmt.Errorf("the %s condition at %s needs a LeftValue and a RightValue", typ, loc)
		}
		c.LeftValue, c.RightValue = l, r
	case "In":
		q, okq := m["QueryValue"]
		vals, okv := m["Values"].([]any)
		if !okq || !okv {
			return nil, fmt.Errorf("the In condition at %s needs a QueryValue and a Values list", loc)
		}
		c.QueryValue, c.Values = q, vals
	case "Not":
		inner, err := parseCondition(m["Condition"], loc+".Condition")
		if err != nil {
			return nil, err
		}
		c.Condition = inner
	case "Or":
		list, ok := m["Conditions"].([]any)
		if !ok {
			return nil, fmt.Errorf("the Or condition at %s needs a Conditions list", loc)
		}
		for i, item := range list {
			inner, err := parseCondition(item, loc+".Conditions["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			c.Conditions = append(c.Conditions, inner)
		}
	default:
		return nil, fmt.Errorf("the condition at %s has unknown type %q; valid types: %s", loc, truncate(typ, 64), conditionTypeList)
	}
	return c, nil
}

// EvalConditions evaluates the Conditions of a Condition step: true when
// every condition holds (an empty list holds). Evaluation stops at the
// first condition that does not hold.
func (d *Definition) EvalConditions(conds []*Condition, env Env) (bool, error) {
	for _, c := range conds {
		ok, err := d.EvalCondition(c, env)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// EvalCondition evaluates one condition, resolving its operands with env.
//
// Comparisons: when both operands are numbers, or strings that hold
// decimal numbers ("0.5", "10", "1e-3"), they compare as numbers (integers
// exactly, otherwise as float64). Otherwise Equals compares booleans as
// booleans (a string "true" or "false", in any case, equals the boolean)
// and anything else by its string form, exactly; the ordering comparisons
// compare two strings lexicographically by bytes (so ISO-8601 times
// order correctly) and fail with an [*EvalError] for other operands
// (booleans, null, objects, lists). In holds when QueryValue Equals any of
// Values. Not negates. Or holds when any of its conditions holds and stops
// at the first that does; an empty Or does not hold.
func (d *Definition) EvalCondition(c *Condition, env Env) (bool, error) {
	switch c.Type {
	case "Equals", "GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo":
		l, err := d.Resolve(c.LeftValue, env)
		if err != nil {
			return false, err
		}
		r, err := d.Resolve(c.RightValue, env)
		if err != nil {
			return false, err
		}
		if c.Type == "Equals" {
			return equals(l, r)
		}
		cmp, err := order(c.Type, l, r)
		if err != nil {
			return false, err
		}
		switch c.Type {
		case "GreaterThan":
			return cmp > 0, nil
		case "GreaterThanOrEqualTo":
			return cmp >= 0, nil
		case "LessThan":
			return cmp < 0, nil
		default:
			return cmp <= 0, nil
		}
	case "In":
		q, err := d.Resolve(c.QueryValue, env)
		if err != nil {
			return false, err
		}
		for _, v := range c.Values {
			rv, err := d.Resolve(v, env)
			if err != nil {
				return false, err
			}
			if eq, err := equals(q, rv); err != nil || eq {
				return eq, err
			}
		}
		return false, nil
	case "Not":
		if c.Condition == nil {
			return false, evalErrorf("Not", "the condition has no Condition")
		}
		ok, err := d.EvalCondition(c.Condition, env)
		return !ok && err == nil, err
	case "Or":
		for _, inner := range c.Conditions {
			ok, err := d.EvalCondition(inner, env)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	return false, evalErrorf(c.Type, "unknown condition type; valid types: %s", conditionTypeList)
}

// equals implements Equals (and In) as EvalCondition describes.
func equals(l, r any) (bool, error) {
	if isComposite(l) || isComposite(r) {
		return false, evalErrorf("Equals", "cannot compare %s with %s", describe(l), describe(r))
	}
	if ln, ok := toNumber(l); ok {
		if rn, ok := toNumber(r); ok {
			return compareNumbers(ln, rn) == 0, nil
		}
	}
	lb, lIsBool := l.(bool)
	rb, rIsBool := r.(bool)
	switch {
	case lIsBool && rIsBool:
		return lb == rb, nil
	case lIsBool:
		b, ok := stringBool(r)
		return ok && b == lb, nil
	case rIsBool:
		b, ok := stringBool(l)
		return ok && b == rb, nil
	}
	if l == nil || r == nil {
		return l == nil && r == nil, nil
	}
	ls, _ := render(l)
	rs, _ := render(r)
	return ls == rs, nil
}

// order compares two operands of an ordering comparison: -1, 0 or +1.
func order(typ string, l, r any) (int, error) {
	if ln, ok := toNumber(l); ok {
		if rn, ok := toNumber(r); ok {
			return compareNumbers(ln, rn), nil
		}
	}
	ls, lok := l.(string)
	rs, rok := r.(string)
	if lok && rok {
		return strings.Compare(ls, rs), nil
	}
	return 0, evalErrorf(typ, "cannot compare %s with %s", describe(l), describe(r))
}

func stringBool(v any) (bool, bool) {
	s, ok := v.(string)
	switch {
	case !ok:
		return false, false
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

func isComposite(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

// describe names a value for an error message.
func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case nil:
		return "null"
	case string:
		return strconv.Quote(truncate(v.(string), 64))
	}
	s, err := render(v)
	if err != nil {
		return fmt.Sprintf("%T", v)
	}
	return s
}

// number is a numeric operand: an exact integer or a float.
type number struct {
	i     int64
	f     float64
	isInt bool
}

// toNumber returns v as a number when it is one, or a string or
// json.Number holding a decimal number.
func toNumber(v any) (number, bool) {
	switch x := v.(type) {
	case int:
		return number{i: int64(x), isInt: true}, true
	case int64:
		return number{i: x, isInt: true}, true
	case int32:
		return number{i: int64(x), isInt: true}, true
	case float64:
		return number{f: x}, !math.IsNaN(x)
	case float32:
		return number{f: float64(x)}, !math.IsNaN(float64(x))
	case json.Number:
		return parseNumber(string(x))
	case string:
		return parseNumber(x)
	}
	return number{}, false
}

func parseNumber(s string) (number, bool) {
	if !isDecimal(s) {
		return number{}, false
	}
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return number{i: i, isInt: true}, true
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return number{}, false
	}
	return number{f: f}, true
}

func compareNumbers(a, b number) int {
	if a.isInt && b.isInt {
		switch {
		case a.i < b.i:
			return -1
		case a.i > b.i:
			return 1
		}
		return 0
	}
	af, bf := a.f, b.f
	if a.isInt {
		af = float64(a.i)
	}
	if b.isInt {
		bf = float64(b.i)
	}
	switch {
	case af < bf:
		return -1
	case af > bf:
		return 1
	}
	return 0
}
