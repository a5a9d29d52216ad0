package sagemaker

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

type record struct {
	name     string
	created  time.Time
	modified time.Time
	status   string
}

var recordListing = listing[record]{
	name:     func(r record) string { return r.name },
	created:  func(r record) time.Time { return r.created },
	modified: func(r record) time.Time { return r.modified },
	status:   func(r record) string { return r.status },
	orders: map[string]func(a, b record) int{
		"Name":         byString(func(r record) string { return r.name }),
		"CreationTime": byTime(func(r record) time.Time { return r.created }),
	},
	defaultOrder: "CreationTime",
}

func names(rs []record) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.name
	}
	return strings.Join(out, ",")
}

func TestListing(t *testing.T) {
	at := func(min int) time.Time { return time.Date(2024, 5, 1, 12, min, 0, 0, time.UTC) }
	ts := func(min int) *operation.Timestamp { return &operation.Timestamp{Time: at(min)} }
	str := func(s string) *string { return &s }
	n := func(i int) *int { return &i }
	// Read in this order; b and c were created at the same instant.
	records := []record{
		{"Alpha", at(1), at(9), "Completed"},
		{"b-job", at(2), at(3), "Failed"},
		{"c-job", at(2), at(5), "Completed"},
		{"delta", at(4), at(4), "InProgress"},
	}
	for _, c := range []struct {
		name string
		q    listQuery
		want string
	}{
		{"newest first by default; equal instants in reverse", listQuery{}, "delta,c-job,b-job,Alpha"},
		{"ascending keeps equal instants in order", listQuery{SortOrder: str("Ascending")}, "Alpha,b-job,c-job,delta"},
		{"by name, case first", listQuery{SortBy: str("Name"), SortOrder: str("Ascending")}, "Alpha,b-job,c-job,delta"},
		{"by name descending", listQuery{SortBy: str("Name")}, "delta,c-job,b-job,Alpha"},
		{"name contains, ignoring case", listQuery{NameContains: str("JOB"), SortOrder: str("Ascending")}, "b-job,c-job"},
		{"name prefix, minding case", listQuery{NamePrefix: str("alpha")}, ""},
		{"name prefix", listQuery{NamePrefix: str("Al")}, "Alpha"},
		{"created after, strictly", listQuery{CreatedAfter: ts(2), SortOrder: str("Ascending")}, "delta"},
		{"created before, strictly", listQuery{CreatedBefore: ts(2)}, "Alpha"},
		{"modified between", listQuery{ModifiedAfter: ts(3), ModifiedBefore: ts(9)}, "delta,c-job"},
		{"status", listQuery{StatusEquals: str("Completed")}, "c-job,Alpha"},
		{"page", listQuery{MaxResults: n(3)}, "delta,c-job,b-job"},
	} {
		t.Run(c.name, func(t *testing.T) {
			page, _, err := recordListing.list(records, c.q)
			if err != nil || names(page) != c.want {
				t.Errorf("got %q (%v), want %q", names(page), err, c.want)
			}
		})
	}
	if got := names(records); got != "Alpha,b-job,c-job,delta" {
		t.Errorf("list reordered its input: %s", got)
	}
}

func TestListingPages(t *testing.T) {
	records := make([]record, 23)
	for i := range records {
		records[i] = record{name: string(rune('a' + i)), created: time.Unix(int64(i), 0)}
	}
	ascending := "Ascending"
	q := listQuery{SortOrder: &ascending}
	var got []string
	pages := 0
	for {
		page, next, err := recordListing.list(records, q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, names(page))
		if next == nil {
			break
		}
		q.NextToken = next
	}
	if pages != 3 || strings.Join(got, ",") != names(records) {
		t.Errorf("%d pages of the default size: %v", pages, got)
	}
	// Without orders, records keep the order they were read in.
	page, _, _ := listing[record]{}.list(records[:3], listQuery{SortOrder: q.SortOrder})
	if names(page) != "a,b,c" {
		t.Errorf("unordered listing: %s", names(page))
	}
	_, _, err := recordListing.list(records, listQuery{NextToken: q.SortOrder})
	var e *operation.Error
	if !errors.As(err, &e) || e.Code != "ValidationException" || e.Message != `Invalid pagination token "Ascending".` {
		t.Errorf("a token the list did not issue: %v", err)
	}
}
