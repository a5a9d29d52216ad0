package iam

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

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

// maxDocumentLength bounds any policy document a request carries (botocore's
// policyDocumentType).
const maxDocumentLength = 131072

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

// checks gathers validation failures and reports them the way AWS's validation layer does:
// "2 validation errors detected: Value 'x' at 'userName' failed to satisfy constraint: …; …".
type checks struct {
	errs []string
}

func (c *checks) fail(value, field, constraint string) {
	c.errs = append(c.errs, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member %s", value, field, constraint))
}

// err returns the ValidationError for what failed, or nil.
func (c *checks) err() error {
	switch len(c.errs) {
	case 0:
		return nil
	case 1:
		return validationError("1 validation error detected: %s", c.errs[0])
	}
	return validationError("%d validation errors detected: %s", len(c.errs), strings.Join(c.errs, "; "))
}

// length checks min ≤ len(v) ≤ max (in characters); max 0 means no bound.
func (c *checks) length(field, v string, min, max int) bool {
	n := utf8.RuneCountInString(v)
	switch {
	case n < min:
		c.fail(v, field, "must have length greater than or equal to "+strconv.Itoa(min))
		return false
	case max > 0 && n > max:
		c.fail(v, field, "must have length less than or equal to "+strconv.Itoa(max))
		return false
	}
	return true
}

func (c *checks) pattern(field, v string, re *regexp.Regexp, text string) {
	if !re.MatchString(v) {
		c.fail(v, field, "must satisfy regular expression pattern: "+text)
	}
}

func (c *checks) enum(field, v string, values ...string) {
	for _, ok := range values {
		if v == ok {
			return
		}
	}
	c.fail(v, field, "must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
}

func (c *checks) between(field string, v, min, max int) {
	switch {
	case v < min:
		c.errs = append(c.errs, fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", v, field, min))
	case v > max:
		c.errs = append(c.errs, fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", v, field, max))
	}
}

// Patterns of botocore's IAM model, anchored.
var (
	namePattern       = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathPattern       = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
	pathPrefixPattern = regexp.MustCompile(`^/[\x21-\x7F]*$`)
	policyPathPattern = regexp.MustCompile(`^((/[A-Za-z0-9.,+@=_-]+)*)/$`)
	versionPattern    = regexp.MustCompile(`^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$`)
	keyIDPattern      = regexp.MustCompile(`^\w+$`)
	tagKeyPattern     = regexp.MustCompile(`^[\pL\pZ\pN_.:/=+\-@]+$`)
	tagValuePattern   = regexp.MustCompile(`^[\pL\pZ\pN_.:/=+\-@]*$`)
)

const (
	namePatternText       = `[\w+=,.@-]+`
	pathPatternText       = `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`
	pathPrefixPatternText = `\u002F[\u0021-\u007F]*`
	policyPathPatternText = `((/[A-Za-z0-9\.,\+@=_-]+)*)/`
	versionPatternText    = `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`
	keyIDPatternText      = `[\w]+`
	tagKeyPatternText     = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	tagValuePatternText   = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
)

// name checks a user, group, role or policy name of at most max characters; "" is left to
// the required check.
func (c *checks) name(field, v string, max int) {
	if v == "" {
		return
	}
	if c.length(field, v, 1, max) {
		c.pattern(field, v, namePattern, namePatternText)
	}
}

func (c *checks) path(field, v string) {
	if v == "" {
		return
	}
	if c.length(field, v, 1, 512) {
		c.pattern(field, v, pathPattern, pathPatternText)
	}
}

func (c *checks) pathPrefix(field, v string) {
	if v == "" {
		return
	}
	if c.length(field, v, 1, 512) {
		c.pattern(field, v, pathPrefixPattern, pathPrefixPatternText)
	}
}

func (c *checks) policyPath(field, v string) {
	if v == "" {
		return
	}
	if c.length(field, v, 1, 512) {
		c.pattern(field, v, policyPathPattern, policyPathPatternText)
	}
}

func (c *checks) arn(field, v string) {
	if v != "" {
		c.length(field, v, 20, 2048)
	}
}

func (c *checks) document(field, v string) {
	if v != "" {
		c.length(field, v, 1, maxDocumentLength)
	}
}

func (c *checks) versionID(field, v string) {
	if v != "" {
		c.pattern(field, v, versionPattern, versionPatternText)
	}
}

// paging checks Marker and MaxItems.
func (c *checks) paging(marker string, maxItems *int32) {
	if marker != "" {
		c.length("marker", marker, 1, 320)
	}
	if maxItems != nil {
		c.between("maxItems", int(*maxItems), 1, 1000)
	}
}

// maxTags is the most tags an IAM resource can carry.
const maxTags = 50

// tags checks a Tags list: at most 50, keys 1–128 and values 0–256 characters of the
// allowed set.
func (c *checks) tags(field string, tags []Tag) {
	if len(tags) > maxTags {
		c.errs = append(c.errs, fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", tags, field, maxTags))
		return
	}
	for i, t := range tags {
		kf := fmt.Sprintf("%s.%d.member.key", field, i+1)
		vf := fmt.Sprintf("%s.%d.member.value", field, i+1)
		if c.length(kf, t.Key, 1, 128) {
			c.pattern(kf, t.Key, tagKeyPattern, tagKeyPatternText)
		}
		if c.length(vf, t.Value, 0, 256) {
			c.pattern(vf, t.Value, tagValuePattern, tagValuePatternText)
		}
	}
}

// tagKeys checks an UntagX TagKeys list.
func (c *checks) tagKeys(field string, keys []string) {
	if len(keys) > maxTags {
		c.errs = append(c.errs, fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", keys, field, maxTags))
		return
	}
	for i, k := range keys {
		f := fmt.Sprintf("%s.%d.member", field, i+1)
		if c.length(f, k, 1, 128) {
			c.pattern(f, k, tagKeyPattern, tagKeyPatternText)
		}
	}
}
