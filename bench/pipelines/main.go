// Command pipelines measures the pipeline engine's own overhead on one machine:
//
//   - chain: one execution of a pipeline of N Condition steps in a chain (each depends on
//     the previous); reported as the wall time from StartPipelineExecution to Succeeded.
//   - fanout: E concurrent executions of a 5-step pipeline of Processing steps whose jobs
//     run `true`; reported as the wall time for all of them, and the step-transition latency
//     (a job's end recorded → its dependent's job created, and → its process started),
//     p50/p99.
//
// Usage:
//
//	go run ./bench/pipelines [-chain 200] [-executions 100] [-steps 5]
//
// Cairn runs in this process on a random loopback port with a temporary data dir; this
// binary is also the jobs' supervisor.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/cairnhq/cairn/internal/server"
)

func main() {
	chain := flag.Int("chain", 200, "Condition steps in the chained pipeline (0 skips it)")
	executions := flag.Int("executions", 100, "concurrent executions of the fan-out pipeline (0 skips it)")
	steps := flag.Int("steps", 5, "Processing steps per fan-out pipeline")
	flag.Parse()
	if *chain > 1000 || *executions > 1000 || *steps > 50 {
		fmt.Fprintln(os.Stderr, "pipelines: -chain ≤ 1000, -executions ≤ 1000, -steps ≤ 50")
		os.Exit(2)
	}
	if err := run(*chain, *executions, *steps); err != nil {
		fmt.Fprintln(os.Stderr, "pipelines:", err)
		os.Exit(1)
	}
}

func run(chain, executions, steps int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "cairn-bench-pipelines-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := server.Open(ctx, server.Options{Listen: "127.0.0.1:0", DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	go srv.Serve()
	defer srv.Shutdown(ctx)
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigFiles([]string{filepath.Join(dir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dir, "credentials")}), config.WithSharedConfigProfile("management"))
	if err != nil {
		return err
	}
	role, err := createRole(ctx, cfg)
	if err != nil {
		return err
	}
	client := sagemaker.NewFromConfig(cfg, func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 })
	if chain > 0 {
		d, err := runChain(ctx, client, role, chain)
		if err != nil {
			return err
		}
		fmt.Printf("chain of %d Condition steps: %v end to end (%.2f ms per step)\n", chain, d.Round(time.Millisecond), float64(d.Microseconds())/1000/float64(chain))
	}
	if executions > 0 {
		if err := runFanout(ctx, client, role, executions, steps); err != nil {
			return err
		}
	}
	return nil
}

func createRole(ctx context.Context, cfg aws.Config) (string, error) {
	client := iam.NewFromConfig(cfg)
	out, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bench-exec"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil {
		return "", err
	}
	_, err = client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("bench-exec"), PolicyName: aws.String("all"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sagemaker:*","s3:*","iam:PassRole"],"Resource":"*"}]}`)})
	return aws.ToString(out.Role.Arn), err
}

func token(s string) string { return s + strings.Repeat("0", 40) }

func create(ctx context.Context, client *sagemaker.Client, name, role, def string) error {
	_, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String(name), RoleArn: aws.String(role),
		PipelineDefinition: aws.String(def), ClientRequestToken: aws.String(token(name))})
	return err
}

func wait(ctx context.Context, client *sagemaker.Client, arn string) (*sagemaker.DescribePipelineExecutionOutput, error) {
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		out, err := client.DescribePipelineExecution(ctx, &sagemaker.DescribePipelineExecutionInput{PipelineExecutionArn: aws.String(arn)})
		if err != nil {
			return nil, err
		}
		if out.PipelineExecutionStatus != smtypes.PipelineExecutionStatusExecuting {
			return out, nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil, fmt.Errorf("execution %s did not end", arn)
}

// runChain runs a chain of Condition steps, each depending on the one before.
func runChain(ctx context.Context, client *sagemaker.Client, role string, n int) (time.Duration, error) {
	var b strings.Builder
	b.WriteString(`{"Version":"2020-12-01","Metadata":{},"Parameters":[{"Name":"X","Type":"Integer","DefaultValue":1}],"Steps":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		dep := ""
		if i > 0 {
			dep = `"DependsOn":["C` + strconv.Itoa(i-1) + `"],`
		}
		fmt.Fprintf(&b, `{"Name":"C%d","Type":"Condition",%s"Arguments":{"Conditions":[{"Type":"GreaterThanOrEqualTo","LeftValue":{"Get":"Parameters.X"},"RightValue":0}],"IfSteps":[],"ElseSteps":[]}}`, i, dep)
	}
	b.WriteString("]}")
	if err := create(ctx, client, "chain", role, b.String()); err != nil {
		return 0, err
	}
	start := time.Now()
	out, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("chain"), ClientRequestToken: aws.String(token("chain-run"))})
	if err != nil {
		return 0, err
	}
	done, err := wait(ctx, client, aws.ToString(out.PipelineExecutionArn))
	if err != nil {
		return 0, err
	}
	elapsed := time.Since(start)
	if done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
		return 0, fmt.Errorf("chain ended %s: %s", done.PipelineExecutionStatus, aws.ToString(done.FailureReason))
	}
	return elapsed, nil
}

// runFanout runs executions of a pipeline of Processing steps in a chain, all at once.
func runFanout(ctx context.Context, client *sagemaker.Client, role string, executions, steps int) error {
	var b strings.Builder
	b.WriteString(`{"Version":"2020-12-01","Metadata":{},"Parameters":[],"Steps":[`)
	for i := 0; i < steps; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		dep := ""
		if i > 0 {
			dep = `"DependsOn":["P` + strconv.Itoa(i-1) + `"],`
		}
		fmt.Fprintf(&b, `{"Name":"P%d","Type":"Processing",%s"Arguments":{"ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.t3.medium","InstanceCount":1,"VolumeSizeInGB":1}},"AppSpecification":{"ImageUri":"none","ContainerEntrypoint":["true"]},"RoleArn":"%s"}}`, i, dep, role)
	}
	b.WriteString("]}")
	if err := create(ctx, client, "fanout", role, b.String()); err != nil {
		return err
	}
	start := time.Now()
	arns := make([]string, executions)
	var wg sync.WaitGroup
	errs := make(chan error, executions)
	for i := range arns {
		out, err := client.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("fanout"), ClientRequestToken: aws.String(token("fanout-" + strconv.Itoa(i)))})
		if err != nil {
			return err
		}
		arns[i] = aws.ToString(out.PipelineExecutionArn)
		wg.Add(1)
		go func(arn string) {
			defer wg.Done()
			done, err := wait(ctx, client, arn)
			if err == nil && done.PipelineExecutionStatus != smtypes.PipelineExecutionStatusSucceeded {
				err = fmt.Errorf("%s ended %s: %s", arn, done.PipelineExecutionStatus, aws.ToString(done.FailureReason))
			}
			if err != nil {
				errs <- err
			}
		}(arns[i])
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	var toCreate, toStart []time.Duration
	for _, arn := range arns {
		list, err := client.ListPipelineExecutionSteps(ctx, &sagemaker.ListPipelineExecutionStepsInput{PipelineExecutionArn: aws.String(arn), SortOrder: smtypes.SortOrderAscending, MaxResults: aws.Int32(100)})
		if err != nil {
			return err
		}
		var prevEnd time.Time
		for i, s := range list.PipelineExecutionSteps {
			name := aws.ToString(s.Metadata.ProcessingJob.Arn)
			job, err := client.DescribeProcessingJob(ctx, &sagemaker.DescribeProcessingJobInput{ProcessingJobName: aws.String(name[strings.LastIndex(name, "/")+1:])})
			if err != nil {
				return err
			}
			if i > 0 {
				toCreate = append(toCreate, job.CreationTime.Sub(prevEnd))
				toStart = append(toStart, job.ProcessingStartTime.Sub(prevEnd))
			}
			prevEnd = *job.ProcessingEndTime
		}
	}
	fmt.Printf("%d concurrent executions of %d Processing steps (jobs run `true`): %v end to end\n", executions, steps, elapsed.Round(time.Millisecond))
	fmt.Printf("step transition, job end → next job created: p50 %v p99 %v\n", pct(toCreate, 50), pct(toCreate, 99))
	fmt.Printf("step transition, job end → next job's process started: p50 %v p99 %v\n", pct(toStart, 50), pct(toStart, 99))
	return nil
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}
