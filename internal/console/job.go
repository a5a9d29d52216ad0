package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// jobKinds maps a job ARN's resource type to its Describe operation and name member.
var jobKinds = map[string]struct{ op, member string }{
	"training-job":   {"DescribeTrainingJob", "TrainingJobName"},
	"processing-job": {"DescribeProcessingJob", "ProcessingJobName"},
	"transform-job":  {"DescribeTransformJob", "TransformJobName"},
}

type jobView struct {
	ARN, Name, Kind, Status, Failure string
	Detail                           string
	Ended                            bool
	// Lineage is the ARN of the trial component SageMaker recorded for the job ("" when
	// the principal may not read it).
	Lineage string
	// Inputs and Outputs are the entities associated with the trial component: the image
	// and data the job read, what it produced.
	Inputs, Outputs []jobArtifact
}

// jobArtifact is an input or an output of a job, with the address of its lineage.
type jobArtifact struct {
	Name, Type, LineageURL string
}

// maxJobArtifacts bounds the inputs and the outputs a job page lists.
const maxJobArtifacts = 50

// describeJob reads a job as the session's principal: the authorization that lets the
// console show the job's details and its log.
func (c *Console) describeJob(r *http.Request, s *session, jobARN string) (*jobView, error) {
	_, rest, _ := strings.Cut(jobARN, ":sagemaker:")
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) != 3 {
		return nil, operation.Errorf(http.StatusBadRequest, "ValidationException", "%q is not a SageMaker job ARN.", jobARN)
	}
	kind, name, _ := strings.Cut(parts[2], "/")
	k, ok := jobKinds[kind]
	if !ok || name == "" {
		return nil, operation.Errorf(http.StatusBadRequest, "ValidationException", "%q is not a SageMaker job ARN.", jobARN)
	}
	var raw json.RawMessage
	if err := c.call(r.Context(), r, s, "sagemaker", k.op, map[string]any{k.member: name}, &raw); err != nil {
		return nil, err
	}
	var status map[string]any
	_ = json.Unmarshal(raw, &status)
	v := &jobView{ARN: jobARN, Name: name, Kind: kind}
	for key, val := range status {
		if key == k.member {
			v.Name = fmt.Sprint(val) // as created: the ARN has it lowercased
		}
		if strings.HasSuffix(key, "JobStatus") {
			v.Status = fmt.Sprint(val)
		}
		if key == "FailureReason" {
			v.Failure = fmt.Sprint(val)
		}
	}
	switch v.Status {
	case "Completed", "Failed", "Stopped":
		v.Ended = true
	}
	var pretty bytes.Buffer
	_ = json.Indent(&pretty, raw, "", "  ")
	v.Detail = pretty.String()
	return v, nil
}

// job shows a job's details and its log, streamed while the job runs.
func (c *Console) job(w http.ResponseWriter, r *http.Request, s *session) error {
	v, err := c.describeJob(r, s, r.URL.Query().Get("arn"))
	if err != nil {
		return err
	}
	// SageMaker records a trial component per job, <job>-aws-<kind>: its lineage starts there.
	var tc struct{ TrialComponentArn string }
	if c.call(r.Context(), r, s, "sagemaker", "DescribeTrialComponent", map[string]any{"TrialComponentName": v.Name + "-aws-" + v.Kind}, &tc) == nil {
		v.Lineage = tc.TrialComponentArn
		v.Inputs = c.jobArtifacts(r, s, tc.TrialComponentArn, "Ascendants")
		v.Outputs = c.jobArtifacts(r, s, tc.TrialComponentArn, "Descendants")
	}
	c.render(w, http.StatusOK, "job", s, v)
	return nil
}

// jobLog streams a job's log as server-sent "log" events, as `cairn logs -f` follows it:
// what is written so far, then what is appended until the job ends. The job's Describe
// operation, as the session's principal, decides whether the log may be read at all.
func (c *Console) jobLog(w http.ResponseWriter, r *http.Request, s *session) error {
	v, err := c.describeJob(r, s, r.URL.Query().Get("arn"))
	if err != nil {
		return err
	}
	if c.opts.JobLog == nil {
		return errors.New("console: job logs are not wired")
	}
	path := c.opts.JobLog(accountOf(v.ARN), v.Name)
	ended := make(chan struct{}, 1)
	if c.opts.Changes != nil {
		cancel := c.opts.Changes.Subscribe(func(changes []store.Change) {
			for _, ch := range changes {
				if ch.Kind == store.ChangeJob && strings.EqualFold(ch.Key, v.ARN) {
					select {
					case ended <- struct{}{}:
					default:
					}
				}
			}
		})
		defer cancel()
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	var offset int64
	var partial []byte
	flushLog := func() error {
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			return err
		}
		buf, err := io.ReadAll(io.LimitReader(f, 1<<20))
		if err != nil {
			return err
		}
		offset += int64(len(buf))
		buf = append(partial, buf...)
		last := bytes.LastIndexByte(buf, '\n')
		if last < 0 {
			partial = buf
			return nil
		}
		partial = append([]byte(nil), buf[last+1:]...)
		for _, line := range strings.Split(string(buf[:last]), "\n") {
			data, _ := json.Marshal(line)
			if _, err := fmt.Fprintf(w, "event: log\ndata: %s\n\n", data); err != nil {
				return err
			}
		}
		return rc.Flush()
	}
	done := v.Ended
	// The file is read again on a short tick while the job runs, as `cairn logs -f` does
	// where inotify is unavailable; the job's end arrives from the change feed.
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		if err := flushLog(); err != nil {
			return nil
		}
		if done {
			if len(partial) > 0 {
				data, _ := json.Marshal(string(partial))
				fmt.Fprintf(w, "event: log\ndata: %s\n\n", data)
			}
			// The end carries the job's final status, for the page to show without a reload.
			data, _ := json.Marshal(map[string]string{"status": v.Status, "failure": v.Failure})
			fmt.Fprintf(w, "event: end\ndata: %s\n\n", data)
			_ = rc.Flush()
			return nil
		}
		select {
		case <-r.Context().Done():
			return nil
		case <-c.closing:
			return nil
		case <-tick.C:
		case <-ended:
			nv, err := c.describeJob(r, s, v.ARN)
			if err != nil {
				return nil // no longer readable: the stream ends without the rest
			}
			if nv.Ended {
				v, done = nv, true
			}
		}
	}
}

// jobArtifacts lists what is one association away from a job's trial component in one
// direction, through QueryLineage as the session's principal ("" on a denial).
func (c *Console) jobArtifacts(r *http.Request, s *session, tc, direction string) []jobArtifact {
	vertices, _, _, err := c.queryLineage(r, s, tc, direction, 1, maxJobArtifacts)
	if err != nil {
		return nil
	}
	var out []jobArtifact
	for _, vx := range vertices[:min(len(vertices), maxJobArtifacts)] {
		name, _ := c.describeEntity(r, s, vx.Arn, vx.LineageType)
		if name == "" {
			name = vx.Arn
		}
		out = append(out, jobArtifact{Name: name, Type: vx.Type,
			LineageURL: Prefix + "lineage?" + url.Values{"arn": {vx.Arn}, "direction": {"Both"}, "depth": {"2"}}.Encode()})
	}
	return out
}
