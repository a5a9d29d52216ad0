package sagemaker_test

import (
	"strconv"
	"testing"
)

// BenchmarkCreateProcessingJobWithLineage is a pipeline step's job as the service records
// it: the job and, in the same transaction, its lineage (a trial component, artifacts for
// its image, two inputs and an output, and their associations). Inputs are shared between
// jobs, as steps of a pipeline share data, so most artifacts already exist.
func BenchmarkCreateProcessingJobWithLineage(b *testing.B) {
	invoke := invoker(b)
	b.ResetTimer()
	for i := range b.N {
		n := strconv.Itoa(i)
		err := invoke("CreateProcessingJob", `{"ProcessingJobName":"job-`+n+`","RoleArn":"arn:aws:iam::111111111111:role/r",
			"AppSpecification":{"ImageUri":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"},
			"ProcessingResources":{"ClusterConfig":{"InstanceCount":1,"InstanceType":"ml.m5.xlarge","VolumeSizeInGB":30}},
			"ProcessingInputs":[
				{"InputName":"raw","S3Input":{"S3Uri":"s3://lake/raw/`+strconv.Itoa(i%10)+`","LocalPath":"/opt/ml/processing/raw","S3DataType":"S3Prefix","S3InputMode":"File"}},
				{"InputName":"code","S3Input":{"S3Uri":"s3://lake/code/prep.py","LocalPath":"/opt/ml/processing/code","S3DataType":"S3Prefix","S3InputMode":"File"}}],
			"ProcessingOutputConfig":{"Outputs":[{"OutputName":"out","S3Output":{"S3Uri":"s3://lake/out/`+n+`","LocalPath":"/opt/ml/processing/out","S3UploadMode":"EndOfJob"}}]}}`)
		if err != nil {
			b.Fatal(err)
		}
	}
}
