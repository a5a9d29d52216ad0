package awsproto

import (
	"net/http"

	"github.com/cairnhq/cairn/internal/operation"
)

// AuthFailure is why a request could not be authenticated, before any protocol spells it.
type AuthFailure int

// The authentication failures a request can meet.
const (
	// MissingAuthentication: the request is not signed.
	MissingAuthentication AuthFailure = iota
	// UnknownAccessKey: no such access key.
	UnknownAccessKey
	// InvalidToken: the session token does not belong to the key.
	InvalidToken
	// ExpiredToken: the session has expired.
	ExpiredToken
	// SignatureDoesNotMatch: the signature is wrong (or scoped to another region).
	SignatureDoesNotMatch
	// RequestTimeTooSkewed: the signing time is too far from the server's clock.
	RequestTimeTooSkewed
	// RequestExpired: a presigned request is past its expiry.
	RequestExpired
	// ContentSHA256Mismatch: the body does not hash to the signed x-amz-content-sha256.
	ContentSHA256Mismatch
	// IncompleteSignature: the Authorization header or its algorithm is malformed.
	IncompleteSignature
	// AmbiguousAuthentication: the request is signed more than one way.
	AmbiguousAuthentication
	// InvalidContentSHA256: x-amz-content-sha256 is not a value SigV4 knows.
	InvalidContentSHA256
	// IncompleteBody: an aws-chunked body is malformed or ends early.
	IncompleteBody
)

// spelling is how one protocol writes one error: its code, status and, where the protocol
// has its own, its message.
type spelling struct {
	code    string
	status  int
	message string
}

// quirks is what one protocol does differently from the others, in one table per protocol
// rather than as conditions spread over the server.
type quirks struct {
	// accessDeniedStatus is the HTTP status of authorization failures.
	accessDeniedStatus int
	// auth spells each authentication failure; message "" keeps the failure's own.
	auth map[AuthFailure]spelling
	// errorCodeMembers, for the JSON protocols, names the members of an error body that
	// carry the error's code beside the X-Amzn-Errortype header. awsJson clients read
	// "__type"; restJson1 clients read the header first, then "code" (botocore,
	// aws-sdk-go) or "__type" (aws-sdk-go-v2), so restJson1 answers carry both.
	errorCodeMembers []string
}

const (
	tokenInvalid   = "The security token included in the request is invalid."
	tokenExpired   = "The security token included in the request is expired"
	tokenMissing   = "Request is missing Authentication Token"
	s3UnknownKey   = "The AWS Access Key Id you provided does not exist in our records."
	s3TimeSkewed   = "The difference between the request time and the current time is too large."
	s3AccessDenied = "Access Denied"
)

// jsonAuth spells authentication failures as the JSON protocols do, with status for the
// failures of the credentials themselves (awsJson answers 400, restJson1 403).
func jsonAuth(status int) map[AuthFailure]spelling {
	return map[AuthFailure]spelling{
		MissingAuthentication:   {"MissingAuthenticationTokenException", status, tokenMissing},
		UnknownAccessKey:        {"UnrecognizedClientException", status, tokenInvalid},
		InvalidToken:            {"UnrecognizedClientException", status, tokenInvalid},
		ExpiredToken:            {"ExpiredTokenException", status, tokenExpired},
		SignatureDoesNotMatch:   {"InvalidSignatureException", status, ""},
		RequestTimeTooSkewed:    {"InvalidSignatureException", status, ""},
		RequestExpired:          {"InvalidSignatureException", status, ""},
		ContentSHA256Mismatch:   {"InvalidSignatureException", http.StatusBadRequest, ""},
		IncompleteSignature:     {"IncompleteSignatureException", status, ""},
		AmbiguousAuthentication: {"IncompleteSignatureException", status, ""},
		InvalidContentSHA256:    {"IncompleteSignatureException", status, ""},
		IncompleteBody:          {"IncompleteSignatureException", http.StatusBadRequest, ""},
	}
}

// protocolQuirks holds every protocol's table.
var protocolQuirks = map[Protocol]quirks{
	JSON10: {accessDeniedStatus: http.StatusBadRequest, auth: jsonAuth(http.StatusBadRequest),
		errorCodeMembers: []string{"__type"}},
	JSON11: {accessDeniedStatus: http.StatusBadRequest, auth: jsonAuth(http.StatusBadRequest),
		errorCodeMembers: []string{"__type"}},
	RestJSON: {accessDeniedStatus: http.StatusForbidden, auth: jsonAuth(http.StatusForbidden),
		errorCodeMembers: []string{"__type", "code"}},
	Query: {accessDeniedStatus: http.StatusForbidden, auth: map[AuthFailure]spelling{
		MissingAuthentication:   {"MissingAuthenticationToken", http.StatusForbidden, tokenMissing},
		UnknownAccessKey:        {"InvalidClientTokenId", http.StatusForbidden, tokenInvalid},
		InvalidToken:            {"InvalidClientTokenId", http.StatusForbidden, tokenInvalid},
		ExpiredToken:            {"ExpiredToken", http.StatusForbidden, tokenExpired},
		SignatureDoesNotMatch:   {"SignatureDoesNotMatch", http.StatusForbidden, ""},
		RequestTimeTooSkewed:    {"SignatureDoesNotMatch", http.StatusForbidden, ""},
		RequestExpired:          {"SignatureDoesNotMatch", http.StatusForbidden, ""},
		ContentSHA256Mismatch:   {"SignatureDoesNotMatch", http.StatusBadRequest, ""},
		IncompleteSignature:     {"IncompleteSignature", http.StatusForbidden, ""},
		AmbiguousAuthentication: {"IncompleteSignature", http.StatusForbidden, ""},
		InvalidContentSHA256:    {"IncompleteSignature", http.StatusForbidden, ""},
		IncompleteBody:          {"IncompleteSignature", http.StatusBadRequest, ""},
	}},
	RestXML: {accessDeniedStatus: http.StatusForbidden, auth: map[AuthFailure]spelling{
		MissingAuthentication:   {"AccessDenied", http.StatusForbidden, s3AccessDenied},
		UnknownAccessKey:        {"InvalidAccessKeyId", http.StatusForbidden, s3UnknownKey},
		InvalidToken:            {"InvalidToken", http.StatusForbidden, tokenInvalid},
		ExpiredToken:            {"ExpiredToken", http.StatusBadRequest, tokenExpired},
		SignatureDoesNotMatch:   {"SignatureDoesNotMatch", http.StatusForbidden, ""},
		RequestTimeTooSkewed:    {"RequestTimeTooSkewed", http.StatusForbidden, s3TimeSkewed},
		RequestExpired:          {"AccessDenied", http.StatusForbidden, ""},
		ContentSHA256Mismatch:   {"XAmzContentSHA256Mismatch", http.StatusBadRequest, ""},
		IncompleteSignature:     {"AuthorizationHeaderMalformed", http.StatusBadRequest, ""},
		AmbiguousAuthentication: {"InvalidArgument", http.StatusBadRequest, ""},
		InvalidContentSHA256:    {"InvalidRequest", http.StatusBadRequest, ""},
		IncompleteBody:          {"IncompleteBody", http.StatusBadRequest, ""},
	}},
}

// AuthError spells an authentication failure in the service's protocol; message is the
// failure's own description, used where the protocol has no fixed text for it.
func (s *Service) AuthError(f AuthFailure, message string) *operation.Error {
	sp := s.quirks.auth[f]
	if sp.message != "" {
		message = sp.message
	}
	return &operation.Error{Code: sp.code, Status: sp.status, Message: message}
}
