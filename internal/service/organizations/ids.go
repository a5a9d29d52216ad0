package organizations

import (
	"regexp"
	"unicode/utf8"

	"github.com/cairnhq/cairn/internal/arn"
)

// Identifier patterns, as the Organizations API model gives them.
var (
	rootIDPattern   = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	ouIDPattern     = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	policyIDPattern = regexp.MustCompile(`^p-[0-9a-zA-Z_]{8,128}$`)
	tagPattern      = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// Kinds of nodes in the organization tree.
const (
	kindRoot    = "ROOT"
	kindOU      = "ORGANIZATIONAL_UNIT"
	kindAccount = "ACCOUNT"
)

// kindOf tells what an ID names from its shape: "" for none.
func kindOf(id string) string {
	switch {
	case rootIDPattern.MatchString(id):
		return kindRoot
	case ouIDPattern.MatchString(id):
		return kindOU
	case arn.IsAccountID(id):
		return kindAccount
	}
	return ""
}

func validateParentID(member, id string) error {
	if k := kindOf(id); k != kindRoot && k != kindOU {
		return invalidInput("INVALID_PATTERN", "You specified a value with an invalid pattern: %s %q must be a root ID (r-…) or an organizational unit ID (ou-…).", member, id)
	}
	return nil
}

func validateOUID(id string) error {
	if !ouIDPattern.MatchString(id) {
		return invalidInput("INVALID_PATTERN", "You specified a value with an invalid pattern: OrganizationalUnitId %q must match ^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$.", id)
	}
	return nil
}

func validatePolicyID(id string) error {
	if !policyIDPattern.MatchString(id) {
		return invalidInput("INVALID_SYNTAX_POLICY_ID", "You specified a policy ID with an invalid pattern: %q must match ^p-[0-9a-zA-Z_]{8,128}$.", id)
	}
	return nil
}

func validateTargetID(id string) error {
	if kindOf(id) == "" {
		return invalidInput("INVALID_PATTERN_TARGET_ID", "You specified a target ID with an invalid pattern: %q must be a root ID (r-…), an organizational unit ID (ou-…) or a 12-digit account ID.", id)
	}
	return nil
}

func validateAccountID(id string) error {
	if !arn.IsAccountID(id) {
		return invalidInput("INVALID_PATTERN", "You specified a value with an invalid pattern: AccountId %q must be exactly 12 digits.", id)
	}
	return nil
}

// validateLength checks a string member's length in characters.
func validateLength(member, v string, min, max int) error {
	n := utf8.RuneCountInString(v)
	if n < min {
		return invalidInput("MIN_LENGTH_EXCEEDED", "%s must be at least %d characters long.", member, min)
	}
	if n > max {
		return invalidInput("MAX_LENGTH_EXCEEDED", "%s must be at most %d characters long; it has %d.", member, max, n)
	}
	return nil
}
