package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// result is one measured run.
type result struct {
	ops, errors int
	bytes       int64
	elapsed     time.Duration
	latencies   []time.Duration
	firstErr    error
}

func (r result) opsPerSec() float64 { return float64(r.ops) / r.elapsed.Seconds() }
func (r result) mbPerSec() float64  { return float64(r.bytes) / 1e6 / r.elapsed.Seconds() }

func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	l := slices.Clone(r.latencies)
	slices.Sort(l)
	return l[min(len(l)-1, int(p*float64(len(l))))].Round(10 * time.Microsecond)
}

func (r result) p50() time.Duration { return r.percentile(0.50) }
func (r result) p99() time.Duration { return r.percentile(0.99) }

// newClient returns an S3 client for t with connections for concurrency callers, with the
// SDK's default checksums (a CRC32 of every upload; responses' checksums validated). It
// sends UNSIGNED-PAYLOAD, as the SDK does over TLS, rather than hashing every body.
func newClient(t target, concurrency int) *s3.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 2 * concurrency
	transport.MaxIdleConnsPerHost = 2 * concurrency
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(t.url),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(t.keyID, t.secret, ""),
		HTTPClient:   &http.Client{Transport: transport},
		Retryer:      aws.NopRetryer{},
	}, s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
}

// objectClient is how the load program puts and gets objects.
type objectClient interface {
	put(ctx context.Context, bucket, key string, body []byte) error
	get(ctx context.Context, bucket, key string) (int64, error)
}

// sdkClient goes through the aws-sdk-go-v2 S3 client.
type sdkClient struct{ c *s3.Client }

func (c sdkClient) put(ctx context.Context, bucket, key string, body []byte) error {
	_, err := c.c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body)))})
	return err
}

func (c sdkClient) get(ctx context.Context, bucket, key string) (int64, error) {
	out, err := c.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return 0, err
	}
	defer out.Body.Close()
	return io.Copy(io.Discard, out.Body)
}

// signingClient signs plain net/http requests with the SDK's SigV4 signer and nothing
// else: the least a real client does, so that the machine's CPU goes to the server.
type signingClient struct {
	t      target
	http   *http.Client
	signer *v4.Signer
	creds  aws.Credentials
}

func newSigningClient(t target, concurrency int) *signingClient {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 2 * concurrency
	transport.MaxIdleConnsPerHost = 2 * concurrency
	return &signingClient{t: t, http: &http.Client{Transport: transport}, signer: v4.NewSigner(),
		creds: aws.Credentials{AccessKeyID: t.keyID, SecretAccessKey: t.secret}}
}

func (c *signingClient) do(ctx context.Context, method, path string, body []byte) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.t.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	if method == http.MethodPut {
		// As current SDKs do by default: a CRC32 of the body for the server to check.
		req.Header.Set("X-Amz-Checksum-Crc32", base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(body))))
		req.Header.Set("X-Amz-Sdk-Checksum-Algorithm", "CRC32")
	}
	if err := c.signer.SignHTTP(ctx, c.creds, req, "UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now()); err != nil {
		return 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s %s: status %d", method, path, resp.StatusCode)
	}
	return n, err
}

func (c *signingClient) put(ctx context.Context, bucket, key string, body []byte) error {
	_, err := c.do(ctx, http.MethodPut, "/"+bucket+"/"+key, body)
	return err
}

func (c *signingClient) get(ctx context.Context, bucket, key string) (int64, error) {
	return c.do(ctx, http.MethodGet, "/"+bucket+"/"+key, nil)
}

// objects returns the client -client names.
func objects(t target, concurrency int, kind string) objectClient {
	if kind == "sdk" {
		return sdkClient{newClient(t, concurrency)}
	}
	return newSigningClient(t, concurrency)
}

// smallObjects runs concurrent PUTs for o.duration, then concurrent GETs of the objects
// written for as long.
func smallObjects(ctx context.Context, t target, o options) (put, get result, err error) {
	bucket := fmt.Sprintf("s3load-small-%d", time.Now().UnixNano())
	if _, err := newClient(t, 1).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return put, get, fmt.Errorf("create bucket: %w", err)
	}
	client := objects(t, o.concurrency, o.client)
	body := bytes.Repeat([]byte("s3load "), o.small/7+1)[:o.small]
	written := make([]atomic.Int64, o.concurrency)
	put = drive(o.concurrency, o.duration, func(worker, i int) (int64, error) {
		err := client.put(ctx, bucket, fmt.Sprintf("w%03d/%08d", worker, i), body)
		if err == nil {
			written[worker].Store(int64(i + 1))
		}
		return int64(len(body)), err
	})
	get = drive(o.concurrency, o.duration, func(worker, i int) (int64, error) {
		n := written[worker].Load()
		if n == 0 {
			return 0, fmt.Errorf("worker %d wrote nothing", worker)
		}
		return client.get(ctx, bucket, fmt.Sprintf("w%03d/%08d", worker, int64(i)%n))
	})
	return put, get, firstError(put, get)
}

// largeObjects PUTs o.largeOps objects of o.large bytes, then GETs them.
func largeObjects(ctx context.Context, t target, o options) (put, get result, err error) {
	bucket := fmt.Sprintf("s3load-large-%d", time.Now().UnixNano())
	if _, err := newClient(t, 1).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return put, get, fmt.Errorf("create bucket: %w", err)
	}
	client := objects(t, o.largeConcurrency, o.client)
	body := make([]byte, o.large)
	for i := range body {
		body[i] = byte(i * 31 % 251)
	}
	var next atomic.Int64
	put = driveCount(o.largeConcurrency, o.largeOps, &next, func(i int) (int64, error) {
		return int64(len(body)), client.put(ctx, bucket, fmt.Sprintf("large-%04d", i), body)
	})
	next.Store(0)
	get = driveCount(o.largeConcurrency, o.largeOps, &next, func(i int) (int64, error) {
		return client.get(ctx, bucket, fmt.Sprintf("large-%04d", i))
	})
	return put, get, firstError(put, get)
}

func firstError(rs ...result) error {
	for _, r := range rs {
		if r.ops == 0 && r.firstErr != nil {
			return r.firstErr
		}
	}
	return nil
}

// drive runs op from workers callers until d has passed.
func drive(workers int, d time.Duration, op func(worker, i int) (int64, error)) result {
	var mu sync.Mutex
	var res result
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var local result
			for i := 0; time.Now().Before(deadline); i++ {
				t0 := time.Now()
				n, err := op(w, i)
				local.record(time.Since(t0), n, err)
			}
			mu.Lock()
			res.merge(local)
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// driveCount runs op for indexes 0..n-1 from workers callers.
func driveCount(workers, n int, next *atomic.Int64, op func(i int) (int64, error)) result {
	var mu sync.Mutex
	var res result
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local result
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					break
				}
				t0 := time.Now()
				size, err := op(i)
				local.record(time.Since(t0), size, err)
			}
			mu.Lock()
			res.merge(local)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func (r *result) record(d time.Duration, n int64, err error) {
	if err != nil {
		r.errors++
		if r.firstErr == nil {
			r.firstErr = err
		}
		return
	}
	r.ops++
	r.bytes += n
	r.latencies = append(r.latencies, d)
}

func (r *result) merge(o result) {
	r.ops += o.ops
	r.errors += o.errors
	r.bytes += o.bytes
	r.latencies = append(r.latencies, o.latencies...)
	if r.firstErr == nil {
		r.firstErr = o.firstErr
	}
}
