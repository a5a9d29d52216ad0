package organizations

import (
	"context"

	"github.com/cairnhq/cairn/internal/store"
)

// ListCreateAccountStatusInput pages through CreateAccount requests, those in one of
// States only when it is given.
type ListCreateAccountStatusInput struct {
	States     []string `memberEnum:"IN_PROGRESS,SUCCEEDED,FAILED"`
	NextToken  *string  `max:"100000"`
	MaxResults *int
}

// ListCreateAccountStatusOutput is one page of CreateAccount requests.
type ListCreateAccountStatusOutput struct {
	CreateAccountStatuses []CreateAccountStatus
	NextToken             *string `json:",omitempty"`
}

func (s *Service) listCreateAccountStatus(ctx context.Context, in *ListCreateAccountStatusInput) (*ListCreateAccountStatusOutput, error) {
	pg, err := newPager(in.MaxResults, in.NextToken, carPattern.MatchString)
	if err != nil {
		return nil, err
	}
	out := ListCreateAccountStatusOutput{CreateAccountStatuses: []CreateAccountStatus{}}
	err = s.store.View(ctx, func(tx txn) error {
		if _, err := s.organization(ctx, tx, true); err != nil {
			return err
		}
		list, err := tx.ListCreateAccountStatuses(in.States, pg.page())
		if err != nil {
			return err
		}
		list, out.NextToken = nextPage(pg, list, func(st *store.CreateAccountStatus) string { return st.ID })
		for _, st := range list {
			out.CreateAccountStatuses = append(out.CreateAccountStatuses, wireStatus(st))
		}
		return nil
	})
	return &out, err
}
