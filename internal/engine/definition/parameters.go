package definition

import (
	"encoding/json"
	"strconv"
	"strings"
)

// ParameterType is the type of a pipeline parameter.
type ParameterType string

// The parameter types of the definition language.
const (
	ParameterString  ParameterType = "String"
	ParameterInteger ParameterType = "Integer"
	ParameterBoolean ParameterType = "Boolean"
	ParameterFloat   ParameterType = "Float"
)

// Parameter is a pipeline parameter.
type Parameter struct {
	Name string
	Type ParameterType
	// DefaultValue is the default as a typed value: string for String,
	// int64 for Integer, float64 for Float, bool for Boolean; nil when the
	// parameter has no default and every execution must give a value.
	DefaultValue any
	// EnumValues, for String parameters only, lists the allowed values;
	// nil when any value is allowed.
	EnumValues []string
}

// Override is a parameter value given to StartPipelineExecution: the
// PipelineParameters member {"Name", "Value"}, where Value is always a
// string.
type Override struct {
	Name  string
	Value string
}

// Limits on the PipelineParameters of StartPipelineExecution.
const (
	maxOverrides      = 200
	maxOverrideLength = 1024
)

// parseParameters decodes and validates the Parameters list.
func parseParameters(v any) ([]Parameter, error) {
	items, err := asList(v)
	if err != nil {
		return nil, docErrorf("Parameters must be a list of parameters.")
	}
	params := make([]Parameter, 0, len(items))
	seen := make(map[string]bool, len(items))
	for i, item := range items {
		fields, err := asObject(item)
		if err != nil || fields == nil {
			return nil, docErrorf("Parameters[%d] must be an object with Name and Type.", i)
		}
		var p Parameter
		if err := asString(fields["Name"], &p.Name); err != nil || p.Name == "" {
			return nil, docErrorf("Parameters[%d] needs a Name, a string.", i)
		}
		if !validName(p.Name, 64) {
			return nil, paramErrorf(p.Name, "Parameter name %q is not valid: it must match ^[A-Za-z0-9\\-_]{1,64}$.", truncate(p.Name, 80))
		}
		if seen[p.Name] {
			return nil, paramErrorf(p.Name, "Parameter name %q is used by more than one parameter.", p.Name)
		}
		seen[p.Name] = true
		var typ string
		if err := asString(fields["Type"], &typ); err != nil || typ == "" {
			return nil, paramErrorf(p.Name, "Parameter %q needs a Type: String, Integer, Boolean or Float.", p.Name)
		}
		p.Type = ParameterType(typ)
		switch p.Type {
		case ParameterString, ParameterInteger, ParameterBoolean, ParameterFloat:
		default:
			return nil, paramErrorf(p.Name, "Parameter %q has type %q; valid types: String, Integer, Boolean, Float.", p.Name, truncate(typ, 64))
		}
		if v := fields["EnumValues"]; v != nil {
			if p.Type != ParameterString {
				return nil, paramErrorf(p.Name, "Parameter %q has type %s and EnumValues; only String parameters may have EnumValues.", p.Name, p.Type)
			}
			if p.EnumValues, err = asStrings(v); err != nil {
				return nil, paramErrorf(p.Name, "EnumValues of parameter %q must be a list of strings.", p.Name)
			}
			if len(p.EnumValues) == 0 {
				return nil, paramErrorf(p.Name, "EnumValues of parameter %q must not be empty.", p.Name)
			}
		}
		if v := fields["DefaultValue"]; v != nil {
			typed, ok := typedDefault(p.Type, v)
			if !ok {
				return nil, paramErrorf(p.Name, "DefaultValue %s of parameter %q is not a valid %s.", truncate(string(rawJSON(v)), 64), p.Name, p.Type)
			}
			p.DefaultValue = typed
			if s, ok := typed.(string); ok && p.EnumValues != nil && !contains(p.EnumValues, s) {
				return nil, paramErrorf(p.Name, "DefaultValue %q of parameter %q is not one of its EnumValues: %s.", s, p.Name, strings.Join(p.EnumValues, ", "))
			}
		}
		params = append(params, p)
	}
	return params, nil
}

// typedDefault converts a DefaultValue to the parameter's type.
func typedDefault(typ ParameterType, v any) (any, bool) {
	switch typ {
	case ParameterString:
		s, ok := v.(string)
		return s, ok
	case ParameterBoolean:
		b, ok := v.(bool)
		return b, ok
	case ParameterInteger:
		if n, ok := v.(json.Number); ok {
			if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
				return i, true
			}
		}
	case ParameterFloat:
		return asFloat(v)
	}
	return nil, false
}

// parseValue converts the string form of a value, as StartPipelineExecution
// sends it, to the parameter's type. Booleans are "true" or "false" in any
// case, since the SageMaker Python SDK sends Python's "True" and "False".
func (p *Parameter) parseValue(s string) (any, bool) {
	switch p.Type {
	case ParameterString:
		return s, true
	case ParameterInteger:
		i, err := strconv.ParseInt(s, 10, 64)
		return i, err == nil
	case ParameterFloat:
		if !isDecimal(s) {
			return nil, false
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	case ParameterBoolean:
		switch {
		case strings.EqualFold(s, "true"):
			return true, true
		case strings.EqualFold(s, "false"):
			return false, true
		}
	}
	return nil, false
}

// ResolveParameters returns the value of every parameter of the definition
// for an execution started with the given overrides: the override when
// given, else the default. Values are typed as [Parameter.DefaultValue]
// describes. It rejects overrides of unknown parameters, a parameter given
// twice, values that do not parse as the parameter's type (Integer: a
// decimal integer; Float: a decimal number; Boolean: true or false in any
// case), values outside a String parameter's EnumValues, and a parameter
// with neither default nor override.
func (d *Definition) ResolveParameters(overrides []Override) (map[string]any, error) {
	if len(overrides) > maxOverrides {
		return nil, docErrorf("PipelineParameters has %d values; the maximum is %d.", len(overrides), maxOverrides)
	}
	values := make(map[string]any, len(d.Parameters))
	given := make(map[string]bool, len(overrides))
	for _, o := range overrides {
		p := d.params[o.Name]
		if p == nil {
			return nil, paramErrorf(o.Name, "Parameter %q is not defined in the pipeline definition.", o.Name)
		}
		if given[o.Name] {
			return nil, paramErrorf(o.Name, "Parameter %q is given more than once.", o.Name)
		}
		given[o.Name] = true
		if len(o.Value) > maxOverrideLength {
			return nil, paramErrorf(o.Name, "Value of parameter %q is %d characters long; the maximum is %d.", o.Name, len(o.Value), maxOverrideLength)
		}
		v, ok := p.parseValue(o.Value)
		if !ok {
			return nil, paramErrorf(o.Name, "Value %q of parameter %q is not a valid %s.", truncate(o.Value, 64), o.Name, p.Type)
		}
		if p.EnumValues != nil && !contains(p.EnumValues, o.Value) {
			return nil, paramErrorf(o.Name, "Value %q of parameter %q is not one of its EnumValues: %s.", truncate(o.Value, 64), o.Name, strings.Join(p.EnumValues, ", "))
		}
		values[o.Name] = v
	}
	for i := range d.Parameters {
		p := &d.Parameters[i]
		if given[p.Name] {
			continue
		}
		if p.DefaultValue == nil {
			return nil, paramErrorf(p.Name, "Parameter %q has no default value and no value was given.", p.Name)
		}
		values[p.Name] = p.DefaultValue
	}
	return values, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// truncate shortens s for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
