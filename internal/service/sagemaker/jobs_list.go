package sagemaker

import (
	"context"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// ListJobsInput filters and pages jobs of one kind: the request of ListProcessingJobs and
// ListTransformJobs, and the part of ListTrainingJobs every kind shares.
type ListJobsInput struct {
	CreationTimeAfter      *operation.Timestamp
	CreationTimeBefore     *operation.Timestamp
	LastModifiedTimeAfter  *operation.Timestamp
	LastModifiedTimeBefore *operation.Timestamp
	NameContains           *string
	StatusEquals           *string
	SortBy                 *string
	SortOrder              *string
	NextToken              *string
	MaxResults             *int
}

// everyJob is the filter of a List… request that is a ListJobsInput.
func everyJob(in *ListJobsInput) (*ListJobsInput, bool) { return in, true }

// listJobs returns the page of the caller's jobs of one kind that f asks for, and the
// token of the next page.
func (s *Service) listJobs(ctx context.Context, kind sm.JobKind, f *ListJobsInput) ([]*store.Job, *string, error) {
	sortBy, order, err := sortOptions(f.SortBy, f.SortOrder, []string{"Name", "CreationTime", "Status"}, "CreationTime")
	if err != nil {
		return nil, nil, err
	}
	filter := store.JobFilter{AccountID: caller(ctx).Account, Kind: string(kind)}
	if f.NameContains != nil {
		filter.NameContains = *f.NameContains
	}
	if f.StatusEquals != nil {
		ok := false
		statuses := make([]string, 0, 5)
		for _, st := range sm.JobStatuses() {
			ok = ok || string(st) == *f.StatusEquals
			statuses = append(statuses, string(st))
		}
		if !ok {
			return nil, nil, validation("1 validation error detected: Value '%s' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: [%s]", *f.StatusEquals, strings.Join(statuses, ", "))
		}
		filter.Status = *f.StatusEquals
	}
	var all []*store.Job
	err = s.store.View(ctx, func(tx store.Tx) error {
		var err error
		all, err = tx.ListJobs(filter)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	var items []*store.Job
	for _, j := range all {
		if f.CreationTimeAfter != nil && !j.CreatedAt.After(f.CreationTimeAfter.Time) || f.CreationTimeBefore != nil && !j.CreatedAt.Before(f.CreationTimeBefore.Time) ||
			f.LastModifiedTimeAfter != nil && !j.LastModifiedAt.After(f.LastModifiedTimeAfter.Time) || f.LastModifiedTimeBefore != nil && !j.LastModifiedAt.Before(f.LastModifiedTimeBefore.Time) {
			continue
		}
		items = append(items, j)
	}
	sort.SliceStable(items, func(a, b int) bool {
		var less bool
		switch sortBy {
		case "Name":
			less = items[a].Name < items[b].Name
		case "Status":
			less = items[a].Status < items[b].Status
		default:
			less = items[a].CreatedAt.Before(items[b].CreatedAt)
		}
		if order == "Descending" {
			return !less
		}
		return less
	})
	page, next, err := paginate(len(items), f.NextToken, f.MaxResults)
	if err != nil {
		return nil, nil, err
	}
	return items[page.start:page.end], next, nil
}
