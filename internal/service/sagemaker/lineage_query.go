package sagemaker

import (
	"cmp"
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// QueryLineage walks the graph breadth first from its start ARNs, a level (one
// association) at a time, reading each level's edges and vertices from the store by index:
// the graph is never loaded. Vertices come back in the order (depth, ARN); the start
// vertices are not among them. Filters choose the vertices returned, and the walk passes
// through the others. Another account's vertex is walked through and returned only when its
// account's lineage group lets the caller query it; SameAs associations are walked in both
// directions whatever the query's direction. A NextToken names the last vertex returned by
// its depth and ARN, so it stays valid while the graph changes: the next page starts after
// that position in the graph as it is then.

func (s *Service) queryOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[QueryLineageInput, QueryLineageOutput]{
			Name: "QueryLineage", Access: s.queryLineageAccess, Handler: s.queryLineage}),
	}
}

// QueryLineageInput asks for the entities reachable from StartArns.
type QueryLineageInput struct {
	StartArns    []string      `max:"10" memberMax:"256" memberPattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial-component|artifact|action|context)/.*"`
	Direction    *string       `enum:"Both,Ascendants,Descendants"`
	IncludeEdges bool          `json:",omitempty"`
	Filters      *QueryFilters `json:",omitempty"`
	MaxDepth     *int          `max:"10"`
	MaxResults   *int          `max:"50"`
	NextToken    *string       `max:"8192"`
}

// QueryFilters choose the vertices a query returns.
type QueryFilters struct {
	Types          []string `max:"5" memberMax:"40"`
	LineageTypes   []string `max:"4" memberEnum:"TrialComponent,Artifact,Context,Action"`
	CreatedBefore  *operation.Timestamp
	CreatedAfter   *operation.Timestamp
	ModifiedBefore *operation.Timestamp
	ModifiedAfter  *operation.Timestamp
	Properties     map[string]string `max:"5" keyMax:"256" valueMax:"256"`
}

// Vertex is an entity a query returns.
type Vertex struct {
	Arn         string
	Type        string `json:",omitempty"`
	LineageType string
}

// Edge is an association a query returns.
type Edge struct {
	SourceArn       string
	DestinationArn  string
	AssociationType string
}

// QueryLineageOutput is one page of a query.
type QueryLineageOutput struct {
	Vertices  []Vertex
	Edges     []Edge
	NextToken *string `json:",omitempty"`
}

// Validate asks for a start.
func (in *QueryLineageInput) Validate() error {
	if len(in.StartArns) == 0 {
		return validation("StartArns must contain at least one ARN.")
	}
	return nil
}

func (s *Service) queryLineageAccess(ctx context.Context, in *QueryLineageInput) (*operation.Access, error) {
	access := &operation.Access{}
	err := s.store.View(ctx, func(tx txn) error {
		for _, start := range in.StartArns {
			res, err := s.lineageResource(tx, s.refLineage(ctx, "", start))
			if err != nil {
				return err
			}
			access.Resources = append(access.Resources, res)
		}
		return nil
	})
	return access, err
}

// queryBatch is how many vertices of a level a query reads at a time.
const queryBatch = 64

// position is a vertex's place in a query's order.
type position struct {
	depth int
	arn   string
}

func (p position) after(q position) bool {
	return cmp.Or(cmp.Compare(p.depth, q.depth), strings.Compare(p.arn, q.arn)) > 0
}

func encodeQueryToken(p position) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(p.depth) + " " + p.arn))
}

func decodeQueryToken(token string) (position, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return position{}, false
	}
	d, a, ok := strings.Cut(string(raw), " ")
	depth, err := strconv.Atoi(d)
	if !ok || err != nil || depth < 1 || depth > 10 || !strings.HasPrefix(a, "arn:") {
		return position{}, false
	}
	return position{depth, a}, true
}

// walk is one query's traversal.
type walk struct {
	s       *Service
	ctx     context.Context
	tx      txn
	in      *QueryLineageInput
	own     string
	visible map[string]bool // accounts other than the caller's, by whether they may be queried
	depth   map[string]int  // every vertex reached, with its depth
	// parents are the associations by which each vertex was first reached (from the level
	// before it).
	parents map[string][]*store.LineageAssociation
}

// canSee reports whether the caller may query the vertices of arn's account.
func (w *walk) canSee(vertex string) (bool, error) {
	account := arn.Account(vertex)
	if account == w.own {
		return true, nil
	}
	if ok, known := w.visible[account]; known {
		return ok, nil
	}
	ok, err := w.s.mayQuery(w.ctx, w.tx, account)
	if err != nil {
		return false, err
	}
	w.visible[account] = ok
	return ok, nil
}

// next reads the level after frontier (the vertices at depth-1): the vertices one
// association away that were not reached before, in ARN order.
func (w *walk) next(frontier []string, depth int, direction string) ([]string, error) {
	var level []string
	for _, outgoing := range []bool{true, false} {
		edges, err := w.tx.LineageEdges(frontier, outgoing)
		if err != nil {
			return nil, err
		}
		for _, e := range edges {
			// SameAs joins two records of the same data: walked both ways.
			if e.Type != "SameAs" && direction != "Both" && outgoing != (direction == "Descendants") {
				continue
			}
			to := e.DestinationARN
			if !outgoing {
				to = e.SourceARN
			}
			d, seen := w.depth[to]
			if seen && d < depth {
				continue
			}
			if !seen {
				see, err := w.canSee(to)
				if err != nil {
					return nil, err
				}
				if !see {
					continue
				}
				w.depth[to] = depth
				level = append(level, to)
			}
			w.parents[to] = append(w.parents[to], e)
		}
	}
	slices.Sort(level)
	return level, nil
}

// matches reports whether a vertex passes the query's filters.
func (f *QueryFilters) matches(e *store.LineageEntity) bool {
	if f == nil {
		return true
	}
	if len(f.Types) > 0 && !slices.Contains(f.Types, e.Type) || len(f.LineageTypes) > 0 && !slices.Contains(f.LineageTypes, e.Kind) {
		return false
	}
	if !within(e.CreatedAt, f.CreatedAfter, f.CreatedBefore) || !within(e.LastModifiedAt, f.ModifiedAfter, f.ModifiedBefore) {
		return false
	}
	if len(f.Properties) == 0 {
		return true
	}
	for k, v := range f.Properties {
		if got, ok := e.Properties[k]; ok && got == v {
			return true
		}
	}
	return false
}

// isVertex reports whether an entity is one of the four kinds QueryLineage returns.
func isVertex(e *store.LineageEntity) bool {
	switch e.Kind {
	case store.LineageArtifact, store.LineageAction, store.LineageContext, store.LineageTrialComponent:
		return true
	}
	return false
}

func vertexOf(e *store.LineageEntity) Vertex {
	return Vertex{Arn: e.ARN, Type: e.Type, LineageType: e.Kind}
}

func (s *Service) queryLineage(ctx context.Context, in *QueryLineageInput) (*QueryLineageOutput, error) {
	direction, maxDepth, limit := deref(in.Direction, "Both"), 10, 50
	if in.MaxDepth != nil {
		maxDepth = *in.MaxDepth
	}
	if in.MaxResults != nil && *in.MaxResults > 0 {
		limit = *in.MaxResults
	}
	var from position
	if in.NextToken != nil && *in.NextToken != "" {
		p, ok := decodeQueryToken(*in.NextToken)
		if !ok {
			return nil, validation("Invalid pagination token %q.", *in.NextToken)
		}
		from = p
	}
	out := &QueryLineageOutput{Vertices: []Vertex{}, Edges: []Edge{}}
	err := s.store.View(ctx, func(tx txn) error {
		w := &walk{s: s, ctx: ctx, tx: tx, in: in, own: caller(ctx).Account, visible: map[string]bool{},
			depth: map[string]int{}, parents: map[string][]*store.LineageAssociation{}}
		var frontier []string
		for _, start := range in.StartArns {
			ref := s.refLineage(ctx, "", start)
			e, err := tx.LineageEntity(ref.arn)
			if err != nil {
				return notFound("%s does not exist.", ref.arn)
			}
			if _, ok := w.depth[e.ARN]; !ok {
				w.depth[e.ARN] = 0
				frontier = append(frontier, e.ARN)
			}
		}
		var found []*store.LineageEntity
		var last position
		for depth := 1; depth <= maxDepth && len(frontier) > 0 && len(found) <= limit; depth++ {
			level, err := w.next(frontier, depth, direction)
			if err != nil {
				return err
			}
			frontier = level
			if depth < from.depth {
				continue // before the page: walked, never read
			}
			var candidates []string
			for _, a := range level {
				if (position{depth, a}).after(from) {
					candidates = append(candidates, a)
				}
			}
			// Read in ARN order, a batch at a time, until the page (and one more, for the
			// token) is full.
			for lo := 0; lo < len(candidates) && len(found) <= limit; lo += queryBatch {
				entities, err := tx.LineageEntities(candidates[lo:min(lo+queryBatch, len(candidates))])
				if err != nil {
					return err
				}
				for _, e := range entities {
					if isVertex(e) && in.Filters.matches(e) && len(found) <= limit {
						found = append(found, e)
						if len(found) <= limit {
							last = position{depth, e.ARN}
						}
					}
				}
			}
		}
		if len(found) > limit {
			found = found[:limit]
			token := encodeQueryToken(last)
			out.NextToken = &token
		}
		for _, e := range found {
			out.Vertices = append(out.Vertices, vertexOf(e))
		}
		if in.IncludeEdges {
			return s.pathsOf(w, found, out)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pathsOf adds to out the associations by which the walk reached the returned vertices,
// back to the start, and the vertices on those paths that the filters left out.
func (s *Service) pathsOf(w *walk, found []*store.LineageEntity, out *QueryLineageOutput) error {
	seenEdge := map[[2]string]bool{}
	inOut := map[string]bool{}
	for _, v := range out.Vertices {
		inOut[v.Arn] = true
	}
	var extra []string
	queue := make([]string, 0, len(found))
	for _, e := range found {
		queue = append(queue, e.ARN)
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range w.parents[v] {
			key := [2]string{e.SourceARN, e.DestinationARN}
			if seenEdge[key] {
				continue
			}
			seenEdge[key] = true
			out.Edges = append(out.Edges, Edge{SourceArn: e.SourceARN, DestinationArn: e.DestinationARN, AssociationType: e.Type})
			parent := e.SourceARN
			if parent == v {
				parent = e.DestinationARN
			}
			if w.depth[parent] > 0 && !inOut[parent] {
				inOut[parent] = true
				extra = append(extra, parent)
				queue = append(queue, parent)
			}
		}
	}
	entities, err := w.tx.LineageEntities(extra)
	if err != nil {
		return err
	}
	for _, e := range entities {
		if isVertex(e) {
			out.Vertices = append(out.Vertices, vertexOf(e))
		}
	}
	return nil
}
