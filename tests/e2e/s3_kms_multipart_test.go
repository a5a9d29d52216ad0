package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// A 12 MiB SSE-KMS object in three parts of 5, 5 and 2 MiB, read whole and by ranges
// that cross the parts' boundaries.
func TestS3SSEKMSMultipartUpload(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := c.s3Client("data-science")
	kc := kmsFor(c.config("data-science"))
	keyARN := mustKey(t, kc, "")
	mustCreateBucket(t, client, "big")
	body := make([]byte, 12<<20)
	rand.Read(body)
	create, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("big"), Key: aws.String("model.bin"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)})
	if err != nil {
		t.Fatalf("CreateMultipartUpload aws:kms: %v", err)
	}
	if create.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(create.SSEKMSKeyId) != keyARN {
		t.Fatalf("CreateMultipartUpload headers: %s %s", create.ServerSideEncryption, aws.ToString(create.SSEKMSKeyId))
	}
	bounds := []int{0, 5 << 20, 10 << 20, 12 << 20}
	var parts []types.CompletedPart
	for i := 0; i < 3; i++ {
		n := int32(i + 1)
		// Part 2 is uploaded twice: the second one counts.
		for attempt := 0; attempt < 1+boolInt(i == 1); attempt++ {
			part, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("big"), Key: aws.String("model.bin"),
				UploadId: create.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(body[bounds[i]:bounds[i+1]])})
			if err != nil {
				t.Fatalf("UploadPart %d: %v", n, err)
			}
			if part.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(part.SSEKMSKeyId) != keyARN {
				t.Fatalf("UploadPart headers: %s %s", part.ServerSideEncryption, aws.ToString(part.SSEKMSKeyId))
			}
			if attempt == 0 && i == 1 {
				continue
			}
			parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(n), ETag: part.ETag})
		}
	}
	done, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("big"), Key: aws.String("model.bin"),
		UploadId: create.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	if done.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(done.SSEKMSKeyId) != keyARN {
		t.Fatalf("CompleteMultipartUpload headers: %s %s", done.ServerSideEncryption, aws.ToString(done.SSEKMSKeyId))
	}
	got, out := getBody(t, client, "big", "model.bin", "")
	if !bytes.Equal(got, body) || out.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(out.SSEKMSKeyId) != keyARN {
		t.Fatalf("GetObject: %d bytes (equal %v), %s", len(got), bytes.Equal(got, body), out.ServerSideEncryption)
	}
	for _, r := range [][2]int{{5<<20 - 100, 5<<20 + 100}, {5<<20 - 70000, 10<<20 + 70000}, {10 << 20, 12 << 20}, {0, 1}} {
		got, _ := getBody(t, client, "big", "model.bin", fmt.Sprintf("bytes=%d-%d", r[0], r[1]-1))
		if !bytes.Equal(got, body[r[0]:r[1]]) {
			t.Errorf("range %d-%d: %d bytes differ", r[0], r[1]-1, len(got))
		}
	}

	// The bucket's default encryption, and the AWS managed key without a key ID.
	create, err = client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("big"), Key: aws.String("managed"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms})
	if err != nil {
		t.Fatalf("CreateMultipartUpload aws:kms without key: %v", err)
	}
	managed, err := kc.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/s3")})
	if err != nil || aws.ToString(create.SSEKMSKeyId) != aws.ToString(managed.KeyMetadata.Arn) {
		t.Fatalf("managed key: %s %v", aws.ToString(create.SSEKMSKeyId), err)
	}
	if _, err := client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("big"),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms,
				KMSMasterKeyID: aws.String(keyARN)}}}}}); err != nil {
		t.Fatal(err)
	}
	create, err = client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("big"), Key: aws.String("default")})
	if err != nil || create.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(create.SSEKMSKeyId) != keyARN {
		t.Fatalf("CreateMultipartUpload under the bucket default: %+v %v", create, err)
	}
	// UploadPartCopy from the SSE-KMS object into an SSE-KMS upload.
	cp, err := client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("big"), Key: aws.String("default"), UploadId: create.UploadId,
		PartNumber: aws.Int32(1), CopySource: aws.String("big/model.bin"), CopySourceRange: aws.String("bytes=1000-5243879")})
	if err != nil || cp.ServerSideEncryption != types.ServerSideEncryptionAwsKms {
		t.Fatalf("UploadPartCopy: %+v %v", cp, err)
	}
	if _, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("big"), Key: aws.String("default"),
		UploadId: create.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: cp.CopyPartResult.ETag}}}}); err != nil {
		t.Fatalf("CompleteMultipartUpload of a copied part: %v", err)
	}
	if got, _ := getBody(t, client, "big", "default", ""); !bytes.Equal(got, body[1000:5243880]) {
		t.Fatalf("copied part: %d bytes differ", len(got))
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The upload manager, as the SDKs upload large files with aws:kms.
func TestS3SSEKMSUploadManager(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := c.s3Client("data-science")
	mustCreateBucket(t, client, "managed")
	body := make([]byte, 11<<20+12345)
	rand.Read(body)
	up := manager.NewUploader(client, func(u *manager.Uploader) { u.PartSize = 5 << 20; u.Concurrency = 3 })
	out, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("managed"), Key: aws.String("data.bin"),
		Body: bytes.NewReader(body), ServerSideEncryption: types.ServerSideEncryptionAwsKms})
	if err != nil {
		t.Fatalf("Upload aws:kms: %v", err)
	}
	if out.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(out.SSEKMSKeyId) == "" {
		t.Fatalf("Upload headers: %s %s", out.ServerSideEncryption, aws.ToString(out.SSEKMSKeyId))
	}
	got, get := getBody(t, client, "managed", "data.bin", "")
	if !bytes.Equal(got, body) || get.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToInt32(get.PartsCount) != 3 {
		t.Fatalf("GetObject: %d bytes, %s, %d parts", len(got), get.ServerSideEncryption, aws.ToInt32(get.PartsCount))
	}
}

// CopyObject decrypts its source as the caller and encrypts the copy as its own headers
// or its bucket's default say.
func TestS3SSEKMSCopyObject(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := c.s3Client("data-science")
	kc := kmsFor(c.config("data-science"))
	keyARN := mustKey(t, kc, "")
	mustCreateBucket(t, client, "src")
	body := make([]byte, 300<<10+5)
	rand.Read(body)
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("src"), Key: aws.String("kms"), Body: bytes.NewReader(body),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("src"), Key: aws.String("plain"), Body: bytes.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	// SSE-KMS → SSE-S3.
	cp, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("kms-to-s3"), CopySource: aws.String("src/kms")})
	if err != nil || cp.ServerSideEncryption != types.ServerSideEncryptionAes256 || cp.SSEKMSKeyId != nil {
		t.Fatalf("CopyObject SSE-KMS to SSE-S3: %+v %v", cp, err)
	}
	got, out := getBody(t, client, "src", "kms-to-s3", "")
	if !bytes.Equal(got, body) || out.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Fatalf("copy to SSE-S3: %d bytes, %s", len(got), out.ServerSideEncryption)
	}
	// SSE-S3 → SSE-KMS.
	cp, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("s3-to-kms"), CopySource: aws.String("src/plain"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)})
	if err != nil || cp.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(cp.SSEKMSKeyId) != keyARN {
		t.Fatalf("CopyObject SSE-S3 to SSE-KMS: %+v %v", cp, err)
	}
	got, out = getBody(t, client, "src", "s3-to-kms", "")
	if !bytes.Equal(got, body) || out.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(out.SSEKMSKeyId) != keyARN {
		t.Fatalf("copy to SSE-KMS: %d bytes, %s", len(got), out.ServerSideEncryption)
	}
	if got, _ := getBody(t, client, "src", "s3-to-kms", "bytes=65530-131080"); !bytes.Equal(got, body[65530:131081]) {
		t.Fatal("copy to SSE-KMS: range differs")
	}
	// In place: SSE-KMS under the AWS managed key.
	cp, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("kms"), CopySource: aws.String("src/kms"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms})
	if err != nil || aws.ToString(cp.SSEKMSKeyId) == keyARN {
		t.Fatalf("CopyObject in place to the managed key: %+v %v", cp, err)
	}
	if got, _ := getBody(t, client, "src", "kms", ""); !bytes.Equal(got, body) {
		t.Fatal("copy in place differs")
	}

	// A caller who may read and write the objects but not decrypt under the key.
	noDecrypt := s3ClientFor(newUser(t, c, "data-science", "nodecrypt", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::src/*"},
		{"Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"*"}]}`))
	_, err = noDecrypt.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("stolen"), CopySource: aws.String("src/s3-to-kms")})
	wantS3Error(t, "CopyObject without kms:Decrypt", err, 403, "AccessDenied")
	if msg := apiErrorMessage(err); !bytes.Contains([]byte(msg), []byte("kms:Decrypt")) {
		t.Errorf("denial: %s", msg)
	}
	// It may start an SSE-KMS upload (kms:GenerateDataKey) but not add a part to it.
	create, err := noDecrypt.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("src"), Key: aws.String("mpu"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)})
	if err != nil {
		t.Fatalf("CreateMultipartUpload with kms:GenerateDataKey: %v", err)
	}
	_, err = noDecrypt.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("src"), Key: aws.String("mpu"), UploadId: create.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part"))})
	wantS3Error(t, "UploadPart without kms:Decrypt", err, 403, "AccessDenied")
}
