package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The AWS CLI's `aws ram` commands share a pipeline (tests/cli/ram.sh).
func TestRAMAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI (aws) is not on PATH; install it to run this test")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not on PATH; tests/cli/ram.sh needs it")
	}
	c := start(t, startOptions{Config: ramYAML})
	script, err := filepath.Abs(filepath.Join("..", "cli", "ram.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"AWS_CONFIG_FILE=" + filepath.Join(c.dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(c.dir, "credentials"),
	}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "ok") {
		t.Fatalf("tests/cli/ram.sh: %v\n%s", err, out)
	}
}
