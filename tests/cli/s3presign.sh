#!/usr/bin/env bash
# Fetches with curl a URL that `aws s3 presign` made (the AWS CLI v1 signs it with S3's
# Signature Version 2: AWSAccessKeyId, Signature, Expires) against a Cairn server. It needs
# AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE pointing at the files the server wrote,
# with a profile "data-science".
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
ds() { aws --profile data-science "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf 'model weights, presigned\n' >"$work/model.bin"
ds s3 mb s3://cli-presign >/dev/null
ds s3 cp "$work/model.bin" "s3://cli-presign/models/v1 final/model.bin" >/dev/null

url=$(ds s3 presign "s3://cli-presign/models/v1 final/model.bin" --expires-in 600)
[[ $url == *AWSAccessKeyId=* && $url == *Signature=* && $url == *Expires=* ]] || fail "not a SigV2 URL: $url"

status=$(curl -s -o "$work/got" -w '%{http_code}' "$url")
[[ $status == 200 ]] || fail "GET presigned URL: HTTP $status: $(cat "$work/got")"
cmp -s "$work/model.bin" "$work/got" || fail "GET presigned URL: the body differs"

# The signature covers the key: another key under it is refused.
tampered=${url/model.bin/other.bin}
status=$(curl -s -o "$work/err" -w '%{http_code}' "$tampered")
[[ $status == 403 ]] && grep -q '<Code>SignatureDoesNotMatch</Code>' "$work/err" || fail "tampered URL: HTTP $status: $(cat "$work/err")"

echo ok
