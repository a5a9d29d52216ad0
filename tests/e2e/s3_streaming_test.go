package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// s3Raw signs and sends a request the SDK would not send over plain HTTP (aws-chunked
// bodies) and returns the status and body.
func (c *cairn) s3Raw(t *testing.T, req *http.Request, payloadHash string) (int, string) {
	t.Helper()
	creds := c.credentials("default")
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, payloadHash, "s3", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func crc32Base64(b []byte) string {
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc32.ChecksumIEEE(b))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// unsignedTrailerBody frames data as STREAMING-UNSIGNED-PAYLOAD-TRAILER chunks of size
// chunk, followed by the x-amz-checksum-crc32 trailer.
func unsignedTrailerBody(data []byte, chunk int, checksum string) []byte {
	var b bytes.Buffer
	for off := 0; off < len(data); off += chunk {
		part := data[off:min(off+chunk, len(data))]
		fmt.Fprintf(&b, "%x\r\n", len(part))
		b.Write(part)
		b.WriteString("\r\n")
	}
	b.WriteString("0\r\nx-amz-checksum-crc32:" + checksum + "\r\n\r\n")
	return b.Bytes()
}

func TestS3AWSChunkedUnsignedTrailer(t *testing.T) {
	c := start(t, startOptions{})
	client := c.s3Client("default")
	mustCreateBucket(t, client, "chunked")
	data := randomBytes(200_000, 9)
	for _, tc := range []struct {
		name, checksum string
		status         int
		code           string
	}{
		{"good trailer", crc32Base64(data), 200, ""},
		{"wrong trailer", crc32Base64([]byte("other")), 400, "BadDigest"},
	} {
		body := unsignedTrailerBody(data, 64<<10, tc.checksum)
		req, _ := http.NewRequest(http.MethodPut, c.endpoint()+"/chunked/"+strings.ReplaceAll(tc.name, " ", "-"), bytes.NewReader(body))
		req.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
		req.Header.Set("Content-Encoding", "gzip,aws-chunked")
		req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)))
		req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
		req.Header.Set("X-Amz-Sdk-Checksum-Algorithm", "CRC32")
		status, resp := c.s3Raw(t, req, "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
		if status != tc.status || tc.code != "" && !strings.Contains(resp, "<Code>"+tc.code+"</Code>") {
			t.Errorf("%s: %d %s, want %d %s", tc.name, status, resp, tc.status, tc.code)
		}
	}
	get, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("chunked"), Key: aws.String("good-trailer"),
		ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, data) || aws.ToString(get.ChecksumCRC32) != crc32Base64(data) || aws.ToString(get.ContentEncoding) != "gzip" {
		t.Errorf("stored object: %d bytes, crc32 %s, encoding %q", len(got), aws.ToString(get.ChecksumCRC32), aws.ToString(get.ContentEncoding))
	}
	_, err = client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("chunked"), Key: aws.String("wrong-trailer")})
	wantS3Error(t, "HeadObject of the refused upload", err, 404, "NotFound")
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func TestS3AWSChunkedSigned(t *testing.T) {
	c := start(t, startOptions{})
	client := c.s3Client("default")
	mustCreateBucket(t, client, "signed-chunks")
	creds := c.credentials("default")
	data := randomBytes(150_000, 10)
	const chunk = 64 << 10
	for _, tamper := range []bool{false, true} {
		now := time.Now().UTC()
		key := "tampered"
		if !tamper {
			key = "intact"
		}
		var frames [][]byte
		for off := 0; off < len(data); off += chunk {
			frames = append(frames, data[off:min(off+chunk, len(data))])
		}
		frames = append(frames, nil)
		framed := 0
		for _, f := range frames {
			framed += len(fmt.Sprintf("%x;chunk-signature=", len(f))) + 64 + 2 + len(f) + 2
		}
		pr, pw := io.Pipe()
		req, _ := http.NewRequest(http.MethodPut, c.endpoint()+"/signed-chunks/"+key, pr)
		req.ContentLength = int64(framed)
		req.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
		req.Header.Set("Content-Encoding", "aws-chunked")
		req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)))
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "s3", "us-east-1", now); err != nil {
			t.Fatal(err)
		}
		_, seed, _ := strings.Cut(req.Header.Get("Authorization"), "Signature=")
		date := now.Format("20060102")
		scope := date + "/us-east-1/s3/aws4_request"
		signingKey := hmacSHA256(hmacSHA256(hmacSHA256(hmacSHA256([]byte("AWS4"+creds.SecretAccessKey), date), "us-east-1"), "s3"), "aws4_request")
		go func() {
			prev := seed
			empty := sha256.Sum256(nil)
			for i, f := range frames {
				sum := sha256.Sum256(f)
				sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + now.Format("20060102T150405Z") + "\n" + scope + "\n" + prev + "\n" +
					hex.EncodeToString(empty[:]) + "\n" + hex.EncodeToString(sum[:])
				sig := hex.EncodeToString(hmacSHA256(signingKey, sts))
				prev = sig
				payload := f
				if tamper && i == 1 {
					payload = append([]byte(nil), f...)
					payload[0] ^= 1
				}
				fmt.Fprintf(pw, "%x;chunk-signature=%s\r\n", len(f), sig)
				pw.Write(payload)
				pw.Write([]byte("\r\n"))
			}
			pw.Close()
		}()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		wantStatus, wantCode := 200, ""
		if tamper {
			wantStatus, wantCode = 403, "SignatureDoesNotMatch"
		}
		if resp.StatusCode != wantStatus || !strings.Contains(string(body), wantCode) {
			t.Errorf("%s: %d %s, want %d %s", key, resp.StatusCode, body, wantStatus, wantCode)
		}
	}
	get, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("signed-chunks"), Key: aws.String("intact")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, data) || aws.ToString(get.ContentEncoding) != "" {
		t.Errorf("intact object: %d bytes, encoding %q", len(got), aws.ToString(get.ContentEncoding))
	}
	_, err = client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("signed-chunks"), Key: aws.String("tampered")})
	wantS3Error(t, "HeadObject of the tampered upload", err, 404, "NotFound")
}

func TestS3SizeLimits(t *testing.T) {
	c := start(t, startOptions{})
	mustCreateBucket(t, c.s3Client("default"), "limits")
	// A 6 GiB PUT is refused from its headers: send them alone on a raw connection.
	req, _ := http.NewRequest(http.MethodPut, c.endpoint()+"/limits/huge", nil)
	req.ContentLength = 6 << 30
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	req.Header.Set("Content-Length", strconv.FormatInt(6<<30, 10))
	if err := v4.NewSigner().SignHTTP(context.Background(), c.credentials("default"), req, "UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", c.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /limits/huge HTTP/1.1\r\nHost: %s\r\n", req.Host)
	for k, vs := range req.Header {
		fmt.Fprintf(conn, "%s: %s\r\n", k, vs[0])
	}
	conn.Write([]byte("\r\n"))
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufioReader(conn), req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>EntityTooLarge</Code>") {
		t.Errorf("6 GiB PUT: %d %s", resp.StatusCode, body)
	}

	// A body of unknown length is refused.
	req, _ = http.NewRequest(http.MethodPut, c.endpoint()+"/limits/unknown", io.NopCloser(strings.NewReader("abc")))
	req.ContentLength = -1
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	status, out := c.s3Raw(t, req, "UNSIGNED-PAYLOAD")
	if status != 411 || !strings.Contains(out, "<Code>MissingContentLength</Code>") {
		t.Errorf("PUT without a length: %d %s", status, out)
	}
}
