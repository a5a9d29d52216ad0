package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A URL made by `aws s3 presign` (SigV2 with the AWS CLI v1) fetched with curl
// (tests/cli/s3presign.sh).
func TestS3PresignAWSCLI(t *testing.T) {
	for _, tool := range []string{"aws", "bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH; tests/cli/s3presign.sh needs it", tool)
		}
	}
	c := start(t, startOptions{Config: accountsYAML})
	script, err := filepath.Abs(filepath.Join("..", "cli", "s3presign.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"TMPDIR=" + t.TempDir(),
		"AWS_CONFIG_FILE=" + filepath.Join(c.dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(c.dir, "credentials"),
	}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "ok") {
		t.Fatalf("tests/cli/s3presign.sh: %v\n%s", err, out)
	}
}
