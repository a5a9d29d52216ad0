package jobs

import (
	"context"
	"os"
	"path/filepath"

	"github.com/cairnhq/cairn/internal/runner"

	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Keys is KMS as a job's storage volume uses it.
type Keys interface {
	// VolumeKey makes the data key of a volume encrypted under keyID as the principal in
	// ctx, through SageMaker, as the volume is created before a job runs: a key that does
	// not exist, is not enabled, or that the principal may not use fails the job.
	VolumeKey(ctx context.Context, keyID string) error
}

// volumeKey is the VolumeKmsKeyId of a job's request, or "".
func volumeKey(job *store.Job) string {
	switch sm.JobKind(job.Kind) {
	case sm.ProcessingJob:
		if req, err := readRequest[sm.CreateProcessingJobInput](job); err == nil && req.ProcessingResources != nil && req.ProcessingResources.ClusterConfig != nil {
			return req.ProcessingResources.ClusterConfig.VolumeKmsKeyId
		}
	case sm.TrainingJob:
		if req, err := readRequest[sm.CreateTrainingJobInput](job); err == nil && req.ResourceConfig != nil {
			return req.ResourceConfig.VolumeKmsKeyId
		}
	case sm.TransformJob:
		if req, err := readRequest[sm.CreateTransformJobInput](job); err == nil && req.TransformResources != nil {
			return req.TransformResources.VolumeKmsKeyId
		}
	}
	return ""
}

// checkVolume makes the job's volume key as its role, when the job names one.
func (m *Manager) checkVolume(ctx context.Context, job *store.Job) error {
	key := volumeKey(job)
	if key == "" || m.opts.Keys == nil {
		return nil
	}
	ctx, err := m.asRole(ctx, job)
	if err != nil {
		return err
	}
	return m.opts.Keys.VolumeKey(ctx, key)
}

// dropVolume removes the /opt/ml of an ended job that named a volume key, as the encrypted
// volume of a job does not outlive it in SageMaker: the inputs copied in, the checkpoints
// and the outputs (already uploaded) do not stay in the clear on the host. The log stays.
// A job without a volume key keeps its files for inspection.
func (m *Manager) dropVolume(job *store.Job) {
	if volumeKey(job) == "" {
		return
	}
	dir := filepath.Join(runner.JobDir(m.opts.DataDir, job.AccountID, job.Name), "ml")
	if err := os.RemoveAll(dir); err != nil {
		m.log.Error("remove the volume of an ended job", "job", job.ARN, "err", err)
	}
}
