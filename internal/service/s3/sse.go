package s3

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// KMS is how S3 reaches AWS KMS for SSE-KMS: on behalf of the principal in ctx, as S3
// calling KMS (kms:ViaService s3.<region>.amazonaws.com), through KMS's own operations and
// authorization. Its errors are KMS's (*operation.Error).
type KMS interface {
	GenerateDataKey(ctx context.Context, keyID string, encryptionContext map[string]string) (DataKey, error)
	Decrypt(ctx context.Context, ciphertext []byte, encryptionContext map[string]string) ([]byte, error)
}

// DataKey is a data key KMS made: in the clear, and encrypted under KeyARN.
type DataKey struct {
	Plaintext  []byte
	Ciphertext []byte
	KeyARN     string
}

// Server-side encryption algorithms.
const (
	sseS3   = "AES256"
	sseKMS  = "aws:kms"
	sseDSSE = "aws:kms:dsse"
	// managedKey is the account's AWS managed key of S3.
	managedKey = "alias/aws/s3"
)

// kmsError turns KMS's answer into S3's: KMS's denial is S3's AccessDenied with KMS's
// message; its other errors keep their code behind "KMS.".
func kmsError(err error) error {
	var e *operation.Error
	if !errors.As(err, &e) {
		return err
	}
	if e.Code == "AccessDeniedException" {
		return s3Error(http.StatusForbidden, "AccessDenied", e.Message)
	}
	status := e.Status
	if status >= 500 {
		return s3Error(status, "KMS."+e.Code, e.Message)
	}
	return s3Error(http.StatusBadRequest, "KMS."+e.Code, e.Message)
}

// sseRequest is the encryption a write asks for, from its headers or the bucket's default.
type sseRequest struct {
	algorithm  string // AES256, aws:kms, aws:kms:dsse
	keyID      string // as given; "" for the AWS managed key
	context    string // x-amz-server-side-encryption-context as given
	bucketKey  bool
	fromBucket bool
}

// sseFor decides a write's encryption from its headers and the bucket's default.
func sseFor(h *WriteHeaders, b *store.Bucket) (sseRequest, error) {
	r := sseRequest{algorithm: h.ServerSideEncryption, keyID: h.SSEKMSKeyID, context: h.SSEContext,
		bucketKey: strings.EqualFold(h.BucketKeyEnabled, "true")}
	if r.algorithm == "" && b.Encryption != nil {
		r = sseRequest{algorithm: b.Encryption.Algorithm, keyID: b.Encryption.KMSKeyID, context: h.SSEContext,
			bucketKey: b.Encryption.BucketKeyEnabled, fromBucket: true}
		if h.BucketKeyEnabled != "" {
			r.bucketKey = strings.EqualFold(h.BucketKeyEnabled, "true")
		}
	}
	if r.algorithm == "" {
		r.algorithm = sseS3
	}
	if r.algorithm == sseS3 && (h.SSEKMSKeyID != "" || h.SSEContext != "") {
		return r, errInvalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
			"x-amz-server-side-encryption-aws-kms-key-id", h.SSEKMSKeyID)
	}
	return r, nil
}

func (r sseRequest) kms() bool { return r.algorithm == sseKMS || r.algorithm == sseDSSE }

// encryptionContext is what S3 gives KMS: the object's ARN (the bucket's, with an S3
// Bucket Key) and the caller's own pairs.
func (r sseRequest) encryptionContext(bucket, key string) (map[string]string, string, error) {
	ec := map[string]string{}
	if r.context != "" {
		raw, err := base64.StdEncoding.DecodeString(r.context)
		if err == nil {
			err = json.Unmarshal(raw, &ec)
		}
		if err != nil {
			return nil, "", errInvalidArgument("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map",
				"x-amz-server-side-encryption-context", r.context)
		}
	}
	if r.bucketKey {
		ec["aws:s3:arn"] = bucketARN(bucket)
	} else {
		ec["aws:s3:arn"] = objectARN(bucket, key)
	}
	raw, _ := json.Marshal(ec)
	return ec, base64.StdEncoding.EncodeToString(raw), nil
}

// sealer encrypts an object's bytes on their way to disk.
type sealer struct {
	enc  store.Encryption
	aead cipher.AEAD
	head []byte // written before the chunks (a part's salt)
}

// newSealer asks KMS for the object's data key as the caller and returns what encrypts
// its bytes; nil for objects kept as they came (SSE-S3).
func (s *Service) newSealer(ctx context.Context, r sseRequest, bucket, key string) (*sealer, error) {
	if !r.kms() {
		return nil, nil
	}
	if s.kms == nil {
		return nil, errNotImplemented("Server-side encryption with KMS keys needs Cairn's KMS, which this server was started without.")
	}
	ec, ecText, err := r.encryptionContext(bucket, key)
	if err != nil {
		return nil, err
	}
	keyID := r.keyID
	if keyID == "" {
		keyID = managedKey
	}
	dk, err := s.kms.GenerateDataKey(ctx, keyID, ec)
	if err != nil {
		return nil, kmsError(err)
	}
	aead, err := dataKeyAEAD(dk.Plaintext)
	clear(dk.Plaintext)
	if err != nil {
		return nil, err
	}
	return &sealer{enc: store.Encryption{Algorithm: r.algorithm, KeyARN: dk.KeyARN, Context: ecText, BucketKeyEnabled: r.bucketKey,
		DataKey: dk.Ciphertext}, aead: aead}, nil
}

func dataKeyAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("s3: data key: %w", err)
	}
	return cipher.NewGCM(block)
}

// dataKey is the plaintext data key of e: KMS decrypts it, as the caller.
func (s *Service) dataKey(ctx context.Context, e store.Encryption) ([]byte, error) {
	if s.kms == nil {
		return nil, errNotImplemented("This object is encrypted with a KMS key and this server was started without Cairn's KMS.")
	}
	ec := map[string]string{}
	raw, err := base64.StdEncoding.DecodeString(e.Context)
	if err == nil {
		err = json.Unmarshal(raw, &ec)
	}
	if err != nil {
		return nil, fmt.Errorf("s3: stored encryption context: %w", err)
	}
	key, err := s.kms.Decrypt(ctx, e.DataKey, ec)
	if err != nil {
		return nil, kmsError(err)
	}
	return key, nil
}

// opener decrypts an object's bytes: KMS decrypts its data key, as the caller.
func (s *Service) opener(ctx context.Context, e store.Encryption) (cipher.AEAD, error) {
	key, err := s.dataKey(ctx, e)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return dataKeyAEAD(key)
}

// The parts of an SSE-KMS multipart upload are each sealed in the chunk format of an
// object, under a key of their own derived from the upload's data key and a random salt
// that heads the part's blob: a part uploaded again never reuses a key and nonce, and
// the object's own chunks (under the data key itself) never share one with a part.
const partSaltSize = 32

func partAEAD(dataKey, salt []byte) (cipher.AEAD, error) {
	m := hmac.New(sha256.New, dataKey)
	m.Write([]byte("cairn s3 multipart part\x00"))
	m.Write(salt)
	k := m.Sum(nil)
	defer clear(k)
	return dataKeyAEAD(k)
}

// Objects encrypted with SSE-KMS are kept in chunks of chunkSize bytes, each sealed with
// AES-256-GCM under the object's data key: a nonce made of the chunk's index, and the
// index with a last-chunk flag as associated data, so chunks cannot be reordered, dropped
// or truncated unseen. A range reads only the chunks it covers.
const (
	chunkSize = 64 << 10
	chunkTag  = 16
)

// sealedSize is the size on disk of an object of size bytes.
func sealedSize(size int64) int64 {
	return size + (size+chunkSize-1)/chunkSize*chunkTag
}

func chunkNonce(i int64) []byte {
	n := make([]byte, 12)
	binary.BigEndian.PutUint64(n[4:], uint64(i))
	return n
}

func chunkAD(i int64, last bool) []byte {
	ad := binary.BigEndian.AppendUint64(nil, uint64(i))
	if last {
		return append(ad, 1)
	}
	return append(ad, 0)
}

// sealingWriter encrypts what it is given into w, a chunk at a time. A full chunk is
// sealed only when more bytes follow, so Close knows the last one.
type sealingWriter struct {
	w     io.Writer
	aead  cipher.AEAD
	buf   []byte
	out   []byte
	index int64
}

func newSealingWriter(w io.Writer, aead cipher.AEAD) *sealingWriter {
	return &sealingWriter{w: w, aead: aead, buf: make([]byte, 0, chunkSize), out: make([]byte, 0, chunkSize+chunkTag)}
}

func (s *sealingWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(s.buf) == chunkSize {
			if err := s.flush(false); err != nil {
				return 0, err
			}
		}
		m := copy(s.buf[len(s.buf):chunkSize], p)
		s.buf = s.buf[:len(s.buf)+m]
		p = p[m:]
	}
	return n, nil
}

func (s *sealingWriter) flush(last bool) error {
	s.out = s.aead.Seal(s.out[:0], chunkNonce(s.index), s.buf, chunkAD(s.index, last))
	s.index++
	s.buf = s.buf[:0]
	_, err := s.w.Write(s.out)
	return err
}

// Close seals the last chunk.
func (s *sealingWriter) Close() error {
	if len(s.buf) == 0 && s.index == 0 {
		return nil
	}
	return s.flush(true)
}

// openingReader reads a range of a sealed object's plaintext.
type openingReader struct {
	r     *blob.Reader
	base  int64 // where the chunks start in r
	aead  cipher.AEAD
	size  int64 // the object's plaintext size
	pos   int64 // next plaintext offset
	end   int64 // end of the range
	chunk []byte
	at    int64 // index of the chunk in chunk; -1 for none
	raw   []byte
}

func newOpeningReader(r *blob.Reader, aead cipher.AEAD, size, start, length int64) *openingReader {
	return &openingReader{r: r, aead: aead, size: size, pos: start, end: start + length, at: -1,
		raw: make([]byte, chunkSize+chunkTag)}
}

func (o *openingReader) Read(p []byte) (int, error) {
	if o.pos >= o.end {
		return 0, io.EOF
	}
	i := o.pos / chunkSize
	if i != o.at {
		start := i * chunkSize
		n := min(int64(chunkSize), o.size-start)
		raw := o.raw[:n+chunkTag]
		if _, err := o.r.ReadAt(raw, o.base+i*(chunkSize+chunkTag)); err != nil && err != io.EOF {
			return 0, err
		}
		last := start+n == o.size
		plain, err := o.aead.Open(o.chunk[:0], chunkNonce(i), raw, chunkAD(i, last))
		if err != nil {
			return 0, fmt.Errorf("s3: object chunk %d does not authenticate: %w", i, err)
		}
		o.chunk, o.at = plain, i
	}
	off := o.pos - i*chunkSize
	m := copy(p, o.chunk[off:min(int64(len(o.chunk)), off+(o.end-o.pos))])
	o.pos += int64(m)
	return m, nil
}

func (o *openingReader) Close() error { return o.r.Close() }

// SSEHeaders are the SSE-KMS headers S3 answers with.
type SSEHeaders struct {
	SSEKMSKeyID      string `header:"x-amz-server-side-encryption-aws-kms-key-id"`
	SSEContext       string `header:"x-amz-server-side-encryption-context"`
	BucketKeyEnabled string `header:"x-amz-server-side-encryption-bucket-key-enabled"`
}

// sseHeaders are the encryption headers of an object.
func sseHeaders(e store.Encryption) (string, SSEHeaders) {
	if len(e.DataKey) == 0 {
		return sseS3, SSEHeaders{}
	}
	h := SSEHeaders{SSEKMSKeyID: e.KeyARN}
	if e.BucketKeyEnabled {
		h.BucketKeyEnabled = "true"
	}
	return e.Algorithm, h
}

// batchChunks is how many chunks WriteTo reads from disk at once.
const batchChunks = 16

// WriteTo decrypts the rest of the range into w, reading the blob a batch of chunks at a
// time and writing each chunk's plaintext straight from where it was opened.
func (o *openingReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	// Finish a chunk already opened by Read.
	if o.at >= 0 && o.pos < o.end && o.pos/chunkSize == o.at {
		n, err := o.writeChunkPart(w)
		total += n
		if err != nil {
			return total, err
		}
	}
	stride := int64(chunkSize + chunkTag)
	batch := make([]byte, batchChunks*stride)
	for o.pos < o.end {
		first := o.pos / chunkSize
		lastChunk := (o.end - 1) / chunkSize
		count := min(int64(batchChunks), lastChunk-first+1)
		start := first * stride
		size := min(count*stride, sealedSize(o.size)-start)
		raw := batch[:size]
		if _, err := o.r.ReadAt(raw, o.base+start); err != nil && err != io.EOF {
			return total, err
		}
		for i := int64(0); i < count && o.pos < o.end; i++ {
			idx := first + i
			plainLen := min(int64(chunkSize), o.size-idx*chunkSize)
			sealed := raw[i*stride : i*stride+plainLen+chunkTag]
			plain, err := o.aead.Open(sealed[:0], chunkNonce(idx), sealed, chunkAD(idx, idx*chunkSize+plainLen == o.size))
			if err != nil {
				return total, fmt.Errorf("s3: object chunk %d does not authenticate: %w", idx, err)
			}
			off := o.pos - idx*chunkSize
			part := plain[off:min(int64(len(plain)), off+(o.end-o.pos))]
			n, err := w.Write(part)
			total += int64(n)
			o.pos += int64(n)
			if err != nil {
				return total, err
			}
		}
		o.at = -1
	}
	return total, nil
}

// writeChunkPart writes what is left of the opened chunk.
func (o *openingReader) writeChunkPart(w io.Writer) (int64, error) {
	off := o.pos - o.at*chunkSize
	part := o.chunk[off:min(int64(len(o.chunk)), off+(o.end-o.pos))]
	n, err := w.Write(part)
	o.pos += int64(n)
	return int64(n), err
}
