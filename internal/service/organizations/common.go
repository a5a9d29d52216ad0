package organizations

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/store"
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

// Tag is a key and value.
type Tag struct {
	Key   string
	Value string
}

// maxTags is how many tags an Organizations resource may carry.
const maxTags = 50

// validateTags checks tags as Organizations does and returns them for the store.
func validateTags(tags []Tag) ([]store.OrgTag, error) {
	if len(tags) > maxTags {
		return nil, awsproto.Errorf(http.StatusBadRequest, "ConstraintViolationException",
			"You can attach at most %d tags to a resource; you gave %d.", maxTags, len(tags)).With("Reason", "MAX_TAG_LIMIT_EXCEEDED")
	}
	seen := make(map[string]bool, len(tags))
	out := make([]store.OrgTag, 0, len(tags))
	for _, t := range tags {
		if err := validateLength("Tag key", t.Key, 1, 128); err != nil {
			return nil, err
		}
		if err := validateLength("Tag value", t.Value, 0, 256); err != nil {
			return nil, err
		}
		if !tagPattern.MatchString(t.Key) || !tagPattern.MatchString(t.Value) {
			return nil, invalidInput("INVALID_PATTERN", "Tag %q: keys and values may contain only letters, spaces, digits and _ . : / = + - @.", t.Key)
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return nil, invalidInput("INVALID_SYSTEM_TAGS_PARAMETER", "Tag keys starting with aws: are reserved for AWS: %q.", t.Key)
		}
		if seen[t.Key] {
			return nil, invalidInput("DUPLICATE_TAG_KEY", "The tag key %q appears more than once.", t.Key)
		}
		seen[t.Key] = true
		out = append(out, store.OrgTag{Key: t.Key, Value: t.Value})
	}
	return out, nil
}

// requestTags gives the aws:RequestTag/… and aws:TagKeys condition keys of tags.
func requestTags(tags []Tag) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	ctx := map[string][]string{}
	for _, t := range tags {
		ctx["aws:RequestTag/"+t.Key] = []string{t.Value}
		ctx["aws:TagKeys"] = append(ctx["aws:TagKeys"], t.Key)
	}
	return ctx
}

// pager turns MaxResults and NextToken into a store page, and trims what the store
// returns into one page and the next token. Tokens are the key of the last item.
type pager struct {
	limit int
	after string
}

func newPager(maxResultsIn *int, nextToken *string, validKey func(string) bool) (*pager, error) {
	p := &pager{limit: maxResults}
	if maxResultsIn != nil {
		switch n := *maxResultsIn; {
		case n < 1:
			return nil, invalidInput("MIN_VALUE_EXCEEDED", "MaxResults must be at least 1; you gave %d.", n)
		case n > maxResults:
			return nil, invalidInput("MAX_VALUE_EXCEEDED", "MaxResults must be at most %d; you gave %d.", maxResults, n)
		}
		p.limit = *maxResultsIn
	}
	if nextToken != nil {
		if !validKey(*nextToken) {
			return nil, invalidInput("INVALID_NEXT_TOKEN", "The NextToken is not one this operation returned.")
		}
		p.after = *nextToken
	}
	return p, nil
}

// page is the store page to ask for: one more than the limit, to know whether more follow.
func (p *pager) page() store.Page { return store.Page{After: p.after, Limit: p.limit + 1} }

// trim cuts n items to the limit and returns the next token (nil at the end); key gives
// the key of item i.
func (p *pager) trim(n int, key func(i int) string) (keep int, next *string) {
	if n <= p.limit {
		return n, nil
	}
	k := key(p.limit - 1)
	return p.limit, &k
}

// access builds the authorization request of an operation on Organizations resources:
// fn returns the resources given the organization; each is owned by the management
// account. Without an organization the resources are left to "*" and the handler
// answers AWSOrganizationsNotInUseException.
func (s *Service) access(ctx context.Context, fn func(tx store.Tx, org *store.Organization) ([]awsproto.Resource, error)) (*awsproto.Access, error) {
	var out awsproto.Access
	err := s.store.View(ctx, func(tx store.Tx) error {
		org, err := tx.Organization()
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		res, err := fn(tx, org)
		if err != nil {
			return err
		}
		for i := range res {
			res[i].Account = org.ManagementAccountID
		}
		out.Resources = res
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// starAccessOf authorizes an operation whose resource is "*" in the management account.
func starAccessOf[In any](s *Service) func(context.Context, *In) (*awsproto.Access, error) {
	return func(ctx context.Context, _ *In) (*awsproto.Access, error) { return s.starAccess(ctx) }
}

// resourceTags reads the tags of an OU, policy or account for aws:ResourceTag/….
func resourceTags(tx store.Tx, id string) (map[string]string, error) {
	tags, err := tx.OrgTags(id)
	if err != nil || len(tags) == 0 {
		return nil, err
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m, nil
}

// nodeResource is the authorization resource of a root, OU or account ID.
func nodeResource(tx store.Tx, org *store.Organization, id string) (awsproto.Resource, error) {
	r := awsproto.Resource{ARN: nodeARN(org, id)}
	if kindOf(id) == kindRoot {
		return r, nil
	}
	tags, err := resourceTags(tx, id)
	r.Tags = tags
	return r, err
}

// policyResource is the authorization resource of a policy ID; a policy that does not
// exist gets a wildcard type and the handler answers PolicyNotFoundException.
func policyResource(tx store.Tx, org *store.Organization, id string) (awsproto.Resource, *store.OrgPolicy, error) {
	p, err := tx.OrgPolicy(id)
	if errors.Is(err, store.ErrNotFound) {
		return awsproto.Resource{ARN: "arn:aws:organizations::" + org.ManagementAccountID + ":policy/" + org.ID + "/*/" + id}, nil, nil
	}
	if err != nil {
		return awsproto.Resource{}, nil, err
	}
	tags, err := resourceTags(tx, id)
	return awsproto.Resource{ARN: policyARN(org, p), Tags: tags}, p, err
}

func rootARN(org *store.Organization) string {
	return "arn:aws:organizations::" + org.ManagementAccountID + ":root/" + org.ID + "/" + org.RootID
}

func ouARN(org *store.Organization, id string) string {
	return "arn:aws:organizations::" + org.ManagementAccountID + ":ou/" + org.ID + "/" + id
}

// nodeARN is the ARN of a root, OU or account ID.
func nodeARN(org *store.Organization, id string) string {
	switch kindOf(id) {
	case kindRoot:
		return "arn:aws:organizations::" + org.ManagementAccountID + ":root/" + org.ID + "/" + id
	case kindOU:
		return ouARN(org, id)
	}
	return accountARN(org, id)
}

func policyARN(org *store.Organization, p *store.OrgPolicy) string {
	typ := strings.ToLower(p.Type)
	if p.AWSManaged {
		return "arn:aws:organizations::aws:policy/" + typ + "/" + p.ID
	}
	return "arn:aws:organizations::" + org.ManagementAccountID + ":policy/" + org.ID + "/" + typ + "/" + p.ID
}
