package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/cairnhq/cairn/internal/server"
)

func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "run the Cairn server: the AWS APIs on one endpoint, and the pipelines' jobs",
		usage:   "serve [flags]",
		details: `Cairn keeps its state under --data-dir and writes there, at every start, the AWS
shared files <data-dir>/config and <data-dir>/credentials: one profile per account, with
the endpoint URL. Point any AWS client at them:

  export AWS_CONFIG_FILE=$PWD/.cairn/config AWS_SHARED_CREDENTIALS_FILE=$PWD/.cairn/credentials

--config names a YAML file of accounts to create, limits, the image map and the training
interpreter (docs/configuration.md describes every key). Jobs run as sandboxed processes
on this machine (docs/runner.md). SIGINT or SIGTERM stops the server; running jobs go on,
and are taken up again at the next start.`,
		example: `cairn serve
cairn serve --config accounts.yaml --log-format json
go build -o cairn ./cmd/cairn && ./cairn serve --data-dir /var/lib/cairn &`,
		run: runServe,
	}
}

func runServe(ctx context.Context, c *command, args []string, s streams) int {
	fs := c.flags()
	var opts server.Options
	fs.StringVar(&opts.Listen, "listen", "127.0.0.1:7766", "the `address` to listen on")
	fs.StringVar(&opts.DataDir, "data-dir", ".cairn", "the `directory` of the database, objects, job files and profile files")
	fs.StringVar(&opts.Region, "region", "us-east-1", "the `region` Cairn serves")
	fs.StringVar(&opts.ConfigFile, "config", "", "a YAML `file` of accounts, limits, the image map and the training interpreter (docs/configuration.md)")
	s3Domain := fs.String("s3-domain", "localhost", "comma-separated host `names` under which S3 requests name the bucket in the Host header (<bucket>.<domain>)")
	logFormat := fs.String("log-format", "text", "the log's `format`: text or json")
	logLevel := fs.String("log-level", "info", "the log's `level`: debug (adds the access log), info, warn, error")
	pos, code, done := c.parse(fs, args, s)
	if done {
		return code
	}
	if len(pos) > 0 {
		return c.usageError(s, "unexpected argument %q", pos[0])
	}
	for _, d := range strings.Split(*s3Domain, ",") {
		if d = strings.TrimSpace(d); d != "" {
			opts.S3Domains = append(opts.S3Domains, d)
		}
	}
	logger, err := newLogger(s.err, *logFormat, *logLevel)
	if err != nil {
		return c.usageError(s, "%v", err)
	}
	opts.Logger = logger

	srv, err := server.Open(ctx, opts)
	if err != nil {
		fmt.Fprintf(s.err, "cairn serve: %v\n", err)
		return 1
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	select {
	case err := <-errc:
		logger.Error("server stopped", "err", err)
		srv.Shutdown(context.Background())
		return 1
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	if err := srv.Shutdown(context.Background()); err != nil {
		logger.Error("shutdown", "err", err)
		return 1
	}
	return 0
}

// newLogger returns the server's logger: text or JSON lines on w, at level.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
}
