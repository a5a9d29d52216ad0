package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// echoServer stands in for a model image: it serves SageMaker's container contract on
// SAGEMAKER_BIND_TO_PORT and asks for MultiRecord batches through /execution-parameters.
const echoServer = `
import json, os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

assert sys.argv[1:] == ["serve"], sys.argv

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/ping":
            self.reply(200, "")
        elif self.path == "/execution-parameters":
            self.reply(200, json.dumps({"MaxConcurrentTransforms": 1, "BatchStrategy": "MULTI_RECORD", "MaxPayloadInMB": 1}), "application/json")
        else:
            self.reply(404, "")

    def do_POST(self):
        lines = self.rfile.read(int(self.headers["Content-Length"])).decode().splitlines()
        self.reply(200, "%s %s lines=%d first=%s" % (os.environ["SAGEMAKER_BATCH"], self.headers["Content-Type"], len(lines), lines[0]))

HTTPServer(("127.0.0.1", int(os.environ["SAGEMAKER_BIND_TO_PORT"])), Handler).serve_forever()
`

const echoImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/cairn-test/echo-serve:1.0"

// A model whose image the image map names is served by the mapped command, run with the
// argument "serve"; one the map does not name fails with a reason that says how to add it.
func TestTransformImageMap(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML + `
images:
  - pattern: "*/cairn-test/echo-serve:*"
    command: ["python3", "/opt/ml/model/server.py"]
`})
	ctx := context.Background()
	s := newTransformSetup(t, c, "transform-image", modelRolePolicy)
	putObjects(t, c.config("data-science"), s.bucket, map[string]string{
		"models/echo/model.tar.gz": tarGz(t, map[string]string{"server.py": echoServer}),
		"in/data.csv":              "a\nb\nc\n",
	})
	for name, image := range map[string]string{"echo": echoImage, "unmapped": "123456789012.dkr.ecr.us-east-1.amazonaws.com/other/serve:2"} {
		if _, err := s.client.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String(name), ExecutionRoleArn: aws.String(s.role),
			PrimaryContainer: &smtypes.ContainerDefinition{Image: aws.String(image), ModelDataUrl: aws.String("s3://" + s.bucket + "/models/echo/model.tar.gz")}}); err != nil {
			t.Fatalf("CreateModel %s: %v", name, err)
		}
		if _, err := s.client.CreateTransformJob(ctx, s.transformInput(name, name, "in/", "out/"+name, "text/csv", "", smtypes.SplitTypeLine, "")); err != nil {
			t.Fatalf("CreateTransformJob %s: %v", name, err)
		}
	}
	echo := waitTransform(t, s.client, "echo", 90*time.Second)
	if echo.TransformJobStatus != smtypes.TransformJobStatusCompleted {
		t.Fatalf("echo: %s: %s", echo.TransformJobStatus, aws.ToString(echo.FailureReason))
	}
	if got := getObject(t, c.config("data-science"), s.bucket, "out/echo/data.csv.out"); got != "true text/csv lines=3 first=a\n" {
		t.Errorf("echo output %q", got)
	}
	unmapped := waitTransform(t, s.client, "unmapped", 30*time.Second)
	reason := aws.ToString(unmapped.FailureReason)
	for _, want := range []string{"ClientError: ", "other/serve:2 is not mapped", "images:", "SAGEMAKER_PROGRAM"} {
		if unmapped.TransformJobStatus != smtypes.TransformJobStatusFailed || !strings.Contains(reason, want) {
			t.Errorf("unmapped: %s: %q lacks %q", unmapped.TransformJobStatus, reason, want)
		}
	}
}
