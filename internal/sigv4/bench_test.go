package sigv4_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/cairnhq/cairn/internal/sigv4"
)

// BenchmarkVerify measures Parse and Verify of a typical query-protocol
// request as aws-sdk-go-v2 signs it: a POST with a small form body given
// as the payload and six signed headers (amz-sdk-invocation-id,
// amz-sdk-request, content-length, content-type, host, x-amz-date).
func BenchmarkVerify(b *testing.B) {
	body := []byte("Action=SendMessage&MessageBody=hello%20world" +
		"&QueueUrl=https%3A%2F%2Fsqs.us-east-1.amazonaws.com%2F123456789012%2Fqueue&Version=2012-11-05")
	r := serverRequest("POST", "/", "sqs.us-east-1.amazonaws.com", body)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.Header.Set("Amz-Sdk-Invocation-Id", "3f1a2b4c-5d6e-4f70-8192-a3b4c5d6e7f8")
	r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.48.0 os/linux lang/go#1.26 md/GOOS#linux api/sqs#1.0.0")
	sdkSign(b, r, body, sdkSignOptions{service: "sqs"})
	v := newVerifier(testTime)
	if sig, err := sigv4.Parse(r); err != nil || len(sig.SignedHeaders) != 6 {
		b.Fatalf("Parse = %+v, %v", sig, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sig, err := sigv4.Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Verify(r, sig, testSecret, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyPresigned measures a presigned S3 GET.
func BenchmarkVerifyPresigned(b *testing.B) {
	sig := specSignature(testSecret, testTime, "us-east-1", "service", "GET", "/",
		presignQuery("3600", ""), [][2]string{{"host", "example.amazonaws.com"}}, sigv4.UnsignedPayload)
	r := presignedRequest(presignQuery("3600", sig))
	v := newVerifier(testTime)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := parseVerify(v, r, testSecret, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChunkedRead measures decoding and verifying a signed aws-chunked
// body of 1 MiB in 64 KiB chunks.
func BenchmarkChunkedRead(b *testing.B) {
	data := testData(1 << 20)
	r := serverRequest("PUT", "/bucket/key", "bucket.s3.amazonaws.com", nil)
	r.Header.Set("X-Amz-Content-Sha256", sigv4.StreamingPayload)
	sdkSign(b, r, nil, sdkSignOptions{service: "s3", s3: true, payloadHash: sigv4.StreamingPayload})
	body := seedSigner(sigFromAuthorization(r.Header.Get("Authorization"))).encode(data)
	v := newVerifier(testTime)
	buf := make([]byte, 32<<10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r.Body = io.NopCloser(bytes.NewReader(body))
		_, res, err := parseVerify(v, r, testSecret, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{res.Body}, buf); err != nil {
			b.Fatal(err)
		}
	}
}
