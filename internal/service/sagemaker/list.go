package sagemaker

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

// Every List… operation of SageMaker reads the records it may list, keeps those its
// request's filters match, orders them by the request's SortBy and SortOrder and answers
// one page. A listing is that flow, written once: each operation says what its records
// are to the filters and orders it offers, and turns its request into a listQuery. The
// constraints of the requests' members (SortBy's values, MaxResults' bounds) are declared
// on the requests and checked before the flow runs.

// listing is what the records of one List… operation are to its filters and orders.
type listing[T any] struct {
	// name, created, modified and status read what the filters test; each is nil when
	// the operation offers no filter on it.
	name     func(T) string
	created  func(T) time.Time
	modified func(T) time.Time
	status   func(T) string
	// orders are the orders SortBy names, each comparing two records in ascending order.
	// Without orders the records keep the order they were read in.
	orders map[string]func(a, b T) int
	// defaultOrder is the order of a request without SortBy.
	defaultOrder string
}

// listQuery is what a List… request asks of a listing. Absent members ask nothing.
type listQuery struct {
	// NameContains keeps names containing it, ignoring case; NamePrefix names starting
	// with it.
	NameContains, NamePrefix *string
	// Created… and Modified… keep records created or last modified strictly after or
	// before an instant.
	CreatedAfter, CreatedBefore   *operation.Timestamp
	ModifiedAfter, ModifiedBefore *operation.Timestamp
	StatusEquals                  *string
	// SortBy names one of the listing's orders; SortOrder is Ascending or Descending
	// (the default).
	SortBy, SortOrder *string
	NextToken         *string
	// MaxResults bounds the page (defaultMaxResults when absent).
	MaxResults *int
}

// defaultMaxResults is the page size of a List… request without MaxResults.
const defaultMaxResults = 10

// list returns the page of items that q asks for and the token of the next page (nil on
// the last page).
func (l listing[T]) list(items []T, q listQuery) ([]T, *string, error) {
	kept := make([]T, 0, len(items))
	for _, it := range items {
		if l.matches(it, q) {
			kept = append(kept, it)
		}
	}
	by := l.defaultOrder
	if q.SortBy != nil {
		by = *q.SortBy
	}
	if order := l.orders[by]; order != nil {
		// Descending is the ascending order reversed, records that compare equal
		// included.
		slices.SortStableFunc(kept, order)
		if q.SortOrder == nil || *q.SortOrder != "Ascending" {
			slices.Reverse(kept)
		}
	}
	return pageOf(kept, q.NextToken, q.MaxResults)
}

// pageOf returns the page of items (in their final order) a request's NextToken and
// MaxResults ask for, and the next page's token (nil at the end).
func pageOf[T any](items []T, nextToken *string, maxResults *int) ([]T, *string, error) {
	limit := defaultMaxResults
	if maxResults != nil {
		limit = *maxResults
	}
	token := ""
	if nextToken != nil {
		token = *nextToken
	}
	page, next, err := operation.Slice(items, token, limit)
	if errors.Is(err, operation.ErrInvalidToken) {
		return nil, nil, validation("Invalid pagination token %q.", token)
	}
	if err != nil {
		return nil, nil, err
	}
	if next == "" {
		return page, nil, nil
	}
	return page, &next, nil
}

// storePage reads the page a request's NextToken and MaxResults ask for from a store
// that reads by position (read is given the offset and how many rows to read), and returns
// it with the next page's token (nil at the end). Its tokens are pageOf's.
func storePage[T any](nextToken *string, maxResults *int, read func(offset, limit int) ([]T, error)) ([]T, *string, error) {
	limit := defaultMaxResults
	if maxResults != nil {
		limit = *maxResults
	}
	token := deref(nextToken, "")
	offset, err := operation.Offset(token)
	if err != nil {
		return nil, nil, validation("Invalid pagination token %q.", token)
	}
	page, err := read(offset, limit+1) // one more: is there a next page?
	if err != nil || len(page) <= limit {
		return page, nil, err
	}
	next := operation.OffsetToken(offset + limit)
	return page[:limit], &next, nil
}

// timeBounds are a request's CreatedAfter and CreatedBefore as a store takes them: zero
// for no bound.
func timeBounds(after, before *operation.Timestamp) (a, b time.Time) {
	if after != nil {
		a = after.Time
	}
	if before != nil {
		b = before.Time
	}
	return a, b
}

// matches reports whether item passes q's filters.
func (l listing[T]) matches(item T, q listQuery) bool {
	if l.name != nil {
		name := l.name(item)
		if q.NameContains != nil && !strings.Contains(strings.ToLower(name), strings.ToLower(*q.NameContains)) ||
			q.NamePrefix != nil && !strings.HasPrefix(name, *q.NamePrefix) {
			return false
		}
	}
	if l.created != nil && !within(l.created(item), q.CreatedAfter, q.CreatedBefore) {
		return false
	}
	if l.modified != nil && !within(l.modified(item), q.ModifiedAfter, q.ModifiedBefore) {
		return false
	}
	return l.status == nil || q.StatusEquals == nil || l.status(item) == *q.StatusEquals
}

// within reports whether t is strictly after after and strictly before before (each when
// given).
func within(t time.Time, after, before *operation.Timestamp) bool {
	return (after == nil || t.After(after.Time)) && (before == nil || t.Before(before.Time))
}

// byTime orders records by the instant at reads.
func byTime[T any](at func(T) time.Time) func(a, b T) int {
	return func(a, b T) int { return at(a).Compare(at(b)) }
}

// byString orders records by the string at reads.
func byString[T any](at func(T) string) func(a, b T) int {
	return func(a, b T) int { return cmp.Compare(at(a), at(b)) }
}
