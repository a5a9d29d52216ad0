package storetest

import (
	"github.com/cairnhq/cairn/internal/store"
)

func tagTests() []test {
	return []test{
		{"Tags", []string{"Tags", "SetTags"}, testTags},
		{"TagsOf", []string{"TagsOf"}, testTagsOf},
		{"TagsOfRecords", nil, testTagsOfRecords},
	}
}

// testTags: SetTags replaces a resource's tags, keeping their order; resources are
// independent of one another.
func testTags(h *h) {
	const pipelineARN = "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p"
	h.view(func(tx store.Tx) error {
		tags, err := tx.Tags(pipelineARN)
		h.is("Tags of a resource without tags", err, nil)
		if tags == nil || len(tags) != 0 {
			h.Errorf("Tags of a resource without tags = %#v, want an empty slice", tags)
		}
		return nil
	})
	ordered := []store.Tag{{Key: "zeta", Value: "1"}, {Key: "Alpha", Value: ""}, {Key: "alpha", Value: "3"}, {Key: "mid", Value: "x y"}}
	h.update(func(tx store.Tx) error {
		h.must("SetTags", tx.SetTags(pipelineARN, ordered))
		h.must("SetTags of a bucket", tx.SetTags(store.S3BucketResource("b"), []store.Tag{{Key: "bucket", Value: "1"}}))
		return tx.SetTags(store.S3ObjectResource("b", "k"), []store.Tag{{Key: "object", Value: "1"}})
	})
	h.is("a key given twice", h.tryUpdate(func(tx store.Tx) error {
		return tx.SetTags(pipelineARN, []store.Tag{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}})
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		tags, err := tx.Tags(pipelineARN)
		h.is("Tags", err, nil)
		h.equal("Tags in the order set, after a failed SetTags", tags, ordered)
		tags, _ = tx.Tags(store.S3BucketResource("b"))
		h.equal("a bucket's tags", tags, []store.Tag{{Key: "bucket", Value: "1"}})
		tags, _ = tx.Tags(store.S3ObjectResource("b", "k"))
		h.equal("an object's tags", tags, []store.Tag{{Key: "object", Value: "1"}})
		return nil
	})
	h.update(func(tx store.Tx) error {
		h.must("SetTags replacing", tx.SetTags(pipelineARN, []store.Tag{{Key: "mid", Value: "new"}, {Key: "zeta", Value: "1"}}))
		return tx.SetTags(store.S3BucketResource("b"), nil)
	})
	h.view(func(tx store.Tx) error {
		tags, _ := tx.Tags(pipelineARN)
		h.equal("Tags after SetTags replaced them", tags, []store.Tag{{Key: "mid", Value: "new"}, {Key: "zeta", Value: "1"}})
		tags, _ = tx.Tags(store.S3BucketResource("b"))
		h.equal("Tags after SetTags(nil)", len(tags), 0)
		tags, _ = tx.Tags(store.S3ObjectResource("b", "k"))
		h.equal("another resource's tags", tags, []store.Tag{{Key: "object", Value: "1"}})
		return nil
	})
}

// testTagsOfRecords: the tags that IAM and S3 records carry are the same tags Tags reads,
// under the names store.TagTx gives their resources.
func testTagsOfRecords(h *h) {
	h.createAccounts(acct)
	h.update(func(tx store.Tx) error {
		h.must("CreateUser", tx.CreateUser(&store.User{AccountID: acct, Name: "u", ID: "AIDAU", Path: "/", Tags: []store.Tag{{Key: "b", Value: "1"}, {Key: "a", Value: "2"}}}))
		h.must("CreateRole", tx.CreateRole(&store.Role{AccountID: acct, Name: "r", ID: "AROAR", AssumeRolePolicyDocument: "{}", Tags: []store.Tag{{Key: "r", Value: "1"}}}))
		p, v := customerPolicy("p", "/", 1)
		p.Tags = []store.Tag{{Key: "p", Value: "1"}}
		h.must("CreateManagedPolicy", tx.CreateManagedPolicy(p, v))
		h.must("CreateBucket", tx.CreateBucket(&store.Bucket{Name: "b", AccountID: acct, Region: "us-east-1", Tags: map[string]string{"y": "1", "x": "2"}}))
		_, err := tx.PutObject(&store.Object{Bucket: "b", Key: "dir/k", BlobID: "blob", Tags: map[string]string{"o": "1"}})
		h.must("PutObject", err)
		return tx.CreateUpload(&store.Upload{ID: "up", Bucket: "b", Key: "k", Tags: map[string]string{"u": "1"}})
	})
	h.view(func(tx store.Tx) error {
		for resource, want := range map[string][]store.Tag{
			"AIDAU":                                  {{Key: "b", Value: "1"}, {Key: "a", Value: "2"}},
			"AROAR":                                  {{Key: "r", Value: "1"}},
			"ANPAP":                                  {{Key: "p", Value: "1"}},
			store.S3BucketResource("b"):              {{Key: "x", Value: "2"}, {Key: "y", Value: "1"}},
			store.S3ObjectResource("b", "dir/k"):     {{Key: "o", Value: "1"}},
			store.S3UploadResource("up"):             {{Key: "u", Value: "1"}},
			"arn:aws:s3:::b/dir":                     {},
			"arn:aws:iam::111111111111:user/u":       {},
			"arn:aws:iam::111111111111:policy/p":     {},
			"arn:aws:sagemaker:us-east-1:1:model/up": {},
		} {
			tags, err := tx.Tags(resource)
			h.is("Tags("+resource+")", err, nil)
			h.equal("Tags("+resource+")", tags, want)
		}
		return nil
	})
}

func testTagsOf(h *h) {
	a, b, none := "arn:aws:sagemaker:us-east-1:111111111111:pipeline/a", "arn:aws:s3:::b", "AIDANONE"
	h.update(func(tx store.Tx) error {
		h.must("SetTags", tx.SetTags(a, []store.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: "2"}}))
		h.must("SetTags", tx.SetTags(b, []store.Tag{{Key: "k", Value: "v"}}))
		return nil
	})
	h.view(func(tx store.Tx) error {
		got, err := tx.TagsOf([]string{a, b, none})
		h.is("TagsOf", err, nil)
		h.equal("TagsOf", got, map[string][]store.Tag{a: {{Key: "z", Value: "1"}, {Key: "a", Value: "2"}}, b: {{Key: "k", Value: "v"}}})
		got, err = tx.TagsOf(nil)
		h.is("TagsOf of nothing", err, nil)
		h.equal("TagsOf of nothing", len(got), 0)
		return nil
	})
}
