package sagemaker

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Search's expressions over one resource type: the properties a filter may name, how each
// compares, and the evaluation of a compiled expression against one resource's document.

// propKind is how a property's values compare.
type propKind int

const (
	textProp propKind = iota
	timeProp
	numberProp
)

func (k propKind) String() string {
	switch k {
	case timeProp:
		return "timestamp"
	case numberProp:
		return "numeric"
	}
	return "text"
}

// searchSchema is what Search knows of one resource type.
type searchSchema struct {
	// Resource is the SearchRequest's Resource value.
	Resource string
	// Props are the properties filters and SortBy may name, by name.
	Props map[string]propKind
	// Keyed are prefixes of text properties named by a key after them ("Tags.team",
	// "PipelineParameters.InputData").
	Keyed []string
	// Nested are the list properties NestedFilters may name, with their members' names
	// ("Tags" → "Tags.Key", "Tags.Value"); members are text.
	Nested map[string][]string
}

// pipelineSchema is Search over pipelines, with the properties of the Pipeline record.
func pipelineSchema() *searchSchema {
	return &searchSchema{
		Resource: "Pipeline",
		Props: map[string]propKind{
			"PipelineArn": textProp, "PipelineName": textProp, "PipelineDisplayName": textProp, "PipelineDescription": textProp,
			"RoleArn": textProp, "PipelineStatus": textProp, "CreatedBy.IamIdentity.Arn": textProp, "LastModifiedBy.IamIdentity.Arn": textProp,
			"CreationTime": timeProp, "LastModifiedTime": timeProp, "LastRunTime": timeProp,
			"ParallelismConfiguration.MaxParallelExecutionSteps": numberProp,
		},
		Keyed:  []string{"Tags."},
		Nested: map[string][]string{"Tags": {"Tags.Key", "Tags.Value"}},
	}
}

// executionSchema is Search over pipeline executions, with the properties of the
// PipelineExecution record.
func executionSchema() *searchSchema {
	return &searchSchema{
		Resource: "PipelineExecution",
		Props: map[string]propKind{
			"PipelineArn": textProp, "PipelineExecutionArn": textProp, "PipelineExecutionDisplayName": textProp,
			"PipelineExecutionStatus": textProp, "PipelineExecutionDescription": textProp, "FailureReason": textProp,
			"PipelineExperimentConfig.ExperimentName": textProp, "PipelineExperimentConfig.TrialName": textProp,
			"CreatedBy.IamIdentity.Arn": textProp, "LastModifiedBy.IamIdentity.Arn": textProp,
			"CreationTime": timeProp, "LastModifiedTime": timeProp,
			"ParallelismConfiguration.MaxParallelExecutionSteps": numberProp,
		},
		Keyed: []string{"Tags.", "PipelineParameters."},
		Nested: map[string][]string{
			"Tags":               {"Tags.Key", "Tags.Value"},
			"PipelineParameters": {"PipelineParameters.Name", "PipelineParameters.Value"},
		},
	}
}

// trialComponentSchema is Search over trial components, with the properties of the
// TrialComponent record; Parents.TrialName and Parents.ExperimentName have a value per
// trial the component belongs to.
func trialComponentSchema() *searchSchema {
	return &searchSchema{
		Resource: "ExperimentTrialComponent",
		Props: map[string]propKind{
			"TrialComponentName": textProp, "TrialComponentArn": textProp, "DisplayName": textProp, "Source.SourceArn": textProp,
			"Source.SourceType": textProp, "Status.PrimaryStatus": textProp, "Parents.TrialName": textProp, "Parents.ExperimentName": textProp,
			"CreatedBy.IamIdentity.Arn": textProp, "LastModifiedBy.IamIdentity.Arn": textProp,
			"CreationTime": timeProp, "LastModifiedTime": timeProp, "StartTime": timeProp, "EndTime": timeProp,
		},
		Keyed: []string{"Tags.", "Parameters."},
		Nested: map[string][]string{
			"Tags":    {"Tags.Key", "Tags.Value"},
			"Parents": {"Parents.TrialName", "Parents.ExperimentName"},
		},
	}
}

// kindOf returns the kind of a property a filter or SortBy names.
func (sc *searchSchema) kindOf(name string) (propKind, bool) {
	if k, ok := sc.Props[name]; ok {
		return k, true
	}
	for _, prefix := range sc.Keyed {
		if key, ok := strings.CutPrefix(name, prefix); ok && key != "" {
			return textProp, true
		}
	}
	return 0, false
}

// names lists what filters may name, for messages.
func (sc *searchSchema) names() string {
	var list []string
	for n := range sc.Props {
		list = append(list, n)
	}
	sort.Strings(list)
	for _, p := range sc.Keyed {
		list = append(list, p+"<key>")
	}
	return strings.Join(list, ", ")
}

// searchValue is one property's value in a resource's document.
type searchValue struct {
	s string
	t time.Time
	n float64
}

// searchDoc is one resource as expressions see it. Absent properties (an empty text, a zero
// time or number) are not in Values.
type searchDoc struct {
	Values map[string]searchValue
	// Lists holds each nested list property's elements, by member name.
	Lists map[string][]map[string]string
	// Multi holds the text properties with several values, by name.
	Multi map[string][]string
}

// setText, setTime and setNumber record a property unless its value is empty.
func (d *searchDoc) setText(name, v string) {
	if v != "" {
		d.Values[name] = searchValue{s: v}
	}
}

func (d *searchDoc) setTime(name string, t time.Time) {
	if !t.IsZero() {
		d.Values[name] = searchValue{t: t}
	}
}

func (d *searchDoc) setNumber(name string, n float64) {
	if n != 0 {
		d.Values[name] = searchValue{n: n}
	}
}

func newSearchDoc() *searchDoc {
	return &searchDoc{Values: map[string]searchValue{}, Lists: map[string][]map[string]string{}}
}

// Limits of a SearchExpression (the model's documentation).
const (
	maxSearchElements = 50 // SubExpressions, NestedFilters and Filters, at every depth
	maxContains       = 1  // Contains operators, for the pipeline resources
)

// condition is a compiled search expression, or one filter of it.
type condition interface {
	match(d *searchDoc) bool
}

type allOf []condition
type anyOf []condition

func (c allOf) match(d *searchDoc) bool {
	for _, x := range c {
		if !x.match(d) {
			return false
		}
	}
	return true
}

func (c anyOf) match(d *searchDoc) bool {
	for _, x := range c {
		if x.match(d) {
			return true
		}
	}
	return false
}

// filterCond is one Filter: a property, an operator and a parsed value.
type filterCond struct {
	name string
	kind propKind
	op   string
	val  searchValue
	in   []string // In's values
}

func (f *filterCond) match(d *searchDoc) bool {
	if vs, ok := d.Multi[f.name]; ok {
		// A property with several values (a trial component's Parents.TrialName)
		// matches when one of them does.
		for _, v := range vs {
			if f.test(searchValue{s: v}, true) {
				return true
			}
		}
		return f.op == "NotExists"
	}
	v, ok := d.Values[f.name]
	return f.test(v, ok)
}

// test applies the filter to a value (ok false when the property is absent).
func (f *filterCond) test(v searchValue, ok bool) bool {
	switch f.op {
	case "Exists":
		return ok
	case "NotExists":
		return !ok
	case "NotEquals":
		return !ok || compareValues(f.kind, v, f.val) != 0
	}
	if !ok {
		return false
	}
	switch f.op {
	case "Equals":
		return compareValues(f.kind, v, f.val) == 0
	case "Contains":
		return strings.Contains(strings.ToLower(v.s), strings.ToLower(f.val.s))
	case "In":
		for _, x := range f.in {
			if v.s == x {
				return true
			}
		}
		return false
	case "GreaterThan":
		return compareValues(f.kind, v, f.val) > 0
	case "GreaterThanOrEqualTo":
		return compareValues(f.kind, v, f.val) >= 0
	case "LessThan":
		return compareValues(f.kind, v, f.val) < 0
	case "LessThanOrEqualTo":
		return compareValues(f.kind, v, f.val) <= 0
	}
	return false
}

// nestedCond is one NestedFilters: some element of the list satisfies every filter.
type nestedCond struct {
	list    string
	filters []*filterCond
}

func (n *nestedCond) match(d *searchDoc) bool {
	for _, el := range d.Lists[n.list] {
		all := true
		for _, f := range n.filters {
			s, ok := el[f.name]
			if !f.test(searchValue{s: s}, ok) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// compareValues orders two values of a kind.
func compareValues(kind propKind, a, b searchValue) int {
	switch kind {
	case timeProp:
		return a.t.Compare(b.t)
	case numberProp:
		switch {
		case a.n < b.n:
			return -1
		case a.n > b.n:
			return 1
		}
		return 0
	}
	return strings.Compare(a.s, b.s)
}

// operatorsFor are the operators each kind of property takes.
func operatorAllowed(kind propKind, op string) bool {
	switch op {
	case "Equals", "NotEquals", "Exists", "NotExists":
		return true
	case "Contains", "In":
		return kind == textProp
	case "GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo":
		return kind != textProp
	}
	return false
}

// expressionCompiler compiles a SearchExpression for a schema, counting what the model
// limits.
type expressionCompiler struct {
	schema   *searchSchema
	elements int
	contains int
}

// compileExpression validates a SearchExpression against schema and compiles it.
func compileExpression(schema *searchSchema, e *SearchExpression) (condition, error) {
	c := &expressionCompiler{schema: schema}
	cond, err := c.expression(e)
	if err != nil {
		return nil, err
	}
	if c.elements > maxSearchElements {
		return nil, tooManyElements()
	}
	if c.contains > maxContains {
		return nil, validation("'CONTAINS' operator usage limit of %d exceeded.", maxContains)
	}
	return cond, nil
}

func tooManyElements() error {
	return validation("A SearchExpression holds at most %d SubExpressions, NestedFilters and Filters in all, at every depth; this one holds more.", maxSearchElements)
}

func (c *expressionCompiler) expression(e *SearchExpression) (condition, error) {
	if len(e.Filters) == 0 && len(e.NestedFilters) == 0 && len(e.SubExpressions) == 0 {
		return nil, validation("A SearchExpression must contain at least one of Filters, NestedFilters or SubExpressions.")
	}
	c.elements += len(e.Filters) + len(e.NestedFilters) + len(e.SubExpressions)
	if c.elements > maxSearchElements {
		return nil, tooManyElements()
	}
	var parts []condition
	for i := range e.Filters {
		f, err := c.filter(&e.Filters[i], "")
		if err != nil {
			return nil, err
		}
		parts = append(parts, f)
	}
	for i := range e.NestedFilters {
		n, err := c.nested(&e.NestedFilters[i])
		if err != nil {
			return nil, err
		}
		parts = append(parts, n)
	}
	for i := range e.SubExpressions {
		sub, err := c.expression(&e.SubExpressions[i])
		if err != nil {
			return nil, err
		}
		parts = append(parts, sub)
	}
	if e.Operator != nil && *e.Operator == "Or" {
		return anyOf(parts), nil
	}
	return allOf(parts), nil
}

func (c *expressionCompiler) nested(n *NestedFilters) (condition, error) {
	members, ok := c.schema.Nested[n.NestedPropertyName]
	if !ok {
		var names []string
		for k := range c.schema.Nested {
			names = append(names, k)
		}
		sort.Strings(names)
		return nil, validation("%s is not a nested property of %s; NestedPropertyName may be %s.", n.NestedPropertyName, c.schema.Resource, strings.Join(names, ", "))
	}
	c.elements += len(n.Filters)
	cond := &nestedCond{list: n.NestedPropertyName}
	for i := range n.Filters {
		f := &n.Filters[i]
		if !containsString(members, f.Name) {
			return nil, validation("The filter %s of nested property %s must name one of %s.", f.Name, n.NestedPropertyName, strings.Join(members, ", "))
		}
		fc, err := c.filter(f, n.NestedPropertyName)
		if err != nil {
			return nil, err
		}
		cond.filters = append(cond.filters, fc)
	}
	return cond, nil
}

// filter compiles one Filter; nested names the list property it is nested in, if any.
func (c *expressionCompiler) filter(f *SearchFilter, nested string) (*filterCond, error) {
	kind := textProp
	if nested == "" {
		var ok bool
		if kind, ok = c.schema.kindOf(f.Name); !ok {
			return nil, validation("%s is not a searchable property of %s. Filters may name %s.", f.Name, c.schema.Resource, c.schema.names())
		}
	}
	op := "Equals"
	if f.Operator != nil {
		op = *f.Operator
	}
	if !operatorAllowed(kind, op) {
		return nil, validation("The %s operator is not supported for %s, a %s property.", op, f.Name, kind)
	}
	fc := &filterCond{name: f.Name, kind: kind, op: op}
	if op == "Exists" || op == "NotExists" {
		return fc, nil
	}
	if f.Value == nil {
		return nil, validation("The filter on %s with operator %s needs a Value.", f.Name, op)
	}
	value := *f.Value
	switch {
	case op == "Contains":
		c.contains++
		fc.val.s = value
	case op == "In":
		for _, v := range strings.Split(value, ",") {
			fc.in = append(fc.in, strings.TrimSpace(v))
		}
	case kind == timeProp:
		t, ok := parseSearchTime(value)
		if !ok {
			return nil, validation("Value '%s' of the filter on %s is not a timestamp: give an ISO 8601 time such as 2024-01-31T12:00:00Z, or seconds since the epoch.", value, f.Name)
		}
		fc.val.t = t
	case kind == numberProp:
		n, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, validation("Value '%s' of the filter on %s is not a number.", value, f.Name)
		}
		fc.val.n = n
	default:
		fc.val.s = value
	}
	return fc, nil
}

// parseSearchTime reads a timestamp filter value: ISO 8601 (a date, or a date and time with
// or without a zone) or seconds since the epoch.
func parseSearchTime(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(n) && !math.IsInf(n, 0) && math.Abs(n) < 1e11 {
		sec, frac := math.Modf(n)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
	}
	return time.Time{}, false
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// sortDocs orders hits by a property (absent values last in either order), then by ARN.
func sortDocs(hits []searchHit, by string, kind propKind, descending bool) {
	sort.SliceStable(hits, func(i, j int) bool {
		a, aok := hits[i].doc.Values[by]
		b, bok := hits[j].doc.Values[by]
		if aok != bok {
			return aok
		}
		if aok {
			if c := compareValues(kind, a, b); c != 0 {
				return (c < 0) != descending
			}
		}
		return hits[i].arn < hits[j].arn
	})
}
