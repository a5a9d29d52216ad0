// Package client is the small AWS client Cairn's own commands (cairn watch, cairn logs)
// use to talk to a Cairn server as a profile's principal: it reads the AWS shared files
// Cairn writes, signs requests with SigV4 and speaks the awsJson and awsQuery protocols
// for the few operations the commands call, and Cairn's own long-poll endpoints. It is
// deliberately small — the SDK's service clients would add megabytes and milliseconds of
// start-up to the binary every job supervisor runs.
package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Client sends signed requests to one Cairn server.
type Client struct {
	endpoint string
	region   string
	creds    aws.CredentialsProvider
	signer   *v4.Signer
	http     *http.Client
	now      func() time.Time
}

// New returns a client for profile p.
func New(p *Profile) *Client {
	return &Client{endpoint: strings.TrimSuffix(p.Endpoint, "/"), region: p.Region, creds: p.Credentials,
		signer: v4.NewSigner(), http: &http.Client{}, now: time.Now}
}

// Endpoint is the server's URL.
func (c *Client) Endpoint() string { return c.endpoint }

// APIError is an error the server answered.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("%s (HTTP %d)", e.Code, e.Status)
	}
	return e.Code + ": " + e.Message
}

// IsCode reports whether err is an APIError with one of codes.
func IsCode(err error, codes ...string) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.Code == c {
			return true
		}
	}
	return false
}

// do signs req (whose body is body) for service and sends it. A response other than 2xx
// is returned as an *APIError, its body read; the caller closes a 2xx response's body.
func (c *Client) do(ctx context.Context, service string, req *http.Request, body []byte) (*http.Response, error) {
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, c.region, c.now()); err != nil {
		return nil, fmt.Errorf("sign request: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask Cairn at %s: %w", c.endpoint, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return nil, decodeError(resp, data)
}

// decodeError reads an error body of the awsJson or awsQuery protocol.
func decodeError(resp *http.Response, data []byte) error {
	e := &APIError{Status: resp.StatusCode}
	var j struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
		Upper   string `json:"Message"`
	}
	var x struct {
		Error struct {
			Code    string
			Message string
		}
	}
	switch {
	case json.Unmarshal(data, &j) == nil && j.Type != "":
		e.Code, e.Message = j.Type, j.Message
		if e.Message == "" {
			e.Message = j.Upper
		}
		if i := strings.LastIndexByte(e.Code, '#'); i >= 0 {
			e.Code = e.Code[i+1:]
		}
	case xml.Unmarshal(data, &x) == nil && x.Error.Code != "":
		e.Code, e.Message = x.Error.Code, x.Error.Message
	default:
		e.Code = http.StatusText(resp.StatusCode)
		e.Message = strings.TrimSpace(string(data))
	}
	return e
}

// JSON calls operation op of an awsJson1.1 service (target prefix prefix) with in and
// decodes the answer into out.
func (c *Client) JSON(ctx context.Context, service, prefix, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", prefix+"."+op)
	resp, err := c.do(ctx, service, req, body)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s: decode the answer: %w", op, err)
	}
	return nil
}

// Get sends a signed GET of path with query to the server, as service.
func (c *Client) Get(ctx context.Context, service, path string, query url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint+path+"?"+query.Encode(), nil)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, service, req, nil)
}
