package main

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// loadOptions shape one measurement.
type loadOptions struct {
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	// onMeasure, when set, runs as the measured phase starts; the function it returns
	// runs as it ends (a CPU profile).
	onMeasure func() (func(), error)
}

// result is what one measurement saw.
type result struct {
	requests  int
	errors    int
	elapsed   time.Duration
	latencies []time.Duration // sorted
	firstErr  error
}

func (r *result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.requests) / r.elapsed.Seconds()
}

// percentile returns the latency below which a fraction p of the successful calls fell.
func (r *result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(p*float64(len(r.latencies))+0.5) - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

// newClient returns an STS client for ep made for throughput: one shared transport that
// keeps a warm connection per caller, and no retries, so every call is one request.
func newClient(ep *endpoint) *sts.Client {
	return sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(ep.url),
		Credentials:  credentials.NewStaticCredentialsProvider(ep.keyID, ep.secret, ""),
		HTTPClient:   newHTTPClient(),
		Retryer:      aws.NopRetryer{},
	})
}

// newHTTPClient returns the SDK's HTTP client keeping a warm connection per caller.
func newHTTPClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConns = 1024
		tr.MaxIdleConnsPerHost = 1024
		tr.IdleConnTimeout = time.Minute
	})
}

// callerIdentity returns a call of GetCallerIdentity through c.
func callerIdentity(c *sts.Client) func(context.Context) error {
	in := &sts.GetCallerIdentityInput{}
	return func(ctx context.Context) error {
		_, err := c.GetCallerIdentity(ctx, in)
		return err
	}
}

// probe makes one call, so a target that cannot answer is reported before the load.
func probe(ctx context.Context, c *sts.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	return err
}

// load runs o.concurrency callers of call for o.warmup, then measures for o.duration.
func load(ctx context.Context, call func(context.Context) error, o loadOptions) (*result, error) {
	type callerResult struct {
		latencies []time.Duration
		errors    int
		firstErr  error
	}
	results := make([]callerResult, o.concurrency)
	var (
		measuring   = make(chan struct{})
		ctx2, stop  = context.WithCancel(ctx)
		wg          sync.WaitGroup
		measureFrom time.Time
	)
	defer stop()
	for i := range results {
		wg.Add(1)
		go func(res *callerResult) {
			defer wg.Done()
			res.latencies = make([]time.Duration, 0, 1<<14)
			recording := false
			for ctx2.Err() == nil {
				if !recording {
					select {
					case <-measuring:
						recording = true
					default:
					}
				}
				start := time.Now()
				err := call(ctx2)
				elapsed := time.Since(start)
				if !recording || ctx2.Err() != nil {
					continue
				}
				if err != nil {
					res.errors++
					if res.firstErr == nil {
						res.firstErr = err
					}
					continue
				}
				res.latencies = append(res.latencies, elapsed)
			}
		}(&results[i])
	}

	sleep(ctx, o.warmup)
	var done func()
	if o.onMeasure != nil {
		var err error
		if done, err = o.onMeasure(); err != nil {
			stop()
			wg.Wait()
			return nil, err
		}
	}
	measureFrom = time.Now()
	close(measuring)
	sleep(ctx, o.duration)
	stop()
	elapsed := time.Since(measureFrom)
	wg.Wait()
	if done != nil {
		done()
	}

	out := &result{elapsed: elapsed}
	for _, r := range results {
		out.requests += len(r.latencies)
		out.errors += r.errors
		out.latencies = append(out.latencies, r.latencies...)
		if out.firstErr == nil {
			out.firstErr = r.firstErr
		}
	}
	slices.Sort(out.latencies)
	return out, ctx.Err()
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
