package console

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// Nothing the console serves names another host: no font, script, style or image from a
// CDN. Every address in a template or an asset is a path of the console's own (the SVG
// namespace, in dag.go, is a name, not a request).
func TestNoExternalReferences(t *testing.T) {
	url := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}|@import|url\(\s*['"]?[a-z]+:`)
	attr := regexp.MustCompile(`(?i)\b(href|src|action|data-events)="([^"{]*)`)
	for _, files := range []fs.FS{templateFiles, staticFiles} {
		err := fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			body, err := fs.ReadFile(files, path)
			if err != nil {
				return err
			}
			for _, m := range url.FindAllString(string(body), -1) {
				t.Errorf("%s refers to %q", path, m)
			}
			for _, m := range attr.FindAllStringSubmatch(string(body), -1) {
				if m[2] != "" && !strings.HasPrefix(m[2], Prefix) && !strings.HasPrefix(m[2], "#") {
					t.Errorf("%s: %s=%q is not a console path", path, m[1], m[2])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
