package definition

import (
	"testing"
)

// Run: go test ./internal/engine/definition -run '^$' -bench . -benchmem

func BenchmarkParseAbalone(b *testing.B) {
	doc := fixtures(b)["abalone-canonical.json"]
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(doc, ParseOptions{SupportedTypes: []string{"Processing", "Training", "Condition", "RegisterModel", "Model", "Transform", "Fail"}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolveProcessing resolves the Arguments of the abalone
// pipeline's evaluation step: a CreateProcessingJob request with step
// properties, a parameter-free Join per output and literal inputs.
func BenchmarkResolveProcessing(b *testing.B) {
	d, err := Parse(fixtures(b)["abalone-canonical.json"], ParseOptions{})
	if err != nil {
		b.Fatal(err)
	}
	env := &fakeEnv{
		params:    map[string]any{"ProcessingInstanceCount": int64(1), "InputData": "s3://b/abalone.csv"},
		execution: map[string]string{"PipelineExecutionId": "kytlemm1lvpq"},
		props: map[string]any{
			"AbaloneTrain": map[string]any{"ModelArtifacts": map[string]any{"S3ModelArtifacts": "s3://b/AbaloneTrain/model.tar.gz"}},
			"AbaloneProcess": map[string]any{"ProcessingOutputConfig": map[string]any{"Outputs": []any{
				map[string]any{"OutputName": "train", "S3Output": map[string]any{"S3Uri": "s3://b/train"}},
				map[string]any{"OutputName": "validation", "S3Output": map[string]any{"S3Uri": "s3://b/validation"}},
				map[string]any{"OutputName": "test", "S3Output": map[string]any{"S3Uri": "s3://b/test"}},
			}}},
		},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.ResolveArguments("AbaloneEval", env); err != nil {
			b.Fatal(err)
		}
	}
}
