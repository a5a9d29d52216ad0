package iam

import (
	"context"
	"errors"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// IAM's lists page with Marker and MaxItems. Markers are operation's pagination tokens;
// what is IAM's own is the default page size, IsTruncated, and the answer to a marker the
// paginator did not issue.

// defaultMaxItems is the page size when a request gives no MaxItems.
const defaultMaxItems = 100

func pageSize(maxItems *int32) int {
	if maxItems == nil {
		return defaultMaxItems
	}
	return int(*maxItems)
}

// markerError answers operation.ErrInvalidToken as IAM does.
func markerError(err error) error {
	if errors.Is(err, operation.ErrInvalidToken) {
		return invalidInput("Invalid Marker.")
	}
	return err
}

// storePage turns Marker and MaxItems into a store.Page asking for one record more than
// the page holds, to learn whether the list goes on; operation.Keyed trims what the store
// returns.
func storePage(marker string, maxItems *int32) (store.Page, error) {
	after, err := operation.AfterKey(marker)
	if err != nil {
		return store.Page{}, markerError(err)
	}
	return store.Page{After: after, Limit: pageSize(maxItems) + 1}, nil
}

// pageSlice returns the page of a list built in memory that marker asks for, whether
// more follow, and the next page's marker.
func pageSlice[T any](items []T, marker string, maxItems *int32) ([]T, bool, string, error) {
	page, next, err := operation.Slice(items, marker, pageSize(maxItems))
	if err != nil {
		return nil, false, "", markerError(err)
	}
	return page, next != "", next, nil
}

// listPage reads one page of an account's entities under a path prefix (users, groups,
// roles) and renders it: the list, whether more follow, and the next page's marker.
func listPage[S, W any](ctx context.Context, s *Service, pathPrefix, marker string, maxItems *int32,
	list func(tx txn, account, pathPrefix string, pg store.Page) ([]S, error), name func(S) string, wire func(S) W) (members[W], bool, string, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, false, "", err
	}
	pg, err := storePage(marker, maxItems)
	if err != nil {
		return nil, false, "", err
	}
	var items []S
	err = s.view(ctx, func(tx txn) error {
		items, err = list(tx, p.Account, pathPrefix, pg)
		return err
	})
	if err != nil {
		return nil, false, "", err
	}
	page, next := operation.Keyed(items, pageSize(maxItems), name)
	out := make(members[W], len(page))
	for i, item := range page {
		out[i] = wire(item)
	}
	return out, next != "", next, nil
}
