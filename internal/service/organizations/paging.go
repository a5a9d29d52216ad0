package organizations

import "github.com/cairnhq/cairn/internal/store"

// maxResults is Organizations' page size limit.
const maxResults = 20

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
