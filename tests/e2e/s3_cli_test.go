package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// s3Tools skips the test unless the AWS CLI and Python with boto3 are installed.
func s3Tools(t *testing.T) (awsBin, python string) {
	t.Helper()
	awsBin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI (aws) is not on PATH; install it to run this test")
	}
	python, err = exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH; install Python 3 with boto3 to run this test")
	}
	if err := exec.Command(python, "-c", "import boto3").Run(); err != nil {
		t.Skip("python3 cannot import boto3; pip install boto3 to run this test")
	}
	return awsBin, python
}

// run runs a command with only the profile files Cairn wrote as AWS configuration.
func (c *cairn) run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"AWS_CONFIG_FILE=" + filepath.Join(c.dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(c.dir, "credentials"),
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(name), args, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// writeTree writes files (relative path → content) under dir.
func writeTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for rel, data := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestS3AWSCLI(t *testing.T) {
	awsBin, _ := s3Tools(t)
	c := start(t, startOptions{Config: accountsYAML})
	src, dst := t.TempDir(), t.TempDir()
	files := map[string][]byte{
		"train/part-0001.csv":     []byte("a,b\n1,2\n"),
		"train/part-0002.csv":     []byte("a,b\n3,4\n"),
		"validation/data.csv":     []byte("a,b\n5,6\n"),
		"README with spaces.txt":  []byte("hello"),
		"nested/deep/dir/x+y.bin": randomBytes(1000, 5),
		"big/model.tar.gz":        randomBytes(20<<20+7, 6), // above the CLI's 8 MiB multipart threshold
	}
	writeTree(t, src, files)

	c.run(t, awsBin, "--profile", "data-science", "s3", "mb", "s3://cli-bucket")
	c.run(t, awsBin, "--profile", "data-science", "s3", "cp", filepath.Join(src, "big/model.tar.gz"), "s3://cli-bucket/single/model.tar.gz")
	c.run(t, awsBin, "--profile", "data-science", "s3", "sync", src, "s3://cli-bucket/tree/")

	ls := c.run(t, awsBin, "--profile", "data-science", "s3", "ls", "--recursive", "s3://cli-bucket/tree/")
	var listed []string
	for _, line := range strings.Split(strings.TrimSpace(ls), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 4 {
			t.Fatalf("aws s3 ls line %q", line)
		}
		listed = append(listed, strings.TrimPrefix(strings.Join(fields[3:], " "), "tree/"))
	}
	var want []string
	for rel := range files {
		want = append(want, rel)
	}
	sort.Strings(want)
	sort.Strings(listed)
	if strings.Join(listed, "|") != strings.Join(want, "|") {
		t.Errorf("aws s3 ls = %v, want %v", listed, want)
	}
	top := c.run(t, awsBin, "--profile", "data-science", "s3", "ls", "s3://cli-bucket/tree/")
	if !strings.Contains(top, "PRE train/") || !strings.Contains(top, "README with spaces.txt") {
		t.Errorf("aws s3 ls (delimited) = %s", top)
	}
	buckets := c.run(t, awsBin, "--profile", "data-science", "s3", "ls")
	if !strings.Contains(buckets, "cli-bucket") {
		t.Errorf("aws s3 ls (buckets) = %s", buckets)
	}

	// A second sync uploads nothing; syncing down reproduces the tree.
	if again := c.run(t, awsBin, "--profile", "data-science", "s3", "sync", src, "s3://cli-bucket/tree/"); strings.TrimSpace(again) != "" {
		t.Errorf("second sync uploaded again: %s", again)
	}
	c.run(t, awsBin, "--profile", "data-science", "s3", "sync", "s3://cli-bucket/tree/", dst)
	for rel, data := range files {
		got, err := os.ReadFile(filepath.Join(dst, rel))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("synced down %s: %d bytes (%v), want %d", rel, len(got), err, len(data))
		}
	}
	c.run(t, awsBin, "--profile", "data-science", "s3", "cp", "s3://cli-bucket/single/model.tar.gz", filepath.Join(dst, "copy.bin"))
	if got, _ := os.ReadFile(filepath.Join(dst, "copy.bin")); !bytes.Equal(got, files["big/model.tar.gz"]) {
		t.Errorf("aws s3 cp down: %d bytes differ from the upload", len(got))
	}
	c.run(t, awsBin, "--profile", "data-science", "s3", "rm", "--recursive", "s3://cli-bucket/")
	c.run(t, awsBin, "--profile", "data-science", "s3", "rb", "s3://cli-bucket")
	if buckets := c.run(t, awsBin, "--profile", "data-science", "s3", "ls"); strings.Contains(buckets, "cli-bucket") {
		t.Errorf("bucket still listed after rb: %s", buckets)
	}
}

// boto3Script exercises what the AWS CLI does not: ListObjects with encoding-type=url on
// awkward keys, conditional and ranged reads, a managed multipart upload, errors.
const boto3Script = `
import io, os, sys, boto3, botocore
s3 = boto3.client("s3")
s3.create_bucket(Bucket="boto-bucket")
keys = ["plain.txt", "with space.txt", "plus+sign", "ünïcödé/ключ", "a/b/c", "percent%20literal", "amp&er=sand?"]
for k in keys:
    s3.put_object(Bucket="boto-bucket", Key=k, Body=k.encode(), Metadata={"source": "boto3"})
listed = [o["Key"] for o in s3.list_objects(Bucket="boto-bucket")["Contents"]]
assert sorted(listed) == sorted(keys), listed
listed = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket="boto-bucket", PaginationConfig={"PageSize": 2}) for o in p.get("Contents", [])]
assert sorted(listed) == sorted(keys), listed
top = s3.list_objects_v2(Bucket="boto-bucket", Delimiter="/")
assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["a/", "ünïcödé/"], top["CommonPrefixes"]
for k in keys:
    obj = s3.get_object(Bucket="boto-bucket", Key=k)
    assert obj["Body"].read() == k.encode(), k
    assert obj["Metadata"] == {"source": "boto3"}, obj["Metadata"]
assert s3.get_object(Bucket="boto-bucket", Key="plain.txt", Range="bytes=1-3")["Body"].read() == b"lai"
try:
    s3.get_object(Bucket="boto-bucket", Key="missing")
    sys.exit("missing key did not fail")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "NoSuchKey", e.response
    assert e.response["Error"]["Key"] == "missing", e.response
data = os.urandom(12 * 1024 * 1024 + 3)
cfg = boto3.s3.transfer.TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
s3.upload_fileobj(io.BytesIO(data), "boto-bucket", "multi/part.bin", Config=cfg)
head = s3.head_object(Bucket="boto-bucket", Key="multi/part.bin")
assert head["ContentLength"] == len(data) and head["ETag"].endswith('-3"'), head
out = io.BytesIO()
s3.download_fileobj("boto-bucket", "multi/part.bin", out, Config=cfg)
assert out.getvalue() == data
s3.copy_object(Bucket="boto-bucket", Key="copied", CopySource={"Bucket": "boto-bucket", "Key": "with space.txt"})
assert s3.get_object(Bucket="boto-bucket", Key="copied")["Body"].read() == b"with space.txt"
resp = s3.delete_objects(Bucket="boto-bucket", Delete={"Objects": [{"Key": k} for k in keys + ["copied", "multi/part.bin"]]})
assert len(resp["Deleted"]) == len(keys) + 2, resp
s3.delete_bucket(Bucket="boto-bucket")
print("ok")
`

func TestS3Boto3(t *testing.T) {
	_, python := s3Tools(t)
	c := start(t, startOptions{})
	if out := c.run(t, python, "-c", boto3Script); strings.TrimSpace(out) != "ok" {
		t.Errorf("boto3 script printed %q", out)
	}
}
