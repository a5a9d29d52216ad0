// Package policy implements the AWS IAM policy language: it parses and
// validates policy documents and decides requests against them with the
// evaluation logic of AWS.
//
// The package is pure: it does no I/O, reads no clock and keeps no mutable
// package state. Everything a decision depends on — the principal, the
// action, the resource, the condition keys (including aws:CurrentTime) and
// every applicable policy — comes in through [Request] and [Inputs].
//
// # Parsing
//
// [Parse] validates a document as an identity-based policy;
// [ParseWithOptions] validates it as another [PolicyType] (resource-based,
// trust, permissions boundary, session, SCP or RCP). A document that AWS
// would reject fails with an [*Error] whose message reads like the
// MalformedPolicyDocument message of IAM. A parsed [Policy] is immutable
// and safe for concurrent use; its patterns, numbers, dates, CIDRs and
// policy variables are compiled once, so evaluation allocates nothing.
//
// # Evaluating
//
// [Evaluate] takes a [Request] (who asks to do what, on which resource,
// with which condition keys) and the [Inputs] (every policy that applies)
// and returns a [Decision]:
//
//  1. An explicit Deny in any applicable policy is final.
//  2. Resource control policies (RCPs), when the resource is in a member
//     account of an organization: every level from the root down to the
//     resource's account must allow.
//  3. Service control policies (SCPs), when the principal is in a member
//     account: every level from the root down to the principal's account
//     must allow. SCPs do not apply to service principals; neither SCPs nor
//     RCPs apply to service-linked roles.
//  4. In the principal's own account, a resource-based policy that names
//     the principal itself grants on its own; one that names the role of a
//     session counts as an identity-based grant; one that names only the
//     account grants nothing by itself.
//  5. An identity-based policy must allow (the account root user needs
//     none in its own account).
//  6. A permissions boundary, when set, must allow.
//  7. A session policy, when present, must allow.
//
// With Inputs.ResourceRequired (a role's trust policy for sts:AssumeRole)
// the resource-based policy must allow the principal whatever else does,
// even the account's root user in its own account.
//
// Across accounts, the principal's side (identity-based policies, boundary,
// session policy, SCPs) and the resource's side (resource-based policy,
// RCPs) must both allow.
//
// Rules of AWS's own come last, whatever the policies say:
// sts:GetCallerIdentity is allowed to every authenticated principal, and
// AWS managed policies (arn:aws:iam::aws:policy/…), service-linked roles
// (path /aws-service-role/) and roles under /aws-reserved/ cannot be
// created, changed, deleted or passed by anyone — an implicit deny whose
// [Decision.Reason] says why, unless a policy denied explicitly.
//
// # Details AWS leaves open
//
// Where the AWS documentation does not say, the package decides so:
//
//   - In a same-account resource-based policy, "Principal": "*" (or
//     {"AWS": "*"}) names every principal itself: it grants alone, past an
//     implicit deny of a boundary or session policy, like a user's or a
//     session's own ARN.
//   - A Deny's NotPrincipal spares an IAM principal only when it lists every
//     identity of its chain: the account, the role of a session and the
//     principal itself; a role evaluated as itself is spared by its own
//     ARN. A NotPrincipal Deny applies to every user and role session that
//     has a permissions boundary, as AWS documents.
//   - An Allow's NotPrincipal (discouraged, but valid in resource-based
//     policies) grants every principal it does not name in any way: naming
//     the account or the role of a session leaves them out too.
//   - A policy variable that does not resolve makes its value match
//     nothing; it never makes NotResource or a negated operator true.
//   - A request value of the wrong type for a Numeric, Date, Bool or
//     IpAddress operator makes the condition false, negated or not.
//   - An ARN operator value with fewer than six parts is matched as one
//     string. BinaryEquals compares the request's base64 text.
//   - When several policies deny, the first found reports: SCPs, RCPs, the
//     resource-based policy, identity-based policies, the boundary, session
//     policies. When nothing denies, RCPs are checked before SCPs; across
//     accounts the resource-based policy before the principal's policies.
package policy
