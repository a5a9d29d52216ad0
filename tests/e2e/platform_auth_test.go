package e2e

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// signingWith returns cfg signing with creds and never retrying.
func signingWith(cfg aws.Config, creds aws.Credentials) aws.Config {
	cfg = withoutRetries(cfg)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
	return cfg
}

// TestPlatformAuthErrorsSDK checks the authentication failures an SDK client can produce,
// as the SDK reports them.
func TestPlatformAuthErrorsSDK(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	base := c.config("management")
	good := c.credentials("management")

	unknown := aws.Credentials{AccessKeyID: "AKIAUNKNOWNUNKNOWN00", SecretAccessKey: strings.Repeat("x", 40)}
	wrongSecret := good
	wrongSecret.SecretAccessKey = strings.Repeat("y", 40)
	withToken := good
	withToken.SessionToken = "FQoGZXIvYXdzEJr//////////wEaDInvented"

	cases := []struct {
		name            string
		creds           aws.Credentials
		stsStatus       int
		stsCode         string
		orgsStatus      int
		orgsCode        string
		messageContains string
	}{
		{"unknown access key", unknown, 403, "InvalidClientTokenId", 400, "UnrecognizedClientException",
			"The security token included in the request is invalid"},
		{"bad signature", wrongSecret, 403, "SignatureDoesNotMatch", 400, "InvalidSignatureException",
			"The request signature we calculated does not match the signature you provided"},
		{"session token on a long-term key", withToken, 403, "InvalidClientTokenId", 400, "UnrecognizedClientException",
			"The security token included in the request is invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := signingWith(base, tc.creds)
			_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if msg := expectAPIError(t, err, tc.stsStatus, tc.stsCode); !strings.Contains(msg, tc.messageContains) {
				t.Errorf("sts message %q", msg)
			}
			_, err = organizations.NewFromConfig(cfg).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			if msg := expectAPIError(t, err, tc.orgsStatus, tc.orgsCode); !strings.Contains(msg, tc.messageContains) {
				t.Errorf("organizations message %q", msg)
			}
		})
	}

	t.Run("wrong region for sts", func(t *testing.T) {
		cfg := withoutRetries(base)
		cfg.Region = "eu-west-1"
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if msg := expectAPIError(t, err, 403, "SignatureDoesNotMatch"); !strings.Contains(msg, "eu-west-1") {
			t.Errorf("message %q does not name the region", msg)
		}
	})

	t.Run("required member missing is caught by the SDK", func(t *testing.T) {
		// The SDK validates required members itself; the raw request test covers the
		// server's answer.
		_, err := organizations.NewFromConfig(withoutRetries(base)).DescribeAccount(ctx, &organizations.DescribeAccountInput{})
		if err == nil || !strings.Contains(err.Error(), "AccountId") {
			t.Errorf("DescribeAccount without AccountId: %v", err)
		}
	})

	t.Run("invalid account id", func(t *testing.T) {
		_, err := organizations.NewFromConfig(withoutRetries(base)).DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("12")})
		expectAPIError(t, err, 400, "InvalidInputException")
	})

	t.Run("unknown account", func(t *testing.T) {
		_, err := organizations.NewFromConfig(withoutRetries(base)).DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("999999999999")})
		expectAPIError(t, err, 400, "AccountNotFoundException")
	})
}

// TestPlatformPresignedGetCallerIdentity checks query-string authentication: a URL presigned
// by the SDK (as `aws eks get-token` makes them) is accepted on GET, and an expired one is
// refused.
func TestPlatformPresignedGetCallerIdentity(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()

	// X-Amz-Expires is added as the EKS token generators do; the SDK hoists it into the
	// query and signs it.
	presigner := sts.NewPresignClient(sts.NewFromConfig(c.config("data-science")), func(o *sts.PresignOptions) {
		o.ClientOptions = append(o.ClientOptions, func(o *sts.Options) {
			o.APIOptions = append(o.APIOptions, smithyhttp.SetHeaderValue("X-Amz-Expires", "900"))
		})
	})
	presigned, err := presigner.PresignGetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("presign: %v", err)
	}
	if presigned.Method != http.MethodGet || !strings.Contains(presigned.URL, "X-Amz-Expires=900") {
		t.Fatalf("presigned %s %s, want a GET with X-Amz-Expires", presigned.Method, presigned.URL)
	}
	req, err := http.NewRequest(presigned.Method, presigned.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range presigned.SignedHeader {
		if !strings.EqualFold(k, "Host") {
			req.Header[k] = vs
		}
	}
	r := sendRaw(t, req)
	if r.Status != http.StatusOK {
		t.Fatalf("presigned GetCallerIdentity: status %d; body %s", r.Status, r.Body)
	}
	var out struct {
		Result struct {
			Account string
			Arn     string
		} `xml:"GetCallerIdentityResult"`
	}
	if err := xml.Unmarshal(r.Body, &out); err != nil {
		t.Fatalf("answer %s: %v", r.Body, err)
	}
	if out.Result.Account != "111111111111" || out.Result.Arn != "arn:aws:iam::111111111111:root" {
		t.Errorf("presigned call answered for %+v", out.Result)
	}

	// Presigned 30 minutes ago for 15 minutes: expired.
	expired := presignCallerIdentity(t, c.endpoint(), c.credentials("data-science"), time.Now().Add(-30*time.Minute), 15*time.Minute)
	r = sendRaw(t, expired)
	if r.Status != http.StatusForbidden {
		t.Errorf("expired URL: status %d, want 403; body %s", r.Status, r.Body)
	}
	if code, msg := parseQueryError(t, r); code != "SignatureDoesNotMatch" || !strings.Contains(msg, "expired") {
		t.Errorf("expired URL: %s %q", code, msg)
	}

	// Presigned a minute ago for 15 minutes: still good.
	r = sendRaw(t, presignCallerIdentity(t, c.endpoint(), c.credentials("data-science"), time.Now().Add(-time.Minute), 15*time.Minute))
	if r.Status != http.StatusOK {
		t.Errorf("fresh URL: status %d; body %s", r.Status, r.Body)
	}

	// A presigned URL with a tampered parameter no longer matches.
	tampered := presignCallerIdentity(t, c.endpoint(), c.credentials("data-science"), time.Now(), 15*time.Minute)
	q := tampered.URL.Query()
	q.Set("X-Amz-Expires", "901")
	tampered.URL.RawQuery = q.Encode()
	r = sendRaw(t, tampered)
	if code, _ := parseQueryError(t, r); r.Status != http.StatusForbidden || code != "SignatureDoesNotMatch" {
		t.Errorf("tampered URL: status %d code %s", r.Status, code)
	}
}

// presignCallerIdentity returns a GET GetCallerIdentity request presigned at the given time.
func presignCallerIdentity(t *testing.T, endpoint string, creds aws.Credentials, at time.Time, expires time.Duration) *http.Request {
	t.Helper()
	q := url.Values{"Action": {"GetCallerIdentity"}, "Version": {wireSTSVersion}}
	q.Set("X-Amz-Expires", strconv.Itoa(int(expires/time.Second)))
	req, err := http.NewRequest(http.MethodGet, endpoint+"/?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, wireEmptySHA256, "sts", wireRegion, at)
	if err != nil {
		t.Fatalf("presign: %v", err)
	}
	out, err := http.NewRequest(http.MethodGet, signed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
