package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// BenchmarkCanonicalPipeline runs the canonical pipeline (see TestCanonicalPipeline) and
// reports its wall time against the sum of its jobs' own run times (each job's process start
// to its end, as Describe… reports them); the difference is what Cairn adds: scheduling,
// assuming roles, staging inputs, starting sandboxes, uploading outputs.
//
//	go test ./tests/e2e/ -run '^$' -bench CanonicalPipeline -benchtime 3x
func BenchmarkCanonicalPipeline(b *testing.B) {
	c := start(b, startOptions{Config: accountsYAML})
	ctx := context.Background()
	cfg := c.config("data-science")
	bucket := "canonical-bench"
	var data strings.Builder
	for i := 0; i < 40; i++ {
		x := float64(i) / 4
		data.WriteString(jsonFloat(x) + "," + jsonFloat(2*x+1+float64((i*37)%11-5)/100) + "\n")
	}
	putObjects(b, cfg, bucket, map[string]string{
		"raw/data.csv": data.String(), "code/preprocess.py": canonicalPreprocess, "code/evaluate.py": canonicalEvaluate,
		"code/sourcedir.tar.gz": tarGz(b, map[string]string{"train.py": canonicalTrain, "inference.py": canonicalInference}),
	})
	role := pipelineRole(b, c, "data-science", "canonical-exec", fullPipelinePolicy)
	client := sagemaker.NewFromConfig(cfg)
	if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("canonical"), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(canonicalDefinition(bucket, role)), ClientRequestToken: aws.String(token(b, "create"))}); err != nil {
		b.Fatal(err)
	}
	var wall, jobs time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		begin := time.Now()
		out, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("canonical"),
			ClientRequestToken: aws.String(token(b, "run-"+strconv.Itoa(i))), PipelineParameters: []smtypes.Parameter{{Name: aws.String("MaxRmse"), Value: aws.String("0.5")}}})
		if err != nil {
			b.Fatal(err)
		}
		arn := aws.ToString(out.PipelineExecutionArn)
		if done := waitExecution(b, client, arn, 5*time.Minute); done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
			b.Fatalf("execution %s: %s", arn, aws.ToString(done.FailureReason))
		}
		wall += time.Since(begin)
		b.StopTimer()
		for _, s := range steps(b, client, arn) {
			jobs += jobRunTime(b, client, s.Metadata)
		}
		b.StartTimer()
	}
	b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s/run")
	b.ReportMetric(jobs.Seconds()/float64(b.N), "jobs-s/run")
	b.ReportMetric((wall-jobs).Seconds()/float64(b.N), "overhead-s/run")
}

// jobRunTime is a step's job's own run time, from Describe….
func jobRunTime(b *testing.B, client *sagemaker.Client, m *smtypes.PipelineExecutionStepMetadata) time.Duration {
	ctx := context.Background()
	name := func(arn *string) *string {
		s := aws.ToString(arn)
		return aws.String(s[strings.LastIndex(s, "/")+1:])
	}
	span := func(a, z *time.Time) time.Duration {
		if a == nil || z == nil {
			return 0
		}
		return z.Sub(*a)
	}
	switch {
	case m == nil:
	case m.ProcessingJob != nil:
		j, err := client.DescribeProcessingJob(ctx, &sagemaker.DescribeProcessingJobInput{ProcessingJobName: name(m.ProcessingJob.Arn)})
		if err == nil {
			return span(j.ProcessingStartTime, j.ProcessingEndTime)
		}
	case m.TrainingJob != nil:
		j, err := client.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: name(m.TrainingJob.Arn)})
		if err == nil {
			return span(j.TrainingStartTime, j.TrainingEndTime)
		}
	case m.TransformJob != nil:
		j, err := client.DescribeTransformJob(ctx, &sagemaker.DescribeTransformJobInput{TransformJobName: name(m.TransformJob.Arn)})
		if err == nil {
			return span(j.TransformStartTime, j.TransformEndTime)
		}
	}
	return 0
}
