package organizations

import (
	"errors"
	"slices"
	"testing"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/operation"
)

func TestPager(t *testing.T) {
	ids := []string{"111111111111", "222222222222", "333333333333", "444444444444", "555555555555"}
	// read stands for a store list in key order: limit records after the key.
	read := func(p *pager) []string {
		var out []string
		for _, id := range ids {
			if id > p.after && len(out) < p.page().Limit {
				out = append(out, id)
			}
		}
		return out
	}
	two := 2
	var got []string
	var token *string
	for pages := 1; ; pages++ {
		if pages > len(ids) {
			t.Fatal("paging does not end")
		}
		p, err := newPager(&two, token, arn.IsAccountID)
		if err != nil {
			t.Fatal(err)
		}
		var page []string
		page, token = nextPage(p, read(p), func(s string) string { return s })
		got = append(got, page...)
		if token == nil {
			if pages != 3 {
				t.Errorf("%d pages, want 3", pages)
			}
			break
		}
	}
	if !slices.Equal(got, ids) {
		t.Errorf("pages gave %v", got)
	}
	if p, err := newPager(nil, nil, arn.IsAccountID); err != nil || p.limit != maxResults {
		t.Errorf("default page: %+v, %v", p, err)
	}

	reason := func(err error) string {
		var e *operation.Error
		if !errors.As(err, &e) || e.Code != "InvalidInputException" {
			t.Fatalf("got %v, want an InvalidInputException", err)
		}
		return e.Fields["Reason"]
	}
	zero, many := 0, 21
	_, err := newPager(&zero, nil, arn.IsAccountID)
	if r := reason(err); r != "MIN_VALUE_EXCEEDED" {
		t.Errorf("MaxResults 0: reason %s", r)
	}
	_, err = newPager(&many, nil, arn.IsAccountID)
	if r := reason(err); r != "MAX_VALUE_EXCEEDED" {
		t.Errorf("MaxResults 21: reason %s", r)
	}
	_, policyToken := operation.Keyed([]string{"p-abcdefgh", "p-ijklmnop"}, 1, func(s string) string { return s })
	_, sliceToken, _ := operation.Slice(ids, "", 1)
	for _, bad := range []string{"not-a-token", "", "111111111111", policyToken, sliceToken} {
		_, err := newPager(nil, &bad, arn.IsAccountID)
		if r := reason(err); r != "INVALID_NEXT_TOKEN" {
			t.Errorf("token %q: reason %s", bad, r)
		}
	}
}
