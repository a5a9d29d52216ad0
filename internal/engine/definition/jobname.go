package definition

import (
	"strconv"
	"strings"
)

// The parts of the names of the jobs (and models and model packages) that
// steps create.
//
// By default a step's job is named
//
//	pipelines-<execution id>-<step name, first 20 characters>-<token>
//
// ([DefaultJobName]). With a custom prefix (the SDK's
// PipelineDefinitionConfig(use_custom_job_prefix=True), which keeps the
// job-name member in Arguments) it is named
//
//	<prefix>-<execution id>-<token>-<attempt>
//
// ([CustomJobName]): the 12-character execution id, a 10-character random
// token and the attempt number (1, 2, …, at most 99, so at most 2 digits).
// The suffix is therefore at most [JobNameSuffixLength] = 27 characters,
// and a prefix may have at most the member's maximum length minus 27:
//
//	Step type                  Member                       Max   Prefix max
//	Processing                 ProcessingJobName             63       36
//	QualityCheck, ClarifyCheck ProcessingJobName             63       36
//	Training                   TrainingJobName               63       36
//	Transform                  TransformJobName              63       36
//	Model                      ModelName                     63       36
//	RegisterModel              ModelPackageName              63       36
//	Tuning                     HyperParameterTuningJobName   32        5
//	AutoML                     AutoMLJobName                 32        5
const (
	ExecutionIDLength   = 12
	JobNameTokenLength  = 10
	MaxAttemptDigits    = 2
	MaxJobAttempts      = 99
	JobNameSuffixLength = 1 + ExecutionIDLength + 1 + JobNameTokenLength + 1 + MaxAttemptDigits
)

// JobNameField returns the Arguments member that names what a step of the
// given type creates, and that member's maximum length; ok is false for
// types that create nothing named.
func JobNameField(stepType string) (field string, maxLength int, ok bool) {
	switch stepType {
	case "Processing", "QualityCheck", "ClarifyCheck":
		return "ProcessingJobName", 63, true
	case "Training":
		return "TrainingJobName", 63, true
	case "Transform":
		return "TransformJobName", 63, true
	case "Model":
		return "ModelName", 63, true
	case "RegisterModel":
		return "ModelPackageName", 63, true
	case "Tuning":
		return "HyperParameterTuningJobName", 32, true
	case "AutoML":
		return "AutoMLJobName", 32, true
	}
	return "", 0, false
}

// PrefixLimits returns the maximum length of a custom job-name prefix for
// each step type that has one: [JobNameField]'s maximum length minus
// [JobNameSuffixLength]. The caller owns the map.
func PrefixLimits() map[string]int {
	limits := map[string]int{}
	for _, t := range []string{"Processing", "QualityCheck", "ClarifyCheck", "Training", "Transform", "Model", "RegisterModel", "Tuning", "AutoML"} {
		_, max, _ := JobNameField(t)
		limits[t] = max - JobNameSuffixLength
	}
	return limits
}

// JobNamePrefix returns the step's custom job-name prefix: the string
// value of its type's job-name member ([JobNameField]) in Arguments. ok is
// false when the step has none, the default naming applies.
func (s *Step) JobNamePrefix() (prefix string, ok bool) {
	field, _, known := JobNameField(s.Type)
	if !known {
		return "", false
	}
	args, _ := s.args.(map[string]any)
	prefix, ok = args[field].(string)
	return prefix, ok
}

// ValidatePrefixes checks the custom job-name prefix of every step whose
// type is in maxLen: it must be at most maxLen[type] characters long
// ([PrefixLimits] gives Cairn's) and consist of letters, digits and
// hyphens, starting and ending with a letter or digit, as job names must.
func (d *Definition) ValidatePrefixes(maxLen map[string]int) error {
	for _, s := range d.steps {
		limit, ok := maxLen[s.Type]
		if !ok {
			continue
		}
		prefix, ok := s.JobNamePrefix()
		if !ok {
			continue
		}
		field, max, _ := JobNameField(s.Type)
		if !validJobName(prefix) {
			return stepErrorf(s.Name, "Step %q has job name prefix %q (%s), which is not valid: it must match ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$.", s.Name, truncate(prefix, 80), field)
		}
		if len(prefix) > limit {
			return stepErrorf(s.Name, "Step %q has job name prefix %q (%s) of %d characters; the maximum for %s steps is %d (%s is at most %d characters, and the name adds -<execution id>-<token>-<attempt>, %d characters).",
				s.Name, truncate(prefix, 80), field, len(prefix), s.Type, limit, field, max, JobNameSuffixLength)
		}
	}
	return nil
}

// validJobName reports whether s matches ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$.
func validJobName(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// DefaultJobName returns the name of the job a step creates without a
// custom prefix: "pipelines-<execution id>-<step name>-<token>", with the
// step name cut to 20 characters and its underscores (which job names may
// not hold) turned into hyphens. It fits the 63-character job names; the
// caller supplies the random token.
func DefaultJobName(executionID, stepName, token string) string {
	if len(stepName) > 20 {
		stepName = stepName[:20]
	}
	return "pipelines-" + executionID + "-" + strings.ReplaceAll(stepName, "_", "-") + "-" + token
}

// CustomJobName returns the name of the job a step with a custom prefix
// creates: "<prefix>-<execution id>-<token>-<attempt>".
func CustomJobName(prefix, executionID, token string, attempt int) string {
	return prefix + "-" + executionID + "-" + token + "-" + strconv.Itoa(attempt)
}
