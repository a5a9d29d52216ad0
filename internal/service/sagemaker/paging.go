package sagemaker

import (
	"context"
	"encoding/base64"
	"io"
	"strconv"
	"strings"
)

// Objects reads S3 objects as the principal in the context, through the same
// authorization a client's request gets.
type Objects interface {
	GetObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, error)
}

// Page bounds of SageMaker's List operations.
const (
	defaultMaxResults = 10
	maxMaxResults     = 100
)

type window struct{ start, end int }

// paginate picks the slice of n sorted items a request's NextToken and MaxResults ask for,
// and the token of the next page.
func paginate(n int, token *string, maxResults *int) (window, *string, error) {
	limit := defaultMaxResults
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > maxMaxResults {
			return window{}, nil, validation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and %d", *maxResults, maxMaxResults)
		}
		limit = *maxResults
	}
	start := 0
	if token != nil && *token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(*token)
		offset, ok := strings.CutPrefix(string(raw), "offset:")
		if err != nil || !ok {
			return window{}, nil, validation("Invalid pagination token %q.", *token)
		}
		if start, err = strconv.Atoi(offset); err != nil || start < 0 {
			return window{}, nil, validation("Invalid pagination token %q.", *token)
		}
	}
	if start > n {
		start = n
	}
	end := min(start+limit, n)
	var next *string
	if end < n {
		t := base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
		next = &t
	}
	return window{start, end}, next, nil
}

// sortOptions validates SortBy and SortOrder (default Descending).
func sortOptions(sortBy, order *string, allowed []string, fallback string) (string, string, error) {
	by := fallback
	if sortBy != nil {
		by = *sortBy
		ok := false
		for _, a := range allowed {
			ok = ok || a == by
		}
		if !ok {
			return "", "", validation("1 validation error detected: Value '%s' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [%s]", by, strings.Join(allowed, ", "))
		}
	}
	o := "Descending"
	if order != nil {
		o = *order
		if o != "Ascending" && o != "Descending" {
			return "", "", validation("1 validation error detected: Value '%s' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]", o)
		}
	}
	return by, o, nil
}
