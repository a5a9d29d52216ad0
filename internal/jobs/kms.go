package jobs

import "context"

// outputKeyKey carries, in a context, the KMS key a job's outputs are encrypted under.
type outputKeyKey struct{}

// WithOutputKMSKey marks ctx so that what a job writes to S3 under it is stored with
// SSE-KMS under keyID (a job's KmsKeyId), as SageMaker writes outputs; "" changes nothing.
func WithOutputKMSKey(ctx context.Context, keyID string) context.Context {
	if keyID == "" {
		return ctx
	}
	return context.WithValue(ctx, outputKeyKey{}, keyID)
}

// OutputKMSKey is the KMS key WithOutputKMSKey set on ctx, or "".
func OutputKMSKey(ctx context.Context) string {
	k, _ := ctx.Value(outputKeyKey{}).(string)
	return k
}
