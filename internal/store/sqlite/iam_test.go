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

func openIAM(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func update(t *testing.T, db *sqlite.DB, fn func(store.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

const acct = "111111111111"

func TestIAMUsersCaseInsensitiveAndRename(t *testing.T) {
	db := openIAM(t)
	now := time.Unix(1700000000, 0).UTC()
	update(t, db, func(tx store.Tx) error {
		if err := tx.CreateAccount(&store.Account{ID: acct, Name: "a", Email: "a@example.com", State: "ACTIVE", JoinedMethod: "CREATED"}); err != nil {
			return err
		}
		if err := tx.CreateUser(&store.User{AccountID: acct, Name: "Alice", ID: "AIDAAAAAAAAAAAAAAAAAA", Path: "/", CreatedAt: now,
			Tags: []store.Tag{{Key: "team", Value: "ml"}}}); err != nil {
			return err
		}
		if err := tx.CreateAccessKey(&store.AccessKey{ID: "AKIAAAAAAAAAAAAAAAAA", Secret: "s", AccountID: acct, UserName: "Alice", Status: store.KeyActive, CreatedAt: now}); err != nil {
			return err
		}
		return nil
	})
	err := db.Update(context.Background(), func(tx store.Tx) error {
		return tx.CreateUser(&store.User{AccountID: acct, Name: "alice", ID: "AIDABBBBBBBBBBBBBBBBB", Path: "/"})
	})
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("duplicate user: got %v, want ErrExists", err)
	}
	update(t, db, func(tx store.Tx) error {
		u, err := tx.User(acct, "ALICE")
		if err != nil {
			return err
		}
		if u.Name != "Alice" || len(u.Tags) != 1 || !u.CreatedAt.Equal(now) {
			t.Errorf("user = %+v", u)
		}
		u.Name = "Bob"
		return tx.UpdateUser(u)
	})
	update(t, db, func(tx store.Tx) error {
		keys, err := tx.ListAccessKeys(acct, "Bob")
		if err != nil {
			return err
		}
		if len(keys) != 1 {
			t.Errorf("keys after rename = %d, want 1", len(keys))
		}
		if _, err := tx.User(acct, "Alice"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old name: %v", err)
		}
		return nil
	})
}

func TestIAMIdentityPolicies(t *testing.T) {
	db := openIAM(t)
	const admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	const s3ro = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
	update(t, db, func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateUser(&store.User{AccountID: acct, Name: "u", ID: "AIDA1", Path: "/", PermissionsBoundaryARN: s3ro}),
			tx.CreateGroup(&store.Group{AccountID: acct, Name: "g", ID: "AGPA1", Path: "/"}),
			tx.AddUserToGroup(acct, "g", "u"),
			tx.PutInlinePolicy(acct, store.EntityUser, "u", &store.InlinePolicy{Name: "p1", Document: `{"u":1}`}),
			tx.PutInlinePolicy(acct, store.EntityGroup, "g", &store.InlinePolicy{Name: "p2", Document: `{"g":1}`}),
			tx.AttachPolicy(acct, store.EntityGroup, "g", admin),
			tx.AttachPolicy(acct, store.EntityGroup, "g", admin),
			tx.CreateRole(&store.Role{AccountID: acct, Name: "OrganizationAccountAccessRole", AssumeRolePolicyDocument: `{}`}),
			tx.AttachRolePolicy(acct, "OrganizationAccountAccessRole", admin),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	db.View(context.Background(), func(tx store.Tx) error {
		set, err := tx.IdentityPolicies(acct, store.PrincipalUser, "U")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range set.Policies {
			ids = append(ids, p.ID)
		}
		want := []string{"user/u/p1", "group/g/p2", admin}
		if len(ids) != len(want) {
			t.Fatalf("ids = %v, want %v", ids, want)
		}
		for i := range want {
			if ids[i] != want[i] {
				t.Errorf("ids = %v, want %v", ids, want)
			}
		}
		if set.Boundary == nil || set.Boundary.ID != s3ro {
			t.Errorf("boundary = %+v", set.Boundary)
		}
		r, err := tx.Role(acct, "OrganizationAccountAccessRole")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.ID) != 21 || r.ID[:4] != "AROA" || r.MaxSessionDuration != 3600 || r.Path != "/" {
			t.Errorf("role = %+v", r)
		}
		rs, err := tx.IdentityPolicies(acct, store.PrincipalRole, "OrganizationAccountAccessRole")
		if err != nil || len(rs.Policies) != 1 || rs.Policies[0].ID != admin || rs.Boundary != nil {
			t.Errorf("role policies = %+v, %v", rs, err)
		}
		u, err := tx.PolicyUsage(acct, admin)
		if err != nil || u.Attachments != 2 || u.Boundaries != 0 {
			t.Errorf("admin usage = %+v, %v", u, err)
		}
		u, err = tx.PolicyUsage(acct, s3ro)
		if err != nil || u.Attachments != 0 || u.Boundaries != 1 {
			t.Errorf("s3ro usage = %+v, %v", u, err)
		}
		if u, _ := tx.PolicyUsage("222222222222", admin); u.Attachments != 0 {
			t.Errorf("other account sees %d attachments", u.Attachments)
		}
		list, err := tx.ListManagedPolicies(acct, store.PolicyFilter{OnlyAttached: true}, store.Page{})
		if err != nil || len(list) != 2 {
			t.Errorf("attached policies = %d, %v", len(list), err)
		}
		list, err = tx.ListManagedPolicies(acct, store.PolicyFilter{Scope: "AWS"}, store.Page{Limit: 2})
		if err != nil || len(list) != 2 {
			t.Errorf("AWS policies page = %d, %v", len(list), err)
		}
		return nil
	})
	err := db.View(context.Background(), func(tx store.Tx) error {
		_, err := tx.IdentityPolicies(acct, store.PrincipalUser, "nobody")
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing user: %v", err)
	}
}

func TestIAMChangesRecorded(t *testing.T) {
	db := openIAM(t)
	var got []store.Change
	cancel := db.Subscribe(func(c []store.Change) { got = append(got, c...) })
	defer cancel()
	update(t, db, func(tx store.Tx) error {
		return tx.CreateRole(&store.Role{AccountID: acct, Name: "r", AssumeRolePolicyDocument: `{}`})
	})
	if len(got) == 0 || got[0].Kind != store.ChangeRole || got[0].Key != acct+"/r" {
		t.Errorf("changes = %+v", got)
	}
}
