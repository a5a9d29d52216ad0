package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/client"
)

func files(t *testing.T, config, credentials string) client.Files {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{"config": config, "credentials": credentials} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return client.FilesFor(dir)
}

// Profiles with keys, the default profile, nested blocks and comments read as the AWS
// clients read them; a profile without endpoint_url is refused.
func TestLoadProfile(t *testing.T) {
	f := files(t, `# Cairn's profiles
[default]
region = eu-west-1
endpoint_url = http://127.0.0.1:7766

[profile data-science]
region = us-east-1
s3 =
  addressing_style = path
endpoint_url = http://127.0.0.1:7766/
; a comment

[profile real-aws]
region = us-east-1
`, `[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = secret0

[data-science]
aws_access_key_id = AKIADS
aws_secret_access_key = secret1
aws_session_token = token1

[real-aws]
aws_access_key_id = AKIAREAL
aws_secret_access_key = secret2
`)
	p, err := client.LoadProfile(f, "data-science", "")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := p.Credentials.Retrieve(context.Background())
	if err != nil || p.Endpoint != "http://127.0.0.1:7766/" || p.Region != "us-east-1" || creds.AccessKeyID != "AKIADS" || creds.SessionToken != "token1" {
		t.Errorf("profile %+v, credentials %+v, %v", p, creds, err)
	}
	if p, err := client.LoadProfile(f, "default", ""); err != nil || p.Region != "eu-west-1" {
		t.Errorf("default: %+v %v", p, err)
	}
	if _, err := client.LoadProfile(f, "real-aws", ""); err == nil || !strings.Contains(err.Error(), "has no endpoint_url") {
		t.Errorf("a profile without endpoint_url: %v", err)
	}
	if p, err := client.LoadProfile(f, "real-aws", "http://localhost:1"); err != nil || p.Endpoint != "http://localhost:1" {
		t.Errorf("--endpoint-url: %+v %v", p, err)
	}
	if _, err := client.LoadProfile(f, "nobody", ""); err == nil || !strings.Contains(err.Error(), `no profile "nobody"`) {
		t.Errorf("a missing profile: %v", err)
	}
}

// A profile with role_arn and source_profile assumes the role through Cairn's STS, signed
// with the source profile's keys.
func TestLoadProfileAssumesRole(t *testing.T) {
	var signedBy string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		signedBy = r.Header.Get("Authorization")
		r.ParseForm()
		if r.Form.Get("Action") != "AssumeRole" || r.Form.Get("RoleArn") != "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole" {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>
			<AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>
			<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`)
	}))
	defer srv.Close()
	f := files(t, `[profile management]
region = us-east-1
endpoint_url = `+srv.URL+`

[profile data-science-admin]
region = us-east-1
endpoint_url = `+srv.URL+`
role_arn = arn:aws:iam::111111111111:role/OrganizationAccountAccessRole
source_profile = management
`, "[management]\naws_access_key_id = AKIAMGMT\naws_secret_access_key = secret\n")
	p, err := client.LoadProfile(f, "data-science-admin", "")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := p.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "ASIAROLE" || creds.SessionToken != "t" {
		t.Fatalf("credentials %+v, %v", creds, err)
	}
	if !strings.Contains(signedBy, "Credential=AKIAMGMT/") || !strings.Contains(signedBy, "/sts/aws4_request") {
		t.Errorf("AssumeRole signed as %q", signedBy)
	}
}
