package server

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// opName is a word that reads as an operation name: two capitalized parts or more.
var opName = regexp.MustCompile(`\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b`)

// code is a span in backquotes: a value, not an operation.
var code = regexp.MustCompile("`[^`]*`")

// TestCompatibilityListsEveryOperation keeps docs/compatibility.md true: every operation a
// service serves is named in that service's section.
func TestCompatibilityListsEveryOperation(t *testing.T) {
	raw, err := os.ReadFile("../../docs/compatibility.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{}
	for _, part := range strings.Split(string(raw), "\n## ")[1:] {
		heading, _, _ := strings.Cut(part, " ")
		sections[strings.ToLower(heading)] = part
	}
	s, _ := benchServer(t)
	if len(s.bySigning) == 0 {
		t.Fatal("no services")
	}
	for name, svc := range s.bySigning {
		section, ok := sections[name]
		if !ok {
			t.Errorf("docs/compatibility.md has no section for %s", name)
			continue
		}
		served := map[string]bool{}
		for _, op := range svc.Operations().Operations() {
			served[op.Name] = true
			if !regexp.MustCompile(`\b` + op.Name + `\b`).MatchString(section) {
				t.Errorf("%s %s is served but not named in its section of docs/compatibility.md", name, op.Name)
			}
		}
		// And the other way: what a table's first column names is served.
		for _, line := range strings.Split(section, "\n") {
			cells := strings.Split(line, "|")
			if len(cells) < 3 || strings.TrimSpace(cells[0]) != "" {
				continue
			}
			for _, word := range opName.FindAllString(code.ReplaceAllString(cells[1], ""), -1) {
				if !served[word] {
					t.Errorf("docs/compatibility.md names %s %s in a table, which is not served", name, word)
				}
			}
		}
	}
}
