package sagemaker

import (
	"strconv"

	"github.com/cairnhq/cairn/internal/operation"
)

// Limits of CreateTransformJob that SageMaker sets beyond its model's constraints.
const (
	defaultPayloadInMB     = 6
	maxPayloadInMB         = 100
	maxConcurrentTransform = 100
)

// Validate checks what the request's constraints cannot say, as SageMaker does, and
// refuses what Cairn cannot run with a message that says so.
func (in *CreateTransformJobInput) Validate() error {
	if err := CheckTagKeys(in.Tags); err != nil {
		return err
	}
	switch t := in.TransformInput.DataSource.S3DataSource.S3DataType; t {
	case "AugmentedManifestFile", "Converse":
		return validation("S3DataType %s is not supported by Cairn's transform jobs; use S3Prefix or ManifestFile.", t)
	}
	switch st := in.TransformInput.SplitType; st {
	case "RecordIO", "TFRecord":
		return validation("SplitType %s is not supported by Cairn's transform jobs; use None or Line.", st)
	}
	payload, concurrency := defaultPayloadInMB, 1
	if in.MaxPayloadInMB != nil {
		payload = *in.MaxPayloadInMB
		if payload > maxPayloadInMB {
			return violation("maxPayloadInMB", strconv.Itoa(payload), operation.MaxValue(maxPayloadInMB))
		}
		if payload == 0 && in.TransformInput.SplitType == "Line" {
			return validation("MaxPayloadInMB 0 (payloads of any size) is supported with SplitType None only; give a bound in MB for SplitType Line.")
		}
	}
	if in.MaxConcurrentTransforms != nil {
		concurrency = *in.MaxConcurrentTransforms
		if concurrency > maxConcurrentTransform {
			return violation("maxConcurrentTransforms", strconv.Itoa(concurrency), operation.MaxValue(maxConcurrentTransform))
		}
	}
	if payload*max(concurrency, 1) > maxPayloadInMB {
		return validation("The value of MaxConcurrentTransforms (%d) multiplied by MaxPayloadInMB (%d) must not exceed %d MB.", concurrency, payload, maxPayloadInMB)
	}
	if dp := in.DataProcessing; dp != nil {
		if f := dp.InputFilter; f != "" && f != "$" {
			return validation("DataProcessing.InputFilter %q is not supported by Cairn's transform jobs; only \"$\" (the whole record) is.", f)
		}
		if f := dp.OutputFilter; f != "" && f != "$" {
			return validation("DataProcessing.OutputFilter %q is not supported by Cairn's transform jobs; only \"$\" (the whole output) is.", f)
		}
		if dp.JoinSource == "Input" {
			return validation("DataProcessing.JoinSource Input is not supported by Cairn's transform jobs; only None is.")
		}
	}
	return nil
}
