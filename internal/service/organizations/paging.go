package organizations

import (
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Organizations' lists page with MaxResults and NextToken. Tokens are operation's
// pagination tokens; what is Organizations' own is MaxResults' range and default, and the
// reason-coded InvalidInputException for a MaxResults out of range or a token the
// paginator did not issue.

// maxResults is Organizations' page size limit and default.
const maxResults = 20

var errInvalidNextToken = invalidInput("INVALID_NEXT_TOKEN", "The NextToken is not one this operation returned.")

// pager is one request's page: its size, and the key of the record its NextToken
// continues after.
type pager struct {
	limit int
	after string
}

// newPager reads MaxResults and NextToken; validKey says whether a key the token carries
// can be one of the list's (an account ID, a policy ID…).
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
		after, err := operation.AfterKey(*nextToken)
		if err != nil || !validKey(after) {
			return nil, errInvalidNextToken
		}
		p.after = after
	}
	return p, nil
}

// page is the store page to ask for: one more than the limit, to know whether more follow.
func (p *pager) page() store.Page { return store.Page{After: p.after, Limit: p.limit + 1} }

// nextPage trims what the store returned for p.page() to the page and returns the next
// page's token, nil at the end of the list.
func nextPage[T any](p *pager, items []T, key func(T) string) ([]T, *string) {
	page, next := operation.Keyed(items, p.limit, key)
	if next == "" {
		return page, nil
	}
	return page, &next
}
