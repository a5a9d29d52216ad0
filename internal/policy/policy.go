package policy

// Version values of the policy language.
const (
	// Version2012 is the current policy language; only it resolves policy
	// variables.
	Version2012 = "2012-10-17"
	// Version2008 is the original policy language; "${...}" is literal text.
	Version2008 = "2008-10-17"
)

// Effect is the effect of a statement.
type Effect uint8

// Statement effects.
const (
	Allow Effect = iota + 1
	Deny
)

// String returns "Allow" or "Deny".
func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Effect(?)"
}

// PolicyType names a kind of policy. It selects the validation rules of
// [ParseWithOptions] and says, in a [Decision], which kind of policy
// decided.
type PolicyType uint8

// Policy types. TrustPolicy is a resource-based policy attached to a role;
// in a [Decision] it is reported as ResourceBased.
const (
	IdentityBased PolicyType = iota + 1
	ResourceBased
	TrustPolicy
	PermissionsBoundary
	SessionPolicy
	ServiceControlPolicy
	ResourceControlPolicy
)

// String returns the name AWS uses for the policy type in its messages,
// such as "identity-based policy" or "service control policy".
func (t PolicyType) String() string {
	switch t {
	case IdentityBased:
		return "identity-based policy"
	case ResourceBased:
		return "resource-based policy"
	case TrustPolicy:
		return "trust policy"
	case PermissionsBoundary:
		return "permissions boundary"
	case SessionPolicy:
		return "session policy"
	case ServiceControlPolicy:
		return "service control policy"
	case ResourceControlPolicy:
		return "resource control policy"
	}
	return "no policy"
}

// Policy is a parsed, validated and compiled policy document. It is
// immutable after [Parse] returns and safe for concurrent use; its exported
// fields are for reading only.
type Policy struct {
	// Version is the Version element, or "" when the document has none
	// (which means 2008-10-17).
	Version string
	// ID is the Id element.
	ID string
	// Statements holds the statements in document order.
	Statements []Statement
}

// Statement is one statement of a policy. Its exported fields hold the
// document's values as written; the compiled forms used by [Evaluate] are
// unexported. Treat them as read-only.
type Statement struct {
	Sid    string
	Effect Effect

	svcMask uint64 // serviceBit of every service Action names; all ones when any may match

	// Principal holds the Principal or, when NotPrincipal is true, the
	// NotPrincipal element; it is nil when the statement has neither.
	Principal    *Principals
	NotPrincipal bool

	// Actions holds Action or, when NotAction is true, NotAction.
	Actions   []string
	NotAction bool

	// Resources holds Resource or, when NotResource is true, NotResource;
	// it is nil when the statement has neither (trust policies).
	Resources   []string
	NotResource bool

	// Conditions holds the Condition element, one entry per operator and
	// key, sorted by operator then key.
	Conditions []Condition

	actions    []pattern
	resources  []pattern
	conditions []condition
	principals *principalSet
}

// Principals is the value of a Principal or NotPrincipal element.
type Principals struct {
	// All is true for "Principal": "*".
	All bool
	// AWS, Service, Federated and CanonicalUser hold the values listed
	// under those keys.
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// Condition is one operator and key of a Condition element with its values.
type Condition struct {
	// Operator is the operator as written, such as
	// "ForAnyValue:StringLikeIfExists".
	Operator string
	// Key is the condition key as written, such as "aws:PrincipalTag/team".
	Key string
	// Values holds the values; JSON numbers and booleans are given as text.
	Values []string
}
