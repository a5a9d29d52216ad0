package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/cairnhq/cairn/internal/auth"
)

// Benchmarks of what sharing across accounts costs: authorizing a request on a shared
// pipeline against its owner's, and RAM's lists over many shares.
//
//	go test ./internal/server/ -run '^$' -bench 'SharedPipeline|RAMPages' -benchtime 2000x

const (
	benchOwner    = "111111111111"
	benchConsumer = "222222222222"
	benchPartner  = "333333333333"
)

// xacctServer opens a server with an owner and a consumer account, RAM associations that
// complete at once and sharing with the organization enabled, and returns it with the data
// dir.
func xacctServer(b *testing.B) (*Server, string) {
	b.Helper()
	dir := b.TempDir()
	config := filepath.Join(dir, "cairn.yaml")
	yaml := fmt.Sprintf("accounts:\n  - {name: owner, id: %q}\n  - {name: consumer, id: %q}\n  - {name: partner, id: %q}\nram:\n  association_delay: 0s\n",
		benchOwner, benchConsumer, benchPartner)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		b.Fatal(err)
	}
	s, err := Open(context.Background(), Options{Listen: "127.0.0.1:0", DataDir: filepath.Join(dir, "data"), ConfigFile: config,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		s.listener.Close()
		s.close()
	})
	s.invoke(b, "000000000000", "ram", "EnableSharingWithAwsOrganization", map[string]any{})
	return s, filepath.Join(dir, "data")
}

// invoke runs an operation in process as an account's root user and decodes its answer.
func (s *Server) invoke(b *testing.B, account, service, op string, in any) map[string]any {
	b.Helper()
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: account, ARN: auth.RootARN(account), UserID: account})
	body, _ := json.Marshal(in)
	out, err := s.bySigning[service].Operations().InvokeJSON(ctx, s.authorizer, op, body)
	if err != nil {
		b.Fatalf("%s %s: %v", service, op, err)
	}
	var m map[string]any
	json.Unmarshal(out, &m)
	return m
}

// benchPipelines creates n pipelines in an account and returns their ARNs.
func benchPipelines(b *testing.B, s *Server, account string, n int) []string {
	b.Helper()
	role := s.invoke(b, account, "iam", "CreateRole", map[string]any{"RoleName": "exec",
		"AssumeRolePolicyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
	roleARN := role["Role"].(map[string]any)["Arn"].(string)
	definition := `{"Version":"2020-12-01","Steps":[{"Name":"Stop","Type":"Fail","Arguments":{"ErrorMessage":"bye"}}]}`
	arns := make([]string, n)
	for i := range arns {
		out := s.invoke(b, account, "sagemaker", "CreatePipeline", map[string]any{"PipelineName": fmt.Sprintf("pipe-%05d", i),
			"RoleArn": roleARN, "PipelineDefinition": definition, "ClientRequestToken": fmt.Sprintf("%040d", i)})
		arns[i] = out["PipelineArn"].(string)
	}
	return arns
}

// profileKeys reads a profile's keys from the credentials file Cairn wrote.
func profileKeys(b *testing.B, dir, profile string) aws.Credentials {
	b.Helper()
	f, err := os.Open(filepath.Join(dir, "credentials"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var creds aws.Credentials
	section := ""
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && section == profile {
			switch strings.TrimSpace(k) {
			case "aws_access_key_id":
				creds.AccessKeyID = strings.TrimSpace(v)
			case "aws_secret_access_key":
				creds.SecretAccessKey = strings.TrimSpace(v)
			}
		}
	}
	return creds
}

// serveLoop runs one signed request through ServeHTTP b.N times and returns each one's
// duration.
func serveLoop(b *testing.B, s *Server, req *http.Request, body string) []time.Duration {
	w := &discardWriter{header: http.Header{}}
	took := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := req.Clone(req.Context())
		r.Body = io.NopCloser(strings.NewReader(body))
		clear(w.header)
		w.status = 0
		begin := time.Now()
		s.ServeHTTP(w, r)
		took = append(took, time.Since(begin))
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
	b.StopTimer()
	return took
}

// reportPercentiles adds the p50 and p99 of durations to a benchmark's figures.
func reportPercentiles(b *testing.B, took []time.Duration) {
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	at := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkSharedPipeline is DescribePipeline by ARN with 1,000 pipelines each shared with
// the consumer by a share of its own: by the owner (no resource policy read) and by the
// consumer (the pipeline's RAM policy read and evaluated, its organization condition
// included), each as the account's root user and as an IAM user with an identity policy.
// Three interleaved rounds of each.
func BenchmarkSharedPipeline(b *testing.B) {
	s, dir := xacctServer(b)
	pipelines := benchPipelines(b, s, benchOwner, 1000)
	for i, p := range pipelines {
		s.invoke(b, benchOwner, "ram", "CreateResourceShare", map[string]any{"name": fmt.Sprintf("share-%04d", i),
			"resourceArns": []string{p}, "principals": []string{benchConsumer},
			"permissionArns": []string{"arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerPipelineAllowExecution"}})
	}
	target := pipelines[len(pipelines)/2]
	body := `{"PipelineName":"` + target + `"}`
	header := map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "SageMaker.DescribePipeline"}
	reqs := map[string]*http.Request{}
	for _, profile := range []string{"owner", "consumer"} {
		reqs[profile+"-root"] = signedRequest(b, profileKeys(b, dir, profile), s.Endpoint(), "sagemaker", body, header)
	}
	// IAM users, whose own policies are evaluated too: a root user's are not.
	for account, name := range map[string]string{benchOwner: "owner-user", benchConsumer: "consumer-user"} {
		s.invoke(b, account, "iam", "CreateUser", map[string]any{"UserName": "reader"})
		s.invoke(b, account, "iam", "PutUserPolicy", map[string]any{"UserName": "reader", "PolicyName": "read",
			"PolicyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sagemaker:Describe*","sagemaker:List*"],"Resource":"*"}]}`})
		key := s.invoke(b, account, "iam", "CreateAccessKey", map[string]any{"UserName": "reader"})["AccessKey"].(map[string]any)
		creds := aws.Credentials{AccessKeyID: key["AccessKeyId"].(string), SecretAccessKey: key["SecretAccessKey"].(string)}
		reqs[name] = signedRequest(b, creds, s.Endpoint(), "sagemaker", body, header)
	}
	// Interleaved rounds, so that what else the machine does weighs on each alike.
	for round := 0; round < 3; round++ {
		for _, who := range []string{"owner-root", "consumer-root", "owner-user", "consumer-user"} {
			b.Run(who, func(b *testing.B) { reportPercentiles(b, serveLoop(b, s, reqs[who], body)) })
		}
	}
}

// BenchmarkRAMPages is one page of RAM's lists with 10,000 shares in the store: the owner's
// 5,000 (an account's most) and as many of a partner account's, each with the consumer as
// principal and one of its account's 500 pipelines. Every iteration asks for the next page,
// from the first again after the last; p50-ms is the median page.
func BenchmarkRAMPages(b *testing.B) {
	s, dir := xacctServer(b)
	for _, account := range []string{benchOwner, benchPartner} {
		pipelines := benchPipelines(b, s, account, 500)
		for i := 0; i < 5000; i++ {
			s.invoke(b, account, "ram", "CreateResourceShare", map[string]any{"name": fmt.Sprintf("share-%05d", i),
				"resourceArns": []string{pipelines[i%len(pipelines)]}, "principals": []string{benchConsumer}})
		}
	}
	owner, consumer := profileKeys(b, dir, "owner"), profileKeys(b, dir, "consumer")
	cases := []struct {
		name, op, account string
		creds             aws.Credentials
		in                map[string]any
	}{
		{"GetResourceShares/SELF", "GetResourceShares", benchOwner, owner, map[string]any{"resourceOwner": "SELF"}},
		{"GetResourceShares/OTHER-ACCOUNTS", "GetResourceShares", benchConsumer, consumer, map[string]any{"resourceOwner": "OTHER-ACCOUNTS"}},
		{"GetResourceShareAssociations/PRINCIPAL", "GetResourceShareAssociations", benchOwner, owner, map[string]any{"associationType": "PRINCIPAL"}},
		{"GetResourceShareAssociations/RESOURCE", "GetResourceShareAssociations", benchOwner, owner, map[string]any{"associationType": "RESOURCE"}},
	}
	for _, tc := range cases {
		for _, size := range []int{100, 500} {
			b.Run(fmt.Sprintf("%s/maxResults=%d", tc.name, size), func(b *testing.B) {
				// The page tokens, walked once.
				var bodies []string
				token := ""
				for {
					in := map[string]any{"maxResults": size}
					for k, v := range tc.in {
						in[k] = v
					}
					if token != "" {
						in["nextToken"] = token
					}
					doc, _ := json.Marshal(in)
					bodies = append(bodies, string(doc))
					out := s.invoke(b, tc.account, "ram", tc.op, in)
					next, _ := out["nextToken"].(string)
					if next == "" {
						break
					}
					token = next
				}
				reqs := make([]*http.Request, len(bodies))
				for i, body := range bodies {
					reqs[i] = restRequest(b, tc.creds, s.Endpoint()+"/"+strings.ToLower(tc.op), body)
				}
				w := &discardWriter{header: http.Header{}}
				took := make([]time.Duration, 0, b.N)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					k := i % len(reqs)
					r := reqs[k].Clone(reqs[k].Context())
					r.Body = io.NopCloser(strings.NewReader(bodies[k]))
					clear(w.header)
					w.status = 0
					begin := time.Now()
					s.ServeHTTP(w, r)
					took = append(took, time.Since(begin))
					if w.status != http.StatusOK {
						b.Fatalf("status %d", w.status)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(len(reqs)), "pages")
				reportPercentiles(b, took)
			})
		}
	}
}

// restRequest is a signed restJson1 POST of RAM to url.
func restRequest(b *testing.B, creds aws.Credentials, url, body string) *http.Request {
	b.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "ram", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	return req
}
