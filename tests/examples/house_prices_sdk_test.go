package examples

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sdkPython returns a Python that imports the SageMaker Python SDK (v2) — $SMPY, as
// shared/tools/smsdk-env.sh sets it, or python3 — with the environment it needs, and
// skips the test without one.
func sdkPython(t testing.TB) (string, []string) {
	t.Helper()
	py := os.Getenv("SMPY")
	if py == "" {
		py = "python3"
	}
	if _, err := exec.LookPath(py); err != nil {
		t.Skipf("no %s on PATH: this test runs the example's SageMaker Python SDK program", py)
	}
	var env []string
	for _, k := range []string{"PYTHONPATH", "SAGEMAKER_USER_CONFIG_OVERRIDE", "SAGEMAKER_SUPPRESS_V2_WARNING", "SMSDK_HOME"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	check := exec.Command(py, "-c", "import sagemaker, boto3; assert sagemaker.__version__.startswith('2.'), sagemaker.__version__; print(boto3.__version__)")
	check.Env = append(os.Environ(), env...)
	out, err := check.CombinedOutput()
	if err != nil {
		t.Skipf("the SageMaker Python SDK v2 is not installed for %s (examples/house-prices/README.md says how to install it): %s",
			py, strings.TrimSpace(lastLine(string(out))))
	}
	m := regexp.MustCompile(`(?m)^1\.(\d+)\.`).FindStringSubmatch(string(out))
	if m == nil || atoi(m[1]) < 28 {
		t.Skipf("boto3 %s ignores endpoint_url in profiles (it needs 1.28 or later): skipped rather than talk to AWS", strings.TrimSpace(string(out)))
	}
	return py, env
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// The house-prices example as its README tells a user to run it with the SageMaker Python
// SDK: the SDK builds and uploads the pipeline, runs it on Cairn and waits for it; cairn
// watch shows the execution.
func TestHousePricesWithSDK(t *testing.T) {
	py, pyEnv := sdkPython(t)
	requireJobs(t)
	t.Parallel()
	srv := startServer(t, "")
	dir := copyDir(t, "house-prices")
	env := append(clientEnv(t, srv), pyEnv...)
	out := runScript(t, dir, env, 10*time.Minute, py, "sdk/pipeline.py")
	t.Logf("sdk/pipeline.py:\n%s", out)
	for _, want := range []string{`Preprocess +Succeeded`, `Train +Succeeded`, `Evaluate +Succeeded`, `CheckRmse +Succeeded`,
		`Register-RegisterModel +Succeeded`, `execution Succeeded`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("the run lacks %q", want)
		}
	}
	watched := runScript(t, dir, env, time.Minute, filepath.Join(cairnBinary(t), "cairn"), "watch", "house-prices-sdk")
	if !strings.Contains(watched, "execution Succeeded") {
		t.Errorf("cairn watch house-prices-sdk:\n%s", watched)
	}
}
