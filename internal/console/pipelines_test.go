package console_test

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// A user without sagemaker:ListPipelines sees AWS's denial, not a list.
func TestPipelinesDeniedShowsTheDenial(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	c.pipeline("alpha", "secretpipe", role, branching)
	k := c.user("alpha", "viewer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:DescribePipeline","Resource":"*"}]}`)
	b := c.browser()
	if r := b.signin(k); r.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", r.status)
	}
	r := b.get("/_cairn/console/pipelines")
	if r.status != http.StatusBadRequest && r.status != http.StatusForbidden {
		t.Errorf("status %d", r.status)
	}
	for _, want := range []string{"AccessDeniedException", "arn:aws:iam::111111111111:user/viewer", "is not authorized to perform: sagemaker:ListPipelines"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the denial lacks %q:\n%s", want, r.body)
		}
	}
	if strings.Contains(r.body, "secretpipe") {
		t.Error("the page lists the pipeline")
	}
	// What the user may do, the console shows: the pipeline page, with the executions
	// the user may not list answered by their own denial.
	r = b.get("/_cairn/console/pipeline?name=secretpipe")
	if r.status != http.StatusOK || !strings.Contains(r.body, "sagemaker:ListPipelineExecutions") {
		t.Errorf("pipeline page for a describe-only user: %d", r.status)
	}
}

// The list pages on the server, fifty at a time, with tokens in the URL.
func TestPipelinesListPages(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	for i := 0; i < 53; i++ {
		c.pipeline("alpha", fmt.Sprintf("p-%03d", i), role, branching)
	}
	b := c.signedIn(c.keys("alpha"))
	first := b.get("/_cairn/console/pipelines")
	if n := strings.Count(first.body, `href="/_cairn/console/pipeline?name=p-`); n != 50 {
		t.Errorf("first page: %d pipelines", n)
	}
	next := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(first.body)
	if next == nil {
		t.Fatal("no next page link")
	}
	second := b.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	if n := strings.Count(second.body, `href="/_cairn/console/pipeline?name=p-`); n != 3 || !strings.Contains(second.body, "p-052") {
		t.Errorf("second page: %d pipelines", n)
	}
	filtered := b.get("/_cairn/console/pipelines?prefix=p-05")
	if n := strings.Count(filtered.body, `href="/_cairn/console/pipeline?name=p-`); n != 3 {
		t.Errorf("prefix p-05: %d pipelines", n)
	}
}

// The pipeline page draws every step, nested ones included, with data, DependsOn and
// labelled Condition edges, and offers the parameters in a start form.
func TestPipelinePage(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	c.pipeline("alpha", "branching", role, branching)
	b := c.signedIn(c.keys("alpha"))
	r := b.get("/_cairn/console/pipeline?name=branching")
	if r.status != http.StatusOK {
		t.Fatalf("pipeline page: %d %s", r.status, r.body)
	}
	for _, want := range []string{
		`data-step="Check"`, `data-step="Accept"`, `data-step="Reject"`, `data-step="After"`,
		`class="step t-condition"`, `class="step t-fail"`,
		`class="edge e-if"`, `class="edge e-else"`, `class="edge e-depends"`, `>if</text>`, `>else</text>`,
		`name="param.Score"`, `<option value="slow">slow</option>`, "No executions yet.",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// Start with the form's parameters (validated by the API), watch it end, retry a failed
// execution; stopping an ended one answers with the API's conflict.
func TestStartStopRetry(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	c.pipeline("alpha", "branching", role, branching)
	b := c.signedIn(c.keys("alpha"))
	b.get("/_cairn/console/pipeline?name=branching")
	bad := b.post("/_cairn/console/pipeline/start", url.Values{"name": {"branching"}, "param.Mode": {"medium"}})
	if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "medium") {
		t.Errorf("a value outside the enum: %d\n%s", bad.status, bad.body)
	}
	// A value the API would refuse is shown beside its field, the form as it was sent.
	bad = b.post("/_cairn/console/pipeline/start", url.Values{"name": {"branching"}, "param.Score": {"high"}, "param.Mode": {"slow"},
		"display_name": {"kept"}})
	for _, want := range []string{`id="start-error"`, `Value &#34;high&#34; of parameter &#34;Score&#34; is not a valid Float.`,
		`<div class="field-error" id="err-Score">`, `value="high"`, `<option value="slow" selected>`, `value="kept"`, `aria-invalid="true"`} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("the refused form lacks %s", want)
		}
	}
	if bad.status != http.StatusBadRequest {
		t.Errorf("a Float that is not a number: %d", bad.status)
	}
	// What the form does not offer is refused as the API refuses it.
	if r := b.post("/_cairn/console/pipeline/start", url.Values{"name": {"branching"}, "param.Nope": {"1"}}); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, `Parameter &#34;Nope&#34; is not defined in the pipeline definition.`) {
		t.Errorf("an unknown parameter: %d\n%s", r.status, r.body)
	}
	listed, err := c.sagemaker("alpha").ListPipelineExecutions(context.Background(), &sagemaker.ListPipelineExecutionsInput{PipelineName: aws.String("branching")})
	if err != nil || len(listed.PipelineExecutionSummaries) != 0 {
		t.Fatalf("executions after refused starts: %v %v", listed, err)
	}
	b.get("/_cairn/console/pipeline?name=branching")
	r := b.post("/_cairn/console/pipeline/start", url.Values{"name": {"branching"}, "param.Score": {"0.1"}, "param.Mode": {""},
		"display_name": {"low-score"}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/_cairn/console/execution?arn=") {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	arn, _ := url.QueryUnescape(strings.TrimPrefix(loc, "/_cairn/console/execution?arn="))
	sm := c.sagemaker("alpha")
	waitStatus(t, sm, arn, "Failed")
	page := b.get(loc)
	for _, want := range []string{"low-score", `id="step-Reject"`, "score too low", "Condition: False", `s-Failed`, `<code>0.1</code>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("execution page lacks %q", want)
		}
	}
	if stop := b.post("/_cairn/console/execution/stop", url.Values{"arn": {arn}}); stop.status == http.StatusSeeOther || !strings.Contains(stop.body, "cannot be stopped") {
		t.Errorf("stop an ended execution: %d", stop.status)
	}
	b.get(loc)
	if retry := b.post("/_cairn/console/execution/retry", url.Values{"arn": {arn}}); retry.status != http.StatusSeeOther {
		t.Fatalf("retry: %d %s", retry.status, retry.body)
	}
	waitStatus(t, sm, arn, "Failed") // the same parameters fail the same way
	list := b.get("/_cairn/console/pipeline?name=branching")
	link := regexp.MustCompile(`<a href="([^"]+)">low-score</a>`).FindStringSubmatch(list.body)
	if link == nil {
		t.Fatal("the pipeline page does not list the execution")
	}
	if r := b.get(html.UnescapeString(link[1])); r.status != http.StatusOK || !strings.Contains(r.body, `id="step-Reject"`) {
		t.Errorf("the execution's link: %d", r.status)
	}
}

func waitStatus(t testing.TB, sm *sagemaker.Client, arn, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := sm.DescribePipelineExecution(context.Background(), &sagemaker.DescribePipelineExecutionInput{PipelineExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if string(out.PipelineExecutionStatus) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution is %s, want %s", out.PipelineExecutionStatus, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The event stream sends the execution's state at once and again after each commit that
// changes it.
func TestExecutionEvents(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	c.pipeline("alpha", "branching", role, branching)
	sm := c.sagemaker("alpha")
	out, err := sm.StartPipelineExecution(context.Background(), &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("branching"),
		ClientRequestToken: aws.String(token()), PipelineParameters: nil})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.PipelineExecutionArn)
	waitStatus(t, sm, arn, "Succeeded")
	b := c.signedIn(c.keys("alpha"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/_cairn/console/execution/events?arn="+url.QueryEscape(arn), nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := b.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- data
			}
		}
		close(events)
	}()
	first := <-events
	if !strings.Contains(first, `"status":"Succeeded"`) || !strings.Contains(first, `"name":"Accept"`) {
		t.Fatalf("first event: %s", first)
	}
	// A commit to the execution (its description) sends the state again.
	if _, err := sm.UpdatePipelineExecution(context.Background(), &sagemaker.UpdatePipelineExecutionInput{PipelineExecutionArn: aws.String(arn),
		PipelineExecutionDescription: aws.String("changed")}); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		if !strings.Contains(ev, `"status":"Succeeded"`) {
			t.Errorf("second event: %s", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event after the commit")
	}
}

// A pipeline shared through RAM shows on the list, marked, once the invitation is accepted
// in the console; its page opens by ARN.
func TestSharedPipelineAndInvitations(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	arn := c.pipeline("alpha", "shared-one", role, branching)
	share, err := ram.NewFromConfig(c.config("alpha")).CreateResourceShare(context.Background(), &ram.CreateResourceShareInput{
		Name: aws.String("to-beta"), ResourceArns: []string{arn}, Principals: []string{"222222222222"}})
	if err != nil {
		t.Fatal(err)
	}
	alpha := c.signedIn(c.keys("alpha"))
	owned := alpha.get("/_cairn/console/sharing")
	if !strings.Contains(owned.body, "to-beta") || !strings.Contains(owned.body, "222222222222") || !strings.Contains(owned.body, "shared-one") {
		t.Errorf("owner's sharing page:\n%s", owned.body)
	}
	beta := c.signedIn(c.keys("beta"))
	if r := beta.get("/_cairn/console/pipelines"); strings.Contains(r.body, "shared-one") {
		t.Error("listed before the invitation is accepted")
	}
	page := beta.get("/_cairn/console/sharing")
	m := regexp.MustCompile(`name="arn" value="([^"]+)"><button name="decision" value="accept"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no invitation to accept:\n%s", page.body)
	}
	if r := beta.post("/_cairn/console/sharing/invitation", url.Values{"arn": {m[1]}, "decision": {"accept"}}); r.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	received := beta.get("/_cairn/console/sharing")
	if !strings.Contains(received.body, aws.ToString(share.ResourceShare.Name)) || !strings.Contains(received.body, "ACCEPTED") {
		t.Errorf("received shares after accepting:\n%s", received.body)
	}
	list := beta.get("/_cairn/console/pipelines")
	if !strings.Contains(list.body, "shared-one</a> <span class=\"badge shared\">shared</span>") {
		t.Errorf("the shared pipeline is not listed as shared:\n%s", list.body)
	}
	// The list's link opens the page (by ARN).
	link := regexp.MustCompile(`<a href="([^"]+)">shared-one</a>`).FindStringSubmatch(list.body)
	if link == nil {
		t.Fatal("no link to the shared pipeline")
	}
	p := beta.get(html.UnescapeString(link[1]))
	if p.status != http.StatusOK || !strings.Contains(p.body, "shared by 111111111111") || !strings.Contains(p.body, `data-step="Check"`) {
		t.Errorf("shared pipeline page: %d", p.status)
	}
}

// The access page runs SimulatePrincipalPolicy as the signed-in principal.
func TestAccessSimulate(t *testing.T) {
	c := start(t)
	c.user("alpha", "reader", `{"Version":"2012-10-17","Statement":[{"Sid":"ReadPipelines","Effect":"Allow","Action":"sagemaker:ListPipelines","Resource":"*"}]}`)
	b := c.signedIn(c.keys("alpha"))
	if r := b.get("/_cairn/console/access"); !strings.Contains(r.body, "arn:aws:iam::111111111111:root") {
		t.Errorf("access page: %d", r.status)
	}
	r := b.post("/_cairn/console/access/simulate", url.Values{"principal": {"arn:aws:iam::111111111111:user/reader"},
		"actions": {"sagemaker:ListPipelines, sagemaker:DeletePipeline"}})
	if r.status != http.StatusOK {
		t.Fatalf("simulate: %d %s", r.status, r.body)
	}
	for _, want := range []string{"d-allowed", "d-implicitDeny", "user: <code>p</code>"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("simulation lacks %q:\n%s", want, r.body)
		}
	}
	// A user who may not simulate sees the denial.
	k := c.user("alpha", "nobody", "")
	nb := c.browser()
	nb.signin(k)
	nb.get("/_cairn/console/access")
	r = nb.post("/_cairn/console/access/simulate", url.Values{"principal": {"arn:aws:iam::111111111111:user/reader"}, "actions": {"s3:GetObject"}})
	if !strings.Contains(r.body, "iam:SimulatePrincipalPolicy") {
		t.Errorf("denied simulation:\n%s", r.body)
	}
}

// The access page lists recent denials with the engine's explanation: the account's root
// user sees every principal's, a user only its own, and no other account sees them.
func TestRecentDenials(t *testing.T) {
	c := start(t)
	viewerKeys := c.user("alpha", "viewer", "")
	otherKeys := c.user("alpha", "other", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:ListPipelines","Resource":"*"}]}`)
	viewer := c.browser()
	viewer.signin(viewerKeys)
	if r := viewer.get("/_cairn/console/pipelines"); !strings.Contains(r.body, "AccessDenied") {
		t.Fatalf("the viewer was not denied: %d", r.status)
	}
	const want = "is not authorized to perform: sagemaker:ListPipelines"
	seen := func(b *browser) bool {
		r := b.get("/_cairn/console/access")
		return strings.Contains(r.body, "arn:aws:iam::111111111111:user/viewer") && strings.Contains(r.body, want) &&
			strings.Contains(r.body, "ImplicitlyDenied: identity-based policy")
	}
	if !seen(viewer) {
		t.Error("the viewer does not see its own denial")
	}
	if !seen(c.signedIn(c.keys("alpha"))) {
		t.Error("alpha's root does not see the viewer's denial")
	}
	if seen(c.signedIn(otherKeys)) {
		t.Error("another user sees the viewer's denial")
	}
	if seen(c.signedIn(c.keys("beta"))) {
		t.Error("another account sees the viewer's denial")
	}
	// An explicit deny names its policy and statement; an implicit one says nothing allowed it.
	denied := c.browser()
	denied.signin(c.user("alpha", "fenced", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"},
		{"Sid":"NoPipelineLists","Effect":"Deny","Action":"sagemaker:ListPipelines","Resource":"*"}]}`))
	if r := denied.get("/_cairn/console/pipelines"); !strings.Contains(r.body, "explicit deny") {
		t.Fatalf("not denied explicitly: %d", r.status)
	}
	r := denied.get("/_cairn/console/access")
	for _, want := range []string{"ExplicitlyDenied: identity-based policy", "statement <code>NoPipelineLists</code>", "policy <code>user/fenced/p</code>"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the explicit denial lacks %s:\n%s", want, r.body)
		}
	}
	if r := viewer.get("/_cairn/console/access"); !strings.Contains(r.body, "no statement allowed it") {
		t.Errorf("the implicit denial does not say that nothing allowed it")
	}
}

// A user who may read a pipeline but not start it sees the API's denial above the form,
// with the values kept; one who may stop executions stops a running one from its page.
func TestStartDeniedAndStopRunning(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	c.outputBucket("alpha")
	c.pipeline("alpha", "slow", role, slowPipeline(role))
	reader := c.signedIn(c.user("alpha", "reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sagemaker:Describe*","sagemaker:List*"],"Resource":"*"}]}`))
	reader.get("/_cairn/console/pipeline?name=slow")
	r := reader.post("/_cairn/console/pipeline/start", url.Values{"name": {"slow"}, "param.Seconds": {"30"}})
	if r.status == http.StatusSeeOther || !strings.Contains(r.body, "is not authorized to perform: sagemaker:StartPipelineExecution") ||
		!strings.Contains(r.body, `value="30"`) {
		t.Errorf("a start the user may not make: %d\n%s", r.status, r.body)
	}
	// One who may start the pipeline but not describe it starts it all the same, as the API
	// lets it; a refusal is the API's, on the error page.
	starter := c.browser()
	starter.signin(c.user("alpha", "starter", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:StartPipelineExecution","Resource":"*"}]}`))
	starter.get("/_cairn/console/access")
	if r := starter.post("/_cairn/console/pipeline/start", url.Values{"name": {"slow"}, "param.Seconds": {"0"}}); r.status != http.StatusSeeOther {
		t.Errorf("a start by a principal that may not describe the pipeline: %d\n%s", r.status, r.body)
	}
	if r := starter.post("/_cairn/console/pipeline/start", url.Values{"name": {"slow"}, "param.Nope": {"0"}}); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, "Nope") {
		t.Errorf("a refused start by that principal: %d\n%s", r.status, r.body)
	}
	b := c.signedIn(c.keys("alpha"))
	b.get("/_cairn/console/pipeline?name=slow")
	r = b.post("/_cairn/console/pipeline/start", url.Values{"name": {"slow"}, "param.Seconds": {"30"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	arn, _ := url.QueryUnescape(strings.TrimPrefix(loc, "/_cairn/console/execution?arn="))
	page := b.get(loc)
	if !regexp.MustCompile(`<button type="submit" id="stop">Stop</button>`).MatchString(page.body) {
		t.Errorf("the running execution's stop button is not enabled:\n%s", page.body)
	}
	// The reader may not stop it: the API's denial.
	reader.get(loc)
	if r := reader.post("/_cairn/console/execution/stop", url.Values{"arn": {arn}}); r.status == http.StatusSeeOther ||
		!strings.Contains(r.body, "sagemaker:StopPipelineExecution") {
		t.Errorf("the reader stopped it: %d", r.status)
	}
	if r := b.post("/_cairn/console/execution/stop", url.Values{"arn": {arn}}); r.status != http.StatusSeeOther || r.header.Get("Location") != loc {
		t.Fatalf("stop: %d %s", r.status, r.body)
	}
	waitStatus(t, c.sagemaker("alpha"), arn, "Stopped")
	if page := b.get(loc); !strings.Contains(page.body, `id="retry">Retry`) || strings.Contains(page.body, `id="retry" disabled`) {
		t.Errorf("the stopped execution cannot be retried from its page")
	}
}

// An invitation rejected in the console is no longer pending and shares nothing.
func TestRejectInvitation(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	arn := c.pipeline("alpha", "offered", role, branching)
	if _, err := ram.NewFromConfig(c.config("alpha")).CreateResourceShare(context.Background(), &ram.CreateResourceShareInput{
		Name: aws.String("offer"), ResourceArns: []string{arn}, Principals: []string{"222222222222"}}); err != nil {
		t.Fatal(err)
	}
	beta := c.signedIn(c.keys("beta"))
	page := beta.get("/_cairn/console/sharing")
	m := regexp.MustCompile(`name="arn" value="([^"]+)"><button name="decision" value="accept"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no invitation:\n%s", page.body)
	}
	if r := beta.post("/_cairn/console/sharing/invitation", url.Values{"arn": {m[1]}, "decision": {"reject"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reject: %d %s", r.status, r.body)
	}
	after := beta.get("/_cairn/console/sharing")
	if !strings.Contains(after.body, "REJECTED") || strings.Contains(after.body, `value="accept"`) {
		t.Errorf("after rejecting:\n%s", after.body)
	}
	if r := beta.get("/_cairn/console/pipelines"); strings.Contains(r.body, "offered") {
		t.Error("a rejected share lists its pipeline")
	}
	// Rejecting again answers with the API's error, not a 500.
	if r := beta.post("/_cairn/console/sharing/invitation", url.Values{"arn": {m[1]}, "decision": {"reject"}}); r.status == http.StatusSeeOther ||
		r.status >= 500 {
		t.Errorf("rejecting twice: %d", r.status)
	}
}

// The sharing page's lists page on the server, each with its token in the URL.
func TestSharingPages(t *testing.T) {
	c := start(t)
	owner := ram.NewFromConfig(c.config("alpha"))
	for i := 0; i < 23; i++ {
		if _, err := owner.CreateResourceShare(context.Background(), &ram.CreateResourceShareInput{Name: aws.String(fmt.Sprintf("share-%02d", i)),
			Principals: []string{"222222222222"}}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(body, prefix string) int {
		return len(regexp.MustCompile(`<td>`+prefix+`-\d\d</td>`).FindAllString(body, -1))
	}
	for _, who := range []struct {
		profile string
		next    string
	}{{"alpha", "Pages of shares owned"}, {"beta", "Pages of invitations"}} {
		b := c.signedIn(c.keys(who.profile))
		first := b.get("/_cairn/console/sharing")
		if n := count(first.body, "share"); n != 20 {
			t.Errorf("%s's first page: %d shares or invitations", who.profile, n)
		}
		_, rest, _ := strings.Cut(first.body, who.next)
		m := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(rest)
		if m == nil {
			t.Fatalf("%s: no next page", who.profile)
		}
		second := b.get(html.UnescapeString(m[1]))
		if n := count(second.body, "share"); n != 3 || !strings.Contains(second.body, ">First page</a>") {
			t.Errorf("%s's second page: %d", who.profile, n)
		}
	}
}

// A user without RAM's read permissions sees each list's denial on the sharing page, the
// page itself answered.
func TestSharingDenied(t *testing.T) {
	c := start(t)
	b := c.browser()
	b.signin(c.user("alpha", "noram", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}]}`))
	r := b.get("/_cairn/console/sharing")
	if r.status != http.StatusOK {
		t.Fatalf("sharing page: %d", r.status)
	}
	for _, action := range []string{"ram:GetResourceShares", "ram:GetResourceShareInvitations"} {
		if !strings.Contains(r.body, "is not authorized to perform: "+action) {
			t.Errorf("the page lacks the denial of %s", action)
		}
	}
	if n := strings.Count(r.body, `class="denial" role="alert"`); n != 3 {
		t.Errorf("%d denials, want one per list", n)
	}
}
