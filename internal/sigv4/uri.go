package sigv4

import (
	"net/http"
	"slices"
	"strings"
)

const upperHex = "0123456789ABCDEF"

// unreserved reports whether c is in the RFC 3986 unreserved set, the only
// bytes SigV4 leaves unescaped.
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// pathByte reports whether c may appear unescaped in a URI path (RFC 3986
// pchar or '/'), '%' excepted.
func pathByte(c byte) bool {
	if unreserved(c) {
		return true
	}
	switch c {
	case '/', ':', '@', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=':
		return true
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isUpperHex(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

func appendPercent(dst []byte, c byte) []byte {
	return append(dst, '%', upperHex[c>>4], upperHex[c&15])
}

// appendEscaped appends s with every byte but the unreserved ones (and '/'
// when keepSlash is set) percent-encoded.
func appendEscaped(dst []byte, s string, keepSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || c == '/' && keepSlash {
			dst = append(dst, c)
		} else {
			dst = appendPercent(dst, c)
		}
	}
	return dst
}

// requestPath returns the path of r as the client sent it, still escaped.
// It prefers r.RequestURI, which holds the request target verbatim, over
// r.URL, which Go has decoded and may re-encode differently.
func requestPath(r *http.Request) string {
	if u := r.RequestURI; u != "" && u[0] == '/' {
		if i := strings.IndexByte(u, '?'); i >= 0 {
			u = u[:i]
		}
		return u
	}
	if o := r.URL.Opaque; o != "" {
		// As aws-sdk-go-v2 does: "//host/path" or "/path".
		if i := strings.IndexByte(o, '?'); i >= 0 {
			o = o[:i]
		}
		o = strings.TrimPrefix(o, "//")
		if i := strings.IndexByte(o, '/'); i >= 0 {
			return o[i:]
		}
		return ""
	}
	return r.URL.EscapedPath()
}

// rawPathService reports whether service signs the path as sent, without
// normalization and with no second round of encoding: Amazon S3 and the
// services its clients sign for.
func rawPathService(service string) bool {
	switch service {
	case "s3", "s3-object-lambda", "s3-outposts", "s3express":
		return true
	}
	return false
}

// appendRawPath appends the canonical URI of an S3-style request: the path
// as received. Only bytes that cannot appear in a URI path at all (a space,
// non-ASCII, a '%' that starts no escape) are percent-encoded, so a path
// sent by a conforming client is kept byte for byte.
func appendRawPath(dst []byte, p string) []byte {
	if p == "" {
		return append(dst, '/')
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if pathByte(c) || c == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]) {
			dst = append(dst, c)
		} else {
			dst = appendPercent(dst, c)
		}
	}
	return dst
}

// needsNormalization reports whether p has empty, "." or ".." segments.
func needsNormalization(p string) bool {
	if p == "" || p[0] != '/' {
		return true
	}
	for i := 0; i < len(p); {
		j := i + 1
		for j < len(p) && p[j] != '/' {
			j++
		}
		switch seg := p[i+1 : j]; seg {
		case "":
			if j < len(p) {
				return true
			}
		case ".", "..":
			return true
		}
		i = j
	}
	return false
}

// appendNormalizedPath appends the canonical URI of a request to a service
// other than S3: the path as received with "." and ".." segments resolved
// and runs of slashes collapsed, then percent-encoded once more (so an
// escape "%20" on the wire becomes "%2520").
func appendNormalizedPath(dst []byte, p string, normalize bool) []byte {
	if !normalize || !needsNormalization(p) {
		if p == "" {
			return append(dst, '/')
		}
		return appendEscaped(dst, p, true)
	}
	var arr [32]string
	segs := arr[:0]
	trailing := false
	for s := p; ; {
		seg, next, more := strings.Cut(s, "/")
		switch seg {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, seg)
		}
		if !more {
			trailing = seg == "" || seg == "." || seg == ".."
			break
		}
		s = next
	}
	dst = append(dst, '/')
	for i, seg := range segs {
		if i > 0 {
			dst = append(dst, '/')
		}
		dst = appendEscaped(dst, seg, false)
	}
	if trailing && len(segs) > 0 {
		dst = append(dst, '/')
	}
	return dst
}

// A queryParam is one canonically encoded query parameter.
type queryParam struct{ key, value string }

// appendCanonicalQuery appends the canonical query string for rawQuery:
// each name and value decoded ('+' meaning space) and re-encoded with only
// unreserved bytes left as they are, sorted by name and then value. When
// presigned is set, X-Amz-Signature is left out; when omitToken is set,
// X-Amz-Security-Token is too.
func appendCanonicalQuery(dst []byte, rawQuery string, presigned, omitToken bool) []byte {
	if rawQuery == "" {
		return dst
	}
	var arr [16]queryParam
	params := arr[:0]
	for rest := rawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, v = canonicalQueryComponent(k), canonicalQueryComponent(v)
		if presigned && k == qSignature || omitToken && k == qSecurityToken {
			continue
		}
		params = append(params, queryParam{k, v})
	}
	slices.SortFunc(params, func(a, b queryParam) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	for i, p := range params {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.key...)
		dst = append(dst, '=')
		dst = append(dst, p.value...)
	}
	return dst
}

// canonicalQueryComponent returns the canonical encoding of a raw query
// name or value. It returns s itself when s is already canonical.
func canonicalQueryComponent(s string) string {
	if isCanonicalComponent(s) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			c = ' '
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		}
		if unreserved(c) {
			b = append(b, c)
		} else {
			b = appendPercent(b, c)
		}
	}
	return string(b)
}

// isCanonicalComponent reports whether decoding and re-encoding s would
// give s back.
func isCanonicalComponent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case unreserved(c):
		case c == '%' && i+2 < len(s) && isUpperHex(s[i+1]) && isUpperHex(s[i+2]) &&
			!unreserved(unhex(s[i+1])<<4|unhex(s[i+2])):
			i += 2
		default:
			return false
		}
	}
	return true
}
