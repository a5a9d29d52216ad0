package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// platformCLI runs the AWS CLI against c with only the profile files Cairn wrote: no other AWS_*
// variable reaches it.
func (c *cairn) platformCLI(t *testing.T, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI (aws) is not on PATH; install it to run this test")
	}
	cmd := exec.Command(bin, append(args, "--output", "json")...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"AWS_CONFIG_FILE=" + filepath.Join(c.dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(c.dir, "credentials"),
	}
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("aws %v: %v\n%s", args, err, stderr)
	}
	return out
}

func TestPlatformAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI (aws) is not on PATH; install it to run this test")
	}
	c := start(t, startOptions{Config: accountsYAML})

	var id struct{ Account, Arn, UserId string }
	if err := json.Unmarshal(c.platformCLI(t, "--profile", "data-science", "sts", "get-caller-identity"), &id); err != nil {
		t.Fatal(err)
	}
	if id.Account != "111111111111" || id.Arn != "arn:aws:iam::111111111111:root" {
		t.Errorf("aws sts get-caller-identity: %+v", id)
	}

	var list struct {
		Accounts []struct{ Id, Name, Status string }
	}
	if err := json.Unmarshal(c.platformCLI(t, "organizations", "list-accounts"), &list); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, a := range list.Accounts {
		names[a.Id] = a.Name
	}
	want := map[string]string{wireManagementID: "management", "111111111111": "data-science", "222222222222": "platform"}
	if len(names) != len(want) {
		t.Errorf("aws organizations list-accounts: %+v", list.Accounts)
	}
	for id, name := range want {
		if names[id] != name {
			t.Errorf("account %s is named %q, want %q", id, names[id], name)
		}
	}
}
