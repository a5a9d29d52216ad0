package iam

import (
	"errors"
	"net/http"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/policy"
)

// Errors of IAM, with the codes and statuses of botocore's model.
func noSuchEntity(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusNotFound, "NoSuchEntity", format, args...)
}

func entityExists(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusConflict, "EntityAlreadyExists", format, args...)
}

func deleteConflict(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusConflict, "DeleteConflict", format, args...)
}

func limitExceeded(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusConflict, "LimitExceeded", format, args...)
}

func invalidInput(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "InvalidInput", format, args...)
}

func validationError(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "ValidationError", format, args...)
}

func malformedPolicy(message string) *operation.Error {
	return &operation.Error{Code: "MalformedPolicyDocument", Status: http.StatusBadRequest, Message: message}
}

// parseDocument validates doc as a policy of the given type and returns the
// MalformedPolicyDocument error AWS gives for a bad one.
func parseDocument(doc string, typ policy.PolicyType) (*policy.Policy, error) {
	p, err := policy.ParseWithOptions([]byte(doc), policy.Options{Type: typ})
	if err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return nil, malformedPolicy(pe.Message)
		}
		return nil, malformedPolicy(err.Error())
	}
	return p, nil
}

// nonSpaceLength counts the characters of doc that are not white space, as IAM does for
// its policy size quotas.
func nonSpaceLength(doc string) int {
	n := 0
	for _, r := range doc {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}

// maxTags is the most tags an IAM resource can carry.
const maxTags = 50
