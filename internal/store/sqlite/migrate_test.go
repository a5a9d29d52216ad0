package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

// legacyVersion is the newest migration of the schema before the store's SQL became
// portable and its tags moved to one table.
const legacyVersion = 8

// legacyRows fills a database at legacyVersion with rows in every table later migrations
// rebuild, written as the code of that time wrote them. Rows are inserted out of name
// order where the order of insertion is what the store lists by.
var legacyRows = []string{
	`INSERT INTO organization VALUES ('o-abcdefghij', '000000000000', 'r-root', 'ALL', 1)`,
	`INSERT INTO accounts VALUES ('000000000000', 'mgmt', 'Mgmt@Example.com', 'ACTIVE', 'CREATED', 2, 'r-root')`,
	`INSERT INTO accounts VALUES ('111111111111', 'dev', 'dev@example.com', 'ACTIVE', 'CREATED', 3, 'ou-root-aaaaaaaa')`,
	`INSERT INTO access_keys VALUES ('AKIAUSERALICE0000000', 'secret', '111111111111', 'alice', 'Active', 4)`,
	`INSERT INTO organizational_units VALUES ('ou-root-aaaaaaaa', 'Dev', 'r-root', 5)`,

	`INSERT INTO iam_users VALUES ('AIDACAROL00000000001', '111111111111', 'carol', '/', '', 10)`,
	`INSERT INTO iam_users VALUES ('AIDABOB0000000000001', '111111111111', 'Bob', '/team/', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 11)`,
	`INSERT INTO iam_users VALUES ('AIDAALICE00000000001', '111111111111', 'alice', '/', '', 12)`,
	`INSERT INTO iam_groups VALUES ('AGPAOPS0000000000001', '111111111111', 'Ops', '/', 13)`,
	`INSERT INTO iam_groups VALUES ('AGPADEV0000000000001', '111111111111', 'dev', '/', 14)`,
	// carol joined Ops before alice; alice joined Ops before dev.
	`INSERT INTO iam_group_members VALUES ('AGPAOPS0000000000001', 'AIDACAROL00000000001')`,
	`INSERT INTO iam_group_members VALUES ('AGPAOPS0000000000001', 'AIDAALICE00000000001')`,
	`INSERT INTO iam_group_members VALUES ('AGPADEV0000000000001', 'AIDAALICE00000000001')`,
	`INSERT INTO iam_roles VALUES ('AROAWORKER0000000001', '111111111111', 'Worker', '/', 'runs jobs', '{"trust":1}', 7200, '', 15, 16, 'us-east-1')`,
	`INSERT INTO iam_policies VALUES ('arn:aws:iam::111111111111:policy/ZetaPolicy', 'ANPAZETA000000000001', '111111111111', 'ZetaPolicy', '/', 'z', 'v2', 2, 17, 18)`,
	`INSERT INTO iam_policy_versions VALUES ('arn:aws:iam::111111111111:policy/ZetaPolicy', 'v1', 1, '{"v":1}', 17)`,
	`INSERT INTO iam_policy_versions VALUES ('arn:aws:iam::111111111111:policy/ZetaPolicy', 'v2', 2, '{"v":2}', 18)`,
	// alice's policies attached Zeta first, then AdministratorAccess.
	`INSERT INTO iam_attachments VALUES ('user', 'AIDAALICE00000000001', '111111111111', 'arn:aws:iam::111111111111:policy/ZetaPolicy')`,
	`INSERT INTO iam_attachments VALUES ('user', 'AIDAALICE00000000001', '111111111111', 'arn:aws:iam::aws:policy/AdministratorAccess')`,
	`INSERT INTO iam_attachments VALUES ('role', 'AROAWORKER0000000001', '111111111111', 'arn:aws:iam::aws:policy/AdministratorAccess')`,
	`INSERT INTO iam_inline_policies VALUES ('group', 'AGPAOPS0000000000001', 'ops-inline', '{"ops":1}')`,
	`INSERT INTO iam_tags VALUES ('AIDAALICE00000000001', 'Alpha', '2', 1)`,
	`INSERT INTO iam_tags VALUES ('AIDAALICE00000000001', 'zeta', '1', 0)`,
	`INSERT INTO iam_tags VALUES ('AROAWORKER0000000001', 'team', 'ml', 0)`,
	`INSERT INTO iam_tags VALUES ('ANPAZETA000000000001', 'owner', 'bob', 0)`,
	`INSERT INTO org_tags VALUES ('ou-root-aaaaaaaa', 'b', '2')`,
	`INSERT INTO org_tags VALUES ('ou-root-aaaaaaaa', 'B', '3')`,
	`INSERT INTO org_tags VALUES ('ou-root-aaaaaaaa', 'a', '1')`,
	`INSERT INTO org_tags VALUES ('111111111111', 'k', 'v')`,

	`INSERT INTO s3_buckets VALUES ('bucket', '111111111111', 'us-east-1', 20, '{"policy":1}', '{"k":"v","a":"b"}')`,
	`INSERT INTO s3_buckets VALUES ('plain', '111111111111', 'us-east-1', 20, NULL, '')`,
	`INSERT INTO s3_objects VALUES ('bucket', 'b/2', 2, '"e2"', 'blob-b2', 21, '', '', '', '', '', 0)`,
	`INSERT INTO s3_objects VALUES ('bucket', 'a', 1, '"e1"', 'blob-a', 22, '{"ct":"text/plain","meta":{"m":"1"}}', '{"t":"1","s":"2"}', 'CRC32', 'FULL_OBJECT', 'AAAAAA==', 0)`,
	`INSERT INTO s3_objects VALUES ('bucket', 'b/` + "\u00ff" + `', 3, '"e3"', 'blob-bff', 23, '', '', '', '', '', 2)`,
	`INSERT INTO s3_objects VALUES ('bucket', 'B', 4, '"e4"', 'blob-B', 24, '', '', '', '', '', 0)`,
	`INSERT INTO s3_uploads VALUES ('upload-1', 'bucket', 'big', 25, 'arn:aws:iam::111111111111:user/alice', '', '{"u":"2"}', 'CRC32', 'COMPOSITE')`,
	`INSERT INTO s3_uploads VALUES ('upload-2', 'bucket', 'big', 26, 'arn:aws:iam::111111111111:user/alice', '', '', '', '')`,
	`INSERT INTO s3_parts VALUES ('upload-1', 2, 5, '"p2"', 'blob-p2', 26, 'CRC32', 'BBBBBB==')`,
	`INSERT INTO s3_parts VALUES ('upload-1', 1, 5, '"p1"', 'blob-p1', 27, 'CRC32', 'CCCCCC==')`,

	`INSERT INTO pipelines VALUES ('111111111111', 'Train-Pipeline', 'arn:aws:sagemaker:us-east-1:111111111111:pipeline/train-pipeline',
		'Train', 'trains', 'arn:aws:iam::111111111111:role/Worker', '{"Steps":[]}', 'Active', 2, 3, 'tok', 'alice', 'bob', 30, 31, 32)`,
	`INSERT INTO pipelines VALUES ('111111111111', 'aaa', 'arn:aws:sagemaker:us-east-1:111111111111:pipeline/aaa',
		'', '', 'arn:aws:iam::111111111111:role/Worker', '{}', 'Active', 0, 1, '', 'alice', 'alice', 33, 33, 0)`,
	`INSERT INTO jobs VALUES ('111111111111', 'training-job', 'Fit-1', 'arn:aws:sagemaker:us-east-1:111111111111:training-job/fit-1',
		'{"r":1}', 'Completed', '', 'done', 'Completed', '{"d":1}', 'arn:aws:iam::111111111111:role/Worker', 34, 35, 36, 37)`,
	`INSERT INTO jobs VALUES ('111111111111', 'processing-job', 'prep_1%', 'arn:aws:sagemaker:us-east-1:111111111111:processing-job/prep_1%',
		'{}', 'InProgress', '', '', '', '', 'arn:aws:iam::111111111111:role/Worker', 38, 0, 0, 38)`,
	`INSERT INTO sagemaker_tags VALUES ('arn:aws:sagemaker:us-east-1:111111111111:pipeline/train-pipeline', 1, 'b', '2')`,
	`INSERT INTO sagemaker_tags VALUES ('arn:aws:sagemaker:us-east-1:111111111111:pipeline/train-pipeline', 0, 'z', '1')`,
	`INSERT INTO sagemaker_tags VALUES ('arn:aws:sagemaker:us-east-1:111111111111:training-job/fit-1', 0, 'k', 'v')`,
	`INSERT INTO sagemaker_models VALUES ('111111111111', 'My-Model', 'arn:aws:sagemaker:us-east-1:111111111111:model/my-model', '{"m":1}', 'arn:aws:iam::111111111111:role/Worker', 40)`,
	`INSERT INTO model_package_groups VALUES ('111111111111', 'Group-A', 'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/group-a', 'g', 'Completed', 'alice', 41, 2)`,
	`INSERT INTO model_packages VALUES ('111111111111', 'Group-A', 1, 'arn:aws:sagemaker:us-east-1:111111111111:model-package/group-a/1',
		'{"p":1}', 'Completed', 'Approved', 'ok', 'ctok', 'alice', 'bob', 42, 43)`,
	`INSERT INTO model_packages VALUES ('111111111111', 'Group-A', 2, 'arn:aws:sagemaker:us-east-1:111111111111:model-package/group-a/2',
		'{"p":2}', 'Completed', '', '', '', 'alice', 'alice', 44, 44)`,
}

// TestMigrateLegacyData opens a database written with the schema of migration 0008 and
// checks that, once migrated, the store reads back every row as it was, with names that
// still compare without case, lists in the same order, and every tag in the one tag
// table.
func TestMigrateLegacyData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cairn.db")
	old, err := open(ctx, path, legacyVersion)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range legacyRows {
		if _, err := old.write.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ns := func(n int64) time.Time { return time.Unix(0, n).UTC() }
	const acct = "111111111111"
	const zeta = "arn:aws:iam::111111111111:policy/ZetaPolicy"
	const admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Errorf("%s:\n got %s\nwant %s", what, g, w)
		}
	}
	alice := &store.User{AccountID: acct, Name: "alice", ID: "AIDAALICE00000000001", Path: "/", CreatedAt: ns(12),
		Tags: []store.Tag{{Key: "zeta", Value: "1"}, {Key: "Alpha", Value: "2"}}}
	bob := &store.User{AccountID: acct, Name: "Bob", ID: "AIDABOB0000000000001", Path: "/team/",
		PermissionsBoundaryARN: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", CreatedAt: ns(11)}
	carol := &store.User{AccountID: acct, Name: "carol", ID: "AIDACAROL00000000001", Path: "/", CreatedAt: ns(10)}
	ops := &store.Group{AccountID: acct, Name: "Ops", ID: "AGPAOPS0000000000001", Path: "/", CreatedAt: ns(13)}
	dev := &store.Group{AccountID: acct, Name: "dev", ID: "AGPADEV0000000000001", Path: "/", CreatedAt: ns(14)}

	err = db.View(ctx, func(tx store.Tx) error {
		a, err := tx.AccountByEmail("mgmt@example.COM")
		check("AccountByEmail", a, &store.Account{ID: "000000000000", Name: "mgmt", Email: "Mgmt@Example.com", State: "ACTIVE",
			JoinedMethod: "CREATED", JoinedAt: ns(2), ParentID: "r-root"})
		check("AccountByEmail error", err, nil)
		accounts, err := tx.ListAccountsForParent("ou-root-aaaaaaaa", store.Page{})
		check("ListAccountsForParent", len(accounts), 1)
		check("ListAccountsForParent error", err, nil)

		u, err := tx.User(acct, "ALICE")
		check("User(ALICE)", u, alice)
		check("User error", err, nil)
		users, err := tx.ListUsers(acct, "", store.Page{})
		check("ListUsers", users, []*store.User{alice, bob, carol})
		check("ListUsers error", err, nil)
		users, _ = tx.ListUsers(acct, "", store.Page{After: "ALICE", Limit: 1})
		check("ListUsers after ALICE", users, []*store.User{bob})
		members, _ := tx.GroupUsers(acct, "ops")
		check("GroupUsers(ops)", members, []*store.User{carol, alice})
		groups, _ := tx.GroupsForUser(acct, "Alice")
		check("GroupsForUser(Alice)", groups, []*store.Group{ops, dev})
		groups, _ = tx.ListGroups(acct, "", store.Page{})
		check("ListGroups", groups, []*store.Group{dev, ops})
		r, _ := tx.Role(acct, "worker")
		check("Role(worker)", r, &store.Role{AccountID: acct, Name: "Worker", ID: "AROAWORKER0000000001", Path: "/", Description: "runs jobs",
			AssumeRolePolicyDocument: `{"trust":1}`, MaxSessionDuration: 7200, CreatedAt: ns(15), LastUsedAt: ns(16), LastUsedRegion: "us-east-1",
			Tags: []store.Tag{{Key: "team", Value: "ml"}}})
		attached, _ := tx.AttachedPolicies(acct, store.EntityUser, "ALICE")
		var arns []string
		for _, p := range attached {
			arns = append(arns, p.ARN)
		}
		check("AttachedPolicies(alice)", arns, []string{zeta, admin})
		set, _ := tx.IdentityPolicies(acct, store.PrincipalUser, "alice")
		var ids []string
		for _, p := range set.Policies {
			ids = append(ids, p.ID)
		}
		check("IdentityPolicies(alice)", ids, []string{zeta, admin, "group/Ops/ops-inline"})
		p, _ := tx.ManagedPolicy(zeta)
		check("ManagedPolicy", p, &store.ManagedPolicy{ARN: zeta, AccountID: acct, Name: "ZetaPolicy", ID: "ANPAZETA000000000001", Path: "/",
			Description: "z", DefaultVersionID: "v2", LastVersion: 2, CreatedAt: ns(17), UpdatedAt: ns(18),
			Tags: []store.Tag{{Key: "owner", Value: "bob"}}})
		usage, _ := tx.PolicyUsage(acct, admin)
		check("PolicyUsage(admin)", usage, store.PolicyUsage{Attachments: 2})
		keys, _ := tx.ListAccessKeys(acct, "alice")
		check("ListAccessKeys", len(keys), 1)

		b, _ := tx.Bucket("bucket")
		check("Bucket", b, &store.Bucket{Name: "bucket", AccountID: acct, Region: "us-east-1", CreatedAt: ns(20), Policy: []byte(`{"policy":1}`),
			Tags: map[string]string{"a": "b", "k": "v"}})
		b, _ = tx.Bucket("plain")
		check("Bucket(plain)", b, &store.Bucket{Name: "plain", AccountID: acct, Region: "us-east-1", CreatedAt: ns(20)})
		objects, _ := tx.ListObjects("bucket", store.ObjectQuery{})
		var objectKeys []string
		for _, o := range objects {
			objectKeys = append(objectKeys, o.Key)
		}
		check("ListObjects", objectKeys, []string{"B", "a", "b/2", "b/\u00ff"})
		o, _ := tx.Object("bucket", "a")
		check("Object(a)", o, &store.Object{Bucket: "bucket", Key: "a", Size: 1, ETag: `"e1"`, BlobID: "blob-a", LastModified: ns(22),
			Headers:  store.ObjectHeaders{ContentType: "text/plain", Metadata: map[string]string{"m": "1"}},
			Tags:     map[string]string{"s": "2", "t": "1"},
			Checksum: store.Checksum{Algorithm: "CRC32", Type: "FULL_OBJECT", Value: "AAAAAA=="}})
		check("ListObjects tags", objects[1], o)
		check("ListObjects untagged", objects[0].Tags, map[string]string(nil))
		up, _ := tx.Upload("upload-1")
		check("Upload tags", up.Tags, map[string]string{"u": "2"})
		ups, _ := tx.ListUploads("bucket", store.UploadQuery{})
		check("ListUploads", len(ups), 2)
		check("ListUploads tags", ups[0].Tags, map[string]string{"u": "2"})
		check("ListUploads untagged", ups[1].Tags, map[string]string(nil))
		for resource, want := range map[string][]store.Tag{
			"ou-root-aaaaaaaa": {{Key: "B", Value: "3"}, {Key: "a", Value: "1"}, {Key: "b", Value: "2"}},
			"111111111111":     {{Key: "k", Value: "v"}},
			"r-root":           {},
			"arn:aws:sagemaker:us-east-1:111111111111:pipeline/train-pipeline": {{Key: "z", Value: "1"}, {Key: "b", Value: "2"}},
			"arn:aws:sagemaker:us-east-1:111111111111:training-job/fit-1":      {{Key: "k", Value: "v"}},
			store.S3BucketResource("bucket"):                                   {{Key: "a", Value: "b"}, {Key: "k", Value: "v"}},
			store.S3ObjectResource("bucket", "a"):                              {{Key: "s", Value: "2"}, {Key: "t", Value: "1"}},
			store.S3UploadResource("upload-1"):                                 {{Key: "u", Value: "2"}},
			"AIDAALICE00000000001":                                             {{Key: "zeta", Value: "1"}, {Key: "Alpha", Value: "2"}},
		} {
			tags, err := tx.Tags(resource)
			check("Tags("+resource+")", tags, want)
			check("Tags error", err, nil)
		}
		parts, _ := tx.ListParts("upload-1", 0, 0)
		check("ListParts", parts, []*store.Part{
			{UploadID: "upload-1", Number: 1, Size: 5, ETag: `"p1"`, BlobID: "blob-p1", LastModified: ns(27), Checksum: store.Checksum{Algorithm: "CRC32", Value: "CCCCCC=="}},
			{UploadID: "upload-1", Number: 2, Size: 5, ETag: `"p2"`, BlobID: "blob-p2", LastModified: ns(26), Checksum: store.Checksum{Algorithm: "CRC32", Value: "BBBBBB=="}},
		})

		pl, _ := tx.Pipeline(acct, "train-PIPELINE")
		check("Pipeline", pl, &store.Pipeline{AccountID: acct, Name: "Train-Pipeline", ARN: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/train-pipeline",
			DisplayName: "Train", Description: "trains", RoleARN: "arn:aws:iam::111111111111:role/Worker", Definition: `{"Steps":[]}`, Status: "Active",
			MaxParallelSteps: 2, Version: 3, ClientRequestToken: "tok", CreatedBy: "alice", LastModifiedBy: "bob", CreatedAt: ns(30), LastModifiedAt: ns(31), LastRunAt: ns(32)})
		pls, _ := tx.ListPipelines(acct)
		check("ListPipelines", len(pls), 2)
		j, _ := tx.Job(acct, "training-job", "FIT-1")
		check("Job", j, &store.Job{AccountID: acct, Kind: "training-job", Name: "Fit-1", ARN: "arn:aws:sagemaker:us-east-1:111111111111:training-job/fit-1",
			Request: `{"r":1}`, Status: "Completed", ExitMessage: "done", Secondary: "Completed", Details: `{"d":1}`,
			RoleARN: "arn:aws:iam::111111111111:role/Worker", CreatedAt: ns(34), StartedAt: ns(35), EndedAt: ns(36), LastModifiedAt: ns(37)})
		jobs, _ := tx.ListJobs(store.JobFilter{AccountID: acct, NameContains: "P_1%"})
		check("ListJobs(P_1%)", len(jobs), 1)
		jobs, _ = tx.ListJobs(store.JobFilter{AccountID: acct, NameContains: "p%1"})
		check("ListJobs(p%1)", len(jobs), 0)
		m, _ := tx.Model(acct, "my-model")
		check("Model", m, &store.Model{AccountID: acct, Name: "My-Model", ARN: "arn:aws:sagemaker:us-east-1:111111111111:model/my-model",
			Request: `{"m":1}`, RoleARN: "arn:aws:iam::111111111111:role/Worker", CreatedAt: ns(40)})
		g, _ := tx.ModelPackageGroup(acct, "group-a")
		check("ModelPackageGroup", g, &store.ModelPackageGroup{AccountID: acct, Name: "Group-A", ARN: "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/group-a",
			Description: "g", Status: "Completed", CreatedBy: "alice", CreatedAt: ns(41), LatestVersion: 2})
		pkg, _ := tx.ModelPackage(acct, "GROUP-A", 1)
		check("ModelPackage", pkg, &store.ModelPackage{AccountID: acct, Name: "Group-A", Version: 1, ARN: "arn:aws:sagemaker:us-east-1:111111111111:model-package/group-a/1",
			Request: `{"p":1}`, Status: "Completed", ApprovalStatus: "Approved", ApprovalDescription: "ok", ClientToken: "ctok",
			CreatedBy: "alice", LastModifiedBy: "bob", CreatedAt: ns(42), LastModifiedAt: ns(43)})
		pkgs, _ := tx.ListModelPackages(acct, "group-A")
		check("ListModelPackages", len(pkgs), 2)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The tags that were kept elsewhere are gone from the schema.
	for _, q := range []string{
		`SELECT COUNT(*) FROM sqlite_master WHERE name IN ('iam_tags', 'org_tags', 'sagemaker_tags')`,
		`SELECT COUNT(*) FROM pragma_table_info('s3_buckets') WHERE name = 'tags'`,
		`SELECT COUNT(*) FROM pragma_table_info('s3_objects') WHERE name = 'tags'`,
		`SELECT COUNT(*) FROM pragma_table_info('s3_uploads') WHERE name = 'tags'`,
	} {
		var n int
		if err := db.read.QueryRowContext(ctx, q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s = %d, %v; want 0", q, n, err)
		}
	}

	// Names stay unique without regard to case; new memberships and attachments come
	// after the carried-over ones.
	for what, fn := range map[string]func(tx store.Tx) error{
		"account email": func(tx store.Tx) error {
			return tx.CreateAccount(&store.Account{ID: "222222222222", Name: "other", Email: "DEV@example.com"})
		},
		"user": func(tx store.Tx) error {
			return tx.CreateUser(&store.User{AccountID: acct, Name: "ALICE", ID: "AIDAOTHER", Path: "/"})
		},
		"group": func(tx store.Tx) error {
			return tx.CreateGroup(&store.Group{AccountID: acct, Name: "OPS", ID: "AGPAOTHER", Path: "/"})
		},
		"role": func(tx store.Tx) error {
			return tx.CreateRole(&store.Role{AccountID: acct, Name: "WORKER", AssumeRolePolicyDocument: "{}"})
		},
		"policy": func(tx store.Tx) error {
			return tx.CreateManagedPolicy(&store.ManagedPolicy{ARN: "arn:aws:iam::111111111111:policy/zetapolicy", AccountID: acct, Name: "zetapolicy", ID: "ANPAOTHER"},
				&store.PolicyVersion{PolicyARN: "arn:aws:iam::111111111111:policy/zetapolicy", VersionID: "v1"})
		},
		"pipeline": func(tx store.Tx) error {
			return tx.CreatePipeline(&store.Pipeline{AccountID: acct, Name: "TRAIN-pipeline"})
		},
		"job": func(tx store.Tx) error {
			return tx.CreateJob(&store.Job{AccountID: acct, Kind: "training-job", Name: "fit-1"})
		},
		"model": func(tx store.Tx) error { return tx.CreateModel(&store.Model{AccountID: acct, Name: "MY-MODEL"}) },
		"model package group": func(tx store.Tx) error {
			return tx.CreateModelPackageGroup(&store.ModelPackageGroup{AccountID: acct, Name: "group-a"})
		},
		"model package": func(tx store.Tx) error {
			return tx.CreateModelPackage(&store.ModelPackage{AccountID: acct, Name: "group-a", Version: 2})
		},
	} {
		if err := db.Update(ctx, fn); !errors.Is(err, store.ErrExists) {
			t.Errorf("%s differing only in case: %v, want ErrExists", what, err)
		}
	}
	err = db.Update(ctx, func(tx store.Tx) error {
		if err := tx.AddUserToGroup(acct, "Ops", "bob"); err != nil {
			return err
		}
		if err := tx.AttachPolicy(acct, store.EntityUser, "alice", "arn:aws:iam::aws:policy/ReadOnlyAccess"); err != nil {
			return err
		}
		u, err := tx.User(acct, "alice")
		if err != nil {
			return err
		}
		u.Tags = append(u.Tags, store.Tag{Key: "ZETA", Value: "x"})
		return tx.UpdateUser(u)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx store.Tx) error {
		members, _ := tx.GroupUsers(acct, "Ops")
		var names []string
		for _, u := range members {
			names = append(names, u.Name)
		}
		check("GroupUsers(Ops) after a join", names, []string{"carol", "alice", "Bob"})
		attached, _ := tx.AttachedPolicies(acct, store.EntityUser, "alice")
		var arns []string
		for _, p := range attached {
			arns = append(arns, p.ARN)
		}
		check("AttachedPolicies(alice) after an attachment", arns, []string{zeta, admin, "arn:aws:iam::aws:policy/ReadOnlyAccess"})
		u, _ := tx.User(acct, "alice")
		check("alice's tags after adding ZETA", u.Tags, []store.Tag{{Key: "ZETA", Value: "x"}, {Key: "Alpha", Value: "2"}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRAMTables(t, db)
}

// tagsVersion is the migration that made the one tag table, the last before RAM's.
const tagsVersion = 10

// TestMigrateToRAM opens a database at the tag table's migration, the newest schema
// before RAM's tables, with rows in it, and checks that it migrates to the newest schema
// with every migration recorded once, in order, and RAM's tables working.
func TestMigrateToRAM(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cairn.db")
	old, err := open(ctx, path, tagsVersion)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.write.ExecContext(ctx, `INSERT INTO tags (resource, position, key, value) VALUES ('AIDAALICE', 0, 'k', 'v')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := old.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'ram\_%' ESCAPE '\'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("RAM tables at version %d: %d, %v", tagsVersion, n, err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, err := migrationList()
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for _, m := range list {
		want = append(want, m.version)
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := appliedVersions(ctx, conn)
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("applied versions %v, want %v", got, want)
	}
	if next := list[tagsVersion]; next.version != tagsVersion+1 || next.name != "0011_ram.sql" {
		t.Errorf("migration after the tag table %04d %s, want 0011_ram.sql", next.version, next.name)
	}
	err = db.View(ctx, func(tx store.Tx) error {
		tags, err := tx.Tags("AIDAALICE")
		if !reflect.DeepEqual(tags, []store.Tag{{Key: "k", Value: "v"}}) {
			t.Errorf("tags written at version %d: %v", tagsVersion, tags)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRAMTables(t, db)
}

// checkRAMTables checks that a migrated database has RAM's tables: a share and a
// permission can be written and read, permission names are unique per account without
// regard to case, and RAM keeps no tag table of its own.
func checkRAMTables(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	const owner = "111111111111"
	share := &store.RAMShare{ARN: "arn:aws:ram:us-east-1:111111111111:resource-share/s", OwnerAccount: owner, Name: "s",
		Status: "ACTIVE", FeatureSet: "STANDARD", CreatedAt: time.Unix(1, 0).UTC(), UpdatedAt: time.Unix(1, 0).UTC()}
	perm := func(name string) *store.RAMPermission {
		return &store.RAMPermission{ARN: "arn:aws:ram:us-east-1:111111111111:permission/" + name, OwnerAccount: owner, Name: name,
			ResourceType: "sagemaker:Pipeline", FeatureSet: "STANDARD", Status: "ATTACHABLE", DefaultVersion: 1, LastVersion: 1}
	}
	err := db.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateRAMShare(share); err != nil {
			return err
		}
		return tx.CreateRAMPermission(perm("Narrow"))
	})
	if err != nil {
		t.Fatalf("writing RAM records: %v", err)
	}
	if err := db.Update(ctx, func(tx store.Tx) error { return tx.CreateRAMPermission(perm("NARROW")) }); !errors.Is(err, store.ErrExists) {
		t.Errorf("a RAM permission name differing only in case: %v, want ErrExists", err)
	}
	err = db.View(ctx, func(tx store.Tx) error {
		got, err := tx.RAMShare(share.ARN)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, share) {
			t.Errorf("RAMShare = %+v, want %+v", got, share)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'ram_tags'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("ram_tags tables: %d, %v; want none", n, err)
	}
}

// TestMigrateRefusesUnknownVersion: a database that records a migration this build has
// no file for (one written by another build) is refused, not migrated around it.
func TestMigrateRefusesUnknownVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cairn.db")
	db, err := open(ctx, path, tagsVersion)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (90, 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err := Open(ctx, path); err == nil {
		db.Close()
		t.Fatal("Open of a database recording migration 0090 succeeded")
	} else {
		t.Logf("Open: %v", err)
	}
	// Nothing was applied past what the database had.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version > ? AND version < 90`, tagsVersion).Scan(&n); err != nil || n != 0 {
		t.Errorf("migrations applied to a refused database: %d, %v", n, err)
	}
}
