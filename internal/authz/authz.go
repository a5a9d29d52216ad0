// Package authz decides whether a principal may perform an operation's access: it gathers
// what applies to the request and answers allow or the service's AccessDenied.
package authz

import (
	"context"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
)

// Authorizer enforces the account boundary: an account's root user may do anything in its
// own account, and nothing in another's. IAM principals and policies extend it.
type Authorizer struct{}

var _ awsproto.Authorizer = (*Authorizer)(nil)

// New returns an Authorizer.
func New() *Authorizer { return &Authorizer{} }

// Authorize implements awsproto.Authorizer.
func (a *Authorizer) Authorize(ctx context.Context, svc *awsproto.Service, access *awsproto.Access) error {
	p := auth.PrincipalFrom(ctx)
	if p == nil {
		return svc.AccessDenied("Access denied: the request is not authenticated.")
	}
	for _, r := range access.Resources {
		if p.Kind == auth.Root && (r.Account == "" || r.Account == p.Account) {
			continue
		}
		return svc.AccessDenied(DenialMessage(p.ARN, access.Action, r.ARN, "because no identity-based policy allows the "+access.Action+" action"))
	}
	return nil
}

// DenialMessage is AWS's wording of a denial.
func DenialMessage(principalARN, action, resource, because string) string {
	return "User: " + principalARN + " is not authorized to perform: " + action + " on resource: " + resource + " " + because
}
