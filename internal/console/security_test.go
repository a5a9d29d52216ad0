package console_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// Every page and action needs a session: pages send the browser to sign in and back,
// actions and event streams answer 401.
func TestNoPageWithoutSession(t *testing.T) {
	c := start(t)
	b := c.browser()
	for _, path := range []string{"/_cairn/console/", "/_cairn/console/pipelines", "/_cairn/console/pipeline?name=x",
		"/_cairn/console/execution?arn=x", "/_cairn/console/job?arn=x", "/_cairn/console/job/log?arn=x",
		"/_cairn/console/sharing", "/_cairn/console/access", "/_cairn/console/lineage?arn=x"} {
		r := b.get(path)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/_cairn/console/signin?next=") {
			t.Errorf("GET %s: %d to %q, want a redirect to sign in", path, r.status, r.header.Get("Location"))
		}
	}
	req, _ := http.NewRequest(http.MethodGet, b.base+"/_cairn/console/execution/events?arn=x", nil)
	req.Header.Set("Accept", "text/event-stream")
	if r := b.do(req); r.status != http.StatusUnauthorized {
		t.Errorf("event stream without a session: %d", r.status)
	}
	for _, path := range []string{"/_cairn/console/pipeline/start", "/_cairn/console/execution/stop", "/_cairn/console/execution/retry",
		"/_cairn/console/sharing/invitation", "/_cairn/console/access/simulate", "/_cairn/console/signout"} {
		if r := b.post(path, url.Values{"csrf": {"x"}}); r.status != http.StatusUnauthorized {
			t.Errorf("POST %s without a session: %d", path, r.status)
		}
	}
	// A forged cookie is no session.
	req, _ = http.NewRequest(http.MethodGet, b.base+"/_cairn/console/pipelines", nil)
	req.AddCookie(&http.Cookie{Name: "cairn_console", Value: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w"})
	if r := b.do(req); r.status != http.StatusSeeOther {
		t.Errorf("forged cookie: %d", r.status)
	}
}

func TestSigninCookieFlagsAndSignout(t *testing.T) {
	c := start(t)
	b := c.browser()
	keys := c.keys("alpha")
	wrong := keys
	wrong.SecretAccessKey = strings.Repeat("x", 40)
	if r := b.signin(wrong); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "not valid") {
		t.Fatalf("wrong secret: %d", r.status)
	}
	r := b.signin(keys)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/_cairn/console/pipelines" {
		t.Fatalf("sign in: %d %q", r.status, r.header.Get("Location"))
	}
	var session *http.Cookie
	for _, raw := range r.header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(raw)
		if err == nil && ck.Name == "cairn_console" {
			session = ck
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	if !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/_cairn/console/" || session.Expires.IsZero() {
		t.Errorf("cookie flags: %+v", session)
	}
	if d := time.Until(session.Expires); d <= 0 || d > 13*time.Hour {
		t.Errorf("session expires in %v", d)
	}
	if strings.Contains(session.Value, keys.AccessKeyID) {
		t.Error("the cookie shows the access key ID")
	}
	page := b.get("/_cairn/console/pipelines")
	if page.status != http.StatusOK || !strings.Contains(page.body, "arn:aws:iam::111111111111:root") {
		t.Fatalf("pipelines: %d", page.status)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options"} {
		if page.header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if strings.Contains(page.body, "http://") || strings.Contains(page.body, "https://") {
		t.Error("the page refers to another origin")
	}
	// Sign out: the cookie is dropped, and the same cookie presented again is refused.
	req, _ := http.NewRequest(http.MethodGet, b.base+"/_cairn/console/pipelines", nil)
	req.AddCookie(&http.Cookie{Name: session.Name, Value: session.Value})
	if r := b.post("/_cairn/console/signout", nil); r.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", r.status)
	}
	if r := b.get("/_cairn/console/pipelines"); r.status != http.StatusSeeOther {
		t.Errorf("after sign-out: %d", r.status)
	}
	other := c.browser()
	if r := other.do(req); r.status != http.StatusSeeOther {
		t.Errorf("replayed signed-out cookie: %d", r.status)
	}
}

// Forms carry a CSRF token; a request without it, or with another session's, does nothing.
func TestCSRFRequired(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	c.pipeline("alpha", "p1", role, branching)
	b := c.signedIn(c.keys("alpha"))
	other := c.signedIn(c.keys("alpha"))
	b.get("/_cairn/console/pipeline?name=p1")
	form := url.Values{"name": {"p1"}}
	for name, token := range map[string]string{"missing": "", "another session's": other.csrf, "made up": "0123456789abcdef"} {
		f := url.Values{"name": {"p1"}, "csrf": {token}}
		if r := b.post("/_cairn/console/pipeline/start", f); r.status != http.StatusForbidden {
			t.Errorf("%s token: %d", name, r.status)
		}
	}
	list, err := c.sagemaker("alpha").ListPipelineExecutions(context.Background(), &sagemaker.ListPipelineExecutionsInput{PipelineName: aws.String("p1")})
	if err != nil || len(list.PipelineExecutionSummaries) != 0 {
		t.Fatalf("executions after refused forms: %v %v", list, err)
	}
	if r := b.post("/_cairn/console/pipeline/start", form); r.status != http.StatusSeeOther {
		t.Fatalf("start with the token: %d %s", r.status, r.body)
	}
	// The sign-in form has its own token.
	fresh := c.browser()
	k := c.keys("alpha")
	if r := fresh.post("/_cairn/console/signin", url.Values{"access_key_id": {k.AccessKeyID}, "secret_access_key": {k.SecretAccessKey}}); r.status != http.StatusForbidden {
		t.Errorf("sign-in without the form's token: %d", r.status)
	}
}

// A session of one account cannot read another account's pipeline or execution by
// editing the URL, and the answer does not say whether it exists.
func TestAnotherAccountsPipelineByURL(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	arn := c.pipeline("alpha", "secret-pipeline", role, branching)
	out, err := c.sagemaker("alpha").StartPipelineExecution(context.Background(), &sagemaker.StartPipelineExecutionInput{
		PipelineName: aws.String("secret-pipeline"), ClientRequestToken: aws.String(token())})
	if err != nil {
		t.Fatal(err)
	}
	beta := c.signedIn(c.keys("beta"))
	exists := beta.get("/_cairn/console/pipeline?name=" + url.QueryEscape(arn))
	missing := beta.get("/_cairn/console/pipeline?name=" + url.QueryEscape(strings.Replace(arn, "secret-pipeline", "no-such", 1)))
	if exists.status == http.StatusOK || strings.Contains(exists.body, "Check") || !strings.Contains(exists.body, "AccessDenied") {
		t.Fatalf("another account's pipeline by ARN: %d\n%s", exists.status, exists.body)
	}
	if exists.status != missing.status || strings.ReplaceAll(exists.body, "secret-pipeline", "X") != strings.ReplaceAll(missing.body, "no-such", "X") {
		t.Errorf("an existing and a missing pipeline answer differently: %d vs %d", exists.status, missing.status)
	}
	if r := beta.get("/_cairn/console/pipeline?name=secret-pipeline"); r.status == http.StatusOK {
		t.Errorf("by name in beta's session: %d", r.status)
	}
	for _, path := range []string{"/_cairn/console/execution?arn=", "/_cairn/console/execution/events?arn="} {
		r := beta.get(path + url.QueryEscape(aws.ToString(out.PipelineExecutionArn)))
		if r.status == http.StatusOK || !strings.Contains(r.body, "AccessDenied") {
			t.Errorf("%s another account's execution: %d", path, r.status)
		}
	}
	if r := beta.post("/_cairn/console/execution/stop", url.Values{"arn": {aws.ToString(out.PipelineExecutionArn)}}); r.status == http.StatusSeeOther {
		t.Errorf("beta stopped alpha's execution")
	}
}

// `cairn console` asks the federation endpoint for a one-time sign-in URL with a signed
// request; the URL works once.
func TestOneTimeSigninURL(t *testing.T) {
	c := start(t)
	keys := c.keys("alpha")
	signinURL := federation(t, c.srv.Endpoint(), keys)
	u, err := url.Parse(signinURL)
	if err != nil || u.Path != "/_cairn/console/signin/token" {
		t.Fatalf("sign-in URL %q", signinURL)
	}
	b := c.browser()
	if r := b.get(u.RequestURI()); r.status != http.StatusSeeOther {
		t.Fatalf("redeem: %d %s", r.status, r.body)
	}
	if r := b.get("/_cairn/console/pipelines"); r.status != http.StatusOK {
		t.Fatalf("after redeem: %d", r.status)
	}
	if r := c.browser().get(u.RequestURI()); r.status != http.StatusUnauthorized {
		t.Errorf("second use: %d", r.status)
	}
	// Unsigned, or signed with a wrong secret: no token.
	res, err := http.Post(c.srv.Endpoint()+"/_cairn/console/federation", "application/json", nil)
	if err != nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned federation request: %v %v", res.StatusCode, err)
	}
	bad := keys
	bad.SecretAccessKey = strings.Repeat("y", 40)
	if code := federationStatus(t, c.srv.Endpoint(), bad); code != http.StatusForbidden {
		t.Errorf("badly signed: %d", code)
	}
}

func signedFederation(t testing.TB, endpoint string, k aws.Credentials) *http.Response {
	t.Helper()
	body := []byte("{}")
	req, _ := http.NewRequest(http.MethodPost, endpoint+"/_cairn/console/federation", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), k, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func federationStatus(t testing.TB, endpoint string, k aws.Credentials) int {
	res := signedFederation(t, endpoint, k)
	res.Body.Close()
	return res.StatusCode
}

func federation(t testing.TB, endpoint string, k aws.Credentials) string {
	t.Helper()
	res := signedFederation(t, endpoint, k)
	defer res.Body.Close()
	var out struct{ SigninURL string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("federation: %d %v", res.StatusCode, err)
	}
	return out.SigninURL
}

// The console is not reachable through S3's virtual-hosted names, and S3's path-style
// routes never reach it.
func TestConsoleRouteIsNotS3(t *testing.T) {
	c := start(t)
	req, _ := http.NewRequest(http.MethodGet, c.srv.Endpoint()+"/_cairn/console/signin", nil)
	req.Host = "bucket.localhost"
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("a virtual-hosted bucket request reached the console")
	}
	r := c.browser().get("/_cairn/consolex")
	if strings.Contains(r.body, "Sign in") {
		t.Errorf("/_cairn/consolex reached the console")
	}
}

// A session rests on its access key: deactivating the key ends it at the next request.
func TestDeactivatedKeyEndsTheSession(t *testing.T) {
	c := start(t)
	k := c.user("alpha", "temp", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}]}`)
	b := c.signedIn(k)
	if _, err := iam.NewFromConfig(c.config("alpha")).UpdateAccessKey(context.Background(), &iam.UpdateAccessKeyInput{
		UserName: aws.String("temp"), AccessKeyId: aws.String(k.AccessKeyID), Status: iamtypes.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	if r := b.get("/_cairn/console/pipelines"); r.status != http.StatusSeeOther {
		t.Errorf("after the key was deactivated: %d", r.status)
	}
}

// A shared execution's event stream ends with the API's denial at the first change after
// the share is deleted.
func TestEventStreamEndsWhenTheShareEnds(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	arn := c.pipeline("alpha", "shared-one", role, branching)
	ctx := context.Background()
	owner := ram.NewFromConfig(c.config("alpha"))
	share, err := owner.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("to-beta"),
		ResourceArns: []string{arn}, Principals: []string{"222222222222"}})
	if err != nil {
		t.Fatal(err)
	}
	consumer := ram.NewFromConfig(c.config("beta"))
	inv, err := consumer.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{})
	if err != nil || len(inv.ResourceShareInvitations) != 1 {
		t.Fatalf("invitations: %v %v", inv, err)
	}
	if _, err := consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{
		ResourceShareInvitationArn: inv.ResourceShareInvitations[0].ResourceShareInvitationArn}); err != nil {
		t.Fatal(err)
	}
	sm := c.sagemaker("alpha")
	out, err := sm.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("shared-one"), ClientRequestToken: aws.String(token())})
	if err != nil {
		t.Fatal(err)
	}
	exec := aws.ToString(out.PipelineExecutionArn)
	waitStatus(t, sm, exec, "Succeeded")
	beta := c.signedIn(c.keys("beta"))
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, _ := http.NewRequestWithContext(sctx, http.MethodGet, beta.base+"/_cairn/console/execution/events?arn="+url.QueryEscape(exec), nil)
	res, err := beta.http.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("beta's stream of the shared execution: %v %v", res.StatusCode, err)
	}
	defer res.Body.Close()
	lines := make(chan string, 32)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if first := <-lines; first != "event: state" {
		t.Fatalf("first line %q", first)
	}
	if _, err := owner.DeleteResourceShare(ctx, &ram.DeleteResourceShareInput{ResourceShareArn: share.ResourceShare.ResourceShareArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := sm.UpdatePipelineExecution(ctx, &sagemaker.UpdatePipelineExecutionInput{PipelineExecutionArn: aws.String(exec),
		PipelineExecutionDescription: aws.String("after the share")}); err != nil {
		t.Fatal(err)
	}
	var rest []string
	timeout := time.After(10 * time.Second)
	for done := false; !done; {
		select {
		case l, ok := <-lines:
			if !ok {
				done = true
			}
			rest = append(rest, l)
		case <-timeout:
			t.Fatalf("the stream goes on after the share ended: %q", rest)
		}
	}
	all := strings.Join(rest, "\n")
	if !strings.Contains(all, "event: failure") || !strings.Contains(all, "AccessDenied") || strings.Contains(all, "after the share") {
		t.Errorf("the stream's end:\n%s", all)
	}
}
