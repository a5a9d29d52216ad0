package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/cairnhq/cairn/internal/server"
)

// startCairn serves Cairn on a random loopback port with a fresh data dir: in this process,
// or as `bin serve` when bin is set. It signs with the management account's keys from the
// credentials file Cairn writes.
func startCairn(ctx context.Context, bin string, logger *slog.Logger) (*endpoint, error) {
	dir, err := os.MkdirTemp("", "cairn-loadgen-")
	if err != nil {
		return nil, err
	}
	cleanup := func() error { return os.RemoveAll(dir) }
	var ep *endpoint
	if bin == "" {
		ep, err = cairnInProcess(ctx, dir, logger)
	} else {
		ep, err = cairnSubprocess(ctx, bin, dir)
	}
	if err != nil {
		cleanup()
		return nil, err
	}
	if ep.keyID, ep.secret, err = managementKeys(ctx, dir); err != nil {
		ep.stop()
		cleanup()
		return nil, err
	}
	stop := ep.stop
	ep.stop = func() error { return errors.Join(stop(), cleanup()) }
	return ep, nil
}

func cairnInProcess(ctx context.Context, dir string, logger *slog.Logger) (*endpoint, error) {
	srv, err := server.Open(ctx, server.Options{Listen: "127.0.0.1:0", DataDir: dir, Logger: logger})
	if err != nil {
		return nil, err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	return &endpoint{url: srv.Endpoint(), stop: func() error {
		err := srv.Shutdown(context.Background())
		return errors.Join(err, <-served)
	}}, nil
}

func cairnSubprocess(ctx context.Context, bin, dir string) (*endpoint, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	stop, err := startProcess(exec.Command(bin, "serve", "--listen", addr, "--data-dir", dir, "--log-level", "warn"))
	if err != nil {
		return nil, err
	}
	url := "http://" + addr
	if err := waitHTTP(ctx, url+"/_cairn/health", 30*time.Second); err != nil {
		stop()
		return nil, err
	}
	return &endpoint{url: url, stop: stop}, nil
}

// managementKeys reads the management profile Cairn wrote into dir.
func managementKeys(ctx context.Context, dir string) (id, secret string, err error) {
	sc, err := config.LoadSharedConfigProfile(ctx, "management", func(o *config.LoadSharedConfigOptions) {
		o.CredentialsFiles = []string{filepath.Join(dir, "credentials")}
		o.ConfigFiles = []string{filepath.Join(dir, "config")}
	})
	if err != nil {
		return "", "", fmt.Errorf("read the credentials Cairn wrote: %w", err)
	}
	return sc.Credentials.AccessKeyID, sc.Credentials.SecretAccessKey, nil
}

// callerIdentityXML is a valid GetCallerIdentity answer.
const callerIdentityXML = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
	`<GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:root</Arn><UserId>000000000000</UserId>` +
	`<Account>000000000000</Account></GetCallerIdentityResult>` +
	`<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>` +
	`</GetCallerIdentityResponse>`

// startCeiling serves the fixed GetCallerIdentity answer without looking at the request
// beyond reading it: what the client, the SDK and the loopback cost on their own.
func startCeiling(context.Context) (*endpoint, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	body := []byte(callerIdentityXML)
	length := strconv.Itoa(len(body))
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			h := w.Header()
			h.Set("Content-Type", "text/xml")
			h.Set("Content-Length", length)
			h.Set("X-Amzn-Requestid", "c6104cbe-af31-11e0-8154-cbc7ccf896c7")
			w.Write(body)
		}),
		ReadHeaderTimeout: 30 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	return &endpoint{url: "http://" + ln.Addr().String(), keyID: "AKIAIOSFODNN7EXAMPLE",
		secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		stop: func() error {
			err := srv.Shutdown(context.Background())
			if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
				err = errors.Join(err, serr)
			}
			return err
		}}, nil
}

// startMoto runs moto_server on a free loopback port until stop.
func startMoto(ctx context.Context, bin string) (*endpoint, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	stop, err := startProcess(exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bin, err)
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitHTTP(ctx, url+"/moto-api/", 60*time.Second); err != nil {
		stop()
		return nil, err
	}
	return &endpoint{url: url, keyID: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", stop: stop}, nil
}

// startProcess starts cmd in its own process group, its output discarded, and returns a
// function that stops that group: SIGTERM, then SIGKILL after five seconds.
func startProcess(cmd *exec.Cmd) (func() error, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	pgid := cmd.Process.Pid
	return func() error {
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			syscall.Kill(-pgid, syscall.SIGKILL)
			<-exited
		}
		return nil
	}, nil
}

// freePort returns a loopback port nothing listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitHTTP polls url until it answers at all, or timeout.
func waitHTTP(ctx context.Context, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s did not answer within %v: %w", url, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
