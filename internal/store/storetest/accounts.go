package storetest

import (
	"github.com/cairnhq/cairn/internal/store"
)

func accountTests() []test {
	return []test{
		{"Organization", []string{"Organization", "CreateOrganization", "CreateAccountStatus", "ListCreateAccountStatuses", "PutCreateAccountStatus"}, testOrganization},
		{"Accounts", []string{"Account", "AccountByName", "AccountByEmail", "ListAccounts", "CreateAccount"}, testAccounts},
		{"AccessKeys", []string{"AccessKey", "ListAccessKeys", "CreateAccessKey", "UpdateAccessKeyStatus", "DeleteAccessKey"}, testAccessKeys},
		{"Sessions", []string{"Session", "CreateSession", "DeleteExpiredSessions"}, testSessions},
	}
}

func testOrganization(h *h) {
	h.view(func(tx store.Tx) error {
		_, err := tx.Organization()
		h.is("Organization before it is created", err, store.ErrNotFound)
		_, err = tx.CreateAccountStatus("car-missing")
		h.is("missing CreateAccountStatus", err, store.ErrNotFound)
		return nil
	})
	org := &store.Organization{ID: "o-abcdefghij", ManagementAccountID: "000000000000", RootID: "r-root", FeatureSet: "ALL", CreatedAt: at(1)}
	h.update(func(tx store.Tx) error { return tx.CreateOrganization(org) })
	err := h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateOrganization(&store.Organization{ID: "o-other", ManagementAccountID: "000000000000", RootID: "r-other", FeatureSet: "ALL"})
	})
	h.is("a second organization", err, store.ErrExists)

	st := &store.CreateAccountStatus{ID: "car-1", AccountName: "dev", State: "IN_PROGRESS", RequestedAt: at(2)}
	h.update(func(tx store.Tx) error { return tx.PutCreateAccountStatus(st) })
	h.view(func(tx store.Tx) error {
		got, err := tx.Organization()
		h.is("Organization", err, nil)
		h.equal("Organization", got, org)
		s, err := tx.CreateAccountStatus("car-1")
		h.is("CreateAccountStatus", err, nil)
		h.equal("CreateAccountStatus", s, st)
		return nil
	})
	done := &store.CreateAccountStatus{ID: "car-1", AccountName: "dev", State: "SUCCEEDED", AccountID: acct, RequestedAt: at(2), CompletedAt: at(3)}
	h.update(func(tx store.Tx) error { return tx.PutCreateAccountStatus(done) })
	failed := &store.CreateAccountStatus{ID: "car-2", AccountName: "dup", State: "FAILED", FailureReason: "EMAIL_ALREADY_EXISTS", RequestedAt: at(4), CompletedAt: at(4)}
	h.update(func(tx store.Tx) error { return tx.PutCreateAccountStatus(failed) })
	h.view(func(tx store.Tx) error {
		s, _ := tx.CreateAccountStatus("car-1")
		h.equal("CreateAccountStatus after it completed", s, done)
		s, _ = tx.CreateAccountStatus("car-2")
		h.equal("failed CreateAccountStatus", s, failed)
		return nil
	})
	pending := &store.CreateAccountStatus{ID: "car-0", AccountName: "new", State: "IN_PROGRESS", RequestedAt: at(5)}
	h.update(func(tx store.Tx) error { return tx.PutCreateAccountStatus(pending) })
	h.view(func(tx store.Tx) error {
		all, err := tx.ListCreateAccountStatuses(nil, store.Page{})
		h.is("ListCreateAccountStatuses", err, nil)
		h.equal("ListCreateAccountStatuses, in ID order", all, []*store.CreateAccountStatus{pending, done, failed})
		page, err := tx.ListCreateAccountStatuses(nil, store.Page{After: "car-0", Limit: 1})
		h.is("ListCreateAccountStatuses after a key", err, nil)
		h.equal("ListCreateAccountStatuses after car-0, limit 1", page, []*store.CreateAccountStatus{done})
		ended, err := tx.ListCreateAccountStatuses([]string{"SUCCEEDED", "FAILED"}, store.Page{})
		h.is("ListCreateAccountStatuses of states", err, nil)
		h.equal("ListCreateAccountStatuses SUCCEEDED or FAILED", ended, []*store.CreateAccountStatus{done, failed})
		none, err := tx.ListCreateAccountStatuses([]string{"FAILED"}, store.Page{After: "car-2"})
		h.is("ListCreateAccountStatuses past the last", err, nil)
		h.equal("ListCreateAccountStatuses past the last", len(none), 0)
		return nil
	})
}

func testAccounts(h *h) {
	accounts := []*store.Account{
		{ID: "333333333333", Name: "gamma", Email: "gamma@example.com", State: "ACTIVE", JoinedMethod: "CREATED", JoinedAt: at(3), ParentID: "r-root"},
		{ID: "000000000000", Name: "management", Email: "Admin@Example.com", State: "ACTIVE", JoinedMethod: "INVITED", JoinedAt: at(1), ParentID: "r-root"},
		{ID: acct, Name: "alpha", Email: "alpha@example.com", State: "SUSPENDED", JoinedMethod: "CREATED", JoinedAt: at(2), ParentID: "ou-root-aaaaaaaa"},
	}
	h.update(func(tx store.Tx) error {
		for _, a := range accounts {
			if err := tx.CreateAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
	management, alpha, gamma := accounts[1], accounts[2], accounts[0]
	for what, a := range map[string]*store.Account{
		"an account ID taken":                    {ID: acct, Name: "other", Email: "other@example.com", ParentID: "r-root"},
		"an account name taken":                  {ID: "444444444444", Name: "alpha", Email: "other@example.com", ParentID: "r-root"},
		"an email taken, differing only in case": {ID: "444444444444", Name: "other", Email: "ADMIN@example.COM", ParentID: "r-root"},
	} {
		err := h.tryUpdate(func(tx store.Tx) error { return tx.CreateAccount(a) })
		h.is(what, err, store.ErrExists)
	}
	h.view(func(tx store.Tx) error {
		a, err := tx.Account(acct)
		h.is("Account", err, nil)
		h.equal("Account", a, alpha)
		_, err = tx.Account("999999999999")
		h.is("missing Account", err, store.ErrNotFound)
		a, err = tx.AccountByName("gamma")
		h.is("AccountByName", err, nil)
		h.equal("AccountByName", a, gamma)
		_, err = tx.AccountByName("delta")
		h.is("missing AccountByName", err, store.ErrNotFound)
		a, err = tx.AccountByEmail("admin@example.com")
		h.is("AccountByEmail without case", err, nil)
		h.equal("AccountByEmail", a, management)
		_, err = tx.AccountByEmail("nobody@example.com")
		h.is("missing AccountByEmail", err, store.ErrNotFound)

		list, err := tx.ListAccounts(store.Page{})
		h.is("ListAccounts", err, nil)
		h.equal("ListAccounts in ID order", list, []*store.Account{management, alpha, gamma})
		list, _ = tx.ListAccounts(store.Page{Limit: 2})
		h.equal("ListAccounts, first page of 2", list, []*store.Account{management, alpha})
		list, _ = tx.ListAccounts(store.Page{After: acct, Limit: 2})
		h.equal("ListAccounts after "+acct, list, []*store.Account{gamma})
		list, _ = tx.ListAccounts(store.Page{After: "333333333333"})
		h.equal("ListAccounts after the last", len(list), 0)
		return nil
	})
}

func testAccessKeys(h *h) {
	h.createAccounts(acct)
	root := &store.AccessKey{ID: "AKIAROOT000000000001", Secret: "root-secret", AccountID: acct, Status: store.KeyActive, CreatedAt: at(1)}
	second := &store.AccessKey{ID: "AKIAALICE00000000002", Secret: "s2", AccountID: acct, UserName: "alice", Status: store.KeyActive, CreatedAt: at(3)}
	first := &store.AccessKey{ID: "AKIAALICE00000000009", Secret: "s1", AccountID: acct, UserName: "alice", Status: store.KeyInactive, CreatedAt: at(2)}
	h.update(func(tx store.Tx) error {
		for _, k := range []*store.AccessKey{root, second, first} {
			if err := tx.CreateAccessKey(k); err != nil {
				return err
			}
		}
		return nil
	})
	err := h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateAccessKey(&store.AccessKey{ID: root.ID, Secret: "x", AccountID: acct, Status: store.KeyActive})
	})
	h.is("an access key ID taken", err, store.ErrExists)
	h.view(func(tx store.Tx) error {
		k, err := tx.AccessKey(root.ID)
		h.is("AccessKey", err, nil)
		h.equal("AccessKey", k, root)
		_, err = tx.AccessKey("AKIAMISSING")
		h.is("missing AccessKey", err, store.ErrNotFound)
		keys, err := tx.ListAccessKeys(acct, "alice")
		h.is("ListAccessKeys", err, nil)
		h.equal("alice's keys in creation order", keys, []*store.AccessKey{first, second})
		keys, _ = tx.ListAccessKeys(acct, "")
		h.equal("the root's keys", keys, []*store.AccessKey{root})
		keys, _ = tx.ListAccessKeys(acct, "bob")
		h.equal("keys of a user without any", len(keys), 0)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.UpdateAccessKeyStatus(second.ID, store.KeyInactive) })
	h.update(func(tx store.Tx) error { return tx.DeleteAccessKey(first.ID) })
	h.view(func(tx store.Tx) error {
		k, _ := tx.AccessKey(second.ID)
		h.equal("status after UpdateAccessKeyStatus", k.Status, store.KeyInactive)
		_, err := tx.AccessKey(first.ID)
		h.is("deleted AccessKey", err, store.ErrNotFound)
		return nil
	})
	err = h.tryUpdate(func(tx store.Tx) error { return tx.UpdateAccessKeyStatus(first.ID, store.KeyActive) })
	h.is("UpdateAccessKeyStatus of a missing key", err, store.ErrNotFound)
	err = h.tryUpdate(func(tx store.Tx) error { return tx.DeleteAccessKey(first.ID) })
	h.is("DeleteAccessKey of a missing key", err, store.ErrNotFound)
}

func testSessions(h *h) {
	s := &store.Session{
		AccessKeyID: "ASIASESSION000000001", Secret: "secret", TokenHash: []byte{0xde, 0xad, 0xbe, 0xef},
		AccountID: acct, RoleName: "Worker", RoleARN: "arn:aws:iam::111111111111:role/jobs/Worker", RoleID: "AROAWORKER",
		SessionName: "job-1", Policy: `{"Version":"2012-10-17"}`, PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
		Tags: []store.Tag{{Key: "project", Value: "x"}, {Key: "cost", Value: "1"}}, TransitiveTagKeys: []string{"project"},
		SourceIdentity: "alice", Chained: true, CallerARN: "arn:aws:sts::111111111111:assumed-role/Other/s",
		CreatedAt: at(1), ExpiresAt: at(3601),
	}
	later := &store.Session{AccessKeyID: "ASIASESSION000000002", Secret: "s2", TokenHash: []byte{1}, AccountID: acct,
		RoleName: "Worker", PolicyARNs: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}, Tags: []store.Tag{{Key: "a", Value: "b"}},
		TransitiveTagKeys: []string{"a"}, CreatedAt: at(2), ExpiresAt: at(7200)}
	// GetSessionToken's session of a user: no role.
	user := &store.Session{AccessKeyID: "ASIASESSION000000003", Secret: "s3", TokenHash: []byte{3}, AccountID: acct,
		CallerARN: "arn:aws:iam::111111111111:user/team/alice", CreatedAt: at(2), ExpiresAt: at(7200)}
	h.update(func(tx store.Tx) error {
		h.must("CreateSession", tx.CreateSession(s))
		h.must("CreateSession of a user", tx.CreateSession(user))
		return tx.CreateSession(later)
	})
	err := h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateSession(&store.Session{AccessKeyID: s.AccessKeyID, Secret: "x", TokenHash: []byte{2}})
	})
	h.is("a session access key ID taken", err, store.ErrExists)
	h.view(func(tx store.Tx) error {
		got, err := tx.Session(s.AccessKeyID)
		h.is("Session", err, nil)
		h.equal("Session", got, s)
		got, err = tx.Session(user.AccessKeyID)
		h.is("Session of a user", err, nil)
		h.equal("Session of a user", got, user)
		_, err = tx.Session("ASIAMISSING")
		h.is("missing Session", err, store.ErrNotFound)
		return nil
	})
	h.update(func(tx store.Tx) error {
		n, err := tx.DeleteExpiredSessions(at(3601))
		h.equal("sessions expired before their expiry instant", n, 0)
		if err != nil {
			return err
		}
		n, err = tx.DeleteExpiredSessions(at(3602))
		h.equal("sessions expired a second later", n, 1)
		return err
	})
	h.view(func(tx store.Tx) error {
		_, err := tx.Session(s.AccessKeyID)
		h.is("expired Session", err, store.ErrNotFound)
		got, err := tx.Session(later.AccessKeyID)
		h.is("Session still valid", err, nil)
		h.equal("Session still valid", got, later)
		return nil
	})
}
