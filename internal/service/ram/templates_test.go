package ram

import (
	"testing"

	"github.com/cairnhq/cairn/internal/store"
)

func TestParseTemplate(t *testing.T) {
	typ := PipelineType("us-east-1", nil)
	cases := []struct {
		name    string
		doc     string
		actions []string
		code    string // the error's code, "" for none
	}{
		{"one action", `{"Effect":"Allow","Action":"sagemaker:DescribePipeline"}`, []string{"sagemaker:DescribePipeline"}, ""},
		{"a narrower list", `{"Effect":"Allow","Action":["sagemaker:DescribePipeline","sagemaker:StartPipelineExecution"]}`,
			[]string{"sagemaker:DescribePipeline", "sagemaker:StartPipelineExecution"}, ""},
		{"everything the type allows", managedTemplate(pipelineExecutionActions()), pipelineExecutionActions(), ""},
		{"case of actions ignored, duplicates dropped", `{"Effect":"allow","Action":["sagemaker:describepipeline","sagemaker:DescribePipeline"]}`,
			[]string{"sagemaker:describepipeline"}, ""},
		{"with a condition", `{"Effect":"Allow","Action":"sagemaker:DescribePipeline","Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"}}}`,
			[]string{"sagemaker:DescribePipeline"}, ""},
		{"an action the type does not allow", `{"Effect":"Allow","Action":["sagemaker:DescribePipeline","sagemaker:DeletePipeline"]}`, nil, "InvalidPolicyException"},
		{"another service", `{"Effect":"Allow","Action":"s3:GetObject"}`, nil, "InvalidPolicyException"},
		{"a wildcard", `{"Effect":"Allow","Action":"sagemaker:Describe*"}`, nil, "InvalidPolicyException"},
		{"NotAction", `{"Effect":"Allow","NotAction":"sagemaker:DeletePipeline"}`, nil, "InvalidPolicyException"},
		{"a reserved condition key", `{"Effect":"Allow","Action":"sagemaker:DescribePipeline","Condition":{"StringLike":{"aws:PrincipalOrgID":"*"}}}`,
			nil, "InvalidPolicyException"},
		{"Deny", `{"Effect":"Deny","Action":"sagemaker:DescribePipeline"}`, nil, "MalformedPolicyTemplateException"},
		{"a principal", `{"Effect":"Allow","Action":"sagemaker:DescribePipeline","Principal":"*"}`, nil, "MalformedPolicyTemplateException"},
		{"a resource", `{"Effect":"Allow","Action":"sagemaker:DescribePipeline","Resource":"*"}`, nil, "MalformedPolicyTemplateException"},
		{"no action", `{"Effect":"Allow","Action":[]}`, nil, "MalformedPolicyTemplateException"},
		{"an unknown element", `{"Effect":"Allow","Action":"sagemaker:DescribePipeline","Sid":"x"}`, nil, "MalformedPolicyTemplateException"},
		{"a bad condition operator", `{"Effect":"Allow","Action":"sagemaker:DescribePipeline","Condition":{"StringEqualz":{"aws:username":"x"}}}`,
			nil, "MalformedPolicyTemplateException"},
		{"not JSON", `Effect: Allow`, nil, "MalformedPolicyTemplateException"},
		{"two documents", `{"Effect":"Allow","Action":"sagemaker:DescribePipeline"}{}`, nil, "MalformedPolicyTemplateException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := parseTemplate(tc.doc, &typ)
			if tc.code != "" {
				if err == nil || err.Code != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(tpl.Actions) != len(tc.actions) {
				t.Fatalf("actions %v, want %v", tpl.Actions, tc.actions)
			}
			for i := range tc.actions {
				if tpl.Actions[i] != tc.actions[i] {
					t.Fatalf("actions %v, want %v", tpl.Actions, tc.actions)
				}
			}
		})
	}
}

// The managed permissions of a type never grant beyond what it allows, and each type has
// one default.
func TestManagedPermissionsNarrowTheirType(t *testing.T) {
	exists := func(store.Tx, Ref) (bool, error) { return true, nil }
	for _, typ := range []ResourceType{PipelineType("us-east-1", exists), LineageGroupType("us-east-1", exists)} {
		if err := typ.check(); err != nil {
			t.Errorf("%s: %v", typ.Name, err)
		}
		for _, p := range typ.Permissions {
			if _, err := parseTemplate(managedTemplate(p.Actions), &typ); err != nil {
				t.Errorf("%s: %v", p.Name, err)
			}
		}
	}
}
