package storetest

import (
	"context"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// customerPolicy is a customer managed policy of acct with its first version.
func customerPolicy(name, path string, n int) (*store.ManagedPolicy, *store.PolicyVersion) {
	arn := "arn:aws:iam::" + acct + ":policy" + path + name
	return &store.ManagedPolicy{ARN: arn, AccountID: acct, Name: name, ID: "ANPA" + strings.ToUpper(name), Path: path,
			DefaultVersionID: "v1", LastVersion: 1, CreatedAt: at(n), UpdatedAt: at(n)},
		&store.PolicyVersion{PolicyARN: arn, VersionID: "v1", Document: `{"name":"` + name + `"}`, CreatedAt: at(n)}
}

func testIAMManagedPolicies(h *h) {
	h.createAccounts(acct, acct2)
	zeta, zetaV1 := customerPolicy("Zeta", "/", 1)
	zeta.Description = "z"
	zeta.Tags = []store.Tag{{Key: "owner", Value: "ops"}, {Key: "OWNER", Value: "ml"}}
	alpha, alphaV1 := customerPolicy("alpha", "/team/", 2)
	h.update(func(tx store.Tx) error {
		h.must("CreateManagedPolicy", tx.CreateManagedPolicy(zeta, zetaV1))
		return tx.CreateManagedPolicy(alpha, alphaV1)
	})
	zeta.Tags = []store.Tag{{Key: "OWNER", Value: "ml"}} // folded without case
	sameName, sameNameV1 := customerPolicy("ZETA", "/other/", 3)
	h.is("a policy name taken, differing only in case", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateManagedPolicy(sameName, sameNameV1)
	}), store.ErrExists)
	h.is("a policy ARN taken", h.tryUpdate(func(tx store.Tx) error {
		again, againV1 := customerPolicy("Zeta", "/", 4)
		again.ID = "ANPAAGAIN"
		return tx.CreateManagedPolicy(again, againV1)
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		p, err := tx.ManagedPolicy(zeta.ARN)
		h.is("ManagedPolicy", err, nil)
		h.equal("ManagedPolicy", p, zeta)
		_, err = tx.ManagedPolicy("arn:aws:iam::111111111111:policy/nope")
		h.is("missing ManagedPolicy", err, store.ErrNotFound)
		v, err := tx.PolicyVersion(zeta.ARN, "v1")
		h.is("first PolicyVersion", err, nil)
		h.equal("first PolicyVersion", v, zetaV1)

		// AWS's managed policies are in every store, for every account.
		aws, err := tx.ListManagedPolicies(acct2, store.PolicyFilter{Scope: "AWS"}, store.Page{})
		h.is("ListManagedPolicies(AWS)", err, nil)
		var awsARNs []string
		for _, p := range aws {
			awsARNs = append(awsARNs, p.ARN)
			if p.AccountID != store.AWSManagedAccount {
				h.Errorf("AWS managed policy %s has account %q", p.ARN, p.AccountID)
			}
			if _, err := tx.PolicyVersion(p.ARN, p.DefaultVersionID); err != nil {
				h.Errorf("default version of %s: %v", p.ARN, err)
			}
		}
		if !sort.StringsAreSorted(awsARNs) {
			h.Errorf("AWS managed policies not in ARN order: %v", awsARNs)
		}
		for _, want := range []string{adminPolicy, readOnlyPolicy, s3ReadPolicy} {
			if i := sort.SearchStrings(awsARNs, want); i == len(awsARNs) || awsARNs[i] != want {
				h.Errorf("AWS managed policies %v lack %s", awsARNs, want)
			}
		}
		local, _ := tx.ListManagedPolicies(acct, store.PolicyFilter{Scope: "Local"}, store.Page{})
		h.equal("ListManagedPolicies(Local) in ARN order", local, []*store.ManagedPolicy{zeta, alpha})
		local, _ = tx.ListManagedPolicies(acct2, store.PolicyFilter{Scope: "Local"}, store.Page{})
		h.equal("ListManagedPolicies(Local) of another account", len(local), 0)
		all, _ := tx.ListManagedPolicies(acct, store.PolicyFilter{}, store.Page{})
		h.equal("ListManagedPolicies(All)", len(all), len(aws)+2)
		for i := 1; i < len(all); i++ {
			if all[i-1].ARN >= all[i].ARN {
				h.Errorf("ListManagedPolicies(All) not in ARN order at %d: %s, %s", i, all[i-1].ARN, all[i].ARN)
			}
		}
		page, _ := tx.ListManagedPolicies(acct, store.PolicyFilter{Scope: "All"}, store.Page{After: all[0].ARN, Limit: 2})
		h.equal("ListManagedPolicies after the first, 2", page, all[1:3])
		page, _ = tx.ListManagedPolicies(acct, store.PolicyFilter{}, store.Page{After: all[len(all)-1].ARN})
		h.equal("ListManagedPolicies after the last", len(page), 0)
		team, _ := tx.ListManagedPolicies(acct, store.PolicyFilter{PathPrefix: "/team/"}, store.Page{})
		h.equal("ListManagedPolicies under /team/", team, []*store.ManagedPolicy{alpha})
		n, _ := tx.CountEntities(acct, store.EntityPolicy)
		h.equal("CountEntities(policies)", n, 2)
		return nil
	})

	updated := *zeta
	updated.Description = "zeta, updated"
	updated.DefaultVersionID = "v2"
	updated.LastVersion = 2
	updated.UpdatedAt = at(5)
	updated.Tags = nil
	h.update(func(tx store.Tx) error {
		h.must("CreatePolicyVersion", tx.CreatePolicyVersion(&store.PolicyVersion{PolicyARN: zeta.ARN, VersionID: "v2", Document: "{}", CreatedAt: at(5)}))
		return tx.UpdateManagedPolicy(&updated)
	})
	h.view(func(tx store.Tx) error {
		p, _ := tx.ManagedPolicy(zeta.ARN)
		h.equal("updated ManagedPolicy", p, &updated)
		return nil
	})
	missing, _ := customerPolicy("missing", "/", 6)
	h.is("UpdateManagedPolicy of a missing policy", h.tryUpdate(func(tx store.Tx) error { return tx.UpdateManagedPolicy(missing) }), store.ErrNotFound)

	// Deleting a policy deletes its versions, attachments and tags.
	h.update(func(tx store.Tx) error {
		h.must("create role", tx.CreateRole(&store.Role{AccountID: acct, Name: "r", AssumeRolePolicyDocument: "{}"}))
		h.must("attach", tx.AttachPolicy(acct, store.EntityRole, "r", alpha.ARN))
		h.must("SetTags", tx.SetTags(alpha.ID, []store.Tag{{Key: "k", Value: "v"}}))
		return tx.DeleteManagedPolicy(alpha.ARN)
	})
	h.view(func(tx store.Tx) error {
		_, err := tx.ManagedPolicy(alpha.ARN)
		h.is("deleted ManagedPolicy", err, store.ErrNotFound)
		_, err = tx.PolicyVersion(alpha.ARN, "v1")
		h.is("version of a deleted policy", err, store.ErrNotFound)
		attached, _ := tx.AttachedPolicies(acct, store.EntityRole, "r")
		h.equal("attachments of a deleted policy", len(attached), 0)
		tags, _ := tx.Tags(alpha.ID)
		h.equal("tags of a deleted policy", len(tags), 0)
		return nil
	})
	h.is("DeleteManagedPolicy of a missing policy", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteManagedPolicy(alpha.ARN) }), store.ErrNotFound)
	// The name is free again.
	h.update(func(tx store.Tx) error { return tx.CreateManagedPolicy(customerPolicy("ALPHA", "/", 7)) })
}

func testIAMPolicyVersions(h *h) {
	h.createAccounts(acct)
	p, v1 := customerPolicy("versioned", "/", 1)
	v2 := &store.PolicyVersion{PolicyARN: p.ARN, VersionID: "v2", Document: `{"v":2}`, CreatedAt: at(2)}
	v10 := &store.PolicyVersion{PolicyARN: p.ARN, VersionID: "v10", Document: `{"v":10}`, CreatedAt: at(10)}
	h.update(func(tx store.Tx) error {
		h.must("CreateManagedPolicy", tx.CreateManagedPolicy(p, v1))
		h.must("CreatePolicyVersion v10", tx.CreatePolicyVersion(v10))
		return tx.CreatePolicyVersion(v2)
	})
	h.is("a version ID taken", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreatePolicyVersion(&store.PolicyVersion{PolicyARN: p.ARN, VersionID: "v2", Document: "{}"})
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		v, err := tx.PolicyVersion(p.ARN, "v10")
		h.is("PolicyVersion", err, nil)
		h.equal("PolicyVersion", v, v10)
		_, err = tx.PolicyVersion(p.ARN, "v3")
		h.is("missing PolicyVersion", err, store.ErrNotFound)
		versions, err := tx.PolicyVersions(p.ARN)
		h.is("PolicyVersions", err, nil)
		h.equal("PolicyVersions newest (highest number) first", versions, []*store.PolicyVersion{v10, v2, v1})
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeletePolicyVersion(p.ARN, "v2") })
	h.view(func(tx store.Tx) error {
		versions, _ := tx.PolicyVersions(p.ARN)
		h.equal("PolicyVersions after deleting v2", versions, []*store.PolicyVersion{v10, v1})
		return nil
	})
	h.is("DeletePolicyVersion of a missing version", h.tryUpdate(func(tx store.Tx) error { return tx.DeletePolicyVersion(p.ARN, "v2") }), store.ErrNotFound)
}

func testIAMAttachments(h *h) {
	h.createAccounts(acct, acct2)
	zeta, zetaV1 := customerPolicy("zeta", "/", 1)
	h.update(func(tx store.Tx) error {
		h.must("create policy", tx.CreateManagedPolicy(zeta, zetaV1))
		h.must("create user", tx.CreateUser(&store.User{AccountID: acct, Name: "u", ID: "AIDAU", Path: "/", PermissionsBoundaryARN: s3ReadPolicy}))
		h.must("create group", tx.CreateGroup(&store.Group{AccountID: acct, Name: "g", ID: "AGPAG", Path: "/g/"}))
		h.must("create role", tx.CreateRole(&store.Role{AccountID: acct, Name: "r", ID: "AROAR", Path: "/r/", AssumeRolePolicyDocument: "{}", PermissionsBoundaryARN: s3ReadPolicy}))
		h.must("create other account's role", tx.CreateRole(&store.Role{AccountID: acct2, Name: "r", ID: "AROAR2", AssumeRolePolicyDocument: "{}"}))
		// Attached out of ARN order; attaching again is no error and keeps the order.
		h.must("attach zeta", tx.AttachPolicy(acct, store.EntityUser, "U", zeta.ARN))
		h.must("attach admin", tx.AttachPolicy(acct, store.EntityUser, "u", adminPolicy))
		h.must("attach zeta again", tx.AttachPolicy(acct, store.EntityUser, "u", zeta.ARN))
		h.must("attach to group", tx.AttachPolicy(acct, store.EntityGroup, "G", adminPolicy))
		h.must("AttachRolePolicy", tx.AttachRolePolicy(acct, "R", adminPolicy))
		return tx.AttachRolePolicy(acct2, "r", adminPolicy)
	})
	for what, fn := range map[string]func(tx store.Tx) error{
		"AttachPolicy to a missing entity": func(tx store.Tx) error { return tx.AttachPolicy(acct, store.EntityUser, "nobody", adminPolicy) },
		"AttachPolicy of a missing policy": func(tx store.Tx) error {
			return tx.AttachPolicy(acct, store.EntityUser, "u", "arn:aws:iam::111111111111:policy/nope")
		},
		"DetachPolicy of a policy not attached": func(tx store.Tx) error { return tx.DetachPolicy(acct, store.EntityGroup, "g", zeta.ARN) },
		"DetachPolicy from a missing entity":    func(tx store.Tx) error { return tx.DetachPolicy(acct, store.EntityRole, "nope", adminPolicy) },
	} {
		h.is(what, h.tryUpdate(fn), store.ErrNotFound)
	}
	admin := func(tx store.Tx) *store.ManagedPolicy {
		p, err := tx.ManagedPolicy(adminPolicy)
		h.must("ManagedPolicy(admin)", err)
		return p
	}
	h.view(func(tx store.Tx) error {
		attached, err := tx.AttachedPolicies(acct, store.EntityUser, "u")
		h.is("AttachedPolicies", err, nil)
		h.equal("AttachedPolicies in the order attached", attached, []*store.ManagedPolicy{zeta, admin(tx)})
		_, err = tx.AttachedPolicies(acct, store.EntityUser, "nobody")
		h.is("AttachedPolicies of a missing entity", err, store.ErrNotFound)
		usage, err := tx.PolicyUsage(acct, adminPolicy)
		h.is("PolicyUsage", err, nil)
		h.equal("PolicyUsage(admin) in the account", usage, store.PolicyUsage{Attachments: 3})
		usage, _ = tx.PolicyUsage(acct, s3ReadPolicy)
		h.equal("PolicyUsage(s3 read) as a boundary", usage, store.PolicyUsage{Boundaries: 2})
		usage, _ = tx.PolicyUsage(acct2, adminPolicy)
		h.equal("PolicyUsage(admin) in another account", usage, store.PolicyUsage{Attachments: 1})
		entities, err := tx.PolicyEntities(acct, adminPolicy)
		h.is("PolicyEntities", err, nil)
		h.equal("PolicyEntities(admin)", sortEntities(entities), []store.PolicyEntity{
			{Kind: store.EntityGroup, Name: "g", ID: "AGPAG", Path: "/g/"},
			{Kind: store.EntityUser, Name: "u", ID: "AIDAU", Path: "/"},
			{Kind: store.EntityRole, Name: "r", ID: "AROAR", Path: "/r/"},
		})
		boundaries, err := tx.BoundaryEntities(acct, s3ReadPolicy)
		h.is("BoundaryEntities", err, nil)
		h.equal("BoundaryEntities(s3 read)", sortEntities(boundaries), []store.PolicyEntity{
			{Kind: store.EntityUser, Name: "u", ID: "AIDAU", Path: "/"},
			{Kind: store.EntityRole, Name: "r", ID: "AROAR", Path: "/r/"},
		})
		boundaries, _ = tx.BoundaryEntities(acct, adminPolicy)
		h.equal("BoundaryEntities(admin)", len(boundaries), 0)
		attachedOnly, _ := tx.ListManagedPolicies(acct, store.PolicyFilter{OnlyAttached: true}, store.Page{})
		h.equal("ListManagedPolicies(OnlyAttached)", policyARNs(attachedOnly), []string{zeta.ARN, adminPolicy, s3ReadPolicy})
		attachedOnly, _ = tx.ListManagedPolicies(acct, store.PolicyFilter{OnlyAttached: true, Usage: "PermissionsPolicy"}, store.Page{})
		h.equal("ListManagedPolicies(PermissionsPolicy)", policyARNs(attachedOnly), []string{zeta.ARN, adminPolicy})
		attachedOnly, _ = tx.ListManagedPolicies(acct, store.PolicyFilter{OnlyAttached: true, Usage: "PermissionsBoundary"}, store.Page{})
		h.equal("ListManagedPolicies(PermissionsBoundary)", policyARNs(attachedOnly), []string{s3ReadPolicy})
		attachedOnly, _ = tx.ListManagedPolicies(acct, store.PolicyFilter{Scope: "AWS", OnlyAttached: true}, store.Page{Limit: 1})
		h.equal("ListManagedPolicies(AWS, OnlyAttached), 1", policyARNs(attachedOnly), []string{adminPolicy})
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DetachPolicy(acct, store.EntityUser, "U", zeta.ARN) })
	h.view(func(tx store.Tx) error {
		attached, _ := tx.AttachedPolicies(acct, store.EntityUser, "u")
		h.equal("AttachedPolicies after a detachment", policyARNs(attached), []string{adminPolicy})
		return nil
	})
}

func sortEntities(es []store.PolicyEntity) []store.PolicyEntity {
	sort.Slice(es, func(i, j int) bool { return es[i].ID < es[j].ID })
	return es
}

func policyARNs(ps []*store.ManagedPolicy) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ARN)
	}
	return out
}

func testIAMInlinePolicies(h *h) {
	h.createAccounts(acct)
	h.update(func(tx store.Tx) error {
		h.must("create user", tx.CreateUser(&store.User{AccountID: acct, Name: "u", ID: "AIDAU", Path: "/"}))
		h.must("create group", tx.CreateGroup(&store.Group{AccountID: acct, Name: "g", ID: "AGPAG", Path: "/"}))
		h.must("create role", tx.CreateRole(&store.Role{AccountID: acct, Name: "r", ID: "AROAR", AssumeRolePolicyDocument: "{}"}))
		for _, name := range []string{"gamma", "alpha", "beta"} {
			h.must("PutInlinePolicy", tx.PutInlinePolicy(acct, store.EntityUser, "U", &store.InlinePolicy{Name: name, Document: `{"` + name + `":1}`}))
		}
		h.must("PutInlinePolicy on a group", tx.PutInlinePolicy(acct, store.EntityGroup, "g", &store.InlinePolicy{Name: "alpha", Document: "{}"}))
		// Putting a policy again replaces its document.
		return tx.PutInlinePolicy(acct, store.EntityRole, "R", &store.InlinePolicy{Name: "p", Document: `{"old":1}`})
	})
	h.update(func(tx store.Tx) error {
		return tx.PutInlinePolicy(acct, store.EntityRole, "r", &store.InlinePolicy{Name: "p", Document: `{"new":1}`})
	})
	for what, fn := range map[string]func(tx store.Tx) error{
		"PutInlinePolicy on a missing entity": func(tx store.Tx) error {
			return tx.PutInlinePolicy(acct, store.EntityUser, "nobody", &store.InlinePolicy{Name: "p", Document: "{}"})
		},
		"DeleteInlinePolicy of a missing policy": func(tx store.Tx) error { return tx.DeleteInlinePolicy(acct, store.EntityGroup, "g", "nope") },
		"DeleteInlinePolicy of a missing entity": func(tx store.Tx) error { return tx.DeleteInlinePolicy(acct, store.EntityRole, "nope", "p") },
	} {
		h.is(what, h.tryUpdate(fn), store.ErrNotFound)
	}
	h.view(func(tx store.Tx) error {
		p, err := tx.InlinePolicy(acct, store.EntityRole, "r", "p")
		h.is("InlinePolicy", err, nil)
		h.equal("replaced InlinePolicy", p, &store.InlinePolicy{Name: "p", Document: `{"new":1}`})
		_, err = tx.InlinePolicy(acct, store.EntityRole, "r", "q")
		h.is("missing InlinePolicy", err, store.ErrNotFound)
		_, err = tx.InlinePolicy(acct, store.EntityRole, "nope", "p")
		h.is("InlinePolicy of a missing entity", err, store.ErrNotFound)
		list, err := tx.InlinePolicies(acct, store.EntityUser, "u")
		h.is("InlinePolicies", err, nil)
		h.equal("InlinePolicies by name", list, []*store.InlinePolicy{
			{Name: "alpha", Document: `{"alpha":1}`}, {Name: "beta", Document: `{"beta":1}`}, {Name: "gamma", Document: `{"gamma":1}`},
		})
		list, _ = tx.InlinePolicies(acct, store.EntityGroup, "g")
		h.equal("a group's InlinePolicies", list, []*store.InlinePolicy{{Name: "alpha", Document: "{}"}})
		_, err = tx.InlinePolicies(acct, store.EntityGroup, "nope")
		h.is("InlinePolicies of a missing entity", err, store.ErrNotFound)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeleteInlinePolicy(acct, store.EntityUser, "u", "beta") })
	h.view(func(tx store.Tx) error {
		list, _ := tx.InlinePolicies(acct, store.EntityUser, "u")
		h.equal("InlinePolicies after a deletion", len(list), 2)
		return nil
	})
}

func testIAMIdentityPolicies(h *h) {
	h.createAccounts(acct)
	zeta, zetaV1 := customerPolicy("zeta", "/", 1)
	h.update(func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateManagedPolicy(zeta, zetaV1),
			tx.CreateUser(&store.User{AccountID: acct, Name: "u", ID: "AIDA1", Path: "/", PermissionsBoundaryARN: s3ReadPolicy}),
			tx.CreateGroup(&store.Group{AccountID: acct, Name: "g2", ID: "AGPA2", Path: "/"}),
			tx.CreateGroup(&store.Group{AccountID: acct, Name: "g", ID: "AGPA1", Path: "/"}),
			tx.AddUserToGroup(acct, "g2", "u"),
			tx.AddUserToGroup(acct, "g", "u"),
			tx.PutInlinePolicy(acct, store.EntityUser, "u", &store.InlinePolicy{Name: "p1", Document: `{"u":1}`}),
			tx.PutInlinePolicy(acct, store.EntityGroup, "g", &store.InlinePolicy{Name: "p2", Document: `{"g":1}`}),
			tx.PutInlinePolicy(acct, store.EntityGroup, "g2", &store.InlinePolicy{Name: "p3", Document: `{"g2":1}`}),
			tx.AttachPolicy(acct, store.EntityUser, "u", zeta.ARN),
			tx.AttachPolicy(acct, store.EntityGroup, "g", adminPolicy),
			tx.AttachPolicy(acct, store.EntityGroup, "g", adminPolicy),
			tx.CreateRole(&store.Role{AccountID: acct, Name: "OrganizationAccountAccessRole", AssumeRolePolicyDocument: `{}`}),
			tx.AttachRolePolicy(acct, "OrganizationAccountAccessRole", adminPolicy),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	var adminDoc string
	h.view(func(tx store.Tx) error {
		p, _ := tx.ManagedPolicy(adminPolicy)
		v, err := tx.PolicyVersion(adminPolicy, p.DefaultVersionID)
		h.must("admin's default version", err)
		adminDoc = v.Document
		set, err := tx.IdentityPolicies(acct, store.PrincipalUser, "U")
		h.is("IdentityPolicies of a user", err, nil)
		var ids []string
		for _, p := range set.Policies {
			ids = append(ids, p.ID)
		}
		// The user's inline and attached policies, then each group's in the order joined.
		h.equal("IdentityPolicies of a user", ids, []string{"user/u/p1", zeta.ARN, "group/g2/p3", "group/g/p2", adminPolicy})
		h.equal("attached policy's document", set.Policies[1].Document, zetaV1.Document)
		h.equal("inline policy's document", set.Policies[0].Document, `{"u":1}`)
		if set.Boundary == nil || set.Boundary.ID != s3ReadPolicy {
			h.Errorf("user's boundary = %s", show(set.Boundary))
		}
		rs, err := tx.IdentityPolicies(acct, store.PrincipalRole, "organizationaccountaccessrole")
		h.is("IdentityPolicies of a role", err, nil)
		h.equal("IdentityPolicies of a role", rs, &store.IdentityPolicySet{Policies: []store.PolicyDocument{{ID: adminPolicy, Document: adminDoc}}})
		_, err = tx.IdentityPolicies(acct, store.PrincipalUser, "nobody")
		h.is("IdentityPolicies of a missing user", err, store.ErrNotFound)
		return nil
	})
	// The new default version applies; a boundary that no longer exists is none.
	h.update(func(tx store.Tx) error {
		h.must("CreatePolicyVersion", tx.CreatePolicyVersion(&store.PolicyVersion{PolicyARN: zeta.ARN, VersionID: "v2", Document: `{"v":2}`}))
		p, _ := tx.ManagedPolicy(zeta.ARN)
		p.DefaultVersionID, p.LastVersion = "v2", 2
		h.must("UpdateManagedPolicy", tx.UpdateManagedPolicy(p))
		boundary, boundaryV1 := customerPolicy("boundary", "/", 2)
		h.must("create boundary", tx.CreateManagedPolicy(boundary, boundaryV1))
		u, _ := tx.User(acct, "u")
		u.PermissionsBoundaryARN = boundary.ARN
		h.must("UpdateUser", tx.UpdateUser(u))
		return tx.DeleteManagedPolicy(boundary.ARN)
	})
	h.view(func(tx store.Tx) error {
		set, _ := tx.IdentityPolicies(acct, store.PrincipalUser, "u")
		h.equal("zeta's document after a new default version", set.Policies[1], store.PolicyDocument{ID: zeta.ARN, Document: `{"v":2}`})
		h.equal("boundary that was deleted", set.Boundary, (*store.PolicyDocument)(nil))
		return nil
	})
}

// testIAMIdentityPoliciesAndUsage: a user's policies through its group, a role's, and how
// many entities use a policy, in an account and not in another.
func testIAMIdentityPoliciesAndUsage(h *h) {
	h.update(func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateUser(&store.User{AccountID: acct, Name: "u", ID: "AIDA1", Path: "/", PermissionsBoundaryARN: s3ReadPolicy}),
			tx.CreateGroup(&store.Group{AccountID: acct, Name: "g", ID: "AGPA1", Path: "/"}),
			tx.AddUserToGroup(acct, "g", "u"),
			tx.PutInlinePolicy(acct, store.EntityUser, "u", &store.InlinePolicy{Name: "p1", Document: `{"u":1}`}),
			tx.PutInlinePolicy(acct, store.EntityGroup, "g", &store.InlinePolicy{Name: "p2", Document: `{"g":1}`}),
			tx.AttachPolicy(acct, store.EntityGroup, "g", adminPolicy),
			tx.AttachPolicy(acct, store.EntityGroup, "g", adminPolicy),
			tx.CreateRole(&store.Role{AccountID: acct, Name: "OrganizationAccountAccessRole", AssumeRolePolicyDocument: `{}`}),
			tx.AttachRolePolicy(acct, "OrganizationAccountAccessRole", adminPolicy),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		set, err := tx.IdentityPolicies(acct, store.PrincipalUser, "U")
		h.must("IdentityPolicies", err)
		var ids []string
		for _, p := range set.Policies {
			ids = append(ids, p.ID)
		}
		h.equal("ids", ids, []string{"user/u/p1", "group/g/p2", adminPolicy})
		if set.Boundary == nil || set.Boundary.ID != s3ReadPolicy {
			h.Errorf("boundary = %s", show(set.Boundary))
		}
		r, err := tx.Role(acct, "OrganizationAccountAccessRole")
		h.must("Role", err)
		if len(r.ID) != 21 || r.ID[:4] != "AROA" || r.MaxSessionDuration != 3600 || r.Path != "/" {
			h.Errorf("role = %s", show(r))
		}
		rs, err := tx.IdentityPolicies(acct, store.PrincipalRole, "OrganizationAccountAccessRole")
		if err != nil || len(rs.Policies) != 1 || rs.Policies[0].ID != adminPolicy || rs.Boundary != nil {
			h.Errorf("role policies = %s, %v", show(rs), err)
		}
		u, err := tx.PolicyUsage(acct, adminPolicy)
		if err != nil || u.Attachments != 2 || u.Boundaries != 0 {
			h.Errorf("admin usage = %+v, %v", u, err)
		}
		u, err = tx.PolicyUsage(acct, s3ReadPolicy)
		if err != nil || u.Attachments != 0 || u.Boundaries != 1 {
			h.Errorf("s3ro usage = %+v, %v", u, err)
		}
		if u, _ := tx.PolicyUsage(acct2, adminPolicy); u.Attachments != 0 {
			h.Errorf("other account sees %d attachments", u.Attachments)
		}
		list, err := tx.ListManagedPolicies(acct, store.PolicyFilter{OnlyAttached: true}, store.Page{})
		if err != nil || len(list) != 2 {
			h.Errorf("attached policies = %d, %v", len(list), err)
		}
		list, err = tx.ListManagedPolicies(acct, store.PolicyFilter{Scope: "AWS"}, store.Page{Limit: 2})
		if err != nil || len(list) != 2 {
			h.Errorf("AWS policies page = %d, %v", len(list), err)
		}
		return nil
	})
	err := h.s.View(context.Background(), func(tx store.Tx) error {
		_, err := tx.IdentityPolicies(acct, store.PrincipalUser, "nobody")
		return err
	})
	h.is("missing user", err, store.ErrNotFound)
}
