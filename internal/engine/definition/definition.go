package definition

import (
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SupportedVersion is the only definition Version there is.
const SupportedVersion = "2020-12-01"

// MaxDefinitionLength is the maximum length of a PipelineDefinition, in
// characters.
const MaxDefinitionLength = 1048576

// ParseOptions tunes [Parse].
type ParseOptions struct {
	// SupportedTypes lists the step types the caller can run, such as
	// "Processing", "Condition" and "Fail". A step of another type fails
	// the parse with an error naming the step and its type. Nil accepts
	// every type.
	SupportedTypes []string
}

// Definition is a parsed and validated pipeline definition. It is safe
// for concurrent use as long as nobody modifies it: the expression trees
// it exposes (in [ExperimentConfig] and [Condition]) are its own, to be
// read or resolved, never changed.
type Definition struct {
	// Version is "2020-12-01".
	Version string
	// Metadata is the document's Metadata object, member by member.
	Metadata map[string]json.RawMessage
	// Parameters are the pipeline parameters, in document order.
	Parameters []Parameter
	// PipelineExperimentConfig is nil when the document has none or null.
	PipelineExperimentConfig *ExperimentConfig

	top       []*Step
	steps     []*Step
	byName    map[string]*Step
	params    map[string]*Parameter
	order     []string
	refs      map[string]ref
	jsonPaths map[string][]segment
	// fileOwners maps a property file name to the steps declaring it.
	fileOwners map[string][]*Step
}

// ExperimentConfig is the PipelineExperimentConfig: the experiment and
// trial an execution is recorded in. Each member is a literal or an
// expression tree, resolved with [Definition.Resolve] when an execution
// starts; it may use parameters and execution variables but no step.
type ExperimentConfig struct {
	ExperimentName any
	TrialName      any
}

// PropertyFile is an entry of a step's PropertyFiles: a JSON file the step
// writes to one of its outputs, read by Std:JsonGet.
type PropertyFile struct {
	PropertyFileName string
	OutputName       string
	FilePath         string
}

// Step is one step of a pipeline; steps nested in a Condition step's
// IfSteps or ElseSteps are steps of the pipeline too.
type Step struct {
	Name        string
	Type        string
	DependsOn   []string
	DisplayName string
	Description string
	// RetryPolicies, CacheConfig and PropertyFiles are nil when absent.
	RetryPolicies []RetryPolicy
	CacheConfig   *CacheConfig
	PropertyFiles []PropertyFile
	// Conditions, IfSteps and ElseSteps are set for Condition steps.
	Conditions []*Condition
	IfSteps    []*Step
	ElseSteps  []*Step
	// Extra holds the step's other members as written, such as a Lambda
	// step's FunctionArn and OutputParameters, a Callback step's
	// SqsQueueUrl or a check step's CheckType and SkipCheck. They may hold
	// expressions, which [Definition.Resolve] resolves.
	Extra map[string]json.RawMessage

	args    any
	rawArgs map[string]any
	extras  map[string]any
	deps    []string
	parent  *Step
	inIf    bool
	index   int
	at      stepLoc
}

// stepLoc says where a step is in the document, for messages.
type stepLoc struct {
	parent *Step  // the Condition step holding it, or nil
	branch string // "IfSteps" or "ElseSteps"
	index  int    // in Steps or in the branch
}

func (l stepLoc) String() string {
	if l.parent == nil {
		return "Steps[" + strconv.Itoa(l.index) + "]"
	}
	return l.parent.at.String() + ".Arguments." + l.branch + "[" + strconv.Itoa(l.index) + "]"
}

// Arguments returns the step's Arguments member as JSON (with object
// members in sorted order), or nil when the step has none: for job steps
// the Create… request the step sends, with expressions in it. For a
// Condition step it holds the Conditions, IfSteps and ElseSteps.
func (s *Step) Arguments() json.RawMessage {
	if s.rawArgs == nil {
		return nil
	}
	return rawJSON(s.rawArgs)
}

// PropertyFile returns the step's property file of that name, or nil.
func (s *Step) PropertyFile(name string) *PropertyFile {
	for i := range s.PropertyFiles {
		if s.PropertyFiles[i].PropertyFileName == name {
			return &s.PropertyFiles[i]
		}
	}
	return nil
}

// parser holds the state of one Parse.
type parser struct {
	supported map[string]bool
	d         *Definition
}

// Parse parses and validates a pipeline definition document as the
// SageMaker Python SDK writes it. Members the SDK emits that this package
// does not interpret are kept (see [Step.Extra]) and never rejected. A
// document that is not valid fails with an [*Error].
func Parse(doc []byte, opts ParseOptions) (*Definition, error) {
	if len(doc) > MaxDefinitionLength {
		if n := utf8.RuneCount(doc); n > MaxDefinitionLength {
			return nil, docErrorf("Pipeline definition is %d characters long; the maximum is %d.", n, MaxDefinitionLength)
		}
	}
	tree, err := decodeTree(doc)
	if err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, docErrorf("Pipeline definition is not valid JSON: %v (at offset %d).", syn, syn.Offset)
		}
		return nil, docErrorf("Pipeline definition is not valid JSON: %v.", err)
	}
	top, ok := tree.(map[string]any)
	if !ok {
		return nil, docErrorf("Pipeline definition must be a JSON object.")
	}
	p := &parser{d: &Definition{
		byName:     map[string]*Step{},
		params:     map[string]*Parameter{},
		refs:       map[string]ref{},
		jsonPaths:  map[string][]segment{},
		fileOwners: map[string][]*Step{},
	}}
	if opts.SupportedTypes != nil {
		p.supported = make(map[string]bool, len(opts.SupportedTypes))
		for _, t := range opts.SupportedTypes {
			p.supported[t] = true
		}
	}
	d := p.d
	if err := asString(top["Version"], &d.Version); err != nil || d.Version == "" {
		return nil, docErrorf("Pipeline definition needs a Version, %q.", SupportedVersion)
	}
	if d.Version != SupportedVersion {
		return nil, docErrorf("Pipeline definition Version %q is not supported; the version is %q.", truncate(d.Version, 64), SupportedVersion)
	}
	meta, err := asObject(top["Metadata"])
	if err != nil {
		return nil, docErrorf("Pipeline definition Metadata must be an object.")
	}
	if meta != nil {
		d.Metadata = make(map[string]json.RawMessage, len(meta))
	}
	for k, v := range meta {
		if !validName(k, 128) {
			return nil, docErrorf("Metadata key %q is not valid: it must match ^[A-Za-z0-9\\-_]{1,128}$.", truncate(k, 140))
		}
		d.Metadata[k] = rawJSON(v)
	}
	if d.Parameters, err = parseParameters(top["Parameters"]); err != nil {
		return nil, err
	}
	for i := range d.Parameters {
		d.params[d.Parameters[i].Name] = &d.Parameters[i]
	}
	if err := p.parseExperimentConfig(top["PipelineExperimentConfig"]); err != nil {
		return nil, err
	}
	if top["Steps"] == nil {
		return nil, docErrorf("Pipeline definition needs Steps, a list of steps.")
	}
	items, err := asList(top["Steps"])
	if err != nil {
		return nil, docErrorf("Pipeline definition Steps must be a list of steps.")
	}
	for i, item := range items {
		s, err := p.parseStep(item, stepLoc{index: i})
		if err != nil {
			return nil, err
		}
		d.top = append(d.top, s)
	}
	// References need every step, so they are checked once all are known.
	for _, s := range d.steps {
		if err := p.checkStep(s); err != nil {
			return nil, err
		}
	}
	if err := p.checkExperimentConfig(); err != nil {
		return nil, err
	}
	if err := d.buildOrder(); err != nil {
		return nil, err
	}
	return d, nil
}

// parseStep decodes one step, and the steps nested in it, and registers
// them in document order. loc says where the step is, for messages.
func (p *parser) parseStep(v any, at stepLoc) (*Step, error) {
	fields, err := asObject(v)
	if err != nil || fields == nil {
		return nil, docErrorf("The step at %s must be an object.", at)
	}
	s := &Step{parent: at.parent, inIf: at.branch == "IfSteps", at: at}
	if err := asString(fields["Name"], &s.Name); err != nil || s.Name == "" {
		return nil, docErrorf("The step at %s needs a Name, a string.", at)
	}
	if !validName(s.Name, 64) {
		return nil, stepErrorf(s.Name, "Step name %q is not valid: it must match ^[A-Za-z0-9\\-_]{1,64}$.", truncate(s.Name, 80))
	}
	if p.d.byName[s.Name] != nil {
		return nil, stepErrorf(s.Name, "Step name %q is used by more than one step; step names must be unique in the pipeline.", s.Name)
	}
	s.index = len(p.d.steps)
	p.d.byName[s.Name] = s
	p.d.steps = append(p.d.steps, s)

	if err := asString(fields["Type"], &s.Type); err != nil || s.Type == "" {
		return nil, stepErrorf(s.Name, "Step %q needs a Type, a string.", s.Name)
	}
	if p.supported != nil && !p.supported[s.Type] {
		return nil, stepErrorf(s.Name, "Step %q has type %s, which Cairn does not run yet; supported types: %s.", s.Name, truncate(s.Type, 64), p.supportedList())
	}
	if err := asString(fields["DisplayName"], &s.DisplayName); err != nil {
		return nil, stepErrorf(s.Name, "DisplayName of step %q must be a string.", s.Name)
	}
	if err := asString(fields["Description"], &s.Description); err != nil {
		return nil, stepErrorf(s.Name, "Description of step %q must be a string.", s.Name)
	}
	if s.DependsOn, err = asStrings(fields["DependsOn"]); err != nil {
		return nil, stepErrorf(s.Name, "DependsOn of step %q must be a list of step names.", s.Name)
	}
	if s.RetryPolicies, err = parseRetryPolicies(s.Name, fields["RetryPolicies"]); err != nil {
		return nil, err
	}
	if s.CacheConfig, err = parseCacheConfig(s.Name, fields["CacheConfig"]); err != nil {
		return nil, err
	}
	if err := p.parsePropertyFiles(s, fields["PropertyFiles"]); err != nil {
		return nil, err
	}
	for k, v := range fields {
		switch k {
		case "Name", "Type", "Arguments", "DependsOn", "DisplayName", "Description",
			"RetryPolicies", "CacheConfig", "PropertyFiles":
			continue
		}
		if s.Extra == nil {
			s.Extra = map[string]json.RawMessage{}
			s.extras = map[string]any{}
		}
		s.Extra[k] = rawJSON(v)
		s.extras[k] = v
	}

	args, err := asObject(fields["Arguments"])
	if err != nil {
		return nil, stepErrorf(s.Name, "Arguments of step %q must be an object.", s.Name)
	}
	s.rawArgs = args
	if s.Type != "Condition" {
		if args != nil {
			s.args = args
		}
		return s, nil
	}
	return s, p.parseConditionArguments(s, args)
}

// parseConditionArguments decodes a Condition step's Arguments: its
// Conditions, and its IfSteps and ElseSteps as steps of the pipeline.
func (p *parser) parseConditionArguments(s *Step, args map[string]any) error {
	rest := map[string]any{}
	// Branches in a fixed order, IfSteps first, so that Steps() follows
	// the document and errors do not depend on map order.
	keys := make([]string, 0, len(args))
	for k := range args {
		if k != "IfSteps" && k != "ElseSteps" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	keys = append(keys, "IfSteps", "ElseSteps")
	for _, k := range keys {
		v, present := args[k]
		if !present {
			continue
		}
		switch k {
		case "IfSteps", "ElseSteps":
			items, err := asList(v)
			if err != nil {
				return stepErrorf(s.Name, "%s of condition step %q must be a list of steps.", k, s.Name)
			}
			for i, item := range items {
				child, err := p.parseStep(item, stepLoc{parent: s, branch: k, index: i})
				if err != nil {
					return err
				}
				if k == "IfSteps" {
					s.IfSteps = append(s.IfSteps, child)
				} else {
					s.ElseSteps = append(s.ElseSteps, child)
				}
			}
		case "Conditions":
			list, err := asList(v)
			if err != nil {
				return stepErrorf(s.Name, "Conditions of condition step %q must be a list of conditions.", s.Name)
			}
			for i, c := range list {
				cond, err := parseCondition(c, "Arguments.Conditions["+strconv.Itoa(i)+"]")
				if err != nil {
					return stepErrorf(s.Name, "Step %q: %v", s.Name, err)
				}
				s.Conditions = append(s.Conditions, cond)
			}
			rest[k] = v
		default:
			rest[k] = v
		}
	}
	s.args = rest
	return nil
}

func (p *parser) parsePropertyFiles(s *Step, v any) error {
	items, err := asList(v)
	if err != nil {
		return stepErrorf(s.Name, "PropertyFiles of step %q must be a list.", s.Name)
	}
	for i, item := range items {
		fields, err := asObject(item)
		if err != nil || fields == nil {
			return stepErrorf(s.Name, "PropertyFiles[%d] of step %q must be an object.", i, s.Name)
		}
		var f PropertyFile
		e1 := asString(fields["PropertyFileName"], &f.PropertyFileName)
		e2 := asString(fields["OutputName"], &f.OutputName)
		e3 := asString(fields["FilePath"], &f.FilePath)
		if e1 != nil || e2 != nil || e3 != nil || f.PropertyFileName == "" || f.OutputName == "" || f.FilePath == "" {
			return stepErrorf(s.Name, "PropertyFiles[%d] of step %q needs PropertyFileName, OutputName and FilePath, all strings.", i, s.Name)
		}
		if s.PropertyFile(f.PropertyFileName) != nil {
			return stepErrorf(s.Name, "Step %q has more than one property file named %q.", s.Name, f.PropertyFileName)
		}
		s.PropertyFiles = append(s.PropertyFiles, f)
		p.d.fileOwners[f.PropertyFileName] = append(p.d.fileOwners[f.PropertyFileName], s)
	}
	return nil
}

func (p *parser) parseExperimentConfig(v any) error {
	fields, err := asObject(v)
	if err != nil {
		return docErrorf("PipelineExperimentConfig must be an object or null.")
	}
	if fields == nil {
		return nil
	}
	p.d.PipelineExperimentConfig = &ExperimentConfig{
		ExperimentName: fields["ExperimentName"],
		TrialName:      fields["TrialName"],
	}
	return nil
}

func (p *parser) supportedList() string {
	list := make([]string, 0, len(p.supported))
	for t := range p.supported {
		list = append(list, t)
	}
	sort.Strings(list)
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// Steps returns every step of the pipeline, those nested in Condition
// steps included, in document order (a Condition step comes before its
// IfSteps, which come before its ElseSteps).
func (d *Definition) Steps() []*Step {
	return append([]*Step(nil), d.steps...)
}

// TopLevelSteps returns the steps of the document's Steps list.
func (d *Definition) TopLevelSteps() []*Step {
	return append([]*Step(nil), d.top...)
}

// Step returns the step of that name, or nil.
func (d *Definition) Step(name string) *Step {
	return d.byName[name]
}

// Parameter returns the parameter of that name, or nil.
func (d *Definition) Parameter(name string) *Parameter {
	return d.params[name]
}
