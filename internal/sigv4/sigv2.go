package sigv4

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// S3's Signature Version 2 (HMAC-SHA1), which the AWS CLI v1 and boto3 still
// use for `aws s3 presign` and generate_presigned_url: the header form
// "Authorization: AWS AKID:signature" and the query form
// ?AWSAccessKeyId=…&Signature=…&Expires=…. It is accepted for S3 only: a
// signature of this kind always names the service "s3".

// Query parameter names of a SigV2 presigned URL, and the header prefix.
const (
	qV2AccessKeyID      = "AWSAccessKeyId"
	qV2Signature        = "Signature"
	qV2Expires          = "Expires"
	qV2SignatureVersion = "SignatureVersion" // SigV2 of the query services, not served
	v2AuthPrefix        = "AWS "
	hdrContentMD5       = "Content-Md5"
	hdrContentType      = "Content-Type"
	amzPrefix           = "x-amz-"
	v2SecurityToken     = "x-amz-security-token"
)

// v2Subresources are the query parameters that belong to the string to sign
// of S3's SigV2 (its canonicalized resource), as S3 and its clients list them.
var v2Subresources = map[string]bool{
	"accelerate": true, "acl": true, "analytics": true, "cors": true, "defaultObjectAcl": true,
	"delete": true, "inventory": true, "lifecycle": true, "location": true, "logging": true,
	"metrics": true, "notification": true, "object-lock": true, "partNumber": true, "policy": true,
	"replication": true, "requestPayment": true, "response-cache-control": true,
	"response-content-disposition": true, "response-content-encoding": true,
	"response-content-language": true, "response-content-type": true, "response-expires": true,
	"restore": true, "select": true, "select-type": true, "storageClass": true, "tagging": true,
	"torrent": true, "uploadId": true, "uploads": true, "versionId": true, "versioning": true,
	"versions": true, "website": true,
}

// parseHeaderV2 parses "AWS AKID:signature".
func parseHeaderV2(r *http.Request, auth string) (*Signature, error) {
	akid, signature, ok := strings.Cut(strings.TrimPrefix(auth, v2AuthPrefix), ":")
	akid, signature = strings.TrimSpace(akid), strings.TrimSpace(signature)
	if !ok || akid == "" || signature == "" {
		return nil, newError(IncompleteSignature, "AWS authorization header is invalid. Expected AwsAccessKeyId:signature")
	}
	sig := &Signature{AccessKeyID: akid, Signature: signature, V2: true, Scope: Scope{Service: "s3"},
		SessionToken: firstHeader(r.Header, hdrSecurityToken)}
	source, value := hdrAmzDate, firstHeader(r.Header, hdrAmzDate)
	if value == "" {
		source, value = hdrDate, firstHeader(r.Header, hdrDate)
	}
	if value == "" {
		return nil, newError(IncompleteSignature, "AWS authentication requires a valid Date or x-amz-date header")
	}
	t, err := http.ParseTime(value)
	if err != nil {
		var ok bool
		if t, ok = parseAmzDate(value); !ok {
			return nil, newError(IncompleteSignature, "AWS authentication requires a valid Date or x-amz-date header; "+source+" is not a date")
		}
	}
	sig.Date = t.UTC()
	return sig, nil
}

// parseQueryV2 parses ?AWSAccessKeyId=…&Signature=…&Expires=….
func parseQueryV2(r *http.Request) (*Signature, error) {
	var akid, signature, expires string
	var haveAKID, haveSignature, haveExpires bool
	for rest := r.URL.RawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		var dst *string
		var seen *bool
		switch {
		case rawKey == qV2AccessKeyID:
			dst, seen = &akid, &haveAKID
		case rawKey == qV2Signature:
			dst, seen = &signature, &haveSignature
		case rawKey == qV2Expires:
			dst, seen = &expires, &haveExpires
		default:
			continue
		}
		if *seen {
			return nil, newError(IncompleteSignature, "AWS query-string parameters must not repeat '"+rawKey+"'.")
		}
		*seen = true
		v, err := queryUnescape(rawValue)
		if err != nil {
			return nil, newError(IncompleteSignature, "AWS query-string parameter '"+rawKey+"' is not properly percent-encoded.")
		}
		*dst = v
	}
	if !haveAKID || !haveSignature || !haveExpires || akid == "" || signature == "" {
		return nil, newError(IncompleteSignature, "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
	}
	n, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || n < 0 {
		return nil, newError(IncompleteSignature, "Invalid date (should be seconds since epoch): "+expires)
	}
	sig := &Signature{AccessKeyID: akid, Signature: signature, V2: true, Presigned: true,
		Scope: Scope{Service: "s3"}, Date: time.Unix(n, 0).UTC(), v2Expires: expires}
	sig.SessionToken = firstHeader(r.Header, hdrSecurityToken)
	if q := queryToken(r.URL.RawQuery); q != "" {
		sig.SessionToken = q
	}
	return sig, nil
}

// queryToken returns the x-amz-security-token query parameter (any case), or "".
func queryToken(rawQuery string) string {
	for rest := rawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		k, v, _ := strings.Cut(pair, "=")
		if strings.EqualFold(k, v2SecurityToken) {
			if u, err := queryUnescape(v); err == nil {
				return u
			}
		}
	}
	return ""
}

// verifyV2 checks a SigV2 signature: the request time (header form) or the
// expiry (query form) against the clock, then the HMAC-SHA1 of the string to
// sign, compared in constant time. The body is not signed.
func (v *Verifier) verifyV2(r *http.Request, sig *Signature, secret string, payload []byte) (*Result, error) {
	now := v.now()
	if sig.Presigned {
		if now.After(sig.Date) {
			return nil, newError(RequestExpired, "Request has expired")
		}
	} else if err := v.checkTime(sig); err != nil {
		return nil, err
	}
	want, err := base64.StdEncoding.DecodeString(sig.Signature)
	if err != nil || len(want) != sha1.Size {
		return nil, errSignatureDoesNotMatch()
	}
	mac := hmac.New(sha1.New, []byte(secret))
	matched := false
	for _, date := range v2DateLines(r, sig) {
		mac.Reset()
		mac.Write(stringToSignV2(r, sig, date))
		if hmac.Equal(mac.Sum(nil), want) {
			matched = true
			break
		}
	}
	if !matched {
		return nil, errSignatureDoesNotMatch()
	}
	res := &Result{DecodedContentLength: r.ContentLength}
	if payload == nil {
		res.Body = r.Body
		if res.Body == nil {
			res.Body = http.NoBody
		}
	}
	return res, nil
}

// v2DateLines are the values the string to sign may carry on its date line:
// Expires for the query form; for the header form the Date header, or ""
// when x-amz-date is present (S3 then signs the date among the x-amz-
// headers), and the Date header too for clients that send both.
func v2DateLines(r *http.Request, sig *Signature) []string {
	if sig.Presigned {
		return []string{sig.v2Expires}
	}
	date := strings.TrimSpace(firstHeader(r.Header, hdrDate))
	if firstHeader(r.Header, hdrAmzDate) == "" {
		return []string{date}
	}
	if date == "" {
		return []string{""}
	}
	return []string{"", date}
}

// stringToSignV2 builds S3's SigV2 string to sign:
//
//	VERB \n Content-MD5 \n Content-Type \n date \n x-amz-headers resource
func stringToSignV2(r *http.Request, sig *Signature, date string) []byte {
	b := make([]byte, 0, 256)
	b = append(b, r.Method...)
	b = append(b, '\n')
	b = append(b, strings.TrimSpace(firstHeader(r.Header, hdrContentMD5))...)
	b = append(b, '\n')
	b = append(b, strings.TrimSpace(firstHeader(r.Header, hdrContentType))...)
	b = append(b, '\n')
	b = append(b, date...)
	b = append(b, '\n')
	b = appendAmzHeadersV2(b, r, sig.Presigned)
	return appendResourceV2(b, r, sig.VirtualBucket)
}

// appendAmzHeadersV2 appends the x-amz- headers, lower-cased and sorted, each
// "name:value\n" with repeated values joined by ','. For presigned requests
// the x-amz- query parameters count as headers, as clients put them there.
func appendAmzHeadersV2(b []byte, r *http.Request, presigned bool) []byte {
	values := map[string][]string{}
	for name, vs := range r.Header {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, amzPrefix) {
			continue
		}
		for _, v := range vs {
			values[lower] = append(values[lower], strings.TrimSpace(v))
		}
	}
	if presigned {
		for rest := r.URL.RawQuery; rest != ""; {
			var pair string
			pair, rest, _ = strings.Cut(rest, "&")
			k, v, _ := strings.Cut(pair, "=")
			lower := strings.ToLower(k)
			if !strings.HasPrefix(lower, amzPrefix) {
				continue
			}
			if u, err := queryUnescape(v); err == nil {
				values[lower] = append(values[lower], strings.TrimSpace(u))
			}
		}
	}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b = append(b, name...)
		b = append(b, ':')
		b = append(b, strings.Join(values[name], ",")...)
		b = append(b, '\n')
	}
	return b
}

// appendResourceV2 appends the canonicalized resource: "/bucket" for a
// virtual-hosted-style request, the path as sent, then the subresources
// among the query parameters, sorted by name, with their values decoded.
func appendResourceV2(b []byte, r *http.Request, bucket string) []byte {
	if bucket != "" {
		b = append(b, '/')
		b = append(b, bucket...)
	}
	p := requestPath(r)
	if p == "" {
		p = "/"
	}
	b = append(b, p...)
	type param struct{ key, text string }
	var params []param
	for rest := r.URL.RawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		k, v, hasValue := strings.Cut(pair, "=")
		if !v2Subresources[k] {
			continue
		}
		text := k
		if hasValue {
			if u, err := url.PathUnescape(v); err == nil {
				v = u
			}
			text += "=" + v
		}
		params = append(params, param{k, text})
	}
	slices.SortStableFunc(params, func(a, b param) int { return strings.Compare(a.key, b.key) })
	for i, p := range params {
		if i == 0 {
			b = append(b, '?')
		} else {
			b = append(b, '&')
		}
		b = append(b, p.text...)
	}
	return b
}
