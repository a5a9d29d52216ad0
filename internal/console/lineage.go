package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
)

// maxLineageVertices bounds what one lineage page draws (QueryLineage pages by 50).
const maxLineageVertices = 500

// lineageNodeH is the height of a lineage entity's box: a third line names its account.
const lineageNodeH = nodeH + 16

// maxExpanded bounds how many entities one lineage page expands in place.
const maxExpanded = 10

type lineageVertex struct {
	Arn, Type, LineageType string
	Name                   string
	Account                string
	Foreign                bool
	// Expanded marks an entity whose own neighbourhood the page adds to the graph.
	Expanded bool
	// CentreURL centres the graph on the entity; ToggleURL expands or collapses it in place.
	CentreURL, ToggleURL string
}

// maxNamed bounds how many vertices a page describes for their names.
const maxNamed = 100

// describeEntity returns an entity's name — or, for the entities SageMaker records by
// itself, which have none, its source — and its type, through its Describe operation as
// the session's principal; "" when it cannot be read.
func (c *Console) describeEntity(r *http.Request, s *session, arn, lineageType string) (name, typ string) {
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
		return "", ""
	}
	var out struct {
		ArtifactName, ActionName, ContextName, TrialComponentName, DisplayName string
		ArtifactType, ActionType, ContextType                                  string
		Source                                                                 struct{ SourceUri, SourceArn, SourceType string }
	}
	if err := c.call(r.Context(), r, s, "sagemaker", op, map[string]any{member: arn}, &out); err != nil {
		return "", ""
	}
	typ = out.ArtifactType + out.ActionType + out.ContextType
	if lineageType == "TrialComponent" {
		typ = out.Source.SourceType
	}
	for _, name := range []string{out.ArtifactName, out.ActionName, out.ContextName, out.DisplayName, out.TrialComponentName,
		out.Source.SourceUri, out.Source.SourceArn} {
		if name != "" {
			return name, typ
		}
	}
	return "", typ
}

type lineageEdge struct {
	SourceArn, DestinationArn, AssociationType string
}

type lineageView struct {
	// Asked is the ARN the page was opened with; ARN the lineage entity the graph starts
	// from (the same, or the entity SageMaker records for a job or a model package).
	Asked, ARN string
	// StartNote says how Asked led to ARN ("" when they are the same).
	StartNote  string
	StartName  string
	Direction  string
	Depth      int
	Expand     []string
	Graph      *graph
	Vertices   []lineageVertex
	Truncated  bool
	Directions []string
	// ExpandErrors are the expansions the API refused, with its message.
	ExpandErrors []string
}

// url is the address of this page with another start and set of expanded entities.
func (v *lineageView) url(start string, expand []string) string {
	q := url.Values{"arn": {start}, "direction": {v.Direction}, "depth": {strconv.Itoa(v.Depth)}}
	if len(expand) > 0 {
		q["expand"] = expand
	}
	return Prefix + "lineage?" + q.Encode()
}

// lineage draws the neighbourhood of a lineage entity from QueryLineage: the direction and
// depth in the URL; each entity can be expanded in place (its own neighbourhood joins the
// graph, the expanded entities kept in the URL) or made the centre; entities of other
// accounts — reached where a share of their lineage group allows — labelled with their
// account. A job or a model package starts from the entity SageMaker records for it.
func (c *Console) lineage(w http.ResponseWriter, r *http.Request, s *session) error {
	q := r.URL.Query()
	v := lineageView{Asked: strings.TrimSpace(q.Get("arn")), Direction: q.Get("direction"), Depth: 2,
		Directions: []string{"Both", "Ascendants", "Descendants"}}
	if v.Direction != "Ascendants" && v.Direction != "Descendants" {
		v.Direction = "Both"
	}
	if d, err := strconv.Atoi(q.Get("depth")); err == nil && d >= 1 && d <= 10 {
		v.Depth = d
	}
	for _, e := range q["expand"] {
		if e = strings.TrimSpace(e); e != "" && !slices.Contains(v.Expand, e) && len(v.Expand) < maxExpanded {
			v.Expand = append(v.Expand, e)
		}
	}
	if v.Asked == "" {
		c.render(w, http.StatusOK, "lineage", s, v)
		return nil
	}
	var err error
	if v.ARN, v.StartNote, err = c.lineageStart(r, s, v.Asked); err != nil {
		return err
	}
	vertices := []lineageVertex{{Arn: v.ARN, LineageType: lineageTypeOf(v.ARN)}}
	seen := map[string]bool{v.ARN: true}
	var edges []lineageEdge
	add := func(vs []lineageVertex, es []lineageEdge) {
		for _, vx := range vs {
			if !seen[vx.Arn] {
				seen[vx.Arn] = true
				vertices = append(vertices, vx)
			}
		}
		edges = append(edges, es...)
	}
	vs, es, truncated, err := c.queryLineage(r, s, v.ARN, v.Direction, v.Depth, maxLineageVertices)
	if err != nil {
		return err
	}
	add(vs, es)
	v.Truncated = truncated
	// Each expanded entity on the graph adds its neighbours one association away, both
	// ways (an expansion may bring the next one onto the graph). A refused expansion (the
	// share has ended, the entity is gone) is noted, not fatal.
	pending := slices.Clone(v.Expand)
	for progress := true; progress && len(pending) > 0; {
		progress = false
		for i := 0; i < len(pending); i++ {
			e := pending[i]
			if !seen[e] {
				continue
			}
			pending = slices.Delete(pending, i, i+1)
			i--
			progress = true
			if len(vertices) >= maxLineageVertices {
				v.Truncated = true
				continue
			}
			vs, es, truncated, err := c.queryLineage(r, s, e, "Both", 1, maxLineageVertices-len(vertices))
			if err != nil {
				msg, err := awsMessage(err)
				if err != nil {
					return err
				}
				v.ExpandErrors = append(v.ExpandErrors, e+": "+msg)
				continue
			}
			add(vs, es)
			v.Truncated = v.Truncated || truncated
		}
	}
	// Edges read twice (from the start and from an expansion) are drawn once.
	edges = slices.CompactFunc(sortedEdges(edges), func(a, b lineageEdge) bool { return a == b })
	for i := range vertices {
		vx := &vertices[i]
		vx.Account = accountOf(vx.Arn)
		vx.Foreign = vx.Account != s.principal.Account
		vx.Expanded = slices.Contains(v.Expand, vx.Arn)
		if i < maxNamed {
			name, typ := c.describeEntity(r, s, vx.Arn, vx.LineageType)
			vx.Name = name
			if vx.Type == "" {
				vx.Type = typ
			}
		}
		if vx.Name == "" {
			vx.Name = vx.Arn[strings.LastIndexByte(vx.Arn, '/')+1:]
		}
		vx.CentreURL = v.url(vx.Arn, nil)
		if vx.Expanded {
			vx.ToggleURL = v.url(v.Asked, slices.DeleteFunc(slices.Clone(v.Expand), func(e string) bool { return e == vx.Arn }))
		} else if len(v.Expand) < maxExpanded {
			vx.ToggleURL = v.url(v.Asked, append(slices.Clone(v.Expand), vx.Arn))
		}
	}
	v.StartName = vertices[0].Name
	v.Vertices = vertices
	v.Graph = layoutLineage(v.ARN, vertices, edges)
	c.render(w, http.StatusOK, "lineage", s, v)
	return nil
}

// queryLineage reads the neighbourhood of one entity from QueryLineage, page by page, up to
// limit vertices.
func (c *Console) queryLineage(r *http.Request, s *session, start, direction string, depth, limit int) ([]lineageVertex, []lineageEdge, bool, error) {
	var vertices []lineageVertex
	var edges []lineageEdge
	token := ""
	for {
		in := map[string]any{"StartArns": []string{start}, "Direction": direction, "IncludeEdges": true,
			"MaxDepth": depth, "MaxResults": 50}
		if token != "" {
			in["NextToken"] = token
		}
		var out struct {
			Vertices  []lineageVertex
			Edges     []lineageEdge
			NextToken string
		}
		if err := c.call(r.Context(), r, s, "sagemaker", "QueryLineage", in, &out); err != nil {
			return nil, nil, false, err
		}
		vertices = append(vertices, out.Vertices...)
		edges = append(edges, out.Edges...)
		if token = out.NextToken; token == "" {
			return vertices, edges, false, nil
		}
		if len(vertices) >= limit {
			return vertices, edges, true, nil
		}
	}
}

func sortedEdges(edges []lineageEdge) []lineageEdge {
	slices.SortFunc(edges, func(a, b lineageEdge) int {
		if c := strings.Compare(a.SourceArn, b.SourceArn); c != 0 {
			return c
		}
		if c := strings.Compare(a.DestinationArn, b.DestinationArn); c != 0 {
			return c
		}
		return strings.Compare(a.AssociationType, b.AssociationType)
	})
	return edges
}

// jobLineageKinds are the jobs SageMaker records a trial component for, named
// <job>-aws-<kind>.
var jobLineageKinds = map[string]bool{"training-job": true, "processing-job": true, "transform-job": true}

// lineageStart resolves what a person asked the lineage of to the entity QueryLineage
// starts from: a lineage entity is its own start; a job starts from the trial component
// SageMaker records for it; a model package from its artifact, a model package group from
// its context. Each is read through the API as the session's principal, so what the
// principal may not see is denied as the API denies it.
func (c *Console) lineageStart(r *http.Request, s *session, asked string) (start, note string, err error) {
	kind, name, prefix := splitSageMakerARN(asked)
	switch {
	case kind == "artifact" || kind == "action" || kind == "context" || kind == "experiment-trial-component":
		return asked, "", nil
	case jobLineageKinds[kind]:
		// The job first: what the principal may not see, or what does not exist, is answered
		// as the job's Describe answers it, not as its trial component's.
		if _, err := c.describeJob(r, s, asked); err != nil {
			return "", "", err
		}
		var tc struct{ TrialComponentArn string }
		ref := prefix + "experiment-trial-component/" + name + "-aws-" + kind
		if err := c.call(r.Context(), r, s, "sagemaker", "DescribeTrialComponent", map[string]any{"TrialComponentName": ref}, &tc); err != nil {
			return "", "", err
		}
		return tc.TrialComponentArn, "the trial component SageMaker records for the " + strings.ReplaceAll(kind, "-", " ") + " " + name, nil
	case kind == "model-package" || kind == "model-package-group":
		describe, member, list, what := "DescribeModelPackage", "ModelPackageName", "ListArtifacts", "artifact"
		if kind == "model-package-group" {
			describe, member, list, what = "DescribeModelPackageGroup", "ModelPackageGroupName", "ListContexts", "context"
		}
		var pkg struct{ ModelPackageArn, ModelPackageGroupArn string }
		if err := c.call(r.Context(), r, s, "sagemaker", describe, map[string]any{member: asked}, &pkg); err != nil {
			return "", "", err
		}
		source := pkg.ModelPackageArn + pkg.ModelPackageGroupArn
		var found struct {
			ArtifactSummaries []struct{ ArtifactArn string }
			ContextSummaries  []struct{ ContextArn string }
		}
		if err := c.call(r.Context(), r, s, "sagemaker", list, map[string]any{"SourceUri": source, "MaxResults": 1}, &found); err != nil {
			return "", "", err
		}
		for _, a := range found.ArtifactSummaries {
			return a.ArtifactArn, "the artifact SageMaker records for the model package", nil
		}
		for _, ctx := range found.ContextSummaries {
			return ctx.ContextArn, "the context SageMaker records for the model package group", nil
		}
		msg := "No lineage " + what + " of " + source + " is in your account"
		if accountOf(source) != s.principal.Account {
			msg += "; the lineage of another account's model package starts from its " + what + "'s ARN"
		}
		return "", "", operation.Errorf(http.StatusBadRequest, "ValidationException", "%s.", msg)
	}
	return "", "", operation.Errorf(http.StatusBadRequest, "ValidationException",
		"Lineage starts from the ARN of an artifact, action, context, trial component, job or model package; %q is none of them.", asked)
}

// splitSageMakerARN returns the resource type and name of a SageMaker ARN, and the ARN up to
// the resource ("arn:aws:sagemaker:REGION:ACCOUNT:"); "" for anything else.
func splitSageMakerARN(s string) (kind, name, prefix string) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "sagemaker" {
		return "", "", ""
	}
	kind, name, _ = strings.Cut(parts[5], "/")
	return kind, name, strings.Join(parts[:5], ":") + ":"
}

// lineageTypeOf names the lineage type of an entity's ARN.
func lineageTypeOf(arn string) string {
	kind, _, _ := splitSageMakerARN(arn)
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
// association away) and what derives from it below, each row in the order reached. Each
// entity links to the page with it expanded in place (or collapsed, when it is).
func layoutLineage(start string, vertices []lineageVertex, edges []lineageEdge) *graph {
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
	g := &graph{Label: "Lineage entities and their associations"}
	rows := make([][]*node, bottom-top+1)
	byARN := map[string]*node{}
	for _, vx := range vertices {
		l, ok := level[vx.Arn]
		if !ok {
			continue // reached through an edge the page did not read
		}
		kind := vx.LineageType
		if vx.Type != "" {
			kind += " · " + vx.Type
		}
		n := &node{Name: vx.Arn, Type: vx.LineageType, Label: shortenSource(vx.Name, maxText), W: nodeW, H: lineageNodeH, layer: l - top,
			Href: vx.ToggleURL, account: vx.Account}
		if vx.Foreign {
			n.account += " shared"
		}
		switch {
		case vx.Arn == start:
			n.Status = "Start"
		case vx.Expanded:
			n.Status = "Expanded"
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
			n.X, n.Y = margin+offset+i*(nodeW+gapX), margin+l*(lineageNodeH+gapY)
			n.TextX = n.X + 10
		}
	}
	g.Width = 2*margin + widest*(nodeW+gapX) - gapX
	g.Height = 2*margin + len(rows)*(lineageNodeH+gapY) - gapY
	for _, e := range edges {
		from, to := byARN[e.SourceArn], byARN[e.DestinationArn]
		if from == nil || to == nil {
			continue
		}
		g.Edges = append(g.Edges, curve(from, to, "lineage", e.AssociationType))
	}
	return g
}

// shortenSource shortens a label to n characters; a path (a URI, an ARN, an image) keeps
// its end, which says more than its scheme, bucket or registry.
func shortenSource(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || !strings.Contains(s, "/") {
		return shorten(s, n)
	}
	return "…" + string(r[len(r)-n+1:])
}
