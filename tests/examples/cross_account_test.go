package examples

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The cross-account example, as its README tells a user to run it: the platform account
// shares its pipeline with data science through RAM, data science accepts and runs it by
// ARN and watches it, and the work runs in the platform account.
func TestCrossAccountWithAWSCLI(t *testing.T) {
	requireAWSCLI(t)
	requireJobs(t)
	t.Parallel()
	accounts, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "cross-account", "accounts.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, string(accounts))
	dir := copyDir(t, "cross-account")
	out := runScript(t, dir, clientEnv(t, srv), 5*time.Minute, "bash", "run.sh")
	t.Logf("run.sh:\n%s", out)
	for _, want := range []string{
		`execution arn:aws:sagemaker:us-east-1:222222222222:pipeline/scoring/execution/\w+ of pipeline scoring: (Executing|Succeeded)`,
		`Score +Succeeded`,
		`execution Succeeded after [0-9.ms]+: 1 of 1 steps succeeded`,
		`scored 3 rows\n`,
		`arn:aws:sagemaker:us-east-1:222222222222:pipeline/scoring/execution/\w+\s+Succeeded`,
		`data-science may not read the platform's bucket`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("the run lacks %q", want)
		}
	}
}

// README.md shows every command run.sh runs, as it runs it.
func TestCrossAccountREADMEShowsTheCommands(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot(t), "examples", "cross-account")
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
