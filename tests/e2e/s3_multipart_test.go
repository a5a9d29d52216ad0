package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

// multipartETag is the ETag S3 gives an object made of parts.
func multipartETag(parts ...[]byte) string {
	all := md5.New()
	for _, p := range parts {
		s := md5.Sum(p)
		all.Write(s[:])
	}
	return fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(all.Sum(nil)), len(parts))
}

func TestS3UploadManager(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	for name, client := range map[string]*s3.Client{"path": c.s3Client("default"), "virtual": c.s3VirtualClient("default")} {
		t.Run(name, func(t *testing.T) {
			bucket := "manager-" + name
			mustCreateBucket(t, client, bucket)
			data := randomBytes(23<<20+12345, 1)
			up := manager.NewUploader(client, func(u *manager.Uploader) { u.PartSize = 5 << 20; u.Concurrency = 3 })
			res, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("big/blob.bin"),
				Body: bytes.NewReader(data), ContentType: aws.String("application/octet-stream")})
			if err != nil {
				t.Fatalf("Upload: %v", err)
			}
			var parts [][]byte
			for off := 0; off < len(data); off += 5 << 20 {
				parts = append(parts, data[off:min(off+5<<20, len(data))])
			}
			if want := multipartETag(parts...); aws.ToString(res.ETag) != want {
				t.Errorf("multipart ETag %s, want %s", aws.ToString(res.ETag), want)
			}
			head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("big/blob.bin"), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToInt64(head.ContentLength) != int64(len(data)) || aws.ToInt32(head.PartsCount) != int32(len(parts)) {
				t.Errorf("HeadObject length %d parts %d", aws.ToInt64(head.ContentLength), aws.ToInt32(head.PartsCount))
			}
			down := manager.NewDownloader(client, func(d *manager.Downloader) { d.PartSize = 4 << 20; d.Concurrency = 3 })
			buf := manager.NewWriteAtBuffer(make([]byte, 0, len(data)))
			n, err := down.Download(ctx, buf, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("big/blob.bin")})
			if err != nil {
				t.Fatalf("Download: %v", err)
			}
			if n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
				t.Errorf("downloaded %d bytes, differing from the upload", n)
			}
			// A full GET with checksum validation on checks the whole-object checksum.
			get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("big/blob.bin"), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, get.Body); err != nil {
				t.Errorf("GetObject with checksum validation: %v", err)
			}
			get.Body.Close()
		})
	}
}

func TestS3MultipartAPI(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	client := c.s3Client("default")
	mustCreateBucket(t, client, "mpu")
	for _, alg := range []types.ChecksumAlgorithm{"", types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmSha256} {
		t.Run("checksum "+string(alg), func(t *testing.T) {
			key := "assembled-" + string(alg)
			create, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String(key),
				ChecksumAlgorithm: alg, Metadata: map[string]string{"kind": "mpu"}})
			if err != nil {
				t.Fatalf("CreateMultipartUpload: %v", err)
			}
			id := create.UploadId
			p1, p2 := randomBytes(5<<20, 2), randomBytes(1234, 3)
			var completed []types.CompletedPart
			for i, p := range [][]byte{p1, p2} {
				out, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String(key), UploadId: id,
					PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: alg})
				if err != nil {
					t.Fatalf("UploadPart %d: %v", i+1, err)
				}
				completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag,
					ChecksumCRC32: out.ChecksumCRC32, ChecksumSHA256: out.ChecksumSHA256})
			}
			parts, err := client.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String(key), UploadId: id})
			if err != nil {
				t.Fatalf("ListParts: %v", err)
			}
			if len(parts.Parts) != 2 || aws.ToInt64(parts.Parts[0].Size) != 5<<20 || aws.ToInt64(parts.Parts[1].Size) != 1234 {
				t.Errorf("ListParts = %v", parts.Parts)
			}
			uploads, err := client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("mpu")})
			if err != nil || len(uploads.Uploads) != 1 || aws.ToString(uploads.Uploads[0].UploadId) != aws.ToString(id) {
				t.Errorf("ListMultipartUploads = %v, %v", uploads, err)
			}
			// Completing with a wrong ETag or out of order fails and leaves the upload.
			bad := append([]types.CompletedPart(nil), completed...)
			bad[1].ETag = aws.String(`"00000000000000000000000000000000"`)
			_, err = client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String(key),
				UploadId: id, MultipartUpload: &types.CompletedMultipartUpload{Parts: bad}})
			wantS3Error(t, "Complete with a wrong ETag", err, 400, "InvalidPart")
			_, err = client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String(key),
				UploadId: id, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{completed[1], completed[0]}}})
			wantS3Error(t, "Complete out of order", err, 400, "InvalidPartOrder")

			done, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String(key),
				UploadId: id, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload: %v", err)
			}
			if aws.ToString(done.ETag) != multipartETag(p1, p2) {
				t.Errorf("Complete ETag %s, want %s", aws.ToString(done.ETag), multipartETag(p1, p2))
			}
			get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("mpu"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(get.Body)
			get.Body.Close()
			if err != nil || !bytes.Equal(got, append(append([]byte(nil), p1...), p2...)) || get.Metadata["kind"] != "mpu" {
				t.Errorf("assembled object differs (%v), metadata %v", err, get.Metadata)
			}
			if alg != "" && get.ChecksumType != types.ChecksumTypeComposite {
				t.Errorf("checksum type %q, want COMPOSITE", get.ChecksumType)
			}
			_, err = client.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String(key), UploadId: id})
			wantS3Error(t, "ListParts after Complete", err, 404, "NoSuchUpload")
		})
	}

	// A full-object CRC checksum: computed over the assembled object and validated by the
	// SDK on a full read.
	full, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("full-crc"),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c, ChecksumType: types.ChecksumTypeFullObject})
	if err != nil {
		t.Fatalf("CreateMultipartUpload FULL_OBJECT: %v", err)
	}
	if full.ChecksumType != types.ChecksumTypeFullObject || full.ChecksumAlgorithm != types.ChecksumAlgorithmCrc32c {
		t.Errorf("CreateMultipartUpload FULL_OBJECT answered %s %s", full.ChecksumType, full.ChecksumAlgorithm)
	}
	f1, f2 := randomBytes(5<<20, 11), randomBytes(777, 12)
	var fullParts []types.CompletedPart
	for i, p := range [][]byte{f1, f2} {
		out, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("full-crc"), UploadId: full.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c})
		if err != nil {
			t.Fatalf("UploadPart FULL_OBJECT %d: %v", i+1, err)
		}
		fullParts = append(fullParts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag, ChecksumCRC32C: out.ChecksumCRC32C})
	}
	done, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("full-crc"),
		UploadId: full.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: fullParts}})
	if err != nil {
		t.Fatalf("Complete FULL_OBJECT: %v", err)
	}
	if done.ChecksumType != types.ChecksumTypeFullObject || strings.Contains(aws.ToString(done.ChecksumCRC32C), "-") {
		t.Errorf("Complete FULL_OBJECT: type %s checksum %s", done.ChecksumType, aws.ToString(done.ChecksumCRC32C))
	}
	get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("mpu"), Key: aws.String("full-crc"), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, get.Body); err != nil || aws.ToString(get.ChecksumCRC32C) != aws.ToString(done.ChecksumCRC32C) {
		t.Errorf("GetObject FULL_OBJECT: %v, checksum %s", err, aws.ToString(get.ChecksumCRC32C))
	}
	get.Body.Close()

	// Small parts, abort, copy parts.
	create, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small")})
	if err != nil {
		t.Fatal(err)
	}
	var completed []types.CompletedPart
	for i := 1; i <= 2; i++ {
		out, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: create.UploadId,
			PartNumber: aws.Int32(int32(i)), Body: strings.NewReader("tiny")})
		if err != nil {
			t.Fatal(err)
		}
		completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i)), ETag: out.ETag})
	}
	_, err = client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small"),
		UploadId: create.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
	wantS3Error(t, "Complete with a small part", err, 400, "EntityTooSmall")
	if _, err := client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: create.UploadId}); err != nil {
		t.Fatalf("AbortMultipartUpload: %v", err)
	}
	_, err = client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: create.UploadId})
	wantS3Error(t, "Abort twice", err, 404, "NoSuchUpload")
	_, err = client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: create.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("late")})
	wantS3Error(t, "UploadPart after abort", err, 404, "NoSuchUpload")

	src := randomBytes(6<<20, 4)
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("mpu"), Key: aws.String("copy-source"), Body: bytes.NewReader(src)}); err != nil {
		t.Fatal(err)
	}
	create, err = client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("from-copies")})
	if err != nil {
		t.Fatal(err)
	}
	cp1, err := client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("mpu"), Key: aws.String("from-copies"), UploadId: create.UploadId,
		PartNumber: aws.Int32(1), CopySource: aws.String("mpu/copy-source")})
	if err != nil {
		t.Fatalf("UploadPartCopy: %v", err)
	}
	cp2, err := client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("mpu"), Key: aws.String("from-copies"), UploadId: create.UploadId,
		PartNumber: aws.Int32(2), CopySource: aws.String("mpu/copy-source"), CopySourceRange: aws.String("bytes=10-19")})
	if err != nil {
		t.Fatalf("UploadPartCopy range: %v", err)
	}
	_, err = client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("mpu"), Key: aws.String("from-copies"), UploadId: create.UploadId,
		PartNumber: aws.Int32(3), CopySource: aws.String("mpu/copy-source"), CopySourceRange: aws.String("bytes=10-99999999")})
	wantS3Error(t, "UploadPartCopy range beyond the source", err, 400, "InvalidArgument")
	done, err = client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("from-copies"),
		UploadId: create.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: cp1.CopyPartResult.ETag}, {PartNumber: aws.Int32(2), ETag: cp2.CopyPartResult.ETag}}}})
	if err != nil {
		t.Fatalf("Complete copied parts: %v", err)
	}
	if want := multipartETag(src, src[10:20]); aws.ToString(done.ETag) != want {
		t.Errorf("copied parts ETag %s, want %s", aws.ToString(done.ETag), want)
	}
}
