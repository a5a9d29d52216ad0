package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

func ramDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func ramUpdate(t *testing.T, db *sqlite.DB, fn func(tx store.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func TestRAMShares(t *testing.T) {
	db := ramDB(t)
	now := time.Unix(1700000000, 0).UTC()
	arn := func(i string) string { return "arn:aws:ram:us-east-1:111111111111:resource-share/" + i }
	ramUpdate(t, db, func(tx store.Tx) error {
		for _, id := range []string{"a", "b", "c", "d"} {
			if err := tx.CreateRAMShare(&store.RAMShare{ARN: arn(id), OwnerAccount: "111111111111", Name: "share-" + id,
				AllowExternalPrincipals: id != "b", Status: "ACTIVE", FeatureSet: "STANDARD", CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
		}
		if err := tx.SetTags(arn("b"), []store.Tag{{Key: "team", Value: "ml"}}); err != nil {
			return err
		}
		if err := tx.PutRAMSharePermission(&store.RAMSharePermission{ShareARN: arn("c"), ResourceType: "sagemaker:Pipeline",
			PermissionARN: "arn:aws:ram::aws:permission/P", PermissionVersion: 1, Status: "ASSOCIATED", CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		d, err := tx.RAMShare(arn("d"))
		if err != nil {
			return err
		}
		d.Status = "DELETED"
		return tx.UpdateRAMShare(d)
	})
	err := db.View(context.Background(), func(tx store.Tx) error {
		cases := []struct {
			name string
			q    store.RAMShareQuery
			p    store.Page
			want []string
		}{
			{"all", store.RAMShareQuery{Owner: "111111111111"}, store.Page{}, []string{"a", "b", "c", "d"}},
			{"page", store.RAMShareQuery{Owner: "111111111111"}, store.Page{After: arn("a"), Limit: 2}, []string{"b", "c"}},
			{"other owner", store.RAMShareQuery{Owner: "222222222222"}, store.Page{}, nil},
			{"status", store.RAMShareQuery{Status: "DELETED"}, store.Page{}, []string{"d"}},
			{"name", store.RAMShareQuery{Name: "share-c"}, store.Page{}, []string{"c"}},
			{"arns", store.RAMShareQuery{ARNs: []string{arn("a"), arn("c")}}, store.Page{}, []string{"a", "c"}},
			{"no arns", store.RAMShareQuery{ARNs: []string{}}, store.Page{}, nil},
			{"tag key", store.RAMShareQuery{TagFilters: []store.RAMTagFilter{{Key: "team"}}}, store.Page{}, []string{"b"}},
			{"tag value", store.RAMShareQuery{TagFilters: []store.RAMTagFilter{{Key: "team", Values: []string{"web"}}}}, store.Page{}, nil},
			{"permission", store.RAMShareQuery{PermissionARN: "arn:aws:ram::aws:permission/P", PermissionVersion: 1}, store.Page{}, []string{"c"}},
			{"permission version", store.RAMShareQuery{PermissionARN: "arn:aws:ram::aws:permission/P", PermissionVersion: 2}, store.Page{}, nil},
		}
		for _, tc := range cases {
			got, err := tx.ListRAMShares(tc.q, tc.p)
			if err != nil {
				return err
			}
			var ids []string
			for _, s := range got {
				ids = append(ids, s.ARN[len(s.ARN)-1:])
			}
			if len(ids) != len(tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
				continue
			}
			for i := range ids {
				if ids[i] != tc.want[i] {
					t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
					break
				}
			}
		}
		b, err := tx.RAMShare(arn("b"))
		if err != nil || b.AllowExternalPrincipals || !b.CreatedAt.Equal(now) {
			t.Errorf("share b: %v %+v", err, b)
		}
		if n, err := tx.CountRAMShares("111111111111"); err != nil || n != 3 {
			t.Errorf("CountRAMShares: %d %v, want 3", n, err)
		}
		if _, err := tx.RAMShare(arn("z")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing share: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRAMAssociationsAndDueWork(t *testing.T) {
	db := ramDB(t)
	now := time.Unix(1700000000, 0).UTC()
	var changes []store.Change
	db.Subscribe(func(c []store.Change) { changes = append(changes, c...) })
	ramUpdate(t, db, func(tx store.Tx) error {
		for i, e := range []string{"222222222222", "333333333333", "444444444444"} {
			a := &store.RAMAssociation{ShareARN: "s1", Type: store.RAMPrincipal, Entity: e, Kind: "ACCOUNT", Account: e, OwnerAccount: "111111111111",
				Status: store.RAMAssociating, DueAt: now.Add(time.Duration(3-i) * time.Second), CreatedAt: now, UpdatedAt: now}
			if err := tx.PutRAMAssociation(a); err != nil {
				return err
			}
		}
		return tx.PutRAMReplaceWork(&store.RAMReplaceWork{ID: "w", OwnerAccount: "111111111111", FromARN: "f", ToARN: "t", Status: "IN_PROGRESS",
			DueAt: now.Add(500 * time.Millisecond), CreatedAt: now, UpdatedAt: now})
	})
	pending := 0
	for _, c := range changes {
		if c.Kind == store.ChangeRAMPending {
			pending++
		}
	}
	if pending != 4 {
		t.Errorf("%d pending changes, want 4", pending)
	}
	err := db.View(context.Background(), func(tx store.Tx) error {
		next, err := tx.NextRAMDue()
		if err != nil || !next.Equal(now.Add(500*time.Millisecond)) {
			t.Errorf("NextRAMDue %v %v", next, err)
		}
		due, err := tx.DueRAMAssociations(now.Add(2 * time.Second))
		if err != nil || len(due) != 2 || due[0].Entity != "444444444444" {
			t.Errorf("due associations %v %+v", err, due)
		}
		page, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMPrincipal, Owner: "111111111111"},
			store.Page{After: "s1 222222222222", Limit: 1})
		if err != nil || len(page) != 1 || page[0].Entity != "333333333333" {
			t.Errorf("page after a key: %v %+v", err, page)
		}
		works, err := tx.DueRAMReplaceWork(now.Add(time.Second))
		if err != nil || len(works) != 1 {
			t.Errorf("due work %v %+v", err, works)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRAMPermissionsAndPolicies(t *testing.T) {
	db := ramDB(t)
	now := time.Unix(1700000000, 0).UTC()
	p := &store.RAMPermission{ARN: "arn:aws:ram:us-east-1:111111111111:permission/Narrow", OwnerAccount: "111111111111", Name: "Narrow",
		ResourceType: "sagemaker:Pipeline", FeatureSet: "STANDARD", Status: "ATTACHABLE", DefaultVersion: 1, LastVersion: 1, CreatedAt: now, UpdatedAt: now}
	ramUpdate(t, db, func(tx store.Tx) error { return tx.CreateRAMPermission(p) })
	err := db.Update(context.Background(), func(tx store.Tx) error {
		clash := *p
		clash.ARN, clash.Name = "arn:aws:ram:us-east-1:111111111111:permission/NARROW", "NARROW"
		return tx.CreateRAMPermission(&clash)
	})
	if !errors.Is(err, store.ErrExists) {
		t.Errorf("a name differing in case: %v, want ErrExists", err)
	}
	ramUpdate(t, db, func(tx store.Tx) error {
		other := *p
		other.ARN, other.OwnerAccount = "arn:aws:ram:us-east-1:222222222222:permission/Narrow", "222222222222"
		if err := tx.CreateRAMPermission(&other); err != nil {
			return err
		}
		for v := 1; v <= 2; v++ {
			if err := tx.PutRAMPermissionVersion(&store.RAMPermissionVersion{PermissionARN: p.ARN, Version: v, Template: "{}", Status: "ATTACHABLE",
				CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
		}
		if err := tx.PutResourcePolicy("arn:r", "111111111111", []byte(`{"Version":"2012-10-17"}`), now); err != nil {
			return err
		}
		return tx.SetTags(p.ARN, []store.Tag{{Key: "k", Value: "v"}})
	})
	err = db.View(context.Background(), func(tx store.Tx) error {
		if vs, err := tx.ListRAMPermissionVersions(p.ARN); err != nil || len(vs) != 2 {
			t.Errorf("versions %v %+v", err, vs)
		}
		if doc, err := tx.ResourcePolicy("arn:r"); err != nil || string(doc) != `{"Version":"2012-10-17"}` {
			t.Errorf("ResourcePolicy %q %v", doc, err)
		}
		for prefix, want := range map[string]int{"arn:": 1, "arn:r": 1, "arn:s": 0, "": 1} {
			if list, err := tx.ListResourcePolicies(prefix, store.Page{}); err != nil || len(list) != want {
				t.Errorf("ListResourcePolicies(%q): %v %+v, want %d", prefix, err, list, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ramUpdate(t, db, func(tx store.Tx) error {
		if err := tx.PutResourcePolicy("arn:r", "111111111111", nil, now); err != nil {
			return err
		}
		return tx.DeleteRAMPermission(p.ARN)
	})
	err = db.View(context.Background(), func(tx store.Tx) error {
		if _, err := tx.ResourcePolicy("arn:r"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("removed policy: %v", err)
		}
		if vs, _ := tx.ListRAMPermissionVersions(p.ARN); len(vs) != 0 {
			t.Errorf("versions of a deleted permission: %+v", vs)
		}
		if tags, _ := tx.Tags(p.ARN); len(tags) != 0 {
			t.Errorf("tags of a deleted permission: %+v", tags)
		}
		if n, _ := tx.CountRAMPermissions("222222222222"); n != 1 {
			t.Errorf("the other account's permission count %d", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
