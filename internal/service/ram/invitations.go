package ram

import (
	"context"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// An invitation lives in the sharing account (its ARN names that account) and is answered
// by the invited one: accepting it makes the share's grants reach the principal,
// rejecting it ends the principal's association. Unanswered for seven days, it expires.

func checkInvitationARN(v string) error {
	a, err := arn.Parse(v)
	if err != nil || a.Service != "ram" || !arn.IsAccountID(a.Account) || !strings.HasPrefix(a.Resource, "resource-share-invitation/") ||
		len(a.Resource) == len("resource-share-invitation/") {
		return malformedARN("%s is not a resource share invitation ARN.", v)
	}
	return nil
}

// ownInvitation returns an invitation the caller's account received.
func ownInvitation(tx txn, account, invitationARN string) (*store.RAMInvitation, error) {
	if err := checkInvitationARN(invitationARN); err != nil {
		return nil, err
	}
	inv, err := tx.RAMInvitation(invitationARN)
	if err != nil || inv.ReceiverAccount != account {
		if err == nil || isNotFound(err) {
			return nil, invitationARNNotFound("The invitation %s was not found.", invitationARN)
		}
		return nil, err
	}
	return inv, nil
}

// invitationAccess authorizes an answer to an invitation: the invitation is the caller's
// own resource as far as authorization goes, though its ARN names the sender's account.
func (s *Service) invitationAccess(ctx context.Context, invitationARN string) (*operation.Access, error) {
	account := caller(ctx).Account
	a := &operation.Access{}
	err := s.store.View(ctx, func(tx txn) error {
		inv, err := ownInvitation(tx, account, invitationARN)
		if err != nil {
			return err
		}
		keys := map[string][]string{"ram:ShareOwnerAccountId": {inv.SenderAccount}}
		if sh, err := tx.RAMShare(inv.ShareARN); err == nil {
			keys["ram:ResourceShareName"] = []string{sh.Name}
		} else if !isNotFound(err) {
			return err
		}
		a.Resources, a.Context = []operation.Resource{{ARN: inv.ARN, Account: account}}, keys
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) getResourceShareInvitations(ctx context.Context, in *GetResourceShareInvitationsInput) (*GetResourceShareInvitationsOutput, error) {
	if in.MaxResults != nil && (*in.MaxResults < 1 || *in.MaxResults > 500) {
		return nil, invalidMaxResults("maxResults must be between 1 and 500; you gave %d.", *in.MaxResults)
	}
	for _, a := range in.ResourceShareInvitationArns {
		if err := checkInvitationARN(a); err != nil {
			return nil, err
		}
	}
	for _, a := range in.ResourceShareArns {
		if err := s.checkShareARN(a); err != nil {
			return nil, err
		}
	}
	account := caller(ctx).Account
	out := &GetResourceShareInvitationsOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		invs, err := tx.ListRAMInvitations(store.RAMInvitationQuery{Receiver: account, ARNs: in.ResourceShareInvitationArns,
			ShareARNs: in.ResourceShareArns})
		if err != nil {
			return err
		}
		if len(in.ResourceShareInvitationArns) > 0 {
			for _, a := range in.ResourceShareInvitationArns {
				found := false
				for _, i := range invs {
					found = found || i.ARN == a
				}
				if !found {
					return invitationARNNotFound("The invitation %s was not found.", a)
				}
			}
		}
		now := s.now()
		list := make([]ResourceShareInvitation, 0, len(invs))
		for _, i := range invs {
			sh, err := tx.RAMShare(i.ShareARN)
			if err != nil {
				return err
			}
			list = append(list, wireInvitation(i, sh.Name, now))
		}
		out.ResourceShareInvitations, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// answerable checks that an invitation still waits for an answer.
func answerable(i *store.RAMInvitation, status string) error {
	switch status {
	case "ACCEPTED":
		return invitationAlreadyAccepted("The invitation %s was already accepted.", i.ARN)
	case "REJECTED":
		return invitationAlreadyRejected("The invitation %s was already rejected.", i.ARN)
	case "EXPIRED":
		return invitationExpired("The invitation %s expired: invitations wait seven days for an answer.", i.ARN)
	}
	return nil
}

func (s *Service) acceptResourceShareInvitation(ctx context.Context, in *InvitationInput) (*InvitationOutput, error) {
	return s.answerInvitation(ctx, in, "AcceptResourceShareInvitation", "ACCEPTED")
}

func (s *Service) rejectResourceShareInvitation(ctx context.Context, in *InvitationInput) (*InvitationOutput, error) {
	return s.answerInvitation(ctx, in, "RejectResourceShareInvitation", "REJECTED")
}

// answerInvitation accepts or rejects an invitation. Accepting rewrites the share's
// policies so the principal's access starts with the next request; rejecting ends the
// principal's association with the share.
func (s *Service) answerInvitation(ctx context.Context, in *InvitationInput, op, answer string) (*InvitationOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &InvitationOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, op, in.ClientToken, in, out, func() error {
			inv, err := ownInvitation(tx, account, in.ResourceShareInvitationArn)
			if err != nil {
				return err
			}
			now := s.now()
			if err := answerable(inv, invitationStatus(inv, now)); err != nil {
				return err
			}
			share, err := tx.RAMShare(inv.ShareARN)
			if err != nil {
				return err
			}
			if share.Status != "ACTIVE" {
				return operationNotPermitted("The resource share %s is %s.", share.ARN, share.Status)
			}
			inv.Status, inv.UpdatedAt = answer, now
			if err := tx.PutRAMInvitation(inv); err != nil {
				return err
			}
			e := newEffects()
			if answer == "REJECTED" {
				a, err := tx.RAMAssociation(inv.ShareARN, store.RAMPrincipal, inv.Principal)
				if err == nil {
					a.Status, a.StatusMessage, a.DueAt, a.UpdatedAt = store.RAMDisassociated, "The principal rejected the invitation.", time.Time{}, now
					if err := tx.PutRAMAssociation(a); err != nil {
						return err
					}
				} else if !isNotFound(err) {
					return err
				}
			}
			if err := e.share(tx, share.ARN); err != nil {
				return err
			}
			if err := s.apply(tx, e); err != nil {
				return err
			}
			w := wireInvitation(inv, share.Name, now)
			out.ResourceShareInvitation, out.ClientToken = &w, token
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// listPendingInvitationResources lists what a share would give the caller if it accepted
// the invitation.
func (s *Service) listPendingInvitationResources(ctx context.Context, in *ListPendingInvitationResourcesInput) (*ResourcesOutput, error) {
	account := caller(ctx).Account
	out := &ResourcesOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		inv, err := ownInvitation(tx, account, in.ResourceShareInvitationArn)
		if err != nil {
			return err
		}
		switch invitationStatus(inv, s.now()) {
		case "REJECTED":
			return invitationAlreadyRejected("The invitation %s was rejected.", inv.ARN)
		case "EXPIRED":
			return invitationExpired("The invitation %s expired.", inv.ARN)
		}
		list, err := s.shareResources(tx, []string{inv.ShareARN}, "", in.ResourceRegionScope)
		if err != nil {
			return err
		}
		out.Resources, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
