package iam

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// maxSimulations bounds the action × resource pairs one simulation evaluates.
const maxSimulations = 10000

func (s *Service) simulateOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[SimulatePrincipalPolicyInput, SimulatePolicyOutput]{
			Name: "SimulatePrincipalPolicy", Handler: s.simulatePrincipalPolicy,
			Access: func(ctx context.Context, in *SimulatePrincipalPolicyInput) (*operation.Access, error) {
				return newAccess(ctx, &entityInfo{arn: in.PolicySourceArn}), nil
			},
		}),
		operation.Declare(operation.Op[SimulateCustomPolicyInput, SimulatePolicyOutput]{
			Name: "SimulateCustomPolicy", Handler: s.simulateCustomPolicy, Access: anywhere[SimulateCustomPolicyInput],
		}),
	}
}

// ContextEntry is a condition key and its values for a simulation. Its name and type are
// pointers: the model requires neither, and a member a client left out is not checked.
type ContextEntry struct {
	ContextKeyName   *string `min:"5" max:"256"`
	ContextKeyValues []string
	ContextKeyType   *string `enum:"string,stringList,numeric,numericList,boolean,booleanList,ip,ipList,binary,binaryList,date,dateList"`
}

// simulationRequest holds the members both simulation operations share.
type simulationRequest struct {
	PermissionsBoundaryPolicyInputList []string
	ActionNames                        []string
	ResourceArns                       []string
	ResourcePolicy                     string
	ResourceOwner                      string
	CallerArn                          string
	ContextEntries                     []ContextEntry
	ResourceHandlingOption             string
	MaxItems                           *int32
	Marker                             string
}

// SimulatePrincipalPolicyInput simulates requests by a user, group or role with its
// policies.
type SimulatePrincipalPolicyInput struct {
	PolicySourceArn                    string   `required:"true" min:"20" max:"2048"`
	PolicyInputList                    []string `memberMin:"1" memberMax:"131072" memberPattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	PermissionsBoundaryPolicyInputList []string `memberMin:"1" memberMax:"131072" memberPattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	ActionNames                        []string `required:"true" memberMin:"3" memberMax:"128"`
	ResourceArns                       []string `memberMin:"1" memberMax:"2048"`
	ResourcePolicy                     string   `min:"1" max:"131072" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	ResourceOwner                      string   `min:"1" max:"2048"`
	CallerArn                          string   `min:"1" max:"2048"`
	ContextEntries                     []ContextEntry
	ResourceHandlingOption             string `min:"1" max:"64"`
	MaxItems                           *int32 `min:"1" max:"1000"`
	Marker                             string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
}

func (in *SimulatePrincipalPolicyInput) request() *simulationRequest {
	return &simulationRequest{PermissionsBoundaryPolicyInputList: in.PermissionsBoundaryPolicyInputList,
		ActionNames: in.ActionNames, ResourceArns: in.ResourceArns, ResourcePolicy: in.ResourcePolicy,
		ResourceOwner: in.ResourceOwner, CallerArn: in.CallerArn, ContextEntries: in.ContextEntries,
		ResourceHandlingOption: in.ResourceHandlingOption, MaxItems: in.MaxItems, Marker: in.Marker}
}

// SimulateCustomPolicyInput simulates requests against the given policies.
type SimulateCustomPolicyInput struct {
	PolicyInputList                    []string `required:"true" memberMin:"1" memberMax:"131072" memberPattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	PermissionsBoundaryPolicyInputList []string `memberMin:"1" memberMax:"131072" memberPattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	ActionNames                        []string `required:"true" memberMin:"3" memberMax:"128"`
	ResourceArns                       []string `memberMin:"1" memberMax:"2048"`
	ResourcePolicy                     string   `min:"1" max:"131072" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	ResourceOwner                      string   `min:"1" max:"2048"`
	CallerArn                          string   `min:"1" max:"2048"`
	ContextEntries                     []ContextEntry
	ResourceHandlingOption             string `min:"1" max:"64"`
	MaxItems                           *int32 `min:"1" max:"1000"`
	Marker                             string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
}

func (in *SimulateCustomPolicyInput) request() *simulationRequest {
	return &simulationRequest{PermissionsBoundaryPolicyInputList: in.PermissionsBoundaryPolicyInputList,
		ActionNames: in.ActionNames, ResourceArns: in.ResourceArns, ResourcePolicy: in.ResourcePolicy,
		ResourceOwner: in.ResourceOwner, CallerArn: in.CallerArn, ContextEntries: in.ContextEntries,
		ResourceHandlingOption: in.ResourceHandlingOption, MaxItems: in.MaxItems, Marker: in.Marker}
}

// Statement names a statement that decided a simulation.
type Statement struct {
	SourcePolicyId   string
	SourcePolicyType string
}

// PermissionsBoundaryDecisionDetail says whether the boundary allowed the action.
type PermissionsBoundaryDecisionDetail struct {
	AllowedByPermissionsBoundary bool
}

// EvaluationResult is the decision for one action on one resource.
type EvaluationResult struct {
	EvalActionName                    string
	EvalResourceName                  string
	EvalDecision                      string
	MatchedStatements                 members[Statement]
	MissingContextValues              members[string]
	PermissionsBoundaryDecisionDetail *PermissionsBoundaryDecisionDetail `xml:",omitempty"`
}

// SimulatePolicyOutput is one page of simulation results.
type SimulatePolicyOutput struct {
	EvaluationResults members[EvaluationResult]
	IsTruncated       bool
	Marker            string `xml:",omitempty"`
}

// simPolicy is a policy of a simulation with how the results name it.
type simPolicy struct {
	policy.NamedPolicy
	sourceID   string
	sourceType string
}

// simulation is everything a simulation evaluates.
type simulation struct {
	principal policy.Principal
	identity  []simPolicy
	boundary  []simPolicy
	resource  *simPolicy
}

func (s *Service) simulatePrincipalPolicy(ctx context.Context, in *SimulatePrincipalPolicyInput) (*SimulatePolicyOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	sim := &simulation{}
	src, err := arn.Parse(in.PolicySourceArn)
	if err != nil || src.Service != "iam" {
		return nil, invalidInput("Invalid ARN: %s.", in.PolicySourceArn)
	}
	typ, rest, _ := strings.Cut(src.Resource, "/")
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	kind := entityKindOf(typ)
	if kind == 0 || name == "" {
		return nil, invalidInput("PolicySourceArn %s must be the ARN of a user, group or role.", in.PolicySourceArn)
	}
	if src.Account != p.Account {
		return nil, noSuchEntityOf(kind, name)
	}
	err = s.view(ctx, func(tx txn) error {
		return s.loadPrincipalPolicies(tx, p.Account, kind, name, sim)
	})
	if err != nil {
		return nil, err
	}
	req := in.request()
	if err := sim.addInputs(in.PolicyInputList, req.PermissionsBoundaryPolicyInputList); err != nil {
		return nil, err
	}
	if req.CallerArn != "" {
		cp, err := policy.ParsePrincipal(req.CallerArn)
		if err != nil || cp.Type != policy.PrincipalUser {
			return nil, invalidInput("CallerArn %s must be the ARN of a user.", req.CallerArn)
		}
		sim.principal = cp
	} else if req.ResourcePolicy != "" && kind != store.EntityUser {
		return nil, invalidInput("CallerArn is required when a ResourcePolicy is given and PolicySourceArn is not a user.")
	}
	return s.runSimulation(ctx, sim, req)
}

func (s *Service) simulateCustomPolicy(ctx context.Context, in *SimulateCustomPolicyInput) (*SimulatePolicyOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	req := in.request()
	sim := &simulation{principal: policy.Principal{Type: policy.PrincipalUser, Account: p.Account,
		ARN: arn.User(p.Account, "/", "SimulatedUser")}}
	if req.CallerArn != "" {
		cp, err := policy.ParsePrincipal(req.CallerArn)
		if err != nil {
			return nil, invalidInput("CallerArn %s is not a valid principal ARN.", req.CallerArn)
		}
		sim.principal = cp
	}
	if err := sim.addInputs(in.PolicyInputList, req.PermissionsBoundaryPolicyInputList); err != nil {
		return nil, err
	}
	return s.runSimulation(ctx, sim, req)
}

// loadPrincipalPolicies reads the identity policies and boundary of a user, group or role.
func (s *Service) loadPrincipalPolicies(tx txn, account string, kind store.EntityKind, name string, sim *simulation) error {
	var set *store.IdentityPolicySet
	switch kind {
	case store.EntityUser:
		u, err := tx.User(account, name)
		if err != nil {
			return orNoSuch(err, kind, name)
		}
		sim.principal = policy.Principal{Type: policy.PrincipalUser, ARN: u.ARN(), Account: account}
		if set, err = tx.IdentityPolicies(account, store.PrincipalUser, u.Name); err != nil {
			return err
		}
	case store.EntityRole:
		r, err := tx.Role(account, name)
		if err != nil {
			return orNoSuch(err, kind, name)
		}
		sim.principal = policy.Principal{Type: policy.PrincipalRole, ARN: r.ARN(), RoleARN: r.ARN(), Account: account,
			ServiceLinked: strings.HasPrefix(r.Path, "/aws-service-role/")}
		if set, err = tx.IdentityPolicies(account, store.PrincipalRole, r.Name); err != nil {
			return err
		}
	case store.EntityGroup:
		g, err := tx.Group(account, name)
		if err != nil {
			return orNoSuch(err, kind, name)
		}
		sim.principal = policy.Principal{Type: policy.PrincipalUser, ARN: g.ARN(), Account: account}
		set = &store.IdentityPolicySet{}
		inline, err := tx.InlinePolicies(account, kind, g.Name)
		if err != nil {
			return err
		}
		for _, ip := range inline {
			set.Policies = append(set.Policies, store.PolicyDocument{ID: "group/" + g.Name + "/" + ip.Name, Document: ip.Document})
		}
		attached, err := tx.AttachedPolicies(account, kind, g.Name)
		if err != nil {
			return err
		}
		for _, mp := range attached {
			v, err := tx.PolicyVersion(mp.ARN, mp.DefaultVersionID)
			if err != nil {
				return err
			}
			set.Policies = append(set.Policies, store.PolicyDocument{ID: mp.ARN, Document: v.Document})
		}
	}
	for _, d := range set.Policies {
		sp, err := storedPolicy(d, policy.IdentityBased)
		if err != nil {
			return err
		}
		sim.identity = append(sim.identity, sp)
	}
	if set.Boundary != nil {
		sp, err := storedPolicy(*set.Boundary, policy.PermissionsBoundary)
		if err != nil {
			return err
		}
		sim.boundary = append(sim.boundary, sp)
	}
	return nil
}

// storedPolicy parses a stored document and names it as the simulator reports it: an
// inline policy by its name and the kind of its entity, a managed policy by its name and
// whether AWS or the account manages it.
func storedPolicy(d store.PolicyDocument, typ policy.PolicyType) (simPolicy, error) {
	pol, err := policy.ParseWithOptions([]byte(d.Document), policy.Options{Type: typ})
	if err != nil {
		return simPolicy{}, &operation.Error{Code: "PolicyEvaluation", Status: 500, Server: true,
			Message: "The stored policy " + d.ID + " could not be evaluated: " + err.Error()}
	}
	sp := simPolicy{NamedPolicy: policy.NamedPolicy{ID: d.ID, Policy: pol}, sourceID: d.ID[strings.LastIndexByte(d.ID, '/')+1:]}
	switch {
	case strings.HasPrefix(d.ID, "user/"):
		sp.sourceType = "user"
	case strings.HasPrefix(d.ID, "group/"):
		sp.sourceType = "group"
	case strings.HasPrefix(d.ID, "role/"):
		sp.sourceType = "role"
	case arn.Account(d.ID) == arn.AWSAccount:
		sp.sourceType = "aws-managed"
	default:
		sp.sourceType = "user-managed"
	}
	return sp, nil
}

// addInputs parses the policies a request supplies. Boundary inputs replace the
// principal's own boundary.
func (sim *simulation) addInputs(identity, boundary []string) error {
	for i, doc := range identity {
		id := "PolicyInputList." + strconv.Itoa(i+1)
		pol, err := parseDocument(doc, policy.IdentityBased)
		if err != nil {
			return err
		}
		sim.identity = append(sim.identity, simPolicy{NamedPolicy: policy.NamedPolicy{ID: id, Policy: pol}, sourceID: id, sourceType: "none"})
	}
	if len(boundary) > 0 {
		sim.boundary = nil
	}
	for i, doc := range boundary {
		id := "PermissionsBoundaryPolicyInputList." + strconv.Itoa(i+1)
		pol, err := parseDocument(doc, policy.PermissionsBoundary)
		if err != nil {
			return err
		}
		sim.boundary = append(sim.boundary, simPolicy{NamedPolicy: policy.NamedPolicy{ID: id, Policy: pol}, sourceID: id, sourceType: "none"})
	}
	return nil
}

// resourcePolicy parses a simulation's resource-based policy, or a role's trust policy
// when the document has no Resource.
func resourcePolicy(doc string) (*policy.Policy, error) {
	pol, err := policy.ParseWithOptions([]byte(doc), policy.Options{Type: policy.ResourceBased})
	if err == nil {
		return pol, nil
	}
	if trust, terr := policy.ParseWithOptions([]byte(doc), policy.Options{Type: policy.TrustPolicy}); terr == nil {
		return trust, nil
	}
	var pe *policy.Error
	if errors.As(err, &pe) {
		return nil, malformedPolicy(pe.Message)
	}
	return nil, malformedPolicy(err.Error())
}

// ownerAccount reads ResourceOwner: an account ID or an ARN naming one.
func ownerAccount(owner string) (string, error) {
	if arn.IsAccountID(owner) {
		return owner, nil
	}
	if a := arn.Account(owner); arn.IsAccountID(a) {
		return a, nil
	}
	return "", invalidInput("ResourceOwner %s is not an account ID or an ARN naming one.", owner)
}

// simContext builds the condition keys of a simulation from its ContextEntries.
func (s *Service) simContext(entries []ContextEntry, p policy.Principal) (*policy.Context, error) {
	c := &policy.Context{}
	for _, e := range entries {
		name, typ := deref(e.ContextKeyName), deref(e.ContextKeyType)
		if name == "" {
			return nil, invalidInput("A context entry has no ContextKeyName.")
		}
		if strings.HasSuffix(typ, "List") || len(e.ContextKeyValues) > 1 {
			c.SetMulti(name, e.ContextKeyValues...)
		} else if len(e.ContextKeyValues) == 1 {
			c.Set(name, e.ContextKeyValues[0])
		}
	}
	c.AddPrincipalKeys(p)
	now := s.now().UTC()
	c.SetDefault("aws:CurrentTime", now.Format("2006-01-02T15:04:05Z"))
	c.SetDefault("aws:EpochTime", strconv.FormatInt(now.Unix(), 10))
	return c, nil
}

func (s *Service) runSimulation(ctx context.Context, sim *simulation, req *simulationRequest) (*SimulatePolicyOutput, error) {
	sources := map[string]*simPolicy{}
	var in policy.Inputs
	for i := range sim.identity {
		in.Identity = append(in.Identity, sim.identity[i].NamedPolicy)
		sources[sim.identity[i].ID] = &sim.identity[i]
	}
	for i := range sim.boundary {
		in.Boundary = append(in.Boundary, sim.boundary[i].NamedPolicy)
		sources[sim.boundary[i].ID] = &sim.boundary[i]
	}
	if req.ResourcePolicy != "" {
		pol, err := resourcePolicy(req.ResourcePolicy)
		if err != nil {
			return nil, err
		}
		sim.resource = &simPolicy{NamedPolicy: policy.NamedPolicy{ID: "ResourcePolicy", Policy: pol}, sourceID: "ResourcePolicy", sourceType: "resource"}
		in.Resource = &sim.resource.NamedPolicy
		sources["ResourcePolicy"] = sim.resource
	}
	owner := sim.principal.Account
	if req.ResourceOwner != "" {
		var err error
		if owner, err = ownerAccount(req.ResourceOwner); err != nil {
			return nil, err
		}
	}
	if owner == "" {
		owner = callerAccount(ctx)
	}
	keys, err := s.simContext(req.ContextEntries, sim.principal)
	if err != nil {
		return nil, err
	}
	resources := req.ResourceArns
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	if len(req.ActionNames)*len(resources) > maxSimulations {
		return nil, invalidInput("A simulation can evaluate at most %d action and resource pairs.", maxSimulations)
	}
	var results []EvaluationResult
	for _, action := range req.ActionNames {
		for _, resource := range resources {
			account := owner
			if a := arn.Account(resource); arn.IsAccountID(a) {
				account = a
			}
			r := &policy.Request{Principal: sim.principal, Action: action, Resource: resource, ResourceAccount: account, Context: keys}
			d := policy.Evaluate(r, &in)
			res := EvaluationResult{EvalActionName: action, EvalResourceName: resource, EvalDecision: decisionName(d.Kind),
				MatchedStatements: members[Statement]{}, MissingContextValues: missingKeys(&in, action, keys)}
			for _, m := range d.Matched() {
				if src := sources[m.PolicyID]; src != nil {
					res.MatchedStatements = append(res.MatchedStatements, Statement{SourcePolicyId: src.sourceID, SourcePolicyType: src.sourceType})
				}
			}
			if len(in.Boundary) > 0 {
				bd := policy.Evaluate(r, &policy.Inputs{Identity: in.Boundary})
				res.PermissionsBoundaryDecisionDetail = &PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: bd.Allowed}
			}
			results = append(results, res)
		}
	}
	page, truncated, marker, err := pageSlice(results, req.Marker, req.MaxItems)
	if err != nil {
		return nil, err
	}
	return &SimulatePolicyOutput{EvaluationResults: append(members[EvaluationResult]{}, page...), IsTruncated: truncated, Marker: marker}, nil
}

func decisionName(k policy.DecisionKind) string {
	switch k {
	case policy.Allowed:
		return "allowed"
	case policy.ExplicitlyDenied:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// missingKeys lists the condition keys that statements applying to action use and the
// request does not supply.
func missingKeys(in *policy.Inputs, action string, keys *policy.Context) members[string] {
	seen := map[string]bool{}
	out := members[string]{}
	add := func(pols []policy.NamedPolicy) {
		for _, np := range pols {
			if np.Policy == nil {
				continue
			}
			for _, st := range np.Policy.Statements {
				if !statementCovers(&st, action) {
					continue
				}
				for _, c := range st.Conditions {
					lower := strings.ToLower(c.Key)
					if seen[lower] {
						continue
					}
					seen[lower] = true
					if _, ok := keys.Lookup(c.Key); !ok {
						out = append(out, c.Key)
					}
				}
			}
		}
	}
	add(in.Identity)
	add(in.Boundary)
	if in.Resource != nil {
		add([]policy.NamedPolicy{*in.Resource})
	}
	sort.Strings(out)
	return out
}

// statementCovers reports whether a statement's Action (or NotAction) takes in action.
func statementCovers(st *policy.Statement, action string) bool {
	matched := false
	for _, pat := range st.Actions {
		if globMatch(strings.ToLower(pat), strings.ToLower(action)) {
			matched = true
			break
		}
	}
	return matched != st.NotAction
}

// globMatch matches s against a pattern where * is any run of characters and ? any one.
func globMatch(pattern, s string) bool {
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && (pattern[px] == '?' || pattern[px] == s[sx]):
			px++
			sx++
		case px < len(pattern) && pattern[px] == '*':
			star, mark = px, sx
			px++
		case star >= 0:
			px = star + 1
			mark++
			sx = mark
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
