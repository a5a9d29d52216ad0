package sagemaker

// Limits of CreateTransformJob.
const (
	maxTransformEnv        = 16
	maxTransformEnvValue   = 10240
	maxPayloadInMB         = 100
	maxInvocationTimeout   = 3600
	maxInvocationRetries   = 3
	maxConcurrentTransform = 100
)

// Validate checks the request as SageMaker does, and refuses what Cairn cannot run with a
// message that says so.
func (in *CreateTransformJobInput) Validate() error {
	if err := checkJobName("transformJobName", in.TransformJobName); err != nil {
		return err
	}
	if err := CheckModelName("modelName", in.ModelName); err != nil {
		return err
	}
	if err := CheckTags(in.Tags); err != nil {
		return err
	}
	src := in.TransformInput.DataSource.S3DataSource
	switch src.S3DataType {
	case "S3Prefix", "ManifestFile":
	case "AugmentedManifestFile", "Converse":
		return validation("S3DataType %s is not supported by Cairn's transform jobs; use S3Prefix or ManifestFile.", src.S3DataType)
	default:
		return validation("1 validation error detected: Value '%s' at 'transformInput.dataSource.s3DataSource.s3DataType' failed to satisfy constraint: Member must satisfy enum value set: [ManifestFile, S3Prefix, AugmentedManifestFile, Converse]", src.S3DataType)
	}
	if len(src.S3Uri) > 1024 || !s3URIPattern.MatchString(src.S3Uri) {
		return validation("1 validation error detected: Value '%s' at 'transformInput.dataSource.s3DataSource.s3Uri' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$", src.S3Uri)
	}
	switch c := in.TransformInput.CompressionType; c {
	case "", "None", "Gzip":
	default:
		return validation("1 validation error detected: Value '%s' at 'transformInput.compressionType' failed to satisfy constraint: Member must satisfy enum value set: [None, Gzip]", c)
	}
	switch st := in.TransformInput.SplitType; st {
	case "", "None", "Line":
	case "RecordIO", "TFRecord":
		return validation("SplitType %s is not supported by Cairn's transform jobs; use None or Line.", st)
	default:
		return validation("1 validation error detected: Value '%s' at 'transformInput.splitType' failed to satisfy constraint: Member must satisfy enum value set: [None, Line, RecordIO, TFRecord]", st)
	}
	if len(in.TransformInput.ContentType) > 256 {
		return validation("1 validation error detected: Value at 'transformInput.contentType' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	out := in.TransformOutput
	if len(out.S3OutputPath) > 1024 || !s3URIPattern.MatchString(out.S3OutputPath) {
		return validation("1 validation error detected: Value '%s' at 'transformOutput.s3OutputPath' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$", out.S3OutputPath)
	}
	switch a := out.AssembleWith; a {
	case "", "None", "Line":
	default:
		return validation("1 validation error detected: Value '%s' at 'transformOutput.assembleWith' failed to satisfy constraint: Member must satisfy enum value set: [None, Line]", a)
	}
	if len(out.Accept) > 256 {
		return validation("1 validation error detected: Value at 'transformOutput.accept' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	switch b := in.BatchStrategy; b {
	case "", "SingleRecord", "MultiRecord":
	default:
		return validation("1 validation error detected: Value '%s' at 'batchStrategy' failed to satisfy constraint: Member must satisfy enum value set: [MultiRecord, SingleRecord]", b)
	}
	if r := in.TransformResources; r.InstanceType == "" || r.InstanceCount < 1 {
		return validation("1 validation error detected: Value '%d' at 'transformResources.instanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1", r.InstanceCount)
	}
	payload, concurrency := 6, 1
	if in.MaxPayloadInMB != nil {
		payload = *in.MaxPayloadInMB
		if payload < 0 || payload > maxPayloadInMB {
			return validation("1 validation error detected: Value '%d' at 'maxPayloadInMB' failed to satisfy constraint: Member must have value between 0 and %d", payload, maxPayloadInMB)
		}
		if payload == 0 && in.TransformInput.SplitType == "Line" {
			return validation("MaxPayloadInMB 0 (payloads of any size) is supported with SplitType None only; give a bound in MB for SplitType Line.")
		}
	}
	if in.MaxConcurrentTransforms != nil {
		concurrency = *in.MaxConcurrentTransforms
		if concurrency < 0 || concurrency > maxConcurrentTransform {
			return validation("1 validation error detected: Value '%d' at 'maxConcurrentTransforms' failed to satisfy constraint: Member must have value between 0 and %d", concurrency, maxConcurrentTransform)
		}
	}
	if payload*max(concurrency, 1) > maxPayloadInMB {
		return validation("The value of MaxConcurrentTransforms (%d) multiplied by MaxPayloadInMB (%d) must not exceed %d MB.", concurrency, payload, maxPayloadInMB)
	}
	if c := in.ModelClientConfig; c != nil {
		if t := c.InvocationsTimeoutInSeconds; t != nil && (*t < 1 || *t > maxInvocationTimeout) {
			return validation("1 validation error detected: Value '%d' at 'modelClientConfig.invocationsTimeoutInSeconds' failed to satisfy constraint: Member must have value between 1 and %d", *t, maxInvocationTimeout)
		}
		if r := c.InvocationsMaxRetries; r != nil && (*r < 0 || *r > maxInvocationRetries) {
			return validation("1 validation error detected: Value '%d' at 'modelClientConfig.invocationsMaxRetries' failed to satisfy constraint: Member must have value between 0 and %d", *r, maxInvocationRetries)
		}
	}
	if len(in.Environment) > maxTransformEnv {
		return validation("1 validation error detected: Value at 'environment' failed to satisfy constraint: Member must have length less than or equal to %d", maxTransformEnv)
	}
	for k, v := range in.Environment {
		if len(k) > maxEnvKeyOrValue || !envKeyPattern.MatchString(k) {
			return validation("1 validation error detected: Value '%s' at 'environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]{0,1023}]", k)
		}
		if len(v) > maxTransformEnvValue {
			return validation("1 validation error detected: Value at 'environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to %d]", maxTransformEnvValue)
		}
	}
	if dp := in.DataProcessing; dp != nil {
		if f := dp.InputFilter; f != "" && f != "$" {
			return validation("DataProcessing.InputFilter %q is not supported by Cairn's transform jobs; only \"$\" (the whole record) is.", f)
		}
		if f := dp.OutputFilter; f != "" && f != "$" {
			return validation("DataProcessing.OutputFilter %q is not supported by Cairn's transform jobs; only \"$\" (the whole output) is.", f)
		}
		switch dp.JoinSource {
		case "", "None":
		case "Input":
			return validation("DataProcessing.JoinSource Input is not supported by Cairn's transform jobs; only None is.")
		default:
			return validation("1 validation error detected: Value '%s' at 'dataProcessing.joinSource' failed to satisfy constraint: Member must satisfy enum value set: [Input, None]", dp.JoinSource)
		}
	}
	return nil
}
