package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestS3BucketLifecycle(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	for name, client := range map[string]*s3.Client{"path": c.s3Client("default"), "virtual": c.s3VirtualClient("default")} {
		t.Run(name, func(t *testing.T) {
			bucket := "lifecycle-" + name
			mustCreateBucket(t, client, bucket)
			if _, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
				t.Fatalf("HeadBucket: %v", err)
			}
			loc, err := client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)})
			if err != nil {
				t.Fatalf("GetBucketLocation: %v", err)
			}
			if loc.LocationConstraint != "" {
				t.Errorf("LocationConstraint = %q, want empty for us-east-1", loc.LocationConstraint)
			}
			list, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
			if err != nil {
				t.Fatalf("ListBuckets: %v", err)
			}
			found := false
			for _, b := range list.Buckets {
				found = found || aws.ToString(b.Name) == bucket
			}
			if !found {
				t.Errorf("ListBuckets does not list %s", bucket)
			}
			// In us-east-1 S3 answers the owner's repeated create with success.
			if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
				t.Errorf("CreateBucket again in us-east-1: %v", err)
			}

			if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")}); err != nil {
				t.Fatalf("PutObject: %v", err)
			}
			_, err = client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
			wantS3Error(t, "DeleteBucket non-empty", err, 409, "BucketNotEmpty")
			if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")}); err != nil {
				t.Fatalf("DeleteObject: %v", err)
			}
			if _, err := client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
				t.Fatalf("DeleteBucket: %v", err)
			}
			_, err = client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
			wantS3Error(t, "HeadBucket deleted", err, 404, "NotFound")
			_, err = client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
			wantS3Error(t, "ListObjectsV2 deleted", err, 404, "NoSuchBucket")
		})
	}
}

func TestS3BucketNamesAndOwnership(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	mgmt, ds := c.s3Client("default"), c.s3Client("data-science")
	for _, bad := range []string{"ab", "UpperCase", "under_score", "-lead", "trail-", "a..b", "192.168.1.1", "xn--abc", "b-s3alias"} {
		_, err := mgmt.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bad)})
		wantS3Error(t, "CreateBucket "+bad, err, 400, "InvalidBucketName")
	}
	mustCreateBucket(t, mgmt, "shared-name")
	_, err := ds.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared-name")})
	wantS3Error(t, "CreateBucket taken", err, 409, "BucketAlreadyExists")
	mustCreateBucket(t, ds, "ds-bucket")

	list, err := ds.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Buckets) != 1 || aws.ToString(list.Buckets[0].Name) != "ds-bucket" {
		t.Errorf("data-science lists %v, want only ds-bucket", list.Buckets)
	}
	_, err = mgmt.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("west-bucket"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintUsWest2}})
	wantS3Error(t, "CreateBucket us-west-2", err, 400, "IllegalLocationConstraintException")

	_, err = ds.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("ds-bucket"), ExpectedBucketOwner: aws.String("222222222222")})
	wantS3Error(t, "HeadBucket wrong expected owner", err, 403, "Forbidden")
	if _, err := ds.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("ds-bucket"), ExpectedBucketOwner: aws.String("111111111111")}); err != nil {
		t.Errorf("HeadBucket right expected owner: %v", err)
	}
	_, err = ds.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared-name")})
	wantS3Error(t, "ListObjectsV2 other account's bucket", err, 403, "AccessDenied")
}

func TestS3ExpectedBucketOwner(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := c.s3Client("data-science")
	mustCreateBucket(t, client, "owned")
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owned"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ExpectedBucketOwner: aws.String("111111111111")}); err != nil {
		t.Fatalf("PutObject with the right expected owner: %v", err)
	}
	_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owned"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ExpectedBucketOwner: aws.String("222222222222")})
	wantS3Error(t, "PutObject with another expected owner", err, 403, "AccessDenied")
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("owned"), Key: aws.String("k"), ExpectedBucketOwner: aws.String("222222222222")})
	wantS3Error(t, "GetObject with another expected owner", err, 403, "AccessDenied")
	_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("owned"), Key: aws.String("copy"), CopySource: aws.String("owned/k"),
		ExpectedSourceBucketOwner: aws.String("222222222222")})
	wantS3Error(t, "CopyObject with another expected source owner", err, 403, "AccessDenied")
	_, err = client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("owned"), ExpectedBucketOwner: aws.String("000000000000")})
	wantS3Error(t, "ListObjectsV2 with another expected owner", err, 403, "AccessDenied")
}
