package ram

import (
	"regexp"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
)

// The SageMaker resource types RAM shares, with their AWS managed permissions. RAM owns
// its permission catalogue, as AWS does; what a resource is and whether it exists stays
// with the wiring, which passes the existence check in.

// Shareable SageMaker types.
const (
	PipelineTypeName     = "sagemaker:Pipeline"
	LineageGroupTypeName = "sagemaker:LineageGroup"
	// DefaultLineageGroup is the one lineage group every account has.
	DefaultLineageGroup = "sagemaker-default-lineage-group"
)

// The AWS managed permissions of the SageMaker types.
const (
	PipelineReadPermission      = "AWSRAMDefaultPermissionSageMakerPipeline"
	PipelineExecutionPermission = "AWSRAMPermissionSageMakerPipelineAllowExecution"
	LineageGroupPermission      = "AWSRAMDefaultPermissionSageMakerLineageGroup"
)

// pipelineReadActions are what the default pipeline permission allows: reading the
// pipeline and its executions.
func pipelineReadActions() []string {
	return []string{
		"sagemaker:DescribePipeline",
		"sagemaker:DescribePipelineDefinitionForExecution",
		"sagemaker:DescribePipelineExecution",
		"sagemaker:ListPipelineExecutions",
		"sagemaker:ListPipelineExecutionSteps",
		"sagemaker:ListPipelineParametersForExecution",
		"sagemaker:Search",
	}
}

// pipelineExecutionActions adds running the pipeline to the read actions.
func pipelineExecutionActions() []string {
	return []string{
		"sagemaker:DescribePipeline",
		"sagemaker:DescribePipelineDefinitionForExecution",
		"sagemaker:DescribePipelineExecution",
		"sagemaker:ListPipelineExecutions",
		"sagemaker:ListPipelineExecutionSteps",
		"sagemaker:ListPipelineParametersForExecution",
		"sagemaker:StartPipelineExecution",
		"sagemaker:StopPipelineExecution",
		"sagemaker:RetryPipelineExecution",
		"sagemaker:Search",
	}
}

// lineageGroupActions are what sharing a lineage group allows on its entities.
func lineageGroupActions() []string {
	return []string{
		"sagemaker:DescribeAction",
		"sagemaker:DescribeArtifact",
		"sagemaker:DescribeContext",
		"sagemaker:DescribeTrialComponent",
		"sagemaker:AddAssociation",
		"sagemaker:DeleteAssociation",
		"sagemaker:QueryLineage",
	}
}

// pipelineNameRE is SageMaker's pipeline name: no slash, so an execution ARN is never
// taken for its pipeline's.
var pipelineNameRE = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$`)

// sageMakerRef parses arn:aws:sagemaker:<region>:<account>:<kind>/<name>.
func sageMakerRef(s, region, kind string) (Ref, string, bool) {
	a, err := arn.Parse(s)
	if err != nil || a.Partition != arn.Partition || a.Service != "sagemaker" || a.Region != region || !arn.IsAccountID(a.Account) {
		return Ref{}, "", false
	}
	name, ok := strings.CutPrefix(a.Resource, kind+"/")
	if !ok {
		return Ref{}, "", false
	}
	return Ref{Account: a.Account, Name: name}, arn.New("sagemaker", region, a.Account, kind+"/"), true
}

// published is when AWS published the SageMaker permissions (cross-account pipelines and
// lineage arrived in late 2022).
func published() time.Time { return time.Date(2022, 11, 30, 0, 0, 0, 0, time.UTC) }

// PipelineType is sagemaker:Pipeline in region: a pipeline's ARN names it (in any case; the
// canonical ARN has the name in lower case, as SageMaker writes it), and its policy covers
// the pipeline and every execution of it.
func PipelineType(region string, exists ExistsFunc) ResourceType {
	return ResourceType{
		Name:    PipelineTypeName,
		Service: "sagemaker",
		Scope:   "REGIONAL",
		Parse: func(s string) (Ref, bool) {
			ref, prefix, ok := sageMakerRef(s, region, "pipeline")
			if !ok || !pipelineNameRE.MatchString(ref.Name) {
				return Ref{}, false
			}
			ref.ARN = prefix + strings.ToLower(ref.Name)
			return ref, true
		},
		Exists:  exists,
		Covers:  func(r Ref) []string { return []string{r.ARN, r.ARN + "/execution/*"} },
		Actions: pipelineExecutionActions(),
		Permissions: []ManagedPermission{
			{Name: PipelineReadPermission, Actions: pipelineReadActions(), Default: true, Created: published()},
			{Name: PipelineExecutionPermission, Actions: pipelineExecutionActions(), Created: published()},
		},
	}
}

// LineageGroupType is sagemaker:LineageGroup in region: every account has one group,
// sagemaker-default-lineage-group, holding all its lineage entities (exists says which
// groups exist).
func LineageGroupType(region string, exists ExistsFunc) ResourceType {
	return ResourceType{
		Name:    LineageGroupTypeName,
		Service: "sagemaker",
		Scope:   "REGIONAL",
		Parse: func(s string) (Ref, bool) {
			ref, prefix, ok := sageMakerRef(s, region, "lineage-group")
			if !ok || ref.Name == "" || strings.Contains(ref.Name, "/") {
				return Ref{}, false
			}
			ref.ARN = prefix + ref.Name
			return ref, true
		},
		Exists:  exists,
		Covers:  func(r Ref) []string { return []string{r.ARN} },
		Actions: lineageGroupActions(),
		Permissions: []ManagedPermission{
			{Name: LineageGroupPermission, Actions: lineageGroupActions(), Default: true, Created: published()},
		},
	}
}
