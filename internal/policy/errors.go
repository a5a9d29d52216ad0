package policy

import "fmt"

// Error reports a document that is not a valid policy. Its Message reads
// like the message of the MalformedPolicyDocument error AWS returns for the
// same document, so a service can return it to a client unchanged.
type Error struct {
	// Message is the AWS-style message, such as
	// "Policy document should not specify a principal."
	Message string
	// Statement is the index of the offending statement, or -1 when the
	// problem is not in one statement.
	Statement int
	// Field names the offending element ("Effect", "Principal",
	// "Condition", ...), or "" when the document is not JSON.
	Field string
}

// Error returns e.Message.
func (e *Error) Error() string { return e.Message }

// Messages for malformed documents. Those AWS spells a fixed way are kept
// word for word.
const (
	msgSyntax        = "Syntax errors in policy."
	msgLegacy        = "The policy failed legacy parsing"
	msgNoPrincipal   = "Policy document should not specify a principal."
	msgNeedActions   = "Policy statement must contain actions."
	msgNeedResources = "Policy statement must contain resources."
	msgVendor        = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgMissingAction = "Statement is missing required field Action or NotAction"
	msgSidAlnum      = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgSidUnique     = "Statement IDs (SID) in a single policy must be unique."
)

func syntaxError(stmt int, field string) *Error {
	return &Error{Message: msgSyntax, Statement: stmt, Field: field}
}

func errorf(stmt int, field, format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...), Statement: stmt, Field: field}
}
