package sagemaker_test

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/service/sagemaker"
)

// modelShape is a shape of testdata/model.json: botocore's SageMaker model (botocore
// 1.43.11, API 2017-07-24) trimmed to the constraints of the shapes Cairn's operations
// take, by testdata/trim.go.
type modelShape struct {
	Type    string `json:"type"`
	Members map[string]struct {
		Shape string `json:"shape"`
	} `json:"members"`
	Member, Key, Value *struct {
		Shape string `json:"shape"`
	}
	Required  []string    `json:"required"`
	Min       json.Number `json:"min"`
	Max       json.Number `json:"max"`
	Pattern   string      `json:"pattern"`
	Enum      []string    `json:"enum"`
	Sensitive bool        `json:"sensitive"`
}

// deviations are the members whose declared constraints differ from the model's on
// purpose, by "Operation path" or by path in every operation, with the reason.
var deviations = map[string]string{
	// Members Cairn needs to run a job, which SageMaker's model leaves optional (it has
	// other ways to give them: ServerlessJobConfig, InstanceGroups).
	"CreateTrainingJob AlgorithmSpecification":       "required: Cairn runs an image or an algorithm",
	"CreateTrainingJob ResourceConfig":               "required: Cairn runs the job on the instance it describes",
	"CreateTrainingJob ResourceConfig.InstanceType":  "required: Cairn runs the job on the instance it describes",
	"CreateTrainingJob ResourceConfig.InstanceCount": "required: Cairn runs the job on the instance it describes",
	// ListPipelineExecutionSteps lists the steps of one execution.
	"ListPipelineExecutionSteps PipelineExecutionArn": "required: Cairn lists the steps of one execution",
	// The SageMaker Python SDK's LineageQuery sends several start ARNs (botocore checks no
	// list maximum); Cairn walks from each of them.
	"QueryLineage StartArns": "max 10: the SDK's LineageQuery sends several start ARNs",
}

type constraintChecker struct {
	t      *testing.T
	shapes map[string]*modelShape
	seen   map[string]bool // structures already checked, per operation
}

func loadModel(t *testing.T) (map[string]string, map[string]*modelShape) {
	t.Helper()
	raw, err := os.ReadFile("testdata/model.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Operations map[string]string      `json:"operations"`
		Shapes     map[string]*modelShape `json:"shapes"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m.Operations, m.Shapes
}

// TestDeclaredConstraints checks that every member of every input the service declares
// carries the constraints of botocore's model as tags (deviations aside), and that every
// member the model requires is declared: the validator then checks each request as
// SageMaker's own validation layer does. Members kept as given (json.RawMessage) are
// checked only for presence and list bounds.
func TestDeclaredConstraints(t *testing.T) {
	ops, shapes := loadModel(t)
	c := &constraintChecker{t: t, shapes: shapes}
	used := map[string]bool{}
	for _, op := range sagemaker.New(sagemaker.Options{}).API().Operations().Operations() {
		input, ok := ops[op.Name]
		if !ok {
			t.Errorf("%s: not in testdata/model.json; regenerate it with testdata/trim.go", op.Name)
			continue
		}
		c.structure(op.Name, "", reflect.TypeOf(op.NewInput()).Elem(), input, used)
	}
	for key := range deviations {
		if !used[key] {
			t.Errorf("deviation %q matches no declared member", key)
		}
	}
}

var rawMessage = reflect.TypeFor[json.RawMessage]()

// structure checks the members of Go structure gt against model structure name.
func (c *constraintChecker) structure(op, path string, gt reflect.Type, name string, used map[string]bool) {
	// A recursive shape (Search's SubExpressions) is checked once per operation.
	visit := op + " " + gt.String() + " " + name
	if c.seen[visit] {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[visit] = true
	s := c.shapes[name]
	if s == nil || s.Type != "structure" {
		c.t.Errorf("%s %s: the model's %s is not a structure", op, path, name)
		return
	}
	declared := map[string]bool{}
	for i := 0; i < gt.NumField(); i++ {
		sf := gt.Field(i)
		if !sf.IsExported() {
			continue
		}
		wire := operation.WireName(sf)
		declared[wire] = true
		at := strings.TrimPrefix(path+"."+wire, ".")
		m, ok := s.Members[wire]
		if !ok {
			c.t.Errorf("%s %s: the model's %s has no member %s", op, at, name, wire)
			continue
		}
		required := false
		for _, r := range s.Required {
			required = required || r == wire
		}
		c.member(op, at, sf, m.Shape, required, used)
	}
	for _, r := range s.Required {
		if !declared[r] {
			c.t.Errorf("%s %s: the model requires %s, which is not declared", op, strings.TrimPrefix(path+"."+r, "."), r)
		}
	}
}

// constraintTags are the tags the validator reads.
var constraintTags = []string{"required", "min", "max", "pattern", "enum", "sensitive",
	"memberMin", "memberMax", "memberPattern", "memberEnum",
	"keyMin", "keyMax", "keyPattern", "valueMin", "valueMax", "valuePattern"}

func (c *constraintChecker) member(op, path string, sf reflect.StructField, target string, required bool, used map[string]bool) {
	want := map[string]string{}
	if required {
		want["required"] = "true"
	}
	gt := sf.Type
	for gt.Kind() == reflect.Pointer {
		gt = gt.Elem()
	}
	s := c.shapes[target]
	raw := gt == rawMessage || gt.Kind() == reflect.Slice && gt.Elem() == rawMessage
	switch s.Type {
	case "string":
		stringRule(want, "", s)
	case "integer", "long", "float", "double":
		if s.Min != "" {
			want["min"] = s.Min.String()
		}
		if s.Max != "" {
			want["max"] = s.Max.String()
		}
	case "list":
		bounds(want, s)
		if raw {
			break
		}
		elem := c.shapes[s.Member.Shape]
		et := gt.Elem()
		for et.Kind() == reflect.Pointer {
			et = et.Elem()
		}
		switch elem.Type {
		case "string":
			stringRule(want, "member", elem)
		case "structure":
			c.structure(op, path+".member", et, s.Member.Shape, used)
		}
	case "map":
		bounds(want, s)
		stringRule(want, "key", c.shapes[s.Key.Shape])
		if v := c.shapes[s.Value.Shape]; v.Type == "string" {
			stringRule(want, "value", v)
		}
	case "structure":
		if !raw {
			c.structure(op, path, gt, target, used)
		}
	}
	if raw {
		// Kept as given: only presence, and the bounds of a list of members kept as given,
		// are declared.
		for _, k := range constraintTags {
			if k != "required" && (gt == rawMessage || k != "min" && k != "max") {
				delete(want, k)
			}
		}
	}
	got := map[string]string{}
	for _, k := range constraintTags {
		if v, ok := sf.Tag.Lookup(k); ok {
			got[k] = v
		}
	}
	if reflect.DeepEqual(got, want) {
		return
	}
	for _, key := range []string{op + " " + path, path} {
		if _, ok := deviations[key]; ok {
			used[key] = true
			return
		}
	}
	c.t.Errorf("%s %s (%s): declared %s, the model says %s", op, path, target, tagString(got), tagString(want))
}

// stringRule adds the constraints of string shape s under the tag prefix ("", "member",
// "key", "value"). A minimum of 0 constrains nothing and is not declared.
func stringRule(want map[string]string, prefix string, s *modelShape) {
	name := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + strings.ToUpper(k[:1]) + k[1:]
	}
	if s.Min != "" && s.Min != "0" {
		want[name("min")] = s.Min.String()
	}
	if s.Max != "" {
		want[name("max")] = s.Max.String()
	}
	if s.Pattern != "" {
		want[name("pattern")] = s.Pattern
	}
	if len(s.Enum) > 0 {
		want[name("enum")] = strings.Join(s.Enum, ",")
	}
	if s.Sensitive && prefix == "" {
		want["sensitive"] = "true"
	}
}

func bounds(want map[string]string, s *modelShape) {
	if s.Min != "" && s.Min != "0" {
		want["min"] = s.Min.String()
	}
	if s.Max != "" {
		want["max"] = s.Max.String()
	}
}

func tagString(tags map[string]string) string {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k + ":" + `"` + strings.ReplaceAll(tags[k], `\`, `\\`) + `"`)
	}
	if b.Len() == 0 {
		return "(nothing)"
	}
	return b.String()
}
