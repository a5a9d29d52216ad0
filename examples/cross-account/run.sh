#!/usr/bin/env bash
# The cross-account example from end to end with the AWS CLI: every command README.md
# shows, in order. Run it against a Cairn started with --config accounts.yaml, with its
# profile files in the environment and cairn on PATH.
set -euo pipefail
cd "$(dirname "$0")"

aws --profile platform s3 mb s3://platform-scoring-222222222222
aws --profile platform s3 cp code/score.py s3://platform-scoring-222222222222/code/score.py
aws --profile platform iam create-role --role-name scoring-pipeline --assume-role-policy-document file://iam/trust.json
aws --profile platform iam put-role-policy --role-name scoring-pipeline --policy-name run-pipeline --policy-document file://iam/policy.json
aws --profile platform sagemaker create-pipeline --pipeline-name scoring --pipeline-definition file://pipeline.json \
  --role-arn arn:aws:iam::222222222222:role/scoring-pipeline

aws --profile platform ram create-resource-share --name scoring \
  --resource-arns arn:aws:sagemaker:us-east-1:222222222222:pipeline/scoring --principals 111111111111 \
  --permission-arns arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerPipelineAllowExecution

until INVITATION=$(aws --profile data-science ram get-resource-share-invitations \
  --query 'resourceShareInvitations[?resourceShareName==`scoring`].resourceShareInvitationArn' --output text) \
  && [ -n "$INVITATION" ]; do sleep 1; done
aws --profile data-science ram accept-resource-share-invitation --resource-share-invitation-arn "$INVITATION"

EXECUTION=$(aws --profile data-science sagemaker start-pipeline-execution \
  --pipeline-name arn:aws:sagemaker:us-east-1:222222222222:pipeline/scoring \
  --pipeline-parameters '[{"Name":"Batch","Value":"4,5,6"}]' --query PipelineExecutionArn --output text)
cairn watch --profile data-science "$EXECUTION"
cairn logs --profile platform "$EXECUTION" Score

aws --profile platform sagemaker list-pipeline-executions --pipeline-name scoring \
  --query 'PipelineExecutionSummaries[].[PipelineExecutionArn,PipelineExecutionStatus]' --output text
aws --profile data-science s3 ls s3://platform-scoring-222222222222/scores/ || echo "data-science may not read the platform's bucket"
