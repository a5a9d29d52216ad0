package definition

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Env is what an execution knows when expressions are evaluated. The
// engine implements it, once per step it resolves: Execution's
// TrainingJobName and ProcessingJobName are the job names of that step.
type Env interface {
	// Parameter returns the value of a parameter for the execution, typed
	// as [Definition.ResolveParameters] returns it (string, int64,
	// float64, bool).
	Parameter(name string) (any, bool)
	// StepProperties returns the properties of a step that has run: its
	// Describe… response as a generic JSON tree (map[string]any, []any,
	// string, float64 or json.Number, bool, nil; as json.Unmarshal into
	// an any produces), or {"Outcome": "True"|"False"} for a Condition
	// step. Lambda and Callback steps give "OutputParameters" either as a
	// list of {"Name", "Value"} or as an object from name to value. It
	// returns false when the step has no properties (it has not
	// succeeded).
	StepProperties(step string) (any, bool)
	// Execution returns an execution variable (see the Execution
	// variables of the package documentation), formatted as a string.
	Execution(name string) (string, bool)
	// ExperimentConfig returns the resolved ExperimentName or TrialName of
	// the execution; false when the pipeline has no experiment config.
	ExperimentConfig(name string) (string, bool)
	// ReadJSON returns the bytes of the object at an s3:// URI, read as
	// the pipeline's execution role. Its errors pass through, wrapped in
	// an [*EvalError].
	ReadJSON(s3uri string) ([]byte, error)
}

// ResolveArguments returns a step's Arguments with every expression
// replaced by its value: the request the step sends. For a Condition step
// it is the Arguments without IfSteps and ElseSteps. The result is a fresh
// tree the caller may change.
func (d *Definition) ResolveArguments(step string, env Env) (map[string]any, error) {
	s := d.byName[step]
	if s == nil {
		return nil, evalErrorf("Steps."+step, "the pipeline has no step %s", step)
	}
	if s.args == nil {
		return map[string]any{}, nil
	}
	v, err := d.resolve(s.args, env)
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	return m, nil
}

// Resolve returns tree with every expression node replaced by its value.
// tree is a generic JSON tree (as json.Decoder with UseNumber produces)
// or a json.RawMessage, such as an entry of
// [Step.Extra]. The result is a fresh tree; subtrees that held no
// expression are copies, so the caller may change it. Literal numbers
// stay json.Number.
//
// Expressions:
//
//   - {"Get": "Parameters.X"}: the parameter's value.
//   - {"Get": "Execution.X"}: the execution variable, a string.
//   - {"Get": "PipelineExperimentConfig.ExperimentName|TrialName"}.
//   - {"Get": "Steps.S.<path>"}: a property of step S, by the path
//     language of the package documentation.
//   - {"Std:Join": {"On": sep, "Values": [...]}}: the values, each
//     resolved and rendered as a string, joined with sep.
//   - {"Std:JsonGet": {"PropertyFile": ..., "Path": p}} and
//     {"Std:JsonGet": {"S3Uri": ..., "Path": p}}: the value at p in a JSON
//     file.
//
// An expression that cannot be evaluated fails with an [*EvalError].
func (d *Definition) Resolve(tree any, env Env) (any, error) {
	switch raw := tree.(type) {
	case json.RawMessage:
		if isNullRaw(raw) {
			return nil, nil
		}
		v, err := decodeTree(raw)
		if err != nil {
			return nil, evalErrorf("JSON", "%v", err)
		}
		tree = v
	case []byte:
		v, err := decodeTree(raw)
		if err != nil {
			return nil, evalErrorf("JSON", "%v", err)
		}
		tree = v
	}
	return d.resolve(tree, env)
}

func (d *Definition) resolve(v any, env Env) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if kind, arg, ok := asExpression(x); ok {
			return d.eval(kind, arg, env)
		}
		out := make(map[string]any, len(x))
		for k, item := range x {
			r, err := d.resolve(item, env)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			r, err := d.resolve(item, env)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// asExpression reports whether m is an expression node: an object with
// exactly one member, Get, Std:Join or Std:JsonGet.
func asExpression(m map[string]any) (kind string, arg any, ok bool) {
	if len(m) != 1 {
		return "", nil, false
	}
	for k, v := range m {
		switch k {
		case "Get", "Std:Join", "Std:JsonGet":
			return k, v, true
		}
	}
	return "", nil, false
}

func (d *Definition) eval(kind string, arg any, env Env) (any, error) {
	switch kind {
	case "Get":
		s, ok := arg.(string)
		if !ok {
			return nil, evalErrorf("Get", "the reference must be a string, not %s", describe(arg))
		}
		return d.evalGet(s, env)
	case "Std:Join":
		return d.evalJoin(arg, env)
	default:
		return d.evalJSONGet(arg, env)
	}
}

func (d *Definition) evalGet(s string, env Env) (any, error) {
	r, ok := d.refs[s]
	if !ok {
		var err error
		if r, err = parseGet(s); err != nil {
			return nil, evalErrorf(s, "%v", err)
		}
	}
	switch r.kind {
	case refParameter:
		v, ok := env.Parameter(r.name)
		if !ok {
			return nil, evalErrorf(s, "parameter %s has no value", r.name)
		}
		return v, nil
	case refExecution:
		v, ok := env.Execution(r.name)
		if !ok {
			return nil, evalErrorf(s, "execution variable %s is not available", r.name)
		}
		return v, nil
	case refExperiment:
		v, ok := env.ExperimentConfig(r.name)
		if !ok {
			return nil, evalErrorf(s, "the execution has no experiment configuration")
		}
		return v, nil
	}
	if r.propertyFile != "" {
		return nil, evalErrorf(s, "a property file can only be read with Std:JsonGet")
	}
	props, ok := env.StepProperties(r.name)
	if !ok {
		return nil, evalErrorf(s, "step %s has no properties (it has not succeeded)", r.name)
	}
	v, perr := navigate(props, r.path, true)
	if perr != nil {
		msg := fmt.Sprintf("step %s has no property %s", r.name, r.pathText[:perr.end])
		if perr.kind != missingMember {
			msg += ": " + perr.explain(perr.parentText(r.pathText, r.path, "its properties"))
		}
		return nil, evalErrorf(s, "%s", msg)
	}
	return deepCopy(v), nil
}

func (d *Definition) evalJoin(arg any, env Env) (any, error) {
	m, ok := arg.(map[string]any)
	if !ok {
		return nil, evalErrorf("Std:Join", "the argument must be an object with On and Values")
	}
	values, ok := m["Values"].([]any)
	if !ok {
		return nil, evalErrorf("Std:Join", "Values must be a list")
	}
	on := ""
	if v, present := m["On"]; present && v != nil {
		if on, ok = v.(string); !ok {
			return nil, evalErrorf("Std:Join", "On must be a string")
		}
	}
	var b strings.Builder
	for i, v := range values {
		r, err := d.resolve(v, env)
		if err != nil {
			return nil, err
		}
		s, err := render(r)
		if err != nil {
			return nil, evalErrorf("Std:Join", "Values[%d] is %s; only strings, numbers, booleans and null can be joined", i, describe(r))
		}
		if i > 0 {
			b.WriteString(on)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func (d *Definition) evalJSONGet(arg any, env Env) (any, error) {
	m, ok := arg.(map[string]any)
	if !ok {
		return nil, evalErrorf("Std:JsonGet", "the argument must be an object with Path and PropertyFile or S3Uri")
	}
	path, ok := m["Path"].(string)
	if !ok || path == "" {
		return nil, evalErrorf("Std:JsonGet", "Path must be a non-empty string")
	}
	var uri, file string
	if pf, present := m["PropertyFile"]; present {
		step, name, err := d.propertyFileRef(pf)
		if err != nil {
			return nil, evalErrorf("Std:JsonGet", "%v", err)
		}
		file = "Steps." + step + ".PropertyFiles." + name
		if uri, err = d.propertyFileURI(step, name, env); err != nil {
			return nil, evalErrorf("Std:JsonGet("+file+", "+path+")", "%v", err)
		}
	} else if s3, present := m["S3Uri"]; present {
		v, err := d.resolve(s3, env)
		if err != nil {
			return nil, err
		}
		if uri, ok = v.(string); !ok || uri == "" {
			return nil, evalErrorf("Std:JsonGet", "S3Uri is %s, not an S3 URI", describe(v))
		}
		file = uri
	} else {
		return nil, evalErrorf("Std:JsonGet", "it needs a PropertyFile or an S3Uri")
	}
	expr := "Std:JsonGet(" + file + ", " + path + ")"
	segs, ok := d.jsonPaths[path]
	if !ok {
		var err error
		if segs, err = parsePath(path, true); err != nil {
			return nil, evalErrorf(expr, "bad Path: %v", err)
		}
	}
	data, err := env.ReadJSON(uri)
	if err != nil {
		return nil, &EvalError{Expr: expr, Reason: fmt.Sprintf("reading %s: %v", uri, err), Err: err}
	}
	doc, err := decodeTree(data)
	if err != nil {
		return nil, evalErrorf(expr, "%s is not a JSON document: %v", uri, err)
	}
	v, perr := navigate(doc, segs, false)
	if perr != nil {
		parent := "the document"
		if perr.at > 0 {
			parent = strconv.Quote(perr.parentText(path, segs, ""))
		}
		return nil, evalErrorf(expr, "path %q not found in %s: %s", path, uri, perr.explain(parent))
	}
	return v, nil
}

// propertyFileRef returns the step and name of a JsonGet PropertyFile:
// {"Get": "Steps.S.PropertyFiles.N"} or the bare name N of a property file
// declared by exactly one step.
func (d *Definition) propertyFileRef(v any) (step, name string, err error) {
	switch x := v.(type) {
	case string:
		owners := d.fileOwners[x]
		switch len(owners) {
		case 0:
			return "", "", fmt.Errorf("no step declares a property file named %q", x)
		case 1:
			return owners[0].Name, x, nil
		}
		return "", "", fmt.Errorf("more than one step declares a property file named %q; use {\"Get\": \"Steps.<step>.PropertyFiles.%s\"}", x, x)
	case map[string]any:
		if g, ok := x["Get"].(string); ok && len(x) == 1 {
			r, ok := d.refs[g]
			if !ok {
				if r, err = parseGet(g); err != nil {
					return "", "", err
				}
			}
			if r.kind == refStep && r.propertyFile != "" {
				if s := d.byName[r.name]; s == nil || s.PropertyFile(r.propertyFile) == nil {
					return "", "", fmt.Errorf("step %s has no property file %s", r.name, r.propertyFile)
				}
				return r.name, r.propertyFile, nil
			}
		}
	}
	return "", "", fmt.Errorf("PropertyFile must be {\"Get\": \"Steps.<step>.PropertyFiles.<name>\"} or the name of a property file")
}

// propertyFileURI returns where a property file is: the S3Uri of the
// step's output the file names (ProcessingOutputConfig.Outputs, by
// OutputName), a "/", and the file's FilePath.
func (d *Definition) propertyFileURI(step, name string, env Env) (string, error) {
	pf := d.byName[step].PropertyFile(name)
	props, ok := env.StepProperties(step)
	if !ok {
		return "", fmt.Errorf("step %s has no properties (it has not succeeded)", step)
	}
	segs := []segment{{name: "ProcessingOutputConfig"}, {name: "Outputs"}, {name: pf.OutputName, quoted: true}, {name: "S3Output"}, {name: "S3Uri"}}
	v, perr := navigate(props, segs, true)
	if perr != nil {
		return "", fmt.Errorf("property file %s names output %q, but step %s has no ProcessingOutputConfig.Outputs['%s'].S3Output.S3Uri", name, pf.OutputName, step, pf.OutputName)
	}
	uri, ok := v.(string)
	if !ok || uri == "" {
		return "", fmt.Errorf("the S3Uri of output %q of step %s is %s", pf.OutputName, step, describe(v))
	}
	return strings.TrimSuffix(uri, "/") + "/" + strings.TrimPrefix(pf.FilePath, "/"), nil
}

// pathError says where and why a path could not be followed: segment at
// (ending at offset end of the path text) was not found.
type pathError struct {
	at, end int
	kind    pathFailure
	seg     segment
	n       int      // list length, for outOfRange
	keys    []string // key members, for noNamedItem
	have    string   // what was found instead, for notList and notObject
}

type pathFailure int

const (
	missingMember pathFailure = iota
	outOfRange
	notList
	notObject
	noNamedItem
)

// explain says why the path stopped; parent names what the failing
// segment was applied to.
func (e *pathError) explain(parent string) string {
	switch e.kind {
	case missingMember:
		return fmt.Sprintf("%s has no member %q", parent, e.seg.name)
	case outOfRange:
		return fmt.Sprintf("%s has %d items", parent, e.n)
	case notList:
		return fmt.Sprintf("%s is %s, not a list", parent, e.have)
	case notObject:
		return fmt.Sprintf("%s is %s, not an object", parent, e.have)
	}
	return fmt.Sprintf("%s has no item whose %s is %q", parent, strings.Join(e.keys, " or "), e.seg.name)
}

// parentText returns the text of path before segment e.at, or root when
// e.at is 0.
func (e *pathError) parentText(path string, segs []segment, root string) string {
	if e.at == 0 {
		return root
	}
	return path[:segs[e.at-1].end]
}

// navigate follows segs from root. With namedLists (step properties), a
// name applied to a list selects the item whose key member ([listKeys])
// equals it, and, for OutputParameters, that item's Value.
func navigate(root any, segs []segment, namedLists bool) (any, *pathError) {
	cur := root
	for i, seg := range segs {
		fail := func(kind pathFailure) *pathError {
			return &pathError{at: i, end: seg.end, kind: kind, seg: seg, have: describeKind(cur)}
		}
		if seg.isIndex {
			list, ok := cur.([]any)
			if !ok {
				return nil, fail(notList)
			}
			if seg.index >= len(list) {
				e := fail(outOfRange)
				e.n = len(list)
				return nil, e
			}
			cur = list[seg.index]
			continue
		}
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[seg.name]
			if !ok {
				return nil, fail(missingMember)
			}
			cur = v
		case []any:
			if !namedLists {
				return nil, fail(notObject)
			}
			field := ""
			if i > 0 && !segs[i-1].isIndex && !segs[i-1].quoted {
				field = segs[i-1].name
			}
			keys := listKeys(field)
			item, found := findNamed(x, keys, seg.name)
			if !found {
				e := fail(noNamedItem)
				e.keys = keys
				return nil, e
			}
			cur = item
			if field == "OutputParameters" {
				if m, ok := item.(map[string]any); ok {
					if v, ok := m["Value"]; ok {
						cur = v
					}
				}
			}
		default:
			return nil, fail(notObject)
		}
	}
	return cur, nil
}

func describeKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case nil:
		return "null"
	case bool:
		return "a boolean"
	}
	if _, ok := toNumber(v); ok {
		return "a number"
	}
	return fmt.Sprintf("a %T", v)
}

func findNamed(list []any, keys []string, name string) (any, bool) {
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		for _, k := range keys {
			if s, ok := m[k].(string); ok && s == name {
				return item, true
			}
		}
	}
	return nil, false
}

// listKeys returns the members that name the items of a list of a
// Describe… response, by the list's member name: the table of the package
// documentation. Lists not in it are keyed by Name.
func listKeys(field string) []string {
	switch field {
	case "Outputs":
		return []string{"OutputName"}
	case "ProcessingInputs":
		return []string{"InputName"}
	case "InputDataConfig", "AdditionalModelDataSources":
		return []string{"ChannelName"}
	case "FinalMetricDataList", "CandidateMetrics":
		return []string{"MetricName"}
	case "OutputParameters":
		return []string{"Name", "OutputName"}
	case "CollectionConfigurations":
		return []string{"CollectionName"}
	case "DebugRuleConfigurations", "DebugRuleEvaluationStatuses",
		"ProfilerRuleConfigurations", "ProfilerRuleEvaluationStatuses":
		return []string{"RuleConfigurationName"}
	case "InstanceGroups":
		return []string{"InstanceGroupName"}
	case "TrainingJobDefinitions":
		return []string{"DefinitionName"}
	case "TrainingJobSummaries":
		return []string{"TrainingJobName"}
	case "CandidateSteps":
		return []string{"CandidateStepName"}
	case "ValidationProfiles":
		return []string{"ProfileName"}
	case "SourceAlgorithms":
		return []string{"AlgorithmName"}
	case "ParentHyperParameterTuningJobs":
		return []string{"HyperParameterTuningJobName"}
	}
	return []string{"Name"}
}

// render returns the string form of a primitive value, as Std:Join writes
// it: strings as they are; integers in decimal; floats as Python's str()
// writes them ("0.3", "6.0", "1e-05", "1e+16"); json.Number as written
// when it is an integer, else as its float; booleans "true" and "false";
// null "null". Objects and lists have no string form.
func render(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		if x {
			return "true", nil
		}
		return "false", nil
	case nil:
		return "null", nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case float64:
		return pythonFloat(x), nil
	case float32:
		return pythonFloat(float64(x)), nil
	case json.Number:
		s := string(x)
		if !strings.ContainsAny(s, ".eE") {
			return s, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !math.IsInf(f, 0) {
			return s, nil
		}
		return pythonFloat(f), nil
	}
	return "", errWrongType
}

// pythonFloat formats f as Python's repr and str do: the shortest digits
// that round-trip, in positional notation with at least one fractional
// digit when the decimal exponent is from -4 to 15, else in scientific
// notation with a signed exponent of at least two digits.
func pythonFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // -d.dddde±dd
	sign := ""
	if e[0] == '-' {
		sign, e = "-", e[1:]
	}
	mant, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.Replace(mant, ".", "", 1)
	if -4 <= exp && exp < 16 {
		if exp < 0 {
			return sign + "0." + strings.Repeat("0", -exp-1) + digits
		}
		if len(digits) <= exp+1 {
			return sign + digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
		}
		return sign + digits[:exp+1] + "." + digits[exp+1:]
	}
	m := digits[:1]
	if len(digits) > 1 {
		m += "." + digits[1:]
	}
	es := "+"
	if exp < 0 {
		es, exp = "-", -exp
	}
	x := strconv.Itoa(exp)
	if len(x) < 2 {
		x = "0" + x
	}
	return sign + m + "e" + es + x
}

// deepCopy copies the objects and lists of a generic tree.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = deepCopy(item)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = deepCopy(item)
		}
		return out
	}
	return v
}
