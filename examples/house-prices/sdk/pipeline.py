"""The house-prices pipeline with the SageMaker Python SDK (v2), run on Cairn.

Preprocess → Train → Evaluate → CheckRmse → Register (or RmseTooHigh): the pipeline of
../pipeline.json, built with the SDK's PipelineSession, ScriptProcessor, SKLearn estimator
(script mode) and steps. The program creates what the pipeline needs — the data bucket,
the role, the model package group — with boto3, upserts the pipeline, starts it, waits for
it and prints its steps. It exits 0 when the execution succeeded.

The SDK finds Cairn through the profile's endpoint_url: run it with AWS_CONFIG_FILE and
AWS_SHARED_CREDENTIALS_FILE set to Cairn's profile files (see ../README.md), from the
example's directory or anywhere.
"""
import json
import os
import sys

import boto3
import sagemaker
from sagemaker.inputs import TrainingInput
from sagemaker.model import Model
from sagemaker.model_metrics import MetricsSource, ModelMetrics
from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor
from sagemaker.sklearn.estimator import SKLearn
from sagemaker.workflow.condition_step import ConditionStep
from sagemaker.workflow.conditions import ConditionLessThanOrEqualTo
from sagemaker.workflow.fail_step import FailStep
from sagemaker.workflow.functions import Join, JsonGet
from sagemaker.workflow.model_step import ModelStep
from sagemaker.workflow.parameters import ParameterFloat, ParameterString
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.pipeline_context import PipelineSession
from sagemaker.workflow.properties import PropertyFile
from sagemaker.workflow.steps import ProcessingStep, TrainingStep

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.dirname(HERE)
PIPELINE = "house-prices-sdk"
GROUP = "house-prices-sdk"
ROLE = "house-prices-sdk-pipeline"
# Recorded, not pulled: Cairn runs the scripts with the host's python3.
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"


def setup(boto_session, account):
    """Creates the bucket with the data, the pipeline's role and the model package group,
    unless they exist, and returns the bucket and the role's ARN."""
    bucket = "house-prices-sdk-" + account
    s3 = boto_session.client("s3")
    if bucket not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
        s3.create_bucket(Bucket=bucket)
    s3.upload_file(os.path.join(EXAMPLE, "data", "houses.csv"), bucket, "data/houses.csv")

    iam = boto_session.client("iam")
    try:
        role_arn = iam.get_role(RoleName=ROLE)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        with open(os.path.join(EXAMPLE, "iam", "trust.json")) as f:
            role_arn = iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=f.read())["Role"]["Arn"]
    # The SDK keeps the code it uploads in its default bucket, sagemaker-<region>-<account>.
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::house-prices-sdk-*", "arn:aws:s3:::house-prices-sdk-*/*",
                      "arn:aws:s3:::sagemaker-*", "arn:aws:s3:::sagemaker-*/*"]},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
         "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}]}
    iam.put_role_policy(RoleName=ROLE, PolicyName="run-pipeline", PolicyDocument=json.dumps(policy))

    sm = boto_session.client("sagemaker")
    try:
        sm.create_model_package_group(ModelPackageGroupName=GROUP)
    except sm.exceptions.ClientError as e:
        if "already exists" not in str(e):
            raise
    return bucket, role_arn


def build(session, bucket, role):
    """Returns the pipeline, built with the SDK's objects."""
    input_data = ParameterString("InputData", default_value="s3://%s/data/houses.csv" % bucket)
    max_rmse = ParameterFloat("MaxRmse", default_value=20.0)
    approval = ParameterString("ModelApprovalStatus", default_value="PendingManualApproval")

    processor = ScriptProcessor(command=["python3"], image_uri=IMAGE, role=role, instance_count=1,
                                instance_type="ml.m5.large", sagemaker_session=session)
    preprocess = ProcessingStep("Preprocess", step_args=processor.run(
        code=os.path.join(EXAMPLE, "code", "preprocess.py"),
        inputs=[ProcessingInput(source=input_data, destination="/opt/ml/processing/input/data")],
        outputs=[ProcessingOutput(output_name="train", source="/opt/ml/processing/train"),
                 ProcessingOutput(output_name="test", source="/opt/ml/processing/test")]))

    estimator = SKLearn(entry_point="train.py", source_dir=os.path.join(EXAMPLE, "code"), framework_version="1.2-1",
                        image_uri=IMAGE, role=role, instance_count=1, instance_type="ml.m5.large",
                        hyperparameters={"l2": 0.1}, output_path="s3://%s/models" % bucket,
                        metric_definitions=[{"Name": "train:rmse", "Regex": "train_rmse=([0-9.]+)"}],
                        sagemaker_session=session)
    train = TrainingStep("Train", step_args=estimator.fit({"train": TrainingInput(
        preprocess.properties.ProcessingOutputConfig.Outputs["train"].S3Output.S3Uri, content_type="text/csv")}))

    report = PropertyFile(name="EvaluationReport", output_name="evaluation", path="evaluation.json")
    evaluate = ProcessingStep("Evaluate", property_files=[report], step_args=processor.run(
        code=os.path.join(EXAMPLE, "code", "evaluate.py"),
        inputs=[ProcessingInput(source=train.properties.ModelArtifacts.S3ModelArtifacts, destination="/opt/ml/processing/model"),
                ProcessingInput(source=preprocess.properties.ProcessingOutputConfig.Outputs["test"].S3Output.S3Uri,
                                destination="/opt/ml/processing/test")],
        outputs=[ProcessingOutput(output_name="evaluation", source="/opt/ml/processing/evaluation")]))

    metrics = ModelMetrics(model_statistics=MetricsSource(content_type="application/json", s3_uri=Join(on="/", values=[
        evaluate.properties.ProcessingOutputConfig.Outputs["evaluation"].S3Output.S3Uri, "evaluation.json"])))
    model = Model(image_uri=IMAGE, model_data=train.properties.ModelArtifacts.S3ModelArtifacts, role=role,
                  sagemaker_session=session)
    register = ModelStep("Register", step_args=model.register(
        content_types=["text/csv"], response_types=["text/csv"], inference_instances=["ml.m5.large"],
        transform_instances=["ml.m5.large"], model_package_group_name=GROUP, approval_status=approval,
        model_metrics=metrics))
    too_high = FailStep("RmseTooHigh", error_message=Join(on=" ", values=["The test RMSE is above", max_rmse]))
    check = ConditionStep("CheckRmse", conditions=[ConditionLessThanOrEqualTo(
        left=JsonGet(step_name=evaluate.name, property_file=report, json_path="regression_metrics.rmse.value"),
        right=max_rmse)], if_steps=[register], else_steps=[too_high])

    return Pipeline(PIPELINE, parameters=[input_data, max_rmse, approval],
                    steps=[preprocess, train, evaluate, check], sagemaker_session=session)


def main():
    boto_session = boto3.Session()
    # The account, from the profile's STS (Cairn's). Left to itself, the SDK names its
    # default bucket after an account it asks AWS's regional STS endpoint for, whatever
    # the profile's endpoint_url says: give it the bucket, and it asks nothing.
    account = boto_session.client("sts").get_caller_identity()["Account"]
    bucket, role = setup(boto_session, account)
    # The SDK uploads the training code encrypted under the account's AWS managed key
    # (aws/s3), which Cairn's S3 creates on first use, as AWS does.
    session = PipelineSession(boto_session=boto_session,
                              default_bucket="sagemaker-%s-%s" % (boto_session.region_name, account))
    pipeline = build(session, bucket, role)
    pipeline.upsert(role_arn=role)
    execution = pipeline.start()
    print("started", execution.arn, flush=True)
    try:
        execution.wait(delay=1, max_attempts=600)
    except Exception as e:  # the waiter raises when the execution fails
        print("the execution did not succeed:", e)
    for step in sorted(execution.list_steps(), key=lambda s: s["StartTime"]):
        print("%-24s %-10s %s" % (step["StepName"], step["StepStatus"], step.get("FailureReason", "")))
    status = execution.describe()["PipelineExecutionStatus"]
    print("execution", status)
    return 0 if status == "Succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
