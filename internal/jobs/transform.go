package jobs

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// serveScript is Cairn's script-mode inference server (standard library Python), written
// into each script-mode transform job as /opt/ml/.cairn/serve.py.
//
//go:embed serve.py
var serveScript []byte

// transformState is what a transform job's server needs across a server restart, kept in
// the job directory.
type transformState struct {
	Port int
}

// Paths in the job directory of a transform job (host side; the job sees them under
// /opt/ml).
const (
	cairnDir      = ".cairn"
	stateFile     = ".cairn/transform.json"
	completeFile  = ".cairn/complete"
	serveFile     = ".cairn/serve.py"
	scratchDir    = ".cairn/scratch"
	containerServ = "/opt/ml/.cairn/serve.py"
)

// transform runs transform jobs: the model's container serves GET /ping and POST
// /invocations, and the manager feeds it the input records and writes what it answers.
type transform struct{}

func (transform) prepare(ctx context.Context, m *Manager, job *store.Job, dir string) (runner.Spec, error) {
	req, err := readRequest[sm.CreateTransformJobInput](job)
	if err != nil {
		return runner.Spec{}, err
	}
	c, err := m.transformContainer(ctx, job, req.ModelName)
	if err != nil {
		return runner.Spec{}, err
	}
	roleCtx, err := m.asRole(ctx, job)
	if err != nil {
		return runner.Spec{}, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "model"), 0o755); err != nil {
		return runner.Spec{}, err
	}
	if err := m.stageModel(roleCtx, c, filepath.Join(dir, "model")); err != nil {
		return runner.Spec{}, err
	}
	port, err := freePort()
	if err != nil {
		return runner.Spec{}, fmt.Errorf("InternalServerError: no free loopback port for the model server: %v", err)
	}
	env := map[string]string{}
	for k, v := range c.Environment {
		env[k] = v
	}
	for k, v := range req.Environment {
		env[k] = v
	}
	env["SAGEMAKER_BIND_TO_PORT"] = strconv.Itoa(port)
	env["SAGEMAKER_BATCH"] = "true"
	env["SAGEMAKER_MAX_PAYLOAD_IN_MB"] = strconv.Itoa(payloadMB(req.MaxPayloadInMB))
	if req.BatchStrategy != "" {
		env["SAGEMAKER_BATCH_STRATEGY"] = strings.ToUpper(req.BatchStrategy[:1]) + req.BatchStrategy[1:]
	}
	if req.MaxConcurrentTransforms != nil && *req.MaxConcurrentTransforms > 0 {
		env["SAGEMAKER_MAX_CONCURRENT_TRANSFORMS"] = strconv.Itoa(*req.MaxConcurrentTransforms)
	}

	var command []string
	if program := c.Environment["SAGEMAKER_PROGRAM"]; program != "" {
		codeDir, err := m.stageCode(roleCtx, c.Environment["SAGEMAKER_SUBMIT_DIRECTORY"], dir)
		if err != nil {
			return runner.Spec{}, err
		}
		env["CAIRN_CODE_DIR"] = codeDir
		if err := os.MkdirAll(filepath.Join(dir, cairnDir), 0o755); err != nil {
			return runner.Spec{}, err
		}
		if err := os.WriteFile(filepath.Join(dir, serveFile), serveScript, 0o644); err != nil {
			return runner.Spec{}, err
		}
		command = append(append([]string{}, m.interpreter()...), containerServ)
	} else {
		command, err = m.serveCommand(deref(c.Image))
		if err != nil {
			return runner.Spec{}, err
		}
	}
	if err := writeJSON(filepath.Join(dir, stateFile), transformState{Port: port}); err != nil {
		return runner.Spec{}, err
	}
	return runner.Spec{Dir: dir, Command: command, Env: m.env(job, env), WorkDir: "/opt/ml"}, nil
}

// finish is never reached: a transform job ends when the manager has fed it every record
// (see drive).
func (transform) finish(ctx context.Context, m *Manager, job *store.Job, dir string) (sm.JobDetails, error) {
	return sm.JobDetails{}, nil
}

// transformContainer reads the model of a transform job and returns the container that
// serves it.
func (m *Manager) transformContainer(ctx context.Context, job *store.Job, name string) (*sm.ContainerDefinition, error) {
	var model *store.Model
	err := m.store.View(ctx, func(tx txn) error {
		var err error
		model, err = tx.Model(job.AccountID, name)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("ClientError: Could not find model \"%s\".", name)
	}
	if err != nil {
		return nil, err
	}
	var spec sm.CreateModelInput
	if err := json.Unmarshal([]byte(model.Request), &spec); err != nil {
		return nil, fmt.Errorf("InternalServerError: the stored model is unreadable: %v", err)
	}
	c := spec.PrimaryContainer
	if c == nil {
		if len(spec.Containers) != 1 {
			return nil, fmt.Errorf("ClientError: model %s has %d containers (an inference pipeline); Cairn's transform jobs serve models of one container", name, len(spec.Containers))
		}
		c = &spec.Containers[0]
	}
	if c.ModelPackageName != nil {
		return m.packageContainer(ctx, job.AccountID, name, c)
	}
	return c, nil
}

// packageContainer is the container of a model made from a model package: the package's
// inference container, with what the model's container sets itself (its Image,
// ModelDataUrl and Environment entries) taking precedence. A package named by ARN may be
// another account's: CreateModel was authorized against it (its group's resource policy
// and the creator's identity policies), and it is read as its owner's. Its model data is
// then read from the owner's S3 as the job's role, so the owner's bucket policy decides.
func (m *Manager) packageContainer(ctx context.Context, account, model string, c *sm.ContainerDefinition) (*sm.ContainerDefinition, error) {
	ref := *c.ModelPackageName
	if i := strings.Index(ref, ":model-package/"); strings.HasPrefix(ref, "arn:") && i >= 0 {
		parts := strings.Split(ref, ":")
		if len(parts) < 6 || !arn.IsAccountID(parts[4]) {
			return nil, fmt.Errorf("ClientError: model %s names model package %q, which is not a model package ARN", model, ref)
		}
		account = parts[4]
		ref = ref[i+len(":model-package/"):]
	}
	name, versionText, versioned := strings.Cut(ref, "/")
	version := 0
	if versioned {
		v, err := strconv.Atoi(versionText)
		if err != nil {
			return nil, fmt.Errorf("ClientError: model %s names model package %q, which is not <name>/<version>", model, ref)
		}
		version = v
	}
	var pkg *store.ModelPackage
	err := m.store.View(ctx, func(tx txn) error {
		var err error
		pkg, err = tx.ModelPackage(account, name, version)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("ClientError: model package %s of model %s does not exist", *c.ModelPackageName, model)
	}
	if err != nil {
		return nil, err
	}
	spec, _ := sm.ModelPackageInference(pkg.Request) // an unreadable package has nothing to serve
	if spec == nil || len(spec.Containers) != 1 {
		return nil, fmt.Errorf("ClientError: model package %s of model %s has no InferenceSpecification with one container to serve", *c.ModelPackageName, model)
	}
	p := spec.Containers[0]
	out := sm.ContainerDefinition{Image: p.Image, ModelDataUrl: p.ModelDataUrl, ModelDataSource: p.ModelDataSource, Environment: p.Environment}
	if c.Image != nil {
		out.Image = c.Image
	}
	if c.ModelDataUrl != nil || c.ModelDataSource != nil {
		out.ModelDataUrl, out.ModelDataSource = c.ModelDataUrl, c.ModelDataSource
	}
	env := map[string]string{}
	for k, v := range out.Environment {
		env[k] = v
	}
	for k, v := range c.Environment {
		env[k] = v
	}
	out.Environment = env
	return &out, nil
}

// deref is the string p points to, or "".
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// stageModel extracts the model's data into dir (/opt/ml/model): the ModelDataUrl tar.gz,
// or the objects of an uncompressed ModelDataSource prefix.
func (m *Manager) stageModel(ctx context.Context, c *sm.ContainerDefinition, dir string) error {
	if src := c.ModelDataSource; src != nil && src.S3DataSource != nil {
		s := src.S3DataSource
		if s.CompressionType == "Gzip" {
			return m.extractObject(ctx, s.S3Uri, dir, "ModelDataSource")
		}
		return m.stage(ctx, s.S3Uri, "S3Prefix", dir)
	}
	url := deref(c.ModelDataUrl)
	if url == "" {
		return nil
	}
	if !strings.HasPrefix(url, "s3://") {
		return fmt.Errorf("ClientError: ModelDataUrl %s is not an s3:// URI; Cairn reads model data from S3 only", url)
	}
	return m.extractObject(ctx, url, dir, "ModelDataUrl")
}

// stageCode places the program's source: SAGEMAKER_SUBMIT_DIRECTORY as an S3 tar.gz is
// extracted to /opt/ml/code; a directory in the container (such as /opt/ml/model/code,
// where a repacked model keeps it) is used as it is; without one the code is looked for in
// /opt/ml/model/code, as the inference toolkit does. It returns the code directory as the
// job sees it.
func (m *Manager) stageCode(ctx context.Context, submit, dir string) (string, error) {
	switch {
	case strings.HasPrefix(submit, "s3://"):
		if err := m.extractObject(ctx, submit, filepath.Join(dir, "code"), "SAGEMAKER_SUBMIT_DIRECTORY"); err != nil {
			return "", err
		}
		return "/opt/ml/code", nil
	case strings.HasPrefix(submit, "file://"):
		return strings.TrimPrefix(submit, "file://"), nil
	case strings.HasPrefix(submit, "/"):
		return submit, nil
	case submit != "":
		return "", fmt.Errorf("ClientError: SAGEMAKER_SUBMIT_DIRECTORY %q is neither an s3:// URI of a tar.gz nor a directory", submit)
	}
	return "/opt/ml/model/code", nil
}

// extractObject reads a tar.gz object as the role in ctx and extracts it into dir.
func (m *Manager) extractObject(ctx context.Context, uri, dir, what string) error {
	bucket, key, err := splitS3URI(uri)
	if err != nil {
		return err
	}
	body, err := m.opts.Objects.GetObject(ctx, bucket, key, "")
	if err != nil {
		return err
	}
	defer body.Close()
	if err := unpackTarGz(body, dir); err != nil {
		return fmt.Errorf("ClientError: %s %s: %v", what, uri, err)
	}
	return nil
}

// serveCommand is the command that serves a model whose container runs an image: the
// image map's command for it, with the argument "serve".
func (m *Manager) serveCommand(image string) ([]string, error) {
	argv, ok := m.opts.Images.Command(image, "serve")
	if !ok {
		err := unmappedImage("model image", image, "serve", `["python3", "/opt/ml/model/code/serve.py"]`)
		return nil, fmt.Errorf("%w\n\nA framework model (scikit-learn, PyTorch, XGBoost script mode…) needs no entry: give its container SAGEMAKER_PROGRAM (and SAGEMAKER_SUBMIT_DIRECTORY) in its Environment and Cairn serves it with script-mode inference.", err)
	}
	return argv, nil
}

// freePort returns a loopback TCP port that is free now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func payloadMB(v *int) int {
	if v == nil {
		return defaultPayloadMB
	}
	return *v
}

// Defaults of a transform job.
const (
	defaultPayloadMB         = 6
	defaultInvocationTimeout = 600 * time.Second
	defaultInvocationRetries = 3
	// pingTimeout bounds the wait for the model server to answer GET /ping with 200.
	pingTimeout = 5 * time.Minute
)
