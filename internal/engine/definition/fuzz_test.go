package definition

import (
	"errors"
	"testing"

	"github.com/cairnhq/cairn/internal/fuzzseed"
)

// anyEnv answers every question, so that evaluation goes as deep as the
// expressions do.
type anyEnv struct{}

func (anyEnv) Parameter(string) (any, bool)           { return "1", true }
func (anyEnv) StepProperties(string) (any, bool)      { return map[string]any{"Outcome": "True"}, true }
func (anyEnv) Execution(string) (string, bool)        { return "x", true }
func (anyEnv) ExperimentConfig(string) (string, bool) { return "x", true }
func (anyEnv) ReadJSON(string) ([]byte, error)        { return []byte(`{"a": [1, {"b": "c"}]}`), nil }

func FuzzParse(f *testing.F) {
	fuzzseed.Require(f)
	// The SDK-emitted definitions, when the shared conformance data is at hand, are in the
	// corpus already (testdata/fuzz/FuzzParse); the target never depends on them.
	for _, b := range optionalFixtures() {
		fuzzseed.Add(f, b)
	}
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"Version": "2020-12-01", "Steps": []}`,
		doc(`[{"Name": "P", "Type": "Integer", "DefaultValue": 1}]`, failStep("A", `"DependsOn": ["B"]`), failStep("B", "")),
		doc("", condStep("C", `{"Type": "Not", "Condition": {"Type": "In", "QueryValue": {"Get": "Execution.PipelineName"}, "Values": ["a"]}}`,
			procStep("P", `"X": {"Std:Join": {"On": "/", "Values": [{"Get": "Steps.C.Outcome"}, 1.5, true]}}`,
				`"PropertyFiles": [{"PropertyFileName": "R", "OutputName": "o", "FilePath": "r.json"}]`),
			failStep("F", `"Arguments": {"ErrorMessage": {"Std:JsonGet": {"PropertyFile": "R", "Path": "a[1]['b']"}}}`))),
	} {
		fuzzseed.Add(f, []byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b, ParseOptions{})
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || perr.Message == "" {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			return
		}
		// What parses is a consistent graph.
		steps := d.Steps()
		order := d.TopologicalOrder()
		if len(order) != len(steps) {
			t.Fatalf("order of %d steps for %d steps", len(order), len(steps))
		}
		pos := map[string]int{}
		for i, name := range order {
			pos[name] = i
		}
		for _, s := range steps {
			for _, dep := range d.Dependencies(s.Name) {
				if d.Step(dep) == nil || pos[dep] >= pos[s.Name] {
					t.Fatalf("step %s: dependency %s unknown or not earlier", s.Name, dep)
				}
			}
			if c, _, ok := d.Branch(s.Name); ok && d.Step(c).Type != "Condition" {
				t.Fatalf("step %s is in the branch of %s, a %s step", s.Name, c, d.Step(c).Type)
			}
		}
		// Whatever parses can be evaluated without a panic.
		_ = d.ValidatePrefixes(PrefixLimits())
		_, _ = d.ResolveParameters(nil)
		for _, s := range steps {
			_, _ = d.ResolveArguments(s.Name, anyEnv{})
			_, _ = d.EvalConditions(s.Conditions, anyEnv{})
			for _, raw := range s.Extra {
				_, _ = d.Resolve(raw, anyEnv{})
			}
			_ = d.Decide(s.Name, func(string) StepState { return StateSucceeded }, func(string) bool { return true })
		}
	})
}
