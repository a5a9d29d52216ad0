package runner

import (
	"fmt"
	"path/filepath"
	"strings"
)

// The data dir holds one directory per job, shared by every job kind:
//
//	<data-dir>/jobs/<account-id>/<job-name>/output.log   the job's stdout and stderr
//	<data-dir>/runner/                                    the local runner's per-job state
//
// and the SageMaker service names its jobs JobID(account, kind, name), so `cairn logs` can
// find a job's log and whether it is still running from the account and job name alone.

// JobDir is the host directory of the job named jobName in account.
func JobDir(dataDir, account, jobName string) string {
	return filepath.Join(dataDir, "jobs", account, jobName)
}

// LogPath is the file receiving the stdout and stderr of the job named jobName in account.
func LogPath(dataDir, account, jobName string) string {
	return filepath.Join(JobDir(dataDir, account, jobName), "output.log")
}

// StateDir is where the local runner keeps its per-job state under dataDir.
func StateDir(dataDir string) string {
	return filepath.Join(dataDir, "runner")
}

// JobID is the Spec.ID of a job of the given kind ("processing-job", "training-job",
// "transform-job", …) named jobName in account.
func JobID(account, kind, jobName string) string {
	return account + "/" + kind + "/" + jobName
}

// ParseJobID splits an ID made by JobID; ok is false for any other form.
func ParseJobID(id string) (account, kind, jobName string, ok bool) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// CheckName reports whether s can be one path element of JobDir (an account ID or a job
// name): not empty, at most 255 bytes, no slash or NUL, not "." or "..".
func CheckName(s string) error {
	switch {
	case s == "" || s == "." || s == "..":
		return fmt.Errorf("%q is not a valid name", s)
	case len(s) > 255:
		return fmt.Errorf("name of %d bytes is longer than 255", len(s))
	case strings.ContainsAny(s, "/\x00"):
		return fmt.Errorf("name %q contains a slash or NUL", s)
	}
	return nil
}
