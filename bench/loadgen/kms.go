package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// kmsOp is one operation of the KMS comparison.
type kmsOp struct {
	name string
	call func(context.Context) error
}

// runKMS serves one Cairn and loads it with GetCallerIdentity, Encrypt of 4 KiB and
// Decrypt of its blob in turn, rounds times, starting each round one operation later so
// that a drift of the machine's speed falls on every operation alike. Each round's
// Encrypt and Decrypt rates are compared with the same round's GetCallerIdentity rate;
// the median of those shares is reported against the goal.
func runKMS(ctx context.Context, stdout, stderr io.Writer, bin string, rounds int, o loadOptions, logger *slog.Logger) int {
	ep, err := startCairn(ctx, bin, logger)
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: start cairn: %v\n", err)
		return 1
	}
	defer ep.stop()
	ops, err := kmsOps(ctx, ep)
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: %v\n", err)
		return 1
	}
	rates := make(map[string][]float64)
	// A rare error is reported, not fatal: without retries, aws-sdk-go-v2 itself fails a
	// call now and then when the answer comes before net/http has finished with the
	// request body (the SDK closes the body, net/http's check for bytes past
	// Content-Length reads EOF from it as an error and closes the connection under the
	// answer).
	errs, firstErr := make(map[string]int), make(map[string]error)
	for round := range rounds {
		for i := range ops {
			op := ops[(i+round)%len(ops)]
			res, err := load(ctx, op.call, o)
			if err != nil {
				fmt.Fprintf(stderr, "loadgen: %s: %v\n", op.name, err)
				return 1
			}
			if res.errors*1000 > res.requests {
				fmt.Fprintf(stderr, "loadgen: %s: %d errors in %d calls, the first: %v\n", op.name, res.errors, res.requests, res.firstErr)
				return 1
			}
			rates[op.name] = append(rates[op.name], res.rate())
			errs[op.name] += res.errors
			if firstErr[op.name] == nil {
				firstErr[op.name] = res.firstErr
			}
			fmt.Fprintf(stderr, "loadgen: round %d: %s: %.0f req/s\n", round+1, op.name, res.rate())
		}
	}
	reportKMS(stdout, ops, rates)
	for _, op := range ops {
		if errs[op.name] > 0 {
			fmt.Fprintf(stdout, "%s: %d failed calls, the first: %v\n", op.name, errs[op.name], firstErr[op.name])
		}
	}
	return 0
}

// kmsOps makes a symmetric key in the management account and returns the three calls.
func kmsOps(ctx context.Context, ep *endpoint) ([]kmsOp, error) {
	c := kms.New(kms.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(ep.url),
		Credentials:  credentials.NewStaticCredentialsProvider(ep.keyID, ep.secret, ""),
		HTTPClient:   newHTTPClient(),
		Retryer:      aws.NopRetryer{},
	})
	key, err := c.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		return nil, fmt.Errorf("create key: %w", err)
	}
	plain := make([]byte, 4096)
	enc := &kms.EncryptInput{KeyId: key.KeyMetadata.KeyId, Plaintext: plain}
	blob, err := c.Encrypt(ctx, enc)
	if err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	dec := &kms.DecryptInput{CiphertextBlob: blob.CiphertextBlob}
	return []kmsOp{
		{"GetCallerIdentity", callerIdentity(newClient(ep))},
		{"Encrypt4KiB", func(ctx context.Context) error { _, err := c.Encrypt(ctx, enc); return err }},
		{"Decrypt4KiB", func(ctx context.Context) error { _, err := c.Decrypt(ctx, dec); return err }},
	}, nil
}

// reportKMS prints every round's rates, each KMS operation's share of GetCallerIdentity
// round by round, and the median share against the goal.
func reportKMS(w io.Writer, ops []kmsOp, rates map[string][]float64) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\treq/s by round\tshare of GetCallerIdentity by round\tmedian share\t")
	base := rates[ops[0].name]
	var verdicts []string
	for _, op := range ops {
		rs := rates[op.name]
		var rounds, shares []string
		var fractions []float64
		for i, r := range rs {
			rounds = append(rounds, fmt.Sprintf("%.0f", r))
			f := r / base[i]
			fractions = append(fractions, f)
			shares = append(shares, fmt.Sprintf("%.1f%%", 100*f))
		}
		slices.SortFunc(fractions, cmp.Compare)
		median := fractions[len(fractions)/2]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f%%\t\n", op.name, strings.Join(rounds, " "), strings.Join(shares, " "), 100*median)
		if op.name != ops[0].name {
			verdicts = append(verdicts, fmt.Sprintf("%s %.1f%% (goal ≥ 70%%): %s", op.name, 100*median, verdict(median >= 0.70)))
		}
	}
	tw.Flush()
	for _, v := range verdicts {
		fmt.Fprintln(w, v)
	}
}
