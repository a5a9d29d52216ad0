package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// Revocation holds from the next request, each way a share can stop granting — a principal
// or a resource disassociated, the share deleted, its permission replaced — even while the
// association is still DISASSOCIATING.
func TestCrossAccountRevocation(t *testing.T) {
	c := start(t, startOptions{Config: strings.Replace(ramYAML, "association_delay: 0s", "association_delay: 1s", 1)})
	ctx := context.Background()
	ownerRAM, consumerRAM, consumer := ramFor(c, "owner"), ramFor(c, "consumer"), smFor(c, "consumer")
	kinds := []string{"principal", "resource", "delete", "permission"}
	pipelines, shares := map[string]string{}, map[string]string{}
	for _, k := range kinds {
		pipelines[k] = ramPipeline(t, c, "owner", "rev-"+k)
		shares[k] = aws.ToString(ramShare(t, ownerRAM, "rev-"+k, []string{pipelines[k]}, []string{ramConsumer}, []string{pipelineExecARN}).ResourceShareArn)
	}
	for _, k := range kinds {
		waitAssociated(t, ownerRAM, shares[k], ramtypes.ResourceShareAssociationTypePrincipal, 10*time.Second)
		waitAssociated(t, ownerRAM, shares[k], ramtypes.ResourceShareAssociationTypeResource, 10*time.Second)
		acceptInvitation(t, consumerRAM, shares[k])
	}
	startIt := func(k, suffix string) error {
		_, err := consumer.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String(pipelines[k]),
			ClientRequestToken: aws.String(token(t, k+"-"+suffix))})
		return err
	}
	for _, k := range kinds {
		if err := startIt(k, "before"); err != nil {
			t.Fatalf("%s: start before revocation: %v", k, err)
		}
	}

	revoke := map[string]func() error{
		"principal": func() error {
			_, err := ownerRAM.DisassociateResourceShare(ctx, &ram.DisassociateResourceShareInput{ResourceShareArn: aws.String(shares["principal"]), Principals: []string{ramConsumer}})
			return err
		},
		"resource": func() error {
			_, err := ownerRAM.DisassociateResourceShare(ctx, &ram.DisassociateResourceShareInput{ResourceShareArn: aws.String(shares["resource"]), ResourceArns: []string{pipelines["resource"]}})
			return err
		},
		"delete": func() error {
			_, err := ownerRAM.DeleteResourceShare(ctx, &ram.DeleteResourceShareInput{ResourceShareArn: aws.String(shares["delete"])})
			return err
		},
		"permission": func() error {
			_, err := ownerRAM.AssociateResourceSharePermission(ctx, &ram.AssociateResourceSharePermissionInput{ResourceShareArn: aws.String(shares["permission"]),
				PermissionArn: aws.String(pipelineReadARN), Replace: aws.Bool(true)})
			return err
		},
	}
	for _, k := range kinds {
		if err := revoke[k](); err != nil {
			t.Fatalf("revoke %s: %v", k, err)
		}
		expectAPIError(t, startIt(k, "after"), 400, "AccessDeniedException")
		_, err := consumer.DescribePipeline(ctx, &sagemaker.DescribePipelineInput{PipelineName: aws.String(pipelines[k])})
		if k == "permission" {
			if err != nil {
				t.Errorf("read-only after replacing the permission: %v", err)
			}
		} else {
			expectAPIError(t, err, 400, "AccessDeniedException")
		}
	}
	// The association still winds down while it no longer grants.
	typ := ramtypes.ResourceShareAssociationTypePrincipal
	if got := associations(t, ownerRAM, shares["principal"], typ); len(got) != 1 || !strings.HasSuffix(got[0], " DISASSOCIATING") {
		t.Logf("principal association right after revocation: %v (the delay may have passed on a slow machine)", got)
	}
}
