package storetest

import (
	"strconv"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

func ramTests() []test {
	return []test{
		{"RAMShares", []string{"RAMShare", "CreateRAMShare", "UpdateRAMShare", "ListRAMShares", "CountRAMShares"}, testRAMShares},
		{"RAMAssociations", []string{"RAMAssociation", "PutRAMAssociation", "ListRAMAssociations"}, testRAMAssociations},
		{"RAMDueWork", []string{"DueRAMAssociations", "NextRAMDue", "PutRAMReplaceWork", "ListRAMReplaceWork", "DueRAMReplaceWork"},
			testRAMDueWork},
		{"RAMInvitations", []string{"RAMInvitation", "PutRAMInvitation", "ListRAMInvitations", "DeleteRAMInvitations"}, testRAMInvitations},
		{"RAMPermissions", []string{"RAMPermission", "CreateRAMPermission", "UpdateRAMPermission", "DeleteRAMPermission",
			"ListRAMPermissions", "CountRAMPermissions"}, testRAMPermissions},
		{"RAMPermissionVersions", []string{"RAMPermissionVersion", "PutRAMPermissionVersion", "DeleteRAMPermissionVersion",
			"ListRAMPermissionVersions"}, testRAMPermissionVersions},
		{"RAMSharePermissions", []string{"RAMSharePermissions", "PutRAMSharePermission", "DeleteRAMSharePermission", "RAMPermissionUses"},
			testRAMSharePermissions},
		{"RAMClientTokens", []string{"RAMClientToken", "PutRAMClientToken"}, testRAMClientTokens},
		{"RAMOrgSharing", []string{"RAMOrgSharing", "EnableRAMOrgSharing"}, testRAMOrgSharing},
		{"ResourcePolicies", []string{"ResourcePolicy", "PutResourcePolicy", "ListResourcePolicies"}, testResourcePolicies},
		{"RAMReaching", []string{"ListRAMSharesReaching", "ListRAMAssociationsNamed"}, testRAMReaching},
		{"RAMChanges", nil, testRAMChanges},
	}
}

// sameList reports got differing from want, a list that is empty whether nil or not.
func sameList[T any](h *h, what string, got, want []T) {
	h.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	h.equal(what, got, want)
}

// shareARN is the ARN of a resource share of account.
func shareARN(account, id string) string {
	return "arn:aws:ram:us-east-1:" + account + ":resource-share/" + id
}

// ramShare is a share of account, created and updated at second n.
func ramShare(account, id string, n int) *store.RAMShare {
	return &store.RAMShare{ARN: shareARN(account, id), OwnerAccount: account, Name: "share-" + id, AllowExternalPrincipals: true,
		Status: "ACTIVE", StatusMessage: "", FeatureSet: "STANDARD", CreatedAt: at(n), UpdatedAt: at(n)}
}

// Two permissions shares use: an AWS managed one and a customer managed one of acct.
const (
	managedPermission  = "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSageMakerPipeline"
	customerPermission = "arn:aws:ram:us-east-1:111111111111:permission/Narrow"
)

func testRAMShares(h *h) {
	// IDs in byte order B-… < a-… < b-…, created out of that order.
	b := ramShare(acct, "b-share", 1)
	upper := ramShare(acct, "B-share", 2)
	upper.AllowExternalPrincipals, upper.RetainOnLeave, upper.FeatureSet = false, true, "CREATED_FROM_POLICY"
	a := ramShare(acct, "a-share", 3)
	other := ramShare(acct2, "a-share", 4)
	h.update(func(tx store.Tx) error {
		for _, s := range []*store.RAMShare{b, upper, a, other} {
			if err := tx.CreateRAMShare(s); err != nil {
				return err
			}
		}
		h.must("SetTags", tx.SetTags(a.ARN, []store.Tag{{Key: "team", Value: "ml"}, {Key: "env", Value: "prod"}}))
		h.must("SetTags", tx.SetTags(b.ARN, []store.Tag{{Key: "team", Value: "web"}}))
		return tx.PutRAMSharePermission(&store.RAMSharePermission{ShareARN: upper.ARN, ResourceType: "sagemaker:Pipeline",
			PermissionARN: customerPermission, PermissionVersion: 2, Status: store.RAMAssociated, CreatedAt: at(5), UpdatedAt: at(5)})
	})
	h.is("a share ARN taken", h.tryUpdate(func(tx store.Tx) error { return tx.CreateRAMShare(ramShare(acct, "a-share", 9)) }), store.ErrExists)
	h.view(func(tx store.Tx) error {
		s, err := tx.RAMShare(upper.ARN)
		h.is("RAMShare", err, nil)
		h.equal("RAMShare", s, upper)
		_, err = tx.RAMShare(shareARN(acct, "nope"))
		h.is("missing RAMShare", err, store.ErrNotFound)
		_, err = tx.RAMShare(shareARN(acct, "A-SHARE"))
		h.is("RAMShare by an ARN differing in case", err, store.ErrNotFound)
		for _, tc := range []struct {
			what string
			q    store.RAMShareQuery
			p    store.Page
			want []*store.RAMShare
		}{
			{"an owner's shares, in ARN byte order", store.RAMShareQuery{Owner: acct}, store.Page{}, []*store.RAMShare{upper, a, b}},
			{"every share", store.RAMShareQuery{}, store.Page{}, []*store.RAMShare{upper, a, b, other}},
			{"after the first, 1", store.RAMShareQuery{Owner: acct}, store.Page{After: upper.ARN, Limit: 1}, []*store.RAMShare{a}},
			{"after the last", store.RAMShareQuery{Owner: acct}, store.Page{After: b.ARN}, nil},
			{"by ARNs", store.RAMShareQuery{ARNs: []string{b.ARN, other.ARN, shareARN(acct, "nope")}}, store.Page{}, []*store.RAMShare{b, other}},
			{"by no ARNs", store.RAMShareQuery{ARNs: []string{}}, store.Page{}, nil},
			{"by status", store.RAMShareQuery{Status: "ACTIVE", Owner: acct2}, store.Page{}, []*store.RAMShare{other}},
			{"by name", store.RAMShareQuery{Name: "share-a-share"}, store.Page{}, []*store.RAMShare{a, other}},
			{"by a name differing in case", store.RAMShareQuery{Name: "SHARE-a-share"}, store.Page{}, nil},
			{"by tag key", store.RAMShareQuery{TagFilters: []store.RAMTagFilter{{Key: "team"}}}, store.Page{}, []*store.RAMShare{a, b}},
			{"by tag value", store.RAMShareQuery{TagFilters: []store.RAMTagFilter{{Key: "team", Values: []string{"web", "ops"}}}},
				store.Page{}, []*store.RAMShare{b}},
			{"by every tag filter", store.RAMShareQuery{TagFilters: []store.RAMTagFilter{{Key: "team"}, {Key: "env", Values: []string{"prod"}}}},
				store.Page{}, []*store.RAMShare{a}},
			{"by a tag key differing in case", store.RAMShareQuery{TagFilters: []store.RAMTagFilter{{Key: "Team"}}}, store.Page{}, nil},
			{"by permission", store.RAMShareQuery{PermissionARN: customerPermission}, store.Page{}, []*store.RAMShare{upper}},
			{"by permission version", store.RAMShareQuery{PermissionARN: customerPermission, PermissionVersion: 2}, store.Page{},
				[]*store.RAMShare{upper}},
			{"by another permission version", store.RAMShareQuery{PermissionARN: customerPermission, PermissionVersion: 1}, store.Page{}, nil},
		} {
			list, err := tx.ListRAMShares(tc.q, tc.p)
			h.is("ListRAMShares "+tc.what, err, nil)
			sameList(h, "ListRAMShares "+tc.what, list, tc.want)
		}
		n, err := tx.CountRAMShares(acct)
		h.is("CountRAMShares", err, nil)
		h.equal("CountRAMShares", n, 3)
		return nil
	})
	updated := *upper
	updated.Name, updated.AllowExternalPrincipals, updated.Status, updated.StatusMessage = "renamed", true, "DELETED", "gone"
	updated.FeatureSet, updated.RetainOnLeave, updated.UpdatedAt = "STANDARD", false, at(10)
	h.update(func(tx store.Tx) error {
		up := updated
		up.OwnerAccount, up.CreatedAt = acct2, at(11) // neither changes
		return tx.UpdateRAMShare(&up)
	})
	h.is("UpdateRAMShare of a missing share", h.tryUpdate(func(tx store.Tx) error {
		return tx.UpdateRAMShare(ramShare(acct, "nope", 1))
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		s, _ := tx.RAMShare(upper.ARN)
		h.equal("updated RAMShare", s, &updated)
		n, _ := tx.CountRAMShares(acct)
		h.equal("CountRAMShares without the DELETED share", n, 2)
		n, _ = tx.CountRAMShares(acct2)
		h.equal("CountRAMShares of the other account", n, 1)
		list, _ := tx.ListRAMShares(store.RAMShareQuery{Status: "DELETED"}, store.Page{})
		h.equal("ListRAMShares by status DELETED", list, []*store.RAMShare{&updated})
		return nil
	})
}

// association is an association of a share of acct, created at second n.
func association(share, typ, entity string, n int) *store.RAMAssociation {
	kind, account := "ACCOUNT", entity
	if typ == store.RAMResource {
		kind, account = "sagemaker:Pipeline", acct
	}
	return &store.RAMAssociation{ShareARN: share, Type: typ, Entity: entity, Kind: kind, Account: account, OwnerAccount: acct,
		Status: store.RAMAssociated, CreatedAt: at(n), UpdatedAt: at(n)}
}

func testRAMAssociations(h *h) {
	s1, s2, s3 := shareARN(acct, "s1"), shareARN(acct, "s2"), shareARN(acct2, "s3")
	const pipelineARN = "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p"
	p1 := association(s1, store.RAMPrincipal, "333333333333", 1)
	p1.External, p1.Invite, p1.Status, p1.StatusMessage, p1.DueAt = true, true, store.RAMAssociating, "waiting", at(30)
	p2 := association(s1, store.RAMPrincipal, "222222222222", 2)
	org := association(s1, store.RAMPrincipal, "o-abcdefghij", 3)
	org.Kind, org.Account = "ORGANIZATION", ""
	r1 := association(s1, store.RAMResource, pipelineARN, 4)
	p3 := association(s2, store.RAMPrincipal, "222222222222", 5)
	p3.Status = store.RAMDisassociated
	other := association(s3, store.RAMPrincipal, acct, 6)
	other.OwnerAccount = acct2
	h.update(func(tx store.Tx) error {
		for _, a := range []*store.RAMAssociation{p3, other, p1, r1, org, p2} {
			if err := tx.PutRAMAssociation(a); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		a, err := tx.RAMAssociation(s1, store.RAMPrincipal, "333333333333")
		h.is("RAMAssociation", err, nil)
		h.equal("RAMAssociation", a, p1)
		a, _ = tx.RAMAssociation(s1, store.RAMPrincipal, "o-abcdefghij")
		h.equal("RAMAssociation of an organization", a, org)
		for what, key := range map[string][3]string{
			"another share":  {s2, store.RAMPrincipal, "333333333333"},
			"another type":   {s1, store.RAMResource, "333333333333"},
			"another entity": {s1, store.RAMPrincipal, "444444444444"},
		} {
			_, err := tx.RAMAssociation(key[0], key[1], key[2])
			h.is("RAMAssociation of "+what, err, store.ErrNotFound)
		}
		// Entities order as bytes: account IDs, then ARNs, then organization IDs.
		all := []*store.RAMAssociation{p2, p1, r1, org, p3, other}
		for _, tc := range []struct {
			what string
			q    store.RAMAssociationQuery
			p    store.Page
			want []*store.RAMAssociation
		}{
			{"every association, by share and entity", store.RAMAssociationQuery{}, store.Page{}, all},
			{"an owner's principals", store.RAMAssociationQuery{Type: store.RAMPrincipal, Owner: acct}, store.Page{},
				[]*store.RAMAssociation{p2, p1, org, p3}},
			{"after a share and entity, 2", store.RAMAssociationQuery{Owner: acct}, store.Page{After: s1 + " 333333333333", Limit: 2},
				[]*store.RAMAssociation{r1, org}},
			{"after the last entity of a share", store.RAMAssociationQuery{Owner: acct}, store.Page{After: s1 + " o-abcdefghij"},
				[]*store.RAMAssociation{p3}},
			{"of shares", store.RAMAssociationQuery{ShareARNs: []string{s3, s2}}, store.Page{}, []*store.RAMAssociation{p3, other}},
			{"of no shares", store.RAMAssociationQuery{ShareARNs: []string{}}, store.Page{}, nil},
			{"by entity", store.RAMAssociationQuery{Entity: "222222222222"}, store.Page{}, []*store.RAMAssociation{p2, p3}},
			{"by account", store.RAMAssociationQuery{Account: acct}, store.Page{}, []*store.RAMAssociation{r1, other}},
			{"by status", store.RAMAssociationQuery{Status: store.RAMAssociating}, store.Page{}, []*store.RAMAssociation{p1}},
			{"resources", store.RAMAssociationQuery{Type: store.RAMResource}, store.Page{}, []*store.RAMAssociation{r1}},
		} {
			list, err := tx.ListRAMAssociations(tc.q, tc.p)
			h.is("ListRAMAssociations "+tc.what, err, nil)
			sameList(h, "ListRAMAssociations "+tc.what, list, tc.want)
		}
		return nil
	})
	replaced := association(s1, store.RAMPrincipal, "333333333333", 7)
	replaced.Kind, replaced.Account, replaced.Status, replaced.UpdatedAt = "ROLE", "333333333333", store.RAMFailed, at(8)
	h.update(func(tx store.Tx) error { return tx.PutRAMAssociation(replaced) })
	h.view(func(tx store.Tx) error {
		a, _ := tx.RAMAssociation(s1, store.RAMPrincipal, "333333333333")
		h.equal("RAMAssociation put again: every field replaced", a, replaced)
		return nil
	})
}

// testRAMDueWork: associations and replacement requests with a due time are RAM's queue;
// NextRAMDue says when the earliest falls due, and the Due reads return what is due at a
// time, the time itself included.
func testRAMDueWork(h *h) {
	h.view(func(tx store.Tx) error {
		next, err := tx.NextRAMDue()
		h.is("NextRAMDue of an empty store", err, nil)
		h.equal("NextRAMDue of an empty store", next, time.Time{})
		return nil
	})
	s1, s2 := shareARN(acct, "s1"), shareARN(acct, "s2")
	late := association(s1, store.RAMPrincipal, "222222222222", 1)
	late.Status, late.DueAt = store.RAMAssociating, at(30)
	early := association(s2, store.RAMPrincipal, "333333333333", 1)
	early.Status, early.DueAt = store.RAMDisassociating, at(20)
	tie := association(s1, store.RAMPrincipal, "333333333333", 1)
	tie.Status, tie.DueAt = store.RAMAssociating, at(20)
	settled := association(s1, store.RAMPrincipal, "444444444444", 1)
	h.update(func(tx store.Tx) error {
		for _, a := range []*store.RAMAssociation{late, early, tie, settled} {
			if err := tx.PutRAMAssociation(a); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		next, err := tx.NextRAMDue()
		h.is("NextRAMDue", err, nil)
		h.equal("NextRAMDue of associations", next, at(20))
		due, err := tx.DueRAMAssociations(at(19))
		h.is("DueRAMAssociations", err, nil)
		h.equal("DueRAMAssociations before any is due", len(due), 0)
		due, _ = tx.DueRAMAssociations(at(20))
		h.equal("DueRAMAssociations at the due time, ties by share and entity", due, []*store.RAMAssociation{tie, early})
		due, _ = tx.DueRAMAssociations(at(99))
		h.equal("DueRAMAssociations, earliest first", due, []*store.RAMAssociation{tie, early, late})
		return nil
	})

	work := func(id, owner string, created int, due time.Time) *store.RAMReplaceWork {
		return &store.RAMReplaceWork{ID: id, OwnerAccount: owner, FromARN: managedPermission, FromVersion: 1, ToARN: customerPermission,
			ToVersion: 2, Status: "IN_PROGRESS", DueAt: due, CreatedAt: at(created), UpdatedAt: at(created)}
	}
	w2 := work("w2", acct, 1, at(10))
	w1 := work("w1", acct, 1, at(25)) // created with w2: the ID breaks the tie
	w0 := work("w0", acct, 2, at(10))
	w3 := work("w3", acct2, 0, time.Time{})
	w3.Status, w3.StatusMessage = "FAILED", "no"
	h.update(func(tx store.Tx) error {
		for _, w := range []*store.RAMReplaceWork{w2, w1, w0, w3} {
			if err := tx.PutRAMReplaceWork(w); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		list, err := tx.ListRAMReplaceWork(acct)
		h.is("ListRAMReplaceWork", err, nil)
		h.equal("ListRAMReplaceWork oldest first, ties by ID", list, []*store.RAMReplaceWork{w1, w2, w0})
		list, _ = tx.ListRAMReplaceWork(acct2)
		h.equal("ListRAMReplaceWork of the other account", list, []*store.RAMReplaceWork{w3})
		list, _ = tx.ListRAMReplaceWork("333333333333")
		h.equal("ListRAMReplaceWork of an account without any", len(list), 0)
		due, err := tx.DueRAMReplaceWork(at(10))
		h.is("DueRAMReplaceWork", err, nil)
		h.equal("DueRAMReplaceWork at the due time, ties by ID", due, []*store.RAMReplaceWork{w0, w2})
		due, _ = tx.DueRAMReplaceWork(at(9))
		h.equal("DueRAMReplaceWork before any is due", len(due), 0)
		next, _ := tx.NextRAMDue()
		h.equal("NextRAMDue of associations and work", next, at(10))
		return nil
	})
	// Completing work and settling associations clears their due times.
	done := *w2
	done.Status, done.StatusMessage, done.DueAt, done.UpdatedAt = "COMPLETED", "", time.Time{}, at(11)
	done.ToVersion = 3
	h.update(func(tx store.Tx) error {
		h.must("PutRAMReplaceWork", tx.PutRAMReplaceWork(&done))
		w := *w0
		w.DueAt, w.Status = time.Time{}, "COMPLETED"
		h.must("PutRAMReplaceWork", tx.PutRAMReplaceWork(&w))
		settledTie := *tie
		settledTie.Status, settledTie.DueAt = store.RAMAssociated, time.Time{}
		return tx.PutRAMAssociation(&settledTie)
	})
	h.view(func(tx store.Tx) error {
		list, _ := tx.ListRAMReplaceWork(acct)
		h.equal("replaced work", list[1], &done)
		due, _ := tx.DueRAMReplaceWork(at(99))
		h.equal("DueRAMReplaceWork after completions", due, []*store.RAMReplaceWork{w1})
		next, _ := tx.NextRAMDue()
		h.equal("NextRAMDue after completions", next, at(20))
		return nil
	})
}

// invitation is an invitation of principal to a share of acct, created at second n.
func invitation(id, share, principal string, n int) *store.RAMInvitation {
	return &store.RAMInvitation{ARN: "arn:aws:ram:us-east-1:111111111111:resource-share-invitation/" + id, ShareARN: share,
		SenderAccount: acct, ReceiverAccount: principal, Principal: principal, Status: "PENDING", CreatedAt: at(n), UpdatedAt: at(n)}
}

func testRAMInvitations(h *h) {
	s1, s2 := shareARN(acct, "s1"), shareARN(acct, "s2")
	const role = "arn:aws:iam::333333333333:role/R"
	i1 := invitation("i1", s1, acct2, 1)
	i2 := invitation("i2", s1, role, 2)
	i2.ReceiverAccount, i2.ReceiverARN = "333333333333", role
	i3 := invitation("i3", s2, acct2, 3)
	i0 := invitation("i0", s1, acct2, 4) // a second invitation of the same principal
	i0.Status = "REJECTED"
	h.update(func(tx store.Tx) error {
		for _, i := range []*store.RAMInvitation{i3, i1, i2, i0} {
			if err := tx.PutRAMInvitation(i); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		i, err := tx.RAMInvitation(i2.ARN)
		h.is("RAMInvitation", err, nil)
		h.equal("RAMInvitation", i, i2)
		_, err = tx.RAMInvitation(invitation("nope", s1, acct2, 1).ARN)
		h.is("missing RAMInvitation", err, store.ErrNotFound)
		for _, tc := range []struct {
			what string
			q    store.RAMInvitationQuery
			want []*store.RAMInvitation
		}{
			{"every invitation, in ARN order", store.RAMInvitationQuery{}, []*store.RAMInvitation{i0, i1, i2, i3}},
			{"by receiver", store.RAMInvitationQuery{Receiver: acct2}, []*store.RAMInvitation{i0, i1, i3}},
			{"by ARNs", store.RAMInvitationQuery{ARNs: []string{i3.ARN, i2.ARN}}, []*store.RAMInvitation{i2, i3}},
			{"by no ARNs", store.RAMInvitationQuery{ARNs: []string{}}, nil},
			{"by shares", store.RAMInvitationQuery{ShareARNs: []string{s2}}, []*store.RAMInvitation{i3}},
			{"by no shares", store.RAMInvitationQuery{ShareARNs: []string{}}, nil},
			{"of a principal of a share", store.RAMInvitationQuery{ShareARNs: []string{s1}, Principal: acct2}, []*store.RAMInvitation{i0, i1}},
			{"of a receiver among ARNs", store.RAMInvitationQuery{Receiver: "333333333333", ARNs: []string{i1.ARN, i2.ARN}},
				[]*store.RAMInvitation{i2}},
		} {
			list, err := tx.ListRAMInvitations(tc.q)
			h.is("ListRAMInvitations "+tc.what, err, nil)
			sameList(h, "ListRAMInvitations "+tc.what, list, tc.want)
		}
		return nil
	})
	answered := invitation("i1", s2, "444444444444", 5)
	answered.Status, answered.ReceiverARN = "ACCEPTED", "arn:aws:iam::444444444444:user/u"
	h.update(func(tx store.Tx) error { return tx.PutRAMInvitation(answered) })
	h.view(func(tx store.Tx) error {
		i, _ := tx.RAMInvitation(i1.ARN)
		h.equal("RAMInvitation put again: every field replaced", i, answered)
		return nil
	})
	h.update(func(tx store.Tx) error {
		h.must("DeleteRAMInvitations", tx.DeleteRAMInvitations(s1, acct2))
		return tx.DeleteRAMInvitations(s1, "555555555555") // none: no error
	})
	h.view(func(tx store.Tx) error {
		list, _ := tx.ListRAMInvitations(store.RAMInvitationQuery{})
		h.equal("invitations after deleting a principal's on a share", list, []*store.RAMInvitation{answered, i2, i3})
		return nil
	})
}

// testRAMChanges: the Changes each of RAM's writes records, RAM's worker arms its timer by
// (ChangeRAMPending), and no others.
func testRAMChanges(h *h) {
	published := h.record()
	since := 0
	expect := func(what string, want ...store.Change) {
		h.Helper()
		all := published()
		sameList(h, "changes of "+what, all[since:], want)
		since = len(all)
	}
	pending := func(t time.Time) store.Change {
		return store.Change{Kind: store.ChangeRAMPending, Key: strconv.FormatInt(t.UnixNano(), 10)}
	}
	share := ramShare(acct, "s", 1)
	h.update(func(tx store.Tx) error { return tx.CreateRAMShare(share) })
	expect("CreateRAMShare", store.Change{Kind: store.ChangeRAMShare, Key: share.ARN})
	h.update(func(tx store.Tx) error { return tx.UpdateRAMShare(share) })
	expect("UpdateRAMShare", store.Change{Kind: store.ChangeRAMShare, Key: share.ARN})
	h.update(func(tx store.Tx) error { return tx.SetTags(share.ARN, []store.Tag{{Key: "k", Value: "v"}}) })
	expect("SetTags of a share", store.Change{Kind: store.ChangeTags, Key: share.ARN})

	a := association(share.ARN, store.RAMPrincipal, acct2, 1)
	h.update(func(tx store.Tx) error { return tx.PutRAMAssociation(a) })
	expect("PutRAMAssociation", store.Change{Kind: store.ChangeRAMAssociation, Key: share.ARN + " " + acct2})
	a.Status, a.DueAt = store.RAMAssociating, at(5)
	h.update(func(tx store.Tx) error { return tx.PutRAMAssociation(a) })
	expect("PutRAMAssociation with a due time", store.Change{Kind: store.ChangeRAMAssociation, Key: share.ARN + " " + acct2}, pending(at(5)))

	i1, i2 := invitation("i1", share.ARN, acct2, 1), invitation("i2", share.ARN, acct2, 2)
	h.update(func(tx store.Tx) error {
		h.must("PutRAMInvitation", tx.PutRAMInvitation(i2))
		return tx.PutRAMInvitation(i1)
	})
	expect("PutRAMInvitation", store.Change{Kind: store.ChangeRAMInvitation, Key: i2.ARN}, store.Change{Kind: store.ChangeRAMInvitation, Key: i1.ARN})
	h.update(func(tx store.Tx) error { return tx.DeleteRAMInvitations(share.ARN, acct2) })
	expect("DeleteRAMInvitations, one for each, in ARN order", store.Change{Kind: store.ChangeRAMInvitation, Key: i1.ARN},
		store.Change{Kind: store.ChangeRAMInvitation, Key: i2.ARN})

	p := ramPermission(acct, "Narrow", 1)
	h.update(func(tx store.Tx) error {
		h.must("CreateRAMPermission", tx.CreateRAMPermission(p))
		h.must("UpdateRAMPermission", tx.UpdateRAMPermission(p))
		h.must("PutRAMPermissionVersion", tx.PutRAMPermissionVersion(permissionVersion(p.ARN, 1, 1)))
		return tx.DeleteRAMPermissionVersion(p.ARN, 1)
	})
	perm := store.Change{Kind: store.ChangeRAMPermission, Key: p.ARN}
	expect("a permission and its versions", perm, perm, perm, perm)
	sp := &store.RAMSharePermission{ShareARN: share.ARN, ResourceType: "sagemaker:Pipeline", PermissionARN: p.ARN, PermissionVersion: 1,
		Status: store.RAMAssociated, CreatedAt: at(1), UpdatedAt: at(1)}
	h.update(func(tx store.Tx) error {
		h.must("PutRAMSharePermission", tx.PutRAMSharePermission(sp))
		return tx.DeleteRAMSharePermission(share.ARN, sp.ResourceType)
	})
	expect("a share's permission", store.Change{Kind: store.ChangeRAMSharePermission, Key: share.ARN},
		store.Change{Kind: store.ChangeRAMSharePermission, Key: share.ARN})
	h.update(func(tx store.Tx) error { return tx.DeleteRAMPermission(p.ARN) })
	expect("DeleteRAMPermission", perm)

	w := &store.RAMReplaceWork{ID: "w", OwnerAccount: acct, FromARN: managedPermission, ToARN: p.ARN, Status: "COMPLETED", CreatedAt: at(1), UpdatedAt: at(1)}
	h.update(func(tx store.Tx) error { return tx.PutRAMReplaceWork(w) })
	expect("PutRAMReplaceWork", store.Change{Kind: store.ChangeRAMReplaceWork, Key: "w"})
	w.Status, w.DueAt = "IN_PROGRESS", at(7)
	h.update(func(tx store.Tx) error { return tx.PutRAMReplaceWork(w) })
	expect("PutRAMReplaceWork with a due time", store.Change{Kind: store.ChangeRAMReplaceWork, Key: "w"}, pending(at(7)))

	h.update(func(tx store.Tx) error {
		return tx.PutRAMClientToken(&store.RAMClientToken{Account: acct, Operation: "CreateResourceShare", Token: "t", RequestHash: "h", CreatedAt: at(1)})
	})
	expect("PutRAMClientToken")
	h.update(func(tx store.Tx) error { return tx.EnableRAMOrgSharing("o-abcdefghij", at(1)) })
	expect("EnableRAMOrgSharing", store.Change{Kind: store.ChangeRAMOrgSharing, Key: "o-abcdefghij"})
	const pipelineARN = "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p"
	h.update(func(tx store.Tx) error {
		h.must("PutResourcePolicy", tx.PutResourcePolicy(pipelineARN, acct, []byte(`{}`), at(1)))
		return tx.PutResourcePolicy(pipelineARN, acct, nil, at(2))
	})
	expect("PutResourcePolicy, writing and removing", store.Change{Kind: store.ChangeResourcePolicy, Key: pipelineARN},
		store.Change{Kind: store.ChangeResourcePolicy, Key: pipelineARN})
}
