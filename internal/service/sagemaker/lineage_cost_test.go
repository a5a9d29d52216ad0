package sagemaker

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// BenchmarkJobLineageCost separates what automatic lineage adds to a pipeline step's job
// from the rest of its creation. Each iteration is one store transaction, as
// CreateProcessingJob's is:
//
//   - job: what CreateProcessingJob writes without lineage (the name check, the job record,
//     its tags);
//   - job+lineage: the same with the job's lineage recorded in it (a trial component,
//     artifacts for the image, two inputs and an output, their associations);
//   - lineage: the lineage writes alone;
//   - job+lineage/step: job+lineage for a job a pipeline execution creates, whose trial
//     component also joins the execution's trial (created with the first job) and whose
//     tags gain sagemaker:pipeline-execution-arn.
//
// job+lineage − job is lineage's cost on a step. Inputs are shared between jobs (one of
// ten raw prefixes, the same code and image), as steps of a pipeline share data, so most
// artifacts already exist; each job's output is new.
func BenchmarkJobLineageCost(b *testing.B) {
	for _, mode := range []string{"job", "job+lineage", "lineage", "job+lineage/step"} {
		b.Run(mode, func(b *testing.B) {
			db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "cairn.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			s := New(Options{Store: db, Now: time.Now, Random: rand.Reader, Region: "us-east-1"})
			ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: "111111111111",
				ARN: "arn:aws:iam::111111111111:root"})
			if mode == "job+lineage/step" {
				ctx = sm.WithPipelineStep(ctx, sm.PipelineStep{ExecutionARN: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/abcdef123456",
					ExperimentName: "p", TrialName: "abcdef123456"})
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				n := strconv.Itoa(i)
				input := processingJobInput(n, i%10)
				job := &store.Job{AccountID: "111111111111", Kind: string(sm.ProcessingJob), Name: "job-" + n,
					ARN: s.arn("111111111111", string(sm.ProcessingJob), "job-"+n), Request: "{}", Status: string(sm.JobInProgress),
					RoleARN: "arn:aws:iam::111111111111:role/r", CreatedAt: time.Now(), LastModifiedAt: time.Now()}
				err := s.store.Update(ctx, func(tx txn) error {
					if mode != "lineage" {
						if _, err := tx.Job(job.AccountID, job.Kind, job.Name); err == nil {
							b.Fatal("job exists")
						}
						if err := tx.CreateJob(job); err != nil {
							return err
						}
					}
					if mode != "job" {
						if err := s.recordJobLineage(ctx, tx, job, sm.ProcessingJob, input); err != nil {
							return err
						}
					}
					if mode != "lineage" {
						return tx.SetTags(job.ARN, storeTags(withPipelineTag(ctx, nil)))
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// processingJobInput is the request body of BenchmarkCreateProcessingJobWithLineage's jobs.
func processingJobInput(n string, raw int) json.RawMessage {
	return json.RawMessage(`{"ProcessingJobName":"job-` + n + `","RoleArn":"arn:aws:iam::111111111111:role/r",
		"AppSpecification":{"ImageUri":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"},
		"ProcessingResources":{"ClusterConfig":{"InstanceCount":1,"InstanceType":"ml.m5.xlarge","VolumeSizeInGB":30}},
		"ProcessingInputs":[
			{"InputName":"raw","S3Input":{"S3Uri":"s3://lake/raw/` + strconv.Itoa(raw) + `","LocalPath":"/opt/ml/processing/raw","S3DataType":"S3Prefix","S3InputMode":"File"}},
			{"InputName":"code","S3Input":{"S3Uri":"s3://lake/code/prep.py","LocalPath":"/opt/ml/processing/code","S3DataType":"S3Prefix","S3InputMode":"File"}}],
		"ProcessingOutputConfig":{"Outputs":[{"OutputName":"out","S3Output":{"S3Uri":"s3://lake/out/` + n + `","LocalPath":"/opt/ml/processing/out","S3UploadMode":"EndOfJob"}}]}}`)
}
