package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"
)

// A Simulation is a request and its policies read from the JSON document
// of `cairn iam simulate`:
//
//	{"request": {"principal": "arn:aws:iam::111111111111:role/r",
//	             "action": "s3:GetObject",
//	             "resource": "arn:aws:s3:::bucket/key",
//	             "resourceAccount": "222222222222",
//	             "context": {"aws:SourceIp": "10.1.2.3", "aws:TagKeys": ["a", "b"]}},
//	 "identityPolicies": [{...}],
//	 "resourcePolicy": {...},
//	 "permissionsBoundaries": [{...}],
//	 "sessionPolicy": {...},
//	 "serviceControlPolicies": [[{...}], [{...}]],
//	 "resourceControlPolicies": [[{...}]]}
//
// The principal's type and account come from its ARN (see
// [ParsePrincipal]); "roleArn" gives a session's role ARN with its path
// and "serviceLinked" marks a service-linked role. resourceAccount
// defaults to the account field of the resource ARN. Context values are
// strings, numbers, booleans or lists (multi-valued keys); the keys that
// follow from the principal are added where absent. A policy may be given
// as a JSON object or as a string holding one. A resourcePolicy without
// Resource elements is read as a trust policy. "sessionPolicies" may list
// more session policies (PolicyArns). For sts:AssumeRole (and its SAML and
// web identity forms) the resourcePolicy is the role's trust policy, which
// must allow the caller even in the role's own account: without one the
// role cannot be assumed. The SCP and RCP lists hold the
// policies attached at each level from the organization root down to the
// account; leaving them out means no organization (or the management
// account).
type Simulation struct {
	Request Request
	Inputs  Inputs
}

type simulationDoc struct {
	Request struct {
		Principal       string                     `json:"principal"`
		RoleARN         string                     `json:"roleArn"`
		ServiceLinked   bool                       `json:"serviceLinked"`
		Action          string                     `json:"action"`
		Resource        string                     `json:"resource"`
		ResourceAccount *string                    `json:"resourceAccount"`
		Context         map[string]json.RawMessage `json:"context"`
	} `json:"request"`
	IdentityPolicies        []json.RawMessage   `json:"identityPolicies"`
	ResourcePolicy          json.RawMessage     `json:"resourcePolicy"`
	PermissionsBoundaries   []json.RawMessage   `json:"permissionsBoundaries"`
	SessionPolicy           json.RawMessage     `json:"sessionPolicy"`
	SessionPolicies         []json.RawMessage   `json:"sessionPolicies"`
	ServiceControlPolicies  [][]json.RawMessage `json:"serviceControlPolicies"`
	ResourceControlPolicies [][]json.RawMessage `json:"resourceControlPolicies"`
}

// ParseSimulation reads a simulation document. An error names the part at
// fault, such as "identityPolicies[1]: Invalid effect: Alow"; errors.As
// finds the [*Error] of a malformed policy.
func ParseSimulation(data []byte) (*Simulation, error) {
	var doc simulationDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("simulation input: %w", err)
	}
	r := doc.Request
	if r.Action == "" {
		return nil, fmt.Errorf("simulation input: request.action is required")
	}
	p, err := ParsePrincipal(r.Principal)
	if err != nil {
		return nil, fmt.Errorf("request.principal: %w", err)
	}
	if r.RoleARN != "" {
		p.RoleARN = r.RoleARN
	}
	p.ServiceLinked = p.ServiceLinked || r.ServiceLinked
	s := &Simulation{Request: Request{Principal: p, Action: r.Action, Resource: r.Resource}}
	if s.Request.Resource == "" {
		s.Request.Resource = "*"
	}
	if r.ResourceAccount != nil {
		s.Request.ResourceAccount = *r.ResourceAccount
	} else {
		s.Request.ResourceAccount = arnAccount(s.Request.Resource)
	}
	ctx := &Context{}
	for k, raw := range r.Context {
		if err := setContextJSON(ctx, k, raw); err != nil {
			return nil, fmt.Errorf("request.context[%q]: %w", k, err)
		}
	}
	ctx.AddPrincipalKeys(p)
	s.Request.Context = ctx

	in := &s.Inputs
	if in.Identity, err = parseNamed(doc.IdentityPolicies, "identityPolicies", IdentityBased); err != nil {
		return nil, err
	}
	if isPresent(doc.ResourcePolicy) {
		pol, err := parseResourcePolicy(doc.ResourcePolicy)
		if err != nil {
			return nil, fmt.Errorf("resourcePolicy: %w", err)
		}
		in.Resource = &NamedPolicy{ID: "resourcePolicy", Policy: pol}
	}
	// Assuming a role needs its trust policy, in the role's own account too.
	in.ResourceRequired = assumesRole(r.Action)
	if in.Boundary, err = parseNamed(doc.PermissionsBoundaries, "permissionsBoundaries", PermissionsBoundary); err != nil {
		return nil, err
	}
	if isPresent(doc.SessionPolicy) {
		pol, err := parseDocument(doc.SessionPolicy, SessionPolicy)
		if err != nil {
			return nil, fmt.Errorf("sessionPolicy: %w", err)
		}
		in.Session = append(in.Session, NamedPolicy{ID: "sessionPolicy", Policy: pol})
	}
	more, err := parseNamed(doc.SessionPolicies, "sessionPolicies", SessionPolicy)
	if err != nil {
		return nil, err
	}
	in.Session = append(in.Session, more...)
	if doc.ServiceControlPolicies != nil {
		in.SCPs = make([][]NamedPolicy, len(doc.ServiceControlPolicies))
		for i, level := range doc.ServiceControlPolicies {
			if in.SCPs[i], err = parseNamed(level, fmt.Sprintf("serviceControlPolicies[%d]", i), ServiceControlPolicy); err != nil {
				return nil, err
			}
		}
	}
	if doc.ResourceControlPolicies != nil {
		in.RCPs = make([][]NamedPolicy, len(doc.ResourceControlPolicies))
		for i, level := range doc.ResourceControlPolicies {
			if in.RCPs[i], err = parseNamed(level, fmt.Sprintf("resourceControlPolicies[%d]", i), ResourceControlPolicy); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// SimulationResult is the outcome of a simulation, as `cairn iam simulate`
// prints it.
type SimulationResult struct {
	Decision          string             `json:"decision"`
	Reason            string             `json:"reason"`
	MatchedStatements []MatchedStatement `json:"matchedStatements"`
}

// MatchedStatement names a statement of a SimulationResult.
type MatchedStatement struct {
	Policy    string `json:"policy"`
	Statement int    `json:"statement"`
	Sid       string `json:"sid,omitempty"`
	Effect    string `json:"effect"`
}

// Run evaluates the simulation.
func (s *Simulation) Run() SimulationResult {
	d := Evaluate(&s.Request, &s.Inputs)
	out := SimulationResult{Decision: d.Kind.String(), MatchedStatements: []MatchedStatement{}}
	if d.Allowed {
		out.Reason = d.Reason(s.Request.Action)
	} else {
		out.Reason = d.Message(s.Request.Action, s.Request.Resource, s.Request.Principal.ARN)
	}
	for _, m := range d.Matched() {
		out.MatchedStatements = append(out.MatchedStatements, MatchedStatement{
			Policy: m.PolicyID, Statement: m.Index, Sid: m.Statement.Sid, Effect: m.Statement.Effect.String(),
		})
	}
	return out
}

func parseNamed(raws []json.RawMessage, name string, typ PolicyType) ([]NamedPolicy, error) {
	if raws == nil {
		return nil, nil
	}
	out := make([]NamedPolicy, 0, len(raws))
	for i, raw := range raws {
		id := fmt.Sprintf("%s[%d]", name, i)
		pol, err := parseDocument(raw, typ)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		out = append(out, NamedPolicy{ID: id, Policy: pol})
	}
	return out, nil
}

// parseDocument parses a policy given as a JSON object or as a string
// holding one.
func parseDocument(raw json.RawMessage, typ PolicyType) (*Policy, error) {
	doc := []byte(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		doc = []byte(s)
	}
	return ParseWithOptions(doc, Options{Type: typ})
}

// parseResourcePolicy parses a resource-based policy, or a trust policy
// when the document has no Resource.
func parseResourcePolicy(raw json.RawMessage) (*Policy, error) {
	pol, err := parseDocument(raw, ResourceBased)
	if e, ok := err.(*Error); ok && e.Message == msgNeedResources {
		if trust, err2 := parseDocument(raw, TrustPolicy); err2 == nil {
			return trust, nil
		}
	}
	return pol, err
}

// assumesRole reports whether action assumes a role, which the role's trust
// policy must allow whatever the caller's own policies say.
func assumesRole(action string) bool {
	for _, a := range [...]string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"} {
		if strings.EqualFold(action, a) {
			return true
		}
	}
	return false
}

func isPresent(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}

func setContextJSON(ctx *Context, key string, raw json.RawMessage) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if list, ok := v.([]any); ok {
		values := make([]string, len(list))
		for i, e := range list {
			s, ok := scalarText(e)
			if !ok {
				return fmt.Errorf("values must be strings, numbers or booleans")
			}
			values[i] = s
		}
		ctx.SetMulti(key, values...)
		return nil
	}
	s, ok := scalarText(v)
	if !ok {
		return fmt.Errorf("a value must be a string, number, boolean or a list of them")
	}
	ctx.Set(key, s)
	return nil
}

// arnAccount returns the account field of an ARN when it is an account
// ID.
func arnAccount(s string) string {
	if a := arn.Account(s); isAccountID(a) {
		return a
	}
	return ""
}
