// Package definition reads SageMaker pipeline definitions: it parses and
// validates the JSON document the SageMaker Python SDK emits, exposes the
// step graph a scheduler needs, and evaluates the expressions of the
// definition language against an execution.
//
// The package is pure: it does no I/O and reads no clock. What an
// execution knows — parameter values, step properties, execution
// variables, the JSON files Std:JsonGet reads — comes in through [Env].
//
// # Parsing
//
// [Parse] accepts the document as the SDK writes it: Version "2020-12-01",
// Metadata, Parameters, PipelineExperimentConfig (which may be null) and
// Steps. Members it does not interpret are kept, never rejected: a step's
// other members are in [Step.Extra] and its Arguments stay as written. A
// document that is not valid fails with an [*Error] whose message reads
// like AWS's ValidationException and names the step or parameter and the
// problem: malformed JSON, a document over 1,048,576 characters, a bad
// Version, bad or duplicate names, parameter defaults of the wrong type,
// EnumValues on a non-String parameter, references to unknown steps,
// parameters or property files, dependency cycles, malformed expressions,
// conditions of unknown type, bad retry policies or cache configs, and a
// step type not in [ParseOptions.SupportedTypes].
//
// # The step graph
//
// Steps nested in a Condition step's IfSteps and ElseSteps are steps of
// the pipeline: their names are unique across it and other steps may
// depend on them. A step's dependencies ([Definition.Dependencies]) are
// its DependsOn, every step its expressions reference, and, for a step in
// a branch, the Condition step that holds it ([Definition.Branch]).
// [Definition.TopologicalOrder] orders the steps; [Definition.Decide]
// applies the scheduling rule: a step runs when all its dependencies
// succeeded (and, in a branch, when its branch was taken); a step with a
// skipped dependency is skipped, so the branch not taken does not run and
// neither does anything downstream of it.
//
// # Expressions
//
// An expression is an object with exactly one member, Get, Std:Join or
// Std:JsonGet; any other object is a literal. [Definition.Resolve] and
// [Definition.ResolveArguments] replace expressions by their values;
// [Definition.EvalCondition] evaluates conditions.
//
// References ({"Get": "..."}):
//
//   - Parameters.<name>
//   - Execution.<variable>: StartDateTime, CurrentDateTime, PipelineName,
//     PipelineArn, PipelineExecutionId, PipelineExecutionArn,
//     TrainingJobName, ProcessingJobName
//   - PipelineExperimentConfig.ExperimentName, .TrialName
//   - Steps.<step>.<property path>: a property of the step's Describe…
//     response (no ".Properties." segment), or Outcome for a Condition
//     step; Fail steps have none
//   - Steps.<step>.PropertyFiles.<name>: only as the PropertyFile of a
//     Std:JsonGet
//
// Paths (property paths and Std:JsonGet Paths) are names separated by
// dots, list indexes "[n]" and quoted keys "['key']" or `["key"]`; a
// JsonGet Path may start with JsonPath's "$". In step properties a name
// applied to a list selects the item whose key member equals it, by the
// list's member name:
//
//	List                                  Key member
//	Outputs (ProcessingOutputConfig)      OutputName
//	ProcessingInputs                      InputName
//	InputDataConfig, AdditionalModelDataSources
//	                                      ChannelName
//	FinalMetricDataList, CandidateMetrics MetricName
//	OutputParameters (Lambda, Callback)   Name or OutputName; gives the item's Value
//	MetricDefinitions, parameter ranges   Name
//	CollectionConfigurations              CollectionName
//	Debug/Profiler rule configurations and statuses
//	                                      RuleConfigurationName
//	InstanceGroups                        InstanceGroupName
//	TrainingJobDefinitions                DefinitionName
//	TrainingJobSummaries                  TrainingJobName
//	CandidateSteps                        CandidateStepName
//	ValidationProfiles                    ProfileName
//	SourceAlgorithms                      AlgorithmName
//	ParentHyperParameterTuningJobs        HyperParameterTuningJobName
//	any other list                        Name
//
// In a JSON file read by Std:JsonGet, names select object members only.
//
// Std:Join renders each value as a string and joins them with On: strings
// as they are, integers in decimal ("4"), floats as Python's str() writes
// them ("0.3", "6.0", "1e-05"), numbers from the document as written when
// they are integers, booleans as "true" and "false" (the spelling of the
// definition language and of StartPipelineExecution), null as "null".
// Objects and lists cannot be joined.
//
// Std:JsonGet reads a JSON file through [Env.ReadJSON] and returns the
// value at Path. With a PropertyFile ({"Get":
// "Steps.S.PropertyFiles.N"}, or the bare name N of a property file only
// one step declares) the file is at the S3Uri of the step's output the
// property file names (ProcessingOutputConfig.Outputs by OutputName,
// without a trailing "/"), "/", and the property file's FilePath. With an
// S3Uri (a string or an expression) the file is there.
//
// Conditions: see [Definition.EvalCondition]. A Condition step's
// Conditions are ANDed ([Definition.EvalConditions]).
//
// An expression that cannot be evaluated fails with an [*EvalError] that
// names the expression and the reason, ready for a step's FailureReason.
//
// # Parameters
//
// [Definition.ResolveParameters] combines the defaults with the values an
// execution is started with and checks them.
//
// # Job names
//
// [JobNameField], [Step.JobNamePrefix], [PrefixLimits],
// [Definition.ValidatePrefixes], [DefaultJobName] and [CustomJobName]
// implement the naming of the jobs steps create; the constants of
// [JobNameSuffixLength] document the suffix and the per-step limits.
package definition
