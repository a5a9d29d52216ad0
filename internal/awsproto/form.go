package awsproto

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

// MaxListMembers bounds the members of one list in an awsQuery request.
const MaxListMembers = 1000

// decodeForm fills the struct in points to from awsQuery parameters. Member names come
// from the `query` tag or the field name; lists are "<Name>.member.N", maps
// "<Name>.entry.N.key"/".value", nested structures "<Name>.<Member>".
func decodeForm(s *Service, values url.Values, in any) error {
	d := formDecoder{s: s, values: values}
	return d.structure(reflect.ValueOf(in).Elem(), "")
}

type formDecoder struct {
	s      *Service
	values url.Values
}

func (d *formDecoder) hasPrefix(prefix string) bool {
	if _, ok := d.values[prefix]; ok {
		return true
	}
	p := prefix + "."
	for k := range d.values {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

func (d *formDecoder) structure(v reflect.Value, prefix string) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name := sf.Name
		if tag := sf.Tag.Get("query"); tag != "" {
			if tag == "-" {
				continue
			}
			name, _, _ = strings.Cut(tag, ",")
		}
		key := name
		if prefix != "" {
			key = prefix + "." + name
		}
		if !d.hasPrefix(key) {
			continue
		}
		if err := d.value(v.Field(i), key); err != nil {
			return err
		}
	}
	return nil
}

var timeType = reflect.TypeOf(time.Time{})

func (d *formDecoder) value(v reflect.Value, key string) error {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.value(v.Elem(), key)
	}
	raw := d.values.Get(key)
	switch {
	case v.Type() == timeType:
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			return d.s.validationf("Value '%s' at '%s' is not a valid ISO 8601 timestamp.", raw, operation.LowerFirst(key))
		}
		v.Set(reflect.ValueOf(t))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return d.s.validationf("Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean.", raw, operation.LowerFirst(key))
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return d.s.validationf("Value '%s' at '%s' failed to satisfy constraint: Member must be an integer.", raw, operation.LowerFirst(key))
		}
		v.SetInt(n)
	case reflect.Float64, reflect.Float32:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return d.s.validationf("Value '%s' at '%s' failed to satisfy constraint: Member must be a number.", raw, operation.LowerFirst(key))
		}
		v.SetFloat(f)
	case reflect.Slice:
		return d.list(v, key)
	case reflect.Map:
		return d.mapping(v, key)
	case reflect.Struct:
		return d.structure(v, key)
	}
	return nil
}

func (d *formDecoder) list(v reflect.Value, key string) error {
	out := reflect.MakeSlice(v.Type(), 0, 0)
	for n := 1; ; n++ {
		member := key + ".member." + strconv.Itoa(n)
		if !d.hasPrefix(member) {
			break
		}
		if n > MaxListMembers {
			return d.s.validationf("The list '%s' has more than %d members.", operation.LowerFirst(key), MaxListMembers)
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		if err := d.value(elem, member); err != nil {
			return err
		}
		out = reflect.Append(out, elem)
	}
	v.Set(out)
	return nil
}

func (d *formDecoder) mapping(v reflect.Value, key string) error {
	m := reflect.MakeMap(v.Type())
	for n := 1; ; n++ {
		entry := key + ".entry." + strconv.Itoa(n)
		if !d.hasPrefix(entry) {
			break
		}
		if n > MaxListMembers {
			return d.s.validationf("The map '%s' has more than %d entries.", operation.LowerFirst(key), MaxListMembers)
		}
		k := reflect.New(v.Type().Key()).Elem()
		if err := d.value(k, entry+".key"); err != nil {
			return err
		}
		val := reflect.New(v.Type().Elem()).Elem()
		if err := d.value(val, entry+".value"); err != nil {
			return err
		}
		m.SetMapIndex(k, val)
	}
	v.Set(m)
	return nil
}
