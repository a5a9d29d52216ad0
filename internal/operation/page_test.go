package operation_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"
)

func TestSlice(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	var got []int
	token, pages := "", 0
	for {
		page, next, err := operation.Slice(items, token, 2)
		if err != nil {
			t.Fatal(err)
		}
		got, pages = append(got, page...), pages+1
		if next == "" {
			break
		}
		token = next
	}
	if !slices.Equal(got, items) || pages != 3 {
		t.Errorf("pages %d gave %v", pages, got)
	}
	if page, next, _ := operation.Slice(items, "", 0); len(page) != 5 || next != "" {
		t.Errorf("no limit: %v %q", page, next)
	}
	for _, bad := range []string{"!!", "azo1" /* "k:5" */, "aTotMQ" /* "i:-1" */} {
		if _, _, err := operation.Slice(items, bad, 2); !errors.Is(err, operation.ErrInvalidToken) {
			t.Errorf("token %q: %v", bad, err)
		}
	}
}

func TestKeyed(t *testing.T) {
	all := []string{"a", "b", "c", "d"}
	// A store reads limit+1 records after the key.
	read := func(after string, limit int) []string {
		var out []string
		for _, k := range all {
			if k > after && len(out) < limit {
				out = append(out, k)
			}
		}
		return out
	}
	var got []string
	token := ""
	for i := 0; i < 10; i++ {
		after, err := operation.AfterKey(token)
		if err != nil {
			t.Fatal(err)
		}
		page, next := operation.Keyed(read(after, 3+1), 3, func(s string) string { return s })
		got = append(got, page...)
		if next == "" {
			break
		}
		token = next
	}
	if !slices.Equal(got, all) {
		t.Errorf("got %v", got)
	}
	if _, err := operation.AfterKey(strconv.Itoa(7)); !errors.Is(err, operation.ErrInvalidToken) {
		t.Errorf("bad token: %v", err)
	}
}
