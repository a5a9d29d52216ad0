package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/cairnhq/cairn/internal/auth"
)

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// benchServer opens a server on a temporary data dir (not serving on its listener) and
// returns it with the management account's keys.
func benchServer(b testing.TB) (*Server, string) {
	b.Helper()
	dir := b.TempDir()
	s, err := Open(context.Background(), Options{Listen: "127.0.0.1:0", DataDir: dir,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		s.listener.Close()
		s.close()
	})
	return s, dir
}

// benchServe runs one signed request through ServeHTTP b.N times, without the network:
// the server's own cost per request.
func benchServe(b *testing.B, service, body string, header map[string]string) {
	s, dir := benchServer(b)
	benchServeOn(b, s, dir, service, body, header)
}

// benchServeOn is benchServe on a server already opened (and given keys or data).
func benchServeOn(b *testing.B, s *Server, dir, service, body string, header map[string]string) {
	req := signedRequest(b, managementKeys(b, filepath.Join(dir, "credentials")), s.Endpoint(), service, body, header)
	payload := []byte(body)
	w := &discardWriter{header: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := req.Clone(req.Context())
		r.Body = io.NopCloser(bytes.NewReader(payload))
		clear(w.header)
		w.status = 0
		s.ServeHTTP(w, r)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkServeGetCallerIdentity is the awsQuery path: SigV4, key lookup (cached), the
// form decoder and the XML encoder.
func BenchmarkServeGetCallerIdentity(b *testing.B) {
	benchServe(b, "sts", "Action=GetCallerIdentity&Version=2011-06-15",
		map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
}

// BenchmarkServeDescribeOrganization is the awsJson path with authorization and a store
// read.
func BenchmarkServeDescribeOrganization(b *testing.B) {
	benchServe(b, "organizations", "{}", map[string]string{
		"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSOrganizationsV20161128.DescribeOrganization"})
}

// allowAll authorizes everything: the unenforced baseline.
type allowAll struct{}

func (allowAll) Authorize(context.Context, *operation.Service, *operation.Access) error { return nil }

// enforcedUser creates, in the management account, a user with 10 managed policies of 5
// statements each (wildcard actions and resources, two conditions per statement; the
// statement that allows iam:GetUser is the last) and returns its keys.
func enforcedUser(b *testing.B, s *Server) aws.Credentials {
	b.Helper()
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: "000000000000",
		ARN: auth.RootARN("000000000000"), UserID: "000000000000"})
	svc := s.bySigning["iam"].Operations()
	invoke := func(op string, in any) []byte {
		body, _ := json.Marshal(in)
		out, err := svc.InvokeJSON(ctx, s.authorizer, op, body)
		if err != nil {
			b.Fatalf("%s: %v", op, err)
		}
		return out
	}
	invoke("CreateUser", map[string]any{"UserName": "bench", "Tags": []map[string]string{{"Key": "team", "Value": "ml"}}})
	for p := 0; p < 10; p++ {
		var stmts []string
		for i := 0; i < 5; i++ {
			action := fmt.Sprintf(`"s3:Get%dObject*","sagemaker:Describe%d*"`, p, i)
			if p == 9 && i == 4 {
				action = `"iam:Get*"`
			}
			stmts = append(stmts, `{"Effect":"Allow","Action":[`+action+`],"Resource":"arn:aws:*:*:000000000000:*",
				"Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"},"StringLike":{"aws:RequestedRegion":"us-*"}}}`)
		}
		var created struct{ Policy struct{ Arn string } }
		json.Unmarshal(invoke("CreatePolicy", map[string]any{"PolicyName": fmt.Sprintf("p%d", p),
			"PolicyDocument": `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`}), &created)
		invoke("AttachUserPolicy", map[string]any{"UserName": "bench", "PolicyArn": created.Policy.Arn})
	}
	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	json.Unmarshal(invoke("CreateAccessKey", map[string]any{"UserName": "bench"}), &key)
	return aws.Credentials{AccessKeyID: key.AccessKey.AccessKeyId, SecretAccessKey: key.AccessKey.SecretAccessKey}
}

// benchEnforcement runs iam:GetUser as a user with 10 policies (50 statements), with the
// IAM authorizer or with none: the cost of enforcement on an authorized operation.
func benchEnforcement(b *testing.B, enforce bool) {
	s, _ := benchServer(b)
	creds := enforcedUser(b, s)
	if !enforce {
		s.authorizer = allowAll{}
	}
	body := "Action=GetUser&Version=2010-05-08"
	req := signedRequest(b, creds, s.Endpoint(), "iam", body, map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
	w := &discardWriter{header: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := req.Clone(req.Context())
		r.Body = io.NopCloser(strings.NewReader(body))
		clear(w.header)
		w.status = 0
		s.ServeHTTP(w, r)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

func BenchmarkServeGetUserEnforced(b *testing.B)   { benchEnforcement(b, true) }
func BenchmarkServeGetUserUnenforced(b *testing.B) { benchEnforcement(b, false) }
