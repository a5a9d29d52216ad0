package e2e

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
)

// Associations take time, as in AWS: ASSOCIATING first, ASSOCIATED after the configured
// delay, and the invitation appears only then. A removed principal loses its grant at
// once, though its association stays DISASSOCIATING for the delay.
func TestRAMAssociationDelay(t *testing.T) {
	yaml := `
accounts:
  - {name: owner, id: "111111111111"}
  - {name: consumer, id: "222222222222"}
ram:
  association_delay: 400ms
`
	c := start(t, startOptions{Config: yaml})
	ctx := context.Background()
	owner, consumer := ramFor(c, "owner"), ramFor(c, "consumer")
	pipeline := ramPipeline(t, c, "owner", "slow-pipe")
	share := ramShare(t, owner, "slow", []string{pipeline}, []string{ramConsumer}, nil)
	shareARN := aws.ToString(share.ResourceShareArn)
	for _, typ := range []ramtypes.ResourceShareAssociationType{ramtypes.ResourceShareAssociationTypePrincipal, ramtypes.ResourceShareAssociationTypeResource} {
		if got := associations(t, owner, shareARN, typ); len(got) != 1 || got[0][len(got[0])-len("ASSOCIATING"):] != "ASSOCIATING" {
			t.Fatalf("%s associations right after creation: %v", typ, got)
		}
	}
	invs, err := consumer.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{})
	if err != nil || len(invs.ResourceShareInvitations) != 0 {
		t.Fatalf("invitation before the association completed: %v %+v", err, invs)
	}
	waitAssociated(t, owner, shareARN, ramtypes.ResourceShareAssociationTypePrincipal, 10*time.Second)
	waitAssociated(t, owner, shareARN, ramtypes.ResourceShareAssociationTypeResource, 10*time.Second)
	inv := ramInvitation(t, consumer, shareARN)
	if _, err := consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn}); err != nil {
		t.Fatal(err)
	}
	if got := ramPolicies(t, owner, pipeline); len(got) != 1 {
		t.Fatalf("policy after accepting: %+v", got)
	}

	out, err := owner.DisassociateResourceShare(ctx, &ram.DisassociateResourceShareInput{ResourceShareArn: aws.String(shareARN), Principals: []string{ramConsumer}})
	if err != nil || len(out.ResourceShareAssociations) != 1 || out.ResourceShareAssociations[0].Status != ramtypes.ResourceShareAssociationStatusDisassociating {
		t.Fatalf("DisassociateResourceShare: %v %+v", err, out)
	}
	if got := ramPolicies(t, owner, pipeline); len(got) != 0 {
		t.Errorf("policy while the principal is disassociating: %+v", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := associations(t, owner, shareARN, ramtypes.ResourceShareAssociationTypePrincipal)
		if len(got) == 1 && got[0] == ramConsumer+" DISASSOCIATED" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("principal association still %v", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// An invitation left unanswered for seven days expires.
func TestRAMInvitationExpires(t *testing.T) {
	clk := &clock{}
	c := start(t, startOptions{Config: ramYAML, Clock: clk})
	ctx := context.Background()
	client := func(profile string) *ram.Client {
		return ram.NewFromConfig(withoutRetries(c.config(profile)), func(o *ram.Options) {
			o.HTTPSignerV4 = shiftedSigner{clock: clk, signer: v4.NewSigner()}
		})
	}
	owner, consumer := client("owner"), client("consumer")
	pipeline := ramPipeline(t, c, "owner", "expiring")
	share := ramShare(t, owner, "expiring", []string{pipeline}, []string{ramConsumer}, nil)
	inv := ramInvitation(t, consumer, aws.ToString(share.ResourceShareArn))

	clk.Advance(7*24*time.Hour - time.Minute)
	if got := ramInvitation(t, consumer, aws.ToString(share.ResourceShareArn)); got.Status != ramtypes.ResourceShareInvitationStatusPending {
		t.Fatalf("invitation a minute before expiry: %s", got.Status)
	}
	clk.Advance(2 * time.Minute)
	if got := ramInvitation(t, consumer, aws.ToString(share.ResourceShareArn)); got.Status != ramtypes.ResourceShareInvitationStatusExpired {
		t.Fatalf("invitation after seven days: %s", got.Status)
	}
	_, err := consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn})
	expectAPIError(t, err, 400, "ResourceShareInvitationExpiredException")
	_, err = consumer.ListPendingInvitationResources(ctx, &ram.ListPendingInvitationResourcesInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn})
	expectAPIError(t, err, 400, "ResourceShareInvitationExpiredException")
	if got := ramPolicies(t, owner, pipeline); len(got) != 0 {
		t.Errorf("policy of an expired invitation: %+v", got)
	}
}

// Killing the server (SIGKILL) while associations are pending loses nothing: the
// restarted server completes them, and the invitation appears.
func TestRAMAssociationSurvivesKill(t *testing.T) {
	bin := cairnBinary(t)
	dir := t.TempDir()
	cfgFile := filepath.Join(t.TempDir(), "cairn.yaml")
	yaml := "accounts:\n  - {name: owner, id: \"111111111111\"}\n  - {name: consumer, id: \"222222222222\"}\nram:\n  association_delay: 1500ms\n"
	if err := os.WriteFile(cfgFile, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	p := serveConfig(t, bin, dir, cfgFile)
	ctx := context.Background()
	owner := ram.NewFromConfig(withoutRetries(p.profile("owner")))
	share, err := owner.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("durable"),
		ResourceArns: []string{"arn:aws:sagemaker:us-east-1:111111111111:lineage-group/sagemaker-default-lineage-group"},
		Principals:   []string{ramConsumer}})
	if err != nil {
		t.Fatalf("CreateResourceShare: %v\n%s", err, p.log)
	}
	shareARN := aws.ToString(share.ResourceShare.ResourceShareArn)
	p.kill()

	p = serveConfig(t, bin, dir, cfgFile)
	owner = ram.NewFromConfig(withoutRetries(p.profile("owner")))
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := owner.GetResourceShareAssociations(ctx, &ram.GetResourceShareAssociationsInput{
			AssociationType: ramtypes.ResourceShareAssociationTypePrincipal, ResourceShareArns: []string{shareARN}})
		if err != nil {
			t.Fatalf("GetResourceShareAssociations after restart: %v", err)
		}
		if len(out.ResourceShareAssociations) == 1 && out.ResourceShareAssociations[0].Status == ramtypes.ResourceShareAssociationStatusAssociated {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("association after restart: %+v\n%s", out.ResourceShareAssociations, p.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	consumer := ram.NewFromConfig(withoutRetries(p.profile("consumer")))
	invs, err := consumer.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{ResourceShareArns: []string{shareARN}})
	if err != nil || len(invs.ResourceShareInvitations) != 1 {
		t.Fatalf("invitation after restart: %v %+v", err, invs)
	}
}

// serveConfig starts `cairn serve` on dir with a bootstrap file and waits until it
// answers.
func serveConfig(t *testing.T, bin, dir, cfgFile string) *process {
	t.Helper()
	p := &process{t: t, dir: dir, addr: freeAddr(t), log: &bytes.Buffer{}}
	p.cmd = exec.Command(bin, "serve", "--listen", p.addr, "--data-dir", dir, "--config", cfgFile, "--log-level", "warn")
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/_cairn/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("cairn serve did not come up: %v\n%s", err, p.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// profile loads the SDK config of one profile the server wrote.
func (p *process) profile(name string) aws.Config {
	p.t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedConfigFiles([]string{filepath.Join(p.dir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(p.dir, "credentials")}),
		config.WithSharedConfigProfile(name))
	if err != nil {
		p.t.Fatal(err)
	}
	cfg.BaseEndpoint = aws.String("http://" + p.addr)
	return cfg
}
