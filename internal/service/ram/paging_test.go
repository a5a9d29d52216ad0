package ram_test

import (
	"fmt"
	"testing"

	"github.com/cairnhq/cairn/internal/service/ram"
)

// A list asked for without maxResults answers a page of 100 (RAM's model leaves the default
// to each operation) and a token for the rest; maxResults up to 500 is honoured.
func TestDefaultPage(t *testing.T) {
	f := newFixture(t, 0)
	for i := range 130 {
		f.share(fmt.Sprintf("s-%03d", i))
	}
	for _, c := range []struct {
		max   *int32
		pages []int
	}{
		{nil, []int{100, 30}},
		{int32p(500), []int{130}},
		{int32p(60), []int{60, 60, 10}},
	} {
		in := &ram.GetResourceSharesInput{ResourceOwner: "SELF", MaxResults: c.max}
		var got []int
		for {
			out := f.must(owner, "GetResourceShares", in).(*ram.GetResourceSharesOutput)
			got = append(got, len(out.ResourceShares))
			if out.NextToken == nil {
				break
			}
			in.NextToken = out.NextToken
		}
		if fmt.Sprint(got) != fmt.Sprint(c.pages) {
			t.Errorf("maxResults %v: pages of %v, want %v", c.max, got, c.pages)
		}
		assoc := &ram.GetResourceShareAssociationsInput{AssociationType: "RESOURCE", MaxResults: c.max}
		got = nil
		for {
			out := f.must(owner, "GetResourceShareAssociations", assoc).(*ram.GetResourceShareAssociationsOutput)
			got = append(got, len(out.ResourceShareAssociations))
			if out.NextToken == nil {
				break
			}
			assoc.NextToken = out.NextToken
		}
		if fmt.Sprint(got) != fmt.Sprint(c.pages) {
			t.Errorf("associations, maxResults %v: pages of %v, want %v", c.max, got, c.pages)
		}
	}
}

func int32p(v int32) *int32 { return &v }
