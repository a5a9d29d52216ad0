package definition

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"testing"

	"github.com/cairnhq/cairn/internal/sharedtest"
)

// fixtures returns the SDK-emitted definitions by file name (conformance/sdk-definitions
// of the shared data next to the repository), skipping the test when they are absent.
func fixtures(t testing.TB) map[string][]byte {
	t.Helper()
	dir := sharedtest.Dir(t, "conformance", "sdk-definitions")
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Skipf("no SDK definition fixtures in %s", dir)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// optionalFixtures returns the SDK-emitted definitions, or nothing when they are absent.
func optionalFixtures() [][]byte {
	var out [][]byte
	dir, _, err := sharedtest.Find("conformance", "sdk-definitions")
	if err != nil || dir == "" {
		return nil
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, b)
		}
	}
	return out
}

// rawStepTypes walks a document independently of Parse and returns the
// type of every step, nested ones included.
func rawStepTypes(t *testing.T, doc []byte) map[string]string {
	t.Helper()
	var top struct{ Steps []json.RawMessage }
	if err := json.Unmarshal(doc, &top); err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	var walk func([]json.RawMessage)
	walk = func(steps []json.RawMessage) {
		for _, raw := range steps {
			var s struct {
				Name, Type string
				Arguments  struct{ IfSteps, ElseSteps []json.RawMessage }
			}
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			types[s.Name] = s.Type
			if s.Type == "Condition" {
				walk(s.Arguments.IfSteps)
				walk(s.Arguments.ElseSteps)
			}
		}
	}
	walk(top.Steps)
	return types
}

var cairnTypes = []string{"Processing", "Condition", "Fail"}

func TestFixturesParse(t *testing.T) {
	for name, doc := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			types := rawStepTypes(t, doc)
			var used []string
			for _, typ := range types {
				if !slices.Contains(used, typ) {
					used = append(used, typ)
				}
			}
			sort.Strings(used)
			d, err := Parse(doc, ParseOptions{SupportedTypes: used})
			if err != nil {
				t.Fatalf("Parse with types %v: %v", used, err)
			}
			if got := len(d.Steps()); got != len(types) {
				t.Errorf("Steps() has %d steps, the document %d", got, len(types))
			}
			for _, s := range d.Steps() {
				if types[s.Name] != s.Type {
					t.Errorf("step %s has type %s, the document says %s", s.Name, s.Type, types[s.Name])
				}
			}
			checkOrder(t, d)
			if err := d.ValidatePrefixes(PrefixLimits()); err != nil {
				t.Errorf("ValidatePrefixes: %v", err)
			}
		})
	}
}

func TestFixturesCairnTypes(t *testing.T) {
	msg := regexp.MustCompile(`^Step "([A-Za-z0-9_-]+)" has type (\w+), which Cairn does not run yet; supported types: Condition, Fail, Processing\.$`)
	for name, doc := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			types := rawStepTypes(t, doc)
			unsupported := false
			for _, typ := range types {
				if !slices.Contains(cairnTypes, typ) {
					unsupported = true
				}
			}
			_, err := Parse(doc, ParseOptions{SupportedTypes: cairnTypes})
			if !unsupported {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse error %v (%T) is not an *Error", err, err)
			}
			m := msg.FindStringSubmatch(perr.Message)
			if m == nil {
				t.Fatalf("Parse error %q is not the unsupported-type error", perr.Message)
			}
			if perr.Step != m[1] || types[m[1]] != m[2] || slices.Contains(cairnTypes, m[2]) {
				t.Fatalf("Parse error %q (Step %q) names the wrong step or type; types %v", perr.Message, perr.Step, types)
			}
		})
	}
}

// checkOrder checks that TopologicalOrder holds every step once, after all
// its dependencies.
func checkOrder(t *testing.T, d *Definition) {
	t.Helper()
	order := d.TopologicalOrder()
	pos := map[string]int{}
	for i, name := range order {
		if _, dup := pos[name]; dup {
			t.Fatalf("step %s twice in the order %v", name, order)
		}
		pos[name] = i
	}
	if len(order) != len(d.Steps()) {
		t.Fatalf("order %v has %d steps, the definition %d", order, len(order), len(d.Steps()))
	}
	for _, s := range d.Steps() {
		for _, dep := range d.Dependencies(s.Name) {
			if pos[dep] >= pos[s.Name] {
				t.Errorf("step %s comes before its dependency %s in %v", s.Name, dep, order)
			}
		}
	}
}
