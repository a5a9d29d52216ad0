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

// BenchmarkJobLineage separates what automatic lineage costs a job from the rest of
// CreateProcessingJob. Each iteration is the job's store transaction as createJob runs it
// (the job record, its tags) for a processing job with an image, two S3 inputs and one
// output; "with" records the job's lineage in that transaction, "without" does not. The
// difference of the two is lineage's share of the transaction, commit included;
// lineage-µs/op is the time spent inside recordJobLineage alone. As in a pipeline, the
// image and the inputs are shared between jobs (the first input one of ten prefixes), so
// most artifacts exist and each job creates one artifact, its output. "with-step" is "with"
// for a job a pipeline execution creates: its trial component also joins the execution's
// trial (created, with the experiment, by the first job) and its tags gain
// sagemaker:pipeline-execution-arn.
func BenchmarkJobLineage(b *testing.B) {
	for _, name := range []string{"with", "without", "with-step"} {
		lineage := name != "without"
		b.Run(name, func(b *testing.B) {
			db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "cairn.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			s := New(Options{Store: db, Now: time.Now, Random: rand.Reader, Region: "us-east-1"})
			ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: "111111111111",
				ARN: "arn:aws:iam::111111111111:root"})
			if name == "with-step" {
				ctx = sm.WithPipelineStep(ctx, sm.PipelineStep{ExecutionARN: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/abcdef123456",
					ExperimentName: "p", TrialName: "abcdef123456"})
			}
			var spent time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				n := strconv.Itoa(i)
				var in sm.CreateProcessingJobInput
				err := json.Unmarshal([]byte(`{"ProcessingJobName":"job-`+n+`","RoleArn":"arn:aws:iam::111111111111:role/r",
					"AppSpecification":{"ImageUri":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"},
					"ProcessingResources":{"ClusterConfig":{"InstanceCount":1,"InstanceType":"ml.m5.xlarge","VolumeSizeInGB":30}},
					"ProcessingInputs":[
						{"InputName":"raw","S3Input":{"S3Uri":"s3://lake/raw/`+strconv.Itoa(i%10)+`","LocalPath":"/opt/ml/processing/raw","S3DataType":"S3Prefix","S3InputMode":"File"}},
						{"InputName":"code","S3Input":{"S3Uri":"s3://lake/code/prep.py","LocalPath":"/opt/ml/processing/code","S3DataType":"S3Prefix","S3InputMode":"File"}}],
					"ProcessingOutputConfig":{"Outputs":[{"OutputName":"out","S3Output":{"S3Uri":"s3://lake/out/`+n+`","LocalPath":"/opt/ml/processing/out","S3UploadMode":"EndOfJob"}}]}}`), &in)
				if err != nil {
					b.Fatal(err)
				}
				now := time.Now()
				job := &store.Job{AccountID: "111111111111", Kind: string(sm.ProcessingJob), Name: in.ProcessingJobName,
					ARN: s.arn("111111111111", string(sm.ProcessingJob), in.ProcessingJobName), Request: "{}",
					Status: string(sm.JobInProgress), RoleARN: in.RoleArn, CreatedAt: now, LastModifiedAt: now}
				err = s.store.Update(ctx, func(tx txn) error {
					if err := tx.CreateJob(job); err != nil {
						return err
					}
					if lineage {
						start := time.Now()
						if err := s.recordJobLineage(ctx, tx, job, sm.ProcessingJob, &in); err != nil {
							return err
						}
						spent += time.Since(start)
					}
					return tx.SetTags(job.ARN, storeTags(withPipelineTag(ctx, nil)))
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(spent.Microseconds())/float64(b.N), "lineage-µs/op")
		})
	}
}
