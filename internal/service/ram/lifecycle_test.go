package ram_test

import (
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/service/ram"
)

// Invitations expire seven days after they are sent, on the service's clock.
func TestInvitationExpiry(t *testing.T) {
	cases := []struct {
		name   string
		after  time.Duration
		status string
		accept string // the code AcceptResourceShareInvitation answers, "" for success
	}{
		{"fresh", time.Minute, "PENDING", ""},
		{"just before", ram.InvitationLifetime - time.Second, "PENDING", ""},
		{"at expiry", ram.InvitationLifetime, "EXPIRED", "ResourceShareInvitationExpiredException"},
		{"long after", 30 * 24 * time.Hour, "EXPIRED", "ResourceShareInvitationExpiredException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, 0)
			f.share("s", consumer)
			f.clock.advance(tc.after)
			invs := f.invitations(consumer)
			if len(invs) != 1 || invs[0].Status != tc.status {
				t.Fatalf("invitations %+v, want one %s", invs, tc.status)
			}
			_, err := f.call(consumer, "AcceptResourceShareInvitation", &ram.InvitationInput{ResourceShareInvitationArn: invs[0].ResourceShareInvitationArn})
			if code(err) != tc.accept {
				t.Errorf("AcceptResourceShareInvitation: %v, want %q", err, tc.accept)
			}
		})
	}
}

// Pending associations complete when the worker's timer fires on the service's clock;
// the invitation follows the principal's association.
func TestAssociationsCompleteOnTheirTimer(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	share := f.share("s", consumer)
	if got := f.associationStatus(share, "PRINCIPAL"); got != "ASSOCIATING" {
		t.Fatalf("principal association %s, want ASSOCIATING", got)
	}
	if len(f.invitations(consumer)) != 0 {
		t.Fatal("invited before the association completed")
	}
	f.clock.advance(time.Second)
	if n := f.timers.fire(); n != 0 {
		t.Fatalf("%d timers fired a second early", n)
	}
	f.clock.advance(time.Second)
	if n := f.timers.fire(); n != 1 {
		t.Fatalf("%d timers fired when due, want 1", n)
	}
	if got := f.associationStatus(share, "PRINCIPAL"); got != "ASSOCIATED" {
		t.Errorf("principal association %s after the delay", got)
	}
	if got := f.associationStatus(share, "RESOURCE"); got != "ASSOCIATED" {
		t.Errorf("resource association %s after the delay", got)
	}
	if len(f.invitations(consumer)) != 1 {
		t.Error("no invitation once the association completed")
	}
}

// Work pending when the service stops completes when a new one starts on the same store:
// the store, not memory, holds the queue.
func TestPendingWorkResumesAfterRestart(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	share := f.share("s", consumer)
	f.svc.Close()
	f.clock.advance(5 * time.Second)
	f.start(2 * time.Second) // Start completes what fell due while stopped
	if got := f.associationStatus(share, "PRINCIPAL"); got != "ASSOCIATED" {
		t.Errorf("principal association %s after restart", got)
	}
	if len(f.invitations(consumer)) != 1 {
		t.Error("no invitation after restart")
	}
}

// A replacement of permissions waits for the delay too, and applies the default version
// of its target when it completes.
func TestReplacementCompletesLater(t *testing.T) {
	f := newFixture(t, time.Second)
	share := f.share("s", consumer)
	out := f.must(owner, "ReplacePermissionAssociations", &ram.ReplacePermissionAssociationsInput{
		FromPermissionArn: "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSageMakerPipeline",
		ToPermissionArn:   "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerPipelineAllowExecution"})
	work := out.(*ram.ReplacePermissionAssociationsOutput).ReplacePermissionAssociationsWork
	if work.Status != "IN_PROGRESS" {
		t.Fatalf("work %+v", work)
	}
	f.clock.advance(time.Second)
	f.timers.fire()
	list := f.must(owner, "ListReplacePermissionAssociationsWork", &ram.ListReplacePermissionAssociationsWorkInput{}).(*ram.ListReplacePermissionAssociationsWorkOutput)
	if len(list.ReplacePermissionAssociationsWorks) != 1 || list.ReplacePermissionAssociationsWorks[0].Status != "COMPLETED" {
		t.Fatalf("work after the delay: %+v", list)
	}
	perms := f.must(owner, "ListResourceSharePermissions", &ram.ListResourceSharePermissionsInput{ResourceShareArn: share}).(*ram.PermissionsOutput)
	if len(perms.Permissions) != 1 || perms.Permissions[0].Name != ram.PipelineExecutionPermission {
		t.Errorf("share permissions after the replacement: %+v", perms.Permissions)
	}
}
