package ram

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// ReplacePermissionAssociations moves every share of an account from one permission to
// another, asynchronously as in AWS: the work is IN_PROGRESS until the association delay
// passes, then COMPLETED (or FAILED when the target can no longer be attached).

func (s *Service) replacePermissionAssociationsAccess(ctx context.Context, in *ReplacePermissionAssociationsInput) (*operation.Access, error) {
	a, err := s.permissionAccess(ctx, "", false, in.FromPermissionArn)
	if err != nil {
		return nil, err
	}
	to, err := s.permissionAccess(ctx, "", false, in.ToPermissionArn)
	if err != nil {
		return nil, err
	}
	to.Action = "ram:ReplacePermissionAssociations"
	a.Implied = append(a.Implied, *to)
	return a, nil
}

// replacePermissionAssociations moves the caller's shares from one permission (or one
// version of it) to the default version of another of the same resource type. The work
// completes after the association delay, as AWS does it asynchronously.
func (s *Service) replacePermissionAssociations(ctx context.Context, in *ReplacePermissionAssociationsInput) (*ReplacePermissionAssociationsOutput, error) {
	token, err := s.clientToken(in.ClientToken)
	if err != nil {
		return nil, err
	}
	account := caller(ctx).Account
	out := &ReplacePermissionAssociationsOutput{}
	err = s.store.Update(ctx, func(tx txn) error {
		return s.idempotent(ctx, tx, "ReplacePermissionAssociations", in.ClientToken, in, out, func() error {
			from, err := s.permission(tx, account, in.FromPermissionArn)
			if err != nil {
				return err
			}
			to, err := s.permission(tx, account, in.ToPermissionArn)
			if err != nil {
				return err
			}
			if from.ResourceType != to.ResourceType {
				return invalidParameter("%s is for %s and %s for %s; a replacement keeps the resource type.", from.ARN, from.ResourceType,
					to.ARN, to.ResourceType)
			}
			if to.Status != attachable {
				return invalidParameter("The permission %s can't be attached.", to.ARN)
			}
			id, err := s.newID()
			if err != nil {
				return err
			}
			now := s.now()
			w := &store.RAMReplaceWork{ID: id, OwnerAccount: account, FromARN: from.ARN, ToARN: to.ARN, ToVersion: to.DefaultVersion,
				Status: "IN_PROGRESS", CreatedAt: now, UpdatedAt: now}
			if in.FromPermissionVersion != nil {
				w.FromVersion = int(*in.FromPermissionVersion)
			}
			if s.delay == 0 {
				e := newEffects()
				if err := s.replace(tx, w, now, e); err != nil {
					return err
				}
				if err := s.apply(tx, e); err != nil {
					return err
				}
			} else {
				w.DueAt = now.Add(s.delay)
				if err := tx.PutRAMReplaceWork(w); err != nil {
					return err
				}
			}
			ww := wireWork(w)
			out.ReplacePermissionAssociationsWork, out.ClientToken = &ww, token
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// replace carries out a replacement request.
func (s *Service) replace(tx txn, w *store.RAMReplaceWork, now time.Time, e *effects) error {
	to, err := s.permission(tx, w.OwnerAccount, w.ToARN)
	w.Status, w.DueAt, w.UpdatedAt = "COMPLETED", time.Time{}, now
	switch {
	case err != nil && !isNotFound(err) && !isOperationError(err):
		return err
	case err != nil || to.Status != attachable:
		w.Status, w.StatusMessage = "FAILED", "The permission "+w.ToARN+" can no longer be attached."
		return tx.PutRAMReplaceWork(w)
	}
	w.ToVersion = to.DefaultVersion
	uses, err := tx.RAMPermissionUses(w.FromARN)
	if err != nil {
		return err
	}
	for _, u := range uses {
		share, err := tx.RAMShare(u.ShareARN)
		if err != nil {
			return err
		}
		if share.OwnerAccount != w.OwnerAccount || share.Status != "ACTIVE" || w.FromVersion != 0 && u.PermissionVersion != w.FromVersion {
			continue
		}
		u.PermissionARN, u.PermissionVersion, u.UpdatedAt = to.ARN, to.DefaultVersion, now
		if err := tx.PutRAMSharePermission(u); err != nil {
			return err
		}
		if err := e.share(tx, share.ARN); err != nil {
			return err
		}
	}
	return tx.PutRAMReplaceWork(w)
}

// isOperationError reports an error a client is meant to see (not one of Cairn's own).
func isOperationError(err error) bool {
	var e *operation.Error
	return errors.As(err, &e)
}

func wireWork(w *store.RAMReplaceWork) ReplacePermissionAssociationsWork {
	out := ReplacePermissionAssociationsWork{Id: w.ID, FromPermissionArn: w.FromARN, ToPermissionArn: w.ToARN,
		ToPermissionVersion: strconv.Itoa(w.ToVersion), Status: w.Status, StatusMessage: w.StatusMessage,
		CreationTime: ts(w.CreatedAt), LastUpdatedTime: ts(w.UpdatedAt)}
	if w.FromVersion != 0 {
		out.FromPermissionVersion = strconv.Itoa(w.FromVersion)
	}
	return out
}

func (s *Service) listReplacePermissionAssociationsWork(ctx context.Context, in *ListReplacePermissionAssociationsWorkInput) (*ListReplacePermissionAssociationsWorkOutput, error) {
	out := &ListReplacePermissionAssociationsWorkOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		works, err := tx.ListRAMReplaceWork(caller(ctx).Account)
		if err != nil {
			return err
		}
		list := []ReplacePermissionAssociationsWork{}
		for _, w := range works {
			if in.WorkIds != nil && !contains(in.WorkIds, w.ID) || in.Status != "" && w.Status != in.Status {
				continue
			}
			list = append(list, wireWork(w))
		}
		out.ReplacePermissionAssociationsWorks, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
