package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// Every command answers --help (and -h, and cairn help COMMAND) on standard output with
// exit code 0: its purpose, its synopsis, its flags and an example.
func TestHelp(t *testing.T) {
	for _, c := range commands() {
		name := strings.Fields(c.name)
		name = name[:len(name):len(name)]
		for _, args := range [][]string{append(name, "--help"), append(name, "-h"), append([]string{"help"}, name...)} {
			code, out, errOut := cairn(t, args...)
			if code != 0 || errOut != "" {
				t.Errorf("cairn %v: exit %d, stderr %q", args, code, errOut)
			}
			for _, want := range []string{"cairn " + c.name + ": " + c.summary + "\n", "Usage:\n  cairn " + c.name, "Example:\n  cairn "} {
				if !strings.Contains(out, want) {
					t.Errorf("cairn %v lacks %q:\n%s", args, want, out)
				}
			}
		}
	}
	for _, flag := range []string{"--listen ADDRESS", "--data-dir DIRECTORY", "--config FILE", "--log-format FORMAT", "--log-level LEVEL"} {
		if _, out, _ := cairn(t, "serve", "--help"); !strings.Contains(out, flag) {
			t.Errorf("serve --help lacks %s", flag)
		}
	}
	if _, out, _ := cairn(t, "logs", "--help"); !strings.Contains(out, "\n  -f\n") || !strings.Contains(out, "--profile PROFILE") {
		t.Errorf("logs --help:\n%s", out)
	}
	code, out, _ := cairn(t, "--help")
	if code != 0 || !strings.Contains(out, "watch ") || !strings.Contains(out, "iam simulate") {
		t.Errorf("cairn --help: exit %d:\n%s", code, out)
	}
}

// Wrong usage exits 2 with the synopsis on standard error.
func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"bogus"}, {"iam"}, {"iam", "bogus"}, {"serve", "--bogus"}, {"serve", "extra"},
		{"serve", "--log-format", "xml"}, {"version", "x"}, {"help", "bogus"}} {
		code, out, errOut := cairn(t, args...)
		if code != 2 || out != "" || errOut == "" {
			t.Errorf("cairn %v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// cairn version prints what the build information says.
func TestVersion(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/cairnhq/cairn", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.time", Value: "2026-12-04T19:00:00Z"},
			{Key: "vcs.modified", Value: "true"}, {Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}}}
	want := "cairn v1.2.3\nmodule   github.com/cairnhq/cairn\ncommit   0123456789abcdef (with uncommitted changes)\n" +
		"date     2026-12-04T19:00:00Z (the commit's)\ngo       go1.26.8 linux/amd64\n"
	if got := versionText(info, true); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := versionText(&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/cairnhq/cairn", Version: "(devel)"}}, true); !strings.Contains(got, "cairn (devel)\n") ||
		!strings.Contains(got, "commit   unknown") {
		t.Errorf("a build without VCS information:\n%s", got)
	}
	code, out, _ := cairn(t, "version")
	if code != 0 || !strings.HasPrefix(out, "cairn ") || !strings.Contains(out, "\ngo       go") {
		t.Errorf("cairn version: exit %d:\n%s", code, out)
	}
}
