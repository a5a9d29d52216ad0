package console_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/cairnhq/cairn/internal/runner/local"
	"github.com/cairnhq/cairn/internal/server"
)

// TestMain lets the test binary supervise the jobs of the servers these tests start.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == local.SuperviseCommand {
		os.Exit(local.Supervise(os.Args[2:], os.Stderr))
	}
	os.Exit(m.Run())
}

const accountsYAML = `
accounts:
  - name: alpha
    id: "111111111111"
  - name: beta
    id: "222222222222"
ram:
  association_delay: 0s
`

// cairn is a server under test.
type cairn struct {
	t   testing.TB
	srv *server.Server
	dir string
}

func start(t testing.TB) *cairn {
	t.Helper()
	dir := t.TempDir()
	cfgPath := filepath.Join(t.TempDir(), "cairn.yaml")
	if err := os.WriteFile(cfgPath, []byte(accountsYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := server.Open(context.Background(), server.Options{Listen: "127.0.0.1:0", DataDir: dir, ConfigFile: cfgPath,
		Logger: logger, Supervisor: []string{exe, local.SuperviseCommand}})
	if err != nil {
		t.Fatalf("open server: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return &cairn{t: t, srv: srv, dir: dir}
}

// config is an SDK config for a profile Cairn wrote.
func (c *cairn) config(profile string) aws.Config {
	c.t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedConfigFiles([]string{filepath.Join(c.dir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(c.dir, "credentials")}),
		config.WithSharedConfigProfile(profile))
	if err != nil {
		c.t.Fatalf("config %s: %v", profile, err)
	}
	return cfg
}

// keys returns the credentials of a profile.
func (c *cairn) keys(profile string) aws.Credentials {
	c.t.Helper()
	creds, err := c.config(profile).Credentials.Retrieve(context.Background())
	if err != nil {
		c.t.Fatalf("credentials of %s: %v", profile, err)
	}
	return creds
}

// user creates an IAM user in profile's account with an inline policy and returns its keys.
func (c *cairn) user(profile, name, policy string) aws.Credentials {
	c.t.Helper()
	ctx := context.Background()
	admin := iam.NewFromConfig(c.config(profile))
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		c.t.Fatalf("CreateUser: %v", err)
	}
	if policy != "" {
		if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"),
			PolicyDocument: aws.String(policy)}); err != nil {
			c.t.Fatalf("PutUserPolicy: %v", err)
		}
	}
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		c.t.Fatalf("CreateAccessKey: %v", err)
	}
	return aws.Credentials{AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey)}
}

func (c *cairn) sagemaker(profile string) *sagemaker.Client {
	return sagemaker.NewFromConfig(c.config(profile))
}

func withKeys(cfg aws.Config, k aws.Credentials) aws.Config {
	cfg = cfg.Copy()
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(k.AccessKeyID, k.SecretAccessKey, k.SessionToken))
	return cfg
}

// role creates a role SageMaker may assume with a policy that runs pipelines and jobs.
func (c *cairn) role(profile, name string) string {
	c.t.Helper()
	admin := iam.NewFromConfig(c.config(profile))
	out, err := admin.CreateRole(context.Background(), &iam.CreateRoleInput{RoleName: aws.String(name),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil {
		c.t.Fatalf("CreateRole: %v", err)
	}
	if _, err := admin.PutRolePolicy(context.Background(), &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sagemaker:*","s3:*"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}`)}); err != nil {
		c.t.Fatalf("PutRolePolicy: %v", err)
	}
	return aws.ToString(out.Role.Arn)
}

// pipeline creates a pipeline in profile's account.
func (c *cairn) pipeline(profile, name, role, definition string) string {
	c.t.Helper()
	out, err := c.sagemaker(profile).CreatePipeline(context.Background(), &sagemaker.CreatePipelineInput{PipelineName: aws.String(name),
		RoleArn: aws.String(role), PipelineDefinition: aws.String(definition), ClientRequestToken: aws.String(token())})
	if err != nil {
		c.t.Fatalf("CreatePipeline %s: %v", name, err)
	}
	return aws.ToString(out.PipelineArn)
}

func token() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// branching is a pipeline of Condition and Fail steps only, which end at once: Check
// decides on a parameter; Accept (if) and Reject (else, a Fail step); After waits on Check
// by DependsOn.
const branching = `{"Version":"2020-12-01","Metadata":{},
 "Parameters":[{"Name":"Score","Type":"Float","DefaultValue":0.9},{"Name":"Mode","Type":"String","DefaultValue":"fast","EnumValues":["fast","slow"]}],
 "Steps":[
  {"Name":"Check","Type":"Condition","Arguments":{
    "Conditions":[{"Type":"GreaterThanOrEqualTo","LeftValue":{"Get":"Parameters.Score"},"RightValue":0.5}],
    "IfSteps":[{"Name":"Accept","Type":"Condition","Arguments":{"Conditions":[{"Type":"Equals","LeftValue":1,"RightValue":1}],"IfSteps":[],"ElseSteps":[]}}],
    "ElseSteps":[{"Name":"Reject","Type":"Fail","Arguments":{"ErrorMessage":"score too low"}}]}},
  {"Name":"After","Type":"Condition","DependsOn":["Check"],"Arguments":{"Conditions":[{"Type":"Equals","LeftValue":1,"RightValue":1}],"IfSteps":[],"ElseSteps":[]}}
 ]}`

// browser is a cookie-keeping HTTP client that does not follow redirects.
type browser struct {
	t    testing.TB
	base string
	http *http.Client
	// csrf is the last CSRF token a page carried.
	csrf string
}

func (c *cairn) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: c.t, base: c.srv.Endpoint(), http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

type response struct {
	status int
	body   string
	header http.Header
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfField.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return response{status: res.StatusCode, body: string(body), header: res.Header}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

// post submits a form; csrf is added unless the form has one.
func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signin signs in with a key pair through the form.
func (b *browser) signin(k aws.Credentials) response {
	b.t.Helper()
	if r := b.get("/_cairn/console/signin"); r.status != http.StatusOK {
		b.t.Fatalf("sign-in form: %d", r.status)
	}
	return b.post("/_cairn/console/signin", url.Values{"access_key_id": {k.AccessKeyID}, "secret_access_key": {k.SecretAccessKey},
		"session_token": {k.SessionToken}})
}

// signedIn returns a browser signed in as k.
func (c *cairn) signedIn(k aws.Credentials) *browser {
	c.t.Helper()
	b := c.browser()
	if r := b.signin(k); r.status != http.StatusSeeOther {
		c.t.Fatalf("sign in: %d %s", r.status, r.body)
	}
	if r := b.get("/_cairn/console/pipelines"); r.status != http.StatusOK {
		c.t.Fatalf("pipelines after sign-in: %d %s", r.status, r.body)
	}
	return b
}
