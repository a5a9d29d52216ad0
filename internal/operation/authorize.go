package operation

import (
	"context"
	"errors"
	"fmt"
)

// A handler that finds resources as it runs — a search over what other accounts share with
// the caller — decides which of them the caller may see with the same authorizer, and in the
// same service, as the request itself: Allowed.

// authorizing is the authorizer and service an operation runs under.
type authorizing struct {
	authz Authorizer
	svc   *Service
}

type authorizingKey struct{}

// withAuthorizing returns ctx carrying the authorizer and service of the operation it runs.
func withAuthorizing(ctx context.Context, authz Authorizer, svc *Service) context.Context {
	return context.WithValue(ctx, authorizingKey{}, authorizing{authz: authz, svc: svc})
}

// Allowed reports whether access is allowed, decided as the request in ctx is: by the
// authorizer its operation runs under, for the same principal. A denial is false with a nil
// error; an error means authorization itself failed. An operation run without an authorizer
// (Service.Run with nil: its caller has decided) allows everything; outside an operation,
// Allowed refuses with an error.
func Allowed(ctx context.Context, access *Access) (bool, error) {
	a, ok := ctx.Value(authorizingKey{}).(authorizing)
	if !ok {
		return false, errors.New("operation: Allowed called outside an operation")
	}
	if access.Action == "" {
		return false, fmt.Errorf("operation: Allowed needs an action")
	}
	if a.authz == nil {
		return true, nil
	}
	err := a.authz.Authorize(ctx, a.svc, access)
	var e *Error
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &e) && e.Code == a.svc.AccessDeniedCode:
		return false, nil
	}
	return false, err
}
