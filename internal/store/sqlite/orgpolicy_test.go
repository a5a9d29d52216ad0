package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// orgFixture is an organization with root r-root, OUs ou-root-aaaaaaaa (top) and
// ou-root-bbbbbbbb (inside it), member 111111111111 in the inner OU and 222222222222 in the
// root, and SCPs enabled with p-full attached everywhere.
func orgFixture(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Unix(1700000000, 0).UTC()
	orgUpdate(t, db, func(tx store.Tx) error {
		steps := []func() error{
			func() error {
				return tx.CreateOrganization(&store.Organization{ID: "o-abcdefghij", ManagementAccountID: "000000000000", RootID: "r-root", FeatureSet: "ALL", CreatedAt: now})
			},
			func() error {
				return tx.CreateOrganizationalUnit(&store.OrganizationalUnit{ID: "ou-root-aaaaaaaa", Name: "top", ParentID: "r-root", CreatedAt: now})
			},
			func() error {
				return tx.CreateOrganizationalUnit(&store.OrganizationalUnit{ID: "ou-root-bbbbbbbb", Name: "inner", ParentID: "ou-root-aaaaaaaa", CreatedAt: now})
			},
			func() error {
				return tx.CreateAccount(&store.Account{ID: "111111111111", Name: "a", Email: "a@example.com", State: "ACTIVE", JoinedMethod: "CREATED", ParentID: "ou-root-bbbbbbbb"})
			},
			func() error {
				return tx.CreateAccount(&store.Account{ID: "222222222222", Name: "b", Email: "b@example.com", State: "ACTIVE", JoinedMethod: "CREATED", ParentID: "r-root"})
			},
			func() error {
				return tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-full", Type: store.ServiceControlPolicy, Name: "full", Content: "{full}", AWSManaged: true})
			},
			func() error { return tx.EnablePolicyType(store.ServiceControlPolicy, now) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		for _, target := range []string{"r-root", "ou-root-aaaaaaaa", "ou-root-bbbbbbbb", "111111111111", "222222222222"} {
			if err := tx.AttachOrgPolicy("p-full", target, now); err != nil {
				return err
			}
		}
		return nil
	})
	return db
}

func orgUpdate(t *testing.T, db *sqlite.DB, fn func(store.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func TestOrgPathAndPolicyChain(t *testing.T) {
	db := orgFixture(t)
	orgUpdate(t, db, func(tx store.Tx) error {
		if err := tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-deny", Type: store.ServiceControlPolicy, Name: "deny", Content: "{deny}"}); err != nil {
			return err
		}
		if err := tx.AttachOrgPolicy("p-deny", "ou-root-aaaaaaaa", time.Now()); err != nil {
			return err
		}
		if err := tx.AttachOrgPolicy("p-deny", "ou-root-aaaaaaaa", time.Now()); !errors.Is(err, store.ErrExists) {
			t.Errorf("second attachment: %v, want ErrExists", err)
		}
		return nil
	})
	err := db.View(context.Background(), func(tx store.Tx) error {
		for account, want := range map[string]string{
			"111111111111": "o-abcdefghij/r-root/ou-root-aaaaaaaa/ou-root-bbbbbbbb/",
			"222222222222": "o-abcdefghij/r-root/",
		} {
			got, err := tx.OrgPath(account)
			if err != nil {
				return err
			}
			if got != want {
				t.Errorf("OrgPath(%s) = %s, want %s", account, got, want)
			}
		}
		full := store.PolicyDocument{ID: "p-full", Document: "{full}"}
		deny := store.PolicyDocument{ID: "p-deny", Document: "{deny}"}
		chain, err := tx.PolicyChain("111111111111", store.ServiceControlPolicy)
		if err != nil {
			return err
		}
		want := [][]store.PolicyDocument{{full}, {deny, full}, {full}, {full}}
		if !reflect.DeepEqual(chain, want) {
			t.Errorf("chain of 111111111111 = %v, want %v", chain, want)
		}
		chain, err = tx.PolicyChain("222222222222", store.ServiceControlPolicy)
		if err != nil {
			return err
		}
		if want := [][]store.PolicyDocument{{full}, {full}}; !reflect.DeepEqual(chain, want) {
			t.Errorf("chain of 222222222222 = %v, want %v", chain, want)
		}
		chain, err = tx.PolicyChain("222222222222", store.ResourceControlPolicy)
		if err != nil || chain != nil {
			t.Errorf("RCP chain while disabled = %v, %v; want nil", chain, err)
		}
		if _, err := tx.PolicyChain("999999999999", store.ServiceControlPolicy); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("chain of a missing account: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOrgMoveDisableAndDelete(t *testing.T) {
	db := orgFixture(t)
	var changes []store.Change
	cancel := db.Subscribe(func(c []store.Change) { changes = append(changes, c...) })
	defer cancel()
	orgUpdate(t, db, func(tx store.Tx) error {
		if err := tx.MoveAccount("111111111111", "r-root"); err != nil {
			return err
		}
		if err := tx.MoveAccount("999999999999", "r-root"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("moving a missing account: %v", err)
		}
		if err := tx.DeleteOrganizationalUnit("ou-root-bbbbbbbb"); err != nil {
			return err
		}
		return tx.DisablePolicyType(store.ServiceControlPolicy)
	})
	if !reflect.DeepEqual(changes[0], store.Change{Kind: store.ChangeAccount, Key: "111111111111"}) {
		t.Errorf("first change %+v", changes[0])
	}
	err := db.View(context.Background(), func(tx store.Tx) error {
		path, err := tx.OrgPath("111111111111")
		if err != nil || path != "o-abcdefghij/r-root/" {
			t.Errorf("path after move = %q, %v", path, err)
		}
		if _, err := tx.OrganizationalUnit("ou-root-bbbbbbbb"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted OU: %v", err)
		}
		if n, err := tx.CountOrgPolicyTargets("p-full"); err != nil || n != 0 {
			t.Errorf("attachments after disabling = %d, %v", n, err)
		}
		types, err := tx.EnabledPolicyTypes()
		if err != nil || len(types) != 0 {
			t.Errorf("enabled types = %v, %v", types, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
