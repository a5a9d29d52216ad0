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
	// SignatureVersion is how the request was signed, as S3's
	// s3:signatureversion key spells it: "AWS4-HMAC-SHA256", or "AWS" for
	// S3's Signature Version 2; "" for work done inside Cairn.
	SignatureVersion string
	// AuthType is where the signature was, as S3's s3:authType key spells
	// it: "REST-HEADER" or "REST-QUERY-STRING".
	AuthType string
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
