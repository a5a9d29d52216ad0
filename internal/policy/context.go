package policy

import (
	"sort"
	"strings"
)

// Context holds the condition keys of a request. Key names are
// case-insensitive, as in AWS: "aws:SourceIp", "AWS:sourceip" and the tag
// key part of "aws:PrincipalTag/Team" all compare without case. A key holds
// one value (set with [Context.Set]) or is multi-valued (set with
// [Context.SetMulti], like aws:TagKeys or aws:CalledVia); a multi-valued
// key with no values counts as absent.
//
// The zero Context is empty and ready to use. Lookups do not allocate. A
// Context must not be modified while [Evaluate] reads it.
type Context struct {
	m map[string]Value
	// An overlay (see [Context.Overlay]) keeps its changes in over, a few keys searched
	// in order, and reads the keys they do not name from base; a key over marks gone is
	// absent whatever base holds.
	base *Context
	over []entry
}

// entry is one key of an overlay.
type entry struct {
	key string // lower case
	v   Value
}

// Value is the value of a condition key: one string, or a list.
type Value struct {
	one   string
	list  []string
	multi bool
	gone  bool // deleted from an overlay whose base holds the key
}

// Len returns the number of values.
func (v Value) Len() int {
	if v.multi {
		return len(v.list)
	}
	return 1
}

// At returns the i-th value.
func (v Value) At(i int) string {
	if v.multi {
		return v.list[i]
	}
	return v.one
}

// IsMulti reports whether the key is multi-valued.
func (v Value) IsMulti() bool { return v.multi }

// Strings returns the values as a new slice.
func (v Value) Strings() []string {
	if v.multi {
		return append([]string(nil), v.list...)
	}
	return []string{v.one}
}

// NewContext returns a Context holding the given single-valued keys.
func NewContext(keys map[string]string) *Context {
	c := &Context{m: make(map[string]Value, len(keys)+8)}
	for k, v := range keys {
		c.Set(k, v)
	}
	return c
}

// Set sets key to the single value v, replacing any earlier value.
func (c *Context) Set(key, v string) {
	c.put(strings.ToLower(key), Value{one: v})
}

// put sets the key lower to v.
func (c *Context) put(lower string, v Value) {
	if c.base != nil {
		for i := range c.over {
			if c.over[i].key == lower {
				c.over[i].v = v
				return
			}
		}
		c.over = append(c.over, entry{lower, v})
		return
	}
	if c.m == nil {
		c.m = make(map[string]Value, 16)
	}
	c.m[lower] = v
}

// SetMulti makes key multi-valued with the given values, replacing any
// earlier value. The slice is copied. Only the ForAllValues: and
// ForAnyValue: forms of an operator match a multi-valued key; a
// single-valued operator does not, even when the key holds one value.
func (c *Context) SetMulti(key string, values ...string) {
	c.put(strings.ToLower(key), Value{list: append([]string(nil), values...), multi: true})
}

// SetDefault sets key to v unless the key is already present.
func (c *Context) SetDefault(key, v string) {
	if _, ok := c.Lookup(key); !ok {
		c.Set(key, v)
	}
}

// Delete removes key.
func (c *Context) Delete(key string) {
	k := strings.ToLower(key)
	if c.base != nil {
		c.put(k, Value{gone: true})
		return
	}
	delete(c.m, k)
}

// Lookup returns the value of key and whether it is present. A
// multi-valued key with no values is absent. It does not allocate for
// keys of up to 256 bytes.
func (c *Context) Lookup(key string) (Value, bool) {
	if c == nil {
		return Value{}, false
	}
	var buf [256]byte
	if len(key) > len(buf) {
		return c.get(strings.ToLower(key))
	}
	b := buf[:len(key)]
	for i := 0; i < len(key); i++ {
		if key[i] >= 0x80 {
			return c.get(strings.ToLower(key))
		}
		b[i] = lower(key[i])
	}
	return c.getBytes(b)
}

// getBytes is get of a key in lower case, without converting it to a string: the
// compiler compares and looks up the bytes directly.
func (c *Context) getBytes(lower []byte) (Value, bool) {
	if c.base != nil {
		for i := range c.over {
			if c.over[i].key == string(lower) {
				return present(c.over[i].v)
			}
		}
		return c.base.getBytes(lower)
	}
	v, ok := c.m[string(lower)]
	if !ok {
		return Value{}, false
	}
	return present(v)
}

// present returns v and whether it counts as present: not deleted, and not a multi-valued
// key without values.
func present(v Value) (Value, bool) {
	if v.gone || (v.multi && len(v.list) == 0) {
		return Value{}, false
	}
	return v, true
}

// Keys returns the keys present, in lower case, sorted.
func (c *Context) Keys() []string {
	if c == nil {
		return nil
	}
	var keys []string
	for k := range c.flat() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Clone returns a copy of c that can be changed without changing c, and that c's changes
// do not change.
func (c *Context) Clone() *Context {
	if c == nil {
		return &Context{m: make(map[string]Value, 8)}
	}
	if c.base == nil {
		n := &Context{m: make(map[string]Value, len(c.m)+8)}
		for k, v := range c.m {
			n.m[k] = v
		}
		return n
	}
	return &Context{m: c.flat()}
}

// Overlay returns a Context that reads c's keys and keeps its own changes, without a
// copy of c: c must not change while the overlay is used.
func (c *Context) Overlay() *Context {
	if c == nil {
		c = &Context{}
	}
	return &Context{base: c, over: make([]entry, 0, 16)}
}

// flat returns the keys set (a multi-valued key with no values among them) as one new map.
func (c *Context) flat() map[string]Value {
	if c.base == nil {
		m := make(map[string]Value, len(c.m)+8)
		for k, v := range c.m {
			m[k] = v
		}
		return m
	}
	m := c.base.flat()
	for _, e := range c.over {
		if e.v.gone {
			delete(m, e.key)
		} else {
			m[e.key] = e.v
		}
	}
	return m
}

// get looks up a key already in lower case.
func (c *Context) get(lower string) (Value, bool) {
	if c == nil {
		return Value{}, false
	}
	if c.base != nil {
		for i := range c.over {
			if c.over[i].key == lower {
				return present(c.over[i].v)
			}
		}
		return c.base.get(lower)
	}
	v, ok := c.m[lower]
	if !ok {
		return Value{}, false
	}
	return present(v)
}
