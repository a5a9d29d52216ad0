package storetest

import (
	"github.com/cairnhq/cairn/internal/store"
)

// The organization of the Organizations tests: root r-root, OUs ou-root-aaaaaaaa (top)
// and ou-root-bbbbbbbb (inside it), account 111111111111 in the inner OU and
// 222222222222 in the root, and service control policies enabled with p-full attached
// everywhere.
const (
	root    = "r-root"
	ouTop   = "ou-root-aaaaaaaa"
	ouInner = "ou-root-bbbbbbbb"
)

func orgTests() []test {
	return []test{
		{"OrganizationalUnits", []string{"OrganizationalUnit", "OrganizationalUnitByName", "ListOrganizationalUnits",
			"CountOrganizationalUnits", "CreateOrganizationalUnit", "RenameOrganizationalUnit", "DeleteOrganizationalUnit"}, testOrganizationalUnits},
		{"OrgAccounts", []string{"ListAccountsForParent", "MoveAccount"}, testOrgAccounts},
		{"OrgPolicyTypes", []string{"EnabledPolicyTypes", "EnablePolicyType", "DisablePolicyType"}, testOrgPolicyTypes},
		{"OrgPolicies", []string{"OrgPolicy", "OrgPolicyByName", "ListOrgPolicies", "CountOrgPolicies", "CreateOrgPolicy",
			"UpdateOrgPolicy", "DeleteOrgPolicy"}, testOrgPolicies},
		{"OrgPolicyAttachments", []string{"AttachOrgPolicy", "DetachOrgPolicy", "ListOrgPoliciesForTarget", "ListOrgPolicyTargets",
			"CountOrgPolicyTargets"}, testOrgPolicyAttachments},
		{"OrgPathAndPolicyChain", []string{"PolicyChain", "OrgPath"}, testOrgPathAndPolicyChain},
		{"OrgMoveDisableAndDelete", nil, testOrgMoveDisableAndDelete},
	}
}

// orgFixture builds the organization of the Organizations tests.
func (h *h) orgFixture() {
	h.Helper()
	h.update(func(tx store.Tx) error {
		steps := []func() error{
			func() error {
				return tx.CreateOrganization(&store.Organization{ID: "o-abcdefghij", ManagementAccountID: "000000000000", RootID: root, FeatureSet: "ALL", CreatedAt: at(0)})
			},
			func() error {
				return tx.CreateOrganizationalUnit(&store.OrganizationalUnit{ID: ouTop, Name: "top", ParentID: root, CreatedAt: at(1)})
			},
			func() error {
				return tx.CreateOrganizationalUnit(&store.OrganizationalUnit{ID: ouInner, Name: "inner", ParentID: ouTop, CreatedAt: at(2)})
			},
			func() error {
				return tx.CreateAccount(&store.Account{ID: acct, Name: "a", Email: "a@example.com", State: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: at(3), ParentID: ouInner})
			},
			func() error {
				return tx.CreateAccount(&store.Account{ID: acct2, Name: "b", Email: "b@example.com", State: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: at(4), ParentID: root})
			},
			func() error {
				return tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-full", Type: store.ServiceControlPolicy, Name: "full", Content: "{full}", AWSManaged: true})
			},
			func() error { return tx.EnablePolicyType(store.ServiceControlPolicy, at(5)) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		for _, target := range []string{root, ouTop, ouInner, acct, acct2} {
			if err := tx.AttachOrgPolicy("p-full", target, at(6)); err != nil {
				return err
			}
		}
		return nil
	})
}

func testOrganizationalUnits(h *h) {
	h.orgFixture()
	second := &store.OrganizationalUnit{ID: "ou-root-00000000", Name: "second", ParentID: root, CreatedAt: at(7)}
	third := &store.OrganizationalUnit{ID: "ou-root-zzzzzzzz", Name: "third", ParentID: root, CreatedAt: at(8)}
	h.update(func(tx store.Tx) error {
		h.must("CreateOrganizationalUnit", tx.CreateOrganizationalUnit(third))
		// The same name under another parent is no clash.
		h.must("CreateOrganizationalUnit", tx.CreateOrganizationalUnit(&store.OrganizationalUnit{ID: "ou-root-cccccccc", Name: "second", ParentID: ouTop, CreatedAt: at(7)}))
		return tx.CreateOrganizationalUnit(second)
	})
	h.is("an OU name taken under the parent", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateOrganizationalUnit(&store.OrganizationalUnit{ID: "ou-root-dddddddd", Name: "top", ParentID: root})
	}), store.ErrExists)
	h.is("an OU ID taken", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateOrganizationalUnit(&store.OrganizationalUnit{ID: ouTop, Name: "fresh", ParentID: root})
	}), store.ErrExists)
	top := &store.OrganizationalUnit{ID: ouTop, Name: "top", ParentID: root, CreatedAt: at(1)}
	h.view(func(tx store.Tx) error {
		ou, err := tx.OrganizationalUnit(ouTop)
		h.is("OrganizationalUnit", err, nil)
		h.equal("OrganizationalUnit", ou, top)
		_, err = tx.OrganizationalUnit("ou-root-99999999")
		h.is("missing OrganizationalUnit", err, store.ErrNotFound)
		ou, err = tx.OrganizationalUnitByName(root, "third")
		h.is("OrganizationalUnitByName", err, nil)
		h.equal("OrganizationalUnitByName", ou, third)
		_, err = tx.OrganizationalUnitByName(ouInner, "top")
		h.is("OrganizationalUnitByName under another parent", err, store.ErrNotFound)
		list, err := tx.ListOrganizationalUnits(root, store.Page{})
		h.is("ListOrganizationalUnits", err, nil)
		h.equal("ListOrganizationalUnits in ID order", list, []*store.OrganizationalUnit{second, top, third})
		list, _ = tx.ListOrganizationalUnits(root, store.Page{After: second.ID, Limit: 1})
		h.equal("ListOrganizationalUnits after the first, 1", list, []*store.OrganizationalUnit{top})
		n, err := tx.CountOrganizationalUnits()
		h.is("CountOrganizationalUnits", err, nil)
		h.equal("CountOrganizationalUnits", n, 5)
		return nil
	})
	h.is("renaming an OU to a name taken", h.tryUpdate(func(tx store.Tx) error { return tx.RenameOrganizationalUnit(second.ID, "top") }), store.ErrExists)
	h.is("renaming a missing OU", h.tryUpdate(func(tx store.Tx) error { return tx.RenameOrganizationalUnit("ou-root-99999999", "x") }), store.ErrNotFound)
	h.update(func(tx store.Tx) error {
		h.must("RenameOrganizationalUnit", tx.RenameOrganizationalUnit(second.ID, "renamed"))
		h.must("SetTags", tx.SetTags(third.ID, []store.Tag{{Key: "k", Value: "v"}}))
		h.must("AttachOrgPolicy", tx.AttachOrgPolicy("p-full", third.ID, at(9)))
		return tx.DeleteOrganizationalUnit(third.ID)
	})
	h.view(func(tx store.Tx) error {
		ou, _ := tx.OrganizationalUnit(second.ID)
		h.equal("renamed OU", ou.Name, "renamed")
		_, err := tx.OrganizationalUnit(third.ID)
		h.is("deleted OU", err, store.ErrNotFound)
		tags, _ := tx.Tags(third.ID)
		h.equal("tags of a deleted OU", len(tags), 0)
		targets, _ := tx.ListOrgPolicyTargets("p-full", store.Page{})
		for _, target := range targets {
			if target == third.ID {
				h.Errorf("a deleted OU is still a target of p-full")
			}
		}
		return nil
	})
	h.is("deleting a missing OU", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteOrganizationalUnit(third.ID) }), store.ErrNotFound)
}

func testOrgAccounts(h *h) {
	h.orgFixture()
	h.createAccounts("333333333333", "000000000000")
	h.view(func(tx store.Tx) error {
		list, err := tx.ListAccountsForParent(root, store.Page{})
		h.is("ListAccountsForParent", err, nil)
		var ids []string
		for _, a := range list {
			ids = append(ids, a.ID)
		}
		h.equal("ListAccountsForParent in ID order", ids, []string{"000000000000", acct2, "333333333333"})
		list, _ = tx.ListAccountsForParent(root, store.Page{After: "000000000000", Limit: 1})
		h.equal("ListAccountsForParent after the first, 1", len(list), 1)
		if len(list) == 1 {
			h.equal("ListAccountsForParent after the first, 1", list[0].ID, acct2)
		}
		list, _ = tx.ListAccountsForParent(ouInner, store.Page{})
		h.equal("accounts of the inner OU", len(list), 1)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.MoveAccount(acct, root) })
	h.is("moving a missing account", h.tryUpdate(func(tx store.Tx) error { return tx.MoveAccount("999999999999", root) }), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		a, _ := tx.Account(acct)
		h.equal("parent after MoveAccount", a.ParentID, root)
		list, _ := tx.ListAccountsForParent(ouInner, store.Page{})
		h.equal("accounts left in the inner OU", len(list), 0)
		return nil
	})
}

func testOrgPolicyTypes(h *h) {
	h.update(func(tx store.Tx) error {
		h.must("enable RCPs", tx.EnablePolicyType(store.ResourceControlPolicy, at(1)))
		h.must("enable SCPs", tx.EnablePolicyType(store.ServiceControlPolicy, at(2)))
		h.must("create SCP", tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-scp", Type: store.ServiceControlPolicy, Name: "s", Content: "{}"}))
		h.must("create RCP", tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-rcp", Type: store.ResourceControlPolicy, Name: "r", Content: "{}"}))
		h.must("attach SCP", tx.AttachOrgPolicy("p-scp", acct, at(3)))
		return tx.AttachOrgPolicy("p-rcp", acct, at(3))
	})
	h.view(func(tx store.Tx) error {
		types, err := tx.EnabledPolicyTypes()
		h.is("EnabledPolicyTypes", err, nil)
		h.equal("EnabledPolicyTypes, sorted", types, []string{store.ResourceControlPolicy, store.ServiceControlPolicy})
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DisablePolicyType(store.ServiceControlPolicy) })
	h.is("disabling a type not enabled", h.tryUpdate(func(tx store.Tx) error { return tx.DisablePolicyType(store.ServiceControlPolicy) }), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		types, _ := tx.EnabledPolicyTypes()
		h.equal("EnabledPolicyTypes after disabling SCPs", types, []string{store.ResourceControlPolicy})
		n, _ := tx.CountOrgPolicyTargets("p-scp")
		h.equal("attachments of an SCP after disabling SCPs", n, 0)
		n, _ = tx.CountOrgPolicyTargets("p-rcp")
		h.equal("attachments of an RCP after disabling SCPs", n, 1)
		return nil
	})
}

func testOrgPolicies(h *h) {
	full := &store.OrgPolicy{ID: "p-FullAWSAccess", Type: store.ServiceControlPolicy, Name: "FullAWSAccess", Description: "all",
		Content: `{"full":1}`, AWSManaged: true, CreatedAt: at(1), UpdatedAt: at(1)}
	deny := &store.OrgPolicy{ID: "p-deny", Type: store.ServiceControlPolicy, Name: "deny", Content: `{"deny":1}`, CreatedAt: at(2), UpdatedAt: at(2)}
	allow := &store.OrgPolicy{ID: "p-allow", Type: store.ServiceControlPolicy, Name: "allow", Content: `{"allow":1}`, CreatedAt: at(3), UpdatedAt: at(3)}
	rcp := &store.OrgPolicy{ID: "p-rcp", Type: store.ResourceControlPolicy, Name: "deny", Content: "{}", CreatedAt: at(4), UpdatedAt: at(4)}
	h.update(func(tx store.Tx) error {
		for _, p := range []*store.OrgPolicy{full, deny, allow, rcp} {
			if err := tx.CreateOrgPolicy(p); err != nil {
				return err
			}
		}
		return nil
	})
	h.is("a policy ID taken", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-deny", Type: store.ServiceControlPolicy, Name: "other", Content: "{}"})
	}), store.ErrExists)
	h.is("a policy name taken in the type", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-other", Type: store.ServiceControlPolicy, Name: "deny", Content: "{}"})
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		p, err := tx.OrgPolicy("p-FullAWSAccess")
		h.is("OrgPolicy", err, nil)
		h.equal("OrgPolicy", p, full)
		_, err = tx.OrgPolicy("p-missing")
		h.is("missing OrgPolicy", err, store.ErrNotFound)
		p, err = tx.OrgPolicyByName(store.ResourceControlPolicy, "deny")
		h.is("OrgPolicyByName", err, nil)
		h.equal("OrgPolicyByName", p, rcp)
		_, err = tx.OrgPolicyByName(store.ResourceControlPolicy, "allow")
		h.is("missing OrgPolicyByName", err, store.ErrNotFound)
		list, err := tx.ListOrgPolicies(store.ServiceControlPolicy, store.Page{})
		h.is("ListOrgPolicies", err, nil)
		h.equal("ListOrgPolicies in ID order", list, []*store.OrgPolicy{full, allow, deny})
		list, _ = tx.ListOrgPolicies(store.ServiceControlPolicy, store.Page{After: "p-FullAWSAccess", Limit: 1})
		h.equal("ListOrgPolicies after the first, 1", list, []*store.OrgPolicy{allow})
		n, err := tx.CountOrgPolicies(store.ServiceControlPolicy)
		h.is("CountOrgPolicies", err, nil)
		h.equal("CountOrgPolicies, not AWS managed", n, 2)
		return nil
	})
	updated := *deny
	updated.Name, updated.Description, updated.Content, updated.UpdatedAt = "deny-all", "denies", `{"deny":2}`, at(5)
	h.update(func(tx store.Tx) error { return tx.UpdateOrgPolicy(&updated) })
	h.is("renaming a policy to a name taken", h.tryUpdate(func(tx store.Tx) error {
		clash := *allow
		clash.Name = "deny-all"
		return tx.UpdateOrgPolicy(&clash)
	}), store.ErrExists)
	h.is("UpdateOrgPolicy of a missing policy", h.tryUpdate(func(tx store.Tx) error {
		return tx.UpdateOrgPolicy(&store.OrgPolicy{ID: "p-missing", Type: store.ServiceControlPolicy, Name: "m", Content: "{}"})
	}), store.ErrNotFound)
	h.update(func(tx store.Tx) error {
		h.must("SetTags", tx.SetTags("p-allow", []store.Tag{{Key: "k", Value: "v"}}))
		return tx.DeleteOrgPolicy("p-allow")
	})
	h.view(func(tx store.Tx) error {
		p, _ := tx.OrgPolicy("p-deny")
		h.equal("updated OrgPolicy", p, &updated)
		_, err := tx.OrgPolicy("p-allow")
		h.is("deleted OrgPolicy", err, store.ErrNotFound)
		tags, _ := tx.Tags("p-allow")
		h.equal("tags of a deleted policy", len(tags), 0)
		return nil
	})
	h.is("DeleteOrgPolicy of a missing policy", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteOrgPolicy("p-allow") }), store.ErrNotFound)
}

func testOrgPolicyAttachments(h *h) {
	h.orgFixture()
	h.update(func(tx store.Tx) error {
		h.must("enable RCPs", tx.EnablePolicyType(store.ResourceControlPolicy, at(7)))
		h.must("create", tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-a", Type: store.ServiceControlPolicy, Name: "a", Content: "{a}"}))
		h.must("create", tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-rcp", Type: store.ResourceControlPolicy, Name: "r", Content: "{r}"}))
		h.must("attach", tx.AttachOrgPolicy("p-a", acct, at(8)))
		h.must("attach", tx.AttachOrgPolicy("p-a", ouTop, at(8)))
		return tx.AttachOrgPolicy("p-rcp", acct, at(8))
	})
	h.is("attaching a policy again", h.tryUpdate(func(tx store.Tx) error { return tx.AttachOrgPolicy("p-a", acct, at(9)) }), store.ErrExists)
	h.is("detaching a policy not attached", h.tryUpdate(func(tx store.Tx) error { return tx.DetachOrgPolicy("p-a", acct2) }), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		list, err := tx.ListOrgPoliciesForTarget(acct, store.ServiceControlPolicy, store.Page{})
		h.is("ListOrgPoliciesForTarget", err, nil)
		var ids []string
		for _, p := range list {
			ids = append(ids, p.ID)
		}
		h.equal("SCPs of the account in ID order", ids, []string{"p-a", "p-full"})
		list, _ = tx.ListOrgPoliciesForTarget(acct, store.ServiceControlPolicy, store.Page{After: "p-a", Limit: 1})
		h.equal("SCPs of the account after p-a", len(list), 1)
		list, _ = tx.ListOrgPoliciesForTarget(acct, store.ResourceControlPolicy, store.Page{})
		h.equal("RCPs of the account", len(list), 1)
		targets, err := tx.ListOrgPolicyTargets("p-full", store.Page{})
		h.is("ListOrgPolicyTargets", err, nil)
		h.equal("targets of p-full in order", targets, []string{acct, acct2, ouTop, ouInner, root})
		targets, _ = tx.ListOrgPolicyTargets("p-full", store.Page{After: acct2, Limit: 2})
		h.equal("targets of p-full after "+acct2+", 2", targets, []string{ouTop, ouInner})
		n, err := tx.CountOrgPolicyTargets("p-a")
		h.is("CountOrgPolicyTargets", err, nil)
		h.equal("CountOrgPolicyTargets(p-a)", n, 2)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DetachOrgPolicy("p-a", acct) })
	h.view(func(tx store.Tx) error {
		targets, _ := tx.ListOrgPolicyTargets("p-a", store.Page{})
		h.equal("targets of p-a after a detachment", targets, []string{ouTop})
		return nil
	})
}

// testOrgPathAndPolicyChain: the account's path in the tree and the policies that apply
// at each level above it.
func testOrgPathAndPolicyChain(h *h) {
	h.orgFixture()
	h.update(func(tx store.Tx) error {
		if err := tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-deny", Type: store.ServiceControlPolicy, Name: "deny", Content: "{deny}"}); err != nil {
			return err
		}
		return tx.AttachOrgPolicy("p-deny", ouTop, at(7))
	})
	h.is("second attachment", h.tryUpdate(func(tx store.Tx) error { return tx.AttachOrgPolicy("p-deny", ouTop, at(8)) }), store.ErrExists)
	h.view(func(tx store.Tx) error {
		for account, want := range map[string]string{
			acct:  "o-abcdefghij/r-root/ou-root-aaaaaaaa/ou-root-bbbbbbbb/",
			acct2: "o-abcdefghij/r-root/",
		} {
			got, err := tx.OrgPath(account)
			h.is("OrgPath", err, nil)
			h.equal("OrgPath("+account+")", got, want)
		}
		_, err := tx.OrgPath("999999999999")
		h.is("OrgPath of a missing account", err, store.ErrNotFound)
		full := store.PolicyDocument{ID: "p-full", Document: "{full}"}
		deny := store.PolicyDocument{ID: "p-deny", Document: "{deny}"}
		chain, err := tx.PolicyChain(acct, store.ServiceControlPolicy)
		h.is("PolicyChain", err, nil)
		h.equal("PolicyChain of "+acct, chain, [][]store.PolicyDocument{{full}, {deny, full}, {full}, {full}})
		chain, _ = tx.PolicyChain(acct2, store.ServiceControlPolicy)
		h.equal("PolicyChain of "+acct2, chain, [][]store.PolicyDocument{{full}, {full}})
		chain, err = tx.PolicyChain(acct2, store.ResourceControlPolicy)
		h.is("PolicyChain of a type not enabled", err, nil)
		h.equal("PolicyChain of a type not enabled", chain, [][]store.PolicyDocument(nil))
		_, err = tx.PolicyChain("999999999999", store.ServiceControlPolicy)
		h.is("PolicyChain of a missing account", err, store.ErrNotFound)
		return nil
	})
}

// testOrgMoveDisableAndDelete: moving an account, deleting an OU and disabling a policy
// type, together.
func testOrgMoveDisableAndDelete(h *h) {
	h.orgFixture()
	published := h.record()
	h.update(func(tx store.Tx) error {
		h.must("MoveAccount", tx.MoveAccount(acct, root))
		h.is("moving a missing account", tx.MoveAccount("999999999999", root), store.ErrNotFound)
		h.must("DeleteOrganizationalUnit", tx.DeleteOrganizationalUnit(ouInner))
		return tx.DisablePolicyType(store.ServiceControlPolicy)
	})
	changes := published()
	if len(changes) == 0 {
		h.Fatalf("no changes published")
	}
	h.equal("first change", changes[0], store.Change{Kind: store.ChangeAccount, Key: acct})
	h.view(func(tx store.Tx) error {
		path, err := tx.OrgPath(acct)
		h.is("OrgPath after the move", err, nil)
		h.equal("OrgPath after the move", path, "o-abcdefghij/r-root/")
		_, err = tx.OrganizationalUnit(ouInner)
		h.is("deleted OU", err, store.ErrNotFound)
		n, _ := tx.CountOrgPolicyTargets("p-full")
		h.equal("attachments after disabling", n, 0)
		types, _ := tx.EnabledPolicyTypes()
		h.equal("enabled types", len(types), 0)
		return nil
	})
}
