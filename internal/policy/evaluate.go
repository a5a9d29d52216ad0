package policy

// Request is what a principal asks to do.
type Request struct {
	// Principal is who asks.
	Principal Principal
	// Action is "service:Operation", such as "s3:GetObject"; it matches
	// without case.
	Action string
	// Resource is the resource's ARN, or "*" (or "") for actions that
	// take no resource.
	Resource string
	// ResourceAccount is the account that owns the resource; "" means the
	// principal's own account (or that no account owns it). A different
	// account makes the request cross-account.
	ResourceAccount string
	// Context holds the condition keys. Evaluate reads it as given: set
	// the principal's keys with [Context.AddPrincipalKeys] and the request
	// time (aws:CurrentTime, aws:EpochTime) yourself. nil is empty.
	Context *Context
}

// NamedPolicy is a policy with the identifier a Decision reports for it,
// such as a managed policy ARN or "inline:user/bob/Policy1".
type NamedPolicy struct {
	ID     string
	Policy *Policy
}

// Inputs holds every policy that applies to a request.
type Inputs struct {
	// Identity holds the principal's identity-based policies: inline,
	// attached managed, and those of its groups. For a session, the
	// role's policies.
	Identity []NamedPolicy
	// Resource is the resource-based policy (for sts:AssumeRole, the
	// role's trust policy), or nil.
	Resource *NamedPolicy
	// ResourceRequired says the resource-based policy must allow the
	// principal whatever its other policies say, even in its own account
	// and for an account's root user: a role's trust policy for
	// sts:AssumeRole.
	ResourceRequired bool
	// Boundary holds the documents of the principal's permissions
	// boundary; an Allow in any of them counts. Empty means no boundary.
	Boundary []NamedPolicy
	// Session holds the session policies (inline and managed) of a
	// session; an Allow in any of them counts. Empty means none.
	Session []NamedPolicy
	// SCPs holds the service control policies attached at each level from
	// the organization root down to the principal's account. nil means
	// no organization, or the management account.
	SCPs [][]NamedPolicy
	// RCPs holds the resource control policies attached at each level
	// from the organization root down to the resource's account. nil
	// means none apply (no organization, the management account, or a
	// service RCPs do not cover).
	RCPs [][]NamedPolicy
}

// Evaluate decides req against the policies in in, following the
// evaluation logic of AWS (see the package documentation). It is safe for
// concurrent use and does not allocate (short of a pattern holding more
// than 16 wildcards and policy variables).
//
// A few rules of AWS's own come last: sts:GetCallerIdentity is allowed to
// every authenticated principal even when a policy denies it, and AWS
// managed policies and service-linked roles cannot be changed, deleted or
// passed by anyone (an implicit deny, or the explicit deny a policy gave).
func Evaluate(req *Request, in *Inputs) Decision {
	var d Decision
	evaluate(req, in, &d)
	ruleFor(req).apply(&d)
	return d
}

func evaluate(req *Request, in *Inputs, d *Decision) {
	e := evaluator{req: req, ctx: req.Context, d: d, resource: req.Resource, svcBit: actionServiceBit(req.Action)}
	if e.resource == "" {
		e.resource = "*"
	}
	p := &req.Principal
	iam := false   // an IAM principal of an account
	hasID := false // identity-based policies, boundaries and session policies apply
	switch p.Type {
	case PrincipalRoot:
		iam = true
	case PrincipalUser, PrincipalAssumedRole, PrincipalRole, PrincipalFederatedUser:
		iam, hasID = true, true
	}
	e.boundaryQuirk = hasID && p.Type != PrincipalFederatedUser && len(in.Boundary) > 0

	// Explicit denies in every applicable policy first: one is final.
	// Allows are gathered on the way.
	scpOK, rcpOK := true, true
	if in.SCPs != nil && iam && !p.ServiceLinked {
		for _, level := range in.SCPs {
			allowed, denied := e.scan(level, ServiceControlPolicy)
			if denied {
				return
			}
			scpOK = scpOK && allowed
		}
	}
	if in.RCPs != nil && !p.ServiceLinked {
		for _, level := range in.RCPs {
			allowed, denied := e.scan(level, ResourceControlPolicy)
			if denied {
				return
			}
			rcpOK = rcpOK && allowed
		}
	}
	res := pmNone
	if in.Resource != nil {
		var denied bool
		res, denied = e.scanResource(in.Resource)
		if denied {
			return
		}
	}
	var idOK, boundaryOK, sessionOK bool
	if hasID {
		var denied bool
		if idOK, denied = e.scan(in.Identity, IdentityBased); denied {
			return
		}
		if boundaryOK, denied = e.scan(in.Boundary, PermissionsBoundary); denied {
			return
		}
		if sessionOK, denied = e.scan(in.Session, SessionPolicy); denied {
			return
		}
	}

	// Organization guardrails.
	if !rcpOK {
		d.deny(ResourceControlPolicy)
		return
	}
	if !scpOK {
		d.deny(ServiceControlPolicy)
		return
	}
	if in.ResourceRequired && res == pmNone {
		d.deny(ResourceBased)
		return
	}

	// Principals with no identity of their own in an account: services,
	// identity providers' users, anonymous callers. Only a resource-based
	// policy can grant.
	if !iam {
		if res != pmNone {
			d.allow(ResourceBased)
			return
		}
		d.deny(ResourceBased)
		return
	}

	cross := req.ResourceAccount != "" && req.ResourceAccount != p.Account
	if p.Type == PrincipalRoot {
		if !cross {
			d.allow(0)
			return
		}
		if res != pmNone {
			d.allow(ResourceBased)
			return
		}
		d.deny(ResourceBased)
		return
	}

	if cross {
		// Both sides must allow: the resource's account through its
		// resource-based policy, the principal's through its own policies.
		if res == pmNone {
			d.deny(ResourceBased)
			return
		}
		if !idOK {
			d.deny(IdentityBased)
			return
		}
		if len(in.Boundary) > 0 && !boundaryOK {
			d.deny(PermissionsBoundary)
			return
		}
		if len(in.Session) > 0 && !sessionOK {
			d.deny(SessionPolicy)
			return
		}
		d.allow(ResourceBased)
		return
	}

	// Same account. A resource-based policy naming the principal itself
	// grants alone, past boundaries and session policies; one naming the
	// role of a session counts as an identity-based grant; one naming the
	// account adds nothing.
	if res == pmDirect {
		d.allow(ResourceBased)
		return
	}
	granted := IdentityBased
	if !idOK {
		if res != pmRole {
			d.deny(IdentityBased)
			return
		}
		granted = ResourceBased
	}
	if len(in.Boundary) > 0 && !boundaryOK {
		d.deny(PermissionsBoundary)
		return
	}
	if len(in.Session) > 0 && !sessionOK {
		d.deny(SessionPolicy)
		return
	}
	d.allow(granted)
}

func (d *Decision) allow(t PolicyType) {
	d.Allowed, d.Kind, d.PolicyType = true, Allowed, t
}

func (d *Decision) deny(t PolicyType) {
	d.Allowed, d.Kind, d.PolicyType = false, ImplicitlyDenied, t
}

// evaluator holds the state of one evaluation.
type evaluator struct {
	req      *Request
	ctx      *Context
	resource string
	svcBit   uint64 // actionServiceBit of the action
	d        *Decision
	// boundaryQuirk: a NotPrincipal Deny applies to every IAM user and
	// role session that has a permissions boundary, whatever it names.
	boundaryQuirk bool
}

// scan evaluates a set of policies of one type. It reports whether a
// statement allowed, and whether one denied — in which case the decision
// is already an explicit deny.
func (e *evaluator) scan(pols []NamedPolicy, typ PolicyType) (allowed, denied bool) {
	for pi := range pols {
		np := &pols[pi]
		if np.Policy == nil {
			continue
		}
		stmts := np.Policy.Statements
		for si := range stmts {
			st := &stmts[si]
			if st.Effect == Allow && allowed || st.svcMask&e.svcBit == 0 {
				continue
			}
			if e.applies(st) == pmNone {
				continue
			}
			ref := StatementRef{PolicyID: np.ID, Type: typ, Index: si, Statement: st}
			if st.Effect == Deny {
				e.explicitDeny(ref)
				return allowed, true
			}
			allowed = true
			e.d.add(ref)
		}
	}
	return allowed, false
}

// scanResource evaluates the resource-based policy. It returns the
// strongest way an Allow statement named the principal.
func (e *evaluator) scanResource(np *NamedPolicy) (best principalMatch, denied bool) {
	if np.Policy == nil {
		return pmNone, false
	}
	stmts := np.Policy.Statements
	for si := range stmts {
		st := &stmts[si]
		if st.Effect == Allow && best == pmDirect {
			continue
		}
		m := e.applies(st)
		if m == pmNone {
			continue
		}
		ref := StatementRef{PolicyID: np.ID, Type: ResourceBased, Index: si, Statement: st}
		if st.Effect == Deny {
			e.explicitDeny(ref)
			return best, true
		}
		if m > best {
			best = m
			e.d.add(ref)
		}
	}
	return best, false
}

func (e *evaluator) explicitDeny(ref StatementRef) {
	d := e.d
	d.n = 0
	d.add(ref)
	d.Allowed, d.Kind, d.PolicyType = false, ExplicitlyDenied, ref.Type
}

// applies reports whether st applies to the request and, for a statement
// with a Principal, how it names the principal (pmDirect when it has
// none).
func (e *evaluator) applies(st *Statement) principalMatch {
	if st.svcMask&e.svcBit == 0 {
		return pmNone
	}
	if matchActions(st.actions, e.req.Action) == st.NotAction {
		return pmNone
	}
	if st.Resources != nil && matchList(st.resources, e.resource, false, e.ctx, st.NotResource) != matched {
		return pmNone
	}
	m := pmDirect
	if ps := st.principals; ps != nil {
		switch {
		case st.NotPrincipal && st.Effect == Allow:
			// Every principal but those it names in any way, anonymous
			// callers included: discouraged, and valid.
			if ps.match(&e.req.Principal) != pmNone {
				return pmNone
			}
		case st.NotPrincipal:
			if ps.excludes(&e.req.Principal) && !e.boundaryQuirk {
				return pmNone
			}
		default:
			if m = ps.match(&e.req.Principal); m == pmNone {
				return pmNone
			}
		}
	}
	for i := range st.conditions {
		if !st.conditions[i].eval(e.ctx) {
			return pmNone
		}
	}
	return m
}

// matchActions reports whether one of the Action patterns matches action,
// without case.
func matchActions(pats []pattern, action string) bool {
	for i := range pats {
		p := &pats[i]
		switch p.kind {
		case patAll:
			return true
		case patPrefix:
			if hasPrefix(action, p.lit, true) {
				return true
			}
		case patExact:
			if len(action) == len(p.lit) && hasPrefix(action, p.lit, true) {
				return true
			}
		default:
			if p.match(action, true, nil) == matched {
				return true
			}
		}
	}
	return false
}

// matchList matches s against a list of patterns: matched when one
// matches. With not (NotAction, NotResource) it is matched when none
// does. A policy variable that does not resolve never makes the list
// match: it is no match under Resource, and it voids NotResource.
func matchList(pats []pattern, s string, fold bool, ctx *Context, not bool) result {
	res := noMatch
	for i := range pats {
		switch pats[i].match(s, fold, ctx) {
		case matched:
			if not {
				return noMatch
			}
			return matched
		case unresolved:
			res = unresolved
		}
	}
	if not && res == noMatch {
		return matched
	}
	return noMatch
}
