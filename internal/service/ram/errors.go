package ram

import (
	"fmt"
	"net/http"

	"github.com/cairnhq/cairn/internal/operation"
)

// The errors of the RAM model (ram/2018-01-04), one constructor per error shape, with the
// shape's HTTP status. Each carries only a message, as AWS sends them.

func rerr(status int, code, format string, args ...any) *operation.Error {
	return &operation.Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...), Server: status >= 500}
}

func idempotentParameterMismatch(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "IdempotentParameterMismatchException", format, args...)
}

func invalidClientToken(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "InvalidClientTokenException", format, args...)
}

func invalidMaxResults(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "InvalidMaxResultsException", format, args...)
}

func invalidNextToken(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "InvalidNextTokenException", format, args...)
}

func invalidParameter(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "InvalidParameterException", format, args...)
}

func invalidPolicy(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "InvalidPolicyException", format, args...)
}

func invalidResourceType(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "InvalidResourceTypeException", format, args...)
}

func invalidStateTransition(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "InvalidStateTransitionException", format, args...)
}

func malformedARN(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "MalformedArnException", format, args...)
}

func malformedPolicyTemplate(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "MalformedPolicyTemplateException", format, args...)
}

func missingRequiredParameter(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "MissingRequiredParameterException", format, args...)
}

func operationNotPermitted(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "OperationNotPermittedException", format, args...)
}

func permissionAlreadyExists(format string, args ...any) *operation.Error {
	return rerr(http.StatusConflict, "PermissionAlreadyExistsException", format, args...)
}

func permissionLimitExceeded(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "PermissionLimitExceededException", format, args...)
}

func permissionVersionsLimitExceeded(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "PermissionVersionsLimitExceededException", format, args...)
}

func resourceARNNotFound(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "ResourceArnNotFoundException", format, args...)
}

func invitationAlreadyAccepted(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "ResourceShareInvitationAlreadyAcceptedException", format, args...)
}

func invitationAlreadyRejected(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "ResourceShareInvitationAlreadyRejectedException", format, args...)
}

func invitationARNNotFound(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "ResourceShareInvitationArnNotFoundException", format, args...)
}

func invitationExpired(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "ResourceShareInvitationExpiredException", format, args...)
}

func shareLimitExceeded(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "ResourceShareLimitExceededException", format, args...)
}

// serverInternal is what a client sees when an operation fails for a reason of its own.
func serverInternal(requestID string) *operation.Error {
	return rerr(http.StatusInternalServerError, "ServerInternalException",
		"The service could not process the request because of an internal error (request %s).", requestID)
}

// serviceUnavailable is the model's 503; Cairn answers it while it shuts down.
func serviceUnavailable(format string, args ...any) *operation.Error {
	return rerr(http.StatusServiceUnavailable, "ServiceUnavailableException", format, args...)
}

func tagLimitExceeded(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "TagLimitExceededException", format, args...)
}

// throttling is the model's 429, for request rates Cairn does not limit today.
func throttling(format string, args ...any) *operation.Error {
	return rerr(http.StatusTooManyRequests, "ThrottlingException", format, args...)
}

// tagPolicyViolation is the model's answer to tags an organization tag policy forbids;
// Cairn has no tag policies.
func tagPolicyViolation(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "TagPolicyViolationException", format, args...)
}

func unknownResource(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "UnknownResourceException", format, args...)
}

// unmatchedPolicyPermission answers the promotion of a share whose policy no permission
// matches; Cairn creates no shares from policies.
func unmatchedPolicyPermission(format string, args ...any) *operation.Error {
	return rerr(http.StatusBadRequest, "UnmatchedPolicyPermissionException", format, args...)
}

// modelErrors lists every error of the model with its constructor, so a test can check
// the constructors against botocore's model.
func modelErrors() map[string]func(string, ...any) *operation.Error {
	return map[string]func(string, ...any) *operation.Error{
		"IdempotentParameterMismatchException":            idempotentParameterMismatch,
		"InvalidClientTokenException":                     invalidClientToken,
		"InvalidMaxResultsException":                      invalidMaxResults,
		"InvalidNextTokenException":                       invalidNextToken,
		"InvalidParameterException":                       invalidParameter,
		"InvalidPolicyException":                          invalidPolicy,
		"InvalidResourceTypeException":                    invalidResourceType,
		"InvalidStateTransitionException":                 invalidStateTransition,
		"MalformedArnException":                           malformedARN,
		"MalformedPolicyTemplateException":                malformedPolicyTemplate,
		"MissingRequiredParameterException":               missingRequiredParameter,
		"OperationNotPermittedException":                  operationNotPermitted,
		"PermissionAlreadyExistsException":                permissionAlreadyExists,
		"PermissionLimitExceededException":                permissionLimitExceeded,
		"PermissionVersionsLimitExceededException":        permissionVersionsLimitExceeded,
		"ResourceArnNotFoundException":                    resourceARNNotFound,
		"ResourceShareInvitationAlreadyAcceptedException": invitationAlreadyAccepted,
		"ResourceShareInvitationAlreadyRejectedException": invitationAlreadyRejected,
		"ResourceShareInvitationArnNotFoundException":     invitationARNNotFound,
		"ResourceShareInvitationExpiredException":         invitationExpired,
		"ResourceShareLimitExceededException":             shareLimitExceeded,
		"ServerInternalException":                         func(f string, a ...any) *operation.Error { return serverInternal(fmt.Sprintf(f, a...)) },
		"ServiceUnavailableException":                     serviceUnavailable,
		"TagLimitExceededException":                       tagLimitExceeded,
		"TagPolicyViolationException":                     tagPolicyViolation,
		"ThrottlingException":                             throttling,
		"UnknownResourceException":                        unknownResource,
		"UnmatchedPolicyPermissionException":              unmatchedPolicyPermission,
	}
}
