package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// processing runs processing jobs: inputs under /opt/ml/processing/…, the configuration in
// /opt/ml/config, outputs uploaded at the end.
type processing struct{}

// optML maps a container path under /opt/ml to the job directory on the host.
func optML(dir, containerPath string) string {
	return filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(path.Clean(containerPath), "/opt/ml")))
}

func (processing) prepare(ctx context.Context, m *Manager, job *store.Job, dir string) (runner.Spec, error) {
	req, err := readRequest[sm.CreateProcessingJobInput](job)
	if err != nil {
		return runner.Spec{}, err
	}
	app := req.AppSpecification
	if app == nil {
		app = &sm.AppSpecification{}
	}
	entry := app.ContainerEntrypoint
	if len(entry) == 0 {
		return runner.Spec{}, fmt.Errorf("ClientError: the job has no AppSpecification.ContainerEntrypoint to run. Cairn's local runner runs commands on the host inside the /opt/ml sandbox and does not pull images (%s): set ContainerEntrypoint (for example [\"python3\", \"/opt/ml/processing/input/code/script.py\"])", app.ImageUri)
	}
	ctx, err = m.asRole(ctx, job)
	if err != nil {
		return runner.Spec{}, err
	}
	for _, in := range req.ProcessingInputs {
		if in.S3Input == nil {
			continue
		}
		if err := m.stage(ctx, in.S3Input.S3Uri, in.S3Input.S3DataType, optML(dir, in.S3Input.LocalPath)); err != nil {
			return runner.Spec{}, fmt.Errorf("input %s: %w", in.InputName, err)
		}
	}
	if req.ProcessingOutputConfig != nil {
		for _, out := range req.ProcessingOutputConfig.Outputs {
			if out.S3Output != nil {
				if err := os.MkdirAll(optML(dir, out.S3Output.LocalPath), 0o755); err != nil {
					return runner.Spec{}, err
				}
			}
		}
	}
	var config map[string]any
	json.Unmarshal([]byte(job.Request), &config)
	config["ProcessingJobArn"] = job.ARN
	if err := writeJSON(filepath.Join(dir, "config", "processingjobconfig.json"), config); err != nil {
		return runner.Spec{}, err
	}
	instanceType := req.InstanceType()
	if err := writeJSON(filepath.Join(dir, "config", "resourceconfig.json"), map[string]any{
		"current_host": "algo-1", "hosts": []string{"algo-1"}, "current_instance_type": instanceType,
		"current_group_name": "homogeneousCluster", "network_interface_name": "eth0",
		"instance_groups": []map[string]any{{"instance_group_name": "homogeneousCluster", "instance_type": instanceType, "hosts": []string{"algo-1"}}},
	}); err != nil {
		return runner.Spec{}, err
	}
	spec := runner.Spec{Dir: dir, Command: append(append([]string{}, entry...), app.ContainerArguments...),
		Env: m.env(job, req.Environment), WorkDir: "/opt/ml"}
	if req.StoppingCondition != nil && req.StoppingCondition.MaxRuntimeInSeconds != nil {
		spec.MaxRuntime = time.Duration(*req.StoppingCondition.MaxRuntimeInSeconds) * time.Second
	}
	return spec, nil
}

func (processing) finish(ctx context.Context, m *Manager, job *store.Job, dir string) (sm.JobDetails, error) {
	req, err := readRequest[sm.CreateProcessingJobInput](job)
	if err != nil || req.ProcessingOutputConfig == nil {
		return sm.JobDetails{}, err
	}
	ctx, err = m.asRole(ctx, job)
	if err != nil {
		return sm.JobDetails{}, err
	}
	ctx = WithOutputKMSKey(ctx, req.ProcessingOutputConfig.KmsKeyId)
	for _, out := range req.ProcessingOutputConfig.Outputs {
		if out.S3Output == nil {
			continue
		}
		if err := m.upload(ctx, optML(dir, out.S3Output.LocalPath), out.S3Output.S3Uri); err != nil {
			return sm.JobDetails{}, fmt.Errorf("output %s: %w", out.OutputName, err)
		}
	}
	return sm.JobDetails{}, nil
}

// asRole returns ctx acting as the job's role.
func (m *Manager) asRole(ctx context.Context, job *store.Job) (context.Context, error) {
	p, err := m.opts.Roles.AssumeRole(ctx, job.RoleARN, "SageMaker-"+truncate(job.Name, 50))
	if err != nil {
		return nil, err
	}
	return auth.WithPrincipal(ctx, p), nil
}

// env is the environment of a job: the base environment and the job's own.
func (m *Manager) env(job *store.Job, own map[string]string) []string {
	env := append([]string{}, m.opts.Env...)
	env = append(env, "AWS_REGION="+m.opts.Region, "AWS_DEFAULT_REGION="+m.opts.Region)
	for k, v := range own {
		env = append(env, k+"="+v)
	}
	return env
}

func writeJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// readRequest reads the Create… request a job was created with.
func readRequest[Request any](job *store.Job) (*Request, error) {
	var req Request
	if err := json.Unmarshal([]byte(job.Request), &req); err != nil {
		return nil, unreadable(err)
	}
	return &req, nil
}

// unreadable is the failure of a job whose stored request cannot be read.
func unreadable(err error) error {
	return fmt.Errorf("InternalServerError: the stored request is unreadable: %v", err)
}
