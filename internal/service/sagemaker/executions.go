package sagemaker

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	arnpkg "github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/engine/definition"
	"github.com/cairnhq/cairn/internal/store"
)

func (s *Service) executionOps() []*operation.Operation {
	byARN := func(arn string) func(ctx context.Context) (*operation.Access, error) {
		return func(ctx context.Context) (*operation.Access, error) { return s.executionAccess(ctx, arn) }
	}
	return []*operation.Operation{
		operation.Declare(operation.Op[StartPipelineExecutionInput, StartPipelineExecutionOutput]{
			Name: "StartPipelineExecution", Access: pipelineAccess(s, func(in *StartPipelineExecutionInput) string { return in.PipelineName }),
			Handler: s.startPipelineExecution}),
		operation.Declare(operation.Op[ExecutionRef, DescribePipelineExecutionOutput]{
			Name: "DescribePipelineExecution", Access: func(ctx context.Context, in *ExecutionRef) (*operation.Access, error) {
				return byARN(in.PipelineExecutionArn)(ctx)
			},
			Handler: s.describePipelineExecution}),
		operation.Declare(operation.Op[ListPipelineExecutionsInput, ListPipelineExecutionsOutput]{
			Name: "ListPipelineExecutions", Access: pipelineAccess(s, func(in *ListPipelineExecutionsInput) string { return in.PipelineName }),
			Handler: s.listPipelineExecutions}),
		operation.Declare(operation.Op[ListPipelineExecutionStepsInput, ListPipelineExecutionStepsOutput]{
			Name: "ListPipelineExecutionSteps", Access: func(ctx context.Context, in *ListPipelineExecutionStepsInput) (*operation.Access, error) {
				return byARN(in.PipelineExecutionArn)(ctx)
			}, Handler: s.listPipelineExecutionSteps}),
		operation.Declare(operation.Op[ListPipelineParametersForExecutionInput, ListPipelineParametersForExecutionOutput]{
			Name: "ListPipelineParametersForExecution", Access: func(ctx context.Context, in *ListPipelineParametersForExecutionInput) (*operation.Access, error) {
				return byARN(in.PipelineExecutionArn)(ctx)
			}, Handler: s.listPipelineParametersForExecution}),
		operation.Declare(operation.Op[ExecutionRef, DescribePipelineDefinitionForExecutionOutput]{
			Name: "DescribePipelineDefinitionForExecution", Access: func(ctx context.Context, in *ExecutionRef) (*operation.Access, error) {
				return byARN(in.PipelineExecutionArn)(ctx)
			},
			Handler: s.describePipelineDefinitionForExecution}),
		operation.Declare(operation.Op[StopPipelineExecutionInput, ExecutionArnOutput]{
			Name: "StopPipelineExecution", Access: func(ctx context.Context, in *StopPipelineExecutionInput) (*operation.Access, error) {
				return byARN(in.PipelineExecutionArn)(ctx)
			}, Handler: s.stopPipelineExecution}),
		operation.Declare(operation.Op[RetryPipelineExecutionInput, ExecutionArnOutput]{
			Name: "RetryPipelineExecution", Access: func(ctx context.Context, in *RetryPipelineExecutionInput) (*operation.Access, error) {
				return byARN(in.PipelineExecutionArn)(ctx)
			}, Handler: s.retryPipelineExecution}),
		operation.Declare(operation.Op[UpdatePipelineExecutionInput, ExecutionArnOutput]{
			Name: "UpdatePipelineExecution", Access: func(ctx context.Context, in *UpdatePipelineExecutionInput) (*operation.Access, error) {
				return byARN(in.PipelineExecutionArn)(ctx)
			}, Handler: s.updatePipelineExecution}),
	}
}

func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 {
		return parts[4]
	}
	return ""
}

// ExecutionRef names an execution.
type ExecutionRef struct {
	PipelineExecutionArn string `required:"true" max:"2048" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*\\/execution\\/.*"`
}

// ExecutionArnOutput names an execution.
type ExecutionArnOutput struct {
	PipelineExecutionArn string
}

// Parameter is a pipeline parameter value.
type Parameter struct {
	Name  string `required:"true" min:"1" max:"256" pattern:"[A-Za-z0-9\\-_]*"`
	Value string `required:"true" max:"1024"`
}

// StartPipelineExecutionInput starts an execution. SelectiveExecutionConfig, which Cairn
// refuses, is kept as given: the refusal, not its constraints, answers.
type StartPipelineExecutionInput struct {
	PipelineName                 string      `required:"true" min:"1" max:"2048" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:([0-9]{12}|aws):pipeline/.*)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})"`
	PipelineExecutionDisplayName *string     `min:"1" max:"82" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}"`
	PipelineParameters           []Parameter `max:"200"`
	PipelineExecutionDescription *string     `max:"3072" pattern:".*"`
	ClientRequestToken           string      `required:"true" min:"32" max:"128"`
	ParallelismConfiguration     *ParallelismConfiguration
	SelectiveExecutionConfig     *json.RawMessage
	PipelineVersionId            *int64 `min:"1"`
}

// StartPipelineExecutionOutput names the execution.
type StartPipelineExecutionOutput struct {
	PipelineExecutionArn string
}

// Validate refuses what Cairn does not run yet.
func (in *StartPipelineExecutionInput) Validate() error {
	if in.SelectiveExecutionConfig != nil {
		return validation("SelectiveExecutionConfig is not supported yet.")
	}
	return nil
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

func (s *Service) startPipelineExecution(ctx context.Context, in *StartPipelineExecutionInput) (*StartPipelineExecutionOutput, error) {
	p := caller(ctx)
	id, err := auth.RandomString(s.random, idAlphabet, definition.ExecutionIDLength)
	if err != nil {
		return nil, err
	}
	var arn string
	err = s.store.Update(ctx, func(tx txn) error {
		pipeline, err := s.findPipeline(ctx, tx, in.PipelineName)
		if err != nil {
			return err
		}
		if prior, err := tx.PipelineExecutionByToken(pipeline.ARN, in.ClientRequestToken); err == nil {
			// The same request again — if the same account made it: a shared pipeline's
			// executions are started from several accounts, each with its own tokens.
			if arnpkg.Account(prior.CreatedBy) != p.Account {
				return conflict("ClientRequestToken %s was already used to start another execution of pipeline %s.", in.ClientRequestToken, pipeline.ARN)
			}
			arn = prior.ARN
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if in.PipelineVersionId != nil && *in.PipelineVersionId != pipeline.Version {
			return notFound("Pipeline version %d of '%s' does not exist; the current version is %d.", *in.PipelineVersionId, pipeline.ARN, pipeline.Version)
		}
		def, err := parseDefinition(pipeline.Definition)
		if err != nil {
			return err
		}
		overrides := make([]definition.Override, len(in.PipelineParameters))
		for i, o := range in.PipelineParameters {
			overrides[i] = definition.Override{Name: o.Name, Value: o.Value}
		}
		values, err := def.ResolveParameters(overrides)
		if err != nil {
			return validation("%s", err.Error())
		}
		if s.limits.ConcurrentExecutions > 0 {
			running, err := tx.ListPipelineExecutions("", string(sm.ExecutionExecuting), string(sm.ExecutionStopping))
			if err != nil {
				return err
			}
			n := 0
			for _, e := range running {
				if e.AccountID == pipeline.AccountID {
					n++
				}
			}
			if n >= s.limits.ConcurrentExecutions {
				return limitExceeded("The account-level service limit 'Maximum number of concurrent pipeline executions' is %d, with current utilization of %d executions.", s.limits.ConcurrentExecutions, n)
			}
		}
		now := s.now()
		exec := &store.PipelineExecution{
			ARN: pipeline.ARN + "/execution/" + id, ID: id, AccountID: pipeline.AccountID,
			PipelineName: pipeline.Name, PipelineARN: pipeline.ARN, PipelineVersion: pipeline.Version,
			DisplayName: deref(in.PipelineExecutionDisplayName, "execution-"+strconv.FormatInt(now.UnixMilli(), 10)),
			Description: deref(in.PipelineExecutionDescription, ""), Status: string(sm.ExecutionExecuting), Definition: pipeline.Definition,
			Parameters: parameterStrings(def, values), RoleARN: pipeline.RoleARN, MaxParallelSteps: pipeline.MaxParallelSteps,
			ClientRequestToken: in.ClientRequestToken, CreatedBy: p.ARN, CreatedAt: now, LastModifiedAt: now,
		}
		if in.ParallelismConfiguration != nil {
			exec.MaxParallelSteps = in.ParallelismConfiguration.MaxParallelExecutionSteps
		}
		pipeline.LastRunAt = now
		if err := tx.UpdatePipeline(pipeline); err != nil {
			return err
		}
		arn = exec.ARN
		return tx.CreatePipelineExecution(exec)
	})
	if err != nil {
		return nil, err
	}
	return &StartPipelineExecutionOutput{PipelineExecutionArn: arn}, nil
}

// parameterStrings renders every parameter's value, in definition order.
func parameterStrings(def *definition.Definition, values map[string]any) []store.Parameter {
	out := make([]store.Parameter, 0, len(def.Parameters))
	for _, p := range def.Parameters {
		out = append(out, store.Parameter{Name: p.Name, Value: formatValue(values[p.Name])})
	}
	return out
}

// formatValue renders a parameter value as a string.
func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// PipelineExperimentConfig names the experiment and trial of an execution.
type PipelineExperimentConfig struct {
	ExperimentName string `json:",omitempty"`
	TrialName      string `json:",omitempty"`
}

// DescribePipelineExecutionOutput describes an execution.
type DescribePipelineExecutionOutput struct {
	PipelineArn                  string
	PipelineExecutionArn         string
	PipelineExecutionDisplayName string
	PipelineExecutionStatus      string
	PipelineExecutionDescription string                    `json:",omitempty"`
	PipelineExperimentConfig     *PipelineExperimentConfig `json:",omitempty"`
	FailureReason                string                    `json:",omitempty"`
	CreationTime                 *operation.Timestamp
	LastModifiedTime             *operation.Timestamp
	CreatedBy                    UserContext
	LastModifiedBy               UserContext
	ParallelismConfiguration     *ParallelismConfiguration `json:",omitempty"`
	PipelineVersionId            int64
}

func (s *Service) describePipelineExecution(ctx context.Context, in *ExecutionRef) (*DescribePipelineExecutionOutput, error) {
	var out *DescribePipelineExecutionOutput
	err := s.store.View(ctx, func(tx txn) error {
		e, err := s.findExecution(ctx, tx, in.PipelineExecutionArn)
		if err != nil {
			return err
		}
		out = &DescribePipelineExecutionOutput{
			PipelineArn: e.PipelineARN, PipelineExecutionArn: e.ARN, PipelineExecutionDisplayName: e.DisplayName,
			PipelineExecutionStatus: e.Status, PipelineExecutionDescription: e.Description, FailureReason: e.FailureReason,
			CreationTime: operation.NewTimestamp(e.CreatedAt), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt),
			CreatedBy: userContext(e.CreatedBy), PipelineVersionId: e.PipelineVersion,
		}
		modifiedBy := executionModifiedBy(e)
		out.LastModifiedBy = userContext(modifiedBy)
		if e.ExperimentName != "" || e.TrialName != "" {
			out.PipelineExperimentConfig = &PipelineExperimentConfig{ExperimentName: e.ExperimentName, TrialName: e.TrialName}
		}
		if e.MaxParallelSteps > 0 {
			out.ParallelismConfiguration = &ParallelismConfiguration{MaxParallelExecutionSteps: e.MaxParallelSteps}
		}
		return nil
	})
	return out, err
}

// ListPipelineExecutionsInput filters and pages a pipeline's executions.
type ListPipelineExecutionsInput struct {
	PipelineName  string `required:"true" min:"1" max:"2048" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:([0-9]{12}|aws):pipeline/.*)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})"`
	CreatedAfter  *operation.Timestamp
	CreatedBefore *operation.Timestamp
	SortBy        *string `enum:"CreationTime,PipelineExecutionArn"`
	SortOrder     *string `enum:"Ascending,Descending"`
	NextToken     *string `max:"8192" pattern:".*"`
	MaxResults    *int    `min:"1" max:"100"`
}

// PipelineExecutionSummary is one execution of a list.
type PipelineExecutionSummary struct {
	PipelineExecutionArn           string
	StartTime                      *operation.Timestamp
	PipelineExecutionStatus        string
	PipelineExecutionDescription   string `json:",omitempty"`
	PipelineExecutionDisplayName   string
	PipelineExecutionFailureReason string `json:",omitempty"`
}

// ListPipelineExecutionsOutput is one page of executions.
type ListPipelineExecutionsOutput struct {
	PipelineExecutionSummaries []PipelineExecutionSummary
	NextToken                  *string `json:",omitempty"`
}

func (s *Service) listPipelineExecutions(ctx context.Context, in *ListPipelineExecutionsInput) (*ListPipelineExecutionsOutput, error) {
	// The store reads only the page, in the order the request asks (ListPipelineExecutions
	// offers no filter but the creation time): a pipeline's thousands of executions are
	// not read to answer the newest twenty.
	q := store.ExecutionPage{ByARN: in.SortBy != nil && *in.SortBy == "PipelineExecutionArn",
		Descending: in.SortOrder == nil || *in.SortOrder != "Ascending"}
	q.CreatedAfter, q.CreatedBefore = timeBounds(in.CreatedAfter, in.CreatedBefore)
	page, next, err := storePage(in.NextToken, in.MaxResults, func(offset, limit int) (page []*store.PipelineExecution, err error) {
		q.Offset, q.Limit = offset, limit
		err = s.store.View(ctx, func(tx txn) error {
			p, err := s.findPipeline(ctx, tx, in.PipelineName)
			if err != nil {
				return err
			}
			q.PipelineARN = p.ARN
			page, err = tx.ListPipelineExecutionPage(q)
			return err
		})
		return page, err
	})
	if err != nil {
		return nil, err
	}
	out := &ListPipelineExecutionsOutput{PipelineExecutionSummaries: []PipelineExecutionSummary{}, NextToken: next}
	for _, e := range page {
		out.PipelineExecutionSummaries = append(out.PipelineExecutionSummaries, PipelineExecutionSummary{
			PipelineExecutionArn: e.ARN, StartTime: operation.NewTimestamp(e.CreatedAt), PipelineExecutionStatus: e.Status,
			PipelineExecutionDescription: e.Description, PipelineExecutionDisplayName: e.DisplayName,
			PipelineExecutionFailureReason: e.FailureReason,
		})
	}
	return out, nil
}

// ListPipelineExecutionStepsInput pages an execution's steps.
type ListPipelineExecutionStepsInput struct {
	PipelineExecutionArn string  `required:"true" max:"2048" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*\\/execution\\/.*"`
	NextToken            *string `max:"8192" pattern:".*"`
	MaxResults           *int    `min:"1" max:"100"`
	SortOrder            *string `enum:"Ascending,Descending"`
}

// PipelineExecutionStep is one step of an execution as listed.
type PipelineExecutionStep struct {
	StepName        string
	StepDisplayName string `json:",omitempty"`
	StepDescription string `json:",omitempty"`
	StartTime       *operation.Timestamp
	EndTime         *operation.Timestamp `json:",omitempty"`
	StepStatus      string
	FailureReason   string          `json:",omitempty"`
	Metadata        json.RawMessage `json:",omitempty"`
	AttemptCount    int
}

// ListPipelineExecutionStepsOutput is one page of steps.
type ListPipelineExecutionStepsOutput struct {
	PipelineExecutionSteps []PipelineExecutionStep
	NextToken              *string `json:",omitempty"`
}

// stepListing is how ListPipelineExecutionSteps orders an execution's steps: by start,
// and steps started together in definition order.
var stepListing = listing[*store.ExecutionStep]{
	orders: map[string]func(a, b *store.ExecutionStep) int{
		"": func(a, b *store.ExecutionStep) int {
			return cmp.Or(a.StartedAt.Compare(b.StartedAt), cmp.Compare(a.Order, b.Order))
		},
	},
}

func (s *Service) listPipelineExecutionSteps(ctx context.Context, in *ListPipelineExecutionStepsInput) (*ListPipelineExecutionStepsOutput, error) {
	var steps []*store.ExecutionStep
	err := s.store.View(ctx, func(tx txn) error {
		if _, err := s.findExecution(ctx, tx, in.PipelineExecutionArn); err != nil {
			return err
		}
		all, err := tx.ExecutionSteps(in.PipelineExecutionArn)
		for _, st := range all {
			if sm.StepStatus(st.Status).Listed() {
				steps = append(steps, st)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := stepListing.list(steps, listQuery{SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults})
	if err != nil {
		return nil, err
	}
	out := &ListPipelineExecutionStepsOutput{PipelineExecutionSteps: []PipelineExecutionStep{}, NextToken: next}
	for _, st := range page {
		item := PipelineExecutionStep{StepName: st.Name, StepDisplayName: st.DisplayName, StepDescription: st.Description,
			StartTime: operation.NewTimestamp(st.StartedAt), EndTime: operation.NewTimestamp(st.EndedAt), StepStatus: st.Status,
			FailureReason: st.FailureReason, AttemptCount: st.AttemptCount}
		if st.Metadata != "" {
			item.Metadata = json.RawMessage(st.Metadata)
		}
		out.PipelineExecutionSteps = append(out.PipelineExecutionSteps, item)
	}
	return out, nil
}

// ListPipelineParametersForExecutionInput pages an execution's parameters.
type ListPipelineParametersForExecutionInput struct {
	PipelineExecutionArn string  `required:"true" max:"2048" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*\\/execution\\/.*"`
	NextToken            *string `max:"8192" pattern:".*"`
	MaxResults           *int    `min:"1" max:"100"`
}

// ListPipelineParametersForExecutionOutput is one page of parameters.
type ListPipelineParametersForExecutionOutput struct {
	PipelineParameters []Parameter
	NextToken          *string `json:",omitempty"`
}

func (s *Service) listPipelineParametersForExecution(ctx context.Context, in *ListPipelineParametersForExecutionInput) (*ListPipelineParametersForExecutionOutput, error) {
	var params []store.Parameter
	err := s.store.View(ctx, func(tx txn) error {
		e, err := s.findExecution(ctx, tx, in.PipelineExecutionArn)
		if err == nil {
			params = e.Parameters
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := listing[store.Parameter]{}.list(params, listQuery{NextToken: in.NextToken, MaxResults: in.MaxResults})
	if err != nil {
		return nil, err
	}
	out := &ListPipelineParametersForExecutionOutput{PipelineParameters: []Parameter{}, NextToken: next}
	for _, p := range page {
		out.PipelineParameters = append(out.PipelineParameters, Parameter{Name: p.Name, Value: p.Value})
	}
	return out, nil
}

// DescribePipelineDefinitionForExecutionOutput is the definition an execution ran.
type DescribePipelineDefinitionForExecutionOutput struct {
	PipelineDefinition string
	CreationTime       *operation.Timestamp
}

func (s *Service) describePipelineDefinitionForExecution(ctx context.Context, in *ExecutionRef) (*DescribePipelineDefinitionForExecutionOutput, error) {
	var out *DescribePipelineDefinitionForExecutionOutput
	err := s.store.View(ctx, func(tx txn) error {
		e, err := s.findExecution(ctx, tx, in.PipelineExecutionArn)
		if err == nil {
			out = &DescribePipelineDefinitionForExecutionOutput{PipelineDefinition: e.Definition, CreationTime: operation.NewTimestamp(e.CreatedAt)}
		}
		return err
	})
	return out, err
}

// StopPipelineExecutionInput stops an execution.
type StopPipelineExecutionInput struct {
	PipelineExecutionArn string `required:"true" max:"2048" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*\\/execution\\/.*"`
	ClientRequestToken   string `required:"true" min:"32" max:"128"`
}

func (s *Service) stopPipelineExecution(ctx context.Context, in *StopPipelineExecutionInput) (*ExecutionArnOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		e, err := s.findExecution(ctx, tx, in.PipelineExecutionArn)
		if err != nil {
			return err
		}
		switch sm.ExecutionStatus(e.Status) {
		case sm.ExecutionStopping, sm.ExecutionStopped:
			return nil // stopping twice is not an error
		case sm.ExecutionExecuting:
		default:
			return conflict("Pipeline execution '%s' is in status %s and cannot be stopped.", e.ARN, e.Status)
		}
		e.Status = string(sm.ExecutionStopping)
		e.LastModifiedAt = s.now()
		e.LastModifiedBy = caller(ctx).ARN
		return tx.UpdatePipelineExecution(e)
	})
	if err != nil {
		return nil, err
	}
	return &ExecutionArnOutput{PipelineExecutionArn: in.PipelineExecutionArn}, nil
}

// RetryPipelineExecutionInput retries a failed or stopped execution.
type RetryPipelineExecutionInput struct {
	PipelineExecutionArn     string `required:"true" max:"2048" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*\\/execution\\/.*"`
	ClientRequestToken       string `required:"true" min:"32" max:"128"`
	ParallelismConfiguration *ParallelismConfiguration
}

func (s *Service) retryPipelineExecution(ctx context.Context, in *RetryPipelineExecutionInput) (*ExecutionArnOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		e, err := s.findExecution(ctx, tx, in.PipelineExecutionArn)
		if err != nil {
			return err
		}
		if st := sm.ExecutionStatus(e.Status); st != sm.ExecutionFailed && st != sm.ExecutionStopped {
			return conflict("Pipeline execution '%s' is in status %s; only a Failed or Stopped execution can be retried.", e.ARN, e.Status)
		}
		steps, err := tx.ExecutionSteps(e.ARN)
		if err != nil {
			return err
		}
		for _, st := range steps {
			switch sm.StepStatus(st.Status) {
			case sm.StepFailed, sm.StepStopped, sm.StepStopping:
				// Pending again; it runs once its dependencies have succeeded.
				st.Status, st.FailureReason = string(sm.StepPending), ""
				if err := tx.PutExecutionStep(st); err != nil {
					return err
				}
			}
		}
		if in.ParallelismConfiguration != nil {
			e.MaxParallelSteps = in.ParallelismConfiguration.MaxParallelExecutionSteps
		}
		e.Status, e.FailureReason, e.LastModifiedAt = string(sm.ExecutionExecuting), "", s.now()
		e.LastModifiedBy = caller(ctx).ARN
		return tx.UpdatePipelineExecution(e)
	})
	if err != nil {
		return nil, err
	}
	return &ExecutionArnOutput{PipelineExecutionArn: in.PipelineExecutionArn}, nil
}

// UpdatePipelineExecutionInput changes an execution's description, name or parallelism.
type UpdatePipelineExecutionInput struct {
	PipelineExecutionArn         string  `required:"true" max:"2048" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*\\/execution\\/.*"`
	PipelineExecutionDescription *string `max:"3072" pattern:".*"`
	PipelineExecutionDisplayName *string `min:"1" max:"82" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}"`
	ParallelismConfiguration     *ParallelismConfiguration
}

func (s *Service) updatePipelineExecution(ctx context.Context, in *UpdatePipelineExecutionInput) (*ExecutionArnOutput, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		e, err := s.findExecution(ctx, tx, in.PipelineExecutionArn)
		if err != nil {
			return err
		}
		if in.PipelineExecutionDescription != nil {
			e.Description = *in.PipelineExecutionDescription
		}
		if in.PipelineExecutionDisplayName != nil {
			e.DisplayName = *in.PipelineExecutionDisplayName
		}
		if in.ParallelismConfiguration != nil {
			e.MaxParallelSteps = in.ParallelismConfiguration.MaxParallelExecutionSteps
		}
		e.LastModifiedAt = s.now()
		e.LastModifiedBy = caller(ctx).ARN
		return tx.UpdatePipelineExecution(e)
	})
	if err != nil {
		return nil, err
	}
	return &ExecutionArnOutput{PipelineExecutionArn: in.PipelineExecutionArn}, nil
}
