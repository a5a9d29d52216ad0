package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
)

// target is a started S3 endpoint and the keys to sign with.
type target struct {
	url    string
	keyID  string
	secret string
}

// server is a target running as a child process.
type server struct {
	target
	cmd *exec.Cmd
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// statusKB reads a field of /proc/<pid>/status (VmRSS, VmHWM) in KiB; 0 where there is
// no /proc.
func (s *server) statusKB(field string) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// waitHTTP waits until url answers any HTTP response.
func waitHTTP(url string, cmd *exec.Cmd) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if cmd.ProcessState != nil {
			return fmt.Errorf("%s exited", cmd.Path)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer within a minute", url)
}

// startCairn runs `cairn serve` on a fresh data dir and reads the management account's
// keys from the credentials file it writes.
func startCairn(ctx context.Context, bin, dataDir string, log io.Writer) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--listen", addr, "--data-dir", dataDir, "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, target: target{url: "http://" + addr}}
	if err := waitHTTP(s.url+"/_cairn/health", cmd); err != nil {
		s.stop()
		return nil, err
	}
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithSharedConfigFiles([]string{filepath.Join(dataDir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dataDir, "credentials")}))
	if err != nil {
		s.stop()
		return nil, err
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		s.stop()
		return nil, err
	}
	s.keyID, s.secret = creds.AccessKeyID, creds.SecretAccessKey
	return s, nil
}

// startMoto runs moto_server, which accepts any keys.
func startMoto(ctx context.Context, command string, log io.Writer) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(command, "-p", port)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", command, err)
	}
	s := &server{cmd: cmd, target: target{url: "http://" + addr, keyID: "test", secret: "test"}}
	if err := waitHTTP(s.url+"/moto-api/", cmd); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// ddSpeed writes 1 GiB of zeros with dd beside the data dirs, synced and not, three
// times each, and returns the median rates in MB/s.
func ddSpeed(dir string) (synced, cached float64, err error) {
	file := filepath.Join(dir, "dd.tmp")
	defer os.Remove(file)
	rate := func(extra ...string) (float64, error) {
		args := append([]string{"if=/dev/zero", "of=" + file, "bs=1M", "count=1024"}, extra...)
		start := time.Now()
		if out, err := exec.Command("dd", args...).CombinedOutput(); err != nil {
			return 0, fmt.Errorf("dd: %v: %s", err, out)
		}
		return float64(1<<30) / 1e6 / time.Since(start).Seconds(), nil
	}
	median := func(extra ...string) (float64, error) {
		var rates []float64
		for i := 0; i < 3; i++ {
			r, err := rate(extra...)
			if err != nil {
				return 0, err
			}
			rates = append(rates, r)
		}
		slices.Sort(rates)
		return rates[1], nil
	}
	if synced, err = median("conv=fdatasync"); err != nil {
		return 0, 0, err
	}
	if cached, err = median(); err != nil {
		return 0, 0, err
	}
	return synced, cached, nil
}
