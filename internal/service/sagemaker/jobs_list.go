package sagemaker

import (
	"context"
	"time"

	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// jobListing is how List…Jobs filters and orders jobs of one kind.
var jobListing = listing[*store.Job]{
	name:     func(j *store.Job) string { return j.Name },
	created:  func(j *store.Job) time.Time { return j.CreatedAt },
	modified: func(j *store.Job) time.Time { return j.LastModifiedAt },
	status:   func(j *store.Job) string { return j.Status },
	orders: map[string]func(a, b *store.Job) int{
		"Name":         byString(func(j *store.Job) string { return j.Name }),
		"CreationTime": byTime(func(j *store.Job) time.Time { return j.CreatedAt }),
		"Status":       byString(func(j *store.Job) string { return j.Status }),
	},
	defaultOrder: "CreationTime",
}

// listJobs returns the page of the caller's jobs of one kind that q asks for, and the
// token of the next page.
func (s *Service) listJobs(ctx context.Context, kind sm.JobKind, q listQuery) ([]*store.Job, *string, error) {
	var all []*store.Job
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		all, err = tx.ListJobs(store.JobFilter{AccountID: caller(ctx).Account, Kind: string(kind)})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return jobListing.list(all, q)
}
