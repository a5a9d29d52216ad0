package ram

import (
	"sort"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/store"
)

// received is a share another account shares with the caller's account, through the
// principal association that reaches it.
type received struct {
	share *store.RAMShare
	via   *store.RAMAssociation
}

// receivedShares returns the active shares that reach an account now: those naming the
// account (or one of its roles or users) that needed no invitation or whose invitation it
// accepted, and those naming its organization or an OU above it. A member that needed no
// invitation counts only while in the organization (unless the share retains it).
func (s *Service) receivedShares(tx txn, account string) ([]received, error) {
	org, err := s.organization(tx)
	if err != nil {
		return nil, err
	}
	member, err := org.member(tx, account)
	if err != nil {
		return nil, err
	}
	candidates, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMPrincipal, Account: account,
		Status: store.RAMAssociated}, store.Page{})
	if err != nil {
		return nil, err
	}
	if member {
		entities := []string{org.arn()}
		ous, err := org.accountOUs(tx, account)
		if err != nil {
			return nil, err
		}
		for _, ou := range ous {
			entities = append(entities, org.ouARN(ou))
		}
		for _, ent := range entities {
			more, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMPrincipal, Entity: ent,
				Status: store.RAMAssociated}, store.Page{})
			if err != nil {
				return nil, err
			}
			candidates = append(candidates, more...)
		}
	}
	seen := map[string]bool{}
	var out []received
	for _, a := range candidates {
		if seen[a.ShareARN] || a.OwnerAccount == account {
			continue
		}
		switch {
		case a.Kind == kindOrganization || a.Kind == kindOU:
		case a.Invite:
			ok, err := s.accepted(tx, a.ShareARN, a.Entity)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		default:
			share, err := tx.RAMShare(a.ShareARN)
			if err != nil {
				return nil, err
			}
			if !member && !share.RetainOnLeave {
				continue
			}
		}
		share, err := tx.RAMShare(a.ShareARN)
		if err != nil {
			return nil, err
		}
		if share.Status != "ACTIVE" {
			continue
		}
		seen[a.ShareARN] = true
		out = append(out, received{share: share, via: a})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].share.ARN < out[j].share.ARN })
	return out, nil
}

// receivedShare returns one share that reaches the account, or nil.
func (s *Service) receivedShare(tx txn, account, shareARN string) (*received, error) {
	all, err := s.receivedShares(tx, account)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].share.ARN == shareARN {
			return &all[i], nil
		}
	}
	return nil, nil
}

// checkShareARN reports a malformed share ARN.
func (s *Service) checkShareARN(v string) error {
	a, err := arn.Parse(v)
	if err != nil || a.Service != "ram" || !arn.IsAccountID(a.Account) || !strings.HasPrefix(a.Resource, "resource-share/") ||
		len(a.Resource) == len("resource-share/") {
		return malformedARN("%s is not a resource share ARN.", v)
	}
	return nil
}

// ownShare returns a share of the caller's account; any other is unknown to it.
func (s *Service) ownShare(tx txn, account, shareARN string) (*store.RAMShare, error) {
	if err := s.checkShareARN(shareARN); err != nil {
		return nil, err
	}
	share, err := tx.RAMShare(shareARN)
	if err != nil || share.OwnerAccount != account {
		if err == nil || isNotFound(err) {
			return nil, unknownResource("The resource share %s does not exist in this account.", shareARN)
		}
		return nil, err
	}
	return share, nil
}

// wireShare renders a share with its tags.
func wireShare(tx txn, sh *store.RAMShare) (ResourceShare, error) {
	tags, err := tx.Tags(sh.ARN)
	if err != nil {
		return ResourceShare{}, err
	}
	out := ResourceShare{ResourceShareArn: sh.ARN, Name: sh.Name, OwningAccountId: sh.OwnerAccount,
		AllowExternalPrincipals: boolp(sh.AllowExternalPrincipals), Status: sh.Status, StatusMessage: sh.StatusMessage,
		Tags: wireTags(tags), CreationTime: ts(sh.CreatedAt), LastUpdatedTime: ts(sh.UpdatedAt), FeatureSet: sh.FeatureSet}
	if sh.RetainOnLeave {
		out.ResourceShareConfiguration = &ResourceShareConfiguration{RetainSharingOnAccountLeaveOrganization: boolp(true)}
	}
	return out, nil
}

// wireAssociation renders an association.
func wireAssociation(a *store.RAMAssociation, shareName string) ResourceShareAssociation {
	out := ResourceShareAssociation{ResourceShareArn: a.ShareARN, ResourceShareName: shareName, AssociatedEntity: a.Entity,
		AssociationType: a.Type, Status: a.Status, StatusMessage: a.StatusMessage, CreationTime: ts(a.CreatedAt),
		LastUpdatedTime: ts(a.UpdatedAt)}
	if a.Type == store.RAMPrincipal {
		out.External = boolp(a.External)
	}
	return out
}

// wireInvitation renders an invitation as of now.
func wireInvitation(i *store.RAMInvitation, shareName string, now time.Time) ResourceShareInvitation {
	return ResourceShareInvitation{ResourceShareInvitationArn: i.ARN, ResourceShareName: shareName, ResourceShareArn: i.ShareARN,
		SenderAccountId: i.SenderAccount, ReceiverAccountId: i.ReceiverAccount, InvitationTimestamp: ts(i.CreatedAt),
		Status: invitationStatus(i, now), ReceiverArn: i.ReceiverARN}
}

func wireTags(tags []store.Tag) []Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]Tag, len(tags))
	for i, t := range tags {
		out[i] = Tag{Key: t.Key, Value: t.Value}
	}
	return out
}
