package server

import (
	"context"
	"fmt"

	"github.com/cairnhq/cairn/internal/jobs"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/service/kms"
	"github.com/cairnhq/cairn/internal/service/s3"
)

// kmsForS3 is S3's way to KMS: KMS's own operations, invoked as the principal of the S3
// request, marked as coming through S3 (kms:ViaService), with the authorization a direct
// call would get.
type kmsForS3 struct {
	kms    *operation.Service
	authz  operation.Authorizer
	region string
}

var _ s3.KMS = (*kmsForS3)(nil)

func (k *kmsForS3) via(ctx context.Context) context.Context {
	return kms.WithViaService(ctx, "s3."+k.region+".amazonaws.com")
}

func (k *kmsForS3) GenerateDataKey(ctx context.Context, keyID string, ec map[string]string) (s3.DataKey, error) {
	out, err := k.kms.Invoke(k.via(ctx), k.authz, "GenerateDataKey", &kms.GenerateDataKeyInput{KeyId: keyID, EncryptionContext: ec, KeySpec: "AES_256"})
	if err != nil {
		return s3.DataKey{}, err
	}
	o, ok := out.(*kms.GenerateDataKeyOutput)
	if !ok {
		return s3.DataKey{}, fmt.Errorf("kms: GenerateDataKey answered %T", out)
	}
	return s3.DataKey{Plaintext: o.Plaintext, Ciphertext: o.CiphertextBlob, KeyARN: o.KeyId}, nil
}

func (k *kmsForS3) Decrypt(ctx context.Context, blob []byte, ec map[string]string) ([]byte, error) {
	out, err := k.kms.Invoke(k.via(ctx), k.authz, "Decrypt", &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: ec})
	if err != nil {
		return nil, err
	}
	o, ok := out.(*kms.DecryptOutput)
	if !ok {
		return nil, fmt.Errorf("kms: Decrypt answered %T", out)
	}
	return o.Plaintext, nil
}

// kmsForSageMaker is KMS as SageMaker calls it for a job's storage volume, on behalf of the
// principal in the context (the job's role).
type kmsForSageMaker struct {
	kms    *operation.Service
	authz  operation.Authorizer
	region string
}

var _ jobs.Keys = (*kmsForSageMaker)(nil)

// VolumeKey makes a data key without plaintext under keyID through SageMaker, as the volume
// of an instance is encrypted before a job runs on it.
func (k *kmsForSageMaker) VolumeKey(ctx context.Context, keyID string) error {
	ctx = kms.WithViaService(ctx, "sagemaker."+k.region+".amazonaws.com")
	_, err := k.kms.Invoke(ctx, k.authz, "GenerateDataKeyWithoutPlaintext", &kms.GenerateDataKeyInput{KeyId: keyID, KeySpec: "AES_256"})
	return err
}
