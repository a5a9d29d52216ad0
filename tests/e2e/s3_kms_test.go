package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// getBody reads an object (or a range of it) and fails the test on error.
func getBody(t *testing.T, client *s3.Client, bucket, key, rng string) ([]byte, *s3.GetObjectOutput) {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if rng != "" {
		in.Range = aws.String(rng)
	}
	out, err := client.GetObject(context.Background(), in)
	if err != nil {
		t.Fatalf("GetObject %s %s: %v", key, rng, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b, out
}

// The SDK's default upload of the SageMaker Python SDK: aws:kms and no key.
func TestS3SSEKMSDefaultKey(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := c.s3Client("data-science")
	mustCreateBucket(t, client, "artifacts")
	body := make([]byte, 200<<10+17) // several chunks and a partial one
	rand.Read(body)
	put, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("artifacts"), Key: aws.String("sourcedir.tar.gz"),
		Body: bytes.NewReader(body), ServerSideEncryption: types.ServerSideEncryptionAwsKms})
	if err != nil {
		t.Fatalf("PutObject aws:kms: %v", err)
	}
	managed, err := kmsFor(c.config("data-science")).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/s3")})
	if err != nil {
		t.Fatal(err)
	}
	if put.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(put.SSEKMSKeyId) != aws.ToString(managed.KeyMetadata.Arn) {
		t.Fatalf("PutObject headers: %s %s, want aws:kms %s", put.ServerSideEncryption, aws.ToString(put.SSEKMSKeyId), aws.ToString(managed.KeyMetadata.Arn))
	}
	got, out := getBody(t, client, "artifacts", "sourcedir.tar.gz", "")
	if !bytes.Equal(got, body) || out.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(out.SSEKMSKeyId) == "" {
		t.Fatalf("GetObject: %d bytes, %s", len(got), out.ServerSideEncryption)
	}
	for _, r := range []struct {
		rng        string
		start, end int
	}{{"bytes=0-9", 0, 10}, {"bytes=65530-65545", 65530, 65546}, {"bytes=131072-204817", 131072, len(body)}, {"bytes=-5", len(body) - 5, len(body)}} {
		got, _ := getBody(t, client, "artifacts", "sourcedir.tar.gz", r.rng)
		if !bytes.Equal(got, body[r.start:r.end]) {
			t.Errorf("range %s: %d bytes differ", r.rng, len(got))
		}
	}
	head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("artifacts"), Key: aws.String("sourcedir.tar.gz")})
	if err != nil || head.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToInt64(head.ContentLength) != int64(len(body)) {
		t.Fatalf("HeadObject: %+v %v", head, err)
	}
	// The bytes on disk are not the object's.
	found := false
	filepath.Walk(filepath.Join(c.dir, "objects"), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); bytes.Contains(b, body[:4096]) {
				found = true
			}
		}
		return nil
	})
	if found {
		t.Error("an SSE-KMS object's bytes are on disk in the clear")
	}
	// SSE-S3 keeps working.
	plain, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("artifacts"), Key: aws.String("plain"), Body: strings.NewReader("p")})
	if err != nil || plain.ServerSideEncryption != types.ServerSideEncryptionAes256 || plain.SSEKMSKeyId != nil {
		t.Fatalf("PutObject SSE-S3: %+v %v", plain, err)
	}
}

func TestS3SSEKMSCustomerKeyAndBucketDefault(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := c.s3Client("data-science")
	kc := kmsFor(c.config("data-science"))
	keyARN := mustKey(t, kc, "")
	if _, err := kc.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/models"), TargetKeyId: aws.String(keyARN)}); err != nil {
		t.Fatal(err)
	}
	mustCreateBucket(t, client, "models")
	enc, err := client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("models")})
	if err != nil || enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 {
		t.Fatalf("GetBucketEncryption default: %v", err)
	}
	if _, err := client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("models"),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms,
				KMSMasterKeyID: aws.String("alias/models")}, BucketKeyEnabled: aws.Bool(true)}}}}); err != nil {
		t.Fatalf("PutBucketEncryption: %v", err)
	}
	put, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("models"), Key: aws.String("model.tar.gz"), Body: strings.NewReader("weights")})
	if err != nil || aws.ToString(put.SSEKMSKeyId) != keyARN || !aws.ToBool(put.BucketKeyEnabled) {
		t.Fatalf("PutObject under the bucket default: %+v %v", put, err)
	}
	if got, _ := getBody(t, client, "models", "model.tar.gz", ""); string(got) != "weights" {
		t.Fatalf("read back: %q", got)
	}
	// A key named by ID in the request wins over the bucket default.
	other := mustKey(t, kc, "")
	put, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("models"), Key: aws.String("b"), Body: strings.NewReader("b"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(other)})
	if err != nil || aws.ToString(put.SSEKMSKeyId) != other {
		t.Fatalf("PutObject with a key: %+v %v", put, err)
	}
	// A disabled key makes reads and writes fail with S3's KMS error.
	if _, err := kc.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(keyARN)}); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("models"), Key: aws.String("model.tar.gz")})
	wantS3Error(t, "GetObject under a disabled key", err, 400, "KMS.DisabledException")
	_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("models"), Key: aws.String("c"), Body: strings.NewReader("c")})
	wantS3Error(t, "PutObject under a disabled key", err, 400, "KMS.DisabledException")
	if _, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("models"), Key: aws.String("model.tar.gz")}); err != nil {
		t.Errorf("HeadObject needs no KMS: %v", err)
	}
	if _, err := kc.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(keyARN), PendingWindowInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("models"), Key: aws.String("model.tar.gz")})
	wantS3Error(t, "GetObject under a key pending deletion", err, 400, "KMS.KMSInvalidStateException")
	if _, err := client.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: aws.String("models")}); err != nil {
		t.Fatalf("DeleteBucketEncryption: %v", err)
	}
	put, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("models"), Key: aws.String("d"), Body: strings.NewReader("d")})
	if err != nil || put.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Fatalf("PutObject after DeleteBucketEncryption: %+v %v", put, err)
	}
}

// A model trained in account A, encrypted under A's customer key, read from account B:
// the bucket policy, the key policy and B's identity policy must all allow, and each
// denial says which is missing.
func TestS3SSEKMSCrossAccountArtifact(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	owner := c.s3Client("data-science")
	kc := kmsFor(c.config("data-science"))
	keyARN := mustKey(t, kc, "")
	mustCreateBucket(t, owner, "trained")
	if _, err := owner.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("trained"), Key: aws.String("model.tar.gz"),
		Body: strings.NewReader("weights"), ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)}); err != nil {
		t.Fatal(err)
	}
	reader := s3ClientFor(newUser(t, c, "platform", "deployer", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::trained/*"},
		{"Effect":"Allow","Action":"kms:Decrypt","Resource":"`+keyARN+`"}]}`))
	noKMS := s3ClientFor(newUser(t, c, "platform", "nokms", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::trained/*"}]}`))
	read := func(client *s3.Client) error {
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("trained"), Key: aws.String("model.tar.gz")})
		if err == nil {
			out.Body.Close()
		}
		return err
	}
	// 1. No bucket policy: S3 denies.
	err := read(reader)
	wantS3Error(t, "no bucket policy", err, 403, "AccessDenied")
	if msg := apiErrorMessage(err); !strings.Contains(msg, "s3:GetObject") {
		t.Errorf("bucket denial: %s", msg)
	}
	putPolicy(t, owner, "trained", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::trained/*"}]}`)
	// 2. The key policy does not name account B: KMS denies, through S3.
	err = read(reader)
	wantS3Error(t, "no key policy grant", err, 403, "AccessDenied")
	if msg := apiErrorMessage(err); !strings.Contains(msg, "kms:Decrypt") || !strings.Contains(msg, keyARN) {
		t.Errorf("key policy denial: %s", msg)
	}
	if _, err := kc.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(keyARN), PolicyName: aws.String("default"), Policy: aws.String(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:Decrypt","Resource":"*",
		 "Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}`)}); err != nil {
		t.Fatal(err)
	}
	// 3. B's identity policy lacks kms:Decrypt: denied by B's own policies.
	err = read(noKMS)
	wantS3Error(t, "no identity policy for the key", err, 403, "AccessDenied")
	if msg := apiErrorMessage(err); !strings.Contains(msg, "kms:Decrypt") || !strings.Contains(msg, "identity-based policy") {
		t.Errorf("identity denial: %s", msg)
	}
	// 4. All three allow.
	if err := read(reader); err != nil {
		t.Fatalf("all three allow: %v", err)
	}
	// The key policy's kms:ViaService condition: B cannot use the key directly.
	blob, err := kc.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(keyARN), Plaintext: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = kmsFor(newUser(t, c, "platform", "direct", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`)).
		Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: blob.CiphertextBlob})
	apiError(t, err, "AccessDeniedException")
}

// apiErrorMessage is the message of an AWS API error, or "".
func apiErrorMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}
