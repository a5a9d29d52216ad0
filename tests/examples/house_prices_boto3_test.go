package examples

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// requireBoto3 skips the test (fails it in CI) unless python3 imports a boto3 that reads
// endpoint_url from the profile (1.28 or later).
func requireBoto3(t testing.TB) {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import boto3; print(boto3.__version__)").CombinedOutput()
	if err != nil {
		missing(t, "python3 does not import boto3: this test runs the example's boto3 program: "+lastLine(string(out)))
	}
	version := strings.TrimSpace(string(out))
	if m := regexp.MustCompile(`^1\.(\d+)\.`).FindStringSubmatch(version); m == nil || atoi(m[1]) < 28 {
		missing(t, "boto3 "+version+" ignores endpoint_url in profiles (it needs 1.28 or later): skipped rather than talk to AWS")
	}
}

// The house-prices example with boto3, as its README says: the program runs the pipeline
// and exits 0; run again with a MaxRmse the model cannot meet, on the same server, it
// reuses what it made, the execution fails at RmseTooHigh and it exits 1.
func TestHousePricesWithBoto3(t *testing.T) {
	requireBoto3(t)
	requireJobs(t)
	t.Parallel()
	srv := startServer(t, "")
	dir := copyDir(t, "house-prices")
	env := clientEnv(t, srv)
	out := runScript(t, dir, env, 5*time.Minute, "python3", "boto3/run.py")
	t.Logf("boto3/run.py:\n%s", out)
	for _, want := range []string{
		`(?m)^  Preprocess +Succeeded`,
		`(?m)^  Register +Succeeded`,
		`(?m)^execution Succeeded`,
		`arn:aws:sagemaker:us-east-1:000000000000:model-package/house-prices/1 PendingManualApproval`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("the run lacks %q", want)
		}
	}

	cmd := exec.Command("python3", "boto3/run.py", "MaxRmse=5")
	cmd.Dir, cmd.Env = dir, env
	again, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("run.py MaxRmse=5: exit %d (%v), want 1:\n%s", code, err, again)
	}
	for _, want := range []string{`(?m)^  RmseTooHigh +Failed +The test RMSE is above 5`, `(?m)^execution Failed`} {
		if !regexp.MustCompile(want).Match(again) {
			t.Errorf("the second run lacks %q:\n%s", want, again)
		}
	}
}
