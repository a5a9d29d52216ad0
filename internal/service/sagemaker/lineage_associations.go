package sagemaker

import (
	"context"
	"errors"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Associations: the edges of the lineage graph, between entities of one account or, through
// shared lineage groups, of two.

func (s *Service) associationOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[AddAssociationInput, AssociationOutput]{
			Name: "AddAssociation", Access: func(ctx context.Context, in *AddAssociationInput) (*operation.Access, error) {
				return s.associationAccess(ctx, in.SourceArn, in.DestinationArn)
			}, Handler: s.addAssociation}),
		operation.Declare(operation.Op[DeleteAssociationInput, AssociationOutput]{
			Name: "DeleteAssociation", Access: func(ctx context.Context, in *DeleteAssociationInput) (*operation.Access, error) {
				return s.associationAccess(ctx, in.SourceArn, in.DestinationArn)
			}, Handler: s.deleteAssociation}),
		operation.Declare(operation.Op[ListAssociationsInput, ListAssociationsOutput]{
			Name: "ListAssociations", Handler: s.listAssociations}),
	}
}

// AddAssociationInput associates two entities.
type AddAssociationInput struct {
	SourceArn       string  `required:"true" max:"256" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial-component|artifact|action|context)/.*"`
	DestinationArn  string  `required:"true" max:"256" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial-component|artifact|action|context)/.*"`
	AssociationType *string `enum:"ContributedTo,AssociatedWith,DerivedFrom,Produced,SameAs"`
}

// AssociationOutput names the two ends of an association.
type AssociationOutput struct {
	SourceArn      string
	DestinationArn string
}

// associationAccess authorizes an action on both ends of an association: an association
// between two accounts' entities needs the action allowed on each, and is not made if either
// is refused.
func (s *Service) associationAccess(ctx context.Context, source, destination string) (*operation.Access, error) {
	access := &operation.Access{}
	err := s.store.View(ctx, func(tx txn) error {
		for _, end := range []string{source, destination} {
			res, err := s.lineageResource(tx, s.refLineage(ctx, "", end))
			if err != nil {
				return err
			}
			access.Resources = append(access.Resources, res)
		}
		return nil
	})
	return access, err
}

// associationEnd reads an end of an association, or ResourceNotFound.
func (s *Service) associationEnd(ctx context.Context, tx txn, arn string) (*store.LineageEntity, error) {
	ref := s.refLineage(ctx, "", arn)
	e, err := tx.LineageEntity(ref.arn)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("%s does not exist.", ref.arn)
	}
	return e, err
}

func (s *Service) addAssociation(ctx context.Context, in *AddAssociationInput) (*AssociationOutput, error) {
	a := &store.LineageAssociation{Type: deref(in.AssociationType, "AssociatedWith"), CreatedBy: caller(ctx).ARN, CreatedAt: s.now()}
	err := s.store.Update(ctx, func(tx txn) error {
		src, err := s.associationEnd(ctx, tx, in.SourceArn)
		if err != nil {
			return err
		}
		dst, err := s.associationEnd(ctx, tx, in.DestinationArn)
		if err != nil {
			return err
		}
		a.SourceARN, a.DestinationARN, a.SourceAccount, a.DestinationAccount = src.ARN, dst.ARN, src.AccountID, dst.AccountID
		if _, err := tx.LineageAssociation(a.SourceARN, a.DestinationARN); err == nil {
			return validation("Association already exists between %s and %s.", a.SourceARN, a.DestinationARN)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return tx.CreateLineageAssociation(a)
	})
	if err != nil {
		return nil, err
	}
	return &AssociationOutput{SourceArn: a.SourceARN, DestinationArn: a.DestinationARN}, nil
}

// DeleteAssociationInput deletes the association between two entities.
type DeleteAssociationInput struct {
	SourceArn      string `required:"true" max:"256" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial-component|artifact|action|context)/.*"`
	DestinationArn string `required:"true" max:"256" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial-component|artifact|action|context)/.*"`
}

func (s *Service) deleteAssociation(ctx context.Context, in *DeleteAssociationInput) (*AssociationOutput, error) {
	src, dst := s.refLineage(ctx, "", in.SourceArn).arn, s.refLineage(ctx, "", in.DestinationArn).arn
	err := s.store.Update(ctx, func(tx txn) error {
		err := tx.DeleteLineageAssociation(src, dst)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("Association between %s and %s does not exist.", src, dst)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &AssociationOutput{SourceArn: src, DestinationArn: dst}, nil
}

// ListAssociationsInput filters and pages the associations of the caller's entities.
type ListAssociationsInput struct {
	SourceArn       *string `max:"256" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial-component|artifact|action|context)/.*"`
	DestinationArn  *string `max:"256" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial-component|artifact|action|context)/.*"`
	SourceType      *string `max:"256"`
	DestinationType *string `max:"256"`
	AssociationType *string `enum:"ContributedTo,AssociatedWith,DerivedFrom,Produced,SameAs"`
	CreatedAfter    *operation.Timestamp
	CreatedBefore   *operation.Timestamp
	SortBy          *string `enum:"SourceArn,DestinationArn,SourceType,DestinationType,CreationTime"`
	SortOrder       *string `enum:"Ascending,Descending"`
	NextToken       *string `max:"8192" pattern:".*"`
	MaxResults      *int    `min:"1" max:"100"`
}

// AssociationSummary is one association of a list, with what its ends are.
type AssociationSummary struct {
	SourceArn       string
	DestinationArn  string
	SourceType      string
	DestinationType string
	AssociationType string
	SourceName      string `json:",omitempty"`
	DestinationName string `json:",omitempty"`
	CreationTime    *operation.Timestamp
	CreatedBy       UserContext
}

// ListAssociationsOutput is one page of associations.
type ListAssociationsOutput struct {
	AssociationSummaries []AssociationSummary
	NextToken            *string `json:",omitempty"`
}

// associationListing is how ListAssociations filters and orders associations.
var associationListing = listing[AssociationSummary]{
	created: func(a AssociationSummary) time.Time { return a.CreationTime.Time },
	orders: map[string]func(a, b AssociationSummary) int{
		"SourceArn":       byString(func(a AssociationSummary) string { return a.SourceArn }),
		"DestinationArn":  byString(func(a AssociationSummary) string { return a.DestinationArn }),
		"SourceType":      byString(func(a AssociationSummary) string { return a.SourceType }),
		"DestinationType": byString(func(a AssociationSummary) string { return a.DestinationType }),
		"CreationTime":    byTime(func(a AssociationSummary) time.Time { return a.CreationTime.Time }),
	},
	defaultOrder: "CreationTime",
}

// typeOf is what an association's summary says an end is: its type, or its kind when it
// has none (an experiment).
func typeOf(e *store.LineageEntity) string {
	if e.Kind == store.LineageTrialComponent {
		// A trial component is its source's type (SageMakerTrainingJob).
		var b trialComponentBody
		if lineageBody(e, &b) == nil && b.Source != nil && b.Source.SourceType != "" {
			return b.Source.SourceType
		}
	}
	if e.Type != "" {
		return e.Type
	}
	return e.Kind
}

// matchesType reports whether an end is of the type a filter names: clients name either
// the entity's type (Model, ModelDeployment) or its lineage type (Action, Context).
func matchesType(e *store.LineageEntity, want *string) bool {
	return want == nil || e != nil && (e.Type == *want || e.Kind == *want || typeOf(e) == *want)
}

func (s *Service) listAssociations(ctx context.Context, in *ListAssociationsInput) (*ListAssociationsOutput, error) {
	var summaries []AssociationSummary
	err := s.store.View(ctx, func(tx txn) error {
		var src, dst string
		if in.SourceArn != nil {
			src = s.refLineage(ctx, "", *in.SourceArn).arn
		}
		if in.DestinationArn != nil {
			dst = s.refLineage(ctx, "", *in.DestinationArn).arn
		}
		all, err := tx.ListLineageAssociations(caller(ctx).Account, src, dst)
		if err != nil {
			return err
		}
		arns := make([]string, 0, 2*len(all))
		for _, a := range all {
			arns = append(arns, a.SourceARN, a.DestinationARN)
		}
		ends, err := tx.LineageEntities(arns)
		if err != nil {
			return err
		}
		byARN := make(map[string]*store.LineageEntity, len(ends))
		for _, e := range ends {
			byARN[e.ARN] = e
		}
		own := caller(ctx).Account
		visible := map[string]bool{}
		for _, a := range all {
			se, de := byARN[a.SourceARN], byARN[a.DestinationARN]
			if se == nil || de == nil || !matchesType(se, in.SourceType) || !matchesType(de, in.DestinationType) ||
				in.AssociationType != nil && a.Type != *in.AssociationType {
				continue
			}
			if a.Type == "SameAs" && (a.SourceAccount != own || a.DestinationAccount != own) {
				// SageMaker made the link, not the other account: it is shown only to an
				// account that may see the other end, as QueryLineage walks it.
				other := a.SourceAccount
				if other == own {
					other = a.DestinationAccount
				}
				ok, known := visible[other]
				if !known {
					if ok, err = s.mayQuery(ctx, tx, other); err != nil {
						return err
					}
					visible[other] = ok
				}
				if !ok {
					continue
				}
			}
			summaries = append(summaries, AssociationSummary{SourceArn: a.SourceARN, DestinationArn: a.DestinationARN,
				SourceType: typeOf(se), DestinationType: typeOf(de), AssociationType: a.Type, SourceName: se.Name, DestinationName: de.Name,
				CreationTime: operation.NewTimestamp(a.CreatedAt), CreatedBy: userContext(a.CreatedBy)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	page, next, err := associationListing.list(summaries, listQuery{CreatedAfter: in.CreatedAfter, CreatedBefore: in.CreatedBefore,
		SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults})
	if err != nil {
		return nil, err
	}
	if page == nil {
		page = []AssociationSummary{}
	}
	return &ListAssociationsOutput{AssociationSummaries: page, NextToken: next}, nil
}

// mayQuery reports whether the caller may query the lineage of another account: whether
// that account's lineage group's policy, and the caller's own policies, allow
// sagemaker:QueryLineage on the group.
func (s *Service) mayQuery(ctx context.Context, tx txn, account string) (bool, error) {
	res, err := s.lineageResource(tx, lineageRef{account: account, foreign: true})
	if err != nil {
		return false, err
	}
	return operation.Allowed(ctx, &operation.Access{Action: "sagemaker:QueryLineage", Resources: []operation.Resource{res}})
}
