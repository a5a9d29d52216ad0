package policy

// DecisionKind is the outcome of an evaluation. The zero value is
// ImplicitlyDenied, so an unset decision denies.
type DecisionKind uint8

// Decision kinds.
const (
	ImplicitlyDenied DecisionKind = iota
	Allowed
	ExplicitlyDenied
)

// String returns "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied".
func (k DecisionKind) String() string {
	switch k {
	case Allowed:
		return "Allowed"
	case ExplicitlyDenied:
		return "ExplicitlyDenied"
	}
	return "ImplicitlyDenied"
}

// StatementRef names a statement that matched a request.
type StatementRef struct {
	// PolicyID is the NamedPolicy.ID of the policy holding the statement.
	PolicyID string
	// Type is the slot of Inputs the policy came from (a trust policy in
	// Inputs.Resource is ResourceBased).
	Type PolicyType
	// Index is the position of the statement in the policy.
	Index int
	// Statement is the statement itself; its Sid and Effect say what it is.
	Statement *Statement
}

// maxMatched bounds the statements a Decision records.
const maxMatched = 16

// Decision is the result of [Evaluate].
type Decision struct {
	// Allowed is true when the request is allowed (Kind == Allowed).
	Allowed bool
	// Kind says whether the request is allowed, implicitly denied (nothing
	// allowed it) or explicitly denied (a Deny statement matched).
	Kind DecisionKind
	// PolicyType says which kind of policy decided: for an explicit deny
	// the policy holding the Deny; for an implicit deny the kind of policy
	// that failed to allow; for an allow the kind that granted
	// (ResourceBased or IdentityBased), or 0 for an account root user in
	// its own account, whom nothing needs to allow.
	PolicyType PolicyType

	matched [maxMatched]StatementRef
	n       uint8
	rule    awsRule // a rule of AWS's own that decided, if any
}

// Matched returns the statements that matched: for an explicit deny, the
// Deny statement; otherwise the first allowing statement of each kind of
// policy (and of each level of SCPs and RCPs) that was consulted. At most
// 16 are kept.
func (d *Decision) Matched() []StatementRef {
	return d.matched[:d.n]
}

func (d *Decision) add(r StatementRef) {
	if int(d.n) < maxMatched {
		d.matched[d.n] = r
		d.n++
	}
}

// article returns the policy type with "a" or "an" before it.
func article(t PolicyType) string {
	if t == 0 {
		t = IdentityBased
	}
	if t == TrustPolicy {
		t = ResourceBased
	}
	if t == IdentityBased {
		return "an " + t.String()
	}
	return "a " + t.String()
}

// Reason returns the clause that explains the decision as AWS words it:
// "because no identity-based policy allows the s3:GetObject action",
// "with an explicit deny in a service control policy", and for an allowed
// request "allowed by an identity-based policy".
func (d *Decision) Reason(action string) string {
	if d.rule != ruleNone {
		return d.rule.reason(action)
	}
	t := d.PolicyType
	if t == TrustPolicy {
		t = ResourceBased
	}
	switch d.Kind {
	case Allowed:
		if t == 0 {
			return "allowed because the account root user acts in its own account"
		}
		return "allowed by " + article(t)
	case ExplicitlyDenied:
		return "with an explicit deny in " + article(t)
	}
	if t == 0 {
		t = IdentityBased
	}
	return "because no " + t.String() + " allows the " + action + " action"
}

// Message returns the AccessDenied message AWS gives for a denied request:
//
//	User: arn:aws:iam::111122223333:user/bob is not authorized to perform:
//	s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based
//	policy allows the s3:GetObject action
//
// (on one line). For an allowed request it returns "".
func (d *Decision) Message(action, resource, principalARN string) string {
	if d.Kind == Allowed {
		return ""
	}
	return "User: " + principalARN + " is not authorized to perform: " + action +
		" on resource: " + resource + " " + d.Reason(action)
}
