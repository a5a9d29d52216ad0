package server

import (
	"context"
	"errors"
	"log/slog"

	"github.com/cairnhq/cairn/internal/operation"
)

// loggedAuthorizer logs, at INFO, every request its authorizer denies — a client's or
// one Cairn makes on a principal's behalf (a pipeline step, a job staging its inputs) —
// with who was denied what and which kind of policy decided.
type loggedAuthorizer struct {
	operation.Authorizer
	log *slog.Logger
}

var _ operation.Authorizer = loggedAuthorizer{}

// Authorize implements operation.Authorizer.
func (a loggedAuthorizer) Authorize(ctx context.Context, svc *operation.Service, access *operation.Access) error {
	err := a.Authorizer.Authorize(ctx, svc, access)
	var e *operation.Error
	if err != nil && errors.As(err, &e) && e.Denial != nil {
		attrs := []slog.Attr{slog.String("principal", e.Denial.Principal), slog.String("action", e.Denial.Action),
			slog.String("resource", e.Denial.Resource), slog.String("decision", e.Denial.Decision),
			slog.String("policy_type", e.Denial.PolicyType)}
		if info := operation.RequestInfoFrom(ctx); info != nil && info.ID != "" {
			attrs = append(attrs, slog.String("request_id", info.ID))
		}
		a.log.LogAttrs(ctx, slog.LevelInfo, "access denied", attrs...)
	}
	return err
}
