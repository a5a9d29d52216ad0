package console

import (
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/engine/definition"
)

// The pipeline graph is laid out on the server: steps in layers (a step one layer below the
// deepest step it depends on), each layer ordered by the mean position of the steps it
// depends on, then drawn as SVG with an element per step that the live page recolours.

const (
	nodeW   = 200
	nodeH   = 48
	gapX    = 28
	gapY    = 56
	margin  = 16
	maxText = 22 // characters of a label that fit a box in the console's bold 13px
)

// graph is a laid-out pipeline definition.
type graph struct {
	// Pipeline marks a pipeline's graph, whose legend names its kinds of edge.
	Pipeline bool
	// Label names what the graph shows, for assistive technology.
	Label         string
	Width, Height int
	Nodes         []*node
	Edges         []edge
}

// node is a step drawn as a box.
type node struct {
	Name, Type, Label string
	X, Y              int
	W, H              int
	TextX             int
	// Status is the step's status on an execution page ("" on a pipeline page).
	Status string
	// Href opens the step's details, when it has some.
	Href string
	// detail replaces the type line when set (a lineage vertex's type).
	detail string
	// account, when set, is drawn on a third line (a lineage vertex's account).
	account string

	layer int
	order float64
}

// edge is a dependency drawn as a curve from the step depended on to the step that waits.
type edge struct {
	From, To string
	// Kind is "data" (a property the step reads), "depends" (DependsOn) or "if"/"else" (a
	// Condition step's branch).
	Kind   string
	Path   string
	Label  string
	LabelX int
	LabelY int
}

// layoutDefinition lays out every step of d, nested Condition branches included.
func layoutDefinition(d *definition.Definition) *graph {
	g := &graph{Pipeline: true, Label: "Pipeline steps and their dependencies"}
	byName := map[string]*node{}
	for _, s := range d.Steps() {
		n := &node{Name: s.Name, Type: s.Type, Label: shorten(s.Name, maxText), W: nodeW, H: nodeH}
		if s.DisplayName != "" {
			n.Label = shorten(s.DisplayName, maxText)
		}
		byName[s.Name] = n
		g.Nodes = append(g.Nodes, n)
	}
	// Layers follow the topological order: every dependency is placed first.
	order := d.TopologicalOrder()
	deps := make(map[string][]string, len(order))
	layers := [][]*node{}
	for _, name := range order {
		n := byName[name]
		if n == nil {
			continue
		}
		deps[name] = d.Dependencies(name)
		for _, dep := range deps[name] {
			if dn := byName[dep]; dn != nil && dn.layer+1 > n.layer {
				n.layer = dn.layer + 1
			}
		}
		for len(layers) <= n.layer {
			layers = append(layers, nil)
		}
		n.order = float64(len(layers[n.layer]))
		layers[n.layer] = append(layers[n.layer], n)
	}
	// Two sweeps down: order each layer by the mean position of what its steps depend on.
	for sweep := 0; sweep < 2; sweep++ {
		for l := 1; l < len(layers); l++ {
			for _, n := range layers[l] {
				sum, count := 0.0, 0
				for _, dep := range deps[n.Name] {
					if dn := byName[dep]; dn != nil {
						sum += dn.order
						count++
					}
				}
				if count > 0 {
					n.order = sum / float64(count)
				}
			}
			slices.SortStableFunc(layers[l], func(a, b *node) int {
				switch {
				case a.order < b.order:
					return -1
				case a.order > b.order:
					return 1
				}
				return 0
			})
			for i, n := range layers[l] {
				n.order = float64(i)
			}
		}
	}
	widest := 0
	for _, layer := range layers {
		widest = max(widest, len(layer))
	}
	for l, layer := range layers {
		offset := (widest - len(layer)) * (nodeW + gapX) / 2
		for i, n := range layer {
			n.X = margin + offset + i*(nodeW+gapX)
			n.Y = margin + l*(nodeH+gapY)
			n.TextX = n.X + 10
		}
	}
	g.Width = 2*margin + max(widest, 1)*(nodeW+gapX) - gapX
	g.Height = 2*margin + max(len(layers), 1)*(nodeH+gapY) - gapY
	for _, name := range order {
		n := byName[name]
		s := d.Step(name)
		if n == nil || s == nil {
			continue
		}
		cond, inIf, nested := d.Branch(name)
		for _, dep := range deps[name] {
			from := byName[dep]
			if from == nil {
				continue
			}
			e := edge{Kind: "data"}
			switch {
			case nested && dep == cond:
				e.Kind, e.Label = "else", "else"
				if inIf {
					e.Kind, e.Label = "if", "if"
				}
			case slices.Contains(s.DependsOn, dep):
				e.Kind = "depends"
			}
			g.Edges = append(g.Edges, curve(from, n, e.Kind, e.Label))
		}
	}
	return g
}

// curve is the edge from one node down (or up) to another.
func curve(from, to *node, kind, label string) edge {
	x1, y1 := from.X+from.W/2, from.Y+from.H
	x2, y2 := to.X+to.W/2, to.Y-2
	if to.Y < from.Y { // a lineage edge may point up
		y1, y2 = from.Y, to.Y+to.H+2
	}
	mid := (y1 + y2) / 2
	return edge{From: from.Name, To: to.Name, Kind: kind, Label: label,
		Path: "M" + itoa(x1) + " " + itoa(y1) + " C" + itoa(x1) + " " + itoa(mid) + " " + itoa(x2) + " " +
			itoa(mid) + " " + itoa(x2) + " " + itoa(y2),
		LabelX: (x1+x2)/2 + 4, LabelY: mid - 4}
}

// setStatus colours the graph's steps: status by step name; href links each to its details.
func (g *graph) setStatus(status map[string]string, href func(step string) string) {
	for _, n := range g.Nodes {
		n.Status = status[n.Name]
		if n.Status == "" {
			n.Status = "NotStarted"
		}
		if href != nil {
			n.Href = href(n.Name)
		}
	}
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func itoa(i int) string { return strconv.Itoa(i) }

// typeClass is the CSS class of a step type.
func typeClass(t string) string { return "t-" + strings.ToLower(t) }

// SVG draws the graph. It is written directly rather than through html/template (whose
// reflection would cost more than the layout on a 200-step pipeline): every string from
// the definition goes through template.HTMLEscapeString, numbers are formatted.
func (g *graph) SVG() template.HTML {
	var b strings.Builder
	b.Grow(512 + 400*len(g.Nodes) + 250*len(g.Edges))
	esc := template.HTMLEscapeString
	w, h := itoa(g.Width), itoa(g.Height)
	// A graph whose nodes are links is a group of them, reached with the keyboard; one
	// without links is a picture.
	role := "img"
	for _, n := range g.Nodes {
		if n.Href != "" {
			role = "group"
			break
		}
	}
	b.WriteString(`<svg class="dag" xmlns="http://www.w3.org/2000/svg" width="` + w + `" height="` + h + `" viewBox="0 0 ` + w + ` ` + h +
		`" role="` + role + `" aria-label="` + esc(g.Label) + `">` +
		`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>` + "\n")
	for _, e := range g.Edges {
		kind := esc(e.Kind)
		b.WriteString(`<path class="edge e-` + kind + `" d="` + esc(e.Path) + `" marker-end="url(#arrow)"><title>` +
			esc(e.From) + ` → ` + esc(e.To) + ` (` + kind + `)</title></path>`)
		if e.Label != "" {
			b.WriteString(`<text class="edge-label" x="` + itoa(e.LabelX) + `" y="` + itoa(e.LabelY) + `">` + esc(e.Label) + `</text>`)
		}
		b.WriteByte('\n')
	}
	for _, n := range g.Nodes {
		b.WriteString(`<g class="step ` + esc(typeClass(n.Type)))
		if n.Status != "" {
			b.WriteString(` s-` + esc(n.Status))
		}
		b.WriteString(`" data-step="` + esc(n.Name) + `">`)
		if n.Href != "" {
			b.WriteString(`<a href="` + esc(n.Href) + `">`)
		}
		x, y := itoa(n.X), itoa(n.Y)
		b.WriteString(`<rect x="` + x + `" y="` + y + `" width="` + itoa(n.W) + `" height="` + itoa(n.H) + `" rx="6"/>` +
			`<text class="step-name" x="` + itoa(n.TextX) + `" y="` + y + `" dy="20">` + esc(n.Label) + `</text>` +
			`<text class="step-type" x="` + itoa(n.TextX) + `" y="` + y + `" dy="38">`)
		if n.detail != "" {
			b.WriteString(esc(n.detail))
		} else {
			b.WriteString(esc(n.Type))
		}
		status := ""
		if n.Status != "" {
			status = ` · <tspan class="status">` + esc(n.Status) + `</tspan>`
		}
		if n.account == "" {
			b.WriteString(status + `</text>`)
		} else {
			// A lineage entity: its type fills the second line, its account and state the third.
			b.WriteString(`</text><text class="step-account" x="` + itoa(n.TextX) + `" y="` + y + `" dy="54">` + esc(n.account) + status + `</text>`)
		}
		b.WriteString(`<title>` + esc(n.Name) + ` (` + esc(n.Type) + `)</title>`)
		if n.Href != "" {
			b.WriteString(`</a>`)
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}
