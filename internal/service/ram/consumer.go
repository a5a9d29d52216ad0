package ram

import (
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/store"
)

// received is a share another account shares with the caller's account.
type received struct {
	share *store.RAMShare
}

// receivedShares returns the active shares that reach an account now: those naming the
// account (or one of its roles or users) that needed no invitation or whose invitation it
// accepted, and those naming its organization or an OU above it. A member that needed no
// invitation counts only while in the organization (unless the share retains it).
func (s *Service) receivedShares(tx txn, account string) ([]received, error) {
	return s.receivedPage(tx, account, "", 0, nil)
}

// receivedChunk is how many associations receivedPage reads at a time for a whole list.
const receivedChunk = 500

// receivedPage returns, in share ARN order after the share after, the shares that reach an
// account (as receivedShares) and that keep, when given, accepts: up to limit+1 of them when
// limit is positive — the extra one tells a next page exists — all otherwise. It reads the
// associations that reach the account a chunk at a time, in share order, with the shares
// and invitations of each chunk in one query each.
func (s *Service) receivedPage(tx txn, account, after string, limit int, keep func(*store.RAMShare) (bool, error)) ([]received, error) {
	org, err := s.organization(tx)
	if err != nil {
		return nil, err
	}
	member, err := org.member(tx, account)
	if err != nil {
		return nil, err
	}
	var entities []string
	if member {
		entities = []string{org.arn()}
		ous, err := org.accountOUs(tx, account)
		if err != nil {
			return nil, err
		}
		for _, ou := range ous {
			entities = append(entities, org.ouARN(ou))
		}
	}
	var out []received
	cursor, last := after, ""
	size := receivedChunk
	if limit > 0 {
		size = limit + 1 // most associations reach the account: a page usually takes one read
	}
	for {
		chunk, err := tx.ListRAMSharesReaching(account, entities, store.Page{After: cursor, Limit: size})
		if err != nil {
			return nil, err
		}
		var invited []string
		for _, r := range chunk {
			if r.Invite {
				invited = append(invited, r.Share.ARN)
			}
		}
		accepted := map[string]bool{} // "<share> <principal>"
		if len(invited) > 0 {
			invs, err := tx.ListRAMInvitations(store.RAMInvitationQuery{Receiver: account, ShareARNs: invited})
			if err != nil {
				return nil, err
			}
			for _, i := range invs {
				if i.Status == "ACCEPTED" {
					accepted[i.ShareARN+" "+i.Principal] = true
				}
			}
		}
		for _, r := range chunk {
			share := r.Share
			cursor = share.ARN + " " + r.Entity
			if share.ARN <= after || share.ARN == last || share.OwnerAccount == account || share.Status != "ACTIVE" {
				continue
			}
			switch {
			case r.Kind == kindOrganization || r.Kind == kindOU:
			case r.Invite:
				if !accepted[share.ARN+" "+r.Entity] {
					continue
				}
			case !member && !share.RetainOnLeave:
				continue
			}
			if keep != nil {
				ok, err := keep(share)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			last = share.ARN
			out = append(out, received{share: share})
			if limit > 0 && len(out) > limit {
				return out, nil
			}
		}
		if len(chunk) < size {
			return out, nil
		}
	}
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

// wireShares renders shares with their tags, read in one query.
func wireShares(tx txn, shares []*store.RAMShare) ([]ResourceShare, error) {
	arns := make([]string, len(shares))
	for i, sh := range shares {
		arns[i] = sh.ARN
	}
	tags, err := tx.TagsOf(arns)
	if err != nil {
		return nil, err
	}
	out := make([]ResourceShare, len(shares))
	for i, sh := range shares {
		out[i] = renderShare(sh, tags[sh.ARN])
	}
	return out, nil
}

// wireShare renders a share with its tags.
func wireShare(tx txn, sh *store.RAMShare) (ResourceShare, error) {
	tags, err := tx.Tags(sh.ARN)
	if err != nil {
		return ResourceShare{}, err
	}
	return renderShare(sh, tags), nil
}

// renderShare is a share as RAM answers it.
func renderShare(sh *store.RAMShare, tags []store.Tag) ResourceShare {
	out := ResourceShare{ResourceShareArn: sh.ARN, Name: sh.Name, OwningAccountId: sh.OwnerAccount,
		AllowExternalPrincipals: boolp(sh.AllowExternalPrincipals), Status: sh.Status, StatusMessage: sh.StatusMessage,
		Tags: wireTags(tags), CreationTime: ts(sh.CreatedAt), LastUpdatedTime: ts(sh.UpdatedAt), FeatureSet: sh.FeatureSet}
	if sh.RetainOnLeave {
		out.ResourceShareConfiguration = &ResourceShareConfiguration{RetainSharingOnAccountLeaveOrganization: boolp(true)}
	}
	return out
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
