package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

func consoleCommand() *command {
	return &command{
		name:    "console",
		summary: "print a one-time sign-in URL of the web console, as a profile's principal",
		usage:   "console --profile NAME [--data-dir DIR] [--endpoint URL]",
		details: `The URL signs a browser in to the console as the profile's principal (a role
profile's session included), once, within five minutes. The request for it is signed with the
profile's credentials, read from the data dir's profile files (AWS_CONFIG_FILE and
AWS_SHARED_CREDENTIALS_FILE win), so the server must be running.`,
		example: "cairn console --profile alpha-admin",
		run:     runConsole,
	}
}

// runConsole asks the server, with a request signed by the profile's credentials, for a
// one-time sign-in token, and prints the URL that signs a browser in as that principal.
func runConsole(ctx context.Context, c *command, args []string, s streams) int {
	fs := c.flags()
	profile := fs.String("profile", "", "the `profile` to sign in as")
	dataDir := fs.String("data-dir", ".cairn", "the server's data `directory`, whose config and credentials files name the profiles")
	endpoint := fs.String("endpoint", "", "the server's `URL` (default: the profile's endpoint_url)")
	pos, code, done := c.parse(fs, args, s)
	if done {
		return code
	}
	if *profile == "" || len(pos) > 0 {
		return c.usageError(s, "name the profile to sign in as, with --profile")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	url, err := consoleSigninURL(ctx, *profile, *dataDir, *endpoint)
	if err != nil {
		fmt.Fprintf(s.err, "cairn console: %v\n", err)
		return 1
	}
	fmt.Fprintln(s.out, url)
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
