package console

import (
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

var funcs = template.FuncMap{
	"time": func(t *operation.Timestamp) string {
		if t == nil {
			return "—"
		}
		return t.Time.UTC().Format(time.DateTime) + " UTC"
	},
	"q":            urlQuery,
	"typeClass":    typeClass,
	"lower":        strings.ToLower,
	"account":      accountOf,
	"pipelineName": pipelineNameOf,
	"executionID": func(arn string) string {
		_, id, _ := strings.Cut(arn, "/execution/")
		return id
	},
}

// parsePages parses each page with the layout: templates/<page>.html defines "content".
func parsePages() (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	dag, err := fs.ReadFile(templateFiles, "templates/dag.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, path := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(path, "templates/"), ".html")
		if name == "layout" || name == "dag" {
			continue
		}
		body, err := fs.ReadFile(templateFiles, path)
		if err != nil {
			return nil, err
		}
		t := template.New(name).Funcs(funcs)
		for _, src := range []string{string(layout), string(dag), string(body)} {
			if _, err := t.Parse(src); err != nil {
				return nil, fmt.Errorf("console: template %s: %w", name, err)
			}
		}
		pages[name] = t
	}
	return pages, nil
}
