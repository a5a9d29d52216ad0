package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/cairnhq/cairn/internal/server"
)

func runServe(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts server.Options
	fs.StringVar(&opts.Listen, "listen", "127.0.0.1:7766", "address to listen on")
	fs.StringVar(&opts.DataDir, "data-dir", ".cairn", "directory for the database, objects and job files")
	fs.StringVar(&opts.Region, "region", "us-east-1", "the region Cairn serves")
	fs.StringVar(&opts.ConfigFile, "config", "", "bootstrap YAML file (accounts to create)")
	s3Domain := fs.String("s3-domain", "localhost", "comma-separated host names under which S3 requests name the bucket in the Host header (<bucket>.<domain>)")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug (access log), info, warn, error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	for _, d := range strings.Split(*s3Domain, ",") {
		if d = strings.TrimSpace(d); d != "" {
			opts.S3Domains = append(opts.S3Domains, d)
		}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "cairn serve: bad --log-level %q\n", *logLevel)
		return 2
	}
	handlerOpts := &slog.HandlerOptions{Level: level}
	switch *logFormat {
	case "text":
		opts.Logger = slog.New(slog.NewTextHandler(stderr, handlerOpts))
	case "json":
		opts.Logger = slog.New(slog.NewJSONHandler(stderr, handlerOpts))
	default:
		fmt.Fprintf(stderr, "cairn serve: --log-format must be text or json, not %q\n", *logFormat)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.Open(ctx, opts)
	if err != nil {
		fmt.Fprintf(stderr, "cairn serve: %v\n", err)
		return 1
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	select {
	case err := <-errc:
		opts.Logger.Error("server stopped", "err", err)
		srv.Shutdown(context.Background())
		return 1
	case <-ctx.Done():
	}
	opts.Logger.Info("shutting down")
	if err := srv.Shutdown(context.Background()); err != nil {
		opts.Logger.Error("shutdown", "err", err)
		return 1
	}
	return 0
}
