package sagemaker

import (
	"net/http"
	"regexp"

	"github.com/cairnhq/cairn/internal/operation"
)

// Checks shared by the shapes of this package and the service's other requests, with
// SageMaker's messages.

var (
	tagPattern       = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	jobNamePattern   = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9])*$`)
	roleARNPattern   = regexp.MustCompile(`^arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)
	modelNamePattern = regexp.MustCompile(`^[a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?$`)
	s3URIPattern     = regexp.MustCompile(`^(https|s3)://([^/]+)/?(.*)$`)
	envKeyPattern    = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	hostnamePattern  = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`)
)

// validation is SageMaker's ValidationException.
func validation(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "ValidationException", format, args...)
}

// Tag is a SageMaker tag.
type Tag struct {
	Key   string
	Value string
}

// MaxTags bounds the tags of a resource.
const MaxTags = 50

// CheckTags checks the tags of a request as SageMaker does.
func CheckTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return validation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to %d", MaxTags)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if len(t.Key) < 1 || len(t.Key) > 128 || !tagPattern.MatchString(t.Key) {
			return validation("1 validation error detected: Value '%s' at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128 and match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", t.Key)
		}
		if len(t.Value) > 256 || !tagPattern.MatchString(t.Value) {
			return validation("1 validation error detected: Value '%s' at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256 and match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", t.Value)
		}
		if seen[t.Key] {
			return validation("Tag keys must be unique; %q is given twice.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// CheckRoleARN checks a request's RoleArn.
func CheckRoleARN(role string) error {
	if !ValidRoleARN(role) {
		return validation("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$", role)
	}
	return nil
}

// ValidRoleARN reports whether role has the shape of an IAM role's ARN.
func ValidRoleARN(role string) bool {
	return roleARNPattern.MatchString(role) && len(role) >= 20 && len(role) <= 2048
}

// CheckModelName checks the name of a model given at member.
func CheckModelName(member, name string) error {
	if len(name) < 1 || len(name) > 63 || !modelNamePattern.MatchString(name) {
		return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?$", name, member)
	}
	return nil
}

// checkJobName checks the name of a job given at member.
func checkJobName(member, name string) error {
	if len(name) < 1 || len(name) > 63 || !jobNamePattern.MatchString(name) {
		return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", name, member)
	}
	return nil
}
