#!/usr/bin/env bash
# Shares a pipeline across accounts with the AWS CLI's `aws ram` commands against a Cairn
# server. It needs AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE pointing at the files
# the server wrote, with profiles "owner" (111111111111) and "consumer" (222222222222)
# and RAM associations completing at once (ram: {association_delay: 0s}).
set -euo pipefail

CONSUMER_ID=222222222222
fail() { echo "FAIL: $*" >&2; exit 1; }
owner() { aws --profile owner --output text "$@"; }
consumer() { aws --profile consumer --output text "$@"; }

role=$(owner iam create-role --role-name cli-pipeline-exec \
	--assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}' \
	--query Role.Arn)
pipeline=$(owner sagemaker create-pipeline --pipeline-name cli-pipe --role-arn "$role" \
	--client-request-token cli-pipe-token-00000000000000000000000 \
	--pipeline-definition '{"Version":"2020-12-01","Steps":[{"Name":"Stop","Type":"Fail","Arguments":{"ErrorMessage":"bye"}}]}' \
	--query PipelineArn)

share=$(owner ram create-resource-share --name cli-share --resource-arns "$pipeline" --principals "$CONSUMER_ID" \
	--query resourceShare.resourceShareArn)
[[ $share == arn:aws:ram:*:resource-share/* ]] || fail "create-resource-share answered $share"

status=$(owner ram get-resource-shares --resource-owner SELF --query "resourceShares[?resourceShareArn=='$share'].status")
[[ $status == ACTIVE ]] || fail "get-resource-shares: status $status"

invitation=$(consumer ram get-resource-share-invitations --resource-share-arns "$share" \
	--query 'resourceShareInvitations[0].resourceShareInvitationArn')
[[ $invitation == arn:aws:ram:*:resource-share-invitation/* ]] || fail "get-resource-share-invitations answered $invitation"

accepted=$(consumer ram accept-resource-share-invitation --resource-share-invitation-arn "$invitation" \
	--query resourceShareInvitation.status)
[[ $accepted == ACCEPTED ]] || fail "accept-resource-share-invitation: status $accepted"

count=$(owner ram list-permissions --resource-type sagemaker:Pipeline --query 'length(permissions)')
[[ $count == 2 ]] || fail "list-permissions: $count permissions for sagemaker:Pipeline"

policy=$(owner ram get-resource-policies --resource-arns "$pipeline" --query 'policies[0]')
[[ $policy == *'"sagemaker:DescribePipeline"'* && $policy == *"$CONSUMER_ID"* ]] || fail "get-resource-policies: $policy"

echo ok
