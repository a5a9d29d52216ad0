package s3

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
)

// Checksum algorithms S3 validates, stores and returns.
const (
	algCRC32     = "CRC32"
	algCRC32C    = "CRC32C"
	algCRC64NVME = "CRC64NVME"
	algSHA1      = "SHA1"
	algSHA256    = "SHA256"
)

// Checksum types.
const (
	fullObject = "FULL_OBJECT"
	composite  = "COMPOSITE"
)

// castagnoli is the CRC-32C table; computed once and only read.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// newChecksum returns a hash for alg, or nil for an algorithm S3 does not know.
func newChecksum(alg string) hash.Hash {
	switch alg {
	case algCRC32:
		return crc32.NewIEEE()
	case algCRC32C:
		return crc32.New(castagnoli)
	case algCRC64NVME:
		return newCRC64NVME()
	case algSHA1:
		return sha1.New()
	case algSHA256:
		return sha256.New()
	}
	return nil
}

// isCRC reports whether alg is a CRC, which S3 can combine into a full-object checksum.
func isCRC(alg string) bool { return alg == algCRC32 || alg == algCRC32C || alg == algCRC64NVME }

// checksumHeader is the header that carries a checksum of alg.
func checksumHeader(alg string) string { return "x-amz-checksum-" + strings.ToLower(alg) }

// ChecksumHeaders are the x-amz-checksum-* headers of a request or response.
type ChecksumHeaders struct {
	CRC32     string `header:"x-amz-checksum-crc32" xml:"ChecksumCRC32,omitempty"`
	CRC32C    string `header:"x-amz-checksum-crc32c" xml:"ChecksumCRC32C,omitempty"`
	CRC64NVME string `header:"x-amz-checksum-crc64nvme" xml:"ChecksumCRC64NVME,omitempty"`
	SHA1      string `header:"x-amz-checksum-sha1" xml:"ChecksumSHA1,omitempty"`
	SHA256    string `header:"x-amz-checksum-sha256" xml:"ChecksumSHA256,omitempty"`
}

// get returns the value given for alg.
func (c *ChecksumHeaders) get(alg string) string {
	switch alg {
	case algCRC32:
		return c.CRC32
	case algCRC32C:
		return c.CRC32C
	case algCRC64NVME:
		return c.CRC64NVME
	case algSHA1:
		return c.SHA1
	case algSHA256:
		return c.SHA256
	}
	return ""
}

// set sets the value of alg.
func (c *ChecksumHeaders) set(alg, value string) {
	switch alg {
	case algCRC32:
		c.CRC32 = value
	case algCRC32C:
		c.CRC32C = value
	case algCRC64NVME:
		c.CRC64NVME = value
	case algSHA1:
		c.SHA1 = value
	case algSHA256:
		c.SHA256 = value
	}
}

// given returns the one algorithm whose header was sent, and its value.
func (c *ChecksumHeaders) given() (alg, value string, err error) {
	for _, a := range []string{algCRC32, algCRC32C, algCRC64NVME, algSHA1, algSHA256} {
		if v := c.get(a); v != "" {
			if alg != "" {
				return "", "", errInvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
			}
			alg, value = a, v
		}
	}
	return alg, value, nil
}

// checksumFor returns the checksum headers that report alg = value.
func checksumFor(alg, value string) ChecksumHeaders {
	var c ChecksumHeaders
	c.set(alg, value)
	return c
}

// IntegrityHeaders are the headers with which a client asks S3 to check a body.
type IntegrityHeaders struct {
	ContentMD5 string `header:"Content-MD5"`
	// SDKChecksumAlgorithm names the algorithm of a checksum sent in a header or trailer.
	SDKChecksumAlgorithm string `header:"x-amz-sdk-checksum-algorithm"`
	// Trailer names the trailing header of an aws-chunked body that carries the checksum.
	Trailer string `header:"x-amz-trailer"`
	ChecksumHeaders
}

// checksumPlan says which checksum to compute over a body and what it must equal.
type checksumPlan struct {
	alg     string // "" computes none
	want    string // base64 value from a header; "" when none was sent
	trailer string // the trailer that carries the value, when the body has one
	md5     []byte // Content-MD5, decoded; nil when none was sent
}

// plan reads the integrity headers of a request. defaultAlg is computed when the client
// sends no checksum.
func (h *IntegrityHeaders) plan(defaultAlg string) (checksumPlan, error) {
	var p checksumPlan
	if h.ContentMD5 != "" {
		sum, err := base64.StdEncoding.DecodeString(h.ContentMD5)
		if err != nil || len(sum) != md5.Size {
			return p, errInvalidDigest()
		}
		p.md5 = sum
	}
	alg, value, err := h.given()
	if err != nil {
		return p, err
	}
	if alg != "" {
		if !validChecksum(alg, value) {
			return p, errInvalidRequest("Value for " + checksumHeader(alg) + " header is invalid.")
		}
		p.alg, p.want = alg, value
	}
	if t := strings.ToLower(strings.TrimSpace(h.Trailer)); t != "" {
		talg, ok := strings.CutPrefix(t, "x-amz-checksum-")
		talg = strings.ToUpper(talg)
		if !ok || newChecksum(talg) == nil {
			return p, errInvalidRequest("The value specified in the x-amz-trailer header is not supported")
		}
		if p.alg != "" {
			return p, errInvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		p.alg, p.trailer = talg, t
	}
	if sdk := strings.ToUpper(h.SDKChecksumAlgorithm); sdk != "" {
		if newChecksum(sdk) == nil {
			return p, errInvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
		}
		if p.alg == "" {
			return p, errInvalidRequest("x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		}
		if sdk != p.alg {
			return p, errInvalidRequest("Value for x-amz-sdk-checksum-algorithm header is invalid.")
		}
	}
	if p.alg == "" {
		p.alg = defaultAlg
	}
	return p, nil
}

// validChecksum reports whether value is a well-formed base64 checksum of alg.
func validChecksum(alg, value string) bool {
	raw, err := base64.StdEncoding.DecodeString(value)
	return err == nil && len(raw) == newChecksum(alg).Size()
}

// verify checks the body's digests against what the client sent: the md5 and checksum
// computed, and the trailer read after the body.
func (p *checksumPlan) verify(md5sum []byte, checksum string, trailer http.Header) error {
	if p.md5 != nil && string(p.md5) != string(md5sum) {
		return errBadDigest("The Content-MD5 you specified did not match what we received.")
	}
	want := p.want
	if p.trailer != "" {
		want = trailer.Get(p.trailer)
		if want == "" {
			return errInvalidRequest("The x-amz-trailer header named " + p.trailer + " but the body carried no such trailer.")
		}
		if !validChecksum(p.alg, want) {
			return errInvalidRequest("Value for " + p.trailer + " trailing header is invalid.")
		}
	}
	if want != "" && want != checksum {
		return errBadDigest("The " + p.alg + " you specified did not match the calculated checksum.")
	}
	return nil
}

// encodeSum renders a digest as S3 does: base64.
func encodeSum(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }

// compositeChecksum is the checksum of a multipart object whose parts carry checksums of
// alg: the checksum of their concatenated raw values, with "-<parts>".
func compositeChecksum(alg string, parts []string) (string, error) {
	h := newChecksum(alg)
	for _, p := range parts {
		raw, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			return "", err
		}
		h.Write(raw)
	}
	return encodeSum(h.Sum(nil)) + "-" + strconv.Itoa(len(parts)), nil
}

// checkDocument verifies a request document (DeleteObjects, PutBucketPolicy, …) against
// its Content-MD5 or x-amz-checksum-* header or trailer.
func checkDocument(r *http.Request, body []byte, trailer http.Header) error {
	h := IntegrityHeaders{
		ContentMD5:           r.Header.Get("Content-MD5"),
		SDKChecksumAlgorithm: r.Header.Get("x-amz-sdk-checksum-algorithm"),
		Trailer:              r.Header.Get("x-amz-trailer"),
	}
	for _, alg := range []string{algCRC32, algCRC32C, algCRC64NVME, algSHA1, algSHA256} {
		h.set(alg, r.Header.Get(checksumHeader(alg)))
	}
	p, err := h.plan("")
	if err != nil {
		return err
	}
	sum := md5.Sum(body)
	var checksum string
	if p.alg != "" {
		c := newChecksum(p.alg)
		c.Write(body)
		checksum = encodeSum(c.Sum(nil))
	}
	return p.verify(sum[:], checksum, trailer)
}
