package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print the module version, commit and date this binary was built from",
		usage:   "version",
		details: `The figures come from the build information Go records in every binary: the module's
version ("(devel)" for a build from a checkout), the commit and whether the checkout had
uncommitted changes, and the commit's date (Go records no build time).`,
		example: "cairn version",
		run:     runVersion,
	}
}

func runVersion(_ context.Context, c *command, args []string, s streams) int {
	fs := c.flags()
	pos, code, done := c.parse(fs, args, s)
	if done {
		return code
	}
	if len(pos) > 0 {
		return c.usageError(s, "unexpected argument %q", pos[0])
	}
	fmt.Fprint(s.out, versionText(debug.ReadBuildInfo()))
	return 0
}

// versionText renders the build information.
func versionText(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return fmt.Sprintf("cairn (no build information)\ngo       %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	out := fmt.Sprintf("cairn %s\nmodule   %s\n", version, info.Main.Path)
	if rev := settings["vcs.revision"]; rev != "" {
		if settings["vcs.modified"] == "true" {
			rev += " (with uncommitted changes)"
		}
		out += fmt.Sprintf("commit   %s\n", rev)
		if t := settings["vcs.time"]; t != "" {
			out += fmt.Sprintf("date     %s (the commit's)\n", t)
		}
	} else {
		out += "commit   unknown (built without version control information: go run, or -buildvcs=false)\n"
	}
	goos, goarch := settings["GOOS"], settings["GOARCH"]
	if goos == "" {
		goos, goarch = runtime.GOOS, runtime.GOARCH
	}
	return out + fmt.Sprintf("go       %s %s/%s\n", info.GoVersion, goos, goarch)
}
