package definition

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fakeEnv is an Env over fixed values.
type fakeEnv struct {
	params     map[string]any
	props      map[string]any // step -> properties (JSON text or tree)
	execution  map[string]string
	experiment map[string]string
	files      map[string]string // s3 URI -> JSON text
	reads      []string
}

func (e *fakeEnv) Parameter(name string) (any, bool) {
	v, ok := e.params[name]
	return v, ok
}

func (e *fakeEnv) StepProperties(step string) (any, bool) {
	v, ok := e.props[step]
	if s, isText := v.(string); isText {
		var tree any
		if err := json.Unmarshal([]byte(s), &tree); err != nil {
			panic(err)
		}
		return tree, true
	}
	return v, ok
}

func (e *fakeEnv) Execution(name string) (string, bool) {
	v, ok := e.execution[name]
	return v, ok
}

func (e *fakeEnv) ExperimentConfig(name string) (string, bool) {
	v, ok := e.experiment[name]
	return v, ok
}

var errNoSuchKey = errors.New("NoSuchKey: The specified key does not exist.")

func (e *fakeEnv) ReadJSON(uri string) ([]byte, error) {
	e.reads = append(e.reads, uri)
	s, ok := e.files[uri]
	if !ok {
		return nil, fmt.Errorf("get %s: %w", uri, errNoSuchKey)
	}
	return []byte(s), nil
}

// mustParse parses a document with every type accepted.
func mustParse(t testing.TB, doc string) *Definition {
	t.Helper()
	d, err := Parse([]byte(doc), ParseOptions{})
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return d
}

// tree decodes JSON text as Parse does (numbers as json.Number).
func tree(t testing.TB, s string) any {
	t.Helper()
	v, err := decodeTree([]byte(s))
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}

// doc builds a definition document from parameter and step JSON.
func doc(params string, steps ...string) string {
	if params == "" {
		params = "[]"
	}
	return `{"Version": "2020-12-01", "Metadata": {}, "Parameters": ` + params +
		`, "PipelineExperimentConfig": null, "Steps": [` + strings.Join(steps, ",") + `]}`
}

// fail returns a Fail step.
func failStep(name string, extra string) string {
	if extra != "" {
		extra = ", " + extra
	}
	return `{"Name": "` + name + `", "Type": "Fail", "Arguments": {"ErrorMessage": "x"}` + extra + `}`
}

// procStep returns a Processing step with the given Arguments members
// (after a minimal request) and other step members.
func procStep(name, args, extra string) string {
	if args != "" {
		args = ", " + args
	}
	if extra != "" {
		extra = ", " + extra
	}
	return `{"Name": "` + name + `", "Type": "Processing", "Arguments": {"AppSpecification": {"ImageUri": "img"}, "RoleArn": "arn:aws:iam::111111111111:role/r"` +
		args + `}` + extra + `}`
}

// condStep returns a Condition step.
func condStep(name, conditions, ifSteps, elseSteps string) string {
	return `{"Name": "` + name + `", "Type": "Condition", "Arguments": {"Conditions": [` + conditions +
		`], "IfSteps": [` + ifSteps + `], "ElseSteps": [` + elseSteps + `]}}`
}

func toJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
