"""The house-prices pipeline with boto3, run on Cairn: what ../run.sh does with the AWS CLI.

It uploads the data and the scripts, creates the pipeline's role and the model package
group, creates (or updates) the pipeline from ../pipeline.json, starts an execution with the
parameters given as NAME=VALUE arguments, waits for it and prints its steps, and lists the
model packages of the group. It exits 0 when the execution succeeded, 1 when it did not.
Run again, it reuses what the first run created.

boto3 finds Cairn through the profile's endpoint_url (boto3 1.28 or later): run it with
AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE set to Cairn's profile files (see
../README.md), from anywhere.
"""
import json
import os
import sys
import time
import uuid

import boto3

EXAMPLE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIPELINE = "house-prices"
GROUP = "house-prices"
ROLE = "house-prices-pipeline"


def read(*path):
    with open(os.path.join(EXAMPLE, *path)) as f:
        return f.read()


def setup(session, account):
    """Creates the bucket with the data and the code, the role and the model package group,
    unless they exist, and returns the role's ARN."""
    bucket = "house-prices-" + account
    s3 = session.client("s3")
    if bucket not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
        s3.create_bucket(Bucket=bucket)
    s3.upload_file(os.path.join(EXAMPLE, "data", "houses.csv"), bucket, "data/houses.csv")
    for script in sorted(os.listdir(os.path.join(EXAMPLE, "code"))):
        s3.upload_file(os.path.join(EXAMPLE, "code", script), bucket, "code/" + script)

    iam = session.client("iam")
    try:
        role_arn = iam.get_role(RoleName=ROLE)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        role_arn = iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=read("iam", "trust.json"))["Role"]["Arn"]
    iam.put_role_policy(RoleName=ROLE, PolicyName="run-pipeline", PolicyDocument=read("iam", "policy.json"))

    sm = session.client("sagemaker")
    try:
        sm.create_model_package_group(ModelPackageGroupName=GROUP)
    except sm.exceptions.ClientError as e:
        if "already exists" not in str(e):
            raise
    return role_arn


def upsert_pipeline(sm, account, role_arn):
    definition = read("pipeline.json").replace("ACCOUNT_ID", account)
    try:
        sm.create_pipeline(PipelineName=PIPELINE, PipelineDefinition=definition, RoleArn=role_arn,
                           ClientRequestToken=str(uuid.uuid4()))
    except sm.exceptions.ClientError as e:
        if "already exists" not in str(e):
            raise
        sm.update_pipeline(PipelineName=PIPELINE, PipelineDefinition=definition, RoleArn=role_arn)


def wait(sm, arn):
    """Waits for the execution to end and returns its description."""
    while True:
        desc = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
        if desc["PipelineExecutionStatus"] not in ("Executing", "Stopping"):
            return desc
        time.sleep(1)


def main(args):
    parameters = []
    for arg in args:
        name, sep, value = arg.partition("=")
        if not sep:
            sys.exit("usage: run.py [NAME=VALUE ...]  (pipeline parameters, e.g. MaxRmse=5)")
        parameters.append({"Name": name, "Value": value})

    session = boto3.Session()
    account = session.client("sts").get_caller_identity()["Account"]
    role_arn = setup(session, account)
    sm = session.client("sagemaker")
    upsert_pipeline(sm, account, role_arn)

    arn = sm.start_pipeline_execution(PipelineName=PIPELINE, PipelineParameters=parameters,
                                      ClientRequestToken=str(uuid.uuid4()))["PipelineExecutionArn"]
    print("execution", arn)
    desc = wait(sm, arn)
    steps = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn, SortOrder="Ascending")
    for step in steps["PipelineExecutionSteps"]:
        print(("  %-12s %-10s %s" % (step["StepName"], step["StepStatus"], step.get("FailureReason", ""))).rstrip())
    print(("execution %s %s" % (desc["PipelineExecutionStatus"], desc.get("FailureReason", ""))).rstrip())

    for package in sm.list_model_packages(ModelPackageGroupName=GROUP)["ModelPackageSummaryList"]:
        print(package["ModelPackageArn"], package["ModelApprovalStatus"])
    return 0 if desc["PipelineExecutionStatus"] == "Succeeded" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
