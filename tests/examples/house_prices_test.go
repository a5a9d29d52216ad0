package examples

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The house-prices example, as its README tells a user to run it with the AWS CLI: data
// and scripts to S3, the role, the model package group, the pipeline, an execution
// followed with cairn watch, a step's log, and the model package it registered.
func TestHousePricesWithAWSCLI(t *testing.T) {
	requireAWSCLI(t)
	requireJobs(t)
	t.Parallel()
	srv := startServer(t, "")
	dir := copyDir(t, "house-prices")
	out := runScript(t, dir, clientEnv(t, srv), 5*time.Minute, "bash", "run.sh")
	t.Logf("run.sh:\n%s", out)
	for _, want := range []string{
		`Preprocess +Succeeded`,
		`Train +Succeeded`,
		`Evaluate +Succeeded`,
		`CheckRmse +Succeeded`,
		`Register +Succeeded`,
		`execution Succeeded after [0-9.ms]+: 5 of 6 steps succeeded, 1 not run`,
		`train_rmse=[0-9.]+`,
		`arn:aws:sagemaker:us-east-1:000000000000:model-package/house-prices/1\s+PendingManualApproval`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("the run lacks %q:\n%s", want, out)
		}
	}
}

// README.md shows every command run.sh runs, as it runs it.
func TestHousePricesREADMEShowsTheCommands(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot(t), "examples", "house-prices")
	script, err := os.ReadFile(filepath.Join(dir, "run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range commandsOf(t, string(script)) {
		if !strings.Contains(string(readme), line) {
			t.Errorf("README.md does not show the command line\n  %s", line)
		}
	}
}
