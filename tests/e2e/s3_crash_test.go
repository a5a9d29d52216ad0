package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// cairnBinary builds cmd/cairn once per test into a temporary directory.
func cairnBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cairn")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/cairnhq/cairn/cmd/cairn")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/cairn: %v\n%s", err, out)
	}
	return bin
}

// process is `cairn serve` running as a child process.
type process struct {
	t    *testing.T
	cmd  *exec.Cmd
	dir  string
	addr string
	log  *bytes.Buffer
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// serve starts `cairn serve` on dir and waits until it answers.
func serve(t *testing.T, bin, dir string) *process {
	t.Helper()
	p := &process{t: t, dir: dir, addr: freeAddr(t), log: &bytes.Buffer{}}
	p.cmd = exec.Command(bin, "serve", "--listen", p.addr, "--data-dir", dir, "--log-level", "warn")
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/_cairn/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("cairn serve did not come up: %v\n%s", err, p.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the server with SIGKILL: no shutdown, no cleanup.
func (p *process) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

// config loads the default profile from the files the server wrote.
func (p *process) config() aws.Config {
	p.t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedConfigFiles([]string{filepath.Join(p.dir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(p.dir, "credentials")}))
	if err != nil {
		p.t.Fatal(err)
	}
	cfg.BaseEndpoint = aws.String("http://" + p.addr)
	return cfg
}

func (p *process) s3() *s3.Client { return s3ClientFor(p.config()) }

// startUpload begins a signed PUT of size bytes (UNSIGNED-PAYLOAD) to path and returns
// the pipe its body is written to and the channel its outcome arrives on.
func (p *process) startUpload(path string, size int64) (*io.PipeWriter, chan error) {
	p.t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest(http.MethodPut, "http://"+p.addr+path, pr)
	if err != nil {
		p.t.Fatal(err)
	}
	req.ContentLength = size
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	creds, err := p.config().Credentials.Retrieve(context.Background())
	if err != nil {
		p.t.Fatal(err)
	}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, "UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now()); err != nil {
		p.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				err = fmt.Errorf("status %d: %s", resp.StatusCode, body)
			}
		}
		done <- err
	}()
	return pw, done
}

// blobFiles lists the blob files under a data dir: those being written and the others.
func blobFiles(dir string) (tmp, blobs []string) {
	filepath.WalkDir(filepath.Join(dir, "objects", "data"), func(path string, d os.DirEntry, err error) error {
		switch {
		case err != nil || d.IsDir():
		case strings.HasPrefix(d.Name(), ".tmp-"):
			tmp = append(tmp, strings.TrimPrefix(path, dir))
		default:
			blobs = append(blobs, strings.TrimPrefix(path, dir))
		}
		return nil
	})
	return tmp, blobs
}

// TestS3CrashMidUpload kills the server while an object and a part are half uploaded and
// checks that, after a restart on the same data dir, neither is visible, complete objects
// are intact, and no temporary or orphaned bytes remain.
func TestS3CrashMidUpload(t *testing.T) {
	bin := cairnBinary(t)
	dir := t.TempDir()
	ctx := context.Background()
	p := serve(t, bin, dir)
	client := p.s3()
	mustCreateBucket(t, client, "crash")
	kept := randomBytes(3<<20, 7)
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("crash"), Key: aws.String("kept"), Body: bytes.NewReader(kept)}); err != nil {
		t.Fatal(err)
	}
	upload, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("crash"), Key: aws.String("parts")})
	if err != nil {
		t.Fatal(err)
	}

	const size = 64 << 20
	object, objectDone := p.startUpload("/crash/half-written", size)
	part, partDone := p.startUpload(fmt.Sprintf("/crash/parts?partNumber=1&uploadId=%s", aws.ToString(upload.UploadId)), size)
	chunk := randomBytes(1<<20, 8)
	for i := 0; i < 16; i++ {
		if _, err := object.Write(chunk); err != nil {
			t.Fatalf("writing the object body: %v", err)
		}
		if _, err := part.Write(chunk); err != nil {
			t.Fatalf("writing the part body: %v", err)
		}
	}
	// Half of each body is with the server, which is writing it to a temporary blob.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if tmp, _ := blobFiles(dir); len(tmp) == 2 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("%d temporary blobs while two uploads are in flight, want 2", len(tmp))
		}
	}
	p.kill()
	// A blob a crash left between its rename and its record's commit.
	orphan := filepath.Join(dir, "objects", "data", "ab", "ab"+strings.Repeat("0", 30))
	if err := os.WriteFile(orphan, []byte("orphan"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(orphan, old, old)
	object.CloseWithError(io.ErrUnexpectedEOF)
	part.CloseWithError(io.ErrUnexpectedEOF)
	if err := <-objectDone; err == nil {
		t.Fatal("the interrupted PutObject succeeded")
	}
	if err := <-partDone; err == nil {
		t.Fatal("the interrupted UploadPart succeeded")
	}

	p = serve(t, bin, dir)
	client = p.s3()
	_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("crash"), Key: aws.String("half-written")})
	wantS3Error(t, "HeadObject of the interrupted upload", err, 404, "NotFound")
	list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("crash")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Contents) != 1 || aws.ToString(list.Contents[0].Key) != "kept" {
		t.Errorf("objects after the crash: %v", list.Contents)
	}
	parts, err := client.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("crash"), Key: aws.String("parts"), UploadId: upload.UploadId})
	if err != nil {
		t.Fatalf("ListParts after restart: %v", err)
	}
	if len(parts.Parts) != 0 {
		t.Errorf("parts after the crash: %v", parts.Parts)
	}
	get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("crash"), Key: aws.String("kept")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, kept) {
		t.Error("the object written before the crash changed")
	}
	// The bytes on disk are exactly the one object's, once the sweep has removed the
	// temporary blobs and the orphan.
	var tmp, blobs []string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		tmp, blobs = blobFiles(dir)
		if len(tmp) == 0 && len(blobs) == 1 || time.Now().After(deadline) {
			break
		}
	}
	if len(tmp) != 0 || len(blobs) != 1 {
		t.Errorf("after restart: temporary blobs %v, blobs %v; want none and the one object's", tmp, blobs)
	}
	// The upload still works after the restart.
	if _, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("crash"), Key: aws.String("parts"), UploadId: upload.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader(chunk)}); err != nil {
		t.Errorf("UploadPart after restart: %v", err)
	}
}
