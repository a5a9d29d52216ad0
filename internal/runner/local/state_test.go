package local

import (
	"os"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/fuzzseed"
)

func TestStateKey(t *testing.T) {
	for id, want := range map[string]string{
		"111111111111/processing-job/pipelines-abc-prep-x1y2z3": "111111111111%2Fprocessing-job%2Fpipelines-abc-prep-x1y2z3",
		"simple_ID.v2":         "simple_ID.v2",
		".hidden":              "%2Ehidden",
		"..":                   "%2E.",
		"a b%c":                "a%20b%25c",
		"ünï":                  "%C3%BCn%C3%AF",
		"trailing/":            "trailing%2F",
		strings.Repeat("x", 3): "xxx",
	} {
		key := stateKey(id)
		if key != want {
			t.Errorf("stateKey(%q) = %q, want %q", id, key, want)
		}
		if back, ok := idOfKey(key); !ok || back != id {
			t.Errorf("idOfKey(%q) = %q, %v", key, back, ok)
		}
	}
	for _, bad := range []string{"%2", "%zz", "%2e.", "a/b", ".x", "%41"} {
		if id, ok := idOfKey(bad); ok {
			t.Errorf("idOfKey(%q) = %q, want refusal", bad, id)
		}
	}
}

func FuzzStateKey(f *testing.F) {
	fuzzseed.Require(f)
	for _, s := range []string{"", "a/b/c", "..", "%", "x\x00y", ".a.b"} {
		fuzzseed.Add(f, s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		key := stateKey(id)
		if strings.ContainsAny(key, "/\x00") || key == "." || key == ".." || (id != "" && strings.HasPrefix(key, ".")) {
			t.Fatalf("stateKey(%q) = %q is not one safe path element", id, key)
		}
		if back, ok := idOfKey(key); !ok || back != id {
			t.Fatalf("idOfKey(stateKey(%q)) = %q, %v", id, back, ok)
		}
	})
}

func TestParseStartTicks(t *testing.T) {
	stat := "4242 (we ird) name)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654321 12345 67 18446744073709551615"
	got, err := parseStartTicks([]byte(stat))
	if err != nil || got != 987654321 {
		t.Errorf("parseStartTicks = %d, %v; want 987654321", got, err)
	}
	for _, bad := range []string{"", "1 (x) S 1 2", "no paren"} {
		if _, err := parseStartTicks([]byte(bad)); err == nil {
			t.Errorf("parseStartTicks(%q) succeeded", bad)
		}
	}
	self, err := recordOf(os.Getpid())
	if err != nil || self.StartTicks == 0 || self.BootID == "" {
		t.Errorf("recordOf(self) = %+v, %v", self, err)
	}
}

func TestLookPath(t *testing.T) {
	if p, err := lookPath("sh", []string{"PATH=/nonexistent:/bin:/usr/bin"}); err != nil || !strings.HasSuffix(p, "/sh") {
		t.Errorf("lookPath(sh) = %q, %v", p, err)
	}
	if _, err := lookPath("sh", []string{"PATH=/nonexistent"}); err == nil {
		t.Error("found sh in an empty PATH")
	}
	if _, err := lookPath("/etc", nil); err == nil {
		t.Error("a directory is not a command")
	}
	if p, err := lookPath("sh", nil); err != nil || p == "" {
		t.Errorf("default PATH: %q, %v", p, err)
	}
}

func TestJobEnv(t *testing.T) {
	env := []string{"A=1"}
	got := jobEnv(env)
	if strings.Join(got, ",") != "A=1,PYTHONUNBUFFERED=1" || len(env) != 1 {
		t.Errorf("jobEnv = %q (input now %q)", got, env)
	}
	kept := []string{"PYTHONUNBUFFERED=0"}
	if got := jobEnv(kept); strings.Join(got, ",") != "PYTHONUNBUFFERED=0" {
		t.Errorf("jobEnv overrode the caller: %q", got)
	}
}
