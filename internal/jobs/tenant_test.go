package jobs

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// TestTenantText: what a job's owner reads of its failure carries no server path and no
// internal error; the log keeps the detail with the job's ARN.
func TestTenantText(t *testing.T) {
	var logged bytes.Buffer
	m := &Manager{opts: Options{DataDir: "/srv/cairn/data"}, log: slog.New(slog.NewTextHandler(&logged, nil))}
	job := &store.Job{AccountID: "111111111111", Name: "train-1", ARN: "arn:aws:sagemaker:us-east-1:111111111111:training-job/train-1"}
	blobErr := fmt.Errorf("output o: %w", errors.New("blob: create: open /srv/cairn/data/objects/data/6c/.tmp-123: permission denied"))
	for _, tc := range []struct {
		reason string
		want   string
	}{
		{failureReason(blobErr), internalFailure},
		{failureReason(fmt.Errorf("InternalServerError: data download failed for channel train: %w", blobErr)), internalFailure},
		{failureReason(operation.Errorf(403, "AccessDenied", "User: x is not authorized")), "ClientError: User: x is not authorized"},
		{failureReason(errors.New("ClientError: object key \"k\" would be written outside /srv/cairn/data/jobs/111111111111/train-1/ml/input/data/train")),
			"ClientError: object key \"k\" would be written outside /opt/ml/input/data/train"},
		{"AlgorithmError: open /srv/cairn/data/runner/x: no such file", "AlgorithmError: open <data dir>/runner/x: no such file"},
		{"", ""},
	} {
		got := m.tenantText(job, tc.reason)
		if got != tc.want {
			t.Errorf("%q\n\tread as %q\n\twant    %q", tc.reason, got, tc.want)
		}
		if strings.Contains(got, "/srv/cairn") {
			t.Errorf("%q shows a server path", got)
		}
	}
	if log := logged.String(); !strings.Contains(log, job.ARN) || !strings.Contains(log, "permission denied") {
		t.Errorf("the log lacks the detail with the job's ARN:\n%s", log)
	}
}
