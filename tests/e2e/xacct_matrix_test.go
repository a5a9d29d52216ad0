package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The isolation matrix: every pipeline and execution action × every state a share can be in
// × three ways of reaching the consumer — an account inside the organization with sharing
// enabled, an account reached by invitation as one outside the organization is, and an IAM
// role principal. Each cell asserts exactly what the grantee may do; everyone else (an
// uninvited account, and for a role principal its account's root and another role) is
// refused everything; and every refusal reads the same, byte for byte but the resource's ARN,
// as the refusal for a pipeline that does not exist.
//
// Cairn's accounts all belong to its one organization; an account outside it is modelled by
// a server whose management account has not enabled sharing with the organization, where
// RAM treats every account as it treats an external one: an invitation to accept, and the
// principal named in the policy.

// matrixAction is one call the matrix makes, on a case's pipeline and its failed execution.
type matrixAction struct {
	name string
	// body is the request for a pipeline ARN and an execution ARN; token makes
	// ClientRequestTokens unique.
	body func(pipeline, execution, token string) map[string]any
	// granted is the answer when the share's permission grants the action (the target
	// execution has failed: stopping it is the owner's ConflictException).
	granted string
}

func matrixActions() []matrixAction {
	byPipeline := func(p, _, _ string) map[string]any { return map[string]any{"PipelineName": p} }
	byExecution := func(_, e, _ string) map[string]any { return map[string]any{"PipelineExecutionArn": e} }
	return []matrixAction{
		{"DescribePipeline", byPipeline, "ok"},
		{"ListPipelineExecutions", byPipeline, "ok"},
		{"DescribePipelineExecution", byExecution, "ok"},
		{"DescribePipelineDefinitionForExecution", byExecution, "ok"},
		{"ListPipelineExecutionSteps", byExecution, "ok"},
		{"ListPipelineParametersForExecution", byExecution, "ok"},
		{"StartPipelineExecution", func(p, _, tok string) map[string]any {
			return map[string]any{"PipelineName": p, "ClientRequestToken": tok}
		}, "ok"},
		{"StopPipelineExecution", func(_, e, tok string) map[string]any {
			return map[string]any{"PipelineExecutionArn": e, "ClientRequestToken": tok}
		}, "ConflictException"},
		{"RetryPipelineExecution", func(_, e, tok string) map[string]any {
			return map[string]any{"PipelineExecutionArn": e, "ClientRequestToken": tok}
		}, "ok"},
		// Never in a pipeline permission.
		{"UpdatePipelineExecution", func(_, e, _ string) map[string]any {
			return map[string]any{"PipelineExecutionArn": e, "PipelineExecutionDescription": "taken"}
		}, ""},
		{"ListTags", func(p, _, _ string) map[string]any { return map[string]any{"ResourceArn": p} }, ""},
		{"AddTags", func(p, _, _ string) map[string]any {
			return map[string]any{"ResourceArn": p, "Tags": []map[string]string{{"Key": "k", "Value": "v"}}}
		}, ""},
	}
}

// What each permission grants.
var (
	readActions = []string{"DescribePipeline", "ListPipelineExecutions", "DescribePipelineExecution", "DescribePipelineDefinitionForExecution",
		"ListPipelineExecutionSteps", "ListPipelineParametersForExecution", "Search"}
	executionActions = append(append([]string{}, readActions...), "StartPipelineExecution", "StopPipelineExecution", "RetryPipelineExecution")
	narrowActions    = []string{"DescribePipeline", "ListPipelineExecutions", "DescribePipelineExecution"}
)

// matrixState is one state a share of a case's pipeline can be in.
type matrixState struct {
	name string
	// invitation marks states that exist only where the consumer is invited.
	invitation bool
	grants     []string
}

func matrixStates() []matrixState {
	return []matrixState{
		{name: "no-share"},
		{name: "pending", invitation: true},
		{name: "rejected", invitation: true},
		{name: "read-only", grants: readActions},
		{name: "allow-execution", grants: executionActions},
		{name: "revoked"},
		{name: "narrow", grants: narrowActions},
	}
}

// matrixSetting is one way of reaching the consumer.
type matrixSetting struct {
	name string
	// orgSharing: the server's organization shares with its members without invitations.
	orgSharing bool
	// role shares with an IAM role of the consumer's account rather than the account.
	role bool
}

// matrixServer is one server of the matrix and its principals' credentials.
type matrixServer struct {
	c         *cairn
	owner     *sagemaker.Client
	ownerRAM  *ram.Client
	consumer  *ram.Client
	narrowARN string
	// creds by principal: "consumer" (the account's root), "analyst" and "bystander"
	// (roles of the consumer's account), "third" (an uninvited account).
	creds map[string]aws.Credentials
}

func newMatrixServer(t *testing.T, orgSharing bool) *matrixServer {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	m := &matrixServer{c: c, owner: smFor(c, "owner"), ownerRAM: ramFor(c, "owner"), consumer: ramFor(c, "consumer"),
		creds: map[string]aws.Credentials{"consumer": c.credentials("consumer"), "third": c.credentials("third")}}
	if orgSharing {
		if _, err := ramFor(c, "management").EnableSharingWithAwsOrganization(ctx, &ram.EnableSharingWithAwsOrganizationInput{}); err != nil {
			t.Fatal(err)
		}
	}
	narrow, err := m.ownerRAM.CreatePermission(ctx, &ram.CreatePermissionInput{Name: aws.String("Narrow"), ResourceType: aws.String("sagemaker:Pipeline"),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":["sagemaker:DescribePipeline","sagemaker:ListPipelineExecutions","sagemaker:DescribePipelineExecution"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	m.narrowARN = aws.ToString(narrow.Permission.Arn)
	// Two roles of the consumer's account, allowed all of SageMaker by their own policies.
	admin := iam.NewFromConfig(c.config("consumer"))
	stsClient := sts.NewFromConfig(c.config("consumer"))
	for _, role := range []string{"analyst", "bystander"} {
		if _, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(role), AssumeRolePolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + ramConsumer + `:root"},"Action":"sts:AssumeRole"}]}`)}); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String("sm"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}]}`)}); err != nil {
			t.Fatal(err)
		}
		out, err := stsClient.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + ramConsumer + ":role/" + role), RoleSessionName: aws.String("matrix")})
		if err != nil {
			t.Fatal(err)
		}
		m.creds[role] = aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey),
			SessionToken: aws.ToString(out.Credentials.SessionToken)}
	}
	return m
}

// call makes one SageMaker request as a principal and returns its outcome ("ok" or the error
// code) and, for an error, its message.
func (m *matrixServer) call(t *testing.T, principal, op string, body map[string]any) (string, string) {
	t.Helper()
	doc, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	creds := m.creds[principal]
	answer := sendRaw(t, rawCall{Service: "sagemaker", Body: doc, Creds: &creds,
		Header: map[string]string{"Content-Type": wireJSON11Type, "X-Amz-Target": "SageMaker." + op}}.build(t, m.c.endpoint()))
	if answer.Status == 200 {
		return "ok", ""
	}
	code, message := parseJSONError(t, answer)
	if answer.Status >= 500 {
		t.Errorf("%s as %s: %d %s %s", op, principal, answer.Status, code, message)
	}
	return code, message
}

// searchFinds reports whether a principal's Search across accounts finds the case's pipeline
// and its executions.
func (m *matrixServer) searchFinds(t *testing.T, principal, pipelineARN string) (pipeline, executions bool) {
	t.Helper()
	creds := m.creds[principal]
	client := sagemaker.NewFromConfig(withoutRetries(withKeys(m.c.config("consumer"), creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)))
	expr := nameEquals("PipelineArn", pipelineARN)
	pipeline = len(searchNames(t, client, smtypes.ResourceTypePipeline, true, expr)) > 0
	executions = len(searchNames(t, client, smtypes.ResourceTypePipelineExecution, true, expr)) > 0
	return pipeline, executions
}

// setup prepares one (setting, state) cell: a pipeline of the owner with a failed
// execution, shared as the state says. It returns the pipeline's and execution's ARNs.
func (m *matrixServer) setup(t *testing.T, setting matrixSetting, state matrixState) (string, string) {
	t.Helper()
	ctx := context.Background()
	name := "m-" + setting.name + "-" + state.name
	pipeline := ramPipeline(t, m.c, "owner", name)
	started, err := m.owner.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String(name), ClientRequestToken: aws.String(token(t, "owner"))})
	if err != nil {
		t.Fatal(err)
	}
	execution := aws.ToString(started.PipelineExecutionArn)
	waitExecution(t, m.owner, execution, 30*time.Second)
	principal := ramConsumer
	if setting.role {
		principal = "arn:aws:iam::" + ramConsumer + ":role/analyst"
	}
	var permissions []string
	switch state.name {
	case "no-share":
		return pipeline, execution
	case "allow-execution", "revoked":
		permissions = []string{pipelineExecARN}
	case "narrow":
		permissions = []string{m.narrowARN}
	}
	share := aws.ToString(ramShare(t, m.ownerRAM, name, []string{pipeline}, []string{principal}, permissions).ResourceShareArn)
	if !setting.orgSharing {
		inv := ramInvitation(t, m.consumer, share)
		switch state.name {
		case "pending":
		case "rejected":
			if _, err := m.consumer.RejectResourceShareInvitation(ctx, &ram.RejectResourceShareInvitationInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn}); err != nil {
				t.Fatal(err)
			}
		default:
			if _, err := m.consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if state.name == "revoked" {
		if _, err := m.ownerRAM.DisassociateResourceShare(ctx, &ram.DisassociateResourceShareInput{ResourceShareArn: aws.String(share), Principals: []string{principal}}); err != nil {
			t.Fatal(err)
		}
	}
	return pipeline, execution
}

func TestCrossAccountIsolationMatrix(t *testing.T) {
	settings := []matrixSetting{
		{name: "organization", orgSharing: true},
		{name: "external"},
		{name: "role", role: true},
	}
	servers := map[bool]*matrixServer{}
	calls, allowed, leaks := 0, 0, 0
	var table []string
	for _, setting := range settings {
		m := servers[setting.orgSharing]
		if m == nil {
			m = newMatrixServer(t, setting.orgSharing)
			servers[setting.orgSharing] = m
		}
		grantee, others := "consumer", []string{"third"}
		if setting.role {
			grantee, others = "analyst", []string{"third", "consumer", "bystander"}
		}
		for _, state := range matrixStates() {
			if state.invitation && setting.orgSharing {
				continue // members of the organization are never invited
			}
			t.Run(setting.name+"/"+state.name, func(t *testing.T) {
				pipeline, execution := m.setup(t, setting, state)
				missingPipeline := pipeline + "-missing"
				missingExecution := missingPipeline + "/execution/" + execution[strings.LastIndex(execution, "/")+1:]
				granted := map[string]bool{}
				for _, a := range state.grants {
					granted[a] = true
				}
				var row []string
				for i, a := range matrixActions() {
					tok := fmt.Sprintf("%s-%s-%02d-%032d", setting.name, state.name, i, 0)
					for _, who := range append([]string{grantee}, others...) {
						want := "AccessDeniedException"
						if who == grantee && granted[a.name] {
							want = a.granted
						}
						got, msg := m.call(t, who, a.name, a.body(pipeline, execution, who+tok))
						calls++
						if got != want {
							leaks++
							t.Errorf("%s as %s: %s (%s), want %s", a.name, who, got, msg, want)
							continue
						}
						if got != "AccessDeniedException" {
							allowed++
							if who == grantee {
								row = append(row, a.name)
							}
							continue
						}
						// A refusal says nothing a refusal for nothing would not say.
						_, missingMsg := m.call(t, who, a.name, a.body(missingPipeline, missingExecution, who+tok+"m"))
						calls++
						target, missingTarget := pipeline, missingPipeline
						if strings.Contains(msg, "/execution/") {
							target, missingTarget = execution, missingExecution
						}
						if !sameShape(msg, target, missingMsg, missingTarget) {
							leaks++
							t.Errorf("%s as %s: the refusal for an existing resource %q differs from the one for a missing one %q", a.name, who, msg, missingMsg)
						}
						if !strings.Contains(msg, "sagemaker:"+a.name) || strings.Contains(msg, "does not exist") {
							t.Errorf("%s as %s: refusal %q", a.name, who, msg)
						}
					}
				}
				for _, who := range append([]string{grantee}, others...) {
					p, e := m.searchFinds(t, who, pipeline)
					calls += 2
					want := who == grantee && granted["Search"]
					if p != want || e != want {
						leaks++
						t.Errorf("Search as %s finds the pipeline %v and its executions %v, want %v", who, p, e, want)
					} else if want {
						allowed += 2
						row = append(row, "Search")
					}
				}
				sort.Strings(row)
				table = append(table, fmt.Sprintf("%-12s %-16s %s", setting.name, state.name, strings.Join(row, ",")))
			})
		}
	}
	t.Logf("isolation matrix: %d calls, %d allowed, %d leaks\n%s", calls, allowed, leaks, strings.Join(table, "\n"))
	if leaks != 0 {
		t.Errorf("%d leaks", leaks)
	}
}

// No existence oracle: to an account a pipeline is not shared with, a pipeline that exists
// and the same ARN once the pipeline is gone answer the same bytes, whether or not the
// pipeline was shared with someone else; an execution that exists and one that never did
// differ only by their ARNs.
func TestCrossAccountNoOracle(t *testing.T) {
	m := newMatrixServer(t, false)
	ctx := context.Background()
	lone := ramPipeline(t, m.c, "owner", "lone")
	elsewhere := ramPipeline(t, m.c, "owner", "elsewhere")
	if _, err := m.owner.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String(elsewhere), Tags: []smtypes.Tag{{Key: aws.String("secret"), Value: aws.String("yes")}}}); err != nil {
		t.Fatal(err)
	}
	acceptInvitation(t, ramFor(m.c, "third"), aws.ToString(ramShare(t, m.ownerRAM, "elsewhere", []string{elsewhere}, []string{ramThird}, []string{pipelineExecARN}).ResourceShareArn))
	started, err := m.owner.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("elsewhere"), ClientRequestToken: aws.String(token(t, "run"))})
	if err != nil {
		t.Fatal(err)
	}
	execution := aws.ToString(started.PipelineExecutionArn)
	waitExecution(t, m.owner, execution, 30*time.Second)

	raw := func(op string, body map[string]any) []byte {
		doc, _ := json.Marshal(body)
		creds := m.creds["consumer"]
		a := sendRaw(t, rawCall{Service: "sagemaker", Body: doc, Creds: &creds,
			Header: map[string]string{"Content-Type": wireJSON11Type, "X-Amz-Target": "SageMaker." + op}}.build(t, m.c.endpoint()))
		if code, _ := parseJSONError(t, a); a.Status != 400 || code != "AccessDeniedException" {
			t.Fatalf("%s: %d %s", op, a.Status, a.Body)
		}
		return a.Body
	}
	pipelineCalls := func(p string) map[string][]byte {
		return map[string][]byte{
			"DescribePipeline":       raw("DescribePipeline", map[string]any{"PipelineName": p}),
			"ListPipelineExecutions": raw("ListPipelineExecutions", map[string]any{"PipelineName": p}),
			"StartPipelineExecution": raw("StartPipelineExecution", map[string]any{"PipelineName": p, "ClientRequestToken": strings.Repeat("t", 40)}),
		}
	}
	for _, p := range []string{lone, elsewhere} {
		before := pipelineCalls(p)
		name := p[strings.LastIndex(p, "/")+1:]
		if _, err := m.owner.DeletePipeline(ctx, &sagemaker.DeletePipelineInput{PipelineName: aws.String(name), ClientRequestToken: aws.String(token(t, "delete-"+name))}); err != nil {
			t.Fatal(err)
		}
		after := pipelineCalls(p)
		for op, body := range before {
			if string(body) != string(after[op]) {
				t.Errorf("%s on %s: %s while it exists, %s once it is gone", op, name, body, after[op])
			}
		}
	}
	// A pipeline of an account that does not exist reads the same too.
	ghost := strings.Replace(lone, ramOwner, "444444444444", 1)
	for op, body := range pipelineCalls(ghost) {
		if !sameShape(string(body), ghost, string(pipelineCalls(lone)[op]), lone) {
			t.Errorf("%s on another account's ARN: %s", op, body)
		}
	}
	missing := execution[:strings.LastIndex(execution, "/")+1] + "zzzzzzzzzzzz"
	for _, op := range []string{"DescribePipelineExecution", "ListPipelineExecutionSteps", "ListPipelineParametersForExecution",
		"DescribePipelineDefinitionForExecution", "StopPipelineExecution", "RetryPipelineExecution"} {
		body := func(e string) map[string]any {
			return map[string]any{"PipelineExecutionArn": e, "ClientRequestToken": strings.Repeat("t", 40)}
		}
		if a, b := raw(op, body(execution)), raw(op, body(missing)); !sameShape(string(a), execution, string(b), missing) {
			t.Errorf("%s: %s for an execution, %s for none", op, a, b)
		}
	}
}
