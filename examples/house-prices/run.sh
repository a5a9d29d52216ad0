#!/usr/bin/env bash
# The house-prices example from end to end with the AWS CLI: every command README.md
# shows, in order. Run it against a running Cairn with its profile files in the
# environment (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) and cairn on PATH.
set -euo pipefail
cd "$(dirname "$0")"

ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
BUCKET=house-prices-$ACCOUNT

aws s3 mb "s3://$BUCKET"
aws s3 cp data/houses.csv "s3://$BUCKET/data/houses.csv"
aws s3 cp code/ "s3://$BUCKET/code/" --recursive

aws iam create-role --role-name house-prices-pipeline --assume-role-policy-document file://iam/trust.json
aws iam put-role-policy --role-name house-prices-pipeline --policy-name run-pipeline --policy-document file://iam/policy.json

aws sagemaker create-model-package-group --model-package-group-name house-prices
mkdir -p build && sed "s/ACCOUNT_ID/$ACCOUNT/g" pipeline.json > build/pipeline.json
aws sagemaker create-pipeline --pipeline-name house-prices --pipeline-definition file://build/pipeline.json \
  --role-arn "arn:aws:iam::$ACCOUNT:role/house-prices-pipeline"
aws sagemaker start-pipeline-execution --pipeline-name house-prices

cairn watch house-prices

EXECUTION=$(aws sagemaker list-pipeline-executions --pipeline-name house-prices \
  --query 'PipelineExecutionSummaries[0].PipelineExecutionArn' --output text)
cairn logs "$EXECUTION" Train
aws sagemaker list-model-packages --model-package-group-name house-prices \
  --query 'ModelPackageSummaryList[].[ModelPackageArn,ModelApprovalStatus]' --output text
