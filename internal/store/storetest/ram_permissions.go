package storetest

import (
	"github.com/cairnhq/cairn/internal/store"
)

// ramPermission is a customer managed permission of account, created at second n.
func ramPermission(account, name string, n int) *store.RAMPermission {
	return &store.RAMPermission{ARN: "arn:aws:ram:us-east-1:" + account + ":permission/" + name, OwnerAccount: account, Name: name,
		ResourceType: "sagemaker:Pipeline", FeatureSet: "STANDARD", Status: "ATTACHABLE", DefaultVersion: 1, LastVersion: 1,
		CreatedAt: at(n), UpdatedAt: at(n)}
}

// permissionVersion is a version of a permission, created at second n.
func permissionVersion(arn string, version, n int) *store.RAMPermissionVersion {
	return &store.RAMPermissionVersion{PermissionARN: arn, Version: version,
		Template: `{"Effect":"Allow","Action":["sagemaker:DescribePipeline"]}`, Status: "ATTACHABLE", CreatedAt: at(n), UpdatedAt: at(n)}
}

func testRAMPermissions(h *h) {
	narrow := ramPermission(acct, "Narrow", 1)
	upper := ramPermission(acct, "Wide", 2)
	lower := ramPermission(acct, "alpha", 3)
	other := ramPermission(acct2, "narrow", 4)
	h.update(func(tx store.Tx) error {
		for _, p := range []*store.RAMPermission{narrow, upper, lower, other} {
			if err := tx.CreateRAMPermission(p); err != nil {
				return err
			}
		}
		h.must("PutRAMPermissionVersion", tx.PutRAMPermissionVersion(permissionVersion(narrow.ARN, 1, 1)))
		h.must("PutRAMPermissionVersion", tx.PutRAMPermissionVersion(permissionVersion(other.ARN, 1, 4)))
		h.must("SetTags", tx.SetTags(other.ARN, []store.Tag{{Key: "k", Value: "v"}}))
		return tx.SetTags(narrow.ARN, []store.Tag{{Key: "kind", Value: "narrow"}})
	})
	h.is("a permission name taken in the account, differing only in case", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateRAMPermission(ramPermission(acct, "NARROW", 5))
	}), store.ErrExists)
	h.is("a permission ARN taken", h.tryUpdate(func(tx store.Tx) error {
		p := ramPermission(acct, "Narrow", 5)
		p.Name = "Renamed"
		return tx.CreateRAMPermission(p)
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		p, err := tx.RAMPermission(narrow.ARN)
		h.is("RAMPermission", err, nil)
		h.equal("RAMPermission", p, narrow)
		_, err = tx.RAMPermission(ramPermission(acct, "nope", 1).ARN)
		h.is("missing RAMPermission", err, store.ErrNotFound)
		list, err := tx.ListRAMPermissions(acct)
		h.is("ListRAMPermissions", err, nil)
		h.equal("ListRAMPermissions in ARN byte order", list, []*store.RAMPermission{narrow, upper, lower})
		list, _ = tx.ListRAMPermissions("333333333333")
		h.equal("ListRAMPermissions of an account without any", len(list), 0)
		n, err := tx.CountRAMPermissions(acct)
		h.is("CountRAMPermissions", err, nil)
		h.equal("CountRAMPermissions", n, 3)
		return nil
	})
	updated := *narrow
	updated.FeatureSet, updated.Status, updated.DefaultVersion, updated.LastVersion, updated.UpdatedAt = "CREATED_FROM_POLICY", "UNATTACHABLE", 2, 3, at(9)
	h.update(func(tx store.Tx) error {
		up := updated
		up.Name, up.ResourceType, up.OwnerAccount, up.CreatedAt = "Other", "sagemaker:LineageGroup", acct2, at(8) // none changes
		return tx.UpdateRAMPermission(&up)
	})
	for what, fn := range map[string]func(tx store.Tx) error{
		"UpdateRAMPermission of a missing permission": func(tx store.Tx) error { return tx.UpdateRAMPermission(ramPermission(acct, "nope", 1)) },
		"DeleteRAMPermission of a missing permission": func(tx store.Tx) error { return tx.DeleteRAMPermission(ramPermission(acct, "nope", 1).ARN) },
	} {
		h.is(what, h.tryUpdate(fn), store.ErrNotFound)
	}
	h.view(func(tx store.Tx) error {
		p, _ := tx.RAMPermission(narrow.ARN)
		h.equal("updated RAMPermission", p, &updated)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeleteRAMPermission(narrow.ARN) })
	h.view(func(tx store.Tx) error {
		_, err := tx.RAMPermission(narrow.ARN)
		h.is("deleted RAMPermission", err, store.ErrNotFound)
		versions, _ := tx.ListRAMPermissionVersions(narrow.ARN)
		h.equal("versions of a deleted permission", len(versions), 0)
		tags, _ := tx.Tags(narrow.ARN)
		h.equal("tags of a deleted permission", len(tags), 0)
		n, _ := tx.CountRAMPermissions(acct)
		h.equal("CountRAMPermissions after a deletion", n, 2)
		p, _ := tx.RAMPermission(other.ARN)
		h.equal("the other account's permission of the name", p, other)
		versions, _ = tx.ListRAMPermissionVersions(other.ARN)
		h.equal("the other account's permission's versions", len(versions), 1)
		tags, _ = tx.Tags(other.ARN)
		h.equal("the other account's permission's tags", tags, []store.Tag{{Key: "k", Value: "v"}})
		return nil
	})
	// The name is free again.
	h.update(func(tx store.Tx) error { return tx.CreateRAMPermission(ramPermission(acct, "NARROW", 10)) })
}

func testRAMPermissionVersions(h *h) {
	p := ramPermission(acct, "Narrow", 1)
	v1, v2, v10 := permissionVersion(p.ARN, 1, 1), permissionVersion(p.ARN, 2, 2), permissionVersion(p.ARN, 10, 3)
	v10.Status = "UNATTACHABLE"
	otherV1 := permissionVersion(ramPermission(acct2, "Narrow", 1).ARN, 1, 4)
	h.update(func(tx store.Tx) error {
		for _, v := range []*store.RAMPermissionVersion{v10, otherV1, v2, v1} {
			if err := tx.PutRAMPermissionVersion(v); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		v, err := tx.RAMPermissionVersion(p.ARN, 10)
		h.is("RAMPermissionVersion", err, nil)
		h.equal("RAMPermissionVersion", v, v10)
		_, err = tx.RAMPermissionVersion(p.ARN, 3)
		h.is("missing RAMPermissionVersion", err, store.ErrNotFound)
		list, err := tx.ListRAMPermissionVersions(p.ARN)
		h.is("ListRAMPermissionVersions", err, nil)
		h.equal("ListRAMPermissionVersions in numeric order", list, []*store.RAMPermissionVersion{v1, v2, v10})
		return nil
	})
	replaced := permissionVersion(p.ARN, 2, 5)
	replaced.Template, replaced.Status = `{"Effect":"Allow","Action":["sagemaker:ListPipelineExecutions"]}`, "UNATTACHABLE"
	h.update(func(tx store.Tx) error {
		h.must("PutRAMPermissionVersion", tx.PutRAMPermissionVersion(replaced))
		return tx.DeleteRAMPermissionVersion(p.ARN, 1)
	})
	h.is("DeleteRAMPermissionVersion of a missing version", h.tryUpdate(func(tx store.Tx) error {
		return tx.DeleteRAMPermissionVersion(p.ARN, 1)
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		list, _ := tx.ListRAMPermissionVersions(p.ARN)
		h.equal("versions after a replacement and a deletion", list, []*store.RAMPermissionVersion{replaced, v10})
		list, _ = tx.ListRAMPermissionVersions(otherV1.PermissionARN)
		h.equal("another permission's versions", list, []*store.RAMPermissionVersion{otherV1})
		return nil
	})
}

func testRAMSharePermissions(h *h) {
	s1, s2, s3 := shareARN(acct, "s1"), shareARN(acct, "s2"), shareARN(acct2, "s3")
	sp := func(share, typ, permission string, version, n int) *store.RAMSharePermission {
		return &store.RAMSharePermission{ShareARN: share, ResourceType: typ, PermissionARN: permission, PermissionVersion: version,
			Status: store.RAMAssociated, CreatedAt: at(n), UpdatedAt: at(n)}
	}
	pipeline := sp(s1, "sagemaker:Pipeline", customerPermission, 2, 1)
	lineage := sp(s1, "sagemaker:LineageGroup", managedPermission, 1, 2)
	inS2 := sp(s2, "sagemaker:Pipeline", customerPermission, 1, 3)
	inS3 := sp(s3, "sagemaker:Pipeline", customerPermission, 1, 4)
	h.update(func(tx store.Tx) error {
		for _, p := range []*store.RAMSharePermission{inS3, pipeline, inS2, lineage} {
			if err := tx.PutRAMSharePermission(p); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		list, err := tx.RAMSharePermissions(s1)
		h.is("RAMSharePermissions", err, nil)
		h.equal("RAMSharePermissions by resource type", list, []*store.RAMSharePermission{lineage, pipeline})
		list, _ = tx.RAMSharePermissions(shareARN(acct, "nope"))
		h.equal("RAMSharePermissions of a share without any", len(list), 0)
		list, err = tx.RAMPermissionUses(customerPermission)
		h.is("RAMPermissionUses", err, nil)
		h.equal("RAMPermissionUses in share order", list, []*store.RAMSharePermission{pipeline, inS2, inS3})
		list, _ = tx.RAMPermissionUses(managedPermission)
		h.equal("RAMPermissionUses of another permission", list, []*store.RAMSharePermission{lineage})
		return nil
	})
	replaced := sp(s1, "sagemaker:Pipeline", managedPermission, 1, 5)
	h.update(func(tx store.Tx) error {
		h.must("PutRAMSharePermission", tx.PutRAMSharePermission(replaced))
		return tx.DeleteRAMSharePermission(s2, "sagemaker:Pipeline")
	})
	h.is("DeleteRAMSharePermission of a type the share has none for", h.tryUpdate(func(tx store.Tx) error {
		return tx.DeleteRAMSharePermission(s2, "sagemaker:Pipeline")
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		list, _ := tx.RAMSharePermissions(s1)
		h.equal("RAMSharePermissions after a replacement", list, []*store.RAMSharePermission{lineage, replaced})
		list, _ = tx.RAMSharePermissions(s2)
		h.equal("RAMSharePermissions after a deletion", len(list), 0)
		list, _ = tx.RAMPermissionUses(customerPermission)
		h.equal("RAMPermissionUses after a replacement and a deletion", list, []*store.RAMSharePermission{inS3})
		return nil
	})
}

func testRAMClientTokens(h *h) {
	c := &store.RAMClientToken{Account: acct, Operation: "CreateResourceShare", Token: "tok", RequestHash: "h1",
		Response: `{"resourceShare":{}}`, CreatedAt: at(1)}
	h.update(func(tx store.Tx) error { return tx.PutRAMClientToken(c) })
	h.view(func(tx store.Tx) error {
		got, err := tx.RAMClientToken(acct, "CreateResourceShare", "tok")
		h.is("RAMClientToken", err, nil)
		h.equal("RAMClientToken", got, c)
		for what, key := range map[string][3]string{
			"of another account":   {acct2, "CreateResourceShare", "tok"},
			"of another operation": {acct, "DeleteResourceShare", "tok"},
			"of another token":     {acct, "CreateResourceShare", "TOK"},
		} {
			_, err := tx.RAMClientToken(key[0], key[1], key[2])
			h.is("RAMClientToken "+what, err, store.ErrNotFound)
		}
		return nil
	})
	replaced := *c
	replaced.RequestHash, replaced.Response, replaced.CreatedAt = "h2", `{}`, at(2)
	h.update(func(tx store.Tx) error { return tx.PutRAMClientToken(&replaced) })
	h.view(func(tx store.Tx) error {
		got, _ := tx.RAMClientToken(acct, "CreateResourceShare", "tok")
		h.equal("RAMClientToken put again", got, &replaced)
		return nil
	})
}

func testRAMOrgSharing(h *h) {
	h.view(func(tx store.Tx) error {
		on, err := tx.RAMOrgSharing("o-abcdefghij")
		h.is("RAMOrgSharing", err, nil)
		h.equal("RAMOrgSharing before it is enabled", on, false)
		return nil
	})
	h.update(func(tx store.Tx) error {
		h.must("EnableRAMOrgSharing", tx.EnableRAMOrgSharing("o-abcdefghij", at(1)))
		return tx.EnableRAMOrgSharing("o-abcdefghij", at(2)) // again: no error
	})
	h.view(func(tx store.Tx) error {
		on, _ := tx.RAMOrgSharing("o-abcdefghij")
		h.equal("RAMOrgSharing once enabled", on, true)
		on, _ = tx.RAMOrgSharing("o-zzzzzzzzzz")
		h.equal("RAMOrgSharing of another organization", on, false)
		return nil
	})
}

// testResourcePolicies: the policies RAM attaches, which services read by resource and
// search by ARN prefix (the prefix compared as bytes, including past ASCII).
func testResourcePolicies(h *h) {
	const base = "arn:aws:sagemaker:us-east-1:111111111111:"
	policy := func(arn, owner string, n int) *store.ResourcePolicy {
		return &store.ResourcePolicy{ResourceARN: arn, OwnerAccount: owner, Policy: []byte(`{"Version":"2012-10-17","Id":"` + arn + `"}`),
			UpdatedAt: at(n)}
	}
	p := policy(base+"pipeline/p", acct, 1)
	p2 := policy(base+"pipeline/p2", acct, 2)
	upper := policy(base+"pipeline/P", acct, 3)
	lineage := policy(base+"lineage-group/sagemaker-default-lineage-group", acct, 4)
	accented := policy(base+"pipeline/\u00e9t\u00e9", acct, 5)
	other := policy("arn:aws:sagemaker:us-east-1:222222222222:pipeline/p", acct2, 6)
	h.update(func(tx store.Tx) error {
		for _, rp := range []*store.ResourcePolicy{p2, other, accented, p, lineage, upper} {
			if err := tx.PutResourcePolicy(rp.ResourceARN, rp.OwnerAccount, rp.Policy, rp.UpdatedAt); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		doc, err := tx.ResourcePolicy(p.ResourceARN)
		h.is("ResourcePolicy", err, nil)
		h.equal("ResourcePolicy", string(doc), string(p.Policy))
		_, err = tx.ResourcePolicy(base + "pipeline/none")
		h.is("missing ResourcePolicy", err, store.ErrNotFound)
		for _, tc := range []struct {
			what, prefix string
			p            store.Page
			want         []*store.ResourcePolicy
		}{
			{"an account's pipelines, in byte order", base + "pipeline/", store.Page{}, []*store.ResourcePolicy{upper, p, p2, accented}},
			{"a whole ARN and those it begins", p.ResourceARN, store.Page{}, []*store.ResourcePolicy{p, p2}},
			{"past ASCII", base + "pipeline/\u00e9", store.Page{}, []*store.ResourcePolicy{accented}},
			{"an account's", base, store.Page{}, []*store.ResourcePolicy{lineage, upper, p, p2, accented}},
			{"after a key, 2", base, store.Page{After: lineage.ResourceARN, Limit: 2}, []*store.ResourcePolicy{upper, p}},
			{"after the last", base, store.Page{After: accented.ResourceARN}, nil},
			{"every policy", "", store.Page{}, []*store.ResourcePolicy{lineage, upper, p, p2, accented, other}},
			{"none", base + "pipeline/q", store.Page{}, nil},
		} {
			list, err := tx.ListResourcePolicies(tc.prefix, tc.p)
			h.is("ListResourcePolicies "+tc.what, err, nil)
			sameList(h, "ListResourcePolicies "+tc.what, list, tc.want)
		}
		return nil
	})
	replaced := policy(p.ResourceARN, acct, 7)
	replaced.Policy = []byte(`{"Version":"2012-10-17","Statement":[]}`)
	h.update(func(tx store.Tx) error {
		h.must("PutResourcePolicy replacing", tx.PutResourcePolicy(p.ResourceARN, acct, replaced.Policy, replaced.UpdatedAt))
		h.must("PutResourcePolicy removing", tx.PutResourcePolicy(p2.ResourceARN, acct, nil, at(8)))
		return tx.PutResourcePolicy(base+"pipeline/none", acct, []byte{}, at(8)) // nothing to remove: no error
	})
	h.view(func(tx store.Tx) error {
		doc, _ := tx.ResourcePolicy(p.ResourceARN)
		h.equal("replaced ResourcePolicy", string(doc), string(replaced.Policy))
		_, err := tx.ResourcePolicy(p2.ResourceARN)
		h.is("removed ResourcePolicy", err, store.ErrNotFound)
		list, _ := tx.ListResourcePolicies(base+"pipeline/p", store.Page{})
		h.equal("ListResourcePolicies after a replacement and a removal", list, []*store.ResourcePolicy{replaced})
		return nil
	})
}
