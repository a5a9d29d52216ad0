package sigv4

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the only signing algorithm this package verifies.
const Algorithm = "AWS4-HMAC-SHA256"

// scopeTerminator ends every credential scope.
const scopeTerminator = "aws4_request"

// maxPresignExpires is the longest validity of a presigned request: a week.
const maxPresignExpires = 604800

// A Scope is the credential scope of a signature: the day, region and
// service the signing key was derived for.
type Scope struct {
	Date    string // yyyymmdd
	Region  string
	Service string
}

// A Signature is the SigV4 authentication information carried by a request,
// as extracted by [Parse]. [Verifier.Verify] recomputes the signature from
// these fields and the request.
type Signature struct {
	// AccessKeyID identifies the secret key the request claims to be signed
	// with; the caller looks the secret up by it.
	AccessKeyID string

	// Date is the request time, from X-Amz-Date (header, or query parameter
	// when presigned) or else the Date header.
	Date time.Time

	// Scope is the credential scope. Callers that serve a single region or
	// service should check Scope.Region and Scope.Service.
	Scope Scope

	// SignedHeaders lists the lower-case names of the signed headers, in the
	// order the request gives them.
	SignedHeaders []string

	// Signature is the hex-encoded signature the request carries.
	Signature string

	// SessionToken is the X-Amz-Security-Token value (query parameter when
	// presigned, else header), or "" if none. Verify does not check it; the
	// caller must check that it is valid for AccessKeyID.
	SessionToken string

	// Presigned reports whether the signature is in the query string rather
	// than the Authorization header.
	Presigned bool

	// Expires is the validity of a presigned request (X-Amz-Expires).
	Expires time.Duration

	// PayloadHash is the x-amz-content-sha256 header value, or "" if absent.
	PayloadHash string

	// V2 marks an S3 Signature Version 2 signature (HMAC-SHA1): the header
	// "Authorization: AWS AKID:signature" or the query parameters
	// AWSAccessKeyId, Signature and Expires. Scope then names only the
	// service, "s3"; Date is the request time, or for the query form the
	// time the URL expires. The body is unsigned.
	V2 bool

	// VirtualBucket is, for a V2 signature, the bucket a
	// virtual-hosted-style request names in its Host, which S3 signs at the
	// head of the resource. This package cannot tell a bucket's host name
	// from another: the caller sets it before Verify.
	VirtualBucket string

	v2Expires string // the Expires parameter as sent (V2 query form)
}

// Header and query parameter names, in the forms Go stores them in.
const (
	hdrAuthorization = "Authorization"
	hdrAmzDate       = "X-Amz-Date"
	hdrDate          = "Date"
	hdrSecurityToken = "X-Amz-Security-Token"
	hdrContentSHA256 = "X-Amz-Content-Sha256"
	hdrDecodedLength = "X-Amz-Decoded-Content-Length"
	qAlgorithm       = "X-Amz-Algorithm"
	qCredential      = "X-Amz-Credential"
	qDate            = "X-Amz-Date"
	qExpires         = "X-Amz-Expires"
	// defaultPresignExpires is the validity in seconds of a presigned request that does not
	// say.
	defaultPresignExpires = 900
	qSignedHeaders        = "X-Amz-SignedHeaders"
	qSignature            = "X-Amz-Signature"
	qSecurityToken        = "X-Amz-Security-Token"
	signedHeaderHost      = "host"
	signedHeaderXDate     = "x-amz-date"
	signedHeaderDate      = "date"
)

// Parse extracts the signature from r: from the Authorization header
// ("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=...") or, for presigned requests,
// from the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
// X-Amz-SignedHeaders, X-Amz-Signature and X-Amz-Security-Token query
// parameters. S3's Signature Version 2 is parsed too ("Authorization: AWS
// AKID:signature", or the AWSAccessKeyId, Signature and Expires query
// parameters): see [Signature.V2].
//
// Parse checks the form of the signature only: it does not read the body,
// consult a clock or need a key. Its errors are of type *[Error], with code
// [MissingAuthentication] when r carries no signature at all.
func Parse(r *http.Request) (*Signature, error) {
	auth := r.Header[hdrAuthorization]
	presigned := hasQueryParam(r.URL.RawQuery, qAlgorithm)
	presignedV2 := hasQueryParam(r.URL.RawQuery, qV2AccessKeyID)
	hasAuth := len(auth) > 0 && auth[0] != ""
	switch {
	case hasAuth && (presigned || presignedV2) || presigned && presignedV2:
		return nil, newError(AmbiguousAuthentication,
			"Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified.")
	case presigned:
		return parseQuery(r)
	case presignedV2 && hasQueryParam(r.URL.RawQuery, qV2SignatureVersion):
		return nil, newError(UnsupportedAlgorithm, "Signature Version 2 is accepted for Amazon S3 only; sign with AWS4-HMAC-SHA256.")
	case presignedV2:
		return parseQueryV2(r)
	case !hasAuth:
		return nil, newError(MissingAuthentication, "Request is missing Authentication Token.")
	case len(auth) > 1:
		return nil, newError(IncompleteSignature, "Request carries more than one Authorization header.")
	case strings.HasPrefix(auth[0], v2AuthPrefix):
		return parseHeaderV2(r, auth[0])
	}
	return parseHeader(r, auth[0])
}

func parseHeader(r *http.Request, auth string) (*Signature, error) {
	alg, rest, _ := strings.Cut(auth, " ")
	if alg != Algorithm {
		return nil, newError(UnsupportedAlgorithm,
			"Unsupported Authorization type; only AWS4-HMAC-SHA256 is supported.")
	}
	var credential, signedHeaders, signature string
	var haveCredential, haveSignedHeaders, haveSignature bool
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, value, ok := strings.Cut(part, "=")
		if !ok {
			return nil, newError(IncompleteSignature,
				"Authorization header contains a component that is not a key=value pair.")
		}
		var seen *bool
		switch key {
		case "Credential":
			credential, seen = value, &haveCredential
		case "SignedHeaders":
			signedHeaders, seen = value, &haveSignedHeaders
		case "Signature":
			signature, seen = value, &haveSignature
		default:
			continue
		}
		if *seen {
			return nil, newError(IncompleteSignature,
				"Authorization header repeats the '"+key+"' parameter.")
		}
		*seen = true
	}

	amzDate, dateSource := firstHeader(r.Header, hdrAmzDate), hdrAmzDate
	if amzDate == "" {
		amzDate, dateSource = firstHeader(r.Header, hdrDate), hdrDate
	}

	var missing string
	if !haveCredential {
		missing += "Authorization header requires 'Credential' parameter. "
	}
	if !haveSignature {
		missing += "Authorization header requires 'Signature' parameter. "
	}
	if !haveSignedHeaders {
		missing += "Authorization header requires 'SignedHeaders' parameter. "
	}
	if amzDate == "" {
		missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
	}
	if missing != "" {
		return nil, newError(IncompleteSignature, strings.TrimSuffix(missing, " "))
	}
	if signature == "" {
		return nil, newError(IncompleteSignature, "Authorization header has an empty 'Signature' parameter.")
	}

	sig := &Signature{
		Signature:    signature,
		SessionToken: firstHeader(r.Header, hdrSecurityToken),
		PayloadHash:  firstHeader(r.Header, hdrContentSHA256),
	}
	if err := sig.setCredential(credential); err != nil {
		return nil, err
	}
	if err := sig.setSignedHeaders(signedHeaders); err != nil {
		return nil, err
	}

	var dateHeader string
	if dateSource == hdrAmzDate {
		t, ok := parseAmzDate(amzDate)
		if !ok {
			return nil, newError(IncompleteSignature,
				"X-Amz-Date must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z'.")
		}
		sig.Date, dateHeader = t, signedHeaderXDate
	} else {
		t, err := http.ParseTime(amzDate)
		if err != nil {
			return nil, newError(IncompleteSignature, "Date header is not a valid HTTP date.")
		}
		sig.Date, dateHeader = t.UTC(), signedHeaderDate
	}

	if !sig.signs(signedHeaderHost) {
		return nil, newError(IncompleteSignature,
			"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if !sig.signs(dateHeader) {
		return nil, newError(IncompleteSignature,
			"'"+dateSource+"' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if err := sig.checkScopeDate(dateSource); err != nil {
		return nil, err
	}
	return sig, nil
}

func parseQuery(r *http.Request) (*Signature, error) {
	const (
		fAlgorithm = 1 << iota
		fCredential
		fDate
		fExpires
		fSignedHeaders
		fSignature
		fSecurityToken
	)
	var (
		seen                                                 int
		alg, credential, date, expires, signedHeaders, token string
		signature                                            string
	)
	for rest := r.URL.RawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		var f int
		var dst *string
		switch rawKey {
		case qAlgorithm:
			f, dst = fAlgorithm, &alg
		case qCredential:
			f, dst = fCredential, &credential
		case qDate:
			f, dst = fDate, &date
		case qExpires:
			f, dst = fExpires, &expires
		case qSignedHeaders:
			f, dst = fSignedHeaders, &signedHeaders
		case qSignature:
			f, dst = fSignature, &signature
		case qSecurityToken:
			f, dst = fSecurityToken, &token
		default:
			continue
		}
		if seen&f != 0 {
			return nil, newError(IncompleteSignature,
				"AWS query-string parameters must not repeat '"+rawKey+"'.")
		}
		seen |= f
		v, err := queryUnescape(rawValue)
		if err != nil {
			return nil, newError(IncompleteSignature,
				"AWS query-string parameter '"+rawKey+"' is not properly percent-encoded.")
		}
		*dst = v
	}

	if alg != Algorithm {
		return nil, newError(UnsupportedAlgorithm,
			"X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\".")
	}
	var missing string
	for _, p := range [...]struct {
		f    int
		name string
	}{
		{fCredential, qCredential},
		{fSignature, qSignature},
		{fDate, qDate},
		{fSignedHeaders, qSignedHeaders},
	} {
		if seen&p.f == 0 {
			missing += "AWS query-string parameters must include '" + p.name + "'. "
		}
	}
	if missing != "" {
		return nil, newError(IncompleteSignature, missing+"Re-examine the query-string parameters.")
	}
	if signature == "" {
		return nil, newError(IncompleteSignature, "X-Amz-Signature must not be empty.")
	}

	sig := &Signature{
		Signature:    signature,
		SessionToken: token,
		Presigned:    true,
		PayloadHash:  firstHeader(r.Header, hdrContentSHA256),
	}
	if sig.SessionToken == "" {
		sig.SessionToken = firstHeader(r.Header, hdrSecurityToken)
	}
	if err := sig.setCredential(credential); err != nil {
		return nil, err
	}
	if err := sig.setSignedHeaders(signedHeaders); err != nil {
		return nil, err
	}
	t, ok := parseAmzDate(date)
	if !ok {
		return nil, newError(IncompleteSignature,
			"X-Amz-Date must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z'.")
	}
	sig.Date = t
	if seen&fExpires == 0 {
		// STS's presigned GetCallerIdentity (EKS tokens, aws-sdk-go-v2's
		// PresignGetCallerIdentity) carries no X-Amz-Expires; STS allows 15 minutes.
		expires = strconv.Itoa(defaultPresignExpires)
	}
	n, err := strconv.ParseInt(expires, 10, 64)
	switch {
	case err != nil || n < 0:
		return nil, newError(IncompleteSignature, "X-Amz-Expires should be a number.")
	case n == 0:
		return nil, newError(IncompleteSignature, "X-Amz-Expires must be non-negative and greater than zero.")
	case n > maxPresignExpires:
		return nil, newError(IncompleteSignature,
			"X-Amz-Expires must be less than a week (in seconds) that is 604800.")
	}
	sig.Expires = time.Duration(n) * time.Second

	if !sig.signs(signedHeaderHost) {
		return nil, newError(IncompleteSignature,
			"'Host' must be a 'SignedHeader' in the AWS query-string parameters.")
	}
	if err := sig.checkScopeDate(qDate); err != nil {
		return nil, err
	}
	return sig, nil
}

// setCredential parses AKID/yyyymmdd/region/service/aws4_request.
func (sig *Signature) setCredential(c string) error {
	malformed := func() error {
		return newError(IncompleteSignature,
			`Error parsing the Credential; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`)
	}
	akid, rest, ok1 := strings.Cut(c, "/")
	date, rest, ok2 := strings.Cut(rest, "/")
	region, rest, ok3 := strings.Cut(rest, "/")
	service, term, ok4 := strings.Cut(rest, "/")
	if !(ok1 && ok2 && ok3 && ok4) || akid == "" || region == "" || service == "" || strings.IndexByte(term, '/') >= 0 {
		return malformed()
	}
	if _, ok := atoi(date); !ok || len(date) != 8 {
		return malformed()
	}
	if term != scopeTerminator {
		return newError(IncompleteSignature,
			"Credential should be scoped with a valid terminator: 'aws4_request'.")
	}
	sig.AccessKeyID = akid
	sig.Scope = Scope{Date: date, Region: region, Service: service}
	return nil
}

// setSignedHeaders splits a semicolon-separated header list.
func (sig *Signature) setSignedHeaders(s string) error {
	names := make([]string, 0, strings.Count(s, ";")+1)
	for s != "" {
		var name string
		name, s, _ = strings.Cut(s, ";")
		if name == "" {
			break
		}
		names = append(names, name)
	}
	if s != "" || len(names) == 0 {
		return newError(IncompleteSignature, "SignedHeaders must be a non-empty semicolon-separated list of header names.")
	}
	sig.SignedHeaders = names
	return nil
}

// signs reports whether name (lower case) is among the signed headers.
func (sig *Signature) signs(name string) bool {
	for _, h := range sig.SignedHeaders {
		if h == name || strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}

// checkScopeDate checks that the credential scope is for the request's day.
func (sig *Signature) checkScopeDate(source string) error {
	var buf [amzDateLen]byte
	day := appendAmzDate(buf[:0], sig.Date)[:8]
	if string(day) != sig.Scope.Date {
		return newError(SignatureDoesNotMatch,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+
				sig.Scope.Date+"' != '"+string(day)+"', from '"+source+"'.")
	}
	return nil
}

// firstHeader returns the first value of the header with canonical key key.
func firstHeader(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// hasQueryParam reports whether the raw query has a parameter named name
// (compared unescaped-as-is; SigV4 parameter names need no escaping).
func hasQueryParam(rawQuery, name string) bool {
	for off := 0; off < len(rawQuery); {
		i := strings.Index(rawQuery[off:], name)
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(name)
		if (start == 0 || rawQuery[start-1] == '&') &&
			(end == len(rawQuery) || rawQuery[end] == '=' || rawQuery[end] == '&') {
			return true
		}
		off = end
	}
	return false
}

// queryUnescape decodes a query component, '+' meaning space, without
// allocating when there is nothing to decode.
func queryUnescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, nil
	}
	return url.QueryUnescape(s)
}
