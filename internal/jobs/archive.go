package jobs

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Bounds on a source archive (sagemaker_submit_directory) extracted into /opt/ml/code.
const (
	maxArchiveBytes   = 4 << 30
	maxArchiveEntries = 100_000
)

// unpackTarGz extracts a gzipped tar into dir. Every path stays inside dir: entries
// naming absolute paths or climbing out with "..", and links pointing outside, are
// refused; files are written through an os.Root, so no link can lead a write out.
// Devices, pipes and other special files are skipped.
func unpackTarGz(r io.Reader, dir string) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("not a gzip file: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	tr := tar.NewReader(zr)
	var total int64
	for n := 0; ; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("not a readable tar archive: %w", err)
		}
		if n >= maxArchiveEntries {
			return fmt.Errorf("the archive holds more than %d entries", maxArchiveEntries)
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "./"))
		if name == "." || name == "" {
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(name)) {
			return fmt.Errorf("the archive entry %q would be written outside the directory", h.Name)
		}
		name = filepath.FromSlash(name)
		if dir := filepath.Dir(name); dir != "." {
			if err := root.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("entry %q: %w", h.Name, err)
			}
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := root.MkdirAll(name, 0o755); err != nil {
				return fmt.Errorf("entry %q: %w", h.Name, err)
			}
		case tar.TypeReg:
			total += h.Size
			if total > maxArchiveBytes {
				return fmt.Errorf("the archive holds more than %d bytes", int64(maxArchiveBytes))
			}
			if err := writeEntry(root, name, h, tr); err != nil {
				return fmt.Errorf("entry %q: %w", h.Name, err)
			}
		case tar.TypeSymlink, tar.TypeLink:
			target := h.Linkname
			resolved := target
			if h.Typeflag == tar.TypeSymlink {
				resolved = path.Join(path.Dir(filepath.ToSlash(name)), target)
			}
			if path.IsAbs(target) || !filepath.IsLocal(filepath.FromSlash(path.Clean(resolved))) {
				return fmt.Errorf("the archive entry %q links to %q, outside the directory", h.Name, target)
			}
			root.Remove(name)
			if h.Typeflag == tar.TypeSymlink {
				err = root.Symlink(target, name)
			} else {
				err = root.Link(filepath.FromSlash(path.Clean(target)), name)
			}
			if err != nil {
				return fmt.Errorf("entry %q: %w", h.Name, err)
			}
		}
	}
}

func writeEntry(root *os.Root, name string, h *tar.Header, r io.Reader) error {
	root.Remove(name) // an earlier entry of the same name, possibly a link
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fs.FileMode(h.Mode).Perm()|0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, io.LimitReader(r, h.Size)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeTarGz writes the tree under dir to w as a gzipped tar whose entry names are
// relative to dir. Links are stored as links and never followed, so nothing outside dir
// is read; special files are left out. It returns how many entries it wrote.
func writeTarGz(w io.Writer, dir string) (int, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return 0, err
	}
	defer root.Close()
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	n := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		var link string
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			if link, err = root.Readlink(rel); err != nil {
				return err
			}
		case d.IsDir(), d.Type().IsRegular():
		default:
			return nil
		}
		h, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		h.Name = filepath.ToSlash(rel)
		if d.IsDir() {
			h.Name += "/"
		}
		h.Uid, h.Gid, h.Uname, h.Gname = 0, 0, "", ""
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		n++
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := root.Open(rel)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.CopyN(tw, f, h.Size)
		return err
	})
	if err != nil {
		return n, err
	}
	if err := tw.Close(); err != nil {
		return n, err
	}
	return n, zw.Close()
}
