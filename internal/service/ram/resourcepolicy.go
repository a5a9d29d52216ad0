package ram

import (
	"encoding/json"
	"sort"
	"strconv"
)

// A shared resource carries one resource-based policy: for every active share that holds
// it, the share's permission for the resource's type bound to the share's principals and
// to the resource (and what sharing it covers). The authorizer evaluates it like any
// resource policy, so a share grants exactly what its policy says and nothing beside it.
//
// Principals inside the organization get statements conditioned on aws:PrincipalOrgID or
// aws:PrincipalOrgPaths, evaluated at request time: an account that leaves the
// organization, or moves out of a shared OU, loses what it got that way with no rewrite.

// grant is what one share gives on one resource.
type grant struct {
	Share string
	// Actions and Condition come from the share's permission for the resource's type.
	Actions   []string
	Condition map[string]map[string]json.RawMessage
	// Direct principals (account IDs, role and user ARNs) hold accepted invitations.
	Direct []string
	// Members are principals of the organization that needed no invitation: they keep
	// access only while in the organization.
	Members []string
	// Organization grants every principal of the organization.
	Organization bool
	// OUPaths grant the principals under these OUs ("o-…/r-…/ou-…/").
	OUPaths []string
	// OrgID is the organization the member and OU grants are bound to.
	OrgID string
}

// empty reports whether the grant reaches nobody.
func (g *grant) empty() bool {
	return len(g.Direct) == 0 && len(g.Members) == 0 && !g.Organization && len(g.OUPaths) == 0
}

// policyDocument is a resource policy as RAM writes it.
type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string                                `json:"Sid"`
	Effect    string                                `json:"Effect"`
	Principal map[string]any                        `json:"Principal"`
	Action    []string                              `json:"Action"`
	Resource  []string                              `json:"Resource"`
	Condition map[string]map[string]json.RawMessage `json:"Condition,omitempty"`
}

// renderPolicy writes the policy of a resource from the grants of its shares, in share
// order; nil when no grant reaches anyone. resources are the ARNs the policy covers.
func renderPolicy(resources []string, grants []grant) []byte {
	sort.SliceStable(grants, func(i, j int) bool { return grants[i].Share < grants[j].Share })
	doc := policyDocument{Version: "2012-10-17"}
	add := func(g *grant, principal any, extra map[string]map[string]json.RawMessage) {
		st := policyStatement{Effect: "Allow", Principal: map[string]any{"AWS": principal},
			Action: g.Actions, Resource: resources, Condition: mergeConditions(g.Condition, extra)}
		doc.Statement = append(doc.Statement, st)
	}
	for i := range grants {
		g := &grants[i]
		if g.empty() || len(g.Actions) == 0 {
			continue
		}
		if len(g.Direct) > 0 {
			add(g, principalValue(g.Direct), nil)
		}
		if len(g.Members) > 0 {
			add(g, principalValue(g.Members), condition("StringEquals", "aws:PrincipalOrgID", g.OrgID))
		}
		if g.Organization {
			add(g, "*", condition("StringEquals", "aws:PrincipalOrgID", g.OrgID))
		}
		if len(g.OUPaths) > 0 {
			patterns := make([]string, len(g.OUPaths))
			for i, p := range g.OUPaths {
				patterns[i] = p + "*"
			}
			add(g, "*", condition("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", patterns...))
		}
	}
	if len(doc.Statement) == 0 {
		return nil
	}
	for i := range doc.Statement {
		doc.Statement[i].Sid = "RamStatement" + strconv.Itoa(i+1)
	}
	out, _ := json.Marshal(doc)
	return out
}

// principalValue is one principal as a string, several as a sorted list.
func principalValue(ids []string) any {
	if len(ids) == 1 {
		return ids[0]
	}
	out := append([]string(nil), ids...)
	sort.Strings(out)
	return out
}

// condition is a condition block with one key.
func condition(op, key string, values ...string) map[string]map[string]json.RawMessage {
	var v any = values
	if len(values) == 1 {
		v = values[0]
	}
	raw, _ := json.Marshal(v)
	return map[string]map[string]json.RawMessage{op: {key: raw}}
}

// mergeConditions joins a template's conditions with RAM's own. Templates may not use the
// keys RAM sets, so the two never name the same key.
func mergeConditions(a, b map[string]map[string]json.RawMessage) map[string]map[string]json.RawMessage {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	out := map[string]map[string]json.RawMessage{}
	for _, m := range []map[string]map[string]json.RawMessage{a, b} {
		for op, keys := range m {
			if out[op] == nil {
				out[op] = map[string]json.RawMessage{}
			}
			for k, v := range keys {
				out[op][k] = v
			}
		}
	}
	return out
}
