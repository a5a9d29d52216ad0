package storetest

import (
	"fmt"

	"github.com/cairnhq/cairn/internal/store"
)

func denialTests() []test {
	return []test{
		{"Denials", []string{"AddDenials", "RecentDenials"}, testDenials},
	}
}

func denial(account string, n int) *store.Denial {
	return &store.Denial{Account: account, Time: at(n), Principal: "arn:aws:iam::" + account + ":user/u",
		Action: "sagemaker:ListPipelines", Resource: "*", Decision: "ExplicitlyDenied", PolicyType: "identity-based policy",
		PolicyID: "user/u/p", Statement: "NoLists", Message: fmt.Sprintf("denied %d", n), RequestID: fmt.Sprintf("req-%d", n)}
}

func testDenials(h *h) {
	var first []*store.Denial
	for n := 1; n <= 4; n++ {
		first = append(first, denial(acct, n))
	}
	other := denial(acct2, 9)
	h.update(func(tx store.Tx) error { return tx.AddDenials(append(first, other), 3) })
	h.view(func(tx store.Tx) error {
		got, err := tx.RecentDenials(acct, 10)
		h.is("RecentDenials", err, nil)
		h.equal("an account's newest denials first, the oldest beyond keep gone", got, []*store.Denial{first[3], first[2], first[1]})
		got, _ = tx.RecentDenials(acct, 2)
		h.equal("at most limit", got, []*store.Denial{first[3], first[2]})
		got, _ = tx.RecentDenials(acct2, 10)
		h.equal("another account's denials apart", got, []*store.Denial{other})
		got, err = tx.RecentDenials("999999999999", 10)
		h.is("an account without denials", err, nil)
		h.equal("an account without denials", len(got), 0)
		return nil
	})
	later := denial(acct, 5)
	h.update(func(tx store.Tx) error { return tx.AddDenials([]*store.Denial{later}, 3) })
	h.view(func(tx store.Tx) error {
		got, _ := tx.RecentDenials(acct, 10)
		h.equal("a later batch pushes the oldest out", got, []*store.Denial{later, first[3], first[2]})
		got, _ = tx.RecentDenials(acct2, 10)
		h.equal("another account's denials untouched by a batch without it", got, []*store.Denial{other})
		return nil
	})
}
