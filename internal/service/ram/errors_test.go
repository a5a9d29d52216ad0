package ram

import "testing"

// The error shapes of the ram/2018-01-04 model with their HTTP status.
func TestModelErrors(t *testing.T) {
	model := map[string]int{
		"IdempotentParameterMismatchException": 400, "InvalidClientTokenException": 400, "InvalidMaxResultsException": 400,
		"InvalidNextTokenException": 400, "InvalidParameterException": 400, "InvalidPolicyException": 400,
		"InvalidResourceTypeException": 400, "InvalidStateTransitionException": 400, "MalformedArnException": 400,
		"MalformedPolicyTemplateException": 400, "MissingRequiredParameterException": 400, "OperationNotPermittedException": 400,
		"PermissionAlreadyExistsException": 409, "PermissionLimitExceededException": 400, "PermissionVersionsLimitExceededException": 400,
		"ResourceArnNotFoundException": 400, "ResourceShareInvitationAlreadyAcceptedException": 400,
		"ResourceShareInvitationAlreadyRejectedException": 400, "ResourceShareInvitationArnNotFoundException": 400,
		"ResourceShareInvitationExpiredException": 400, "ResourceShareLimitExceededException": 400, "ServerInternalException": 500,
		"ServiceUnavailableException": 503, "TagLimitExceededException": 400, "TagPolicyViolationException": 400,
		"ThrottlingException": 429, "UnknownResourceException": 400, "UnmatchedPolicyPermissionException": 400,
	}
	got := modelErrors()
	if len(got) != len(model) {
		t.Errorf("%d error constructors, the model has %d errors", len(got), len(model))
	}
	for code, status := range model {
		mk, ok := got[code]
		if !ok {
			t.Errorf("no constructor for %s", code)
			continue
		}
		e := mk("message %d", 1)
		if e.Code != code || e.Status != status || e.Message == "" || e.Server != (status >= 500) {
			t.Errorf("%s: %+v, want status %d", code, e, status)
		}
	}
}
