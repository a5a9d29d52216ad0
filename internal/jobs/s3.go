package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// splitS3URI splits s3://bucket/key.
func splitS3URI(uri string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", fmt.Errorf("ClientError: %q is not an s3:// URI", uri)
	}
	bucket, key, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("ClientError: %q names no bucket", uri)
	}
	return bucket, key, nil
}

// stage downloads an input into dir: every object under an S3Prefix (keyed by its path
// below the prefix; an object named by the prefix itself lands under its base name), or
// the objects a ManifestFile lists.
func (m *Manager) stage(ctx context.Context, uri, dataType, dir string) error {
	bucket, prefix, err := splitS3URI(uri)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if dataType == "ManifestFile" {
		return m.stageManifest(ctx, bucket, prefix, dir)
	}
	objects, err := m.opts.Objects.ListObjects(ctx, bucket, prefix)
	if err != nil {
		return err
	}
	if len(objects) == 0 {
		return fmt.Errorf("ClientError: no objects found under %s", uri)
	}
	base := prefix
	if base != "" && !strings.HasSuffix(base, "/") {
		base = base[:strings.LastIndex(base, "/")+1]
		// A prefix that is a directory name ("data/train") keeps its last segment out.
		for _, o := range objects {
			if strings.HasPrefix(o.Key, prefix+"/") {
				base = prefix + "/"
				break
			}
		}
	}
	for _, o := range objects {
		rel := strings.TrimPrefix(o.Key, base)
		if rel == "" || strings.HasSuffix(o.Key, "/") {
			continue
		}
		if err := m.download(ctx, bucket, o.Key, dir, rel); err != nil {
			return err
		}
	}
	return nil
}

// stageManifest downloads the objects a manifest lists: [{"prefix": "s3://b/p/"}, "k1", …].
func (m *Manager) stageManifest(ctx context.Context, bucket, key, dir string) error {
	body, err := m.opts.Objects.GetObject(ctx, bucket, key, "")
	if err != nil {
		return err
	}
	defer body.Close()
	var manifest []json.RawMessage
	if err := json.NewDecoder(io.LimitReader(body, 64<<20)).Decode(&manifest); err != nil || len(manifest) == 0 {
		return fmt.Errorf("ClientError: the manifest s3://%s/%s is not a JSON list starting with {\"prefix\": …}", bucket, key)
	}
	var head struct{ Prefix string }
	if err := json.Unmarshal(manifest[0], &head); err != nil || head.Prefix == "" {
		return fmt.Errorf("ClientError: the manifest s3://%s/%s does not start with {\"prefix\": …}", bucket, key)
	}
	pb, pk, err := splitS3URI(head.Prefix)
	if err != nil {
		return err
	}
	for _, raw := range manifest[1:] {
		var rel string
		if err := json.Unmarshal(raw, &rel); err != nil {
			return fmt.Errorf("ClientError: the manifest s3://%s/%s lists a non-string entry", bucket, key)
		}
		if err := m.download(ctx, pb, pk+rel, dir, rel); err != nil {
			return err
		}
	}
	return nil
}

// download writes one object to dir/rel, refusing paths that would leave dir.
func (m *Manager) download(ctx context.Context, bucket, key, dir, rel string) error {
	target := filepath.Join(dir, filepath.FromSlash(rel))
	if !strings.HasPrefix(target, filepath.Clean(dir)+string(filepath.Separator)) {
		return fmt.Errorf("ClientError: object key %q would be written outside the input directory", key)
	}
	body, err := m.opts.Objects.GetObject(ctx, bucket, key, "")
	if err != nil {
		return err
	}
	defer body.Close()
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.Create(target)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return fmt.Errorf("download s3://%s/%s: %w", bucket, key, err)
	}
	return f.Close()
}

// upload puts every file under dir to the S3 URI prefix, keyed by its path below dir.
func (m *Manager) upload(ctx context.Context, dir, uri string) error {
	bucket, prefix, err := splitS3URI(uri)
	if err != nil {
		return err
	}
	prefix = strings.TrimSuffix(prefix, "/")
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if prefix != "" {
			key = prefix + "/" + key
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		return m.opts.Objects.PutObject(ctx, bucket, key, f, st.Size())
	})
}
