package sigv4_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/sigv4"
)

const goodCredential = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

// headerRequest is a GET with the given Authorization header and X-Amz-Date.
func headerRequest(auth, amzDate string) *http.Request {
	r := serverRequest("GET", "/", "example.amazonaws.com", nil)
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	if amzDate != "" {
		r.Header.Set("X-Amz-Date", amzDate)
	}
	return r
}

// presignedRequest is a GET with the given presigning query.
func presignedRequest(query string) *http.Request {
	return serverRequest("GET", "/?"+query, "example.amazonaws.com", nil)
}

func presignQuery(expires, signature string) string {
	// In canonical order, so that presignQuery(expires, "") is the
	// canonical query.
	q := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request" +
		"&X-Amz-Date=20150830T123600Z"
	if expires != "" {
		q += "&X-Amz-Expires=" + expires
	}
	q += "&X-Amz-SignedHeaders=host"
	if signature != "" {
		q += "&X-Amz-Signature=" + signature
	}
	return q
}

func TestParseErrors(t *testing.T) {
	sig64 := strings.Repeat("ab", 32)
	auth := func(cred, signed string) string {
		return "AWS4-HMAC-SHA256 Credential=" + cred + ", SignedHeaders=" + signed + ", Signature=" + sig64
	}
	tests := []struct {
		name    string
		r       *http.Request
		code    sigv4.Code
		message string // exact, if set
	}{
		{"no authentication", headerRequest("", "20150830T123600Z"), sigv4.MissingAuthentication, ""},
		{"empty Authorization", headerRequest("", ""), sigv4.MissingAuthentication, ""},
		{"header and query", func() *http.Request {
			r := presignedRequest(presignQuery("60", sig64))
			r.Header.Set("Authorization", auth(goodCredential, "host;x-amz-date"))
			return r
		}(), sigv4.AmbiguousAuthentication, ""},
		{"SigV2 of the query services", presignedRequest("Action=GetCallerIdentity&AWSAccessKeyId=AKIDEXAMPLE&SignatureVersion=2&SignatureMethod=HmacSHA256&Signature=x"),
			sigv4.UnsupportedAlgorithm, ""},
		{"SigV4a", headerRequest("AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, SignedHeaders=host, Signature=00",
			"20150830T123600Z"), sigv4.UnsupportedAlgorithm, ""},
		{"SigV4a presigned", presignedRequest(strings.Replace(presignQuery("60", sig64), "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1)),
			sigv4.UnsupportedAlgorithm, ""},
		{"no Signature", headerRequest("AWS4-HMAC-SHA256 Credential="+goodCredential+", SignedHeaders=host;x-amz-date", "20150830T123600Z"),
			sigv4.IncompleteSignature, "Authorization header requires 'Signature' parameter."},
		{"no Credential nor Signature", headerRequest("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date", "20150830T123600Z"),
			sigv4.IncompleteSignature,
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter."},
		{"nothing", headerRequest("AWS4-HMAC-SHA256", ""), sigv4.IncompleteSignature,
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."},
		{"not key=value", headerRequest("AWS4-HMAC-SHA256 Credential="+goodCredential+", host, Signature="+sig64, "20150830T123600Z"),
			sigv4.IncompleteSignature, ""},
		{"repeated parameter", headerRequest(auth(goodCredential, "host;x-amz-date")+", Signature="+sig64, "20150830T123600Z"),
			sigv4.IncompleteSignature, ""},
		{"credential too short", headerRequest(auth("AKIDEXAMPLE/20150830/us-east-1/aws4_request", "host;x-amz-date"), "20150830T123600Z"),
			sigv4.IncompleteSignature, ""},
		{"credential too long", headerRequest(auth(goodCredential+"/x", "host;x-amz-date"), "20150830T123600Z"),
			sigv4.IncompleteSignature, ""},
		{"credential bad date", headerRequest(auth("AKIDEXAMPLE/2015-8-30/us-east-1/service/aws4_request", "host;x-amz-date"), "20150830T123600Z"),
			sigv4.IncompleteSignature, ""},
		{"credential empty key", headerRequest(auth("/20150830/us-east-1/service/aws4_request", "host;x-amz-date"), "20150830T123600Z"),
			sigv4.IncompleteSignature, ""},
		{"bad terminator", headerRequest(auth("AKIDEXAMPLE/20150830/us-east-1/service/aws5_request", "host;x-amz-date"), "20150830T123600Z"),
			sigv4.IncompleteSignature, "Credential should be scoped with a valid terminator: 'aws4_request'."},
		{"host not signed", headerRequest(auth(goodCredential, "x-amz-date"), "20150830T123600Z"), sigv4.IncompleteSignature,
			"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{"x-amz-date not signed", headerRequest(auth(goodCredential, "host"), "20150830T123600Z"), sigv4.IncompleteSignature,
			"'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."},
		{"empty signed header name", headerRequest(auth(goodCredential, "host;;x-amz-date"), "20150830T123600Z"),
			sigv4.IncompleteSignature, ""},
		{"no date", headerRequest(auth(goodCredential, "host;x-amz-date"), ""), sigv4.IncompleteSignature,
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."},
		{"bad X-Amz-Date", headerRequest(auth(goodCredential, "host;x-amz-date"), "2015-08-30T12:36:00Z"), sigv4.IncompleteSignature, ""},
		{"impossible X-Amz-Date", headerRequest(auth(goodCredential, "host;x-amz-date"), "20150231T123600Z"), sigv4.IncompleteSignature, ""},
		{"scope date mismatch", headerRequest(auth(goodCredential, "host;x-amz-date"), "20150831T000000Z"), sigv4.SignatureDoesNotMatch,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150830' != '20150831', from 'X-Amz-Date'."},
		{"presigned without signature", presignedRequest(presignQuery("60", "")), sigv4.IncompleteSignature, ""},
		{"presigned X-Amz-Expires 0", presignedRequest(presignQuery("0", sig64)), sigv4.IncompleteSignature, ""},
		{"presigned X-Amz-Expires too long", presignedRequest(presignQuery("604801", sig64)), sigv4.IncompleteSignature,
			"X-Amz-Expires must be less than a week (in seconds) that is 604800."},
		{"presigned X-Amz-Expires not a number", presignedRequest(presignQuery("1h", sig64)), sigv4.IncompleteSignature, ""},
		{"presigned repeated parameter", presignedRequest(presignQuery("60", sig64) + "&X-Amz-Date=20150830T123600Z"),
			sigv4.IncompleteSignature, ""},
		{"presigned host not signed", presignedRequest(strings.Replace(presignQuery("60", sig64), "SignedHeaders=host", "SignedHeaders=x-amz-date", 1)),
			sigv4.IncompleteSignature, ""},
		{"presigned bad escape", presignedRequest(strings.Replace(presignQuery("60", sig64), "%2F", "%2", 1)),
			sigv4.IncompleteSignature, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig, err := sigv4.Parse(tt.r)
			if errCode(err) != tt.code {
				t.Fatalf("Parse = %+v, %v; want code %s", sig, err, tt.code)
			}
			e := err.(*sigv4.Error)
			if tt.message != "" && e.Message != tt.message {
				t.Errorf("message = %q\nwant      %q", e.Message, tt.message)
			}
			if !strings.HasPrefix(err.Error(), "sigv4: "+string(tt.code)+": ") {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestParse(t *testing.T) {
	r := serverRequest("POST", "/", "example.amazonaws.com", []byte("x"))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20150830/eu-west-1/sqs/aws4_request,SignedHeaders=host;x-amz-date;x-amz-security-token,Signature="+strings.Repeat("0", 64))
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("X-Amz-Security-Token", "tok")
	r.Header.Set("X-Amz-Content-Sha256", sigv4.UnsignedPayload)
	sig, err := sigv4.Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	want := sigv4.Signature{
		AccessKeyID:   "AKID",
		Date:          testTime,
		Scope:         sigv4.Scope{Date: "20150830", Region: "eu-west-1", Service: "sqs"},
		SignedHeaders: []string{"host", "x-amz-date", "x-amz-security-token"},
		Signature:     strings.Repeat("0", 64),
		SessionToken:  "tok",
		PayloadHash:   sigv4.UnsignedPayload,
	}
	if fmt.Sprint(*sig) != fmt.Sprint(want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", *sig, want)
	}
}

func TestVerifySignatureMismatch(t *testing.T) {
	r := serverRequest("GET", "/", "example.amazonaws.com", nil)
	sdkSign(t, r, nil, sdkSignOptions{service: "service"})
	v := newVerifier(testTime)
	if _, _, err := parseVerify(v, r, testSecret, []byte{}); err != nil {
		t.Fatal(err)
	}
	_, _, err := parseVerify(v, r, "wrong"+testSecret, []byte{})
	if errCode(err) != sigv4.SignatureDoesNotMatch {
		t.Fatalf("wrong secret: %v", err)
	}
	want := "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	if msg := err.(*sigv4.Error).Message; msg != want {
		t.Errorf("message = %q", msg)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Error("error mentions the secret")
	}

	// A signature that is not 64 hex digits.
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Signature=", "Signature=zz", 1))
	if _, _, err := parseVerify(v, r, testSecret, []byte{}); errCode(err) != sigv4.SignatureDoesNotMatch {
		t.Errorf("malformed signature: %v", err)
	}
}

func TestVerifyClockSkew(t *testing.T) {
	r := serverRequest("GET", "/", "example.amazonaws.com", nil)
	sdkSign(t, r, nil, sdkSignOptions{service: "service"}) // X-Amz-Date 20150830T123600Z
	tests := []struct {
		now     time.Time
		skew    time.Duration
		code    sigv4.Code
		message string
	}{
		{now: testTime},
		{now: testTime.Add(15 * time.Minute)},
		{now: testTime.Add(-15 * time.Minute)},
		{now: testTime.Add(25 * time.Minute), code: sigv4.RequestTimeTooSkewed,
			message: "Signature expired: 20150830T123600Z is now earlier than 20150830T124600Z (20150830T130100Z - 15 min.)"},
		{now: testTime.Add(-25 * time.Minute), code: sigv4.RequestTimeTooSkewed,
			message: "Signature not yet current: 20150830T123600Z is still later than 20150830T122600Z (20150830T121100Z + 15 min.)"},
		{now: testTime.Add(15*time.Minute + time.Second), code: sigv4.RequestTimeTooSkewed},
		{now: testTime.Add(-15*time.Minute - time.Second), code: sigv4.RequestTimeTooSkewed},
		{now: testTime.Add(4 * time.Minute), skew: 5 * time.Minute},
		{now: testTime.Add(6 * time.Minute), skew: 5 * time.Minute, code: sigv4.RequestTimeTooSkewed,
			message: "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T124200Z - 5 min.)"},
	}
	for _, tt := range tests {
		v := sigv4.NewVerifier(sigv4.Options{Now: clock(tt.now), MaxSkew: tt.skew})
		_, _, err := parseVerify(v, r, testSecret, []byte{})
		if errCode(err) != tt.code {
			t.Errorf("now %v skew %v: %v, want code %q", tt.now, tt.skew, err, tt.code)
			continue
		}
		if tt.message != "" && err.(*sigv4.Error).Message != tt.message {
			t.Errorf("now %v: message %q\nwant         %q", tt.now, err.(*sigv4.Error).Message, tt.message)
		}
	}
}

func TestVerifyDateHeader(t *testing.T) {
	// Signed with the Date header instead of X-Amz-Date.
	date := "Sun, 30 Aug 2015 12:36:00 GMT"
	sig := specSignature(testSecret, testTime, "us-east-1", "service", "GET", "/", "",
		[][2]string{{"date", date}, {"host", "example.amazonaws.com"}}, hexSHA256(nil))
	r := serverRequest("GET", "/", "example.amazonaws.com", nil)
	r.Header.Set("Date", date)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+goodCredential+", SignedHeaders=date;host, Signature="+sig)
	if _, _, err := parseVerify(newVerifier(testTime), r, testSecret, []byte{}); err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+goodCredential+", SignedHeaders=host, Signature="+sig)
	if _, err := sigv4.Parse(r); errCode(err) != sigv4.IncompleteSignature {
		t.Errorf("date not signed: %v", err)
	}
}

func TestVerifyPresignedExpiry(t *testing.T) {
	sig := specSignature(testSecret, testTime, "us-east-1", "service", "GET", "/",
		presignQuery("3600", ""), [][2]string{{"host", "example.amazonaws.com"}}, sigv4.UnsignedPayload)
	r := presignedRequest(presignQuery("3600", sig))
	tests := []struct {
		now  time.Time
		code sigv4.Code
	}{
		{now: testTime},
		{now: testTime.Add(3600 * time.Second)},
		{now: testTime.Add(3601 * time.Second), code: sigv4.RequestExpired},
		{now: testTime.Add(-14 * time.Minute)},
		{now: testTime.Add(-16 * time.Minute), code: sigv4.RequestTimeTooSkewed},
	}
	for _, tt := range tests {
		_, res, err := parseVerify(newVerifier(tt.now), r, testSecret, nil)
		if errCode(err) != tt.code {
			t.Errorf("now %v: %v, want code %q", tt.now, err, tt.code)
			continue
		}
		if err != nil {
			if tt.code == sigv4.RequestExpired && err.(*sigv4.Error).Message != "Request has expired" {
				t.Errorf("message %q", err.(*sigv4.Error).Message)
			}
			continue
		}
		// Presigned without x-amz-content-sha256: UNSIGNED-PAYLOAD, body as is.
		if res.Body != r.Body {
			t.Errorf("Body = %T, want r.Body", res.Body)
		}
	}
}

func TestVerifyPayload(t *testing.T) {
	body := []byte("Action=ListUsers&Version=2010-05-08")
	v := newVerifier(testTime)

	signed := func(contentSHA256 string) *http.Request {
		r := serverRequest("POST", "/", "iam.amazonaws.com", body)
		if contentSHA256 != "" {
			r.Header.Set("X-Amz-Content-Sha256", contentSHA256)
		}
		ph := contentSHA256
		if ph == "" {
			ph = hexSHA256(body)
		}
		sdkSign(t, r, body, sdkSignOptions{service: "iam", payloadHash: ph})
		return r
	}

	t.Run("given", func(t *testing.T) {
		_, res, err := parseVerify(v, signed(""), testSecret, body)
		if err != nil {
			t.Fatal(err)
		}
		if res.Body != nil || res.DecodedContentLength != int64(len(body)) || res.Chunked || res.Trailer() != nil {
			t.Errorf("Result = %+v", res)
		}
		if _, _, err := parseVerify(v, signed(""), testSecret, []byte("Action=DeleteUser")); errCode(err) != sigv4.SignatureDoesNotMatch {
			t.Errorf("other body: %v", err)
		}
	})
	t.Run("given with matching header", func(t *testing.T) {
		if _, _, err := parseVerify(v, signed(hexSHA256(body)), testSecret, body); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("given with other header", func(t *testing.T) {
		_, _, err := parseVerify(v, signed(hexSHA256([]byte("other"))), testSecret, body)
		if errCode(err) != sigv4.ContentSHA256Mismatch {
			t.Fatalf("%v", err)
		}
		if msg := err.(*sigv4.Error).Message; msg != "The provided 'x-amz-content-sha256' header does not match what was computed." {
			t.Errorf("message %q", msg)
		}
	})
	t.Run("given with UNSIGNED-PAYLOAD", func(t *testing.T) {
		if _, _, err := parseVerify(v, signed(sigv4.UnsignedPayload), testSecret, body); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("streamed hash", func(t *testing.T) {
		r := signed(hexSHA256(body))
		_, res, err := parseVerify(v, r, testSecret, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(res.Body)
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("ReadAll = %q, %v", got, err)
		}
		if res.DecodedContentLength != int64(len(body)) {
			t.Errorf("DecodedContentLength = %d", res.DecodedContentLength)
		}
		if err := res.Body.Close(); err != nil {
			t.Error(err)
		}
	})
	t.Run("streamed hash mismatch", func(t *testing.T) {
		r := signed(hexSHA256(body))
		r.Body = io.NopCloser(strings.NewReader("tampered body"))
		_, res, err := parseVerify(v, r, testSecret, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(res.Body)
		if errCode(err) != sigv4.ContentSHA256Mismatch {
			t.Fatalf("ReadAll = %q, %v", got, err)
		}
		if _, err := res.Body.Read(make([]byte, 1)); errCode(err) != sigv4.ContentSHA256Mismatch {
			t.Errorf("second Read: %v", err)
		}
	})
	t.Run("streamed unsigned", func(t *testing.T) {
		r := signed(sigv4.UnsignedPayload)
		_, res, err := parseVerify(v, r, testSecret, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Body != r.Body {
			t.Errorf("Body = %T, want r.Body", res.Body)
		}
	})
	t.Run("streamed without header", func(t *testing.T) {
		_, _, err := parseVerify(v, signed(""), testSecret, nil)
		if errCode(err) != sigv4.InvalidContentSHA256 {
			t.Fatalf("%v", err)
		}
	})
	t.Run("streamed with unknown value", func(t *testing.T) {
		_, _, err := parseVerify(v, signed("STREAMING-SOMETHING"), testSecret, nil)
		if errCode(err) != sigv4.InvalidContentSHA256 {
			t.Fatalf("%v", err)
		}
	})
	t.Run("streamed SigV4a", func(t *testing.T) {
		_, _, err := parseVerify(v, signed("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"), testSecret, nil)
		if errCode(err) != sigv4.UnsupportedAlgorithm {
			t.Fatalf("%v", err)
		}
	})
}

// TestPathCanonicalization checks the canonical URI against requests signed
// from explicit canonical requests.
func TestPathCanonicalization(t *testing.T) {
	tests := []struct {
		service, target, canonicalURI string
	}{
		{"service", "/", "/"},
		{"service", "/a%20b/c", "/a%2520b/c"},
		{"service", "/a/./b/../c//d/", "/a/c/d/"},
		{"service", "/a/b/..", "/a/"},
		{"service", "/a:b@c", "/a%3Ab%40c"},
		// Clients that do not normalize (aws-sdk-go-v2) sign the path as is.
		{"service", "/a//b/./c", "/a//b/./c"},
		{"service", "/a//b/./c", "/a/b/c"},
		{"s3", "/bucket/a%20b/./c//d", "/bucket/a%20b/./c//d"},
		{"s3", "/bucket/a+b=c", "/bucket/a+b=c"},
		{"s3", "/bucket/%e2%9c%93", "/bucket/%e2%9c%93"},
		{"s3", "", "/"},
	}
	for _, tt := range tests {
		sig := specSignature(testSecret, testTime, "us-east-1", tt.service, "GET", tt.canonicalURI, "",
			[][2]string{{"host", "h"}, {"x-amz-date", "20150830T123600Z"}}, sigv4.UnsignedPayload)
		r := serverRequest("GET", "/", "h", nil)
		r.RequestURI = tt.target
		r.Header.Set("X-Amz-Date", "20150830T123600Z")
		r.Header.Set("X-Amz-Content-Sha256", sigv4.UnsignedPayload)
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"+tt.service+
			"/aws4_request, SignedHeaders=host;x-amz-date, Signature="+sig)
		if _, _, err := parseVerify(newVerifier(testTime), r, testSecret, nil); err != nil {
			t.Errorf("%s %q (canonical %q): %v", tt.service, tt.target, tt.canonicalURI, err)
		}
	}
}

func TestQueryCanonicalization(t *testing.T) {
	tests := []struct{ raw, canonical string }{
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=1&a=10", "a=1&a=10&a=2"},
		{"acl", "acl="},
		{"a=b+c", "a=b%20c"},
		{"a=%7e%2f%2F%41", "a=~%2F%2FA"},
		{"k%20ey=v%zz", "k%20ey=v%25zz"},
		{"a-b=1&a=2&a%2Fb=3", "a=2&a%2Fb=3&a-b=1"},
		{"&&a=1&", "a=1"},
		{"ü=ö", "%C3%BC=%C3%B6"},
	}
	for _, tt := range tests {
		sig := specSignature(testSecret, testTime, "us-east-1", "service", "GET", "/", tt.canonical,
			[][2]string{{"host", "h"}, {"x-amz-date", "20150830T123600Z"}}, hexSHA256(nil))
		r := serverRequest("GET", "/?"+tt.raw, "h", nil)
		r.Header.Set("X-Amz-Date", "20150830T123600Z")
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+goodCredential+", SignedHeaders=host;x-amz-date, Signature="+sig)
		if _, _, err := parseVerify(newVerifier(testTime), r, testSecret, []byte{}); err != nil {
			t.Errorf("%q (canonical %q): %v", tt.raw, tt.canonical, err)
		}
	}
}

// TestKeyCache verifies concurrently with more distinct keys than the cache
// holds; run with -race.
func TestKeyCache(t *testing.T) {
	for _, size := range []int{-1, 0, 2} {
		v := sigv4.NewVerifier(sigv4.Options{Now: clock(testTime), KeyCacheSize: size})
		type signed struct {
			r      *http.Request
			secret string
		}
		var reqs []signed
		for i := range 8 {
			r := serverRequest("GET", "/", "example.amazonaws.com", nil)
			region := fmt.Sprintf("region-%d", i%3)
			sdkSign(t, r, nil, sdkSignOptions{service: "service", region: region})
			reqs = append(reqs, signed{r, testSecret})
		}
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 50 {
					s := reqs[(g+i)%len(reqs)]
					if _, _, err := parseVerify(v, s.r, s.secret, []byte{}); err != nil {
						t.Errorf("size %d: %v", size, err)
						return
					}
					if _, _, err := parseVerify(v, s.r, "other", []byte{}); errCode(err) != sigv4.SignatureDoesNotMatch {
						t.Errorf("size %d, other secret: %v", size, err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
}

// A presigned request without X-Amz-Expires (STS's presigned GetCallerIdentity) is valid for
// 15 minutes.
func TestPresignedDefaultExpiry(t *testing.T) {
	sig, err := sigv4.Parse(presignedRequest(presignQuery("", strings.Repeat("ab", 32))))
	if err != nil {
		t.Fatal(err)
	}
	if sig.Expires != 15*time.Minute {
		t.Errorf("Expires = %v, want 15m", sig.Expires)
	}
}
