package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"strings"
)

// Values of x-amz-content-sha256 other than a hex SHA-256.
const (
	UnsignedPayload                 = "UNSIGNED-PAYLOAD"
	StreamingPayload                = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingPayloadTrailer         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// sha256 of the empty string, hex-encoded.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

type payloadKind int

const (
	payloadGiven           payloadKind = iota // the caller read the body
	payloadHashed                             // streamed, hash in x-amz-content-sha256
	payloadUnsigned                           // UNSIGNED-PAYLOAD
	payloadChunked                            // STREAMING-AWS4-HMAC-SHA256-PAYLOAD
	payloadChunkedTrailer                     // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
	payloadUnsignedTrailer                    // STREAMING-UNSIGNED-PAYLOAD-TRAILER
)

// A payload describes the last line of the canonical request and how to
// check the body against it.
type payload struct {
	kind payloadKind
	// literal is the payload hash as the client put it in the canonical
	// request, unless useSum is set; then it is hex(sum).
	literal string
	useSum  bool
	sum     [sha256.Size]byte // SHA-256 of the body given, or the one expected
	// check: after the signature matches, literal must be hex(sum).
	check bool
}

func (p *payload) appendHash(dst []byte) []byte {
	if p.useSum {
		return hex.AppendEncode(dst, p.sum[:])
	}
	return append(dst, p.literal...)
}

// choosePayload works out the payload hash for sig. See Verify.
func choosePayload(sig *Signature, body []byte) (payload, error) {
	h := sig.PayloadHash
	if body != nil {
		p := payload{kind: payloadGiven, sum: sha256.Sum256(body)}
		switch h {
		case "":
			p.useSum = true
		case UnsignedPayload:
			p.literal = h
		default:
			p.literal, p.check = h, true
		}
		return p, nil
	}
	switch h {
	case "":
		if sig.Presigned {
			return payload{kind: payloadUnsigned, literal: UnsignedPayload}, nil
		}
		return payload{}, newError(InvalidContentSHA256,
			"Missing required header for this request: x-amz-content-sha256.")
	case UnsignedPayload:
		return payload{kind: payloadUnsigned, literal: h}, nil
	case StreamingPayload:
		return payload{kind: payloadChunked, literal: h}, nil
	case StreamingPayloadTrailer:
		return payload{kind: payloadChunkedTrailer, literal: h}, nil
	case StreamingUnsignedPayloadTrailer:
		return payload{kind: payloadUnsignedTrailer, literal: h}, nil
	}
	if sum, ok := decodeHex32(h); ok {
		return payload{kind: payloadHashed, literal: h, sum: sum}, nil
	}
	if strings.HasPrefix(h, "STREAMING-AWS4-ECDSA-P256-SHA256-") {
		return payload{}, newError(UnsupportedAlgorithm,
			"SigV4a (AWS4-ECDSA-P256-SHA256) streaming payloads are not supported.")
	}
	return payload{}, newError(InvalidContentSHA256,
		"x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "+
			"STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "+
			"or a valid sha256 value.")
}

// matchesBody reports whether the literal payload hash is the SHA-256 of
// the body the caller gave.
func (p *payload) matchesBody() bool {
	want, ok := decodeHex32(p.literal)
	return ok && want == p.sum
}

// decodeHex32 decodes 64 hex digits, of either case.
func decodeHex32[S string | []byte](s S) (b [sha256.Size]byte, ok bool) {
	if len(s) != 2*len(b) {
		return b, false
	}
	for i := range b {
		hi, lo := s[2*i], s[2*i+1]
		if !isHex(hi) || !isHex(lo) {
			return b, false
		}
		b[i] = unhex(hi)<<4 | unhex(lo)
	}
	return b, true
}

// A hashedBody passes a body through and fails at its end if the body's
// SHA-256 is not the expected one.
type hashedBody struct {
	body io.ReadCloser
	h    hash.Hash
	want [sha256.Size]byte
	got  [sha256.Size]byte
	err  error // sticky end-of-body result
}

func newHashedBody(body io.ReadCloser, want [sha256.Size]byte) *hashedBody {
	return &hashedBody{body: body, h: sha256.New(), want: want}
}

func (b *hashedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.body.Read(p)
	b.h.Write(p[:n])
	if err == io.EOF {
		if b.h.Sum(b.got[:0]); b.got != b.want {
			err = newError(ContentSHA256Mismatch, msgContentSHA256Mismatch)
		}
		b.err = err
	}
	return n, err
}

func (b *hashedBody) Close() error { return b.body.Close() }
