// Package auth turns a signed request into the principal that made it: it looks up the
// access key, has sigv4 verify the signature, and resolves the key's owner.
package auth

import (
	"context"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
)

// Kind is the kind of principal.
type Kind int

// Principal kinds.
const (
	Anonymous Kind = iota
	Root
	User
	AssumedRole
	Service
)

func (k Kind) String() string {
	switch k {
	case Root:
		return "Account"
	case User:
		return "User"
	case AssumedRole:
		return "AssumedRole"
	case Service:
		return "AWSService"
	}
	return "Anonymous"
}

// Principal is who made a request.
type Principal struct {
	Kind Kind
	// Account is the 12-digit account the principal belongs to.
	Account string
	// ARN is the principal's ARN: arn:aws:iam::<acct>:root, …:user/<path><name>,
	// arn:aws:sts::<acct>:assumed-role/<role>/<session>.
	ARN string
	// UserID is the unique ID AWS reports in GetCallerIdentity (the account ID for root).
	UserID string
	// Name is the user name or the role name.
	Name string
	// AccessKeyID is the key that signed the request.
	AccessKeyID string

	// Path is an IAM user's or role's path ("/" by default).
	Path string
	// RoleARN is, for a role session, the role's ARN with its path.
	RoleARN string
	// SessionName is a role session's name.
	SessionName string
	// Tags are the principal's tags: an IAM user's tags, or a session's role tags
	// overridden by its session tags (aws:PrincipalTag/<key>).
	Tags map[string]string
	// TransitiveTagKeys are the session tags that pass on when this session assumes
	// another role.
	TransitiveTagKeys []string
	// SessionPolicy and SessionPolicyARNs are the session policies of a role session.
	SessionPolicy     string
	SessionPolicyARNs []string
	// SourceIdentity is the session's source identity (sts:SourceIdentity).
	SourceIdentity string
	// Chained marks a session created by another role session.
	Chained bool
	// UserSession marks the temporary credentials GetSessionToken gave a user or an
	// account's root user: the principal is that user, but its credentials may not call
	// IAM (Cairn has no MFA devices, so no session is MFA-authenticated) and may call no
	// STS operation but AssumeRole and GetCallerIdentity.
	UserSession bool
	// Expires is when temporary credentials stop working (zero for long-term keys).
	Expires time.Time
	// CalledVia lists the services that made this request on the principal's behalf
	// (aws:CalledVia), outermost first.
	CalledVia []string
}

// ServicePrincipal is an AWS service acting for itself, as sagemaker.amazonaws.com does
// when it assumes a pipeline's execution role.
func ServicePrincipal(name string) *Principal {
	return &Principal{Kind: Service, ARN: name, UserID: name, Name: name}
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal of the request, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// RootARN is the ARN of an account's root user.
func RootARN(account string) string { return arn.Root(account) }
