package sigv4

import (
	"net/http"
	"strconv"
	"strings"
)

// A canonicalForm selects among the ways a client may have canonicalized a
// request that the verifier accepts.
type canonicalForm struct {
	// rawPath: the path as received (S3), rather than normalized and
	// escaped again (every other service).
	rawPath bool
	// unnormalized: escape the path again but skip dot-segment removal, as
	// clients that do not normalize paths (aws-sdk-go-v2) sign it.
	unnormalized bool
	// omitToken: leave X-Amz-Security-Token out of the canonical query, as
	// clients that append the token to a presigned URL after signing do.
	omitToken bool
}

// appendCanonicalRequest appends the canonical request of r, without the
// payload hash line's value (the caller appends it).
func appendCanonicalRequest(dst []byte, r *http.Request, sig *Signature, form canonicalForm) []byte {
	dst = append(dst, r.Method...)
	dst = append(dst, '\n')
	if form.rawPath {
		dst = appendRawPath(dst, requestPath(r))
	} else {
		dst = appendNormalizedPath(dst, requestPath(r), !form.unnormalized)
	}
	dst = append(dst, '\n')
	dst = appendCanonicalQuery(dst, r.URL.RawQuery, sig.Presigned, form.omitToken)
	dst = append(dst, '\n')
	for _, name := range sig.SignedHeaders {
		dst = append(dst, name...)
		dst = append(dst, ':')
		dst = appendHeaderValue(dst, r, name)
		dst = append(dst, '\n')
	}
	dst = append(dst, '\n')
	for i, name := range sig.SignedHeaders {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, name...)
	}
	return append(dst, '\n')
}

// appendHeaderValue appends the canonical value of the header name: each
// value trimmed with inner runs of blanks collapsed, values joined by ','.
func appendHeaderValue(dst []byte, r *http.Request, name string) []byte {
	if strings.EqualFold(name, "host") {
		host := r.Host
		if host == "" {
			host = r.URL.Host
		}
		return appendTrimmed(dst, host)
	}
	values, ok := lookupHeader(r.Header, name)
	if !ok {
		// Go moves these out of the header map on requests it parses or
		// builds.
		switch {
		case strings.EqualFold(name, "content-length"):
			if r.ContentLength >= 0 {
				return strconv.AppendInt(dst, r.ContentLength, 10)
			}
		case strings.EqualFold(name, "transfer-encoding"):
			values = r.TransferEncoding
		}
	}
	for i, v := range values {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendTrimmed(dst, v)
	}
	return dst
}

// lookupHeader finds the values of the header name, compared without
// regard to case, without allocating.
func lookupHeader(h http.Header, name string) ([]string, bool) {
	var buf [64]byte
	if len(name) <= len(buf) {
		if v, ok := h[string(appendCanonicalKey(buf[:0], name))]; ok {
			return v, true
		}
	}
	// Keys Go did not canonicalize (those with bytes invalid in a token).
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// appendCanonicalKey appends name in the form net/textproto gives header
// keys: upper case at the start and after each '-', lower case elsewhere.
func appendCanonicalKey(dst []byte, name string) []byte {
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if upper && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		} else if !upper && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
		upper = c == '-'
	}
	return dst
}

// appendTrimmed appends v without leading and trailing white space and
// with each inner run of spaces replaced by one space (the spec's Trimall;
// like aws-sdk-go-v2 it leaves inner tabs alone).
func appendTrimmed(dst []byte, v string) []byte {
	for len(v) > 0 && isBlank(v[0]) {
		v = v[1:]
	}
	for len(v) > 0 && isBlank(v[len(v)-1]) {
		v = v[:len(v)-1]
	}
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if !space {
				dst = append(dst, ' ')
			}
			space = true
			continue
		}
		space = false
		dst = append(dst, c)
	}
	return dst
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
