package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// 64 MiB PUT and GET, stored as they came (SSE-S3) and sealed under a KMS key (SSE-KMS),
// in the same run:
//
//	go test -run '^$' -bench 'S3Object64MiB' -benchtime 10x ./tests/e2e/
func BenchmarkS3Object64MiB(b *testing.B) {
	c := start(b, startOptions{Config: accountsYAML})
	client := c.s3Client("data-science")
	ctx := context.Background()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	body := make([]byte, 64<<20)
	rand.Read(body)
	for _, mode := range []struct {
		name string
		sse  types.ServerSideEncryption
	}{{"SSE-S3", ""}, {"SSE-KMS", types.ServerSideEncryptionAwsKms}} {
		b.Run("PUT/"+mode.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String(mode.name),
					Body: bytes.NewReader(body), ServerSideEncryption: mode.sse}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("GET/"+mode.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String(mode.name)})
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, out.Body)
				out.Body.Close()
			}
		})
	}
}

// Encrypt and Decrypt of 4 KiB through the API against GetCallerIdentity, 32 callers
// (GOMAXPROCS × 16), the server in the test's process:
//
//	go test -run '^$' -bench 'KMSCallers' -benchtime 3s ./tests/e2e/
//
// The goal (≥ 70% of GetCallerIdentity) is measured against `cairn serve`, the three
// operations interleaved round by round: `go run ./bench/loadgen -kms` (docs/benchmarks.md).
func BenchmarkKMSCallers(b *testing.B) {
	c := start(b, startOptions{Config: accountsYAML})
	cfg := c.config("data-science")
	kc := kmsFor(cfg)
	stsc := sts.NewFromConfig(withoutRetries(cfg))
	ctx := context.Background()
	key, err := kc.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		b.Fatal(err)
	}
	plain := make([]byte, 4096)
	blob, err := kc.Encrypt(ctx, &kms.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: plain})
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, call func() error) {
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := call(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.Run("GetCallerIdentity", func(b *testing.B) {
		run(b, func() error { _, err := stsc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); return err })
	})
	b.Run("Encrypt4KiB", func(b *testing.B) {
		run(b, func() error {
			_, err := kc.Encrypt(ctx, &kms.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: plain})
			return err
		})
	})
	b.Run("Decrypt4KiB", func(b *testing.B) {
		run(b, func() error {
			_, err := kc.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: blob.CiphertextBlob})
			return err
		})
	})
}
