package sagemaker

import (
	"net/http"

	"github.com/cairnhq/cairn/internal/operation"
)

// The shapes of this package declare SageMaker's constraints as struct tags, which
// operation's validator checks before a request is authorized; their Validate methods
// check what tags cannot say (rules across members) and refuse, in messages that say so,
// what Cairn does not run.

// validation is SageMaker's ValidationException.
func validation(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "ValidationException", format, args...)
}

// violation is SageMaker's ValidationException for one member failing one constraint, as
// its validation layer words it.
func violation(path, value, constraint string) *operation.Error {
	return validation("%s", operation.ValidationMessage(operation.Violation{Path: path, Value: value, Constraint: constraint}))
}

// missing is SageMaker's ValidationException for a member Cairn needs and a request left
// out.
func missing(path string) *operation.Error {
	return validation("%s", operation.ValidationMessage(operation.Violation{Path: path, Null: true, Constraint: operation.NotNull}))
}

// Tag is a SageMaker tag.
type Tag struct {
	Key   string `required:"true" min:"1" max:"128" pattern:"([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"`
	Value string `required:"true" max:"256" pattern:"([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"`
}

// MaxTags bounds the tags of a resource.
const MaxTags = 50

// CheckTagKeys refuses tags that give a key twice.
func CheckTagKeys(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			return validation("Tag keys must be unique; %q is given twice.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// deref is the string p points to, or "".
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
