package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"time"
)

// DefaultMaxSkew is the largest difference between a request's time and the
// clock that a Verifier accepts unless told otherwise, as in AWS.
const DefaultMaxSkew = 15 * time.Minute

// Options configure a Verifier.
type Options struct {
	// Now returns the current time. Servers pass their clock; nil means
	// time.Now.
	Now func() time.Time

	// MaxSkew is how far a request's time may be from Now: either way for
	// requests signed in the Authorization header, into the future for
	// presigned ones. Zero means DefaultMaxSkew.
	MaxSkew time.Duration

	// KeyCacheSize bounds the number of derived signing keys kept. Zero
	// means 1024; a negative value disables the cache.
	KeyCacheSize int
}

// A Verifier checks SigV4 signatures. It caches derived signing keys, and
// is safe for concurrent use.
type Verifier struct {
	now     func() time.Time
	maxSkew time.Duration
	keys    *signingKeyCache
}

// NewVerifier returns a Verifier configured by o.
func NewVerifier(o Options) *Verifier {
	v := &Verifier{now: o.Now, maxSkew: o.MaxSkew, keys: newSigningKeyCache(o.KeyCacheSize)}
	if v.now == nil {
		v.now = time.Now
	}
	if v.maxSkew <= 0 {
		v.maxSkew = DefaultMaxSkew
	}
	return v
}

// A Result describes a verified request.
type Result struct {
	// Body is nil when Verify was given the payload. Otherwise it reads the
	// request body: r.Body itself for UNSIGNED-PAYLOAD, a reader that fails
	// with a ContentSHA256Mismatch error in place of io.EOF for a hex
	// x-amz-content-sha256, and for aws-chunked bodies (the STREAMING-*
	// values) a decoder that yields the payload without its framing and
	// fails (with SignatureDoesNotMatch, InvalidChunk or IncompleteBody) as
	// soon as the framing or a chunk signature is found wrong. Data read
	// before an error must be discarded: only a read that ends in io.EOF
	// proves the whole body authentic. Closing Body closes r.Body.
	Body io.ReadCloser

	// DecodedContentLength is the length of the payload: the
	// X-Amz-Decoded-Content-Length header for aws-chunked bodies (-1 if
	// absent), else r.ContentLength.
	DecodedContentLength int64

	// Chunked reports an aws-chunked body. The caller should drop
	// "aws-chunked" from Content-Encoding before storing the object.
	Chunked bool

	chunked *chunkedReader
}

// Trailer returns the trailing headers of an aws-chunked body (those of
// STREAMING-UNSIGNED-PAYLOAD-TRAILER or
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER bodies, such as
// x-amz-checksum-crc32), once Body has returned io.EOF. It returns nil
// before that and for bodies of other kinds. Signed trailers are returned
// only once their signature is verified, and x-amz-trailer-signature is not
// among them. Checking the checksums they carry is the caller's business.
func (res *Result) Trailer() http.Header {
	if res.chunked == nil {
		return nil
	}
	return res.chunked.Trailer()
}

// Verify checks sig, which Parse extracted from r, against r, using the
// secret access key the caller looked up for sig.AccessKeyID. It also
// checks the request time against the clock.
//
// payload is the whole request body when the caller has already read it
// (the JSON and query protocols; an empty body is a non-nil empty slice):
// its SHA-256 is the payload hash, and if x-amz-content-sha256 was sent it
// must equal it (else a ContentSHA256Mismatch error; the value
// UNSIGNED-PAYLOAD is also accepted). Verify does not read r.Body then.
//
// A nil payload means the body is to be streamed (S3). The payload hash is
// then the x-amz-content-sha256 header, which must be present except on
// presigned requests (for which it defaults to UNSIGNED-PAYLOAD), and
// Result.Body reads the body accordingly.
//
// Errors are of type *Error. Presigned requests whose signature does not
// cover the X-Amz-Security-Token query parameter (clients that add the
// token after signing) are accepted; the caller checks the token anyway.
func (v *Verifier) Verify(r *http.Request, sig *Signature, secret string, payload []byte) (*Result, error) {
	if sig.V2 {
		return v.verifyV2(r, sig, secret, payload)
	}
	if err := v.checkTime(sig); err != nil {
		return nil, err
	}
	p, err := choosePayload(sig, payload)
	if err != nil {
		return nil, err
	}
	key := v.keys.key(secret, sig.Scope)
	seed, ok := v.match(r, sig, &key, &p)
	if !ok {
		return nil, errSignatureDoesNotMatch()
	}
	if p.check && !p.matchesBody() {
		return nil, newError(ContentSHA256Mismatch, msgContentSHA256Mismatch)
	}

	res := &Result{DecodedContentLength: r.ContentLength}
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	switch p.kind {
	case payloadGiven:
	case payloadUnsigned:
		res.Body = body
	case payloadHashed:
		res.Body = newHashedBody(body, p.sum)
	default:
		n, err := decodedLength(r)
		if err != nil {
			return nil, err
		}
		var cr *chunkedReader
		if p.kind == payloadUnsignedTrailer {
			cr = newUnsignedChunkedReader(body, n)
		} else {
			cr = newSignedChunkedReader(body, n, p.kind == payloadChunkedTrailer, key, sig, seed)
		}
		res.Body, res.chunked, res.Chunked, res.DecodedContentLength = cr, cr, true, n
	}
	return res, nil
}

// match reports whether the signature of r computed with key is sig's,
// trying each canonical form a client may have used, and returns it.
func (v *Verifier) match(r *http.Request, sig *Signature, key *[sha256.Size]byte, p *payload) ([sha256.Size]byte, bool) {
	var computed [sha256.Size]byte
	want, ok := decodeHex32(sig.Signature)
	if !ok {
		return computed, false
	}
	rawPath := rawPathService(sig.Scope.Service)
	tokenInQuery := sig.Presigned && hasQueryParam(r.URL.RawQuery, qSecurityToken)
	for _, form := range [...]canonicalForm{
		{rawPath: rawPath},
		{rawPath: rawPath, unnormalized: true},
		{rawPath: rawPath, omitToken: true},
		{rawPath: rawPath, unnormalized: true, omitToken: true},
	} {
		if form.unnormalized && (rawPath || !needsNormalization(requestPath(r))) ||
			form.omitToken && !tokenInQuery {
			continue
		}
		computed = signature(r, sig, key, p, form)
		if hmac.Equal(computed[:], want[:]) {
			return computed, true
		}
	}
	return computed, false
}

// signature computes the signature of r in the given canonical form.
func signature(r *http.Request, sig *Signature, key *[sha256.Size]byte, p *payload, form canonicalForm) [sha256.Size]byte {
	var crBuf [1024]byte
	cr := appendCanonicalRequest(crBuf[:0], r, sig, form)
	cr = p.appendHash(cr)
	crHash := sha256.Sum256(cr)

	var stsBuf [hmacScratch + 256]byte
	sts := append(stsBuf[:hmacScratch], Algorithm+"\n"...)
	sts = appendAmzDate(sts, sig.Date)
	sts = append(sts, '\n')
	sts = appendScope(sts, sig.Scope)
	sts = append(sts, '\n')
	sts = hex.AppendEncode(sts, crHash[:])
	return sum(key, sts)
}

// appendScope appends yyyymmdd/region/service/aws4_request.
func appendScope(dst []byte, s Scope) []byte {
	dst = append(dst, s.Date...)
	dst = append(dst, '/')
	dst = append(dst, s.Region...)
	dst = append(dst, '/')
	dst = append(dst, s.Service...)
	dst = append(dst, '/')
	return append(dst, scopeTerminator...)
}

// checkTime checks the request time against the clock.
func (v *Verifier) checkTime(sig *Signature) error {
	now := v.now()
	if sig.Date.After(now.Add(v.maxSkew)) {
		return newError(RequestTimeTooSkewed, "Signature not yet current: "+formatAmzDate(sig.Date)+
			" is still later than "+formatAmzDate(now.Add(v.maxSkew))+
			" ("+formatAmzDate(now)+" + "+skewMinutes(v.maxSkew)+" min.)")
	}
	if sig.Presigned {
		if now.After(sig.Date.Add(sig.Expires)) {
			return newError(RequestExpired, "Request has expired")
		}
		return nil
	}
	if sig.Date.Before(now.Add(-v.maxSkew)) {
		return newError(RequestTimeTooSkewed, "Signature expired: "+formatAmzDate(sig.Date)+
			" is now earlier than "+formatAmzDate(now.Add(-v.maxSkew))+
			" ("+formatAmzDate(now)+" - "+skewMinutes(v.maxSkew)+" min.)")
	}
	return nil
}

// decodedLength returns X-Amz-Decoded-Content-Length, or -1 if absent.
func decodedLength(r *http.Request) (int64, error) {
	s := firstHeader(r.Header, hdrDecodedLength)
	if s == "" {
		return -1, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, newError(InvalidChunk, "X-Amz-Decoded-Content-Length is not a valid length.")
	}
	return n, nil
}
