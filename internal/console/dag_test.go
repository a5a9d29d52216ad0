package console

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/engine/definition"
)

// wideDefinition is n Condition steps: step i depends (DependsOn) on step i/2 and on
// step i-1 when i is odd, a graph with both depth and width.
func wideDefinition(n int) string {
	var steps []string
	for i := 0; i < n; i++ {
		deps := ""
		if i > 0 {
			list := []string{fmt.Sprintf("%q", fmt.Sprintf("S%03d", i/2))}
			if i%2 == 1 && i-1 != i/2 {
				list = append(list, fmt.Sprintf("%q", fmt.Sprintf("S%03d", i-1)))
			}
			deps = `,"DependsOn":[` + strings.Join(list, ",") + `]`
		}
		steps = append(steps, fmt.Sprintf(`{"Name":"S%03d","Type":"Condition"%s,"Arguments":{"Conditions":[{"Type":"Equals","LeftValue":1,"RightValue":1}],"IfSteps":[],"ElseSteps":[]}}`, i, deps))
	}
	return `{"Version":"2020-12-01","Metadata":{},"Parameters":[],"Steps":[` + strings.Join(steps, ",") + `]}`
}

func TestLayoutPlacesDependenciesAbove(t *testing.T) {
	d, err := definition.Parse([]byte(wideDefinition(60)), definition.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := layoutDefinition(d)
	at := map[string]*node{}
	for _, n := range g.Nodes {
		at[n.Name] = n
		if n.X < 0 || n.Y < 0 || n.X+n.W > g.Width || n.Y+n.H > g.Height {
			t.Errorf("%s at (%d,%d) outside %dx%d", n.Name, n.X, n.Y, g.Width, g.Height)
		}
	}
	if len(at) != 60 {
		t.Fatalf("%d nodes", len(at))
	}
	for _, e := range g.Edges {
		if at[e.From].Y >= at[e.To].Y {
			t.Errorf("edge %s → %s goes up", e.From, e.To)
		}
		if e.Kind != "depends" {
			t.Errorf("edge %s → %s is %s, want depends", e.From, e.To, e.Kind)
		}
	}
	seen := map[[2]int]string{}
	for _, n := range g.Nodes {
		if other, ok := seen[[2]int{n.X, n.Y}]; ok {
			t.Errorf("%s and %s overlap", n.Name, other)
		}
		seen[[2]int{n.X, n.Y}] = n.Name
	}
}

func TestLayoutEdgeKinds(t *testing.T) {
	doc := `{"Version":"2020-12-01","Metadata":{},"Parameters":[{"Name":"X","Type":"Integer","DefaultValue":1}],"Steps":[
	 {"Name":"A","Type":"Condition","Arguments":{"Conditions":[{"Type":"Equals","LeftValue":{"Get":"Parameters.X"},"RightValue":1}],
	  "IfSteps":[{"Name":"Yes","Type":"Fail","Arguments":{"ErrorMessage":"y"}}],"ElseSteps":[{"Name":"No","Type":"Fail","Arguments":{"ErrorMessage":"n"}}]}},
	 {"Name":"B","Type":"Condition","DependsOn":["A"],"Arguments":{"Conditions":[{"Type":"Equals","LeftValue":1,"RightValue":1}],"IfSteps":[],"ElseSteps":[]}}]}`
	d, err := definition.Parse([]byte(doc), definition.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := layoutDefinition(d)
	kinds := map[string]string{}
	for _, e := range g.Edges {
		kinds[e.From+">"+e.To] = e.Kind + "/" + e.Label
	}
	want := map[string]string{"A>Yes": "if/if", "A>No": "else/else", "A>B": "depends/"}
	for k, v := range want {
		if kinds[k] != v {
			t.Errorf("edge %s: %q, want %q (all: %v)", k, kinds[k], v, kinds)
		}
	}
}

// BenchmarkPipelineGraph200 lays out and renders the graph of a 200-step pipeline, the
// part of the pipeline page the console computes itself.
func BenchmarkPipelineGraph200(b *testing.B) {
	doc := []byte(wideDefinition(200))
	pages, err := parsePages()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		d, err := definition.Parse(doc, definition.ParseOptions{})
		if err != nil {
			b.Fatal(err)
		}
		var sb strings.Builder
		if err := pages["pipeline"].ExecuteTemplate(&sb, "dag", layoutDefinition(d)); err != nil {
			b.Fatal(err)
		}
	}
}

// What a definition says is text in the drawing, never markup.
func TestSVGEscapes(t *testing.T) {
	doc := `{"Version":"2020-12-01","Metadata":{},"Parameters":[],"Steps":[
	 {"Name":"A","DisplayName":"<script>alert(1)</script>\"'&","Type":"Fail","Arguments":{"ErrorMessage":"x"}}]}`
	d, err := definition.Parse([]byte(doc), definition.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := layoutDefinition(d)
	g.setStatus(map[string]string{"A": `Failed"><script>`}, func(s string) string { return `#step-"` + s })
	svg := string(g.SVG())
	for _, bad := range []string{"<script>", `s-Failed"`, `#step-"`} {
		if strings.Contains(svg, bad) {
			t.Errorf("the drawing holds %q unescaped:\n%s", bad, svg)
		}
	}
	if !strings.Contains(svg, "&lt;script&gt;") {
		t.Errorf("the label is missing:\n%s", svg)
	}
}
