package operation

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// requiredFields caches, per input type, the indexes of members tagged `required:"true"`.
var requiredFields sync.Map // reflect.Type → []requiredField

type requiredField struct {
	index []int
	name  string
}

// checkRequired rejects an input whose required members are missing, with the message
// AWS's validation layer gives: "1 validation error detected: Value null at 'accountId'
// failed to satisfy constraint: Member must not be null".
func checkRequired(s *Service, in any) error {
	v := reflect.ValueOf(in).Elem()
	fields := requiredOf(v.Type())
	var missing []string
	for _, f := range fields {
		fv := v.FieldByIndex(f.index)
		if fv.IsZero() && (fv.Kind() == reflect.Pointer || fv.Kind() == reflect.String || fv.Kind() == reflect.Slice || fv.Kind() == reflect.Map) {
			missing = append(missing, f.name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	var b strings.Builder
	if len(missing) == 1 {
		b.WriteString("1 validation error detected: ")
	} else {
		b.WriteString(strconv.Itoa(len(missing)) + " validation errors detected: ")
	}
	for i, name := range missing {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString("Value null at '" + LowerFirst(name) + "' failed to satisfy constraint: Member must not be null")
	}
	return s.Validation("%s", b.String())
}

func requiredOf(t reflect.Type) []requiredField {
	if f, ok := requiredFields.Load(t); ok {
		return f.([]requiredField)
	}
	var out []requiredField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.Tag.Get("required") == "true" {
			out = append(out, requiredField{index: sf.Index, name: WireName(sf)})
		}
	}
	requiredFields.Store(t, out)
	return out
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
