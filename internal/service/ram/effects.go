package ram

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

// effects collects, during one change, the shared resources whose policies it affects;
// apply rewrites them in the same transaction, so every change takes effect on the next
// request.
type effects struct {
	resources map[string]bool
}

func newEffects() *effects { return &effects{resources: map[string]bool{}} }

// resource marks one resource.
func (e *effects) resource(arn string) { e.resources[arn] = true }

// share marks every resource a share ever held.
func (e *effects) share(tx txn, shareARN string) error {
	assocs, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMResource, ShareARNs: []string{shareARN}}, store.Page{})
	if err != nil {
		return err
	}
	for _, a := range assocs {
		e.resource(a.Entity)
	}
	return nil
}

// apply rewrites the policy of every marked resource.
func (s *Service) apply(tx txn, e *effects) error {
	if len(e.resources) == 0 {
		return nil
	}
	org, err := s.organization(tx)
	if err != nil {
		return err
	}
	arns := make([]string, 0, len(e.resources))
	for a := range e.resources {
		arns = append(arns, a)
	}
	sort.Strings(arns)
	for _, arn := range arns {
		if err := s.rewritePolicy(tx, org, arn); err != nil {
			return fmt.Errorf("ram: policy of %s: %w", arn, err)
		}
	}
	return nil
}

// rewritePolicy renders and stores the policy of one resource from its active shares.
func (s *Service) rewritePolicy(tx txn, org *orgInfo, resourceARN string) error {
	typ, ref, ok := s.types.resolve(resourceARN)
	if !ok {
		return nil
	}
	assocs, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMResource, Entity: resourceARN,
		Status: store.RAMAssociated}, store.Page{})
	if err != nil {
		return err
	}
	var grants []grant
	for _, a := range assocs {
		share, err := tx.RAMShare(a.ShareARN)
		if err != nil {
			return err
		}
		if share.Status != "ACTIVE" {
			continue
		}
		g, err := s.shareGrant(tx, org, share, typ)
		if err != nil {
			return err
		}
		grants = append(grants, g)
	}
	doc := renderPolicy(typ.Covers(ref), grants)
	if typ.Reached == nil {
		return tx.PutResourcePolicy(resourceARN, ref.Account, doc, s.now())
	}
	before, err := tx.ResourcePolicy(resourceARN)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := tx.PutResourcePolicy(resourceARN, ref.Account, doc, s.now()); err != nil {
		return err
	}
	if bytes.Equal(before, doc) {
		return nil
	}
	return typ.Reached(tx.(store.Tx), ref)
}

// shareGrant is what a share grants on its resources of type typ.
func (s *Service) shareGrant(tx txn, org *orgInfo, share *store.RAMShare, typ *ResourceType) (grant, error) {
	g := grant{Share: share.ARN}
	tpl, err := s.sharePermission(tx, share.ARN, typ)
	if err != nil {
		return g, err
	}
	g.Actions, g.Condition = tpl.Actions, tpl.Condition
	principals, err := tx.ListRAMAssociations(store.RAMAssociationQuery{Type: store.RAMPrincipal, ShareARNs: []string{share.ARN},
		Status: store.RAMAssociated}, store.Page{})
	if err != nil {
		return g, err
	}
	if org.org != nil {
		g.OrgID = org.org.ID
	}
	for _, p := range principals {
		switch {
		case p.Kind == kindOrganization:
			g.Organization = g.OrgID != ""
		case p.Kind == kindOU:
			if g.OrgID == "" {
				continue
			}
			path, err := org.ouPath(tx, p.Entity[strings.LastIndex(p.Entity, "/")+1:])
			if errors.Is(err, store.ErrNotFound) {
				continue // the OU is gone: it reaches nobody
			}
			if err != nil {
				return g, err
			}
			g.OUPaths = append(g.OUPaths, path)
		case p.Kind == kindService:
		case p.Invite:
			accepted, err := s.accepted(tx, share.ARN, p.Entity)
			if err != nil {
				return g, err
			}
			if accepted {
				g.Direct = append(g.Direct, p.Entity)
			}
		case share.RetainOnLeave || g.OrgID == "":
			g.Direct = append(g.Direct, p.Entity)
		default:
			g.Members = append(g.Members, p.Entity)
		}
	}
	return g, nil
}

// accepted reports whether a principal of a share accepted its invitation.
func (s *Service) accepted(tx txn, shareARN, principal string) (bool, error) {
	invs, err := tx.ListRAMInvitations(store.RAMInvitationQuery{ShareARNs: []string{shareARN}, Principal: principal})
	if err != nil {
		return false, err
	}
	for _, i := range invs {
		if i.Status == "ACCEPTED" {
			return true, nil
		}
	}
	return false, nil
}

// sharePermission returns the template a share grants for a type: the permission
// associated for the type, or the type's default.
func (s *Service) sharePermission(tx txn, shareARN string, typ *ResourceType) (*template, error) {
	sps, err := tx.RAMSharePermissions(shareARN)
	if err != nil {
		return nil, err
	}
	for _, sp := range sps {
		if sp.ResourceType == typ.Name {
			return s.permissionTemplate(tx, sp.PermissionARN, sp.PermissionVersion, typ)
		}
	}
	return &template{Actions: typ.defaultPermission().Actions}, nil
}

// permissionTemplate reads one version of a permission's template.
func (s *Service) permissionTemplate(tx txn, permissionARN string, version int, typ *ResourceType) (*template, error) {
	if m, ok := s.types.managed[permissionARN]; ok {
		return &template{Actions: m.perm.Actions}, nil
	}
	v, err := tx.RAMPermissionVersion(permissionARN, version)
	if errors.Is(err, store.ErrNotFound) {
		return &template{}, nil // a deleted version grants nothing
	}
	if err != nil {
		return nil, err
	}
	tpl, perr := parseTemplate(v.Template, typ)
	if perr != nil {
		return nil, fmt.Errorf("stored template of %s version %d: %w", permissionARN, version, perr)
	}
	return tpl, nil
}

// settle completes an association's pending transition: ASSOCIATING becomes ASSOCIATED
// (a principal that must accept gets its invitation now), DISASSOCIATING becomes
// DISASSOCIATED.
func (s *Service) settle(tx txn, a *store.RAMAssociation, now time.Time, e *effects) error {
	switch a.Status {
	case store.RAMAssociating:
		a.Status = store.RAMAssociated
	case store.RAMDisassociating:
		a.Status = store.RAMDisassociated
	default:
		a.DueAt = time.Time{}
		return tx.PutRAMAssociation(a)
	}
	a.DueAt, a.UpdatedAt = time.Time{}, now
	if err := tx.PutRAMAssociation(a); err != nil {
		return err
	}
	switch {
	case a.Type == store.RAMResource:
		e.resource(a.Entity)
	case a.Type == store.RAMPrincipal:
		if a.Status == store.RAMAssociated && a.Invite {
			if err := s.invite(tx, a, now); err != nil {
				return err
			}
		}
		return e.share(tx, a.ShareARN)
	}
	return nil
}

// invite sends a principal of a share its invitation, unless it has one.
func (s *Service) invite(tx txn, a *store.RAMAssociation, now time.Time) error {
	invs, err := tx.ListRAMInvitations(store.RAMInvitationQuery{ShareARNs: []string{a.ShareARN}, Principal: a.Entity})
	if err != nil {
		return err
	}
	for _, i := range invs {
		if i.Status == "ACCEPTED" || i.Status == "PENDING" && !expired(i, now) {
			return nil
		}
	}
	id, err := s.newID()
	if err != nil {
		return err
	}
	inv := &store.RAMInvitation{ARN: s.invitationARN(a.OwnerAccount, id), ShareARN: a.ShareARN, SenderAccount: a.OwnerAccount,
		ReceiverAccount: a.Account, Principal: a.Entity, Status: "PENDING", CreatedAt: now, UpdatedAt: now}
	if a.Kind == kindRole || a.Kind == kindUser {
		inv.ReceiverARN = a.Entity
	}
	return tx.PutRAMInvitation(inv)
}

// expired reports whether a pending invitation went unanswered too long.
func expired(i *store.RAMInvitation, now time.Time) bool {
	return i.Status == "PENDING" && !now.Before(i.CreatedAt.Add(InvitationLifetime))
}

// invitationStatus is an invitation's status as clients see it, expiry included.
func invitationStatus(i *store.RAMInvitation, now time.Time) string {
	if expired(i, now) {
		return "EXPIRED"
	}
	return i.Status
}

// pend schedules an association's transition: at once when the service has no delay
// (the transition completes within the request), after the delay otherwise.
func (s *Service) pend(tx txn, a *store.RAMAssociation, now time.Time, e *effects) error {
	if s.delay == 0 {
		return s.settle(tx, a, now, e)
	}
	a.DueAt = now.Add(s.delay)
	return tx.PutRAMAssociation(a)
}

// completeDue settles every association and replacement due by now.
func (s *Service) completeDue(tx txn, now time.Time) error {
	e := newEffects()
	due, err := tx.DueRAMAssociations(now)
	if err != nil {
		return err
	}
	for _, a := range due {
		if err := s.settle(tx, a, now, e); err != nil {
			return err
		}
	}
	works, err := tx.DueRAMReplaceWork(now)
	if err != nil {
		return err
	}
	for _, w := range works {
		if err := s.replace(tx, w, now, e); err != nil {
			return err
		}
	}
	return s.apply(tx, e)
}
