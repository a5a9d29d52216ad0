package iam

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// defaultMaxItems is the page size when a request gives no MaxItems.
const defaultMaxItems = 100

// Markers are opaque to clients: "k:<key>" continues after the record with that key in a
// list the store pages, "i:<n>" after the n-th item of a list built in memory.
func encodeMarker(kind, v string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + v))
}

func decodeMarker(marker, kind string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(marker)
	if err != nil || !strings.HasPrefix(string(raw), kind+":") {
		return "", invalidInput("Invalid Marker.")
	}
	return strings.TrimPrefix(string(raw), kind+":"), nil
}

func pageSize(maxItems *int32) int {
	if maxItems == nil {
		return defaultMaxItems
	}
	return int(*maxItems)
}

// storePage turns Marker and MaxItems into a store.Page asking for one record more than
// the page holds, to learn whether the list goes on.
func storePage(marker string, maxItems *int32) (store.Page, error) {
	p := store.Page{Limit: pageSize(maxItems) + 1}
	if marker != "" {
		after, err := decodeMarker(marker, "k")
		if err != nil {
			return p, err
		}
		p.After = after
	}
	return p, nil
}

// listPage reads one page of an account's entities under a path prefix (users, groups,
// roles) and renders it: the list, whether more follow, and the next page's marker.
func listPage[S, W any](ctx context.Context, s *Service, pathPrefix, marker string, maxItems *int32,
	list func(tx store.Tx, account, pathPrefix string, pg store.Page) ([]S, error), name func(S) string, wire func(S) W) (members[W], bool, string, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, false, "", err
	}
	pg, err := storePage(marker, maxItems)
	if err != nil {
		return nil, false, "", err
	}
	var items []S
	err = s.view(ctx, func(tx store.Tx) error {
		items, err = list(tx, p.Account, pathPrefix, pg)
		return err
	})
	if err != nil {
		return nil, false, "", err
	}
	page, truncated, next := pageResult(items, maxItems, name)
	out := make(members[W], len(page))
	for i, item := range page {
		out[i] = wire(item)
	}
	return out, truncated, next, nil
}

// pageResult trims a store page to its size and returns the marker of the next page.
func pageResult[T any](items []T, maxItems *int32, key func(T) string) ([]T, bool, string) {
	n := pageSize(maxItems)
	if len(items) <= n {
		return items, false, ""
	}
	items = items[:n]
	return items, true, encodeMarker("k", key(items[n-1]))
}

// pageSlice pages through a list built in memory.
func pageSlice[T any](items []T, marker string, maxItems *int32) ([]T, bool, string, error) {
	start := 0
	if marker != "" {
		v, err := decodeMarker(marker, "i")
		if err != nil {
			return nil, false, "", err
		}
		start, err = strconv.Atoi(v)
		if err != nil || start < 0 {
			return nil, false, "", invalidInput("Invalid Marker.")
		}
		start = min(start, len(items))
	}
	end := start + pageSize(maxItems)
	if end >= len(items) {
		return items[start:], false, "", nil
	}
	return items[start:end], true, encodeMarker("i", strconv.Itoa(end)), nil
}
