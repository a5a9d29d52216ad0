package sagemaker

import (
	"context"
	"errors"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Lineage groups: each account's one group, sagemaker-default-lineage-group, created with its
// first lineage entity. Sharing it through RAM shares every entity of the account; the policy
// RAM attaches to it is what GetLineageGroupPolicy answers.

func (s *Service) lineageGroupOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[ListLineageGroupsInput, ListLineageGroupsOutput]{
			Name: "ListLineageGroups", Handler: s.listLineageGroups}),
		operation.Declare(operation.Op[DescribeLineageGroupInput, DescribeLineageGroupOutput]{
			Name: "DescribeLineageGroup", Access: func(ctx context.Context, in *DescribeLineageGroupInput) (*operation.Access, error) {
				return s.lineageGroupAccess(ctx, in.LineageGroupName)
			}, Handler: s.describeLineageGroup}),
		operation.Declare(operation.Op[GetLineageGroupPolicyInput, GetLineageGroupPolicyOutput]{
			Name: "GetLineageGroupPolicy", Access: func(ctx context.Context, in *GetLineageGroupPolicyInput) (*operation.Access, error) {
				return s.lineageGroupAccess(ctx, in.LineageGroupName)
			}, Handler: s.getLineageGroupPolicy}),
	}
}

// groupOf reads a LineageGroupName member: a name in the caller's account or an ARN.
func (s *Service) groupOf(ctx context.Context, nameOrARN string) (account, name string, foreign bool) {
	account = caller(ctx).Account
	if a, ok := parseSageMakerARN(nameOrARN); ok {
		_, n, _ := strings.Cut(a.Resource, "/")
		return a.Account, n, a.Account != account
	}
	return account, nameOrARN, false
}

func (s *Service) lineageGroupAccess(ctx context.Context, nameOrARN string) (*operation.Access, error) {
	account, name, foreign := s.groupOf(ctx, nameOrARN)
	res := operation.Resource{ARN: s.arnAsGiven(account, LineageGroupKind, name), Account: account}
	// Another account has one group, the default: any other name is authorized as given,
	// with no policy, so that it is refused in the words of an existing one.
	if foreign && strings.EqualFold(name, DefaultLineageGroup) {
		err := s.store.View(ctx, func(tx txn) error {
			var err error
			res, err = s.lineageResource(tx, lineageRef{account: account, foreign: true})
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return &operation.Access{Resources: []operation.Resource{res}}, nil
}

// findLineageGroup reads the group a request names, or ResourceNotFound.
func (s *Service) findLineageGroup(ctx context.Context, tx txn, nameOrARN string) (*store.LineageGroup, error) {
	account, name, _ := s.groupOf(ctx, nameOrARN)
	g, err := tx.LineageGroup(account)
	if errors.Is(err, store.ErrNotFound) || err == nil && !strings.EqualFold(g.Name, name) {
		return nil, notFound("Lineage group %s does not exist.", s.arn(account, LineageGroupKind, name))
	}
	return g, err
}

// ListLineageGroupsInput filters and pages lineage groups.
type ListLineageGroupsInput struct {
	CreatedAfter  *operation.Timestamp
	CreatedBefore *operation.Timestamp
	SortBy        *string `enum:"Name,CreationTime"`
	SortOrder     *string `enum:"Ascending,Descending"`
	NextToken     *string `max:"8192" pattern:".*"`
	MaxResults    *int    `min:"1" max:"100"`
}

// LineageGroupSummary is one group of a list.
type LineageGroupSummary struct {
	LineageGroupArn  string
	LineageGroupName string
	CreationTime     *operation.Timestamp
	LastModifiedTime *operation.Timestamp
}

// ListLineageGroupsOutput is one page of groups.
type ListLineageGroupsOutput struct {
	LineageGroupSummaries []LineageGroupSummary
	NextToken             *string `json:",omitempty"`
}

func (s *Service) listLineageGroups(ctx context.Context, in *ListLineageGroupsInput) (*ListLineageGroupsOutput, error) {
	var groups []LineageGroupSummary
	err := s.store.View(ctx, func(tx txn) error {
		g, err := tx.LineageGroup(caller(ctx).Account)
		if err == nil {
			groups = append(groups, LineageGroupSummary{LineageGroupArn: g.ARN, LineageGroupName: g.Name,
				CreationTime: operation.NewTimestamp(g.CreatedAt), LastModifiedTime: operation.NewTimestamp(g.CreatedAt)})
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	kept := groups[:0]
	for _, g := range groups {
		if within(g.CreationTime.Time, in.CreatedAfter, in.CreatedBefore) {
			kept = append(kept, g)
		}
	}
	page, next, err := pageOf(kept, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	if page == nil {
		page = []LineageGroupSummary{}
	}
	return &ListLineageGroupsOutput{LineageGroupSummaries: page, NextToken: next}, nil
}

// DescribeLineageGroupInput names a group.
type DescribeLineageGroupInput struct {
	LineageGroupName string `required:"true" min:"1" max:"120" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"`
}

// DescribeLineageGroupOutput describes a group.
type DescribeLineageGroupOutput struct {
	LineageGroupName string
	LineageGroupArn  string
	CreationTime     *operation.Timestamp
	CreatedBy        UserContext
	LastModifiedTime *operation.Timestamp
	LastModifiedBy   UserContext
}

func (s *Service) describeLineageGroup(ctx context.Context, in *DescribeLineageGroupInput) (*DescribeLineageGroupOutput, error) {
	var g *store.LineageGroup
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		g, err = s.findLineageGroup(ctx, tx, in.LineageGroupName)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &DescribeLineageGroupOutput{LineageGroupName: g.Name, LineageGroupArn: g.ARN, CreationTime: operation.NewTimestamp(g.CreatedAt),
		CreatedBy: userContext(g.CreatedBy), LastModifiedTime: operation.NewTimestamp(g.CreatedAt), LastModifiedBy: userContext(g.CreatedBy)}, nil
}

// GetLineageGroupPolicyInput names a group by name or ARN.
type GetLineageGroupPolicyInput struct {
	LineageGroupName string `required:"true" min:"1" max:"256" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:lineage-group\\/)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,119})"`
}

// GetLineageGroupPolicyOutput is the policy RAM attached to a group.
type GetLineageGroupPolicyOutput struct {
	LineageGroupArn string
	ResourcePolicy  string `json:",omitempty"`
}

func (s *Service) getLineageGroupPolicy(ctx context.Context, in *GetLineageGroupPolicyInput) (*GetLineageGroupPolicyOutput, error) {
	out := &GetLineageGroupPolicyOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		g, err := s.findLineageGroup(ctx, tx, in.LineageGroupName)
		if err != nil {
			return err
		}
		out.LineageGroupArn = g.ARN
		doc, err := tx.ResourcePolicy(g.ARN)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		out.ResourcePolicy = string(doc)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
