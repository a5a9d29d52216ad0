package console

import (
	"net/http"
	"strconv"
	"strings"
)

// maxLineageVertices bounds what one lineage page draws (QueryLineage pages by 50).
const maxLineageVertices = 500

type lineageVertex struct {
	Arn, Type, LineageType string
	Name                   string
	Account                string
	Foreign                bool
}

// maxNamed bounds how many vertices a page describes for their names.
const maxNamed = 100

// describeName returns an entity's name through its Describe operation as the session's
// principal, or "" when it cannot be read.
func (c *Console) describeName(r *http.Request, s *session, arn, lineageType string) string {
	var op, member string
	switch lineageType {
	case "Artifact":
		op, member = "DescribeArtifact", "ArtifactArn"
	case "Action":
		op, member = "DescribeAction", "ActionName"
	case "Context":
		op, member = "DescribeContext", "ContextName"
	case "TrialComponent":
		op, member = "DescribeTrialComponent", "TrialComponentName"
	default:
		return ""
	}
	var out struct{ ArtifactName, ActionName, ContextName, TrialComponentName string }
	if err := c.call(r.Context(), r, s, "sagemaker", op, map[string]any{member: arn}, &out); err != nil {
		return ""
	}
	return out.ArtifactName + out.ActionName + out.ContextName + out.TrialComponentName
}

type lineageEdge struct {
	SourceArn, DestinationArn, AssociationType string
}

type lineageView struct {
	ARN, Direction string
	Depth          int
	Graph          *graph
	Vertices       []lineageVertex
	Truncated      bool
	Directions     []string
}

// lineage draws the neighbourhood of a lineage entity from QueryLineage: the direction and
// depth in the URL, each vertex a link that centres the graph on it (expanding its own
// neighbourhood), vertices of other accounts — reached where a share allows — labelled with
// their account.
func (c *Console) lineage(w http.ResponseWriter, r *http.Request, s *session) error {
	q := r.URL.Query()
	v := lineageView{ARN: strings.TrimSpace(q.Get("arn")), Direction: q.Get("direction"), Depth: 2,
		Directions: []string{"Both", "Ascendants", "Descendants"}}
	if v.Direction != "Ascendants" && v.Direction != "Descendants" {
		v.Direction = "Both"
	}
	if d, err := strconv.Atoi(q.Get("depth")); err == nil && d >= 1 && d <= 10 {
		v.Depth = d
	}
	if v.ARN == "" {
		c.render(w, http.StatusOK, "lineage", s, v)
		return nil
	}
	vertices := []lineageVertex{{Arn: v.ARN, LineageType: lineageTypeOf(v.ARN)}}
	seen := map[string]bool{v.ARN: true}
	var edges []lineageEdge
	token := ""
	for {
		in := map[string]any{"StartArns": []string{v.ARN}, "Direction": v.Direction, "IncludeEdges": true,
			"MaxDepth": v.Depth, "MaxResults": 50}
		if token != "" {
			in["NextToken"] = token
		}
		var out struct {
			Vertices  []lineageVertex
			Edges     []lineageEdge
			NextToken string
		}
		if err := c.call(r.Context(), r, s, "sagemaker", "QueryLineage", in, &out); err != nil {
			return err
		}
		for _, vx := range out.Vertices {
			if !seen[vx.Arn] {
				seen[vx.Arn] = true
				vertices = append(vertices, vx)
			}
		}
		edges = append(edges, out.Edges...)
		if token = out.NextToken; token == "" {
			break
		}
		if len(vertices) >= maxLineageVertices {
			v.Truncated = true
			break
		}
	}
	for i := range vertices {
		vx := &vertices[i]
		vx.Account = accountOf(vx.Arn)
		vx.Foreign = vx.Account != s.principal.Account
		if i < maxNamed {
			vx.Name = c.describeName(r, s, vx.Arn, vx.LineageType)
		}
		if vx.Name == "" {
			vx.Name = vx.Arn[strings.LastIndexByte(vx.Arn, '/')+1:]
		}
	}
	v.Vertices = vertices
	v.Graph = layoutLineage(v.ARN, vertices, edges, func(arn string) string {
		return Prefix + "lineage?" + queryString("arn", arn, "direction", v.Direction, "depth", strconv.Itoa(v.Depth))
	})
	c.render(w, http.StatusOK, "lineage", s, v)
	return nil
}

// lineageTypeOf names the lineage type of an entity's ARN.
func lineageTypeOf(arn string) string {
	_, rest, _ := strings.Cut(arn, ":sagemaker:")
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) < 3 {
		return ""
	}
	kind, _, _ := strings.Cut(parts[2], "/")
	switch kind {
	case "artifact":
		return "Artifact"
	case "action":
		return "Action"
	case "context":
		return "Context"
	case "experiment-trial-component":
		return "TrialComponent"
	}
	return kind
}

// layoutLineage places the start in its own row, what it derives from above (one row per
// association away) and what derives from it below, each row in the order reached.
func layoutLineage(start string, vertices []lineageVertex, edges []lineageEdge, href func(string) string) *graph {
	level := map[string]int{start: 0}
	out, in := map[string][]lineageEdge{}, map[string][]lineageEdge{}
	for _, e := range edges {
		out[e.SourceArn] = append(out[e.SourceArn], e)
		in[e.DestinationArn] = append(in[e.DestinationArn], e)
	}
	queue := []string{start}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, e := range out[cur] {
			if _, ok := level[e.DestinationArn]; !ok {
				level[e.DestinationArn] = level[cur] + 1
				queue = append(queue, e.DestinationArn)
			}
		}
		for _, e := range in[cur] {
			if _, ok := level[e.SourceArn]; !ok {
				level[e.SourceArn] = level[cur] - 1
				queue = append(queue, e.SourceArn)
			}
		}
	}
	top, bottom := 0, 0
	for _, l := range level {
		top, bottom = min(top, l), max(bottom, l)
	}
	g := &graph{}
	rows := make([][]*node, bottom-top+1)
	byARN := map[string]*node{}
	for _, vx := range vertices {
		l, ok := level[vx.Arn]
		if !ok {
			continue // reached through an edge the page did not read
		}
		name := vx.Name
		kind := vx.LineageType
		if vx.Type != "" {
			kind += " · " + vx.Type
		}
		if vx.Foreign {
			kind += " · " + vx.Account
		}
		n := &node{Name: vx.Arn, Type: vx.LineageType, Label: shorten(name, maxText), W: nodeW, H: nodeH, layer: l - top}
		if vx.Arn != start {
			n.Href = href(vx.Arn)
		} else {
			n.Status = "Start"
		}
		n.detail = shorten(kind, maxText+4)
		rows[n.layer] = append(rows[n.layer], n)
		byARN[vx.Arn] = n
		g.Nodes = append(g.Nodes, n)
	}
	widest := 1
	for _, row := range rows {
		widest = max(widest, len(row))
	}
	for l, row := range rows {
		offset := (widest - len(row)) * (nodeW + gapX) / 2
		for i, n := range row {
			n.X, n.Y = margin+offset+i*(nodeW+gapX), margin+l*(nodeH+gapY)
			n.TextX = n.X + 10
		}
	}
	g.Width = 2*margin + widest*(nodeW+gapX) - gapX
	g.Height = 2*margin + len(rows)*(nodeH+gapY) - gapY
	for _, e := range edges {
		from, to := byARN[e.SourceArn], byARN[e.DestinationArn]
		if from == nil || to == nil {
			continue
		}
		g.Edges = append(g.Edges, curve(from, to, "lineage", e.AssociationType))
	}
	return g
}
