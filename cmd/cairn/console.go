package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
)

const consoleUsage = "usage: cairn console --profile NAME [--data-dir DIR] [--endpoint URL]\n"

// runConsole implements `cairn console --profile NAME`: it asks the server, with a request
// signed by the profile's credentials (a role profile's session included), for a one-time
// sign-in token, and prints the URL that signs a browser in as that principal. The URL
// works once, for five minutes.
func runConsole(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("console", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, consoleUsage); flags.PrintDefaults() }
	profile := flags.String("profile", "", "the profile to sign in as")
	dataDir := flags.String("data-dir", ".cairn", "the server's data directory, whose config and credentials files name the profiles (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE win)")
	endpoint := flags.String("endpoint", "", "the server's URL (default: the profile's endpoint_url)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *profile == "" || flags.NArg() > 0 {
		fmt.Fprint(stderr, consoleUsage)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url, err := consoleSigninURL(ctx, *profile, *dataDir, *endpoint)
	if err != nil {
		fmt.Fprintf(stderr, "cairn console: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, url)
	return 0
}

func consoleSigninURL(ctx context.Context, profile, dataDir, endpoint string) (string, error) {
	opts := []func(*config.LoadOptions) error{config.WithSharedConfigProfile(profile)}
	if os.Getenv("AWS_CONFIG_FILE") == "" {
		opts = append(opts, config.WithSharedConfigFiles([]string{filepath.Join(dataDir, "config")}))
	}
	if os.Getenv("AWS_SHARED_CREDENTIALS_FILE") == "" {
		opts = append(opts, config.WithSharedCredentialsFiles([]string{filepath.Join(dataDir, "credentials")}))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return "", fmt.Errorf("profile %s: %w", profile, err)
	}
	if endpoint == "" && cfg.BaseEndpoint != nil {
		endpoint = *cfg.BaseEndpoint
	}
	if endpoint == "" {
		return "", fmt.Errorf("profile %s has no endpoint_url: give --endpoint", profile)
	}
	// A role profile assumes its role through STS: at this endpoint, not AWS's.
	if cfg, err = config.LoadDefaultConfig(ctx, append(opts, config.WithBaseEndpoint(endpoint))...); err != nil {
		return "", fmt.Errorf("profile %s: %w", profile, err)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return "", fmt.Errorf("credentials of %s: %w", profile, err)
	}
	body := []byte("{}")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(endpoint, "/")+"/_cairn/console/federation", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(body)
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "sts", region, time.Now()); err != nil {
		return "", err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct {
		SigninURL string
		Message   string
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&out); err != nil {
		return "", fmt.Errorf("sign-in token: %s", res.Status)
	}
	if res.StatusCode != http.StatusOK || out.SigninURL == "" {
		return "", fmt.Errorf("sign-in token refused (%s): %s", res.Status, out.Message)
	}
	return out.SigninURL, nil
}
