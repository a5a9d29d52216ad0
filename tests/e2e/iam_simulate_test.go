package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// iamDecisions maps "action resource" to the decision of each evaluation result.
func iamDecisions(results []types.EvaluationResult) map[string]types.PolicyEvaluationDecisionType {
	out := map[string]types.PolicyEvaluationDecisionType{}
	for _, r := range results {
		out[aws.ToString(r.EvalActionName)+" "+aws.ToString(r.EvalResourceName)] = r.EvalDecision
	}
	return out
}

func TestIAMSimulateCustomPolicy(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()
	allow := `{"Version":"2012-10-17","Statement":[
		{"Sid":"ReadData","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},
		{"Sid":"PutTagged","Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"ml"}}}]}`
	deny := `{"Version":"2012-10-17","Statement":[{"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::data/secret/*"}]}`

	out := iamMust(cl.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{allow, deny},
		ActionNames:     []string{"s3:GetObject", "s3:DeleteObject"},
		ResourceArns:    []string{"arn:aws:s3:::data/a.csv", "arn:aws:s3:::data/secret/key"},
	}))(t)
	got := iamDecisions(out.EvaluationResults)
	want := map[string]types.PolicyEvaluationDecisionType{
		"s3:GetObject arn:aws:s3:::data/a.csv":         types.PolicyEvaluationDecisionTypeAllowed,
		"s3:GetObject arn:aws:s3:::data/secret/key":    types.PolicyEvaluationDecisionTypeExplicitDeny,
		"s3:DeleteObject arn:aws:s3:::data/a.csv":      types.PolicyEvaluationDecisionTypeImplicitDeny,
		"s3:DeleteObject arn:aws:s3:::data/secret/key": types.PolicyEvaluationDecisionTypeExplicitDeny,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	for _, r := range out.EvaluationResults {
		if aws.ToString(r.EvalActionName) == "s3:GetObject" && aws.ToString(r.EvalResourceName) == "arn:aws:s3:::data/a.csv" {
			if len(r.MatchedStatements) != 1 || aws.ToString(r.MatchedStatements[0].SourcePolicyId) != "PolicyInputList.1" {
				t.Errorf("matched statements %+v", r.MatchedStatements)
			}
		}
		if aws.ToString(r.EvalResourceName) == "arn:aws:s3:::data/secret/key" && aws.ToString(r.EvalActionName) == "s3:GetObject" {
			if len(r.MatchedStatements) == 0 || aws.ToString(r.MatchedStatements[len(r.MatchedStatements)-1].SourcePolicyId) != "PolicyInputList.2" {
				t.Errorf("deny statements %+v", r.MatchedStatements)
			}
		}
	}

	// Condition keys: missing → reported and implicitly denied; supplied → allowed.
	put := func(entries []types.ContextEntry) types.EvaluationResult {
		out := iamMust(cl.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
			PolicyInputList: []string{allow}, ActionNames: []string{"s3:PutObject"}, ContextEntries: entries}))(t)
		if len(out.EvaluationResults) != 1 {
			t.Fatalf("%d results", len(out.EvaluationResults))
		}
		return out.EvaluationResults[0]
	}
	r := put(nil)
	if r.EvalDecision != types.PolicyEvaluationDecisionTypeImplicitDeny || strings.Join(r.MissingContextValues, ",") != "aws:RequestTag/team" ||
		aws.ToString(r.EvalResourceName) != "*" {
		t.Errorf("without context: %s missing %v", r.EvalDecision, r.MissingContextValues)
	}
	r = put([]types.ContextEntry{{ContextKeyName: aws.String("aws:RequestTag/team"), ContextKeyValues: []string{"ml"}, ContextKeyType: types.ContextKeyTypeEnumString}})
	if r.EvalDecision != types.PolicyEvaluationDecisionTypeAllowed || len(r.MissingContextValues) != 0 {
		t.Errorf("with context: %s missing %v", r.EvalDecision, r.MissingContextValues)
	}

	// Boundaries narrow what identity policies allow.
	bout := iamMust(cl.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList:                    []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
		PermissionsBoundaryPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`},
		ActionNames:                        []string{"s3:GetObject", "iam:CreateUser"},
	}))(t)
	d := iamDecisions(bout.EvaluationResults)
	if d["s3:GetObject *"] != types.PolicyEvaluationDecisionTypeAllowed || d["iam:CreateUser *"] != types.PolicyEvaluationDecisionTypeImplicitDeny {
		t.Errorf("with boundary: %v", d)
	}
	for _, r := range bout.EvaluationResults {
		if r.PermissionsBoundaryDecisionDetail == nil || r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary != (aws.ToString(r.EvalActionName) == "s3:GetObject") {
			t.Errorf("%s boundary detail %+v", aws.ToString(r.EvalActionName), r.PermissionsBoundaryDecisionDetail)
		}
	}

	// Paging through results.
	page := iamMust(cl.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allow},
		ActionNames: []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket"}, MaxItems: aws.Int32(2)}))(t)
	if len(page.EvaluationResults) != 2 || !page.IsTruncated {
		t.Fatalf("first page: %d results", len(page.EvaluationResults))
	}
	rest := iamMust(cl.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allow},
		ActionNames: []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket"}, Marker: page.Marker}))(t)
	if len(rest.EvaluationResults) != 1 || aws.ToString(rest.EvaluationResults[0].EvalActionName) != "s3:ListBucket" {
		t.Errorf("second page %+v", rest.EvaluationResults)
	}

	_, err := cl.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Statement":[]`}, ActionNames: []string{"s3:GetObject"}})
	iamWantError(t, err, 400, "MalformedPolicyDocument", "")
}

func TestIAMSimulatePrincipalPolicy(t *testing.T) {
	c := start(t, startOptions{})
	cl := iamClient(c, "management")
	ctx := context.Background()

	// A user whose rights come from a group's managed policy, capped by a boundary.
	iamMust(cl.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("analyst"),
		PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")}))(t)
	iamMust(cl.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("data")}))(t)
	iamMust(cl.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("data"), UserName: aws.String("analyst")}))(t)
	iamMust(cl.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("data"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonS3FullAccess")}))(t)
	iamMust(cl.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("analyst"), PolicyName: aws.String("no-raw"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::raw/*"}]}`)}))(t)

	out := iamMust(cl.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::000000000000:user/analyst"),
		ActionNames:     []string{"s3:GetObject", "s3:PutObject", "sagemaker:CreatePipeline"},
		ResourceArns:    []string{"arn:aws:s3:::curated/x", "arn:aws:s3:::raw/x"},
	}))(t)
	got := iamDecisions(out.EvaluationResults)
	want := map[string]types.PolicyEvaluationDecisionType{
		"s3:GetObject arn:aws:s3:::curated/x":             types.PolicyEvaluationDecisionTypeAllowed,
		"s3:GetObject arn:aws:s3:::raw/x":                 types.PolicyEvaluationDecisionTypeExplicitDeny,
		"s3:PutObject arn:aws:s3:::curated/x":             types.PolicyEvaluationDecisionTypeImplicitDeny, // the boundary
		"sagemaker:CreatePipeline arn:aws:s3:::curated/x": types.PolicyEvaluationDecisionTypeImplicitDeny,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	for _, r := range out.EvaluationResults {
		if aws.ToString(r.EvalActionName) == "s3:GetObject" && aws.ToString(r.EvalResourceName) == "arn:aws:s3:::curated/x" {
			if len(r.MatchedStatements) == 0 || aws.ToString(r.MatchedStatements[0].SourcePolicyId) != "AmazonS3FullAccess" ||
				r.MatchedStatements[0].SourcePolicyType != types.PolicySourceTypeAwsManaged {
				t.Errorf("matched %+v", r.MatchedStatements)
			}
		}
	}

	// A role with an inline policy; added input policies count too.
	iamMust(cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("runner"), AssumeRolePolicyDocument: aws.String(iamSageMakerTrust)}))(t)
	iamMust(cl.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("runner"), PolicyName: aws.String("pipelines"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:*Pipeline*","Resource":"*"}]}`)}))(t)
	rout := iamMust(cl.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::000000000000:role/runner"),
		ActionNames:     []string{"sagemaker:StartPipelineExecution", "s3:GetObject", "iam:GetRole"},
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}]}`},
	}))(t)
	rd := iamDecisions(rout.EvaluationResults)
	if rd["sagemaker:StartPipelineExecution *"] != types.PolicyEvaluationDecisionTypeAllowed ||
		rd["s3:GetObject *"] != types.PolicyEvaluationDecisionTypeImplicitDeny || rd["iam:GetRole *"] != types.PolicyEvaluationDecisionTypeAllowed {
		t.Errorf("role decisions %v", rd)
	}
	for _, r := range rout.EvaluationResults {
		if aws.ToString(r.EvalActionName) == "sagemaker:StartPipelineExecution" &&
			(len(r.MatchedStatements) != 1 || aws.ToString(r.MatchedStatements[0].SourcePolicyId) != "pipelines" || r.MatchedStatements[0].SourcePolicyType != types.PolicySourceTypeRole) {
			t.Errorf("role matched %+v", r.MatchedStatements)
		}
	}

	// A group's own policies.
	gout := iamMust(cl.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::000000000000:group/data"), ActionNames: []string{"s3:PutObject"}}))(t)
	if gout.EvaluationResults[0].EvalDecision != types.PolicyEvaluationDecisionTypeAllowed {
		t.Errorf("group decision %s", gout.EvaluationResults[0].EvalDecision)
	}

	// A resource policy naming the user grants what identity policies leave out.
	res := iamMust(cl.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::000000000000:role/runner"),
		CallerArn:       aws.String("arn:aws:iam::000000000000:user/analyst"),
		ActionNames:     []string{"sqs:SendMessage"},
		ResourceArns:    []string{"arn:aws:sqs:us-east-1:000000000000:q"},
		ResourcePolicy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/analyst"},
			"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:q"}]}`),
	}))(t)
	if r := res.EvaluationResults[0]; r.EvalDecision != types.PolicyEvaluationDecisionTypeAllowed {
		t.Errorf("resource policy decision %s %+v", r.EvalDecision, r.MatchedStatements)
	}

	_, err := cl.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::000000000000:user/nobody"), ActionNames: []string{"s3:GetObject"}})
	iamWantError(t, err, 404, "NoSuchEntity", "")
	_, err = cl.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:s3:::bucket-not-a-principal"), ActionNames: []string{"s3:GetObject"}})
	iamWantError(t, err, 400, "InvalidInput", "")
}
