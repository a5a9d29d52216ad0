package definition

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// checker validates the expressions of one step (or of the
// PipelineExperimentConfig) and collects the steps they reference.
type checker struct {
	d *Definition
	// step is the step being checked; nil for the experiment config.
	step *Step
	// loc is the JSON location of the value being checked, as segments.
	loc []string
	// refs are the steps referenced.
	refs []string
	// sorted walks objects' members in sorted order, so that of several
	// errors the same one is reported every time. The first walk is
	// unsorted, for speed; one that finds an error is repeated sorted.
	sorted bool
}

func (c *checker) where() string { return strings.Join(c.loc, "") }

func (c *checker) push(s string) { c.loc = append(c.loc, s) }

func (c *checker) pop() { c.loc = c.loc[:len(c.loc)-1] }

func (c *checker) errorf(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if c.step == nil {
		return docErrorf("PipelineExperimentConfig %s (at %s).", msg, c.where())
	}
	return stepErrorf(c.step.Name, "Step %q %s (at %s).", c.step.Name, msg, c.where())
}

// checkStep validates a step's references (DependsOn, expressions in its
// Arguments and other members), its property files and its job-name
// prefix, and computes its dependencies.
func (p *parser) checkStep(s *Step) error {
	d := p.d
	c := &checker{d: d, step: s}
	for _, dep := range s.DependsOn {
		if d.byName[dep] == nil {
			return stepErrorf(s.Name, "Step %q depends on unknown step %q.", s.Name, truncate(dep, 80))
		}
	}
	if err := c.walkStep(s); err != nil {
		c = &checker{d: d, step: s, sorted: true}
		return c.walkStep(s)
	}
	if err := checkPropertyFileOutputs(s); err != nil {
		return err
	}
	// Dependencies: the enclosing Condition step, DependsOn, then the
	// steps the expressions reference; each once, in document order.
	seen := map[string]bool{}
	var deps []string
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			deps = append(deps, name)
		}
	}
	if s.parent != nil {
		add(s.parent.Name)
	}
	for _, dep := range s.DependsOn {
		add(dep)
	}
	for _, dep := range c.refs {
		add(dep)
	}
	sort.SliceStable(deps, func(i, j int) bool { return d.byName[deps[i]].index < d.byName[deps[j]].index })
	s.deps = deps
	return nil
}

// walkStep checks the expressions of a step's Arguments and other members.
func (c *checker) walkStep(s *Step) error {
	c.push("Arguments")
	if err := c.walk(s.args); err != nil {
		return err
	}
	c.pop()
	keys := make([]string, 0, len(s.extras))
	for k := range s.extras {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c.push(k)
		if err := c.walk(s.extras[k]); err != nil {
			return err
		}
		c.pop()
	}
	return nil
}

// checkPropertyFileOutputs checks that each property file of a step names
// one of the step's ProcessingOutputConfig outputs, when the step declares
// its outputs with literal names.
func checkPropertyFileOutputs(s *Step) error {
	if len(s.PropertyFiles) == 0 {
		return nil
	}
	args, _ := s.args.(map[string]any)
	cfg, _ := args["ProcessingOutputConfig"].(map[string]any)
	outputs, ok := cfg["Outputs"].([]any)
	if !ok {
		return nil
	}
	names := map[string]bool{}
	for _, o := range outputs {
		m, _ := o.(map[string]any)
		name, ok := m["OutputName"].(string)
		if !ok {
			return nil // a computed name: checked when the step runs
		}
		names[name] = true
	}
	for _, f := range s.PropertyFiles {
		if !names[f.OutputName] {
			return stepErrorf(s.Name, "Property file %q of step %q names output %q, which the step's ProcessingOutputConfig does not have.", f.PropertyFileName, s.Name, f.OutputName)
		}
	}
	return nil
}

// checkExperimentConfig validates the expressions of the
// PipelineExperimentConfig: parameters and execution variables only.
func (p *parser) checkExperimentConfig() error {
	cfg := p.d.PipelineExperimentConfig
	if cfg == nil {
		return nil
	}
	c := &checker{d: p.d, sorted: true}
	c.push("ExperimentName")
	if err := c.walk(cfg.ExperimentName); err != nil {
		return err
	}
	c.loc = []string{"TrialName"}
	return c.walk(cfg.TrialName)
}

// walk checks every expression in v.
func (c *checker) walk(v any) error {
	switch x := v.(type) {
	case map[string]any:
		if kind, arg, ok := asExpression(x); ok {
			return c.expression(kind, arg)
		}
		if !c.sorted {
			for _, v := range x {
				if err := c.walk(v); err != nil {
					return err
				}
			}
			return nil
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			c.push("." + k)
			if err := c.walk(x[k]); err != nil {
				return err
			}
			c.pop()
		}
	case []any:
		for i, item := range x {
			if c.sorted {
				c.push("[" + strconv.Itoa(i) + "]")
			}
			if err := c.walk(item); err != nil {
				return err
			}
			if c.sorted {
				c.pop()
			}
		}
	}
	return nil
}

func (c *checker) expression(kind string, arg any) error {
	switch kind {
	case "Get":
		s, ok := arg.(string)
		if !ok {
			return c.errorf("has a malformed expression: the value of Get must be a string, not %s", describe(arg))
		}
		return c.get(s, false)
	case "Std:Join":
		m, ok := arg.(map[string]any)
		if !ok {
			return c.errorf("has a malformed expression: Std:Join must be an object with On and Values")
		}
		if on, present := m["On"]; present && on != nil {
			if _, ok := on.(string); !ok {
				return c.errorf("has a malformed expression: the On of Std:Join must be a string")
			}
		}
		values, ok := m["Values"].([]any)
		if !ok {
			return c.errorf("has a malformed expression: Std:Join needs a Values list")
		}
		c.push(".Std:Join.Values")
		defer c.pop()
		for i, v := range values {
			c.push("[" + strconv.Itoa(i) + "]")
			if isComposite(v) {
				m, isMap := v.(map[string]any)
				if !isMap {
					return c.errorf("has a malformed expression: Std:Join Values must be strings, numbers, booleans or expressions, not lists")
				}
				kind, arg, ok := asExpression(m)
				if !ok {
					return c.errorf("has a malformed expression: Std:Join Values must be strings, numbers, booleans or expressions, not objects")
				}
				if err := c.expression(kind, arg); err != nil {
					return err
				}
			}
			c.pop()
		}
		return nil
	default:
		return c.jsonGet(arg)
	}
}

func (c *checker) jsonGet(arg any) error {
	m, ok := arg.(map[string]any)
	if !ok {
		return c.errorf("has a malformed expression: Std:JsonGet must be an object with Path and PropertyFile or S3Uri")
	}
	path, ok := m["Path"].(string)
	if !ok || path == "" {
		return c.errorf("has a malformed expression: Std:JsonGet needs a Path, a string")
	}
	segs, err := parsePath(path, true)
	if err != nil {
		return c.errorf("has a malformed expression: the Std:JsonGet Path %q is not valid: %v", truncate(path, 80), err)
	}
	c.d.jsonPaths[path] = segs
	pf, hasFile := m["PropertyFile"]
	s3, hasURI := m["S3Uri"]
	switch {
	case hasFile && hasURI:
		return c.errorf("has a malformed expression: Std:JsonGet takes a PropertyFile or an S3Uri, not both")
	case hasFile:
		c.push(".Std:JsonGet.PropertyFile")
		defer c.pop()
		switch x := pf.(type) {
		case string:
			if c.step == nil {
				return c.errorf("cannot read a property file (%q)", truncate(x, 80))
			}
			owners := c.d.fileOwners[x]
			switch len(owners) {
			case 0:
				return c.errorf("references unknown property file %q", truncate(x, 80))
			case 1:
				c.refs = append(c.refs, owners[0].Name)
				return nil
			}
			return c.errorf("references property file %q, which more than one step declares; use {\"Get\": \"Steps.<step>.PropertyFiles.%s\"}", x, x)
		case map[string]any:
			if g, ok := x["Get"].(string); ok && len(x) == 1 {
				return c.get(g, true)
			}
		}
		return c.errorf("has a malformed expression: the PropertyFile of Std:JsonGet must be {\"Get\": \"Steps.<step>.PropertyFiles.<name>\"} or a property file name")
	case hasURI:
		c.push(".Std:JsonGet.S3Uri")
		defer c.pop()
		switch x := s3.(type) {
		case string:
			return nil
		case map[string]any:
			if kind, arg, ok := asExpression(x); ok {
				return c.expression(kind, arg)
			}
		}
		return c.errorf("has a malformed expression: the S3Uri of Std:JsonGet must be a string or an expression")
	}
	return c.errorf("has a malformed expression: Std:JsonGet needs a PropertyFile or an S3Uri")
}

// get checks a Get reference; inJSONGet is true for the PropertyFile of a
// Std:JsonGet, the only place a property file reference may appear.
func (c *checker) get(s string, inJSONGet bool) error {
	r, err := parseGet(s)
	if err != nil {
		return c.errorf("has a malformed expression: %v", err)
	}
	expr := fmt.Sprintf(`{"Get": %q}`, s)
	d := c.d
	switch r.kind {
	case refParameter:
		if d.params[r.name] == nil {
			return c.errorf("references unknown parameter %q in %s", r.name, expr)
		}
	case refExperiment:
		if c.step == nil {
			return c.errorf("cannot reference itself in %s", expr)
		}
	case refExecution:
	case refStep:
		if c.step == nil {
			return c.errorf("cannot reference a step (%s)", expr)
		}
		target := d.byName[r.name]
		if target == nil {
			return c.errorf("references unknown step %q in %s", r.name, expr)
		}
		switch {
		case r.propertyFile != "":
			if !inJSONGet {
				return c.errorf("uses property file reference %s outside a Std:JsonGet PropertyFile", expr)
			}
			if target.PropertyFile(r.propertyFile) == nil {
				return c.errorf("references unknown property file %q of step %q in %s", r.propertyFile, r.name, expr)
			}
		case inJSONGet:
			return c.errorf("has a malformed expression: the PropertyFile of Std:JsonGet must be {\"Get\": \"Steps.<step>.PropertyFiles.<name>\"}, not %s", expr)
		case target.Type == "Fail":
			return c.errorf("references a property of Fail step %q, which has none, in %s", r.name, expr)
		case target.Type == "Condition" && (len(r.path) != 1 || r.path[0].name != "Outcome"):
			return c.errorf("references a property of Condition step %q other than Outcome in %s", r.name, expr)
		}
		c.refs = append(c.refs, r.name)
	}
	if inJSONGet && r.kind != refStep {
		return c.errorf("has a malformed expression: the PropertyFile of Std:JsonGet must be {\"Get\": \"Steps.<step>.PropertyFiles.<name>\"}, not %s", expr)
	}
	d.refs[s] = r
	return nil
}
