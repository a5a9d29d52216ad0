// Package layout holds the test that keeps the tree's rooms apart: which internal packages
// each package may import, as docs/architecture.md describes them.
package layout

import (
	"go/build"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/cairnhq/cairn/"

// allowed lists, for each package (a trailing "/" names every package under it), the
// internal packages it may import; a package not listed may import any. Rules are the
// design's: the policy language and the codecs know nothing of the store, the engine knows
// no wire format, services never import one another, the SageMaker vocabulary sits below
// the service, the engine and the jobs.
var allowed = map[string][]string{
	"internal/arn":               {},
	"internal/operation":         {},
	"internal/sigv4":             {},
	"internal/blob":              {},
	"internal/profiles":          {},
	"internal/client":            {},
	"internal/sharedtest":        {},
	"internal/fuzzseed":          {},
	"internal/masterkey":         {},
	"internal/runner":            {},
	"internal/engine/definition": {},
	"internal/policy":            {"internal/arn"},
	"internal/awsproto":          {"internal/operation"},
	"internal/sagemaker":         {"internal/operation"},
	"internal/store":             {"internal/arn"},
	"internal/store/":            {"internal/arn", "internal/store", "internal/store/storetest"},
	"internal/runner/":           {"internal/runner"},
	"internal/auth":              {"internal/arn", "internal/masterkey", "internal/sigv4", "internal/store"},
	"internal/authz":             {"internal/arn", "internal/auth", "internal/operation", "internal/policy", "internal/store"},
	"internal/engine": {"internal/arn", "internal/auth", "internal/engine/definition", "internal/operation",
		"internal/sagemaker", "internal/store"},
	"internal/jobs": {"internal/arn", "internal/auth", "internal/operation", "internal/runner", "internal/sagemaker",
		"internal/store"},
	"internal/console": {"internal/auth", "internal/engine/definition", "internal/masterkey", "internal/operation",
		"internal/store"},
	"internal/service/": {"internal/arn", "internal/auth", "internal/awsproto", "internal/blob", "internal/engine/definition",
		"internal/masterkey", "internal/operation", "internal/policy", "internal/sagemaker", "internal/store"},
}

// rulesFor returns the allowed imports of pkg and whether any rule applies.
func rulesFor(pkg string) ([]string, bool) {
	if r, ok := allowed[pkg]; ok {
		return r, true
	}
	best := ""
	for prefix := range allowed {
		if strings.HasSuffix(prefix, "/") && strings.HasPrefix(pkg, prefix) && len(prefix) > len(best) {
			best = prefix
		}
	}
	if best == "" {
		return nil, false
	}
	return allowed[best], true
}

func TestImports(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() == "testdata" {
			if d != nil && d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return err
		}
		p, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		rel, _ := filepath.Rel(root, path)
		pkg := filepath.ToSlash(rel)
		rules, ok := rulesFor(pkg)
		if !ok {
			return nil
		}
		checked++
		may := map[string]bool{}
		for _, r := range rules {
			may[r] = true
		}
		var bad []string
		for _, imp := range p.Imports {
			if dep, ok := strings.CutPrefix(imp, module); ok && dep != pkg && !may[dep] {
				bad = append(bad, dep)
			}
		}
		sort.Strings(bad)
		if len(bad) > 0 {
			t.Errorf("%s imports %s; it may import only %v (see docs/architecture.md)", pkg, strings.Join(bad, ", "), rules)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Errorf("checked only %d packages: the walk is broken", checked)
	}
}
