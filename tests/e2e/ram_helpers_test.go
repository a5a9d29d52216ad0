package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// ramYAML declares three member accounts besides the management account and makes RAM
// associations complete within the request.
const ramYAML = `
accounts:
  - {name: owner, id: "111111111111"}
  - {name: consumer, id: "222222222222"}
  - {name: third, id: "333333333333"}
ram:
  association_delay: 0s
`

// The accounts of ramYAML.
const (
	ramOwner    = "111111111111"
	ramConsumer = "222222222222"
	ramThird    = "333333333333"
)

// The managed permissions of the pipeline type.
const (
	pipelineReadARN = "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSageMakerPipeline"
	pipelineExecARN = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerPipelineAllowExecution"
)

// ramFor returns a RAM client of a profile that reports the first answer.
func ramFor(c *cairn, profile string) *ram.Client {
	return ram.NewFromConfig(withoutRetries(c.config(profile)))
}

// ramPipeline creates a pipeline in profile's account and returns its ARN.
func ramPipeline(t *testing.T, c *cairn, profile, name string) string {
	t.Helper()
	ctx := context.Background()
	cfg := c.config(profile)
	role := name + "-exec"
	out, err := iam.NewFromConfig(cfg).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(role), AssumeRolePolicyDocument: aws.String(sagemakerTrust)})
	if err != nil {
		t.Fatalf("CreateRole %s: %v", role, err)
	}
	p, err := sagemaker.NewFromConfig(cfg).CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String(name),
		RoleArn: out.Role.Arn, PipelineDefinition: aws.String(failOnly), ClientRequestToken: aws.String(token(t, name))})
	if err != nil {
		t.Fatalf("CreatePipeline %s: %v", name, err)
	}
	return aws.ToString(p.PipelineArn)
}

// ramShare creates a share of resources with principals (and permissions) as owner.
func ramShare(t *testing.T, client *ram.Client, name string, resources, principals, permissions []string) *ramtypes.ResourceShare {
	t.Helper()
	out, err := client.CreateResourceShare(context.Background(), &ram.CreateResourceShareInput{Name: aws.String(name),
		ResourceArns: resources, Principals: principals, PermissionArns: permissions})
	if err != nil {
		t.Fatalf("CreateResourceShare %s: %v", name, err)
	}
	return out.ResourceShare
}

// ramInvitation returns the one invitation of a share that account received.
func ramInvitation(t *testing.T, client *ram.Client, shareARN string) ramtypes.ResourceShareInvitation {
	t.Helper()
	out, err := client.GetResourceShareInvitations(context.Background(), &ram.GetResourceShareInvitationsInput{ResourceShareArns: []string{shareARN}})
	if err != nil {
		t.Fatalf("GetResourceShareInvitations: %v", err)
	}
	if len(out.ResourceShareInvitations) != 1 {
		t.Fatalf("%d invitations for %s, want 1: %+v", len(out.ResourceShareInvitations), shareARN, out.ResourceShareInvitations)
	}
	return out.ResourceShareInvitations[0]
}

// ramPolicy is a policy RAM attached, decoded.
type ramPolicy struct {
	Version   string
	Statement []struct {
		Sid       string
		Effect    string
		Principal map[string]any
		Action    []string
		Resource  []string
		Condition map[string]map[string]any
	}
}

// ramPolicies reads the policies RAM attached to resources, as the owner.
func ramPolicies(t *testing.T, client *ram.Client, resources ...string) []ramPolicy {
	t.Helper()
	out, err := client.GetResourcePolicies(context.Background(), &ram.GetResourcePoliciesInput{ResourceArns: resources})
	if err != nil {
		t.Fatalf("GetResourcePolicies: %v", err)
	}
	var policies []ramPolicy
	for _, doc := range out.Policies {
		var p ramPolicy
		if err := json.Unmarshal([]byte(doc), &p); err != nil {
			t.Fatalf("policy %s: %v", doc, err)
		}
		policies = append(policies, p)
	}
	return policies
}

// grants lists "<principal> <action>" for every principal and action a policy allows.
func (p ramPolicy) grants() []string {
	var out []string
	for _, st := range p.Statement {
		var principals []string
		switch v := st.Principal["AWS"].(type) {
		case string:
			principals = []string{v}
		case []any:
			for _, x := range v {
				principals = append(principals, x.(string))
			}
		}
		for _, pr := range principals {
			for _, a := range st.Action {
				out = append(out, pr+" "+a)
			}
		}
	}
	return out
}

// allows reports whether the policy names principal with action.
func (p ramPolicy) allows(principal, action string) bool {
	for _, g := range p.grants() {
		if g == principal+" "+action {
			return true
		}
	}
	return false
}

// associations lists the associations of a share of one type, as "<entity> <status>".
func associations(t *testing.T, client *ram.Client, shareARN string, typ ramtypes.ResourceShareAssociationType) []string {
	t.Helper()
	out, err := client.GetResourceShareAssociations(context.Background(), &ram.GetResourceShareAssociationsInput{
		AssociationType: typ, ResourceShareArns: []string{shareARN}})
	if err != nil {
		t.Fatalf("GetResourceShareAssociations: %v", err)
	}
	var list []string
	for _, a := range out.ResourceShareAssociations {
		list = append(list, aws.ToString(a.AssociatedEntity)+" "+string(a.Status))
	}
	return list
}

// waitAssociated polls a share's associations of one type until all are ASSOCIATED.
func waitAssociated(t *testing.T, client *ram.Client, shareARN string, typ ramtypes.ResourceShareAssociationType, timeout time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		list := associations(t, client, shareARN, typ)
		done := len(list) > 0
		for _, a := range list {
			done = done && strings.HasSuffix(a, " ASSOCIATED")
		}
		if done {
			return list
		}
		if time.Now().After(deadline) {
			t.Fatalf("associations of %s still %v after %s", shareARN, list, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ramUser creates an IAM user with an inline policy in profile's account and returns a
// RAM client signing as it.
func ramUser(t *testing.T, c *cairn, profile, name, policy string) *ram.Client {
	t.Helper()
	ctx := context.Background()
	cfg := c.config(profile)
	admin := iam.NewFromConfig(cfg)
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(policy)}); err != nil {
		t.Fatalf("PutUserPolicy %s: %v", name, err)
	}
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateAccessKey %s: %v", name, err)
	}
	return ram.NewFromConfig(withoutRetries(withKeys(cfg, aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")))
}
