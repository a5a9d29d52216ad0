package sagemaker

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Lineage SageMaker records by itself, in the transaction that creates what it tracks: per
// job a trial component named <job>-aws-<kind> (Source the job), with an artifact for its
// image and each S3 input (ContributedTo the component) and each output (Produced by it);
// per model package an artifact of the package, fed by the artifact of its model data, and
// an approval action; per model package group a ModelGroup context. Artifacts are one per
// source, so a processing job's output is the same artifact as the training input that
// reads it, and QueryLineage from a model package reaches the data the pipeline read.

// jobIO is what a Create…Job request says of a job's image, inputs and outputs.
type jobIO struct {
	AppSpecification       *struct{ ImageUri string }
	ProcessingInputs       []struct{ S3Input *struct{ S3Uri string } }
	ProcessingOutputConfig *struct {
		Outputs []struct{ S3Output *struct{ S3Uri string } }
	}
	AlgorithmSpecification *struct{ TrainingImage string }
	InputDataConfig        []struct{ DataSource *s3DataSource }
	OutputDataConfig       *struct{ S3OutputPath, CompressionType string }
	TransformInput         *struct{ DataSource *s3DataSource }
	TransformOutput        *struct{ S3OutputPath string }
	ExperimentConfig       *sm.ExperimentConfig
}

type s3DataSource struct {
	S3DataSource *struct{ S3Uri string }
}

// lineageURI is an artifact to record: its source and type.
type lineageURI struct{ uri, typ string }

// io reads a job's image, inputs and outputs.
func (j *jobIO) io(kind sm.JobKind, name string) (image string, inputs, outputs []lineageURI) {
	switch kind {
	case sm.ProcessingJob:
		if j.AppSpecification != nil {
			image = j.AppSpecification.ImageUri
		}
		for _, in := range j.ProcessingInputs {
			if in.S3Input != nil && in.S3Input.S3Uri != "" {
				inputs = append(inputs, lineageURI{in.S3Input.S3Uri, "DataSet"})
			}
		}
		if j.ProcessingOutputConfig != nil {
			for _, out := range j.ProcessingOutputConfig.Outputs {
				if out.S3Output != nil && out.S3Output.S3Uri != "" {
					outputs = append(outputs, lineageURI{out.S3Output.S3Uri, "DataSet"})
				}
			}
		}
	case sm.TrainingJob:
		if j.AlgorithmSpecification != nil {
			image = j.AlgorithmSpecification.TrainingImage
		}
		for _, in := range j.InputDataConfig {
			if in.DataSource != nil && in.DataSource.S3DataSource != nil && in.DataSource.S3DataSource.S3Uri != "" {
				inputs = append(inputs, lineageURI{in.DataSource.S3DataSource.S3Uri, "DataSet"})
			}
		}
		if j.OutputDataConfig != nil && j.OutputDataConfig.S3OutputPath != "" {
			// Where the job manager writes the model (jobs.uploadTrainingOutputs).
			model := strings.TrimSuffix(j.OutputDataConfig.S3OutputPath, "/") + "/" + name + "/output/model.tar.gz"
			if j.OutputDataConfig.CompressionType == "NONE" {
				model = strings.TrimSuffix(model, ".tar.gz") + "/"
			}
			outputs = append(outputs, lineageURI{model, "Model"})
		}
	case sm.TransformJob:
		if j.TransformInput != nil && j.TransformInput.DataSource != nil && j.TransformInput.DataSource.S3DataSource != nil {
			inputs = append(inputs, lineageURI{j.TransformInput.DataSource.S3DataSource.S3Uri, "DataSet"})
		}
		if j.TransformOutput != nil && j.TransformOutput.S3OutputPath != "" {
			outputs = append(outputs, lineageURI{j.TransformOutput.S3OutputPath, "DataSet"})
		}
	}
	return image, inputs, outputs
}

// jobTypes are the vertex type and the source type of each kind's trial component.
var jobTypes = map[sm.JobKind][2]string{
	sm.ProcessingJob: {"ProcessingJob", "SageMakerProcessingJob"},
	sm.TrainingJob:   {"TrainingJob", "SageMakerTrainingJob"},
	sm.TransformJob:  {"TransformJob", "SageMakerTransformJob"},
}

// recordJobLineage records a new job's trial component, artifacts and associations.
func (s *Service) recordJobLineage(ctx context.Context, tx txn, job *store.Job, kind sm.JobKind, input any) error {
	raw, err := json.Marshal(input)
	if err != nil {
		return err
	}
	var j jobIO
	if err := json.Unmarshal(raw, &j); err != nil {
		return err
	}
	types := jobTypes[kind]
	tc := s.newLineage(ctx, store.LineageTrialComponent, job.Name+"-aws-"+string(kind))
	tc.AccountID, tc.ARN = job.AccountID, s.lineageARN(job.AccountID, store.LineageTrialComponent, tc.Name)
	tc.Type, tc.SourceURI, tc.Status = types[0], job.ARN, "InProgress"
	tc.Body = encodeBody(trialComponentBody{DisplayName: tc.Name, Source: &TrialComponentSource{SourceArn: job.ARN, SourceType: types[1]},
		Status: &TrialComponentStatus{PrimaryStatus: "InProgress"}})
	if _, err := tx.LineageEntity(tc.ARN); err == nil {
		return nil
	}
	if err := s.createLineage(tx, tc, nil, "TrialComponent"); err != nil {
		return err
	}
	if err := s.recordInTrial(ctx, tx, tc, j.ExperimentConfig); err != nil {
		return err
	}
	image, inputs, outputs := j.io(kind, job.Name)
	if image != "" {
		inputs = append(inputs, lineageURI{image, "Image"})
	}
	// The component is new, so none of its associations exists yet: each is created
	// without a lookup, once even when a URI is named twice.
	linked := map[string]bool{}
	for _, in := range inputs {
		a, err := s.sourceArtifact(ctx, tx, job.AccountID, in)
		if err != nil {
			return err
		}
		if err := s.linkNew(tx, a, tc, "ContributedTo", linked); err != nil {
			return err
		}
	}
	for _, out := range outputs {
		a, err := s.sourceArtifact(ctx, tx, job.AccountID, out)
		if err != nil {
			return err
		}
		if err := s.linkNew(tx, tc, a, "Produced", linked); err != nil {
			return err
		}
	}
	return nil
}

// linkNew associates two entities, one of them created in this transaction, unless
// linked (keyed by the two ARNs) says it already has.
func (s *Service) linkNew(tx txn, src, dst *store.LineageEntity, typ string, linked map[string]bool) error {
	key := src.ARN + " " + dst.ARN
	if linked[key] {
		return nil
	}
	linked[key] = true
	return tx.CreateLineageAssociation(&store.LineageAssociation{SourceARN: src.ARN, DestinationARN: dst.ARN, Type: typ,
		SourceAccount: src.AccountID, DestinationAccount: dst.AccountID, CreatedBy: src.CreatedBy, CreatedAt: s.now()})
}

// recordInTrial puts a job's new trial component in its trial: for a job a pipeline
// execution creates, the trial of the execution's PipelineExperimentConfig, created (and its
// experiment) with the execution's first job; for a job whose ExperimentConfig names a
// trial that exists, that trial. A name no experiment or trial may have (a pipeline name
// longer than 120 characters) records nothing.
func (s *Service) recordInTrial(ctx context.Context, tx txn, tc *store.LineageEntity, cfg *sm.ExperimentConfig) error {
	if step, ok := sm.PipelineStepFrom(ctx); ok && step.TrialName != "" {
		if !entityNameRE.MatchString(step.ExperimentName) || !entityNameRE.MatchString(step.TrialName) {
			return nil
		}
		trial, err := tx.LineageEntityByName(tc.AccountID, store.LineageTrial, step.TrialName)
		if errors.Is(err, store.ErrNotFound) {
			trial, err = s.pipelineTrial(ctx, tx, tc.AccountID, step)
		}
		if err != nil {
			return err
		}
		return tx.AddTrialMember(trial.ARN, tc.ARN, s.now())
	}
	if cfg == nil || cfg.TrialName == "" {
		return nil
	}
	trial, err := tx.LineageEntityByName(tc.AccountID, store.LineageTrial, cfg.TrialName)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.AddTrialMember(trial.ARN, tc.ARN, s.now())
}

// pipelineTrial creates an execution's trial, and its experiment unless it exists, in the
// account, as the caller (the execution's role).
func (s *Service) pipelineTrial(ctx context.Context, tx txn, account string, step sm.PipelineStep) (*store.LineageEntity, error) {
	_, err := tx.LineageEntityByName(account, store.LineageExperiment, step.ExperimentName)
	if errors.Is(err, store.ErrNotFound) {
		exp := s.newLineage(ctx, store.LineageExperiment, step.ExperimentName)
		exp.AccountID, exp.ARN = account, s.lineageARN(account, store.LineageExperiment, step.ExperimentName)
		exp.Body = encodeBody(groupingBody{DisplayName: step.ExperimentName})
		err = s.createLineage(tx, exp, nil, "Experiment")
	}
	if err != nil {
		return nil, err
	}
	exp, err := tx.LineageEntityByName(account, store.LineageExperiment, step.ExperimentName)
	if err != nil {
		return nil, err
	}
	trial := s.newLineage(ctx, store.LineageTrial, step.TrialName)
	trial.AccountID, trial.ARN = account, s.lineageARN(account, store.LineageTrial, step.TrialName)
	trial.Parent = exp.Name
	trial.Body = encodeBody(groupingBody{DisplayName: step.TrialName})
	return trial, s.createLineage(tx, trial, nil, "Trial")
}

// entityNameRE is ExperimentEntityName's pattern, whole.
var entityNameRE = regexp.MustCompile(`^` + entityNamePattern + `$`)

// sourceArtifact is the account's artifact for a URI, created when there is none.
func (s *Service) sourceArtifact(ctx context.Context, tx txn, account string, src lineageURI) (*store.LineageEntity, error) {
	key := (&ArtifactSource{SourceUri: src.uri}).key()
	if a, err := tx.ArtifactBySource(account, key); err == nil || !errors.Is(err, store.ErrNotFound) {
		return a, err
	}
	id, err := s.newArtifactID()
	if err != nil {
		return nil, err
	}
	a := s.newLineage(ctx, store.LineageArtifact, id)
	a.AccountID, a.ARN = account, s.lineageARN(account, store.LineageArtifact, id)
	a.Name, a.Type, a.SourceURI, a.SourceKey = "", src.typ, src.uri, key
	a.Body = encodeBody(artifactBody{Source: ArtifactSource{SourceUri: src.uri}})
	if err := s.createLineage(tx, a, nil, "Artifact"); err != nil {
		return nil, err
	}
	return a, s.linkSameAs(ctx, tx, a)
}

// linkOnce associates two entities unless they are.
func (s *Service) linkOnce(tx txn, src, dst *store.LineageEntity, typ string) error {
	if _, err := tx.LineageAssociation(src.ARN, dst.ARN); err == nil || !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return tx.CreateLineageAssociation(&store.LineageAssociation{SourceARN: src.ARN, DestinationARN: dst.ARN, Type: typ,
		SourceAccount: src.AccountID, DestinationAccount: dst.AccountID, CreatedBy: src.CreatedBy, CreatedAt: s.now()})
}

// recordPackageLineage records a new model package's artifact, fed by its model data
// (ContributedTo), its approval action, and its group's ModelGroup context.
func (s *Service) recordPackageLineage(ctx context.Context, tx txn, pkg *store.ModelPackage, spec *sm.InferenceSpecification) error {
	a, err := s.sourceArtifact(ctx, tx, pkg.AccountID, lineageURI{pkg.ARN, "ModelPackage"})
	if err != nil {
		return err
	}
	if spec != nil {
		for _, c := range spec.Containers {
			if c.ModelDataUrl == nil || *c.ModelDataUrl == "" {
				continue
			}
			data, err := s.sourceArtifact(ctx, tx, pkg.AccountID, lineageURI{*c.ModelDataUrl, "Model"})
			if err != nil {
				return err
			}
			if err := s.linkOnce(tx, data, a, "ContributedTo"); err != nil {
				return err
			}
		}
	}
	name := strings.ReplaceAll(packagePath(pkg.Name, pkg.Version), "/", "-")
	approval := s.newLineage(ctx, store.LineageAction, name+"-aws-model-package-approval")
	approval.AccountID, approval.ARN = pkg.AccountID, s.lineageARN(pkg.AccountID, store.LineageAction, approval.Name)
	approval.Type, approval.SourceURI, approval.Status = "ModelPackageApproval", pkg.ARN, pkg.ApprovalStatus
	approval.Body = encodeBody(actionBody{Source: ActionSource{SourceUri: pkg.ARN, SourceType: "ARN"}})
	if _, err := tx.LineageEntity(approval.ARN); errors.Is(err, store.ErrNotFound) {
		if err := s.createLineage(tx, approval, nil, "Action"); err != nil {
			return err
		}
		if err := s.linkOnce(tx, a, approval, "ContributedTo"); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if !pkg.Versioned() {
		return nil
	}
	groupARN := s.arn(pkg.AccountID, ModelPackageGroupKind, pkg.Name)
	ctxName := pkg.Name + "-aws-model-package-group"
	group, err := tx.LineageEntityByName(pkg.AccountID, store.LineageContext, ctxName)
	if errors.Is(err, store.ErrNotFound) {
		group = s.newLineage(ctx, store.LineageContext, ctxName)
		group.AccountID, group.ARN = pkg.AccountID, s.lineageARN(pkg.AccountID, store.LineageContext, ctxName)
		group.Type, group.SourceURI = "ModelGroup", groupARN
		group.Body = encodeBody(contextBody{Source: ContextSource{SourceUri: groupARN, SourceType: "ARN"}})
		err = s.createLineage(tx, group, nil, "Context")
	}
	if err != nil {
		return err
	}
	return s.linkOnce(tx, approval, group, "ContributedTo")
}

// followJob makes the status and times of a trial component SageMaker recorded for a job
// those of the job, read now: the component's Status.PrimaryStatus is the job's status
// (InProgress, Completed, Failed, Stopping, Stopped) with the job's failure reason as its
// Message, its StartTime and EndTime the job's.
// A component whose job is gone, or that is not a job's, keeps what it holds.
func (s *Service) followJob(tx txn, e *store.LineageEntity, b *trialComponentBody) error {
	if b.Source == nil || !strings.HasPrefix(b.Source.SourceType, "SageMaker") || !strings.HasSuffix(b.Source.SourceType, "Job") {
		return nil
	}
	a, ok := parseSageMakerARN(b.Source.SourceArn)
	if !ok || a.Account != e.AccountID {
		return nil
	}
	kind, name, _ := strings.Cut(a.Resource, "/")
	if !sm.JobKind(kind).Known() {
		return nil
	}
	job, err := tx.Job(a.Account, kind, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	msg := job.FailureReason
	if len(msg) > 1024 {
		msg = msg[:1024]
	}
	b.Status = &TrialComponentStatus{PrimaryStatus: job.Status, Message: msg}
	if !job.StartedAt.IsZero() {
		b.StartTime = operation.NewTimestamp(job.StartedAt)
	}
	if !job.EndedAt.IsZero() {
		b.EndTime = operation.NewTimestamp(job.EndedAt)
	}
	return nil
}
