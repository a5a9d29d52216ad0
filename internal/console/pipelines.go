package console

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/internal/engine/definition"
	"github.com/cairnhq/cairn/internal/operation"
)

// pageSize is how many rows a list page shows; lists page on the server with the API's
// tokens, kept in the URL so a page can be bookmarked and the back button works.
const pageSize = 50

type pipelineSummary struct {
	PipelineArn         string
	PipelineName        string
	PipelineDisplayName string
	PipelineDescription string
	CreationTime        *operation.Timestamp
	LastExecutionTime   *operation.Timestamp
	Shared              bool
	Account             string
}

type pipelinesView struct {
	Own, Shared        []pipelineSummary
	Next, SharedNext   string
	Token, SharedToken string
	Prefix             string
	SharedError        string
	OwnAccount         string
	FirstURL, NextURL  string
	SharedNextURL      string
	SharedFirstURL     string
}

// pipelines lists the account's pipelines, and those other accounts share with it.
func (c *Console) pipelines(w http.ResponseWriter, r *http.Request, s *session) error {
	q := r.URL.Query()
	v := pipelinesView{Token: q.Get("token"), SharedToken: q.Get("stoken"), Prefix: q.Get("prefix"), OwnAccount: s.principal.Account}
	in := map[string]any{"MaxResults": pageSize, "SortBy": "Name", "SortOrder": "Ascending"}
	if v.Token != "" {
		in["NextToken"] = v.Token
	}
	if v.Prefix != "" {
		in["PipelineNamePrefix"] = v.Prefix
	}
	var own struct {
		PipelineSummaries []pipelineSummary
		NextToken         string
	}
	if err := c.call(r.Context(), r, s, "sagemaker", "ListPipelines", in, &own); err != nil {
		return err
	}
	v.Own, v.Next = own.PipelineSummaries, own.NextToken
	for i := range v.Own {
		v.Own[i].Account = s.principal.Account
	}
	// What other accounts share: Search across accounts, authorized per pipeline against its
	// owner's policy. A denial here leaves the caller's own list in place.
	sin := map[string]any{"Resource": "Pipeline", "CrossAccountFilterOption": "CrossAccount", "MaxResults": pageSize,
		"SortBy": "PipelineName", "SortOrder": "Ascending"}
	if v.SharedToken != "" {
		sin["NextToken"] = v.SharedToken
	}
	if v.Prefix != "" {
		sin["SearchExpression"] = map[string]any{"Filters": []map[string]string{{"Name": "PipelineName", "Operator": "Contains", "Value": v.Prefix}}}
	}
	var shared struct {
		Results []struct {
			Pipeline *pipelineSummary
		}
		NextToken string
	}
	if err := c.call(r.Context(), r, s, "sagemaker", "Search", sin, &shared); err != nil {
		if ae := asAWSError(err); ae != nil {
			v.SharedError = ae.Code + ": " + ae.Message
		} else {
			return err
		}
	}
	for _, res := range shared.Results {
		if p := res.Pipeline; p != nil {
			p.Shared, p.Account = true, accountOf(p.PipelineArn)
			v.Shared = append(v.Shared, *p)
		}
	}
	v.SharedNext = shared.NextToken
	base := Prefix + "pipelines?" + queryString("prefix", v.Prefix)
	v.FirstURL = base + "&" + queryString("stoken", v.SharedToken)
	if v.Next != "" {
		v.NextURL = base + "&" + queryString("token", v.Next, "stoken", v.SharedToken)
	}
	v.SharedFirstURL = base + "&" + queryString("token", v.Token)
	if v.SharedNext != "" {
		v.SharedNextURL = base + "&" + queryString("token", v.Token, "stoken", v.SharedNext)
	}
	c.render(w, http.StatusOK, "pipelines", s, v)
	return nil
}

type describePipelineOut struct {
	PipelineArn         string
	PipelineName        string
	PipelineDisplayName string
	PipelineDefinition  string
	PipelineDescription string
	RoleArn             string
	PipelineStatus      string
	CreationTime        *operation.Timestamp
	LastModifiedTime    *operation.Timestamp
	LastRunTime         *operation.Timestamp
}

type executionSummary struct {
	PipelineExecutionArn           string
	StartTime                      *operation.Timestamp
	PipelineExecutionStatus        string
	PipelineExecutionDisplayName   string
	PipelineExecutionFailureReason string
}

type parameterField struct {
	Name, Type, Default string
	Enum                []string
	Required            bool
	// Value is what the form sent, Error why the API's validation refuses it, when the
	// page is shown again after a refused start.
	Value, Error string
}

type pipelineView struct {
	Pipeline    describePipelineOut
	Ref         string // the name or ARN the page was opened with, used by every request
	Shared      bool
	Account     string
	Graph       *graph
	GraphError  string
	Parameters  []parameterField
	Executions  []executionSummary
	ExecError   string
	NextURL     string
	FirstURL    string
	ClientToken string
	StepCount   int
	// StartError is why a start was refused (the API's answer), shown above the form;
	// DisplayName and Description what the form sent.
	StartError               string
	DisplayName, Description string

	definition *definition.Definition
}

// pipeline shows a pipeline: its graph, parameters, executions and a start form.
func (c *Console) pipeline(w http.ResponseWriter, r *http.Request, s *session) error {
	v, err := c.pipelineView(r, s)
	if err != nil {
		return err
	}
	c.render(w, http.StatusOK, "pipeline", s, v)
	return nil
}

func (c *Console) pipelineView(r *http.Request, s *session) (*pipelineView, error) {
	return c.pipelineViewOf(r, s, r.URL.Query().Get("name"), r.URL.Query().Get("etoken"))
}

// pipelineViewOf reads what the page of the pipeline ref shows, its executions from the
// page token on.
func (c *Console) pipelineViewOf(r *http.Request, s *session, ref, token string) (*pipelineView, error) {
	if ref == "" {
		return nil, operation.Errorf(http.StatusBadRequest, "ValidationException", "Name a pipeline: ?name=NAME or ?name=ARN.")
	}
	v := &pipelineView{Ref: ref, ClientToken: clientToken()}
	if err := c.call(r.Context(), r, s, "sagemaker", "DescribePipeline", map[string]any{"PipelineName": ref}, &v.Pipeline); err != nil {
		return nil, err
	}
	v.Account = accountOf(v.Pipeline.PipelineArn)
	v.Shared = v.Account != s.principal.Account
	d, err := definition.Parse([]byte(v.Pipeline.PipelineDefinition), definition.ParseOptions{})
	if err != nil {
		v.GraphError = err.Error()
	} else {
		v.Graph = layoutDefinition(d)
		v.StepCount = len(d.Steps())
		v.Parameters = parameterFields(d)
		v.definition = d
	}
	in := map[string]any{"PipelineName": ref, "MaxResults": 20, "SortOrder": "Descending"}
	if token != "" {
		in["NextToken"] = token
	}
	var execs struct {
		PipelineExecutionSummaries []executionSummary
		NextToken                  string
	}
	if err := c.call(r.Context(), r, s, "sagemaker", "ListPipelineExecutions", in, &execs); err != nil {
		ae := asAWSError(err)
		if ae == nil {
			return nil, err
		}
		v.ExecError = ae.Code + ": " + ae.Message
	}
	v.Executions = execs.PipelineExecutionSummaries
	base := Prefix + "pipeline?" + queryString("name", ref)
	if token != "" {
		v.FirstURL = base
	}
	if execs.NextToken != "" {
		v.NextURL = base + "&" + queryString("etoken", execs.NextToken)
	}
	return v, nil
}

func parameterFields(d *definition.Definition) []parameterField {
	var out []parameterField
	for _, p := range d.Parameters {
		f := parameterField{Name: p.Name, Type: string(p.Type), Enum: p.EnumValues, Required: p.DefaultValue == nil}
		if p.DefaultValue != nil {
			f.Default = fmt.Sprint(p.DefaultValue)
		}
		if p.Type == "Boolean" && f.Enum == nil {
			f.Enum = []string{"true", "false"}
		}
		out = append(out, f)
	}
	return out
}

// startExecution starts an execution with the form's parameters. The values are checked
// first with the definition's own parameter rules — the code StartPipelineExecution runs —
// so that a refused value is shown beside its field with the form as it was sent; the API
// then validates and authorizes the start itself, and a refusal it gives is shown above the
// form.
func (c *Console) startExecution(w http.ResponseWriter, r *http.Request, s *session) error {
	ref := r.PostFormValue("name")
	sent := map[string]string{}
	var overrides []definition.Override
	names := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		if name, ok := strings.CutPrefix(k, "param."); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var params []map[string]string
	for _, name := range names {
		value := r.PostForm.Get("param." + name)
		sent[name] = value
		if value == "" {
			continue // the parameter's default applies
		}
		overrides = append(overrides, definition.Override{Name: name, Value: value})
		params = append(params, map[string]string{"Name": name, "Value": value})
	}
	displayName, description := strings.TrimSpace(r.PostFormValue("display_name")), strings.TrimSpace(r.PostFormValue("description"))
	// The page the form is shown again on, when a start is refused. A principal that may
	// start the pipeline but not describe it gets no such page; its start is the API's alone.
	v, viewErr := c.pipelineViewOf(r, s, ref, "")
	refuse := func(status int, msg string) error {
		v.StartError, v.DisplayName, v.Description = msg, displayName, description
		for i := range v.Parameters {
			v.Parameters[i].Value = sent[v.Parameters[i].Name]
		}
		c.render(w, status, "pipeline", s, v)
		return nil
	}
	if viewErr == nil && v.definition != nil {
		if _, err := v.definition.ResolveParameters(overrides); err != nil {
			var de *definition.Error
			if !errors.As(err, &de) {
				return err
			}
			for i := range v.Parameters {
				if de.Parameter != "" && v.Parameters[i].Name == de.Parameter {
					v.Parameters[i].Error = de.Message
				}
			}
			return refuse(http.StatusBadRequest, "ValidationException: "+de.Message)
		}
	}
	token := r.PostFormValue("client_token")
	if len(token) < 32 {
		token = clientToken()
	}
	in := map[string]any{"PipelineName": ref, "ClientRequestToken": token}
	if len(params) > 0 {
		in["PipelineParameters"] = params
	}
	if displayName != "" {
		in["PipelineExecutionDisplayName"] = displayName
	}
	if description != "" {
		in["PipelineExecutionDescription"] = description
	}
	var out struct{ PipelineExecutionArn string }
	if err := c.call(r.Context(), r, s, "sagemaker", "StartPipelineExecution", in, &out); err != nil {
		ae := asAWSError(err)
		if ae == nil || viewErr != nil {
			return err
		}
		status := ae.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		return refuse(status, ae.Code+": "+ae.Message)
	}
	http.Redirect(w, r, Prefix+"execution?"+queryString("arn", out.PipelineExecutionArn), http.StatusSeeOther)
	return nil
}

// accountOf returns the account of an ARN ("" when it has none).
func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// queryString encodes name/value pairs, leaving out empty values.
func queryString(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[i] + "=" + urlQuery(kv[i+1]))
	}
	return b.String()
}

// asAWSError returns the AWS error err carries, or nil.
func asAWSError(err error) *operation.Error {
	var ae *operation.Error
	if errors.As(err, &ae) {
		return ae
	}
	return nil
}
