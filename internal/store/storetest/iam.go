package storetest

import (
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// AWS managed policies every store holds, in every account.
const (
	adminPolicy    = "arn:aws:iam::aws:policy/AdministratorAccess"
	readOnlyPolicy = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	s3ReadPolicy   = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
)

func iamTests() []test {
	return []test{
		{"IAMUsers", []string{"User", "ListUsers", "CreateUser", "UpdateUser", "DeleteUser", "CountEntities"}, testIAMUsers},
		{"IAMGroups", []string{"Group", "ListGroups", "CreateGroup", "UpdateGroup", "DeleteGroup", "AddUserToGroup",
			"RemoveUserFromGroup", "GroupsForUser", "GroupUsers"}, testIAMGroups},
		{"IAMRoles", []string{"Role", "ListRoles", "CreateRole", "UpdateRole", "DeleteRole"}, testIAMRoles},
		{"IAMManagedPolicies", []string{"ManagedPolicy", "ListManagedPolicies", "CreateManagedPolicy", "UpdateManagedPolicy",
			"DeleteManagedPolicy"}, testIAMManagedPolicies},
		{"IAMPolicyVersions", []string{"PolicyVersion", "PolicyVersions", "CreatePolicyVersion", "DeletePolicyVersion"}, testIAMPolicyVersions},
		{"IAMAttachments", []string{"AttachPolicy", "DetachPolicy", "AttachedPolicies", "AttachRolePolicy", "PolicyUsage",
			"PolicyEntities", "BoundaryEntities"}, testIAMAttachments},
		{"IAMInlinePolicies", []string{"InlinePolicy", "InlinePolicies", "PutInlinePolicy", "DeleteInlinePolicy"}, testIAMInlinePolicies},
		{"IAMIdentityPolicies", []string{"IdentityPolicies"}, testIAMIdentityPolicies},
		{"IAMUsersCaseInsensitiveAndRename", nil, testIAMUsersCaseInsensitiveAndRename},
		{"IAMIdentityPoliciesAndUsage", nil, testIAMIdentityPoliciesAndUsage},
		{"IAMChangesRecorded", nil, testIAMChangesRecorded},
	}
}

func testIAMUsers(h *h) {
	h.createAccounts(acct, acct2)
	alice := &store.User{AccountID: acct, Name: "alice", ID: "AIDAALICE", Path: "/", CreatedAt: at(1),
		Tags: []store.Tag{{Key: "team", Value: "ml"}, {Key: "env", Value: "dev"}}}
	bob := &store.User{AccountID: acct, Name: "Bob", ID: "AIDABOB", Path: "/ops/", PermissionsBoundaryARN: s3ReadPolicy, CreatedAt: at(2)}
	carol := &store.User{AccountID: acct, Name: "carol", ID: "AIDACAROL", Path: "/ops/team/", CreatedAt: at(3)}
	other := &store.User{AccountID: acct2, Name: "alice", ID: "AIDAOTHER", Path: "/", CreatedAt: at(4)}
	h.update(func(tx store.Tx) error {
		for _, u := range []*store.User{carol, alice, bob, other} {
			if err := tx.CreateUser(u); err != nil {
				return err
			}
		}
		return tx.CreateAccessKey(&store.AccessKey{ID: "AKIAALICE", Secret: "s", AccountID: acct, UserName: "alice", Status: store.KeyActive, CreatedAt: at(5)})
	})
	err := h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateUser(&store.User{AccountID: acct, Name: "ALICE", ID: "AIDAALICE2", Path: "/"})
	})
	h.is("a user name taken, differing only in case", err, store.ErrExists)
	err = h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateUser(&store.User{AccountID: acct, Name: "dave", ID: "AIDABOB", Path: "/"})
	})
	h.is("a user ID taken", err, store.ErrExists)
	h.view(func(tx store.Tx) error {
		u, err := tx.User(acct, "ALICE")
		h.is("User without case", err, nil)
		h.equal("User", u, alice)
		u, _ = tx.User(acct2, "alice")
		h.equal("User of another account", u, other)
		_, err = tx.User(acct, "dave")
		h.is("missing User", err, store.ErrNotFound)
		list, err := tx.ListUsers(acct, "", store.Page{})
		h.is("ListUsers", err, nil)
		h.equal("ListUsers by name without case", list, []*store.User{alice, bob, carol})
		list, _ = tx.ListUsers(acct, "/", store.Page{})
		h.equal(`ListUsers under "/"`, list, []*store.User{alice, bob, carol})
		list, _ = tx.ListUsers(acct, "/ops/", store.Page{})
		h.equal("ListUsers under /ops/", list, []*store.User{bob, carol})
		list, _ = tx.ListUsers(acct, "", store.Page{Limit: 1})
		h.equal("ListUsers, first page of 1", list, []*store.User{alice})
		list, _ = tx.ListUsers(acct, "", store.Page{After: "ALICE", Limit: 1})
		h.equal("ListUsers after ALICE", list, []*store.User{bob})
		list, _ = tx.ListUsers(acct, "", store.Page{After: "bob"})
		h.equal("ListUsers after bob", list, []*store.User{carol})
		n, err := tx.CountEntities(acct, store.EntityUser)
		h.is("CountEntities", err, nil)
		h.equal("CountEntities(users)", n, 3)
		return nil
	})

	// A rename follows through to the user's keys; tags are replaced, their keys folded
	// without case as IAM compares them.
	renamed := &store.User{AccountID: acct, Name: "Alicia", ID: "AIDAALICE", Path: "/renamed/", PermissionsBoundaryARN: readOnlyPolicy,
		CreatedAt: at(1), Tags: []store.Tag{{Key: "env", Value: "prod"}, {Key: "Team", Value: "x"}, {Key: "TEAM", Value: "y"}}}
	h.update(func(tx store.Tx) error { return tx.UpdateUser(renamed) })
	h.view(func(tx store.Tx) error {
		_, err := tx.User(acct, "alice")
		h.is("User by its old name", err, store.ErrNotFound)
		u, err := tx.User(acct, "alicia")
		h.is("User by its new name", err, nil)
		want := *renamed
		want.Tags = []store.Tag{{Key: "env", Value: "prod"}, {Key: "TEAM", Value: "y"}}
		h.equal("renamed User", u, &want)
		keys, _ := tx.ListAccessKeys(acct, "Alicia")
		h.equal("keys following the rename", len(keys), 1)
		keys, _ = tx.ListAccessKeys(acct, "alice")
		h.equal("keys left under the old name", len(keys), 0)
		return nil
	})
	err = h.tryUpdate(func(tx store.Tx) error {
		return tx.UpdateUser(&store.User{AccountID: acct, Name: "ghost", ID: "AIDAGHOST", Path: "/"})
	})
	h.is("UpdateUser of a missing user", err, store.ErrNotFound)

	// Deleting a user deletes its tags, inline policies, attachments and memberships.
	h.update(func(tx store.Tx) error {
		h.must("create group", tx.CreateGroup(&store.Group{AccountID: acct, Name: "g", ID: "AGPAG", Path: "/"}))
		h.must("add to group", tx.AddUserToGroup(acct, "g", "alicia"))
		h.must("put inline policy", tx.PutInlinePolicy(acct, store.EntityUser, "alicia", &store.InlinePolicy{Name: "p", Document: "{}"}))
		h.must("attach", tx.AttachPolicy(acct, store.EntityUser, "alicia", adminPolicy))
		return tx.DeleteUser(acct, "ALICIA")
	})
	h.update(func(tx store.Tx) error {
		// A new user of the same name starts with nothing of the old one's.
		return tx.CreateUser(&store.User{AccountID: acct, Name: "alicia", ID: "AIDAALICIA2", Path: "/"})
	})
	h.view(func(tx store.Tx) error {
		tags, err := tx.Tags("AIDAALICE")
		h.is("Tags of a deleted user", err, nil)
		h.equal("Tags of a deleted user", len(tags), 0)
		members, _ := tx.GroupUsers(acct, "g")
		h.equal("members after the user was deleted", len(members), 0)
		inline, _ := tx.InlinePolicies(acct, store.EntityUser, "alicia")
		h.equal("inline policies of the new user", len(inline), 0)
		attached, _ := tx.AttachedPolicies(acct, store.EntityUser, "alicia")
		h.equal("attached policies of the new user", len(attached), 0)
		usage, _ := tx.PolicyUsage(acct, adminPolicy)
		h.equal("attachments left by the deleted user", usage.Attachments, 0)
		return nil
	})
	err = h.tryUpdate(func(tx store.Tx) error { return tx.DeleteUser(acct, "nobody") })
	h.is("DeleteUser of a missing user", err, store.ErrNotFound)
}

func testIAMGroups(h *h) {
	h.createAccounts(acct)
	ops := &store.Group{AccountID: acct, Name: "Ops", ID: "AGPAOPS", Path: "/", CreatedAt: at(1)}
	dev := &store.Group{AccountID: acct, Name: "dev", ID: "AGPADEV", Path: "/eng/", CreatedAt: at(2)}
	admins := &store.Group{AccountID: acct, Name: "admins", ID: "AGPAADMINS", Path: "/", CreatedAt: at(3)}
	users := map[string]*store.User{}
	h.update(func(tx store.Tx) error {
		for _, g := range []*store.Group{ops, dev, admins} {
			if err := tx.CreateGroup(g); err != nil {
				return err
			}
		}
		for i, name := range []string{"zed", "amy", "kim"} {
			u := &store.User{AccountID: acct, Name: name, ID: "AIDA" + strings.ToUpper(name), Path: "/", CreatedAt: at(10 + i)}
			users[name] = u
			if err := tx.CreateUser(u); err != nil {
				return err
			}
		}
		// Members join out of name order, and a member joining again keeps its place.
		for _, m := range [][2]string{{"ops", "zed"}, {"OPS", "amy"}, {"dev", "amy"}, {"admins", "amy"}, {"ops", "kim"}, {"ops", "ZED"}} {
			if err := tx.AddUserToGroup(acct, m[0], m[1]); err != nil {
				return err
			}
		}
		return nil
	})
	err := h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateGroup(&store.Group{AccountID: acct, Name: "ops", ID: "AGPAOPS2", Path: "/"})
	})
	h.is("a group name taken, differing only in case", err, store.ErrExists)
	for what, fn := range map[string]func(tx store.Tx) error{
		"AddUserToGroup of a missing group":      func(tx store.Tx) error { return tx.AddUserToGroup(acct, "nope", "amy") },
		"AddUserToGroup of a missing user":       func(tx store.Tx) error { return tx.AddUserToGroup(acct, "ops", "nobody") },
		"RemoveUserFromGroup of a non-member":    func(tx store.Tx) error { return tx.RemoveUserFromGroup(acct, "dev", "zed") },
		"RemoveUserFromGroup of a missing group": func(tx store.Tx) error { return tx.RemoveUserFromGroup(acct, "nope", "zed") },
		"UpdateGroup of a missing group": func(tx store.Tx) error {
			return tx.UpdateGroup(&store.Group{AccountID: acct, Name: "x", ID: "AGPAMISSING", Path: "/"})
		},
		"DeleteGroup of a missing group": func(tx store.Tx) error { return tx.DeleteGroup(acct, "nope") },
	} {
		h.is(what, h.tryUpdate(fn), store.ErrNotFound)
	}
	h.view(func(tx store.Tx) error {
		g, err := tx.Group(acct, "OPS")
		h.is("Group without case", err, nil)
		h.equal("Group", g, ops)
		_, err = tx.Group(acct, "nope")
		h.is("missing Group", err, store.ErrNotFound)
		list, err := tx.ListGroups(acct, "", store.Page{})
		h.is("ListGroups", err, nil)
		h.equal("ListGroups by name without case", list, []*store.Group{admins, dev, ops})
		list, _ = tx.ListGroups(acct, "/eng/", store.Page{})
		h.equal("ListGroups under /eng/", list, []*store.Group{dev})
		list, _ = tx.ListGroups(acct, "", store.Page{After: "Admins", Limit: 1})
		h.equal("ListGroups after Admins, 1", list, []*store.Group{dev})
		members, err := tx.GroupUsers(acct, "Ops")
		h.is("GroupUsers", err, nil)
		h.equal("GroupUsers in the order they joined", members, []*store.User{users["zed"], users["amy"], users["kim"]})
		groups, err := tx.GroupsForUser(acct, "AMY")
		h.is("GroupsForUser", err, nil)
		h.equal("GroupsForUser in the order joined", groups, []*store.Group{ops, dev, admins})
		_, err = tx.GroupsForUser(acct, "nobody")
		h.is("GroupsForUser of a missing user", err, store.ErrNotFound)
		_, err = tx.GroupUsers(acct, "nope")
		h.is("GroupUsers of a missing group", err, store.ErrNotFound)
		n, _ := tx.CountEntities(acct, store.EntityGroup)
		h.equal("CountEntities(groups)", n, 3)
		return nil
	})
	renamed := &store.Group{AccountID: acct, Name: "Operations", ID: "AGPAOPS", Path: "/ops/", CreatedAt: at(1)}
	h.update(func(tx store.Tx) error {
		h.must("UpdateGroup", tx.UpdateGroup(renamed))
		h.must("RemoveUserFromGroup", tx.RemoveUserFromGroup(acct, "operations", "amy"))
		h.must("put inline policy", tx.PutInlinePolicy(acct, store.EntityGroup, "dev", &store.InlinePolicy{Name: "p", Document: "{}"}))
		h.must("attach", tx.AttachPolicy(acct, store.EntityGroup, "dev", adminPolicy))
		return tx.DeleteGroup(acct, "DEV")
	})
	h.view(func(tx store.Tx) error {
		g, _ := tx.Group(acct, "operations")
		h.equal("renamed Group", g, renamed)
		_, err := tx.Group(acct, "ops")
		h.is("Group by its old name", err, store.ErrNotFound)
		members, _ := tx.GroupUsers(acct, "operations")
		h.equal("members after one left", members, []*store.User{users["zed"], users["kim"]})
		groups, _ := tx.GroupsForUser(acct, "amy")
		h.equal("amy's groups after one was deleted and one left", groups, []*store.Group{admins})
		usage, _ := tx.PolicyUsage(acct, adminPolicy)
		h.equal("attachments left by the deleted group", usage.Attachments, 0)
		return nil
	})
}

func testIAMRoles(h *h) {
	h.createAccounts(acct)
	worker := &store.Role{AccountID: acct, Name: "Worker", ID: "AROAWORKER", Path: "/jobs/", Description: "runs jobs",
		AssumeRolePolicyDocument: `{"Statement":[]}`, MaxSessionDuration: 7200, PermissionsBoundaryARN: s3ReadPolicy,
		CreatedAt: at(1), Tags: []store.Tag{{Key: "team", Value: "ml"}}}
	admin := &store.Role{AccountID: acct, Name: "admin", ID: "AROAADMIN", Path: "/", AssumeRolePolicyDocument: "{}",
		MaxSessionDuration: 3600, CreatedAt: at(2)}
	h.update(func(tx store.Tx) error {
		h.must("CreateRole", tx.CreateRole(worker))
		h.must("CreateRole", tx.CreateRole(admin))
		// Without an ID, path or duration the store fills them in.
		return tx.CreateRole(&store.Role{AccountID: acct, Name: "OrganizationAccountAccessRole", AssumeRolePolicyDocument: "{}"})
	})
	err := h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateRole(&store.Role{AccountID: acct, Name: "WORKER", ID: "AROAWORKER2", AssumeRolePolicyDocument: "{}"})
	})
	h.is("a role name taken, differing only in case", err, store.ErrExists)
	var derived *store.Role
	h.view(func(tx store.Tx) error {
		r, err := tx.Role(acct, "worker")
		h.is("Role without case", err, nil)
		h.equal("Role", r, worker)
		_, err = tx.Role(acct, "nope")
		h.is("missing Role", err, store.ErrNotFound)
		derived, err = tx.Role(acct, "OrganizationAccountAccessRole")
		h.is("Role created without an ID", err, nil)
		if derived != nil && (len(derived.ID) != 21 || derived.ID[:4] != "AROA" || derived.MaxSessionDuration != 3600 || derived.Path != "/") {
			h.Errorf("role created without ID, path or duration = %s", show(derived))
		}
		list, err := tx.ListRoles(acct, "", store.Page{})
		h.is("ListRoles", err, nil)
		h.equal("ListRoles by name without case", list, []*store.Role{admin, derived, worker})
		list, _ = tx.ListRoles(acct, "/jobs/", store.Page{})
		h.equal("ListRoles under /jobs/", list, []*store.Role{worker})
		list, _ = tx.ListRoles(acct, "", store.Page{After: "ADMIN", Limit: 1})
		h.equal("ListRoles after ADMIN, 1", list, []*store.Role{derived})
		n, _ := tx.CountEntities(acct, store.EntityRole)
		h.equal("CountEntities(roles)", n, 3)
		return nil
	})
	updated := *worker
	updated.Description = "runs training jobs"
	updated.AssumeRolePolicyDocument = `{"Statement":[{}]}`
	updated.MaxSessionDuration = 43200
	updated.PermissionsBoundaryARN = ""
	updated.LastUsedAt = at(9)
	updated.LastUsedRegion = "eu-west-1"
	updated.Tags = []store.Tag{{Key: "Team", Value: "ops"}}
	h.update(func(tx store.Tx) error { return tx.UpdateRole(&updated) })
	h.view(func(tx store.Tx) error {
		r, _ := tx.Role(acct, "Worker")
		h.equal("updated Role", r, &updated)
		return nil
	})
	err = h.tryUpdate(func(tx store.Tx) error {
		return tx.UpdateRole(&store.Role{AccountID: acct, Name: "ghost", ID: "AROAGHOST", AssumeRolePolicyDocument: "{}"})
	})
	h.is("UpdateRole of a missing role", err, store.ErrNotFound)
	h.update(func(tx store.Tx) error {
		h.must("put inline policy", tx.PutInlinePolicy(acct, store.EntityRole, "worker", &store.InlinePolicy{Name: "p", Document: "{}"}))
		h.must("attach", tx.AttachRolePolicy(acct, "worker", adminPolicy))
		return tx.DeleteRole(acct, "WORKER")
	})
	h.view(func(tx store.Tx) error {
		_, err := tx.Role(acct, "worker")
		h.is("deleted Role", err, store.ErrNotFound)
		tags, _ := tx.Tags("AROAWORKER")
		h.equal("Tags of a deleted role", len(tags), 0)
		usage, _ := tx.PolicyUsage(acct, adminPolicy)
		h.equal("attachments left by the deleted role", usage.Attachments, 0)
		return nil
	})
	err = h.tryUpdate(func(tx store.Tx) error { return tx.DeleteRole(acct, "worker") })
	h.is("DeleteRole of a missing role", err, store.ErrNotFound)
}

// testIAMUsersCaseInsensitiveAndRename: a user's name is unique and found without
// regard to case, keeps its case, and a rename takes the user's keys along.
func testIAMUsersCaseInsensitiveAndRename(h *h) {
	now := at(0)
	h.update(func(tx store.Tx) error {
		if err := tx.CreateAccount(&store.Account{ID: acct, Name: "a", Email: "a@example.com", State: "ACTIVE", JoinedMethod: "CREATED"}); err != nil {
			return err
		}
		if err := tx.CreateUser(&store.User{AccountID: acct, Name: "Alice", ID: "AIDAAAAAAAAAAAAAAAAAA", Path: "/", CreatedAt: now,
			Tags: []store.Tag{{Key: "team", Value: "ml"}}}); err != nil {
			return err
		}
		return tx.CreateAccessKey(&store.AccessKey{ID: "AKIAAAAAAAAAAAAAAAAA", Secret: "s", AccountID: acct, UserName: "Alice", Status: store.KeyActive, CreatedAt: now})
	})
	err := h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateUser(&store.User{AccountID: acct, Name: "alice", ID: "AIDABBBBBBBBBBBBBBBBB", Path: "/"})
	})
	h.is("duplicate user", err, store.ErrExists)
	h.update(func(tx store.Tx) error {
		u, err := tx.User(acct, "ALICE")
		if err != nil {
			return err
		}
		if u.Name != "Alice" || len(u.Tags) != 1 || !u.CreatedAt.Equal(now) {
			h.Errorf("user = %s", show(u))
		}
		u.Name = "Bob"
		return tx.UpdateUser(u)
	})
	h.update(func(tx store.Tx) error {
		keys, err := tx.ListAccessKeys(acct, "Bob")
		if err != nil {
			return err
		}
		if len(keys) != 1 {
			h.Errorf("keys after rename = %d, want 1", len(keys))
		}
		_, err = tx.User(acct, "Alice")
		h.is("old name", err, store.ErrNotFound)
		return nil
	})
}

// testIAMChangesRecorded: creating a role records the role's change.
func testIAMChangesRecorded(h *h) {
	published := h.record()
	h.update(func(tx store.Tx) error {
		return tx.CreateRole(&store.Role{AccountID: acct, Name: "r", AssumeRolePolicyDocument: `{}`})
	})
	if got := published(); len(got) == 0 || got[0].Kind != store.ChangeRole || got[0].Key != acct+"/r" {
		h.Errorf("changes = %s", show(got))
	}
}
