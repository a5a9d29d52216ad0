package sigv4_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/cairnhq/cairn/internal/sigv4"
)

// TestChunkedAWSExample checks the worked example of the Amazon S3
// documentation ("Signature Calculations for the Authorization Header:
// Transferring Payload in Multiple Chunks"): a 66560-byte object of 'a's
// uploaded in a 64 KiB chunk and a 1 KiB chunk.
func TestChunkedAWSExample(t *testing.T) {
	const (
		secret     = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
		seed       = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
		firstChunk = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
		lastChunk  = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
		finalChunk = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
	)
	data := bytes.Repeat([]byte{'a'}, 65*1024)

	cs := newChunkSigner(secret, "20130524T000000Z", "us-east-1", "s3", seed)
	cs.chunkSize = 64 << 10
	body := cs.encode(data)
	if len(body) != 66824 {
		t.Fatalf("encoded length %d, want the example's Content-Length 66824", len(body))
	}
	if want := []string{firstChunk, lastChunk, finalChunk}; strings.Join(cs.sigs, " ") != strings.Join(want, " ") {
		t.Fatalf("chunk signatures\n%s\nwant\n%s", cs.sigs, want)
	}

	r := serverRequest("PUT", "/examplebucket/chunkObject.txt", "s3.amazonaws.com", body)
	r.Header.Set("X-Amz-Date", "20130524T000000Z")
	r.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
	r.Header.Set("X-Amz-Content-Sha256", sigv4.StreamingPayload)
	r.Header.Set("Content-Encoding", "aws-chunked")
	r.Header.Set("X-Amz-Decoded-Content-Length", "66560")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"+
		"SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,"+
		"Signature="+seed)

	v := newVerifier(time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC))
	sig, res, err := parseVerify(v, r, secret, nil)
	if err != nil {
		t.Fatalf("seed signature rejected: %v", err)
	}
	if sig.AccessKeyID != "AKIAIOSFODNN7EXAMPLE" || !res.Chunked || res.DecodedContentLength != 66560 {
		t.Errorf("Signature %+v, Result %+v", sig, res)
	}
	got, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("decoded %d bytes, want %d 'a's", len(got), len(data))
	}

	// The first chunk's signature as given in the example, but one byte off.
	bad := bytes.Replace(body, []byte(firstChunk), []byte(flipHex(firstChunk)), 1)
	r.Body = io.NopCloser(bytes.NewReader(bad))
	_, res, err = parseVerify(v, r, secret, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(res.Body)
	if errCode(err) != sigv4.SignatureDoesNotMatch {
		t.Fatalf("tampered first chunk: read %d bytes, %v", len(got), err)
	}
	if len(got) > 64<<10 {
		t.Errorf("read %d bytes past the bad chunk", len(got))
	}
}

// streamingRequest signs an S3 PUT of an aws-chunked body with the SDK
// signer. encode frames the data given the seed signature.
func streamingRequest(t *testing.T, contentSHA256 string, decodedLength int, encode func(seed string) []byte, trailer string) *http.Request {
	t.Helper()
	n := len(encode(strings.Repeat("0", 64)))
	r := serverRequest("PUT", "/bucket/key", "bucket.s3.amazonaws.com", make([]byte, n))
	r.Header.Set("X-Amz-Content-Sha256", contentSHA256)
	r.Header.Set("Content-Encoding", "aws-chunked")
	if decodedLength >= 0 {
		r.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(decodedLength))
	}
	if trailer != "" {
		r.Header.Set("X-Amz-Trailer", trailer)
	}
	sdkSign(t, r, nil, sdkSignOptions{service: "s3", s3: true, payloadHash: contentSHA256})
	body := encode(sigFromAuthorization(r.Header.Get("Authorization")))
	if len(body) != n {
		t.Fatalf("encoding length changed: %d != %d", len(body), n)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return r
}

func seedSigner(seed string) *chunkSigner {
	return newChunkSigner(testSecret, "20150830T123600Z", "us-east-1", "s3", seed)
}

// verifyBody verifies r and returns its Result.
func verifyBody(t *testing.T, r *http.Request) *sigv4.Result {
	t.Helper()
	_, res, err := parseVerify(newVerifier(testTime), r, testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func testData(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

func TestChunkedSigned(t *testing.T) {
	for _, tc := range []struct{ size, chunk int }{
		{0, 0}, {1, 0}, {8192, 8192}, {200 << 10, 0}, {100000, 8192}, {3 << 20, 1 << 20},
	} {
		t.Run(strconv.Itoa(tc.size), func(t *testing.T) {
			data := testData(tc.size)
			r := streamingRequest(t, sigv4.StreamingPayload, len(data), func(seed string) []byte {
				s := seedSigner(seed)
				s.chunkSize = tc.chunk
				return s.encode(data)
			}, "")
			res := verifyBody(t, r)
			if !res.Chunked || res.DecodedContentLength != int64(len(data)) {
				t.Errorf("Result = %+v", res)
			}
			if res.Trailer() != nil {
				t.Error("Trailer() before EOF is not nil")
			}
			if err := iotest.TestReader(res.Body, data); err != nil {
				t.Fatal(err)
			}
			if h := res.Trailer(); len(h) != 0 {
				t.Errorf("Trailer() = %v, want none", h)
			}
		})
	}
}

func TestChunkedSignedSmallReads(t *testing.T) {
	data := testData(20000)
	r := streamingRequest(t, sigv4.StreamingPayload, len(data), func(seed string) []byte {
		s := seedSigner(seed)
		s.chunkSize = 8192
		return s.encode(data)
	}, "")
	r.Body = io.NopCloser(iotest.OneByteReader(r.Body))
	res := verifyBody(t, r)
	got, err := io.ReadAll(iotest.OneByteReader(res.Body))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
}

func TestChunkedSignedTampered(t *testing.T) {
	data := testData(100000)
	encode := func(seed string) []byte {
		s := seedSigner(seed)
		s.chunkSize = 8192
		return s.encode(data)
	}

	tests := []struct {
		name   string
		tamper func(seed string) []byte
		code   sigv4.Code
		// readBefore is the most data the reader may yield before failing:
		// data of a chunk passes through before the chunk's signature is
		// checked at its end.
		readBefore int
	}{
		{"chunk 2 signature", func(seed string) []byte {
			s := seedSigner(seed)
			s.chunkSize, s.tamperAt = 8192, 2
			return s.encode(data)
		}, sigv4.SignatureDoesNotMatch, 3 * 8192},
		{"final chunk signature", func(seed string) []byte {
			s := seedSigner(seed)
			s.chunkSize, s.tamperAt = 8192, 13
			return s.encode(data)
		}, sigv4.SignatureDoesNotMatch, len(data)},
		{"data byte", func(seed string) []byte {
			b := encode(seed)
			i := bytes.Index(b, []byte("\r\n")) + 2 + 5000
			b[i] ^= 1
			return b
		}, sigv4.SignatureDoesNotMatch, 8192},
		{"chunks swapped", func(seed string) []byte {
			s := seedSigner(seed)
			s.chunkSize = 8192
			a := s.encode(data[:8192])
			s2 := seedSigner(seed)
			s2.chunkSize = 8192
			b := s2.encode(data[8192:16384])
			// Two single-chunk bodies glued: the second chunk is signed
			// with the seed, not with the first chunk's signature.
			first := a[:bytes.Index(a, []byte("\r\n0;"))+2]
			return append(append([]byte{}, first...), b...)
		}, sigv4.SignatureDoesNotMatch, 2 * 8192},
		{"truncated in data", func(seed string) []byte { return encode(seed)[:20000] }, sigv4.IncompleteBody, 20000},
		{"truncated before final chunk", func(seed string) []byte {
			b := encode(seed)
			return b[:bytes.LastIndex(b, []byte("0;chunk-signature"))]
		}, sigv4.IncompleteBody, len(data)},
		{"truncated in header", func(seed string) []byte {
			b := encode(seed)
			return b[:bytes.LastIndex(b, []byte("0;chunk-signature"))+10]
		}, sigv4.IncompleteBody, len(data)},
		{"no CRLF after data", func(seed string) []byte {
			b := encode(seed)
			i := bytes.Index(b, []byte("\r\n")) + 2 + 8192
			b[i] = 'x'
			return b
		}, sigv4.InvalidChunk, 8192},
		{"size not hex", func(seed string) []byte {
			b := encode(seed)
			b[0] = 'g'
			return b
		}, sigv4.InvalidChunk, 0},
		{"no chunk-signature", func(seed string) []byte {
			b := encode(seed)
			copy(b[bytes.IndexByte(b, ';'):], "x")
			return b
		}, sigv4.InvalidChunk, 0},
		{"huge chunk", func(seed string) []byte {
			b := encode(seed)
			return append([]byte("FFFFFFFFFFFF;chunk-signature="+strings.Repeat("0", 64)+"\r\n"), b[20:]...)
		}, sigv4.InvalidChunk, 0},
		{"endless header line", func(seed string) []byte {
			return append([]byte("1"), bytes.Repeat([]byte("0"), 1<<20)...)
		}, sigv4.InvalidChunk, 0},
		{"bare LF", func(seed string) []byte {
			b := encode(seed)
			i := bytes.Index(b, []byte("\r\n"))
			return append(b[:i], b[i+1:]...)
		}, sigv4.InvalidChunk, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := streamingRequest(t, sigv4.StreamingPayload, len(data), encode, "")
			r.Body = io.NopCloser(bytes.NewReader(tt.tamper(sigFromAuthorization(r.Header.Get("Authorization")))))
			res := verifyBody(t, r)
			got, err := io.ReadAll(res.Body)
			if errCode(err) != tt.code {
				t.Fatalf("read %d bytes, error %v; want code %s", len(got), err, tt.code)
			}
			if len(got) > tt.readBefore {
				t.Errorf("read %d bytes before the error, want at most %d", len(got), tt.readBefore)
			}
			if tt.name != "data byte" && !bytes.Equal(got, data[:len(got)]) {
				t.Error("data read before the error differs from the original")
			}
			if _, err2 := res.Body.Read(make([]byte, 10)); errCode(err2) != tt.code {
				t.Errorf("the error is not sticky: %v", err2)
			}
			if res.Trailer() != nil {
				t.Error("Trailer() is not nil after an error")
			}
		})
	}
}

func TestChunkedDecodedLength(t *testing.T) {
	data := testData(10000)
	encode := func(seed string) []byte { return seedSigner(seed).encode(data) }
	for _, tc := range []struct {
		declared int
		code     sigv4.Code
	}{
		{-1, ""}, {10000, ""}, {9999, sigv4.InvalidChunk}, {10001, sigv4.IncompleteBody},
	} {
		r := streamingRequest(t, sigv4.StreamingPayload, tc.declared, encode, "")
		res := verifyBody(t, r)
		if res.DecodedContentLength != int64(tc.declared) {
			t.Errorf("declared %d: DecodedContentLength = %d", tc.declared, res.DecodedContentLength)
		}
		if _, err := io.ReadAll(res.Body); errCode(err) != tc.code {
			t.Errorf("declared %d: %v, want code %q", tc.declared, err, tc.code)
		}
	}

	r := streamingRequest(t, sigv4.StreamingPayload, 0, encode, "")
	r.Header.Set("X-Amz-Decoded-Content-Length", "many")
	if _, _, err := parseVerify(newVerifier(testTime), r, testSecret, nil); errCode(err) == "" {
		t.Error("accepted a malformed X-Amz-Decoded-Content-Length")
	}
}

func crc32Trailer(data []byte) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], crc32.ChecksumIEEE(data))
	return base64.StdEncoding.EncodeToString(b[:])
}

func TestChunkedSignedTrailer(t *testing.T) {
	data := testData(70000)
	checksum := crc32Trailer(data)
	encode := func(seed string) []byte {
		return seedSigner(seed).encode(data, "x-amz-checksum-crc32:"+checksum)
	}
	r := streamingRequest(t, sigv4.StreamingPayloadTrailer, len(data), encode, "x-amz-checksum-crc32")
	res := verifyBody(t, r)
	got, err := io.ReadAll(res.Body)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	tr := res.Trailer()
	if tr.Get("X-Amz-Checksum-Crc32") != checksum || len(tr) != 1 {
		t.Errorf("Trailer() = %v, want x-amz-checksum-crc32: %s only", tr, checksum)
	}

	for _, tt := range []struct {
		name string
		body func(seed string) []byte
		code sigv4.Code
	}{
		{"value changed", func(seed string) []byte {
			return bytes.Replace(encode(seed), []byte(checksum), []byte("AAAAAA=="), 1)
		}, sigv4.SignatureDoesNotMatch},
		{"signature changed", func(seed string) []byte {
			b := encode(seed)
			i := bytes.Index(b, []byte("x-amz-trailer-signature:")) + len("x-amz-trailer-signature:")
			b[i] ^= 1
			return b
		}, sigv4.SignatureDoesNotMatch},
		{"signature missing", func(seed string) []byte {
			b := encode(seed)
			i := bytes.Index(b, []byte("x-amz-trailer-signature:"))
			return append(b[:i:i], "\r\n"...)
		}, sigv4.IncompleteSignature},
		{"malformed line", func(seed string) []byte {
			return bytes.Replace(encode(seed), []byte("x-amz-checksum-crc32:"), []byte("x-amz-checksum-crc32 "), 1)
		}, sigv4.InvalidChunk},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := streamingRequest(t, sigv4.StreamingPayloadTrailer, len(data), encode, "x-amz-checksum-crc32")
			r.Body = io.NopCloser(bytes.NewReader(tt.body(sigFromAuthorization(r.Header.Get("Authorization")))))
			res := verifyBody(t, r)
			if _, err := io.ReadAll(res.Body); errCode(err) != tt.code {
				t.Fatalf("%v, want code %s", err, tt.code)
			}
			if res.Trailer() != nil {
				t.Error("Trailer() is not nil after an error")
			}
		})
	}
}

func TestChunkedUnsignedTrailer(t *testing.T) {
	data := testData(150000)
	checksum := crc32Trailer(data)
	encode := func(string) []byte {
		s := &chunkSigner{unsigned: true}
		return s.encode(data, "x-amz-checksum-crc32:"+checksum)
	}
	r := streamingRequest(t, sigv4.StreamingUnsignedPayloadTrailer, len(data), encode, "x-amz-checksum-crc32")
	res := verifyBody(t, r)
	if res.Trailer() != nil {
		t.Error("Trailer() before EOF is not nil")
	}
	got, err := io.ReadAll(res.Body)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	if tr := res.Trailer(); tr.Get("X-Amz-Checksum-Crc32") != checksum {
		t.Errorf("Trailer() = %v", tr)
	}

	// The forms clients write: chunk extensions, the trailer section ended
	// by the end of the body rather than an empty line, and no trailer.
	for _, body := range []string{
		"5;ext=1\r\nhello\r\n0\r\nx-amz-checksum-crc32:" + crc32Trailer([]byte("hello")) + "\r\n\r\n",
		"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:" + crc32Trailer([]byte("hello")) + "\r\n",
		"5\r\nhello\r\n0\r\n\r\n",
	} {
		r := streamingRequest(t, sigv4.StreamingUnsignedPayloadTrailer, 5, func(string) []byte { return []byte(body) }, "x-amz-checksum-crc32")
		res := verifyBody(t, r)
		if got, err := io.ReadAll(res.Body); err != nil || string(got) != "hello" {
			t.Errorf("%q: read %q, %v", body, got, err)
		}
		if want := crc32Trailer([]byte("hello")); strings.Contains(body, want) && res.Trailer().Get("X-Amz-Checksum-Crc32") != want {
			t.Errorf("%q: Trailer() = %v", body, res.Trailer())
		}
	}

	// The unsigned trailer is not covered by any signature, but framing is
	// still checked.
	for _, body := range []string{
		"5\r\nhello\r\n",          // no final chunk
		"5\r\nhel",                // truncated
		"5\r\nhelloXX0\r\n\r\n",   // no CRLF after data
		"z\r\nhello\r\n0\r\n\r\n", // bad size
		"5\r\nhello\r\n0\r\nno-colon\r\n\r\n",
	} {
		r := streamingRequest(t, sigv4.StreamingUnsignedPayloadTrailer, -1, func(string) []byte { return []byte(body) }, "")
		res := verifyBody(t, r)
		if _, err := io.ReadAll(res.Body); errCode(err) != sigv4.IncompleteBody && errCode(err) != sigv4.InvalidChunk {
			t.Errorf("%q: %v", body, err)
		}
	}
}

// TestChunkedMemory checks that decoding does not buffer chunks: reading a
// body of 4 MiB chunks allocates far less than a chunk.
func TestChunkedMemory(t *testing.T) {
	data := testData(8 << 20)
	encode := func(seed string) []byte {
		s := seedSigner(seed)
		s.chunkSize = 4 << 20
		return s.encode(data)
	}
	r := streamingRequest(t, sigv4.StreamingPayload, len(data), encode, "")
	v := newVerifier(testTime)
	buf := make([]byte, 32<<10)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, res, err := parseVerify(v, r, testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{res.Body}, buf)
	runtime.ReadMemStats(&after)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("copied %d bytes, %v", n, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<10 {
		t.Errorf("decoding allocated %d bytes", alloc)
	}
}
