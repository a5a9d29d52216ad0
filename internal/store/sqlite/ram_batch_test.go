package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

// What reaches an account, read a page at a time: its own principals' associations and
// its organization's, merged in share order without doubles; only ASSOCIATED principal
// associations count.
func TestRAMBatchReads(t *testing.T) {
	db := ramDB(t)
	now := time.Unix(1700000000, 0).UTC()
	const org = "arn:aws:organizations::000000000000:organization/o-abc"
	arn := func(i string) string { return "arn:aws:ram:us-east-1:111111111111:resource-share/" + i }
	assoc := func(share, entity, kind, account, status string, invite bool) *store.RAMAssociation {
		return &store.RAMAssociation{ShareARN: arn(share), Type: store.RAMPrincipal, Entity: entity, Kind: kind, Account: account,
			OwnerAccount: "111111111111", Status: status, Invite: invite, CreatedAt: now, UpdatedAt: now}
	}
	ramUpdate(t, db, func(tx store.Tx) error {
		for _, id := range []string{"a", "b", "c", "d", "e"} {
			if err := tx.CreateRAMShare(&store.RAMShare{ARN: arn(id), OwnerAccount: "111111111111", Name: "share-" + id,
				Status: "ACTIVE", FeatureSet: "STANDARD", CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
		}
		for _, a := range []*store.RAMAssociation{
			assoc("a", "222222222222", "ACCOUNT", "222222222222", store.RAMAssociated, false),
			assoc("b", org, "ORGANIZATION", "", store.RAMAssociated, false),
			assoc("c", "222222222222", "ACCOUNT", "222222222222", store.RAMAssociated, true),
			assoc("c", "arn:aws:iam::222222222222:role/r", "ROLE", "222222222222", store.RAMAssociated, false),
			assoc("c", org, "ORGANIZATION", "", store.RAMAssociated, false),
			assoc("d", "222222222222", "ACCOUNT", "222222222222", "DISASSOCIATING", false),
			assoc("e", "333333333333", "ACCOUNT", "333333333333", store.RAMAssociated, false),
		} {
			if err := tx.PutRAMAssociation(a); err != nil {
				return err
			}
		}
		return tx.PutRAMTags(arn("b"), []store.Tag{{Key: "k", Value: "v"}})
	})
	err := db.View(context.Background(), func(tx store.Tx) error {
		read := func(entities []string, p store.Page) string {
			got, err := tx.ListRAMSharesReaching("222222222222", entities, p)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, r := range got {
				keys = append(keys, strings.TrimPrefix(r.Share.ARN, arn(""))+":"+r.Kind)
			}
			return strings.Join(keys, " ")
		}
		cases := []struct {
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
		}
		for _, tc := range cases {
			if got := read(tc.entities, tc.p); got != tc.want {
				t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
			}
		}
		named, err := tx.ListRAMAssociationsNamed(store.RAMAssociationQuery{Owner: "111111111111", Type: store.RAMPrincipal}, store.Page{After: arn("c") + " 222222222222", Limit: 2})
		if err != nil {
			return err
		}
		if len(named) != 2 || named[0].ShareName != "share-c" || named[0].Entity != "arn:aws:iam::222222222222:role/r" || named[1].Entity != org {
			t.Errorf("ListRAMAssociationsNamed: %+v", named)
		}
		tags, err := tx.RAMTagsByARN([]string{arn("a"), arn("b")})
		if err != nil {
			return err
		}
		if len(tags) != 1 || len(tags[arn("b")]) != 1 || tags[arn("b")][0].Value != "v" {
			t.Errorf("RAMTagsByARN: %+v", tags)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
