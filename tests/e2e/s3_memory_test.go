package e2e

import (
	"bufio"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// procStatusKB reads a field (VmRSS, VmHWM) of /proc/<pid>/status, in KiB.
func procStatusKB(t *testing.T, pid int, field string) int64 {
	t.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skipf("no /proc status for the server (%v); this test needs Linux", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// patternReader yields n bytes of a repeating pattern without holding them.
type patternReader struct{ n, off int64 }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n-r.off)]
	for i := range p {
		p[i] = byte((r.off + int64(i)) * 7 % 251)
	}
	r.off += int64(len(p))
	return len(p), nil
}

// TestS3LargeUploadMemory streams a 2 GiB object through `cairn serve` and checks that
// the server's peak resident memory grows by less than 64 MiB.
func TestS3LargeUploadMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 2 GiB; skipped with -short")
	}
	const size = 2 << 30
	bin := cairnBinary(t)
	p := serve(t, bin, t.TempDir())
	client := p.s3()
	mustCreateBucket(t, client, "large")
	pid := p.cmd.Process.Pid
	before := procStatusKB(t, pid, "VmRSS")

	pw, done := p.startUpload("/large/two-gib", size)
	if _, err := io.CopyBuffer(pw, &patternReader{n: size}, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatalf("PUT 2 GiB: %v", err)
	}
	peak := procStatusKB(t, pid, "VmHWM")
	t.Logf("server RSS before %d KiB, peak during a 2 GiB upload %d KiB", before, peak)
	if growth := peak - before; growth > 64<<10 {
		t.Errorf("peak RSS grew by %d KiB during a 2 GiB upload, want under 64 MiB", growth)
	}
	head, err := client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("large"), Key: aws.String("two-gib")})
	if err != nil || aws.ToInt64(head.ContentLength) != size {
		t.Errorf("HeadObject: %v, %v", head, err)
	}
}
