package storetest

import (
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// What reaches an account, read a page at a time: its own principals' associations and its
// organization's, merged in share order without doubles; only ASSOCIATED principal
// associations count. Associations listed with their share's name.
func testRAMReaching(h *h) {
	const org = "arn:aws:organizations::000000000000:organization/o-abc"
	arn := func(id string) string { return shareARN(acct, id) }
	assoc := func(share, entity, kind, account, status string, invite bool) *store.RAMAssociation {
		return &store.RAMAssociation{ShareARN: arn(share), Type: store.RAMPrincipal, Entity: entity, Kind: kind, Account: account,
			OwnerAccount: acct, Status: status, Invite: invite, CreatedAt: at(1), UpdatedAt: at(1)}
	}
	h.update(func(tx store.Tx) error {
		for i, id := range []string{"a", "b", "c", "d", "e"} {
			h.must("CreateRAMShare", tx.CreateRAMShare(ramShare(acct, id, i)))
		}
		for _, a := range []*store.RAMAssociation{
			assoc("a", acct2, "ACCOUNT", acct2, store.RAMAssociated, false),
			assoc("b", org, "ORGANIZATION", "", store.RAMAssociated, false),
			assoc("c", acct2, "ACCOUNT", acct2, store.RAMAssociated, true),
			assoc("c", "arn:aws:iam::222222222222:role/r", "ROLE", acct2, store.RAMAssociated, false),
			assoc("c", org, "ORGANIZATION", "", store.RAMAssociated, false),
			assoc("d", acct2, "ACCOUNT", acct2, "DISASSOCIATING", false),
			assoc("e", "333333333333", "ACCOUNT", "333333333333", store.RAMAssociated, false),
		} {
			h.must("PutRAMAssociation", tx.PutRAMAssociation(a))
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		read := func(entities []string, p store.Page) string {
			got, err := tx.ListRAMSharesReaching(acct2, entities, p)
			h.is("ListRAMSharesReaching", err, nil)
			var keys []string
			for _, r := range got {
				keys = append(keys, strings.TrimPrefix(r.Share.ARN, arn(""))+":"+r.Kind)
			}
			return strings.Join(keys, " ")
		}
		for _, tc := range []struct {
			name     string
			entities []string
			p        store.Page
			want     string
		}{
			{"own principals", nil, store.Page{}, "a:ACCOUNT c:ACCOUNT c:ROLE"},
			{"and the organization", []string{org}, store.Page{}, "a:ACCOUNT b:ORGANIZATION c:ACCOUNT c:ROLE c:ORGANIZATION"},
			{"a page", []string{org}, store.Page{Limit: 2}, "a:ACCOUNT b:ORGANIZATION"},
			{"after a share", []string{org}, store.Page{After: arn("b") + " " + org, Limit: 2}, "c:ACCOUNT c:ROLE"},
			{"after an entity", []string{org}, store.Page{After: arn("c") + " arn:aws:iam::222222222222:role/r"}, "c:ORGANIZATION"},
		} {
			h.equal("ListRAMSharesReaching "+tc.name, read(tc.entities, tc.p), tc.want)
		}
		got, err := tx.ListRAMSharesReaching(acct2, nil, store.Page{})
		h.is("ListRAMSharesReaching", err, nil)
		if len(got) > 0 {
			h.equal("a reached share", got[0].Share, ramShare(acct, "a", 0))
		}
		named, err := tx.ListRAMAssociationsNamed(store.RAMAssociationQuery{Owner: acct, Type: store.RAMPrincipal},
			store.Page{After: arn("c") + " " + acct2, Limit: 2})
		h.is("ListRAMAssociationsNamed", err, nil)
		if len(named) != 2 || named[0].ShareName != "share-c" || named[0].Entity != "arn:aws:iam::222222222222:role/r" || named[1].Entity != org {
			h.Errorf("ListRAMAssociationsNamed: %+v", named)
		}
		return nil
	})
}
