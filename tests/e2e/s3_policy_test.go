package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// s3ClientFor returns a path-style S3 client for an SDK config.
func s3ClientFor(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(withoutRetries(cfg), func(o *s3.Options) { o.UsePathStyle = true })
}

// putPolicy sets a bucket policy and fails the test on error.
func putPolicy(t *testing.T, client *s3.Client, bucket, policy string) {
	t.Helper()
	if _, err := client.PutBucketPolicy(context.Background(), &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)}); err != nil {
		t.Fatalf("PutBucketPolicy: %v", err)
	}
}

func TestS3BucketPolicyDocument(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := c.s3Client("data-science")
	mustCreateBucket(t, client, "policy-doc")
	_, err := client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("policy-doc")})
	wantS3Error(t, "GetBucketPolicy none", err, 404, "NoSuchBucketPolicy")
	for name, doc := range map[string]string{
		"not JSON":          `{"Version":`,
		"no principal":      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::policy-doc/*"}]}`,
		"other bucket":      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"}]}`,
		"non-S3 action":     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"iam:GetUser","Resource":"arn:aws:s3:::policy-doc/*"}]}`,
		"unknown top field": `{"Version":"2012-10-17","Bogus":1,"Statement":[]}`,
	} {
		_, err := client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("policy-doc"), Policy: aws.String(doc)})
		wantS3Error(t, "PutBucketPolicy "+name, err, 400, "MalformedPolicy")
	}
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::policy-doc/*"}]}`
	putPolicy(t, client, "policy-doc", doc)
	got, err := client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("policy-doc")})
	if err != nil || aws.ToString(got.Policy) != doc {
		t.Errorf("GetBucketPolicy = %q, %v", aws.ToString(got.Policy), err)
	}
	_, err = c.s3Client("platform").GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("policy-doc")})
	wantS3Error(t, "GetBucketPolicy from another account", err, 403, "AccessDenied")
	if _, err := client.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("policy-doc")}); err != nil {
		t.Fatalf("DeleteBucketPolicy: %v", err)
	}
	_, err = client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("policy-doc")})
	wantS3Error(t, "GetBucketPolicy deleted", err, 404, "NoSuchBucketPolicy")
}

// The cases below need the IAM policy engine to evaluate bucket policies as resource
// policies (cross-account grants, conditions, explicit denies).

func TestS3CrossAccountBucketPolicyGrant(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	owner, other := c.s3Client("data-science"), c.s3Client("platform")
	mustCreateBucket(t, owner, "shared-data")
	putKeys(t, owner, "shared-data", []string{"shared/a.csv", "private/b.csv"})

	_, err := other.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared-data")})
	wantS3Error(t, "ListObjectsV2 before any grant", err, 403, "AccessDenied")
	_, err = other.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shared-data"), Key: aws.String("shared/a.csv")})
	wantS3Error(t, "GetObject before any grant", err, 403, "AccessDenied")

	putPolicy(t, owner, "shared-data", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::shared-data",
		 "Condition":{"StringLike":{"s3:prefix":"shared/*"}}},
		{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-data/shared/*"}]}`)

	out, err := other.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared-data"), Prefix: aws.String("shared/")})
	if err != nil {
		t.Fatalf("ListObjectsV2 shared/ with a grant: %v", err)
	}
	if len(out.Contents) != 1 || aws.ToString(out.Contents[0].Key) != "shared/a.csv" {
		t.Errorf("ListObjectsV2 shared/ = %v", out.Contents)
	}
	_, err = other.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared-data"), Prefix: aws.String("private/")})
	wantS3Error(t, "ListObjectsV2 outside the granted prefix", err, 403, "AccessDenied")
	get, err := other.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shared-data"), Key: aws.String("shared/a.csv")})
	if err != nil {
		t.Fatalf("GetObject granted: %v", err)
	}
	get.Body.Close()
	_, err = other.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shared-data"), Key: aws.String("private/b.csv")})
	wantS3Error(t, "GetObject not granted", err, 403, "AccessDenied")
	_, err = other.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared-data"), Key: aws.String("shared/new.csv"), Body: strings.NewReader("x")})
	wantS3Error(t, "PutObject not granted", err, 403, "AccessDenied")
	_, err = other.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("shared-data")})
	wantS3Error(t, "DeleteBucket from another account", err, 403, "AccessDenied")
}

func TestS3CrossAccountNeedsBothSides(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	owner := c.s3Client("data-science")
	mustCreateBucket(t, owner, "both-sides")
	putKeys(t, owner, "both-sides", []string{"model.tar.gz"})
	putPolicy(t, owner, "both-sides", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::both-sides/*"}]}`)

	// A user of the other account with no identity policy: the bucket side allows, its own
	// side does not.
	bare := s3ClientFor(newUser(t, c, "platform", "bare", ""))
	_, err := bare.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("both-sides"), Key: aws.String("model.tar.gz")})
	wantS3Error(t, "GetObject by a user without an identity policy", err, 403, "AccessDenied")

	reader := s3ClientFor(newUser(t, c, "platform", "reader", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::both-sides/*"}]}`))
	get, err := reader.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("both-sides"), Key: aws.String("model.tar.gz")})
	if err != nil {
		t.Fatalf("GetObject allowed on both sides: %v", err)
	}
	get.Body.Close()

	// An identity policy alone does not reach into another account's bucket.
	writer := s3ClientFor(newUser(t, c, "platform", "writer", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`))
	_, err = writer.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("both-sides"), Key: aws.String("x"), Body: strings.NewReader("x")})
	wantS3Error(t, "PutObject with only an identity grant", err, 403, "AccessDenied")
}

func TestS3SameAccountPolicies(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	owner := c.s3Client("data-science")
	mustCreateBucket(t, owner, "same-account")
	if _, err := owner.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("same-account"), Key: aws.String("public/report.csv"),
		Body: strings.NewReader("r"), Tagging: aws.String("classification=public")}); err != nil {
		t.Fatal(err)
	}
	putKeys(t, owner, "same-account", []string{"public/secret.csv", "locked/keep.csv"})

	// A user with no identity policy, named by the bucket policy: the grant is enough in
	// the same account. Object tags condition the grant.
	analyst := s3ClientFor(newUser(t, c, "data-science", "analyst", ""))
	putPolicy(t, owner, "same-account", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/analyst"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::same-account/public/*",
		 "Condition":{"StringEquals":{"s3:ExistingObjectTag/classification":"public"}}},
		{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::same-account/locked/*"}]}`)
	get, err := analyst.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("same-account"), Key: aws.String("public/report.csv")})
	if err != nil {
		t.Fatalf("GetObject tagged public: %v", err)
	}
	get.Body.Close()
	_, err = analyst.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("same-account"), Key: aws.String("public/secret.csv")})
	wantS3Error(t, "GetObject untagged", err, 403, "AccessDenied")

	// An explicit deny in the bucket policy binds the account's own root user too.
	_, err = owner.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("same-account"), Key: aws.String("locked/keep.csv")})
	wantS3Error(t, "DeleteObject denied by the bucket policy", err, 403, "AccessDenied")
	if _, err := owner.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("same-account"), Key: aws.String("public/secret.csv")}); err != nil {
		t.Errorf("DeleteObject not denied: %v", err)
	}

	// ListAllMyBuckets is the caller's account's business only.
	lister := s3ClientFor(newUser(t, c, "data-science", "lister", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`))
	list, err := lister.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || len(list.Buckets) != 1 {
		t.Errorf("ListBuckets by lister = %v, %v", list, err)
	}
	_, err = analyst.ListBuckets(ctx, &s3.ListBucketsInput{})
	wantS3Error(t, "ListBuckets without s3:ListAllMyBuckets", err, 403, "AccessDenied")
}

func TestS3ACLsDisabled(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	client := c.s3Client("default")
	mustCreateBucket(t, client, "acls")
	acl, err := client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acls")})
	if err != nil {
		t.Fatalf("GetBucketAcl: %v", err)
	}
	if len(acl.Grants) != 1 || acl.Grants[0].Permission != types.PermissionFullControl ||
		aws.ToString(acl.Grants[0].Grantee.ID) != aws.ToString(acl.Owner.ID) || acl.Grants[0].Grantee.Type != types.TypeCanonicalUser {
		t.Errorf("GetBucketAcl = %+v", acl)
	}
	_, err = client.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acls"), ACL: types.BucketCannedACLPublicRead})
	wantS3Error(t, "PutBucketAcl public-read", err, 400, "AccessControlListNotSupported")
	_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acls"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ACL: types.ObjectCannedACLPublicRead})
	wantS3Error(t, "PutObject public-read", err, 400, "AccessControlListNotSupported")
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acls"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ACL: types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Errorf("PutObject bucket-owner-full-control: %v", err)
	}
	oacl, err := client.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("acls"), Key: aws.String("k")})
	if err != nil || len(oacl.Grants) != 1 {
		t.Errorf("GetObjectAcl = %v, %v", oacl, err)
	}
	own, err := client.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("acls")})
	if err != nil || len(own.OwnershipControls.Rules) != 1 || own.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Errorf("GetBucketOwnershipControls = %v, %v", own, err)
	}
}
