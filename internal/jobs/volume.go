package jobs

import (
	"context"
	"encoding/json"

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
	var req struct {
		ProcessingResources *struct {
			ClusterConfig *struct{ VolumeKmsKeyId string }
		}
		ResourceConfig     *struct{ VolumeKmsKeyId string }
		TransformResources *struct{ VolumeKmsKeyId string }
	}
	if json.Unmarshal([]byte(job.Request), &req) != nil {
		return ""
	}
	switch sm.JobKind(job.Kind) {
	case sm.ProcessingJob:
		if r := req.ProcessingResources; r != nil && r.ClusterConfig != nil {
			return r.ClusterConfig.VolumeKmsKeyId
		}
	case sm.TrainingJob:
		if r := req.ResourceConfig; r != nil {
			return r.VolumeKmsKeyId
		}
	case sm.TransformJob:
		if r := req.TransformResources; r != nil {
			return r.VolumeKmsKeyId
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
