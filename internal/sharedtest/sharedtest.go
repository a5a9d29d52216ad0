// Package sharedtest finds, for tests, the shared data that lives next to the repository
// rather than in it: the directory ../shared (beside the repository's root, or beside any
// directory above it, so that a git worktree kept one level down finds it too), or the
// directory the environment variable CAIRN_SHARED names. It holds the conformance suites
// some tests read — the AWS SigV4 test suite (conformance/sigv4) and pipeline definitions
// emitted by the SageMaker Python SDK (conformance/sdk-definitions). Tests that need it
// skip, saying so, when it is absent.
//
// Go's test cache re-runs a test when a file it read inside the module changes, but it
// ignores files outside the module — so a test that skipped because ../shared was absent
// would be reported "(cached)" after ../shared appeared. Find therefore makes the
// directories it looks in inputs the cache does track: it reads CAIRN_SHARED with
// os.Getenv, and it changes the working directory into each directory it examines, and
// back (the cache records the state of every directory a test changes into, wherever it
// is). A directory appearing in, or disappearing from, any of them re-runs the test.
package sharedtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// EnvVar names the environment variable that points at the shared directory.
const EnvVar = "CAIRN_SHARED"

// Dir returns the path of elem (such as "conformance", "sigv4") under the shared
// directory, and skips t when it is absent. It changes the working directory for an
// instant: call it before t.Parallel.
func Dir(t testing.TB, elem ...string) string {
	t.Helper()
	dir, tried, err := Find(elem...)
	if err != nil {
		t.Fatalf("find the shared directory: %v", err)
	}
	if dir == "" {
		t.Skipf("%s not found (looked in %s): this test needs the shared data kept next to the repository as ../shared; "+
			"set %s to its path, or run the other tests without it", filepath.Join(elem...), strings.Join(tried, ", "), EnvVar)
	}
	return dir
}

// Find returns the absolute path of elem under the shared directory, or "" and the paths
// it tried. It changes the working directory for an instant, and restores it.
func Find(elem ...string) (dir string, tried []string, err error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", nil, fmt.Errorf("working directory: %w", err)
	}
	defer func() {
		if cerr := os.Chdir(wd); cerr != nil && err == nil {
			err = fmt.Errorf("restore the working directory: %w", cerr)
		}
	}()
	var candidates []string
	if env := os.Getenv(EnvVar); env != "" {
		abs, err := filepath.Abs(env)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", EnvVar, err)
		}
		candidates = []string{abs}
	} else {
		root, err := moduleRoot(wd)
		if err != nil {
			return "", nil, err
		}
		for d := filepath.Dir(root); ; d = filepath.Dir(d) {
			candidates = append(candidates, filepath.Join(d, "shared"))
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	for _, c := range candidates {
		// Changing into a directory records its state (entries added or removed change
		// it) as an input of the test: the parent says whether the shared directory is
		// there, the directories on the way whether what is asked for is.
		track(filepath.Dir(c))
		path := c
		for _, e := range elem {
			track(path)
			path = filepath.Join(path, e)
		}
		tried = append(tried, path)
		if info, err := os.Stat(path); err == nil && info.IsDir() {
			track(path)
			return path, tried, nil
		}
	}
	return "", tried, nil
}

// track changes into dir, which the test cache records; the caller changes back.
func track(dir string) {
	os.Chdir(dir) // a directory that cannot be entered is simply not tracked
}

// moduleRoot is the nearest directory at or above dir that holds go.mod.
func moduleRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("look for go.mod: %w", err)
		}
		if d == filepath.Dir(d) {
			return "", fmt.Errorf("no go.mod at or above %s", dir)
		}
	}
}
