package operation

import (
	"context"
	"time"
)

// RequestInfo describes the request being served, for handlers and the authorizer.
type RequestInfo struct {
	ID        string
	Service   string
	Operation string
	Region    string
	Received  time.Time
	SourceIP  string
	Secure    bool
	UserAgent string
}

type requestInfoKey struct{}

// WithRequestInfo returns ctx carrying info.
func WithRequestInfo(ctx context.Context, info *RequestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, info)
}

// RequestInfoFrom returns the request being served, or nil outside a request.
func RequestInfoFrom(ctx context.Context) *RequestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*RequestInfo)
	return info
}
