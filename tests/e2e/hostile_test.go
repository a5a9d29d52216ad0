package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/cairnhq/cairn/internal/server"
	"golang.org/x/sys/unix"
)

// hostileConns is how many connections the attack holds.
const hostileConns = 10_000

// hostileKind is one way a client without credentials tries to hold a connection.
type hostileKind int

const (
	// fakeSigned: complete headers that look signed with a key Cairn never issued, a
	// Content-Length of 100 and 2 bytes of body — then nothing.
	fakeSigned hostileKind = iota
	// slowHeaders: a request line and part of the headers, never finished.
	slowHeaders
)

// hostileRequest is what a hostile connection of kind k sends to addr.
func hostileRequest(k hostileKind, addr string) string {
	now := time.Now().UTC()
	switch k {
	case fakeSigned:
		return "POST / HTTP/1.1\r\nHost: " + addr + "\r\nX-Amz-Target: SageMaker.ListPipelines\r\n" +
			"Content-Type: application/x-amz-json-1.1\r\nX-Amz-Date: " + now.Format("20060102T150405Z") + "\r\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKEFAKE/" + now.Format("20060102") +
			"/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("ab", 32) + "\r\n" +
			"Content-Length: 100\r\n\r\n{}"
	default:
		return "POST / HTTP/1.1\r\nHost: " + addr + "\r\nX-Amz-Target: SageMaker.ListPipelines\r\n"
	}
}

// attack holds n hostile connections to addr, half of each kind, until stop is closed.
// Each connection waits for the server to answer or drop it; the slot then dials again,
// at once for slowHeaders (which the server keeps until its header timeout) and after
// reopen for fakeSigned (which the server refuses as soon as the headers are in).
type attack struct {
	open     atomic.Int64 // connections open now
	answered atomic.Int64 // fakeSigned connections the server answered and closed
	dialErrs atomic.Int64
	stop     chan struct{}
	wg       sync.WaitGroup
}

func startAttack(addr string, n int, reopen time.Duration) *attack {
	a := &attack{stop: make(chan struct{})}
	dialers := make(chan struct{}, 200) // bounds the dials in flight, not the connections held
	for i := 0; i < n; i++ {
		kind := hostileKind(i % 2)
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			for {
				select {
				case <-a.stop:
					return
				default:
				}
				dialers <- struct{}{}
				conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
				<-dialers
				if err != nil {
					a.dialErrs.Add(1)
					time.Sleep(100 * time.Millisecond)
					continue
				}
				a.open.Add(1)
				ended := make(chan struct{})
				go func() {
					select {
					case <-a.stop:
						conn.Close()
					case <-ended:
					}
				}()
				io.WriteString(conn, hostileRequest(kind, addr))
				var first [12]byte
				n, _ := io.ReadFull(conn, first[:])
				io.Copy(io.Discard, conn) // until the server closes
				close(ended)
				conn.Close()
				a.open.Add(-1)
				if kind == fakeSigned && n == len(first) && strings.HasPrefix(string(first[:]), "HTTP/1.1 4") {
					a.answered.Add(1)
				}
				if kind == fakeSigned {
					select {
					case <-a.stop:
						return
					case <-time.After(reopen):
					}
				}
			}
		}()
	}
	return a
}

func (a *attack) end() {
	close(a.stop)
	a.wg.Wait()
}

// attackerEnv, when set to ADDR N REOPEN, makes this test binary the attacking process of
// TestHostileConnections and BenchmarkListPipelinesHostile (see TestHostileAttacker): the
// attack runs in a process of its own, so that its ends of the connections do not count
// against the server's open-file limit.
const attackerEnv = "CAIRN_TEST_HOSTILE_ATTACKER"

// TestHostileAttacker is the attacking process: it holds the attack until its stdin closes,
// writing "open ANSWERED DIALERRORS" lines as it goes.
func TestHostileAttacker(t *testing.T) {
	spec := os.Getenv(attackerEnv)
	if spec == "" {
		t.Skip("runs only as the attacker of TestHostileConnections")
	}
	var addr, wait string
	var n int
	if _, err := fmt.Sscan(spec, &addr, &n, &wait); err != nil {
		t.Fatalf("%s=%q: %v", attackerEnv, spec, err)
	}
	reopen, err := time.ParseDuration(wait)
	if err != nil {
		t.Fatalf("%s=%q: %v", attackerEnv, spec, err)
	}
	a := startAttack(addr, n, reopen)
	stdin := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(stdin) }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stdin:
			a.end()
			return
		case <-tick.C:
			fmt.Printf("%d %d %d\n", a.open.Load(), a.answered.Load(), a.dialErrs.Load())
		}
	}
}

// attacker is a running attacking process, as its parent sees it.
type attacker struct {
	cmd                      *exec.Cmd
	stdin                    io.WriteCloser
	mu                       sync.Mutex
	open, answered, dialErrs int64
}

// spawnAttack starts an attacking process holding n connections to addr.
func spawnAttack(t testing.TB, addr string, n int, reopen time.Duration) *attacker {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestHostileAttacker$", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d %s", attackerEnv, addr, n, reopen))
	cmd.Stderr = os.Stderr
	a := &attacker{cmd: cmd}
	if a.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var o, an, d int64
			if _, err := fmt.Sscan(sc.Text(), &o, &an, &d); err == nil {
				a.mu.Lock()
				a.open, a.answered, a.dialErrs = o, an, d
				a.mu.Unlock()
			}
		}
	}()
	t.Cleanup(a.end)
	return a
}

// counts returns the attacker's last report.
func (a *attacker) counts() (open, answered, dialErrs int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.open, a.answered, a.dialErrs
}

// waitHeld waits until the attacker has opened at least n connections, counting those the
// server answered.
func (a *attacker) waitHeld(t testing.TB, n int64) {
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		open, answered, dialErrs := a.counts()
		if open+answered >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d hostile connections opened (%d answered, %d dial errors)", open, answered, dialErrs)
		}
	}
}

// end stops the attack and waits for the process (idempotent).
func (a *attacker) end() {
	if a.stdin == nil {
		return
	}
	a.stdin.Close()
	a.stdin = nil
	done := make(chan struct{})
	go func() { a.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		a.cmd.Process.Kill()
		<-done
	}
}

// TestHostileConnections holds 10,000 connections without credentials — half of them
// complete, fake-signed requests that never send their body, half requests whose headers
// never end — while real clients list pipelines. The fake-signed ones are refused on their
// headers and closed without waiting for the body; the real calls all succeed, first time.
func TestHostileConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("holds 10,000 connections")
	}
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < hostileConns+2000 {
		t.Skipf("the server's ends of %d connections need more open files than the limit (%d): %v", hostileConns, lim.Cur, err)
	}
	c := start(t, startOptions{})
	client := sagemaker.NewFromConfig(c.config("default"), func(o *sagemaker.Options) {
		o.Retryer = aws.NopRetryer{}
	})
	ctx := context.Background()
	if _, err := client.ListPipelines(ctx, &sagemaker.ListPipelinesInput{}); err != nil {
		t.Fatal(err)
	}

	a := spawnAttack(t, c.srv.Addr(), hostileConns, time.Hour)
	a.waitHeld(t, hostileConns)
	var wg sync.WaitGroup
	errs := make(chan error, 8*10)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if _, err := client.ListPipelines(ctx, &sagemaker.ListPipelinesInput{}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("ListPipelines under attack: %v", err)
	}
	// Every fake-signed request is answered without its body: half the connections.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		open, answered, dialErrs := a.counts()
		if answered >= hostileConns/2 {
			t.Logf("%d slow-header connections held; %d fake-signed requests refused; %d dial errors", open, answered, dialErrs)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d fake-signed requests answered; the rest wait for a body", answered, hostileConns/2)
		}
	}
}

// TestFakeSignedRefusedBeforeBody: a request signed with an unknown key is answered on its
// headers, and the connection closed, without the body it announced.
func TestFakeSignedRefusedBeforeBody(t *testing.T) {
	c := start(t, startOptions{})
	conn, err := net.Dial("tcp", c.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	io.WriteString(conn, hostileRequest(fakeSigned, c.srv.Addr()))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no answer before the body: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "UnrecognizedClientException") || !resp.Close {
		t.Fatalf("answer %d close=%v: %s", resp.StatusCode, resp.Close, body)
	}
	if rest, err := io.ReadAll(br); err != nil || len(rest) != 0 {
		t.Fatalf("after the answer: %q, %v; want the server to close the connection", rest, err)
	}
}

// TestSlowBodyAndUnauthenticatedCap: a client that knows an access key ID (not its secret)
// and sends its body slowly is cut off once it falls below the minimum rate, and while such
// requests fill every unauthenticated slot, others are answered 503 at once.
func TestSlowBodyAndUnauthenticatedCap(t *testing.T) {
	const slots = 4
	c := start(t, startOptions{Tune: func(o *server.Options) {
		o.MaxUnauthenticated, o.MinBodyRate, o.BodyGrace = slots, 1000, 500*time.Millisecond
	}})
	creds, err := c.config("default").Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slow := strings.Replace(hostileRequest(fakeSigned, c.srv.Addr()), "AKIAFAKEFAKEFAKEFAKE", creds.AccessKeyID, 1)
	var conns []net.Conn
	for i := 0; i < slots; i++ {
		conn, err := net.Dial("tcp", c.srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		io.WriteString(conn, slow)
		conns = append(conns, conn)
	}
	// Until the slow bodies are cut off, a real call finds no slot.
	client := sagemaker.NewFromConfig(c.config("default"), func(o *sagemaker.Options) { o.Retryer = aws.NopRetryer{} })
	var busy bool
	for i := 0; i < 100 && !busy; i++ {
		_, err := client.ListPipelines(context.Background(), &sagemaker.ListPipelinesInput{})
		busy = err != nil && strings.Contains(err.Error(), "ServiceUnavailable")
		if !busy {
			time.Sleep(2 * time.Millisecond)
		}
	}
	if !busy {
		t.Errorf("with every unauthenticated slot held, a request was not answered 503")
	}
	for i, conn := range conns {
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("slow body %d: no answer: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "RequestTimeout") || !resp.Close {
			t.Errorf("slow body %d: %d close=%v %s", i, resp.StatusCode, resp.Close, body)
		}
	}
	// The slots are free again.
	retrying := sagemaker.NewFromConfig(c.config("default"), func(o *sagemaker.Options) {
		o.Retryer = retry.AddWithMaxAttempts(retry.NewStandard(), 5)
	})
	if _, err := retrying.ListPipelines(context.Background(), &sagemaker.ListPipelinesInput{}); err != nil {
		t.Fatalf("after the slow bodies: %v", err)
	}
}
