package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cairnhq/cairn/internal/store"
)

// errAbort is what the suite's Updates return to roll back.
var errAbort = errors.New("storetest: abort")

func transactionTests() []test {
	return []test{
		{"UpdateRollsBackOnError", []string{"Update"}, testUpdateRollback},
		{"ViewKeepsNothing", []string{"View"}, testViewKeepsNothing},
		{"PublishAfterCommit", []string{"Subscribe"}, testPublishAfterCommit},
		{"PublishInCommitOrder", []string{"Subscribe"}, testPublishInCommitOrder},
		{"Close", []string{"Close"}, testClose},
		{"Changes", nil, testChanges},
	}
}

// testUpdateRollback: an Update whose function fails keeps none of its writes, even
// those made before the write that failed, and publishes nothing.
func testUpdateRollback(h *h) {
	h.createAccounts(acct)
	published := h.record()
	ctx := context.Background()
	err := h.s.Update(ctx, func(tx store.Tx) error {
		h.must("create user", tx.CreateUser(&store.User{AccountID: acct, Name: "kept-not", ID: "AIDAROLLBACK1", Path: "/"}))
		return errAbort
	})
	h.is("Update returning an error", err, errAbort)
	err = h.s.Update(ctx, func(tx store.Tx) error {
		h.must("create role", tx.CreateRole(&store.Role{AccountID: acct, Name: "first", AssumeRolePolicyDocument: "{}"}))
		// A clash: the account exists.
		return tx.CreateAccount(&store.Account{ID: acct, Name: "again", Email: "again@example.com"})
	})
	h.is("Update failing on a clash", err, store.ErrExists)
	h.view(func(tx store.Tx) error {
		_, err := tx.User(acct, "kept-not")
		h.is("user of a rolled-back Update", err, store.ErrNotFound)
		_, err = tx.Role(acct, "first")
		h.is("role written before the failing write", err, store.ErrNotFound)
		return nil
	})
	h.equal("changes published by rolled-back Updates", published(), []store.Change(nil))
}

// testViewKeepsNothing: whatever a View writes (a backend may refuse, or discard it) is
// neither kept nor published.
func testViewKeepsNothing(h *h) {
	published := h.record()
	_ = h.s.View(context.Background(), func(tx store.Tx) error {
		_ = tx.CreateAccount(&store.Account{ID: acct, Name: "viewed", Email: "viewed@example.com"})
		return nil
	})
	h.view(func(tx store.Tx) error {
		_, err := tx.Account(acct)
		h.is("account written in a View", err, store.ErrNotFound)
		return nil
	})
	h.equal("changes published by a View", published(), []store.Change(nil))
}

// testPublishAfterCommit: subscribers get an Update's changes once it has committed (a
// View from the subscriber sees the write), before Update returns, and not for Updates
// that record none; a cancelled subscription gets nothing more.
func testPublishAfterCommit(h *h) {
	ctx := context.Background()
	var seen []string
	var viewErr error
	cancel := h.s.Subscribe(func(changes []store.Change) {
		for _, c := range changes {
			if c.Kind != store.ChangeAccount {
				continue
			}
			viewErr = errors.Join(viewErr, h.s.View(ctx, func(tx store.Tx) error {
				a, err := tx.Account(c.Key)
				if err == nil {
					seen = append(seen, a.Name)
				}
				return err
			}))
		}
	})
	h.createAccounts(acct)
	h.equal("accounts seen by the subscriber when Update returned", seen, []string{"account-" + acct})
	h.is("subscriber's View of the committed account", viewErr, nil)

	calls := 0
	cancelCount := h.s.Subscribe(func([]store.Change) { calls++ })
	h.update(func(tx store.Tx) error {
		_, err := tx.Account(acct)
		return err
	})
	h.equal("publications of an Update that wrote nothing", calls, 0)
	cancel()
	cancelCount()
	h.createAccounts(acct2)
	h.equal("accounts seen after cancelling", seen, []string{"account-" + acct})
	h.equal("publications after cancelling", calls, 0)
}

// testPublishInCommitOrder: concurrent Updates each take the next number of a counter
// (an access key ID); subscribers must see the numbers in the order the Updates
// committed, each once.
func testPublishInCommitOrder(h *h) {
	h.createAccounts(acct)
	published := h.record()
	const writers, each = 4, 10
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				for {
					err := h.s.Update(ctx, func(tx store.Tx) error {
						keys, err := tx.ListAccessKeys(acct, "")
						if err != nil {
							return err
						}
						id := fmt.Sprintf("AKIACOUNTER%09d", len(keys))
						return tx.CreateAccessKey(&store.AccessKey{ID: id, Secret: "s", AccountID: acct, Status: store.KeyActive, CreatedAt: at(len(keys))})
					})
					if errors.Is(err, store.ErrExists) {
						continue // another writer took the number first
					}
					if err != nil {
						errs <- err
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		h.must("counter Update", err)
	}
	var got []string
	for _, c := range published() {
		if c.Kind == store.ChangeAccessKey {
			got = append(got, c.Key)
		}
	}
	var want []string
	for i := range writers * each {
		want = append(want, fmt.Sprintf("AKIACOUNTER%09d", i))
	}
	h.equal("access keys in the order published", got, want)
}

// testClose: Close succeeds, and the store then refuses transactions.
func testClose(h *h) {
	h.is("Close", h.s.Close(), nil)
	err := h.s.View(context.Background(), func(store.Tx) error { return nil })
	if err == nil {
		h.Errorf("View after Close succeeded")
	}
}

// testChanges: the Changes each kind of write records, which caches, the engine and the
// profile writer react to.
func testChanges(h *h) {
	published := h.record()
	since := 0
	expect := func(what string, want ...store.Change) {
		h.Helper()
		all := published()
		h.equal("changes of "+what, all[since:], want)
		since = len(all)
	}
	h.update(func(tx store.Tx) error {
		return tx.CreateOrganization(&store.Organization{ID: "o-abcdefghij", ManagementAccountID: acct, RootID: "r-root", FeatureSet: "ALL", CreatedAt: at(0)})
	})
	expect("CreateOrganization", store.Change{Kind: store.ChangeOrganization, Key: "o-abcdefghij"})
	h.createAccounts(acct)
	expect("CreateAccount", store.Change{Kind: store.ChangeAccount, Key: acct})
	h.update(func(tx store.Tx) error {
		return tx.PutCreateAccountStatus(&store.CreateAccountStatus{ID: "car-1", AccountName: "a", State: "IN_PROGRESS", RequestedAt: at(1)})
	})
	expect("PutCreateAccountStatus", store.Change{Kind: store.ChangeCreateAccountStatus, Key: "car-1"})
	h.update(func(tx store.Tx) error {
		h.must("create user", tx.CreateUser(&store.User{AccountID: acct, Name: "alice", ID: "AIDAALICE", Path: "/"}))
		return tx.CreateAccessKey(&store.AccessKey{ID: "AKIAALICE", Secret: "s", AccountID: acct, UserName: "alice", Status: store.KeyActive})
	})
	expect("CreateUser and CreateAccessKey", store.Change{Kind: store.ChangeUser, Key: acct + "/alice"},
		store.Change{Kind: store.ChangeAccessKey, Key: "AKIAALICE"})
	h.update(func(tx store.Tx) error {
		return tx.UpdateUser(&store.User{AccountID: acct, Name: "alicia", ID: "AIDAALICE", Path: "/"})
	})
	expect("renaming a user with a key", store.Change{Kind: store.ChangeAccessKey, Key: "AKIAALICE"},
		store.Change{Kind: store.ChangeUser, Key: acct + "/alice"}, store.Change{Kind: store.ChangeUser, Key: acct + "/alicia"})
	h.update(func(tx store.Tx) error { return tx.UpdateAccessKeyStatus("AKIAALICE", store.KeyInactive) })
	expect("UpdateAccessKeyStatus", store.Change{Kind: store.ChangeAccessKey, Key: "AKIAALICE"})
	h.update(func(tx store.Tx) error {
		h.must("create group", tx.CreateGroup(&store.Group{AccountID: acct, Name: "devs", ID: "AGPADEVS", Path: "/"}))
		return tx.AddUserToGroup(acct, "devs", "alicia")
	})
	expect("CreateGroup and AddUserToGroup", store.Change{Kind: store.ChangeGroup, Key: acct + "/devs"},
		store.Change{Kind: store.ChangeGroup, Key: acct + "/devs"}, store.Change{Kind: store.ChangeUser, Key: acct + "/alicia"})
	h.update(func(tx store.Tx) error {
		return tx.CreateRole(&store.Role{AccountID: acct, Name: "r", AssumeRolePolicyDocument: "{}"})
	})
	expect("CreateRole", store.Change{Kind: store.ChangeRole, Key: acct + "/r"})
	const admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	h.update(func(tx store.Tx) error { return tx.AttachPolicy(acct, store.EntityRole, "r", admin) })
	expect("AttachPolicy", store.Change{Kind: store.ChangeRole, Key: acct + "/r"})
	const arn = "arn:aws:iam::111111111111:policy/p"
	h.update(func(tx store.Tx) error {
		return tx.CreatePolicyVersion(&store.PolicyVersion{PolicyARN: admin, VersionID: "v9", Document: "{}"})
	})
	expect("CreatePolicyVersion", store.Change{Kind: store.ChangePolicy, Key: admin})
	h.update(func(tx store.Tx) error {
		return tx.CreateManagedPolicy(&store.ManagedPolicy{ARN: arn, AccountID: acct, Name: "p", ID: "ANPAP", Path: "/", DefaultVersionID: "v1", LastVersion: 1},
			&store.PolicyVersion{PolicyARN: arn, VersionID: "v1", Document: "{}"})
	})
	expect("CreateManagedPolicy", store.Change{Kind: store.ChangePolicy, Key: arn}, store.Change{Kind: store.ChangePolicy, Key: arn})
	h.update(func(tx store.Tx) error {
		return tx.CreateSession(&store.Session{AccessKeyID: "ASIA1", Secret: "s", TokenHash: []byte{1}, AccountID: acct, RoleName: "r"})
	})
	expect("CreateSession", store.Change{Kind: store.ChangeSession, Key: "ASIA1"})
	h.update(func(tx store.Tx) error {
		return tx.CreateOrganizationalUnit(&store.OrganizationalUnit{ID: "ou-root-aaaaaaaa", Name: "ou", ParentID: "r-root"})
	})
	expect("CreateOrganizationalUnit", store.Change{Kind: store.ChangeOrganizationalUnit, Key: "ou-root-aaaaaaaa"})
	h.update(func(tx store.Tx) error { return tx.MoveAccount(acct, "ou-root-aaaaaaaa") })
	expect("MoveAccount", store.Change{Kind: store.ChangeAccount, Key: acct})
	h.update(func(tx store.Tx) error { return tx.EnablePolicyType(store.ServiceControlPolicy, at(2)) })
	expect("EnablePolicyType", store.Change{Kind: store.ChangeOrgPolicy, Key: "type/" + store.ServiceControlPolicy})
	h.update(func(tx store.Tx) error {
		h.must("create policy", tx.CreateOrgPolicy(&store.OrgPolicy{ID: "p-1", Type: store.ServiceControlPolicy, Name: "one", Content: "{}"}))
		return tx.AttachOrgPolicy("p-1", acct, at(3))
	})
	expect("CreateOrgPolicy and AttachOrgPolicy", store.Change{Kind: store.ChangeOrgPolicy, Key: "p-1"}, store.Change{Kind: store.ChangeOrgPolicy, Key: "p-1"})
	h.update(func(tx store.Tx) error { return tx.SetTags("p-1", []store.Tag{{Key: "k", Value: "v"}}) })
	expect("SetTags", store.Change{Kind: store.ChangeTags, Key: "p-1"})
	h.update(func(tx store.Tx) error {
		h.must("create bucket", tx.CreateBucket(&store.Bucket{Name: "b", AccountID: acct, Region: "us-east-1"}))
		_, err := tx.PutObject(&store.Object{Bucket: "b", Key: "k", BlobID: "blob"})
		h.must("put object", err)
		return tx.CreateUpload(&store.Upload{ID: "u1", Bucket: "b", Key: "k"})
	})
	expect("CreateBucket, PutObject and CreateUpload", store.Change{Kind: store.ChangeBucket, Key: "b"},
		store.Change{Kind: store.ChangeObject, Key: "b/k"}, store.Change{Kind: store.ChangeUpload, Key: "u1"})
	h.update(func(tx store.Tx) error { return tx.PutBucketTags("b", map[string]string{"k": "v"}) })
	expect("PutBucketTags", store.Change{Kind: store.ChangeBucket, Key: "b"})
	const pipeline = "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p"
	const execution = pipeline + "/execution/e1"
	const job = "arn:aws:sagemaker:us-east-1:111111111111:training-job/j"
	h.update(func(tx store.Tx) error {
		h.must("create pipeline", tx.CreatePipeline(&store.Pipeline{AccountID: acct, Name: "p", ARN: pipeline}))
		h.must("create execution", tx.CreatePipelineExecution(&store.PipelineExecution{ARN: execution, AccountID: acct, PipelineARN: pipeline}))
		h.must("put step", tx.PutExecutionStep(&store.ExecutionStep{ExecutionARN: execution, Name: "s"}))
		return tx.CreateJob(&store.Job{AccountID: acct, Kind: "training-job", Name: "j", ARN: job})
	})
	expect("pipeline, execution, step and job", store.Change{Kind: store.ChangePipeline, Key: pipeline},
		store.Change{Kind: store.ChangePipelineExecution, Key: execution}, store.Change{Kind: store.ChangeExecutionStep, Key: execution},
		store.Change{Kind: store.ChangeJob, Key: job})
	const model = "arn:aws:sagemaker:us-east-1:111111111111:model/m"
	const group = "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/g"
	const pkg = "arn:aws:sagemaker:us-east-1:111111111111:model-package/g/1"
	h.update(func(tx store.Tx) error {
		h.must("create model", tx.CreateModel(&store.Model{AccountID: acct, Name: "m", ARN: model}))
		h.must("create group", tx.CreateModelPackageGroup(&store.ModelPackageGroup{AccountID: acct, Name: "g", ARN: group}))
		return tx.CreateModelPackage(&store.ModelPackage{AccountID: acct, Name: "g", Version: 1, ARN: pkg})
	})
	expect("model, group and package", store.Change{Kind: store.ChangeModel, Key: model},
		store.Change{Kind: store.ChangeModelPackageGroup, Key: group}, store.Change{Kind: store.ChangeModelPackage, Key: pkg})
	h.update(func(tx store.Tx) error { return tx.PutModelPackageGroupPolicy(acct, "g", `{}`) })
	expect("PutModelPackageGroupPolicy", store.Change{Kind: store.ChangeModelPackageGroup, Key: group})
	h.update(func(tx store.Tx) error { return tx.DeleteModelPackageGroupPolicy(acct, "g") })
	expect("DeleteModelPackageGroupPolicy", store.Change{Kind: store.ChangeModelPackageGroup, Key: group})
}
