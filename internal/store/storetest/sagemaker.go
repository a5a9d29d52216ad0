package storetest

import (
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// sageMakerARN is the ARN of a SageMaker resource of acct, named in lower case as
// SageMaker's ARNs are.
func sageMakerARN(account, kind, name string) string {
	return "arn:aws:sagemaker:us-east-1:" + account + ":" + kind + "/" + strings.ToLower(name)
}

func sageMakerTests() []test {
	return []test{
		{"Pipelines", []string{"Pipeline", "PipelineSummary", "PipelineByToken", "ListPipelines", "ListPipelinePage", "CreatePipeline", "UpdatePipeline",
			"DeletePipeline"}, testPipelines},
		{"PipelineExecutions", []string{"PipelineExecution", "PipelineExecutionByToken", "ListPipelineExecutions", "ListPipelineExecutionPage",
			"CreatePipelineExecution", "UpdatePipelineExecution"}, testPipelineExecutions},
		{"ExecutionSteps", []string{"ExecutionSteps", "PutExecutionStep", "ExecutionStepByJob"}, testExecutionSteps},
		{"Jobs", []string{"Job", "ListJobs", "CreateJob", "UpdateJob"}, testJobs},
		{"Models", []string{"Model", "ListModels", "CreateModel", "DeleteModel"}, testModels},
		{"ModelPackageGroups", []string{"ModelPackageGroup", "ListModelPackageGroups", "CreateModelPackageGroup",
			"UpdateModelPackageGroup", "DeleteModelPackageGroup"}, testModelPackageGroups},
		{"ModelPackageGroupPolicies", []string{"ModelPackageGroupPolicy", "PutModelPackageGroupPolicy",
			"DeleteModelPackageGroupPolicy"}, testModelPackageGroupPolicies},
		{"ModelPackages", []string{"ModelPackage", "ModelPackageByToken", "ListModelPackages", "CreateModelPackage",
			"UpdateModelPackage", "DeleteModelPackage"}, testModelPackages},
	}
}

func pipeline(account, name string, created int) *store.Pipeline {
	return &store.Pipeline{AccountID: account, Name: name, ARN: sageMakerARN(account, "pipeline", name), DisplayName: name + " display",
		Description: "about " + name, RoleARN: "arn:aws:iam::" + account + ":role/Worker", Definition: `{"Steps":[]}`, Status: "Active",
		MaxParallelSteps: 2, Version: 1, ClientRequestToken: "token-" + name, CreatedBy: "arn:aws:iam::" + account + ":user/u",
		LastModifiedBy: "arn:aws:iam::" + account + ":user/u", CreatedAt: at(created), LastModifiedAt: at(created)}
}

func testPipelines(h *h) {
	train := pipeline(acct, "Train", 2)
	prep := pipeline(acct, "prep", 1)
	same := pipeline(acct, "zeta", 2) // created at the same instant as Train: the name breaks the tie
	other := pipeline(acct2, "train", 3)
	h.update(func(tx store.Tx) error {
		for _, p := range []*store.Pipeline{train, prep, same, other} {
			if err := tx.CreatePipeline(p); err != nil {
				return err
			}
		}
		return tx.SetTags(train.ARN, []store.Tag{{Key: "k", Value: "v"}})
	})
	h.is("a pipeline name taken, differing only in case", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreatePipeline(pipeline(acct, "TRAIN", 4))
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		p, err := tx.Pipeline(acct, "train")
		h.is("Pipeline without case", err, nil)
		h.equal("Pipeline", p, train)
		_, err = tx.Pipeline(acct, "nope")
		h.is("missing Pipeline", err, store.ErrNotFound)
		p, err = tx.PipelineSummary(acct, "TRAIN")
		h.is("PipelineSummary without case", err, nil)
		withoutDefinition := *train
		withoutDefinition.Definition = ""
		h.equal("PipelineSummary", p, &withoutDefinition)
		_, err = tx.PipelineSummary(acct, "nope")
		h.is("missing PipelineSummary", err, store.ErrNotFound)
		p, err = tx.PipelineByToken(acct, "token-prep")
		h.is("PipelineByToken", err, nil)
		h.equal("PipelineByToken", p, prep)
		_, err = tx.PipelineByToken(acct2, "token-prep")
		h.is("PipelineByToken of another account", err, store.ErrNotFound)
		summary := func(ps ...*store.Pipeline) []*store.Pipeline {
			var out []*store.Pipeline
			for _, p := range ps {
				s := *p
				s.Definition = ""
				out = append(out, &s)
			}
			return out
		}
		list, err := tx.ListPipelines(acct)
		h.is("ListPipelines", err, nil)
		h.equal("ListPipelines oldest first, ties by name, without definitions", list, summary(prep, train, same))
		for _, tc := range []struct {
			what string
			q    store.PipelinePage
			want []*store.Pipeline
		}{
			{"oldest first, ties by name, without definitions", store.PipelinePage{Limit: 10}, summary(prep, train, same)},
			{"newest first, ties by name reversed", store.PipelinePage{Descending: true, Limit: 10}, summary(same, train, prep)},
			{"a page", store.PipelinePage{Offset: 1, Limit: 1}, summary(train)},
			{"past the end", store.PipelinePage{Offset: 3, Limit: 10}, nil},
			{"by name (bytes: upper case first)", store.PipelinePage{ByName: true, Limit: 10}, summary(train, prep, same)},
			{"by name, descending", store.PipelinePage{ByName: true, Descending: true, Limit: 2}, summary(same, prep)},
			{"a name prefix, case counting", store.PipelinePage{NamePrefix: "Tr", Limit: 10}, summary(train)},
			{"a name prefix in another case", store.PipelinePage{NamePrefix: "tr", Limit: 10}, nil},
			{"created after, excluded", store.PipelinePage{CreatedAfter: at(1), Limit: 10}, summary(train, same)},
			{"created before, excluded", store.PipelinePage{CreatedBefore: at(2), Limit: 10}, summary(prep)},
		} {
			q := tc.q
			q.AccountID = acct
			page, err := tx.ListPipelinePage(q)
			h.is("ListPipelinePage "+tc.what, err, nil)
			h.equal("ListPipelinePage "+tc.what, page, tc.want)
		}
		return nil
	})
	updated := *train
	updated.DisplayName, updated.Description, updated.Definition, updated.Version = "new", "newer", `{"Steps":[{}]}`, 2
	updated.LastModifiedAt, updated.LastRunAt, updated.Status = at(9), at(8), "Deleting"
	h.update(func(tx store.Tx) error {
		up := updated
		up.Name = "TRAIN" // found without case
		return tx.UpdatePipeline(&up)
	})
	h.view(func(tx store.Tx) error {
		p, _ := tx.Pipeline(acct, "Train")
		h.equal("updated Pipeline", p, &updated)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeletePipeline(acct, "TRAIN") })
	h.view(func(tx store.Tx) error {
		_, err := tx.Pipeline(acct, "Train")
		h.is("deleted Pipeline", err, store.ErrNotFound)
		tags, _ := tx.Tags(train.ARN)
		h.equal("tags of a deleted pipeline", len(tags), 0)
		p, _ := tx.Pipeline(acct2, "train")
		h.equal("the other account's pipeline of the name", p, other)
		return nil
	})
	h.is("DeletePipeline of a missing pipeline", h.tryUpdate(func(tx store.Tx) error { return tx.DeletePipeline(acct, "train") }), store.ErrNotFound)
}

func execution(p *store.Pipeline, id, status string, created int) *store.PipelineExecution {
	return &store.PipelineExecution{ARN: p.ARN + "/execution/" + id, ID: id, AccountID: p.AccountID, PipelineName: p.Name,
		PipelineARN: p.ARN, PipelineVersion: p.Version, DisplayName: "run " + id, Description: "d", Status: status,
		Definition: p.Definition, Parameters: []store.Parameter{{Name: "Epochs", Value: "3"}, {Name: "Input", Value: "s3://b/k"}},
		RoleARN: p.RoleARN, MaxParallelSteps: 1, ClientRequestToken: "tok-" + id, ExperimentName: "exp", TrialName: "trial",
		CreatedBy: p.CreatedBy, CreatedAt: at(created), LastModifiedAt: at(created)}
}

func testPipelineExecutions(h *h) {
	train, prep := pipeline(acct, "train", 1), pipeline(acct2, "prep", 1)
	e1 := execution(train, "aaaaaaaaaaa1", "Succeeded", 3)
	e2 := execution(train, "aaaaaaaaaaa2", "Executing", 2)
	e3 := execution(prep, "bbbbbbbbbbb1", "Executing", 4)
	e4 := execution(train, "aaaaaaaaaaa0", "Failed", 3)
	h.update(func(tx store.Tx) error {
		h.must("CreatePipeline", tx.CreatePipeline(train))
		h.must("CreatePipeline", tx.CreatePipeline(prep))
		for _, e := range []*store.PipelineExecution{e1, e2, e3, e4} {
			if err := tx.CreatePipelineExecution(e); err != nil {
				return err
			}
		}
		return nil
	})
	h.is("an execution ARN taken", h.tryUpdate(func(tx store.Tx) error { return tx.CreatePipelineExecution(e1) }), store.ErrExists)
	h.view(func(tx store.Tx) error {
		e, err := tx.PipelineExecution(e1.ARN)
		h.is("PipelineExecution", err, nil)
		h.equal("PipelineExecution", e, e1)
		_, err = tx.PipelineExecution(train.ARN + "/execution/none")
		h.is("missing PipelineExecution", err, store.ErrNotFound)
		e, err = tx.PipelineExecutionByToken(train.ARN, "tok-aaaaaaaaaaa2")
		h.is("PipelineExecutionByToken", err, nil)
		h.equal("PipelineExecutionByToken", e, e2)
		_, err = tx.PipelineExecutionByToken(prep.ARN, "tok-aaaaaaaaaaa2")
		h.is("PipelineExecutionByToken of another pipeline", err, store.ErrNotFound)
		list, err := tx.ListPipelineExecutions(train.ARN)
		h.is("ListPipelineExecutions", err, nil)
		h.equal("executions of a pipeline, oldest first, ties by ARN", list, []*store.PipelineExecution{e2, e4, e1})
		summary := func(es ...*store.PipelineExecution) []*store.PipelineExecution {
			var out []*store.PipelineExecution
			for _, e := range es {
				s := *e
				s.Definition, s.Parameters = "", nil
				out = append(out, &s)
			}
			return out
		}
		for _, tc := range []struct {
			what string
			q    store.ExecutionPage
			want []*store.PipelineExecution
		}{
			{"oldest first, ties by ARN, without definition or parameters", store.ExecutionPage{Limit: 10}, summary(e2, e4, e1)},
			{"newest first, ties by ARN reversed", store.ExecutionPage{Descending: true, Limit: 10}, summary(e1, e4, e2)},
			{"a page", store.ExecutionPage{Descending: true, Offset: 1, Limit: 1}, summary(e4)},
			{"past the end", store.ExecutionPage{Offset: 3, Limit: 10}, nil},
			{"by ARN", store.ExecutionPage{ByARN: true, Limit: 10}, summary(e4, e1, e2)},
			{"by ARN, descending", store.ExecutionPage{ByARN: true, Descending: true, Limit: 2}, summary(e2, e1)},
			{"created after, excluded", store.ExecutionPage{CreatedAfter: at(2), Limit: 10}, summary(e4, e1)},
			{"created before, excluded", store.ExecutionPage{CreatedBefore: at(3), Limit: 10}, summary(e2)},
			{"created between", store.ExecutionPage{CreatedAfter: at(1), CreatedBefore: at(4), Descending: true, Limit: 10}, summary(e1, e4, e2)},
		} {
			q := tc.q
			q.PipelineARN = train.ARN
			page, err := tx.ListPipelineExecutionPage(q)
			h.is("ListPipelineExecutionPage "+tc.what, err, nil)
			h.equal("ListPipelineExecutionPage "+tc.what, page, tc.want)
		}
		list, _ = tx.ListPipelineExecutions(train.ARN, "Succeeded", "Failed")
		h.equal("executions of a pipeline with statuses", list, []*store.PipelineExecution{e4, e1})
		list, _ = tx.ListPipelineExecutions("", "Executing")
		h.equal("executing executions of every account", list, []*store.PipelineExecution{e2, e3})
		return nil
	})
	updated := *e2
	updated.Status, updated.FailureReason, updated.DisplayName, updated.Description = "Failed", "step failed", "renamed", "described"
	updated.MaxParallelSteps, updated.ExperimentName, updated.TrialName, updated.LastModifiedAt = 4, "exp2", "trial2", at(10)
	h.update(func(tx store.Tx) error { return tx.UpdatePipelineExecution(&updated) })
	h.view(func(tx store.Tx) error {
		e, _ := tx.PipelineExecution(e2.ARN)
		h.equal("updated PipelineExecution", e, &updated)
		list, _ := tx.ListPipelineExecutions("", "Executing")
		h.equal("executing executions after one failed", list, []*store.PipelineExecution{e3})
		return nil
	})
}

func testExecutionSteps(h *h) {
	const exec1 = "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/e1"
	const exec2 = "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/e2"
	const jobARN = "arn:aws:sagemaker:us-east-1:111111111111:training-job/j"
	step := func(exec, name string, order int) *store.ExecutionStep {
		return &store.ExecutionStep{ExecutionARN: exec, Name: name, Type: "Training", DisplayName: name + "!", Description: "d",
			Status: "Starting", Metadata: "{}", Properties: "{}", Order: order}
	}
	train, eval, cond := step(exec1, "Train", 0), step(exec1, "Eval", 1), step(exec1, "Check", 2)
	h.update(func(tx store.Tx) error {
		for _, s := range []*store.ExecutionStep{cond, train, eval} {
			if err := tx.PutExecutionStep(s); err != nil {
				return err
			}
		}
		return tx.PutExecutionStep(step(exec2, "Train", 0))
	})
	h.view(func(tx store.Tx) error {
		steps, err := tx.ExecutionSteps(exec1)
		h.is("ExecutionSteps", err, nil)
		h.equal("ExecutionSteps in definition order", steps, []*store.ExecutionStep{train, eval, cond})
		steps, _ = tx.ExecutionSteps("arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/none")
		h.equal("ExecutionSteps of an execution without steps", len(steps), 0)
		_, err = tx.ExecutionStepByJob(jobARN)
		h.is("ExecutionStepByJob of a job no step launched", err, store.ErrNotFound)
		return nil
	})
	// Putting a step again records its progress.
	running := *train
	running.Status, running.FailureReason, running.Metadata, running.Properties = "Executing", "", `{"TrainingJob":{}}`, `{"a":1}`
	running.AttemptCount, running.JobName, running.JobARN, running.StartedAt = 1, "j", jobARN, at(1)
	retried := *step(exec2, "Train", 0)
	retried.Status, retried.JobName, retried.JobARN, retried.StartedAt, retried.EndedAt = "Failed", "j", jobARN, at(5), at(6)
	retried.FailureReason, retried.AttemptCount = "exit 1", 2
	h.update(func(tx store.Tx) error {
		h.must("PutExecutionStep", tx.PutExecutionStep(&running))
		return tx.PutExecutionStep(&retried)
	})
	h.view(func(tx store.Tx) error {
		steps, _ := tx.ExecutionSteps(exec1)
		h.equal("ExecutionSteps after progress", steps, []*store.ExecutionStep{&running, eval, cond})
		s, err := tx.ExecutionStepByJob(jobARN)
		h.is("ExecutionStepByJob", err, nil)
		h.equal("ExecutionStepByJob, the step that started last", s, &retried)
		return nil
	})
}

func job(account, kind, name, status string, created int) *store.Job {
	return &store.Job{AccountID: account, Kind: kind, Name: name, ARN: sageMakerARN(account, kind, name), Request: `{"name":"` + name + `"}`,
		Status: status, RoleARN: "arn:aws:iam::" + account + ":role/Worker", CreatedAt: at(created), LastModifiedAt: at(created)}
}

func testJobs(h *h) {
	fit := job(acct, "training-job", "Fit-1", "InProgress", 2)
	fit2 := job(acct, "training-job", "fit-2", "Completed", 1)
	wild := job(acct, "training-job", "x_1%", "Stopping", 3)
	prep := job(acct, "processing-job", "fit-1", "Completed", 1) // another kind may take the name
	far := job(acct2, "training-job", "fit-9", "InProgress", 4)
	h.update(func(tx store.Tx) error {
		for _, j := range []*store.Job{fit, fit2, wild, prep, far} {
			if err := tx.CreateJob(j); err != nil {
				return err
			}
		}
		return nil
	})
	h.is("a job name taken in its kind, differing only in case", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateJob(job(acct, "training-job", "FIT-1", "InProgress", 5))
	}), store.ErrExists)
	names := func(js []*store.Job) []string {
		var out []string
		for _, j := range js {
			out = append(out, j.AccountID[:1]+"/"+j.Kind[:1]+"/"+j.Name)
		}
		return out
	}
	h.view(func(tx store.Tx) error {
		j, err := tx.Job(acct, "training-job", "FIT-1")
		h.is("Job without case", err, nil)
		h.equal("Job", j, fit)
		_, err = tx.Job(acct, "transform-job", "fit-1")
		h.is("Job of another kind", err, store.ErrNotFound)
		for _, c := range []struct {
			what   string
			filter store.JobFilter
			want   []string
		}{
			{"jobs of a kind, oldest first", store.JobFilter{AccountID: acct, Kind: "training-job"}, []string{"1/t/fit-2", "1/t/Fit-1", "1/t/x_1%"}},
			{"jobs of an account, ties by name", store.JobFilter{AccountID: acct}, []string{"1/p/fit-1", "1/t/fit-2", "1/t/Fit-1", "1/t/x_1%"}},
			{"jobs whose name contains FIT", store.JobFilter{AccountID: acct, Kind: "training-job", NameContains: "FIT"}, []string{"1/t/fit-2", "1/t/Fit-1"}},
			{"jobs whose name contains _1%", store.JobFilter{AccountID: acct, NameContains: "_1%"}, []string{"1/t/x_1%"}},
			{"jobs whose name contains t_1 (a literal _)", store.JobFilter{AccountID: acct, NameContains: "t_1"}, nil},
			{"jobs of a status", store.JobFilter{AccountID: acct, Status: "Completed"}, []string{"1/p/fit-1", "1/t/fit-2"}},
			{"unfinished jobs of every account", store.JobFilter{Unfinished: true}, []string{"1/t/Fit-1", "1/t/x_1%", "2/t/fit-9"}},
		} {
			list, err := tx.ListJobs(c.filter)
			h.is(c.what, err, nil)
			h.equal(c.what, names(list), c.want)
		}
		return nil
	})
	updated := *fit
	updated.Status, updated.FailureReason, updated.ExitMessage, updated.Secondary = "Failed", "AlgorithmError", "exit 1", "Failed"
	updated.Details, updated.StartedAt, updated.EndedAt, updated.LastModifiedAt = `{"FinalMetricDataList":[]}`, at(3), at(4), at(4)
	h.update(func(tx store.Tx) error {
		up := updated
		up.Name = "fit-1" // found without case
		return tx.UpdateJob(&up)
	})
	h.view(func(tx store.Tx) error {
		j, _ := tx.Job(acct, "training-job", "Fit-1")
		h.equal("updated Job", j, &updated)
		return nil
	})
}

func testModels(h *h) {
	m1 := &store.Model{AccountID: acct, Name: "My-Model", ARN: sageMakerARN(acct, "model", "My-Model"), Request: `{"PrimaryContainer":{}}`,
		RoleARN: "arn:aws:iam::111111111111:role/Worker", CreatedAt: at(2)}
	m2 := &store.Model{AccountID: acct, Name: "older", ARN: sageMakerARN(acct, "model", "older"), Request: "{}", CreatedAt: at(1)}
	h.update(func(tx store.Tx) error {
		h.must("CreateModel", tx.CreateModel(m1))
		h.must("CreateModel", tx.CreateModel(m2))
		h.must("CreateModel in another account", tx.CreateModel(&store.Model{AccountID: acct2, Name: "my-model", Request: "{}"}))
		return tx.SetTags(m1.ARN, []store.Tag{{Key: "k", Value: "v"}})
	})
	h.is("a model name taken, differing only in case", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateModel(&store.Model{AccountID: acct, Name: "MY-MODEL", Request: "{}"})
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		m, err := tx.Model(acct, "my-model")
		h.is("Model without case", err, nil)
		h.equal("Model", m, m1)
		_, err = tx.Model(acct, "nope")
		h.is("missing Model", err, store.ErrNotFound)
		list, err := tx.ListModels(acct)
		h.is("ListModels", err, nil)
		h.equal("ListModels oldest first", list, []*store.Model{m2, m1})
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeleteModel(acct, "MY-MODEL") })
	h.view(func(tx store.Tx) error {
		_, err := tx.Model(acct, "My-Model")
		h.is("deleted Model", err, store.ErrNotFound)
		tags, _ := tx.Tags(m1.ARN)
		h.equal("tags of a deleted model", len(tags), 0)
		_, err = tx.Model(acct2, "My-Model")
		h.is("the other account's model of the name", err, nil)
		return nil
	})
	h.is("DeleteModel of a missing model", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteModel(acct, "my-model") }), store.ErrNotFound)
}

func testModelPackageGroups(h *h) {
	g1 := &store.ModelPackageGroup{AccountID: acct, Name: "Group-A", ARN: sageMakerARN(acct, "model-package-group", "Group-A"),
		Description: "a", Status: "Completed", CreatedBy: "arn:aws:iam::111111111111:user/u", CreatedAt: at(2)}
	g2 := &store.ModelPackageGroup{AccountID: acct, Name: "group-b", ARN: sageMakerARN(acct, "model-package-group", "group-b"),
		Status: "Completed", CreatedAt: at(1), LatestVersion: 3}
	h.update(func(tx store.Tx) error {
		h.must("CreateModelPackageGroup", tx.CreateModelPackageGroup(g1))
		h.must("CreateModelPackageGroup", tx.CreateModelPackageGroup(g2))
		return tx.SetTags(g1.ARN, []store.Tag{{Key: "k", Value: "v"}})
	})
	h.is("a group name taken, differing only in case", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateModelPackageGroup(&store.ModelPackageGroup{AccountID: acct, Name: "GROUP-A"})
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		g, err := tx.ModelPackageGroup(acct, "group-a")
		h.is("ModelPackageGroup without case", err, nil)
		h.equal("ModelPackageGroup", g, g1)
		_, err = tx.ModelPackageGroup(acct2, "group-a")
		h.is("ModelPackageGroup of another account", err, store.ErrNotFound)
		list, err := tx.ListModelPackageGroups(acct)
		h.is("ListModelPackageGroups", err, nil)
		h.equal("ListModelPackageGroups oldest first", list, []*store.ModelPackageGroup{g2, g1})
		return nil
	})
	updated := *g1
	updated.Description, updated.Status, updated.LatestVersion = "described", "Deleting", 7
	h.update(func(tx store.Tx) error {
		up := updated
		up.Name = "GROUP-a"
		return tx.UpdateModelPackageGroup(&up)
	})
	h.is("UpdateModelPackageGroup of a missing group", h.tryUpdate(func(tx store.Tx) error {
		return tx.UpdateModelPackageGroup(&store.ModelPackageGroup{AccountID: acct, Name: "nope"})
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		g, _ := tx.ModelPackageGroup(acct, "Group-A")
		h.equal("updated ModelPackageGroup", g, &updated)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeleteModelPackageGroup(acct, "group-A") })
	h.view(func(tx store.Tx) error {
		_, err := tx.ModelPackageGroup(acct, "Group-A")
		h.is("deleted ModelPackageGroup", err, store.ErrNotFound)
		tags, _ := tx.Tags(g1.ARN)
		h.equal("tags of a deleted group", len(tags), 0)
		return nil
	})
	h.is("DeleteModelPackageGroup of a missing group", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteModelPackageGroup(acct, "group-a") }), store.ErrNotFound)
}

func testModelPackageGroupPolicies(h *h) {
	g := &store.ModelPackageGroup{AccountID: acct, Name: "Shared", ARN: sageMakerARN(acct, "model-package-group", "Shared"),
		Status: "Completed", CreatedAt: at(1)}
	const first, second = `{"Version":"2012-10-17","Statement":[]}`, `{"Statement":[{"Effect":"Allow"}]}`
	h.is("PutModelPackageGroupPolicy of a missing group", h.tryUpdate(func(tx store.Tx) error {
		return tx.PutModelPackageGroupPolicy(acct, "shared", first)
	}), store.ErrNotFound)
	h.update(func(tx store.Tx) error {
		h.must("CreateModelPackageGroup", tx.CreateModelPackageGroup(g))
		h.must("CreateModelPackageGroup", tx.CreateModelPackageGroup(&store.ModelPackageGroup{AccountID: acct2, Name: "shared",
			ARN: sageMakerARN(acct2, "model-package-group", "shared"), Status: "Completed", CreatedAt: at(1)}))
		_, err := tx.ModelPackageGroupPolicy(acct, "Shared")
		h.is("ModelPackageGroupPolicy of a group without one", err, store.ErrNotFound)
		return tx.PutModelPackageGroupPolicy(acct, "SHARED", first)
	})
	h.view(func(tx store.Tx) error {
		p, err := tx.ModelPackageGroupPolicy(acct, "shared")
		h.is("ModelPackageGroupPolicy without case", err, nil)
		h.equal("ModelPackageGroupPolicy", p, first)
		_, err = tx.ModelPackageGroupPolicy(acct2, "shared")
		h.is("ModelPackageGroupPolicy of another account's group of the name", err, store.ErrNotFound)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.PutModelPackageGroupPolicy(acct, "Shared", second) })
	h.view(func(tx store.Tx) error {
		p, _ := tx.ModelPackageGroupPolicy(acct, "Shared")
		h.equal("replaced ModelPackageGroupPolicy", p, second)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeleteModelPackageGroupPolicy(acct, "shared") })
	h.is("DeleteModelPackageGroupPolicy of a group without one", h.tryUpdate(func(tx store.Tx) error {
		return tx.DeleteModelPackageGroupPolicy(acct, "shared")
	}), store.ErrNotFound)
	h.is("DeleteModelPackageGroupPolicy of a missing group", h.tryUpdate(func(tx store.Tx) error {
		return tx.DeleteModelPackageGroupPolicy(acct, "nope")
	}), store.ErrNotFound)
	// Deleting the group deletes its policy: a group of the same name starts without one.
	h.update(func(tx store.Tx) error {
		h.must("PutModelPackageGroupPolicy", tx.PutModelPackageGroupPolicy(acct, "shared", first))
		return tx.DeleteModelPackageGroup(acct, "shared")
	})
	h.update(func(tx store.Tx) error {
		h.must("CreateModelPackageGroup again", tx.CreateModelPackageGroup(g))
		_, err := tx.ModelPackageGroupPolicy(acct, "Shared")
		h.is("ModelPackageGroupPolicy of a group created again", err, store.ErrNotFound)
		return nil
	})
}

func modelPackage(name string, version int, token string, created int) *store.ModelPackage {
	arnName := name
	if version > 0 {
		arnName = name + "/" + string(rune('0'+version))
	}
	return &store.ModelPackage{AccountID: acct, Name: name, Version: version, ARN: sageMakerARN(acct, "model-package", arnName),
		Request: `{"InferenceSpecification":{}}`, Status: "Completed", ApprovalStatus: "PendingManualApproval", ClientToken: token,
		CreatedBy: "arn:aws:iam::111111111111:user/u", LastModifiedBy: "arn:aws:iam::111111111111:user/u", CreatedAt: at(created), LastModifiedAt: at(created)}
}

func testModelPackages(h *h) {
	v1 := modelPackage("Group-A", 1, "tok-1", 1)
	v2 := modelPackage("Group-A", 2, "", 3)
	solo := modelPackage("solo", 0, "tok-solo", 2)
	h.update(func(tx store.Tx) error {
		for _, p := range []*store.ModelPackage{v1, v2, solo} {
			if err := tx.CreateModelPackage(p); err != nil {
				return err
			}
		}
		// Packages without a client token do not clash on it.
		h.must("CreateModelPackage without a token", tx.CreateModelPackage(modelPackage("other", 0, "", 4)))
		return tx.SetTags(v2.ARN, []store.Tag{{Key: "k", Value: "v"}})
	})
	h.is("a package version taken, the name differing only in case", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateModelPackage(modelPackage("GROUP-A", 1, "", 5))
	}), store.ErrExists)
	h.is("a client token taken", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateModelPackage(modelPackage("new", 0, "tok-1", 5))
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		p, err := tx.ModelPackage(acct, "group-a", 2)
		h.is("ModelPackage without case", err, nil)
		h.equal("ModelPackage", p, v2)
		p, _ = tx.ModelPackage(acct, "SOLO", 0)
		h.equal("unversioned ModelPackage", p, solo)
		_, err = tx.ModelPackage(acct, "group-a", 3)
		h.is("missing ModelPackage version", err, store.ErrNotFound)
		p, err = tx.ModelPackageByToken(acct, "tok-1")
		h.is("ModelPackageByToken", err, nil)
		h.equal("ModelPackageByToken", p, v1)
		_, err = tx.ModelPackageByToken(acct, "")
		h.is("ModelPackageByToken without a token", err, store.ErrNotFound)
		_, err = tx.ModelPackageByToken(acct2, "tok-1")
		h.is("ModelPackageByToken of another account", err, store.ErrNotFound)
		list, err := tx.ListModelPackages(acct, "")
		h.is("ListModelPackages", err, nil)
		var names []string
		for _, p := range list {
			names = append(names, p.ARN[strings.LastIndex(p.ARN, ":")+1:])
		}
		h.equal("ListModelPackages in creation order", names,
			[]string{"model-package/group-a/1", "model-package/solo", "model-package/group-a/2", "model-package/other"})
		list, _ = tx.ListModelPackages(acct, "GROUP-A")
		h.equal("versions of a group", list, []*store.ModelPackage{v1, v2})
		return nil
	})
	updated := *v2
	updated.Request, updated.Status, updated.ApprovalStatus, updated.ApprovalDescription = `{"new":1}`, "Completed", "Approved", "ok"
	updated.LastModifiedBy, updated.LastModifiedAt = "arn:aws:iam::111111111111:user/approver", at(9)
	h.update(func(tx store.Tx) error {
		up := updated
		up.Name = "group-a"
		return tx.UpdateModelPackage(&up)
	})
	h.is("UpdateModelPackage of a missing package", h.tryUpdate(func(tx store.Tx) error {
		return tx.UpdateModelPackage(modelPackage("Group-A", 5, "", 1))
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		p, _ := tx.ModelPackage(acct, "Group-A", 2)
		h.equal("updated ModelPackage", p, &updated)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeleteModelPackage(acct, "GROUP-A", 2) })
	h.view(func(tx store.Tx) error {
		_, err := tx.ModelPackage(acct, "Group-A", 2)
		h.is("deleted ModelPackage", err, store.ErrNotFound)
		tags, _ := tx.Tags(v2.ARN)
		h.equal("tags of a deleted package", len(tags), 0)
		list, _ := tx.ListModelPackages(acct, "group-a")
		h.equal("versions left", list, []*store.ModelPackage{v1})
		return nil
	})
	h.is("DeleteModelPackage of a missing package", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteModelPackage(acct, "group-a", 2) }), store.ErrNotFound)
}
