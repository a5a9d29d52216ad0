package sigv4

// A Code classifies an [Error]. The protocol layers map codes to the
// error shapes of their wire protocols; callers must compare codes, never
// error text.
type Code string

// Error codes. The string values are stable and match the constant names.
const (
	// MissingAuthentication: the request carries neither an Authorization
	// header nor an X-Amz-Algorithm query parameter.
	MissingAuthentication Code = "MissingAuthentication"

	// AmbiguousAuthentication: the request carries both an Authorization
	// header and an X-Amz-Algorithm query parameter.
	AmbiguousAuthentication Code = "AmbiguousAuthentication"

	// UnsupportedAlgorithm: the request is signed with an algorithm other
	// than AWS4-HMAC-SHA256 (for example SigV2 or SigV4a).
	UnsupportedAlgorithm Code = "UnsupportedAlgorithm"

	// IncompleteSignature: the Authorization header or the presigning query
	// parameters are malformed or lack a required part, or a header that
	// must be signed is not.
	IncompleteSignature Code = "IncompleteSignature"

	// SignatureDoesNotMatch: the signature (of the request, of a chunk or
	// of a trailer) is not the one computed with the secret key.
	SignatureDoesNotMatch Code = "SignatureDoesNotMatch"

	// RequestTimeTooSkewed: the request time is too far from the clock.
	RequestTimeTooSkewed Code = "RequestTimeTooSkewed"

	// RequestExpired: a presigned request is used after it expired.
	RequestExpired Code = "RequestExpired"

	// ContentSHA256Mismatch: the x-amz-content-sha256 header is not the
	// SHA-256 of the body.
	ContentSHA256Mismatch Code = "ContentSHA256Mismatch"

	// InvalidContentSHA256: the x-amz-content-sha256 header is required but
	// absent, or holds a value that names no known payload kind.
	InvalidContentSHA256 Code = "InvalidContentSHA256"

	// InvalidChunk: an aws-chunked body is not well formed.
	InvalidChunk Code = "InvalidChunk"

	// IncompleteBody: an aws-chunked body ends early, or its decoded length
	// differs from X-Amz-Decoded-Content-Length.
	IncompleteBody Code = "IncompleteBody"
)

// An Error reports why a request failed authentication. Functions in this
// package return errors of type *Error for authentication failures; other
// errors (for example from reading the request body) are passed through
// unchanged. Messages never contain secrets.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string {
	return "sigv4: " + string(e.Code) + ": " + e.Message
}

func newError(code Code, msg string) *Error {
	return &Error{Code: code, Message: msg}
}

// Messages shared by several call sites, worded as AWS words them.
const (
	msgSignatureDoesNotMatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgContentSHA256Mismatch = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgIncompleteBody        = "The request body terminated unexpectedly."
)

func errSignatureDoesNotMatch() *Error {
	return newError(SignatureDoesNotMatch, msgSignatureDoesNotMatch)
}
