package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// The training container's layout.
const (
	trainingCodeDir   = "/opt/ml/code"
	trainingModelDir  = "/opt/ml/model"
	trainingInputDir  = "/opt/ml/input"
	trainingConfigDir = "/opt/ml/input/config"
	trainingDataDir   = "/opt/ml/input/data"
	trainingOutputDir = "/opt/ml/output"
	currentHost       = "algo-1"
	instanceGroup     = "homogeneousCluster"
)

// DefaultInterpreter runs script-mode training programs when Options.Interpreter is empty.
var DefaultInterpreter = []string{"python3"}

// training runs training jobs with SageMaker's training contract: channels in
// /opt/ml/input/data/<channel>, configuration in /opt/ml/input/config, the model from
// /opt/ml/model uploaded as model.tar.gz. What runs is, in order of precedence, the
// request's ContainerEntrypoint, the script-mode program (the sagemaker_program
// hyperparameter, run as the framework containers' toolkit runs it), or the command the
// image map gives the training image.
type training struct{}

func (training) secondary(p phase) (sm.SecondaryStatus, string) {
	switch p {
	case phaseStarting:
		return sm.SecondaryStarting, "Preparing the instances for training"
	case phaseDownloading:
		return sm.SecondaryDownloading, "Downloading input data"
	case phaseRunning:
		return sm.SecondaryTraining, "Training in progress"
	case phaseUploading:
		return sm.SecondaryUploading, "Uploading generated training model"
	case phaseStopping:
		return sm.SecondaryStopping, "Stopping the training job"
	case phaseCompleted:
		return sm.SecondaryCompleted, "Training job completed"
	case phaseFailed:
		return sm.SecondaryFailed, "Training job failed"
	case phaseStopped:
		return sm.SecondaryStopped, "The training job was stopped"
	case phaseTimedOut:
		return sm.SecondaryMaxRuntimeExceeded, "The training job ran longer than StoppingCondition.MaxRuntimeInSeconds and was stopped"
	}
	return "", ""
}

// readTrainingRequest reads a training job's request, with the members validation
// requires present (empty when a request somehow lacks them).
func readTrainingRequest(job *store.Job) (*sm.CreateTrainingJobInput, error) {
	req, err := readRequest[sm.CreateTrainingJobInput](job)
	if err != nil {
		return nil, err
	}
	if req.AlgorithmSpecification == nil {
		req.AlgorithmSpecification = &sm.AlgorithmSpecification{}
	}
	if req.OutputDataConfig == nil {
		req.OutputDataConfig = &sm.OutputDataConfig{}
	}
	if req.ResourceConfig == nil {
		req.ResourceConfig = &sm.ResourceConfig{}
	}
	return req, nil
}

// s3Source is the S3 data source of a channel, or nil.
func s3Source(c sm.Channel) *sm.S3DataSource {
	if c.DataSource == nil {
		return nil
	}
	return c.DataSource.S3DataSource
}

// scriptMode is a framework estimator's program: sagemaker_program from the source
// directory sagemaker_submit_directory.
type scriptMode struct {
	program   string // relative to /opt/ml/code
	submitDir string // s3:// URI of a tar.gz, or ""
}

func (training) prepare(ctx context.Context, m *Manager, job *store.Job, dir string) (runner.Spec, error) {
	req, err := readTrainingRequest(job)
	if err != nil {
		return runner.Spec{}, err
	}
	user, toolkit := splitHyperParameters(req.HyperParameters)
	script, err := scriptOf(toolkit)
	if err != nil {
		return runner.Spec{}, err
	}
	alg := req.AlgorithmSpecification
	var command []string
	switch {
	case len(alg.ContainerEntrypoint) > 0:
		command = append(append([]string{}, alg.ContainerEntrypoint...), alg.ContainerArguments...)
	case script.program != "":
		// Chosen once the source is in place.
	default:
		image, what := alg.TrainingImage, "training image"
		if image == "" {
			image, what = alg.AlgorithmName, "algorithm"
		}
		// ContainerArguments take the place of the image's argument, as a container's
		// arguments replace its default command.
		mode := "train"
		if len(alg.ContainerArguments) > 0 {
			mode = ""
		}
		argv, ok := m.opts.Images.Command(image, mode)
		if !ok {
			return runner.Spec{}, unmappedImage(what, image, "train", `["python3", "/opt/ml/code/train.py"]`)
		}
		command = append(argv, alg.ContainerArguments...)
	}

	m.moved(ctx, job, phaseDownloading, "")
	roleCtx, err := m.asRole(ctx, job)
	if err != nil {
		return runner.Spec{}, err
	}
	for _, c := range req.InputDataConfig {
		src := s3Source(c)
		if src == nil {
			continue
		}
		if err := m.stage(roleCtx, src.S3Uri, src.S3DataType, optML(dir, path.Join(trainingDataDir, c.ChannelName))); err != nil {
			return runner.Spec{}, channelError(c.ChannelName, err)
		}
	}
	codeDir := optML(dir, trainingCodeDir)
	if script.submitDir != "" {
		if err := m.extractSource(roleCtx, script.submitDir, codeDir); err != nil {
			return runner.Spec{}, err
		}
	}
	for _, d := range []string{trainingCodeDir, trainingModelDir, trainingConfigDir, trainingOutputDir + "/data", trainingOutputDir + "/intermediate"} {
		if err := os.MkdirAll(optML(dir, d), 0o755); err != nil {
			return runner.Spec{}, err
		}
	}
	workDir := "/opt/ml"
	args := commandArgs(user)
	if script.program != "" && command == nil {
		if command, err = scriptCommand(m.interpreter(), codeDir, script.program, args); err != nil {
			return runner.Spec{}, err
		}
		workDir = trainingCodeDir
	}

	channels := map[string]any{}
	for _, c := range req.InputDataConfig {
		mode := alg.TrainingInputMode
		if c.InputMode != nil {
			mode = *c.InputMode
		}
		ch := map[string]any{"TrainingInputMode": mode, "S3DistributionType": "FullyReplicated", "RecordWrapperType": "None"}
		if src := s3Source(c); src != nil && src.S3DataDistributionType != "" {
			ch["S3DistributionType"] = src.S3DataDistributionType
		}
		if c.RecordWrapperType != nil {
			ch["RecordWrapperType"] = *c.RecordWrapperType
		}
		if c.ContentType != "" {
			ch["ContentType"] = c.ContentType
		}
		channels[c.ChannelName] = ch
	}
	hps := req.HyperParameters
	if hps == nil {
		hps = map[string]string{}
	}
	resources := map[string]any{
		"current_host": currentHost, "hosts": []string{currentHost}, "current_instance_type": req.ResourceConfig.InstanceType,
		"current_group_name": instanceGroup, "network_interface_name": "eth0",
		"instance_groups": []any{map[string]any{"instance_group_name": instanceGroup, "instance_type": req.ResourceConfig.InstanceType, "hosts": []string{currentHost}}},
	}
	configDir := optML(dir, trainingConfigDir)
	for name, v := range map[string]any{"hyperparameters.json": hps, "inputdataconfig.json": channels, "resourceconfig.json": resources} {
		if err := writeJSON(filepath.Join(configDir, name), v); err != nil {
			return runner.Spec{}, err
		}
	}

	env := trainingEnv(job, req, user, toolkit, script, args, channels, resources)
	spec := runner.Spec{Dir: dir, Command: command, WorkDir: workDir,
		Env: mergeEnv(m.env(job, nil), env, envList(req.Environment))}
	if req.StoppingCondition != nil {
		spec.MaxRuntime = time.Duration(req.StoppingCondition.MaxRuntimeInSeconds) * time.Second
	}
	return spec, nil
}

// channelError explains a channel that could not be staged: the denial or the missing
// data is the client's error.
func channelError(channel string, err error) error {
	var ae *operation.Error
	switch {
	case errors.As(err, &ae):
		return fmt.Errorf("ClientError: Data download failed for channel %s: %s", channel, ae.Message)
	case strings.HasPrefix(err.Error(), "ClientError: "):
		return fmt.Errorf("ClientError: Data download failed for channel %s: %s", channel, strings.TrimPrefix(err.Error(), "ClientError: "))
	}
	return fmt.Errorf("InternalServerError: data download failed for channel %s: %w", channel, err)
}

// scriptOf reads the script-mode hyperparameters.
func scriptOf(toolkit map[string]any) (scriptMode, error) {
	var s scriptMode
	if v, ok := toolkit["sagemaker_program"]; ok {
		p, _ := v.(string)
		clean := path.Clean(p)
		if p == "" || path.IsAbs(p) || !filepath.IsLocal(filepath.FromSlash(clean)) {
			return s, fmt.Errorf("ClientError: the hyperparameter sagemaker_program (%v) must name a file of the source directory, e.g. \"\\\"train.py\\\"\"", v)
		}
		s.program = clean
	}
	if v, ok := toolkit["sagemaker_submit_directory"]; ok {
		d, _ := v.(string)
		if !strings.HasPrefix(d, "s3://") {
			return s, fmt.Errorf("ClientError: the hyperparameter sagemaker_submit_directory (%v) must be the s3:// URI of a tar.gz of the source directory", v)
		}
		s.submitDir = d
	}
	return s, nil
}

// extractSource downloads the source tarball as the job's role and extracts it into dir.
func (m *Manager) extractSource(ctx context.Context, uri, dir string) error {
	bucket, key, err := splitS3URI(uri)
	if err != nil {
		return err
	}
	body, err := m.opts.Objects.GetObject(ctx, bucket, key, "")
	if err != nil {
		return fmt.Errorf("sagemaker_submit_directory %s: %w", uri, err)
	}
	defer body.Close()
	if err := unpackTarGz(body, dir); err != nil {
		var ae *operation.Error
		if errors.As(err, &ae) {
			return fmt.Errorf("sagemaker_submit_directory %s: %w", uri, err)
		}
		return fmt.Errorf("ClientError: sagemaker_submit_directory %s: %v", uri, err)
	}
	return nil
}

// scriptCommand is how the toolkit runs a program: a .py file with the interpreter, any
// other file as an executable through /bin/sh, with the hyperparameters as arguments.
func scriptCommand(interpreter []string, codeDir, program string, args []string) ([]string, error) {
	host := filepath.Join(codeDir, filepath.FromSlash(program))
	fi, err := os.Lstat(host)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("ClientError: the program %s (hyperparameter sagemaker_program) is not a file of the source directory (hyperparameter sagemaker_submit_directory, extracted to %s)", program, trainingCodeDir)
	}
	if strings.HasSuffix(program, ".py") {
		return append(append(append([]string{}, interpreter...), program), args...), nil
	}
	if err := os.Chmod(host, fi.Mode().Perm()|0o111); err != nil {
		return nil, err
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return []string{"/bin/sh", "-c", strings.TrimSpace("./" + shellQuote(program) + " " + strings.Join(quoted, " "))}, nil
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// interpreter is the command that runs script-mode .py programs.
func (m *Manager) interpreter() []string {
	if len(m.opts.Interpreter) > 0 {
		return m.opts.Interpreter
	}
	return DefaultInterpreter
}

// trainingEnv is the SM_* environment the training toolkit gives a program, and the
// job's name and ARN.
func trainingEnv(job *store.Job, req *sm.CreateTrainingJobInput, user, toolkit map[string]any, script scriptMode, args []string, channels, resources map[string]any) []string {
	names := make([]string, 0, len(channels))
	dirs := map[string]any{}
	for name := range channels {
		names = append(names, name)
		dirs[name] = path.Join(trainingDataDir, name)
	}
	sort.Strings(names)
	logLevel := any(20)
	if v, ok := toolkit["sagemaker_container_log_level"]; ok {
		logLevel = v
	}
	moduleDir := trainingCodeDir
	if script.submitDir != "" {
		moduleDir = script.submitDir
	}
	framework := map[string]any{}
	for k, v := range toolkit {
		switch k {
		case "sagemaker_program", "sagemaker_submit_directory", "sagemaker_container_log_level", "sagemaker_region", "sagemaker_job_name", "sagemaker_s3_output":
		default:
			framework[k] = v
		}
	}
	userArgs := make([]any, len(args))
	for i, a := range args {
		userArgs[i] = a
	}
	vars := map[string]any{
		"additional_framework_parameters": framework,
		"channel_input_dirs":              dirs,
		"channels":                        names,
		"current_host":                    currentHost,
		"current_instance_group":          instanceGroup,
		"current_instance_group_hosts":    []string{currentHost},
		"current_instance_type":           req.ResourceConfig.InstanceType,
		"distribution_hosts":              []string{},
		"distribution_instance_groups":    []string{},
		"framework_module":                nil,
		"hosts":                           []string{currentHost},
		"hyperparameters":                 user,
		"input_config_dir":                trainingConfigDir,
		"input_data_config":               channels,
		"input_dir":                       trainingInputDir,
		"instance_groups":                 []string{instanceGroup},
		"instance_groups_dict":            map[string]any{instanceGroup: map[string]any{"instance_group_name": instanceGroup, "instance_type": req.ResourceConfig.InstanceType, "hosts": []string{currentHost}}},
		"is_hetero":                       false,
		"is_master":                       true,
		"is_modelparallel_enabled":        nil,
		"job_name":                        job.Name,
		"log_level":                       logLevel,
		"master_hostname":                 currentHost,
		"model_dir":                       trainingModelDir,
		"module_dir":                      moduleDir,
		"module_name":                     strings.TrimSuffix(script.program, ".py"),
		"network_interface_name":          "eth0",
		"num_cpus":                        runtime.NumCPU(),
		"num_gpus":                        0,
		"num_neurons":                     0,
		"output_data_dir":                 trainingOutputDir + "/data",
		"output_dir":                      trainingOutputDir,
		"output_intermediate_dir":         trainingOutputDir + "/intermediate",
		"resource_config":                 resources,
		"user_entry_point":                script.program,
	}
	env := make([]string, 0, len(vars)+len(user)+len(names)+6)
	for _, k := range sortedKeys(vars) {
		key := "SM_" + strings.ToUpper(k)
		if k == "hyperparameters" {
			key = "SM_HPS"
		}
		env = append(env, key+"="+envValue(vars[k]))
	}
	env = append(env, "SM_USER_ARGS="+pyJSON(userArgs), "SM_FRAMEWORK_PARAMS="+pyJSON(framework),
		"SM_TRAINING_ENV="+pyJSON(vars))
	for _, name := range names {
		env = append(env, "SM_CHANNEL_"+strings.ToUpper(name)+"="+path.Join(trainingDataDir, name))
	}
	for _, k := range sortedKeys(user) {
		env = append(env, "SM_HP_"+strings.ToUpper(k)+"="+envValue(user[k]))
	}
	return append(env, "TRAINING_JOB_NAME="+job.Name, "TRAINING_JOB_ARN="+job.ARN)
}

func envList(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range sortedKeysOf(m) {
		out = append(out, k+"="+m[k])
	}
	return out
}

func sortedKeysOf(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// mergeEnv joins environments; a later KEY=VALUE replaces an earlier one of the same key.
func mergeEnv(lists ...[]string) []string {
	index := map[string]int{}
	var out []string
	for _, list := range lists {
		for _, kv := range list {
			k, _, _ := strings.Cut(kv, "=")
			if i, ok := index[k]; ok {
				out[i] = kv
				continue
			}
			index[k] = len(out)
			out = append(out, kv)
		}
	}
	return out
}
