package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// cairnGet sends a GET to one of Cairn's endpoints, signed with cfg's credentials (unsigned
// when cfg is nil), and returns the status, the X-Amzn-ErrorType or body.
func cairnGet(t *testing.T, c *cairn, cfg *aws.Config, path string, q url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.srv.Endpoint()+path+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg != nil {
		creds, err := cfg.Credentials.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(nil)
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sagemaker", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Type string `json:"__type"`
		}
		json.Unmarshal(body, &e)
		return resp.StatusCode, e.Type
	}
	return resp.StatusCode, string(body)
}

// Cairn's own endpoints are authenticated with SigV4 and authorized as the SageMaker
// operation that reads what they serve: nobody learns through them what Describe… would
// not tell.
func TestCairnEndpointsAuthorized(t *testing.T) {
	t.Parallel()
	c := start(t, startOptions{Config: accountsYAML})
	owner := c.config("data-science")
	arn := "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/abcdefghijkl"
	q := url.Values{"PipelineExecutionArn": {arn}}
	if status, code := cairnGet(t, c, nil, "/_cairn/execution-changes", q); status != http.StatusBadRequest || code != "MissingAuthenticationTokenException" {
		t.Errorf("unsigned: %d %s", status, code)
	}
	if status, code := cairnGet(t, c, &owner, "/_cairn/execution-changes", q); code != "ResourceNotFound" {
		t.Errorf("an execution that does not exist: %d %s", status, code)
	}
	if status, code := cairnGet(t, c, &owner, "/_cairn/execution-changes", url.Values{"PipelineExecutionArn": {"nope"}}); code != "ValidationException" {
		t.Errorf("a malformed ARN: %d %s", status, code)
	}
	user := newUser(t, c, "data-science", "nobody", "")
	if status, code := cairnGet(t, c, &user, "/_cairn/execution-changes", q); code != "AccessDeniedException" {
		t.Errorf("a user allowed nothing: %d %s", status, code)
	}
	jobQ := url.Values{"JobArn": {"arn:aws:sagemaker:us-east-1:111111111111:processing-job/j"}}
	if status, code := cairnGet(t, c, &user, "/_cairn/job-log", jobQ); code != "AccessDeniedException" {
		t.Errorf("job log, a user allowed nothing: %d %s", status, code)
	}
	if status, code := cairnGet(t, c, &owner, "/_cairn/job-log", jobQ); code != "ValidationException" {
		t.Errorf("job log of a job that does not exist: %d %s", status, code)
	}
	if status, code := cairnGet(t, c, &owner, "/_cairn/nothing", q); status != http.StatusNotFound || !strings.Contains(code, "UnknownOperation") {
		t.Errorf("an unknown endpoint: %d %s", status, code)
	}
	other := c.config("platform")
	if status, code := cairnGet(t, c, &other, "/_cairn/execution-changes", q); code != "AccessDeniedException" && code != "ResourceNotFound" {
		t.Errorf("another account's execution: %d %s", status, code)
	}
}
