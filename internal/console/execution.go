package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/engine/definition"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

type describeExecutionOut struct {
	PipelineArn                  string
	PipelineExecutionArn         string
	PipelineExecutionDisplayName string
	PipelineExecutionStatus      string
	PipelineExecutionDescription string
	FailureReason                string
	CreationTime                 *operation.Timestamp
	LastModifiedTime             *operation.Timestamp
	CreatedBy                    struct{ UserProfileName string }
}

type executionStep struct {
	StepName        string
	StepDisplayName string
	StartTime       *operation.Timestamp
	EndTime         *operation.Timestamp
	StepStatus      string
	FailureReason   string
	Metadata        json.RawMessage
	AttemptCount    int
}

// stepState is a step as the live page shows it; the server-sent events carry it as JSON.
type stepState struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Attempts int    `json:"attempts"`
	Duration string `json:"duration"`
	Failure  string `json:"failure,omitempty"`
	Outcome  string `json:"outcome,omitempty"`
	JobARN   string `json:"job,omitempty"`
	// Lineage is what the step's lineage starts from: its job, or the model package a
	// RegisterModel step created.
	Lineage string `json:"lineage,omitempty"`
	Started string `json:"started,omitempty"`
}

// executionState is everything the live page redraws.
type executionState struct {
	Status  string      `json:"status"`
	Failure string      `json:"failure,omitempty"`
	Steps   []stepState `json:"steps"`
}

type executionView struct {
	Execution   describeExecutionOut
	PipelineRef string
	Graph       *graph
	GraphError  string
	Parameters  []struct{ Name, Value string }
	Definition  string
	State       executionState
	Running     bool
	Retryable   bool
	ClientToken string
	// Step is the step chosen with ?step= (its graph node or its row): the page shows its
	// job's details and follows its log, as `cairn logs -f EXECUTION-ARN STEP` does —
	// waiting, when the step has no job yet, for the one it starts.
	Step      string
	StepState *stepState
	StepJob   *jobView
	StepError string
}

// maxSteps bounds how many steps a page reads (the API pages by 100).
const maxSteps = 2000

// executionState reads an execution's status and steps as the session's principal.
func (c *Console) executionState(ctx context.Context, r *http.Request, s *session, arn string) (*describeExecutionOut, executionState, error) {
	var ex describeExecutionOut
	var st executionState
	if err := c.call(ctx, r, s, "sagemaker", "DescribePipelineExecution", map[string]any{"PipelineExecutionArn": arn}, &ex); err != nil {
		return nil, st, err
	}
	st.Status, st.Failure = ex.PipelineExecutionStatus, ex.FailureReason
	token := ""
	for len(st.Steps) < maxSteps {
		in := map[string]any{"PipelineExecutionArn": arn, "MaxResults": 100, "SortOrder": "Ascending"}
		if token != "" {
			in["NextToken"] = token
		}
		var page struct {
			PipelineExecutionSteps []executionStep
			NextToken              string
		}
		if err := c.call(ctx, r, s, "sagemaker", "ListPipelineExecutionSteps", in, &page); err != nil {
			return nil, st, err
		}
		now := c.opts.Now()
		for _, step := range page.PipelineExecutionSteps {
			st.Steps = append(st.Steps, stepStateOf(step, now))
		}
		if token = page.NextToken; token == "" {
			break
		}
	}
	return &ex, st, nil
}

func stepStateOf(step executionStep, now time.Time) stepState {
	out := stepState{Name: step.StepName, Status: step.StepStatus, Attempts: step.AttemptCount, Failure: step.FailureReason}
	if step.StartTime != nil {
		end := now
		if step.EndTime != nil {
			end = step.EndTime.Time
		}
		out.Duration = end.Sub(step.StartTime.Time).Round(100 * time.Millisecond).String()
		out.Started = step.StartTime.Time.UTC().Format(time.DateTime)
	}
	var meta map[string]json.RawMessage
	if json.Unmarshal(step.Metadata, &meta) == nil {
		for key, raw := range meta {
			var m struct{ Arn, Outcome string }
			if json.Unmarshal(raw, &m) != nil {
				continue
			}
			switch {
			case key == "Condition":
				out.Outcome = m.Outcome
			case strings.HasSuffix(key, "Job") && m.Arn != "":
				out.JobARN, out.Lineage = m.Arn, m.Arn
			case key == "RegisterModel" && m.Arn != "":
				out.Lineage = m.Arn
			}
		}
	}
	return out
}

// execution shows an execution: its graph coloured by step status, kept current by
// server-sent events; its steps, parameters and the definition it ran with.
func (c *Console) execution(w http.ResponseWriter, r *http.Request, s *session) error {
	arn := r.URL.Query().Get("arn")
	if arn == "" {
		return operation.Errorf(http.StatusBadRequest, "ValidationException", "Name an execution: ?arn=ARN.")
	}
	ex, st, err := c.executionState(r.Context(), r, s, arn)
	if err != nil {
		return err
	}
	v := executionView{Execution: *ex, State: st, ClientToken: clientToken()}
	v.PipelineRef = ex.PipelineArn
	if accountOf(ex.PipelineArn) == s.principal.Account {
		v.PipelineRef = pipelineNameOf(ex.PipelineArn)
	}
	switch st.Status {
	case "Executing", "Stopping":
		v.Running = true
	case "Failed", "Stopped":
		v.Retryable = true
	}
	var def struct{ PipelineDefinition string }
	if err := c.call(r.Context(), r, s, "sagemaker", "DescribePipelineDefinitionForExecution", map[string]any{"PipelineExecutionArn": arn}, &def); err != nil {
		return err
	}
	v.Definition = def.PipelineDefinition
	d, err := definition.Parse([]byte(def.PipelineDefinition), definition.ParseOptions{})
	if err != nil {
		v.GraphError = err.Error()
	} else {
		v.Graph = layoutDefinition(d)
		status := map[string]string{}
		for _, step := range st.Steps {
			status[step.Name] = step.Status
		}
		v.Graph.setStatus(status, func(step string) string {
			return Prefix + "execution?" + url.Values{"arn": {arn}, "step": {step}}.Encode() + "#step-detail"
		})
	}
	var params struct {
		PipelineParameters []struct{ Name, Value string }
	}
	if err := c.call(r.Context(), r, s, "sagemaker", "ListPipelineParametersForExecution", map[string]any{"PipelineExecutionArn": arn, "MaxResults": 100}, &params); err != nil {
		return err
	}
	v.Parameters = params.PipelineParameters
	if v.Step = r.URL.Query().Get("step"); v.Step != "" {
		for i := range st.Steps {
			if st.Steps[i].Name == v.Step {
				v.StepState = &st.Steps[i]
			}
		}
		if v.StepState == nil && (d == nil || d.Step(v.Step) == nil) {
			v.StepError = fmt.Sprintf("The execution's definition has no step named %q.", v.Step)
		}
		if v.StepState != nil && v.StepState.JobARN != "" {
			job, err := c.describeJob(r, s, v.StepState.JobARN)
			if err != nil {
				msg, err := awsMessage(err)
				if err != nil {
					return err
				}
				v.StepError = msg
			}
			v.StepJob = job
		}
	}
	c.render(w, http.StatusOK, "execution", s, v)
	return nil
}

// pipelineNameOf returns the name in a pipeline or execution ARN.
func pipelineNameOf(arn string) string {
	_, rest, _ := strings.Cut(arn, ":pipeline/")
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// executionEvents streams an execution's state as server-sent events: one "state" event
// at once, then one after every commit that changes the execution or one of its steps.
// Each event is read again through the API as the session's principal, so a revoked
// grant ends the stream on the next change.
func (c *Console) executionEvents(w http.ResponseWriter, r *http.Request, s *session) error {
	arn := r.URL.Query().Get("arn")
	ctx := r.Context()
	ex, st, err := c.executionState(ctx, r, s, arn)
	if err != nil {
		return err
	}
	if c.opts.Changes == nil {
		return fmt.Errorf("console: no change feed")
	}
	key := ex.PipelineExecutionArn
	notify := make(chan struct{}, 1)
	cancel := c.opts.Changes.Subscribe(func(changes []store.Change) {
		for _, ch := range changes {
			if (ch.Kind == store.ChangeExecutionStep || ch.Kind == store.ChangePipelineExecution) && strings.EqualFold(ch.Key, key) {
				select {
				case notify <- struct{}{}:
				default:
				}
				return
			}
		}
	})
	defer cancel()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(st executionState) error {
		data, _ := json.Marshal(st)
		if _, err := fmt.Fprintf(w, "event: state\ndata: %s\n\n", data); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := send(st); err != nil {
		return nil
	}
	keepalive := time.NewTicker(20 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-c.closing:
			return nil
		case <-keepalive.C:
			// A comment keeps proxies from closing an idle stream; it reads nothing.
			if _, err := fmt.Fprint(w, ": keepalive\n\n"); err != nil || rc.Flush() != nil {
				return nil
			}
		case <-notify:
			_, st, err := c.executionState(ctx, r, s, arn)
			if err != nil {
				msg := "The execution can no longer be read."
				if ae := asAWSError(err); ae != nil {
					msg = ae.Code + ": " + ae.Message
				}
				data, _ := json.Marshal(map[string]string{"message": msg})
				fmt.Fprintf(w, "event: failure\ndata: %s\n\n", data)
				_ = rc.Flush()
				return nil
			}
			if err := send(st); err != nil {
				return nil
			}
		}
	}
}

// stopExecution stops an execution.
func (c *Console) stopExecution(w http.ResponseWriter, r *http.Request, s *session) error {
	return c.executionAction(w, r, s, "StopPipelineExecution")
}

// retryExecution retries a failed or stopped execution.
func (c *Console) retryExecution(w http.ResponseWriter, r *http.Request, s *session) error {
	return c.executionAction(w, r, s, "RetryPipelineExecution")
}

func (c *Console) executionAction(w http.ResponseWriter, r *http.Request, s *session, op string) error {
	arn := r.PostFormValue("arn")
	token := r.PostFormValue("client_token")
	if len(token) < 32 {
		token = clientToken()
	}
	if err := c.call(r.Context(), r, s, "sagemaker", op, map[string]any{"PipelineExecutionArn": arn, "ClientRequestToken": token}, nil); err != nil {
		return err
	}
	http.Redirect(w, r, Prefix+"execution?"+queryString("arn", arn), http.StatusSeeOther)
	return nil
}
