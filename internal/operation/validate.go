package operation

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An input's constraints are declared with struct tags beside each member, as the service's
// model gives them, and checked by one validator before authorization and the handler run:
//
//	required:"true"   the member must be present
//	min:"N" max:"N"   a string's length in characters, a list's or map's number of entries,
//	                  a number's value
//	pattern:"P"       a string matches P entirely; P is spelled as the model spells it (a
//	                  Java regular expression, \uXXXX escapes included), which is what the
//	                  message shows. Backslashes are doubled inside the tag.
//	re:"R"            the RE2 form of P, where P needs what RE2 lacks (look-behind)
//	enum:"A,B,C"      a string is one of the values
//	memberMin, memberMax, memberPattern, memberRe, memberEnum
//	                  the same, for each string of a list
//	keyMin, keyMax, keyPattern, keyRe, valueMin, valueMax, valuePattern, valueRe
//	                  the same, for each key and value of a map of strings
//	sensitive:"true"  the value is never echoed in a message
//
// Structures, pointers to structures and lists of structures are checked member by member.
// A plain (non-pointer) string or number that holds its zero value counts as absent: it
// fails a required member and is otherwise not checked — except in a structure that is a
// list member, whose members the client sent, so an empty string there is a value.
//
// Messages are AWS's: "2 validation errors detected: Value 'x' at 'path' failed to satisfy
// constraint: Member must satisfy regular expression pattern: …; Value null at 'userName'
// failed to satisfy constraint: Member must not be null". Each member reports its first
// failed constraint.

// Violation is one member failing one constraint.
type Violation struct {
	// Path names the member as AWS does: "outputDataConfig.s3OutputPath",
	// "tags.1.member.key".
	Path string
	// Value is the member's value as the message shows it; Null marks an absent member;
	// Hidden a value the message does not show (a sensitive member, a list of structures).
	Value  string
	Null   bool
	Hidden bool
	// Constraint is what the member must satisfy, a sentence starting "Member must" (or
	// "Map keys must", "Map value must").
	Constraint string
}

func (v Violation) String() string {
	switch {
	case v.Null:
		return "Value null at '" + v.Path + "' failed to satisfy constraint: " + v.Constraint
	case v.Hidden:
		return "Value at '" + v.Path + "' failed to satisfy constraint: " + v.Constraint
	}
	return "Value '" + echo(v.Value) + "' at '" + v.Path + "' failed to satisfy constraint: " + v.Constraint
}

// maxEcho bounds how much of a value a message repeats: a request of megabytes does not get
// its megabytes back.
const maxEcho = 1024

// echo returns value as a message shows it, cut to maxEcho characters.
func echo(value string) string {
	if utf8.RuneCountInString(value) <= maxEcho {
		return value
	}
	r := []rune(value)
	return string(r[:maxEcho]) + "…"
}

// ValidationMessage renders violations as AWS's validation layer does: "1 validation error
// detected: …" or "N validation errors detected: …; …". It is "" for none.
func ValidationMessage(violations ...Violation) string {
	if len(violations) == 0 {
		return ""
	}
	var b strings.Builder
	if len(violations) == 1 {
		b.WriteString("1 validation error detected: ")
	} else {
		b.WriteString(strconv.Itoa(len(violations)) + " validation errors detected: ")
	}
	for i, v := range violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.String())
	}
	return b.String()
}

// The constraint sentences of AWS's messages.

// NotNull is the constraint of a required member.
const NotNull = "Member must not be null"

// MaxLength is the constraint of a string, list or map of at most n characters or entries.
func MaxLength(n int) string {
	return "Member must have length less than or equal to " + strconv.Itoa(n)
}

// MinLength is the constraint of a string, list or map of at least n characters or entries.
func MinLength(n int) string {
	return "Member must have length greater than or equal to " + strconv.Itoa(n)
}

// MaxValue is the constraint of a number of at most n.
func MaxValue(n int64) string {
	return "Member must have value less than or equal to " + strconv.FormatInt(n, 10)
}

// MinValue is the constraint of a number of at least n.
func MinValue(n int64) string {
	return "Member must have value greater than or equal to " + strconv.FormatInt(n, 10)
}

// MatchPattern is the constraint of a string matching pattern (as the model spells it).
func MatchPattern(pattern string) string {
	return "Member must satisfy regular expression pattern: " + pattern
}

// OneOf is the constraint of a string from an enumeration.
func OneOf(values ...string) string {
	return "Member must satisfy enum value set: [" + strings.Join(values, ", ") + "]"
}

// stringRule is what one string must satisfy.
type stringRule struct {
	min, max   int // -1: none
	pattern    string
	re         *regexp.Regexp
	enum       []string
	hasAnyRule bool
}

// check returns the first constraint s fails, or "".
func (r *stringRule) check(s string) string {
	n := utf8.RuneCountInString(s)
	switch {
	case r.max >= 0 && n > r.max:
		return MaxLength(r.max)
	case r.min >= 0 && n < r.min:
		return MinLength(r.min)
	case r.re != nil && !r.re.MatchString(s):
		return MatchPattern(r.pattern)
	case r.enum != nil && !contains(r.enum, s):
		return OneOf(r.enum...)
	}
	return ""
}

// describe lists every constraint of the rule, as AWS lists a member's constraints for a
// list member or map entry that fails one.
func (r *stringRule) describe() string {
	var parts []string
	if r.max >= 0 {
		parts = append(parts, MaxLength(r.max))
	}
	if r.min >= 0 {
		parts = append(parts, MinLength(r.min))
	}
	if r.re != nil {
		parts = append(parts, MatchPattern(r.pattern))
	}
	if r.enum != nil {
		parts = append(parts, OneOf(r.enum...))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// fieldRule is the plan of one member.
type fieldRule struct {
	index     []int
	name      string // as in messages
	required  bool
	sensitive bool
	kind      reflect.Kind // of the member, pointers removed
	pointer   bool
	str       *stringRule // strings; and a list's or map's own length via min/max
	min, max  *int64      // numbers; lengths of lists, maps and blobs
	member    *stringRule // each string of a list
	key, val  *stringRule // each key and value of a map
	elem      *plan       // structures: the plan of the structure or of each list member
	elemList  bool        // elem applies to each member of a list
}

// plan is the checks of one structure type; nil for a type with nothing to check.
type plan struct {
	fields []fieldRule
}

// compilePlan reads the constraint tags of struct type t (and of the structures it holds).
// It panics on a malformed tag: declarations are checked when the service is built.
func compilePlan(t reflect.Type, seen map[reflect.Type]*plan) *plan {
	if p, ok := seen[t]; ok {
		return p
	}
	p := &plan{}
	seen[t] = p // a recursive shape refers to itself
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if f, ok := compileField(t, sf, seen); ok {
			p.fields = append(p.fields, f)
		}
	}
	if len(p.fields) == 0 {
		seen[t] = nil
		return nil
	}
	return p
}

func compileField(t reflect.Type, sf reflect.StructField, seen map[reflect.Type]*plan) (fieldRule, bool) {
	tag := sf.Tag
	f := fieldRule{index: sf.Index, name: LowerFirst(WireName(sf)), required: tag.Get("required") == "true",
		sensitive: tag.Get("sensitive") == "true"}
	ft := sf.Type
	if ft.Kind() == reflect.Pointer {
		f.pointer = true
		ft = ft.Elem()
	}
	f.kind = ft.Kind()
	where := t.Name() + "." + sf.Name
	switch f.kind {
	case reflect.String:
		if r := compileString(tag, "", where); r != nil {
			f.str = r
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		f.min, f.max = bound(tag, "min", where), bound(tag, "max", where)
	case reflect.Slice, reflect.Array:
		f.min, f.max = bound(tag, "min", where), bound(tag, "max", where)
		et := ft.Elem()
		switch {
		case et.Kind() == reflect.String:
			f.member = compileString(tag, "member", where)
		case et.Kind() == reflect.Struct || et.Kind() == reflect.Pointer && et.Elem().Kind() == reflect.Struct:
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			f.elem, f.elemList = compilePlan(et, seen), true
		}
	case reflect.Map:
		f.min, f.max = bound(tag, "min", where), bound(tag, "max", where)
		if ft.Key().Kind() == reflect.String {
			f.key = compileString(tag, "key", where)
		}
		if ft.Elem().Kind() == reflect.String {
			f.val = compileString(tag, "value", where)
		}
	case reflect.Struct:
		f.elem = compilePlan(ft, seen)
	}
	checked := f.required || f.str != nil || f.min != nil || f.max != nil || f.member != nil ||
		f.key != nil || f.val != nil || f.elem != nil
	if !checked && (tag.Get("pattern") != "" || tag.Get("enum") != "") {
		panic(fmt.Sprintf("operation: %s: pattern and enum apply to strings", where))
	}
	return f, checked
}

// compileString reads a string rule from tags with prefix ("", "member", "key", "value").
func compileString(tag reflect.StructTag, prefix, where string) *stringRule {
	name := func(s string) string {
		if prefix == "" {
			return s
		}
		return prefix + strings.ToUpper(s[:1]) + s[1:]
	}
	r := &stringRule{min: -1, max: -1}
	if b := bound(tag, name("min"), where); b != nil {
		r.min, r.hasAnyRule = int(*b), true
	}
	if b := bound(tag, name("max"), where); b != nil {
		r.max, r.hasAnyRule = int(*b), true
	}
	if p := tag.Get(name("pattern")); p != "" {
		src := tag.Get(name("re"))
		if src == "" {
			src = javaToRE2(p)
		}
		re, err := regexp.Compile(`^(?:` + src + `)$`)
		if err != nil {
			panic(fmt.Sprintf("operation: %s: pattern %q does not compile as RE2 (give its RE2 form in %s): %v", where, p, name("re"), err))
		}
		r.pattern, r.re, r.hasAnyRule = p, re, true
	}
	if e := tag.Get(name("enum")); e != "" {
		r.enum, r.hasAnyRule = strings.Split(e, ","), true
	}
	if !r.hasAnyRule {
		return nil
	}
	return r
}

func bound(tag reflect.StructTag, key, where string) *int64 {
	v, ok := tag.Lookup(key)
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("operation: %s: %s:%q is not an integer", where, key, v))
	}
	return &n
}

// javaToRE2 rewrites what AWS's (Java) patterns spell differently from RE2: \uXXXX.
func javaToRE2(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] != '\\' || i+1 == len(p) {
			b.WriteByte(p[i])
			continue
		}
		if p[i+1] == 'u' && i+6 <= len(p) && isHex(p[i+2:i+6]) {
			b.WriteString(`\x{` + p[i+2:i+6] + `}`)
			i += 5
			continue
		}
		b.WriteString(p[i : i+2])
		i++
	}
	return b.String()
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// check appends the violations of structure v (prefix is its path, "" at the top).
func (p *plan) check(v reflect.Value, prefix string, listMember bool, out []Violation) []Violation {
	for i := range p.fields {
		f := &p.fields[i]
		out = f.check(v.FieldByIndex(f.index), prefix+f.name, listMember, out)
	}
	return out
}

func (f *fieldRule) check(fv reflect.Value, path string, listMember bool, out []Violation) []Violation {
	if f.pointer {
		if fv.IsNil() {
			if f.required {
				out = append(out, Violation{Path: path, Null: true, Constraint: NotNull})
			}
			return out
		}
		fv = fv.Elem()
	}
	absent := false
	switch f.kind {
	case reflect.Slice, reflect.Map:
		absent = fv.IsNil()
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		absent = !f.pointer && !listMember && fv.IsZero()
	}
	if absent {
		if f.required {
			out = append(out, Violation{Path: path, Null: true, Constraint: NotNull})
		}
		return out
	}
	switch f.kind {
	case reflect.String:
		if f.str != nil {
			if c := f.str.check(fv.String()); c != "" {
				out = append(out, Violation{Path: path, Value: fv.String(), Hidden: f.sensitive, Constraint: c})
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		out = f.checkNumber(fv.Int(), strconv.FormatInt(fv.Int(), 10), path, out)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		out = f.checkNumber(int64(fv.Uint()), strconv.FormatUint(fv.Uint(), 10), path, out)
	case reflect.Float32, reflect.Float64:
		x := fv.Float()
		switch {
		case f.max != nil && x > float64(*f.max):
			out = append(out, Violation{Path: path, Value: strconv.FormatFloat(x, 'g', -1, 64), Constraint: MaxValue(*f.max)})
		case f.min != nil && x < float64(*f.min):
			out = append(out, Violation{Path: path, Value: strconv.FormatFloat(x, 'g', -1, 64), Constraint: MinValue(*f.min)})
		}
	case reflect.Slice, reflect.Array:
		out = f.checkList(fv, path, out)
	case reflect.Map:
		out = f.checkMap(fv, path, out)
	case reflect.Struct:
		if f.elem != nil {
			out = f.elem.check(fv, path+".", false, out)
		}
	}
	return out
}

func (f *fieldRule) checkNumber(n int64, shown, path string, out []Violation) []Violation {
	switch {
	case f.max != nil && n > *f.max:
		return append(out, Violation{Path: path, Value: shown, Constraint: MaxValue(*f.max)})
	case f.min != nil && n < *f.min:
		return append(out, Violation{Path: path, Value: shown, Constraint: MinValue(*f.min)})
	}
	return out
}

func (f *fieldRule) checkList(fv reflect.Value, path string, out []Violation) []Violation {
	n := fv.Len()
	shown, hidden := "", true
	if f.member != nil || fv.Type().Elem().Kind() == reflect.String {
		shown, hidden = listString(fv), f.sensitive
	}
	switch {
	case f.max != nil && int64(n) > *f.max:
		return append(out, Violation{Path: path, Value: shown, Hidden: hidden, Constraint: MaxLength(int(*f.max))})
	case f.min != nil && int64(n) < *f.min:
		return append(out, Violation{Path: path, Value: shown, Hidden: hidden, Constraint: MinLength(int(*f.min))})
	}
	if f.member != nil {
		for i := 0; i < n; i++ {
			if f.member.check(fv.Index(i).String()) != "" {
				return append(out, Violation{Path: path, Value: shown, Hidden: hidden,
					Constraint: "Member must satisfy constraint: " + f.member.describe()})
			}
		}
	}
	if f.elem != nil && f.elemList {
		for i := 0; i < n; i++ {
			ev := fv.Index(i)
			if ev.Kind() == reflect.Pointer {
				if ev.IsNil() {
					continue
				}
				ev = ev.Elem()
			}
			out = f.elem.check(ev, path+"."+strconv.Itoa(i+1)+".member.", true, out)
		}
	}
	return out
}

func (f *fieldRule) checkMap(fv reflect.Value, path string, out []Violation) []Violation {
	n := fv.Len()
	switch {
	case f.max != nil && int64(n) > *f.max:
		return append(out, Violation{Path: path, Hidden: true, Constraint: MaxLength(int(*f.max))})
	case f.min != nil && int64(n) < *f.min:
		return append(out, Violation{Path: path, Hidden: true, Constraint: MinLength(int(*f.min))})
	}
	if f.key == nil && f.val == nil {
		return out
	}
	keys := fv.MapKeys()
	badKey, badValue := false, false
	for _, k := range keys {
		if f.key != nil && f.key.check(k.String()) != "" {
			badKey = true
		}
		if f.val != nil && f.val.check(fv.MapIndex(k).String()) != "" {
			badValue = true
		}
	}
	// Map entries are never echoed: environments and hyperparameters may hold secrets.
	if badKey {
		out = append(out, Violation{Path: path, Hidden: true, Constraint: "Map keys must satisfy constraint: " + f.key.describe()})
	}
	if badValue {
		out = append(out, Violation{Path: path, Hidden: true, Constraint: "Map value must satisfy constraint: " + f.val.describe()})
	}
	return out
}

// listString renders a list of strings as AWS echoes it: "[a, b]".
func listString(v reflect.Value) string {
	parts := make([]string, v.Len())
	for i := range parts {
		parts[i] = fmt.Sprint(v.Index(i).Interface())
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// WireName is the member name on the wire: the json tag, the query tag, or the field name.
func WireName(sf reflect.StructField) string {
	for _, key := range []string{"json", "query", "location"} {
		if tag := sf.Tag.Get(key); tag != "" {
			if name, _, _ := strings.Cut(tag, ","); name != "" && name != "-" {
				return name
			}
		}
	}
	return sf.Name
}

// LowerFirst turns a member name into the form AWS uses in validation messages.
func LowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// shapeOf returns the checks of the structure in points to (nil for none).
func shapeOf(t reflect.Type) *plan {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	return compilePlan(t, map[reflect.Type]*plan{})
}

// violations checks in (a pointer to a structure) against p.
func (p *plan) violations(in any) []Violation {
	if p == nil {
		return nil
	}
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	return p.check(v, "", false, nil)
}

// Check validates in, a pointer to a structure with constraint tags, and returns the
// service's validation error for what it violates, or nil. Operations' inputs are checked
// before they run; Check serves shapes checked apart from an operation.
func (s *Service) Check(in any) error {
	t := reflect.TypeOf(in)
	var p *plan
	if cached, ok := s.shapes.Load(t); ok {
		p = cached.(*plan)
	} else {
		p = shapeOf(t)
		s.shapes.Store(t, p)
	}
	if vs := p.violations(in); len(vs) > 0 {
		return s.Validation("%s", ValidationMessage(vs...))
	}
	return nil
}
