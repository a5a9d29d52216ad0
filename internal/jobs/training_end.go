package jobs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// The end of a training job: metrics read from its log, the failure file, and the model
// and output data uploaded to S3.

func (training) finish(context.Context, *Manager, *store.Job, string) (sm.JobDetails, error) {
	return sm.JobDetails{}, nil // end does the work
}

// end reads the metrics from the log, explains a failure from /opt/ml/output/failure, and
// uploads the model (and output data) of a job that completed or was stopped.
func (training) end(ctx context.Context, m *Manager, job *store.Job, dir string, res runner.Result, e *ending) {
	req, err := readTrainingRequest(job)
	if err != nil {
		*e = endAs(sm.JobFailed, err.Error())
		return
	}
	if defs := req.AlgorithmSpecification.MetricDefinitions; len(defs) > 0 {
		list, err := finalMetrics(runner.LogPath(m.opts.DataDir, job.AccountID, job.Name), defs, m.opts.Now())
		if err != nil {
			m.log.Warn("read training metrics", "job", job.ARN, "err", err)
		}
		if len(list) > 0 {
			e.details.FinalMetricDataList = list
		}
	}
	if e.phase == phaseFailed {
		if res.Err == "" {
			if text := failureFile(optML(dir, trainingOutputDir+"/failure")); text != "" {
				e.reason = "AlgorithmError: " + text
			}
		}
		return
	}
	m.moved(ctx, job, phaseUploading, "")
	roleCtx, err := m.asRole(ctx, job)
	if err == nil {
		var artifacts string
		if artifacts, err = m.uploadTrainingOutputs(roleCtx, job, req, dir); err == nil {
			e.details.ModelArtifacts = &sm.ModelArtifacts{S3ModelArtifacts: artifacts}
			return
		}
	}
	if e.phase == phaseCompleted {
		details := e.details
		*e = endAs(sm.JobFailed, failureReason(err))
		e.details = details
		return
	}
	m.log.Warn("upload the model of a stopped training job", "job", job.ARN, "err", err)
}

// uploadTrainingOutputs uploads /opt/ml/model as <S3OutputPath>/<job>/output/model.tar.gz
// and /opt/ml/output/data, when it holds anything, as output.tar.gz (with
// CompressionType NONE, both as plain objects under output/model/ and output/data/). It
// returns the model's S3 URI.
func (m *Manager) uploadTrainingOutputs(ctx context.Context, job *store.Job, req *sm.CreateTrainingJobInput, dir string) (string, error) {
	base := strings.TrimSuffix(req.OutputDataConfig.S3OutputPath, "/") + "/" + job.Name + "/output/"
	ctx = WithOutputKMSKey(ctx, req.OutputDataConfig.KmsKeyId)
	modelDir, dataDir := optML(dir, trainingModelDir), optML(dir, trainingOutputDir+"/data")
	if req.OutputDataConfig.CompressionType == "NONE" {
		if err := m.upload(ctx, modelDir, base+"model"); err != nil {
			return "", fmt.Errorf("upload the model: %w", err)
		}
		if err := m.upload(ctx, dataDir, base+"data"); err != nil {
			return "", fmt.Errorf("upload the output data: %w", err)
		}
		return base + "model/", nil
	}
	if err := m.uploadTarGz(ctx, dir, modelDir, base+"model.tar.gz", true); err != nil {
		return "", fmt.Errorf("upload the model: %w", err)
	}
	if err := m.uploadTarGz(ctx, dir, dataDir, base+"output.tar.gz", false); err != nil {
		return "", fmt.Errorf("upload the output data: %w", err)
	}
	return base + "model.tar.gz", nil
}

// uploadTarGz archives src into a temporary file under scratch and uploads it to uri; an
// empty src is uploaded only when always is set.
func (m *Manager) uploadTarGz(ctx context.Context, scratch, src, uri string, always bool) error {
	if !always {
		entries, err := os.ReadDir(src)
		if err != nil || len(entries) == 0 {
			return nil
		}
	}
	bucket, key, err := splitS3URI(uri)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(scratch, ".upload-*.tar.gz")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := writeTarGz(f, src); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return m.opts.Objects.PutObject(ctx, bucket, key, f, size)
}

// failureFile returns the first 1024 characters of a job's failure file, trimmed.
func failureFile(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 4096))
	s := strings.TrimSpace(strings.ToValidUTF8(string(b), "\uFFFD"))
	if r := []rune(s); len(r) > 1024 {
		s = string(r[:1024])
	}
	return s
}

// maxMetricLine bounds the length of a log line metrics are looked for in; the rest of a
// longer line is skipped.
const maxMetricLine = 1 << 20

// finalMetrics runs each metric definition's regular expression over every line of the
// log and keeps its last match: the first capture group (the whole match without one)
// read as a number. Metrics never matched are left out.
func finalMetrics(logPath string, defs []sm.MetricDefinition, at time.Time) ([]sm.MetricData, error) {
	type metric struct {
		re    *regexp.Regexp
		value float64
		found bool
	}
	metrics := make([]metric, 0, len(defs))
	for _, d := range defs {
		re, err := regexp.Compile(d.Regex)
		if err != nil {
			return nil, fmt.Errorf("metric %s: %w", d.Name, err)
		}
		metrics = append(metrics, metric{re: re})
	}
	f, err := os.Open(logPath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var line []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		if len(line)+len(chunk) <= maxMetricLine {
			line = append(line, chunk...)
		}
		if err == nil && isPrefix {
			continue
		}
		if len(line) > 0 {
			for i := range metrics {
				for _, match := range metrics[i].re.FindAllSubmatch(line, -1) {
					text := match[0]
					if len(match) > 1 {
						text = match[1]
					}
					if v, err := strconv.ParseFloat(strings.TrimSpace(string(text)), 64); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
						metrics[i].value, metrics[i].found = v, true
					}
				}
			}
		}
		line = line[:0]
		if err != nil {
			break
		}
	}
	var out []sm.MetricData
	for i, mt := range metrics {
		if mt.found {
			out = append(out, sm.MetricData{MetricName: defs[i].Name, Value: mt.value, Timestamp: operation.NewTimestamp(at)})
		}
	}
	return out, nil
}
