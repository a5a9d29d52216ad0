package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// awsCLI runs the AWS CLI with the given credentials and no configuration but config
// (the text of a config file, for its default profile), against the server.
func awsCLI(t *testing.T, c *cairn, creds aws.Credentials, config string, args ...string) (string, error) {
	t.Helper()
	awsBin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI (aws) is not on PATH; install it to run this test")
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config")
	if err := os.WriteFile(cfgPath, []byte("[default]\nregion = us-east-1\n"+config), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(awsBin, append([]string{"--endpoint-url", c.endpoint()}, args...)...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"AWS_CONFIG_FILE=" + cfgPath,
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_ACCESS_KEY_ID=" + creds.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + creds.SecretAccessKey,
	}
	if creds.SessionToken != "" {
		cmd.Env = append(cmd.Env, "AWS_SESSION_TOKEN="+creds.SessionToken)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return strings.TrimSpace(stdout.String()), nil
}

// presign runs `aws s3 presign`, which the AWS CLI v1 signs with SigV2's query form.
func presign(t *testing.T, c *cairn, creds aws.Credentials, uri string) string {
	t.Helper()
	url, err := awsCLI(t, c, creds, "", "s3", "presign", uri)
	if err != nil {
		t.Fatalf("aws s3 presign: %v\n%s", err, url)
	}
	if !strings.Contains(url, "AWSAccessKeyId=") || !strings.Contains(url, "Expires=") {
		t.Skipf("this AWS CLI presigns with SigV4, not SigV2: %s", url)
	}
	return url
}

// fetch GETs url and returns the status, the body and the S3 error code of a failure.
func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestS3SigV2PresignedURLs(t *testing.T) {
	clk := &clock{}
	c := start(t, startOptions{Config: accountsYAML, Clock: clk})
	ctx := context.Background()
	owner := c.s3Client("data-science")
	mustCreateBucket(t, owner, "sigv2-bucket")
	const key, content = "dir/a b+c~d.txt", "signed the old way"
	if _, err := owner.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sigv2-bucket"), Key: aws.String(key),
		Body: strings.NewReader(content)}); err != nil {
		t.Fatal(err)
	}
	ownerCreds := c.credentials("data-science")

	url := presign(t, c, ownerCreds, "s3://sigv2-bucket/"+key)
	if status, body := fetch(t, url); status != 200 || body != content {
		t.Fatalf("GET presigned URL: %d %q", status, body)
	}

	// Another key under the same signature.
	other := strings.Replace(url, "a%20b", "a%20c", 1)
	if status, body := fetch(t, other); status != 403 || !strings.Contains(body, "<Code>SignatureDoesNotMatch</Code>") {
		t.Fatalf("GET with the path changed: %d %s", status, body)
	}

	// The same authorization as SigV4: a user whose policies allow nothing is refused,
	// and allowed once a policy grants s3:GetObject.
	reader := newUser(t, c, "data-science", "reader", "")
	readerCreds, err := reader.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	readerURL := presign(t, c, readerCreds, "s3://sigv2-bucket/"+key)
	status, body := fetch(t, readerURL)
	if status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") ||
		!strings.Contains(body, "user/reader is not authorized to perform: s3:GetObject") {
		t.Fatalf("GET presigned by a user without permission: %d %s", status, body)
	}
	putUserPolicyCLI(t, c, "reader", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::sigv2-bucket/dir/*"}}`)
	if status, body := fetch(t, readerURL); status != 200 || body != content {
		t.Fatalf("GET presigned by a user allowed s3:GetObject: %d %q", status, body)
	}

	// The header form, as boto3 signs every S3 call with signature_version "s3".
	v2 := "s3 =\n    signature_version = s3\n"
	if out, err := awsCLI(t, c, ownerCreds, v2, "s3api", "put-object", "--bucket", "sigv2-bucket", "--key", "header/form.txt",
		"--body", writeTemp(t, "header form"), "--content-type", "text/plain"); err != nil {
		t.Fatalf("put-object signed with SigV2: %v\n%s", err, out)
	}
	got := filepath.Join(t.TempDir(), "got")
	if out, err := awsCLI(t, c, ownerCreds, v2, "s3api", "get-object", "--bucket", "sigv2-bucket", "--key", "header/form.txt", got); err != nil {
		t.Fatalf("get-object signed with SigV2: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(got); string(b) != "header form" {
		t.Fatalf("get-object signed with SigV2 read %q", b)
	}
	if out, err := awsCLI(t, c, readerCreds, v2, "s3api", "put-object", "--bucket", "sigv2-bucket", "--key", "dir/x", "--body", writeTemp(t, "x")); err == nil ||
		!strings.Contains(out, "AccessDenied") {
		t.Fatalf("put-object signed with SigV2 by a reader: %v\n%s", err, out)
	}

	// Expiry on the server's clock: the CLI's URLs last an hour.
	clk.Advance(time.Hour + time.Minute)
	if status, body := fetch(t, url); status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") || !strings.Contains(body, "Request has expired") {
		t.Fatalf("GET expired presigned URL: %d %s", status, body)
	}
}

func putUserPolicyCLI(t *testing.T, c *cairn, user, policy string) {
	t.Helper()
	creds := c.credentials("data-science")
	if out, err := awsCLI(t, c, creds, "", "iam", "put-user-policy", "--user-name", user, "--policy-name", "s3",
		"--policy-document", policy); err != nil {
		t.Fatalf("put-user-policy: %v\n%s", err, out)
	}
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
