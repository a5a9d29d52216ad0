// Command training measures what Cairn adds around a training job's own run, over jobs run
// one after another:
//
//   - start: from the CreateTrainingJob call to the training process running (the process
//     prints the time it started: the image is mapped to `date +%s%N`);
//   - end: from the process's exit (its printed time; `date` exits right after printing)
//     to the job's Completed status being committed (seen through the store's change
//     feed);
//
// with their p50/p99, and a breakdown of each from the job's SecondaryStatusTransitions.
//
//	go run ./bench/training [-jobs 50] [-channel]
//
// -channel gives every job a one-object input channel (staged as the job's role); without
// it the jobs have no input and the figures exclude data transfer. Cairn runs in this
// process on a random loopback port with a temporary data dir; this binary is also the
// jobs' supervisor.
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
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/cairnhq/cairn/internal/jobs"
	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/server"
	"github.com/cairnhq/cairn/internal/store"
)

const (
	image   = "bench/trivial:1"
	account = "000000000000"
	bucket  = "bench-training"
)

func main() {
	n := flag.Int("jobs", 50, "training jobs to run, one after another")
	channel := flag.Bool("channel", false, "give each job a one-object input channel")
	flag.Parse()
	if *n < 1 || *n > 10000 {
		fmt.Fprintln(os.Stderr, "training: -jobs between 1 and 10000")
		os.Exit(2)
	}
	if err := run(*n, *channel); err != nil {
		fmt.Fprintln(os.Stderr, "training:", err)
		os.Exit(1)
	}
}

// changes records when each job's last change was committed.
type changes struct {
	mu     sync.Mutex
	last   map[string]time.Time
	notify chan string
}

func (c *changes) observe(batch []store.Change) {
	now := time.Now()
	for _, ch := range batch {
		if ch.Kind != store.ChangeJob {
			continue
		}
		c.mu.Lock()
		c.last[ch.Key] = now
		c.mu.Unlock()
		select {
		case c.notify <- ch.Key:
		default:
		}
	}
}

func (c *changes) lastChange(arn string) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last[arn]
}

// sample is one job's timings.
type sample struct {
	create, start, end       time.Duration // the call; Create → process start; exit → Completed
	toDownloading, toProcess time.Duration // breakdown of start
	toUploading, toCompleted time.Duration // breakdown of end
	createAt, processAt      time.Time
}

func run(n int, channel bool) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "cairn-bench-training-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := server.Open(ctx, server.Options{Listen: "127.0.0.1:0", DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Images: []jobs.Image{{Pattern: "bench/trivial:*", Command: []string{"date", "+%s%N"}, NoModeArgument: true}}})
	if err != nil {
		return err
	}
	go srv.Serve()
	defer srv.Shutdown(ctx)
	seen := &changes{last: map[string]time.Time{}, notify: make(chan string, 1024)}
	cancel := srv.Store().Subscribe(seen.observe)
	defer cancel()

	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigFiles([]string{filepath.Join(dir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dir, "credentials")}), config.WithSharedConfigProfile("management"))
	if err != nil {
		return err
	}
	role, err := createRole(ctx, cfg)
	if err != nil {
		return err
	}
	objects := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := objects.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return err
	}
	if _, err := objects.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("data/train.csv"), Body: strings.NewReader("1,2\n")}); err != nil {
		return err
	}
	client := sagemaker.NewFromConfig(cfg, func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 })

	var samples []sample
	for i := 0; i < n+1; i++ {
		// Let the warm supervisor the previous job used be replaced, as between the steps
		// of a pipeline.
		time.Sleep(50 * time.Millisecond)
		s, err := runJob(ctx, client, seen, dir, role, fmt.Sprintf("bench-%d", i), channel)
		if err != nil {
			return err
		}
		if i > 0 { // the first job warms the caches
			samples = append(samples, s)
		}
	}
	fmt.Printf("%d training jobs one after another (image mapped to `date +%%s%%N`; input channel: %v)\n", n, channel)
	report := func(name string, get func(sample) time.Duration) {
		d := make([]time.Duration, len(samples))
		for i, s := range samples {
			d[i] = get(s)
		}
		slices.Sort(d)
		p99 := (len(d)*99+99)/100 - 1 // the nearest rank
		fmt.Printf("  %-46s p50 %7.2f ms   p99 %7.2f ms\n", name, ms(d[len(d)/2]), ms(d[p99]))
	}
	report("CreateTrainingJob call", func(s sample) time.Duration { return s.create })
	report("CreateTrainingJob → training process started", func(s sample) time.Duration { return s.start })
	report("  Create → Downloading recorded", func(s sample) time.Duration { return s.toDownloading })
	report("  Downloading → process started", func(s sample) time.Duration { return s.toProcess })
	report("process exit → Completed committed", func(s sample) time.Duration { return s.end })
	report("  exit → Uploading recorded", func(s sample) time.Duration { return s.toUploading })
	report("  Uploading → Completed committed", func(s sample) time.Duration { return s.toCompleted })
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func runJob(ctx context.Context, client *sagemaker.Client, seen *changes, dir, role, name string, channel bool) (sample, error) {
	in := &sagemaker.CreateTrainingJobInput{
		TrainingJobName:        aws.String(name),
		RoleArn:                aws.String(role),
		AlgorithmSpecification: &smtypes.AlgorithmSpecification{TrainingImage: aws.String(image), TrainingInputMode: smtypes.TrainingInputModeFile},
		OutputDataConfig:       &smtypes.OutputDataConfig{S3OutputPath: aws.String("s3://" + bucket + "/models")},
		ResourceConfig:         &smtypes.ResourceConfig{InstanceType: smtypes.TrainingInstanceTypeMlM5Large, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(1)},
		StoppingCondition:      &smtypes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(60)},
	}
	if channel {
		in.InputDataConfig = []smtypes.Channel{{ChannelName: aws.String("train"), DataSource: &smtypes.DataSource{S3DataSource: &smtypes.S3DataSource{
			S3DataType: smtypes.S3DataTypeS3Prefix, S3Uri: aws.String("s3://" + bucket + "/data/")}}}}
	}
	var s sample
	s.createAt = time.Now()
	out, err := client.CreateTrainingJob(ctx, in)
	if err != nil {
		return s, err
	}
	s.create = time.Since(s.createAt)
	arn := aws.ToString(out.TrainingJobArn)
	deadline := time.After(time.Minute)
	var job *sagemaker.DescribeTrainingJobOutput
	for job == nil {
		select {
		case key := <-seen.notify:
			if key != arn {
				continue
			}
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			return s, fmt.Errorf("job %s did not end", name)
		}
		d, err := client.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(name)})
		if err != nil {
			return s, err
		}
		switch d.TrainingJobStatus {
		case smtypes.TrainingJobStatusCompleted:
			job = d
		case smtypes.TrainingJobStatusInProgress:
		default:
			return s, fmt.Errorf("job %s ended %s: %s", name, d.TrainingJobStatus, aws.ToString(d.FailureReason))
		}
	}
	completed := seen.lastChange(arn)
	data, err := os.ReadFile(runner.LogPath(dir, account, name))
	if err != nil {
		return s, err
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return s, fmt.Errorf("job %s printed %q", name, data)
	}
	s.processAt = time.Unix(0, ns)
	s.start = s.processAt.Sub(s.createAt)
	s.end = completed.Sub(s.processAt)
	at := map[smtypes.SecondaryStatus]time.Time{}
	for _, tr := range job.SecondaryStatusTransitions {
		at[tr.Status] = aws.ToTime(tr.StartTime)
	}
	s.toDownloading = at[smtypes.SecondaryStatusDownloading].Sub(s.createAt)
	s.toProcess = s.processAt.Sub(at[smtypes.SecondaryStatusDownloading])
	s.toUploading = at[smtypes.SecondaryStatusUploading].Sub(s.processAt)
	s.toCompleted = completed.Sub(at[smtypes.SecondaryStatusUploading])
	return s, nil
}

func createRole(ctx context.Context, cfg aws.Config) (string, error) {
	client := iam.NewFromConfig(cfg)
	out, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bench-training"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil {
		return "", err
	}
	_, err = client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("bench-training"), PolicyName: aws.String("all"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sagemaker:*","s3:*","iam:PassRole"],"Resource":"*"}]}`)})
	return aws.ToString(out.Role.Arn), err
}
